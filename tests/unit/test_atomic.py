"""Atomic outputs: whole-folder swaps, recovery after a killed run, owned temporary folders,
and cells that spreadsheets would run as formulas."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os

import pandas as pd
import pytest

from analysis import atomic
from analysis.atomic import OutputSlot, owned_folder, recover, remove_abandoned
from analysis.errors import OutputError
from analysis.safe_cells import neutralise_formula, neutralise_frame


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def _publish(out_root, out_dir, files):
    with OutputSlot(out_root, out_dir) as slot:
        for name, text in files.items():
            (slot.staging / name).write_text(text)
        slot.publish()


def test_a_new_set_replaces_the_old_one_whole(tmp_path):
    out_dir = tmp_path / "区" / "2020-10"
    _publish(tmp_path, out_dir, {"briefing.html": "old", "rejects.csv": "old"})
    _publish(tmp_path, out_dir, {"briefing.html": "new", "indicators.csv": "new"})
    assert _files(out_dir) == {"briefing.html": "new", "indicators.csv": "new"}
    assert not list((tmp_path / atomic.RUNS_DIR).glob("run-*"))


def test_town_folders_and_an_analysts_own_files_are_carried_over(tmp_path):
    out_dir = tmp_path / "区" / "2020-10"
    _publish(tmp_path, out_dir, {"briefing.html": "district"})
    _publish(tmp_path, out_dir / "邹区镇", {"briefing.html": "town"})
    (out_dir / "备注.txt").write_text("mine")
    (out_dir / "indicators.xlsx").write_text("a table of the previous run")
    _publish(tmp_path, out_dir, {"briefing.html": "district 2"})
    assert _files(out_dir) == {
        "briefing.html": "district 2",
        "备注.txt": "mine",
        "邹区镇/briefing.html": "town",
    }


def test_nothing_is_replaced_when_briefing_html_is_a_folder(tmp_path):
    out_dir = tmp_path / "out"
    _publish(tmp_path, out_dir, {"indicators.csv": "old"})
    (out_dir / "briefing.html").mkdir()
    with pytest.raises(OutputError, match="briefing.html 是一个文件夹"):
        _publish(tmp_path, out_dir, {"briefing.html": "new", "indicators.csv": "new"})
    assert _files(out_dir) == {"indicators.csv": "old"}
    assert (out_dir / "briefing.html").is_dir()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(OutputError, match="是一个文件，不是文件夹"):
        _publish(tmp_path, tmp_path / "out" / "2020-10", {"briefing.html": "new"})
    assert (tmp_path / "out").read_text() == "a file"


def test_leaving_without_publishing_discards_the_staging(tmp_path):
    out_dir = tmp_path / "out"
    _publish(tmp_path, out_dir, {"briefing.html": "old"})
    with pytest.raises(RuntimeError), OutputSlot(tmp_path, out_dir) as slot:
        (slot.staging / "briefing.html").write_text("half")
        raise RuntimeError("notebook failed")
    assert _files(out_dir) == {"briefing.html": "old"}
    assert os.listdir(tmp_path / atomic.RUNS_DIR) == [atomic.SWAP_LOCK]


def _dead_run(runs, name, target=None, swapped_out=False):
    """What a run killed by SIGKILL leaves: its entry and unlocked lock file, and, if it
    was killed during the swap, its journal (and maybe the old folder already moved out)."""
    entry = runs / name
    (entry / "set").mkdir(parents=True)
    (entry / "set" / "briefing.html").write_text("new")
    entry.with_suffix(".lock").touch()
    if target is not None:
        entry.with_suffix(".json").write_text(json.dumps({"target": str(target)}))
        if swapped_out:
            os.rename(target, entry / "old")
    return entry


@pytest.mark.parametrize("swapped_out", [False, True])
def test_recovery_finishes_a_swap_cut_short(tmp_path, swapped_out):
    out_dir = tmp_path / "out"
    _publish(tmp_path, out_dir, {"briefing.html": "old", "rejects.csv": "old"})
    runs = tmp_path / atomic.RUNS_DIR
    _dead_run(runs, "run-dead", target=out_dir, swapped_out=swapped_out)
    assert out_dir.exists() != swapped_out
    recover(tmp_path)
    assert _files(out_dir) == {"briefing.html": "new"}
    assert sorted(os.listdir(runs)) == [atomic.SWAP_LOCK]


def test_recovery_drops_an_unfinished_staging_and_keeps_the_old_set(tmp_path):
    out_dir = tmp_path / "out"
    _publish(tmp_path, out_dir, {"briefing.html": "old"})
    runs = tmp_path / atomic.RUNS_DIR
    _dead_run(runs, "run-dead")
    (runs / "run-nolock").mkdir()  # killed between creating the folder and its lock
    recover(tmp_path)
    assert _files(out_dir) == {"briefing.html": "old"}
    assert sorted(os.listdir(runs)) == [atomic.SWAP_LOCK]


def test_recovery_leaves_a_live_runs_staging_alone(tmp_path):
    out_dir = tmp_path / "out"
    with OutputSlot(tmp_path, out_dir) as slot:
        (slot.staging / "briefing.html").write_text("in progress")
        recover(tmp_path)  # e.g. a concurrent run starting
        assert (slot.staging / "briefing.html").read_text() == "in progress"
        slot.publish()
    assert _files(out_dir) == {"briefing.html": "in progress"}


def _hold_and_die(folder, ready):
    """Lock ``folder`` like owned_folder does, then exit without cleaning up."""
    fd = os.open(folder / atomic.OWNER_LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    ready.set()
    os._exit(0)


def test_owned_folders_of_dead_processes_are_removed(tmp_path):
    with owned_folder("k-", tmp_path) as live:
        (live / "kernel.json").write_text("{}")
        dead = tmp_path / "k-dead"
        dead.mkdir()
        ready = multiprocessing.get_context("fork").Event()
        proc = multiprocessing.get_context("fork").Process(target=_hold_and_die, args=(dead, ready))
        proc.start()
        proc.join()
        assert ready.is_set()
        remove_abandoned("k-", tmp_path)
        assert live.is_dir() and not dead.exists()
    assert not live.exists()


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e3", "-1e3"),
        ("-8.2%", "-8.2%"),
        ("邹区镇", "邹区镇"),
        (-3, -3),
        (None, None),
    ],
)
def test_formula_cells_are_written_as_text(value, written):
    assert neutralise_formula(value) == written


def test_neutralise_frame_leaves_numbers_and_the_original_alone():
    df = pd.DataFrame({"名称": ["=1+1", "正常"], "数值": [-1, 2], "=列": ["a", None]})
    out = neutralise_frame(df)
    assert out["名称"].tolist() == ["'=1+1", "正常"]
    assert out["数值"].tolist() == [-1, 2]
    assert list(out.columns) == ["名称", "数值", "'=列"]
    assert df["名称"].tolist() == ["=1+1", "正常"]


def test_the_table_cache_keeps_only_the_most_recently_used_entries(tmp_path):
    from analysis.inputs.cache import evict

    for i in range(5):
        entry = tmp_path / f"tables-{i}.pkl"
        entry.write_bytes(b"x")
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    (tmp_path / "other.txt").write_text("kept")
    evict(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "other.txt",
        "tables-3.pkl",
        "tables-4.pkl",
    ]


def _town_set(tmp_path):
    out_dir = tmp_path / "区" / "2020-10"
    _publish(tmp_path, out_dir, {"briefing.html": "district", "indicators.csv": "d"})
    for town in ("邹区镇", "北港街道", "西林街道"):
        _publish(tmp_path, out_dir / town, {"briefing.html": town})
    (out_dir / "备注.txt").write_text("mine")
    return out_dir


@pytest.mark.parametrize("failing_call", [1, 2, 3, 4, 5])
def test_a_swap_that_fails_at_any_rename_keeps_every_previous_file(
    tmp_path, monkeypatch, failing_call
):
    """The swap is all or nothing: a rename refused at any step (a read-only folder, a full
    disk) leaves the district's own files and every town's folder as they were."""
    out_dir = _town_set(tmp_path)
    before = _files(out_dir)
    real_rename, calls = os.rename, []

    def refusing_rename(src, dst):
        calls.append((src, dst))
        if len(calls) == failing_call:
            raise PermissionError(13, "Permission denied", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(atomic.os, "rename", refusing_rename)
    with pytest.raises(PermissionError):
        _publish(tmp_path, out_dir, {"briefing.html": "new"})
    monkeypatch.undo()
    assert _files(out_dir) == before
    recover(tmp_path)
    assert _files(out_dir) == before
    _publish(tmp_path, out_dir, {"briefing.html": "new"})  # the next run goes through
    after = _files(out_dir)
    assert after.pop("briefing.html") == "new"
    assert after == {k: v for k, v in before.items() if "/" in k or k == "备注.txt"}
