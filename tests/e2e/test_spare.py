"""The spare kernel a run leaves for the next `make report` (analysis.run.spare): a briefing made
in it is byte-identical, a spare never outlives its use, and SPARE_KERNEL=0 means off."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis.run import spare
from analysis.run.report import BRIEFING_HTML, run_briefing
from analysis.settings import config

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def no_spares_left():
    spare.stop_all()
    yield
    spare.stop_all()


def _gone(pid: int, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not spare._alive(pid):
            return True
        time.sleep(0.05)
    return False


def _booted_spare(key: str) -> tuple[Path, int]:
    folder = spare.start(key)
    assert folder is not None and spare.wait_until_booted(folder)
    return folder, spare._pid_of(folder)


def _report(out: Path, spare_flag: str) -> subprocess.CompletedProcess:
    env = os.environ | {f"BRIEFING_{spare.FLAG}": spare_flag}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.PROJ_ROOT,
        timeout=300,
    )


def test_a_briefing_made_in_a_spare_is_byte_identical(tmp_path, default_params):
    fresh = run_briefing(default_params, out_root=tmp_path / "fresh")
    folder, pid = _booted_spare("k")
    kernel = spare.claim("k")
    assert kernel is not None and kernel.pid == pid
    made = run_briefing(default_params, out_root=tmp_path / "spare", kernel=kernel)
    kernel.shutdown_kernel(now=True)
    assert _gone(pid) and not folder.exists()
    for name in (BRIEFING_HTML, "briefing.xlsx", "indicators.csv"):
        assert (made.parent / name).read_bytes() == (fresh.parent / name).read_bytes(), name
    # the executed notebooks differ only in papermill's timings: every output is the same
    outputs = [
        [c.get("outputs") for c in nbformat.read(p / "briefing.ipynb", as_version=4).cells]
        for p in (made.parent, fresh.parent)
    ]
    assert outputs[0] == outputs[1] and any(outputs[0])


def test_a_run_claims_the_spare_and_leaves_one_for_the_next(tmp_path, default_params):
    first = _report(tmp_path / "a", "1")
    assert first.returncode == 0, first.stderr
    [folder] = spare.waiting()
    pid = spare._pid_of(folder)
    assert spare.wait_until_booted(folder)
    second = _report(tmp_path / "b", "1")
    assert second.returncode == 0, second.stderr
    assert _gone(pid) and not folder.exists()  # claimed, used and stopped
    [new] = spare.waiting()  # and one more left for the run after
    assert new != folder
    a, b = (tmp_path / run / default_params.output_subdir / BRIEFING_HTML for run in "ab")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("off", ["0", "false", "no"])
def test_spare_kernel_0_starts_none_and_claims_none(tmp_path, off):
    folder, pid = _booted_spare(spare.spare_key())
    result = _report(tmp_path, off)
    assert result.returncode == 0, result.stderr
    assert spare.waiting() == [folder] and spare._alive(pid)  # untouched, and no other


def test_unset_means_on_in_a_terminal_only(monkeypatch):
    monkeypatch.delenv(f"BRIEFING_{spare.FLAG}")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert spare.enabled()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert not spare.enabled()
    monkeypatch.setenv(f"BRIEFING_{spare.FLAG}", "1")
    assert spare.enabled()


def test_a_run_outside_a_terminal_leaves_no_spare_unless_asked(tmp_path):
    result = _report(tmp_path, "")  # captured output: like a script or a scheduled job
    assert result.returncode == 0, result.stderr
    assert spare.waiting() == []


def test_a_spare_kernel_value_that_is_no_switch_is_refused_in_chinese(tmp_path):
    result = _report(tmp_path, "maybe")
    assert result.returncode != 0
    assert "SPARE_KERNEL" in result.stderr and "1/0" in result.stderr
    assert spare.waiting() == []


def test_a_spare_of_other_code_or_settings_is_stopped_not_used():
    folder, pid = _booted_spare("made for other code")
    assert spare.claim("this code") is None
    assert _gone(pid) and not folder.exists()


def test_the_key_changes_with_the_environment_but_not_with_the_run_parameters(monkeypatch):
    key = spare.spare_key()
    monkeypatch.setenv("BRIEFING_PERIOD", "2020-09")
    monkeypatch.setenv("MAKEFLAGS", "-j2")
    assert spare.spare_key() == key
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", "/elsewhere")
    assert spare.spare_key() != key


def test_a_spare_left_waiting_retires_by_itself(monkeypatch):
    monkeypatch.setattr(spare, "IDLE_SECONDS", 1)
    folder, pid = _booted_spare("k")
    assert _gone(pid, within=15) and not folder.exists()


def test_a_spare_whose_run_was_killed_ends_too():
    folder, pid = _booted_spare("k")
    claimant = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from analysis.run import spare; "
            "assert spare.claim('k'); print('ok', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=config.PROJ_ROOT,
    )
    try:
        assert claimant.stdout.readline().strip() == "ok"
        assert spare.waiting() == [] and spare._alive(pid)
        claimant.send_signal(signal.SIGKILL)
        claimant.wait()
        assert _gone(pid, within=15) and not folder.exists()
    finally:
        claimant.kill()


def test_two_claims_of_one_spare_give_it_to_one_run_only():
    _booted_spare("k")
    first, second = spare.claim("k"), spare.claim("k")
    assert first is not None and second is None
    first.shutdown_kernel(now=True)


def test_one_spare_waits_per_project_and_stop_all_stops_those_in_use_too():
    _, in_use = _booted_spare("a")
    assert spare.claim("a") is not None
    _, old = _booted_spare("b")
    _, new = _booted_spare("c")  # a spare of another key waiting is replaced
    assert _gone(old) and spare._alive(in_use)
    assert spare.stop_all() == 2
    assert _gone(in_use) and _gone(new) and spare.waiting() == []
