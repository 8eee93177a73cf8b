"""The kernel a briefing runs in: started with jupyter_client's public API in the private
runtime folder, and stopped with its run."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from analysis.run.kernel import KERNEL_FOLDER_PREFIX, running_kernel
from analysis.settings import config
from analysis.settings.runtime import runtime_dir


def test_the_kernels_sockets_are_in_the_private_runtime_folder(runtime_home, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_home))
    with running_kernel() as km:
        sockets = list(runtime_dir().glob(f"{KERNEL_FOLDER_PREFIX}*"))
        assert len(sockets) == 1 and km.connection_file.startswith(str(sockets[0]))
        assert runtime_dir().stat().st_mode & 0o777 == 0o700
    assert list(runtime_dir().glob(f"{KERNEL_FOLDER_PREFIX}*")) == []


def _processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries ``mark`` (inherited by everything a run starts)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue  # ended meanwhile, or not ours to read
    return found


def test_a_report_leaves_no_process_behind(tmp_path):
    mark = f"BRIEFING_TEST_MARK={uuid.uuid4().hex}"
    key, value = mark.split("=")
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=os.environ | {key: value},
        cwd=config.PROJ_ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert _processes_marked(mark) == []
