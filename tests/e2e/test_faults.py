"""Fault injection: a real ``python -m analysis report`` is killed (SIGKILL) or interrupted
(Ctrl-C) at several points. The output folder must hold exactly the previous complete set
or exactly the new one, and the next run must leave no staging folder or kernel file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sample_copies import sample_with_bad_date

from analysis.atomic import RUNS_DIR
from analysis.errors import EXIT_INTERRUPTED, INTERRUPTED_MESSAGE
from analysis.run.kernel import KERNEL_FOLDER_PREFIX
from analysis.settings import config
from analysis.settings.runtime import APP

SUBDIR = Path("钟楼区") / "2020-10"


def _env(tmp: Path, data_dir: Path, lenient: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    # kernel folders go to the private runtime folder; here its own, so the test sees only its own
    env |= {"XDG_RUNTIME_DIR": str(tmp), "BRIEFING_DATA_DIR": str(data_dir)}
    if lenient:
        env["BRIEFING_LENIENT"] = "1"
    return env


def _start(out_root: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", "report", "--out", str(out_root)],
        env=env,
        cwd=config.PROJ_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C goes to the whole process group, kernel included
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """The previous set (a lenient run on data with one invalid row: it has rejects.csv)
    and the new set (a strict run on the shipped data), each built by a real run."""
    root = tmp_path_factory.mktemp("faults")
    runtime = Path(tempfile.mkdtemp(prefix="sb-"))  # short: kernel sockets live there
    bad = sample_with_bad_date(root / "bad-data")
    built = {}
    for name, data, lenient in (("old", bad, True), ("new", config.SAMPLE_DATA_DIR, False)):
        run = _start(root / name, _env(runtime, data, lenient))
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        built[name] = _snapshot(root / name / SUBDIR)
    shutil.rmtree(runtime, ignore_errors=True)
    assert "rejects.csv" in built["old"] and "rejects.csv" not in built["new"]
    return root, built["old"], built["new"]


def _consistent(out_dir: Path, old: dict, new: dict) -> str:
    """'old' or 'new' if ``out_dir`` holds exactly that set; fails otherwise."""
    now = _snapshot(out_dir)
    if now == old:
        return "old"
    assert set(now) == set(new), f"mixed or incomplete folder: {sorted(now)}"
    assert now["briefing.html"] == new["briefing.html"]
    assert now["indicators.csv"] == new["indicators.csv"]
    return "new"


def _wait_for(condition, proc, timeout=300.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, "the run ended before the fault could be injected"
        assert time.monotonic() < deadline
        time.sleep(0.001)


def _after(seconds: float):
    start = time.monotonic()
    return lambda: time.monotonic() - start > seconds


def _staged(out_root: Path, name: str):
    return lambda: any((out_root / RUNS_DIR).glob(f"run-*/set/{name}"))


def _at_swap(out_root: Path):
    """The whole new set is staged, or has just been swapped in (the window between the
    two is milliseconds; a loaded machine may not show it)."""
    html = out_root / SUBDIR / "briefing.html"
    old_inode = html.stat().st_ino
    staged = _staged(out_root, "briefing.html")

    def swapped() -> bool:
        try:
            return html.stat().st_ino != old_inode
        except FileNotFoundError:  # between the two renames of the swap
            return True

    return lambda: staged() or swapped()


# When to inject the fault: while starting up, while the notebook runs (its tables are
# being staged), and once the whole new set is staged (right before, during or just after
# the swap).
POINTS = {
    "start-up": lambda out_root: _after(0.3),
    "notebook": lambda out_root: _staged(out_root, "indicators.csv"),
    "swap": _at_swap,
}


def _run_with_fault(sets, tmp_path, tmp, point: str, sig: signal.Signals):
    root, old, new = sets
    out_root = tmp_path / "out"
    shutil.copytree(root / "old", out_root)
    env = _env(tmp, config.SAMPLE_DATA_DIR)
    run = _start(out_root, env)
    _wait_for(POINTS[point](out_root), run)
    os.killpg(run.pid, sig)
    _, err = run.communicate(timeout=120)
    return out_root, tmp, env, run.returncode, err


def _kernel_folders(tmp: Path) -> list[Path]:
    return list((tmp / APP).glob(f"{KERNEL_FOLDER_PREFIX}*"))


def _processes_of(tmp: Path) -> list[int]:
    """Processes started for the run whose private runtime folder is ``tmp`` (they all
    carry it in their environment)."""
    mark = f"XDG_RUNTIME_DIR={tmp}\0".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue  # ended meanwhile
    return found


def _wait_until_ended(tmp: Path) -> None:
    """Wait for the orphaned kernel: it notices its parent is gone and exits by itself."""
    while _processes_of(tmp):
        time.sleep(0.05)


@pytest.mark.parametrize("point", list(POINTS))
def test_sigkill_leaves_a_consistent_folder_and_the_next_run_cleans_up(
    sets, tmp_path, runtime_home, point
):
    _, old, new = sets
    out_root, tmp, env, code, _ = _run_with_fault(
        sets, tmp_path, runtime_home, point, signal.SIGKILL
    )
    assert code == -signal.SIGKILL
    _consistent(out_root / SUBDIR, old, new)

    _wait_until_ended(tmp)
    run = _start(out_root, env)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert _consistent(out_root / SUBDIR, old, new) == "new"
    assert "rejects.csv" not in _snapshot(out_root / SUBDIR)  # a strict run drops it
    assert sorted(p.name for p in (out_root / RUNS_DIR).iterdir()) == ["swap.lock"]
    assert not list(out_root.rglob(".run-*"))
    assert _kernel_folders(tmp) == []


@pytest.mark.parametrize("point", ["notebook", "swap"])
def test_ctrl_c_prints_one_chinese_line_and_leaves_a_consistent_folder(
    sets, tmp_path, runtime_home, point
):
    _, old, new = sets
    out_root, tmp, _, code, err = _run_with_fault(
        sets, tmp_path, runtime_home, point, signal.SIGINT
    )
    assert code == EXIT_INTERRUPTED
    assert err == INTERRUPTED_MESSAGE + "\n"
    _consistent(out_root / SUBDIR, old, new)
    assert sorted(p.name for p in (out_root / RUNS_DIR).iterdir()) == ["swap.lock"]
    assert _kernel_folders(tmp) == []


def test_ctrl_c_stops_a_batch_with_one_chinese_line(tmp_path, runtime_home):
    out_root, tmp = tmp_path / "out", runtime_home
    env = _env(tmp, config.SAMPLE_DATA_DIR)
    run = subprocess.Popen(
        [sys.executable, "-m", "analysis", "reports", "--period", "2020-01", "--workers", "2"]
        + ["--out", str(out_root)],
        env=env,
        cwd=config.PROJ_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _wait_for(_staged(out_root, "indicators.csv"), run)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=300)
    assert run.returncode == EXIT_INTERRUPTED
    assert err.endswith("\n" + INTERRUPTED_MESSAGE + "\n") and "Traceback" not in err
    assert sorted(p.name for p in (out_root / RUNS_DIR).iterdir()) == ["swap.lock"]
    assert _kernel_folders(tmp) == []
    for html in out_root.rglob("briefing.html"):  # what was built is complete
        assert (html.parent / "indicators.csv").is_file()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_batch_leaves_no_worker_or_kernel_behind(tmp_path, runtime_home, sig):
    """Workers end with their parent however it ends, and their kernels with them: after
    the main process of `make reports` is killed, nothing it started keeps running."""
    out_root = tmp_path / "out"
    env = _env(runtime_home, config.SAMPLE_DATA_DIR)
    run = subprocess.Popen(
        [sys.executable, "-m", "analysis", "reports", "--period", "2020-03", "--workers", "2"]
        + ["--out", str(out_root)],
        env=env,
        cwd=config.PROJ_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(_staged(out_root, "indicators.csv"), run)  # workers and kernels are busy
    assert len(_processes_of(runtime_home)) > 2
    run.send_signal(sig)  # the main process only, as a scheduler or the OOM killer would
    run.wait()
    _wait_until_ended(runtime_home)  # returns once every worker and kernel has ended
    assert _processes_of(runtime_home) == []


def test_a_schedulers_stop_ends_a_run_like_ctrl_c(sets, tmp_path, runtime_home):
    """SIGTERM to the run (what a scheduler sends) leaves the same clean state and says the
    same Chinese line as Ctrl-C; the kernel is stopped with it."""
    root, old, new = sets
    out_root = tmp_path / "out"
    shutil.copytree(root / "old", out_root)
    run = _start(out_root, _env(runtime_home, config.SAMPLE_DATA_DIR))
    _wait_for(POINTS["notebook"](out_root), run)
    run.send_signal(signal.SIGTERM)  # the main process only
    _, err = run.communicate()
    assert run.returncode == EXIT_INTERRUPTED
    assert err == INTERRUPTED_MESSAGE + "\n"
    _consistent(out_root / SUBDIR, old, new)
    assert sorted(p.name for p in (out_root / RUNS_DIR).iterdir()) == ["swap.lock"]
    _wait_until_ended(runtime_home)
    assert _kernel_folders(runtime_home) == []
