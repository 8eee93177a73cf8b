"""Faults of a batch that ended in a traceback or raw English (issue class 8): a town added
to units.yaml after a run, a full disk in the batch summary."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from analysis.causes import failure_reason
from analysis.errors import RunFailedError
from analysis.run import batch, planning, workers
from analysis.run.batch import Summary
from analysis.run.workers import Outcome
from analysis.settings import config, places
from analysis.settings.params import resolve_params

NEW_TOWN = "新设街道"


@pytest.fixture
def scratch_outputs(tmp_path, monkeypatch):
    """The plan and data caches in a scratch outputs folder."""
    monkeypatch.setattr(config, "OUTPUTS_DIR", tmp_path)
    return tmp_path


def _add_a_town(monkeypatch) -> None:
    """units.yaml as after the analyst added a town to 钟楼区 (since the last run)."""
    units = places.units()
    districts = dict(units["districts"])
    districts["钟楼区"] = {**districts["钟楼区"], "towns": [*places.towns_of("钟楼区"), NEW_TOWN]}
    monkeypatch.setattr(places, "units", lambda: {**units, "districts": districts})


def test_a_town_added_after_a_run_has_a_fingerprint(scratch_outputs, monkeypatch):
    before = resolve_params(period="2020-10")
    planning.data_fingerprints(before.data_dir, before.district)  # the cache of the last run
    _add_a_town(monkeypatch)
    new_town = resolve_params(period="2020-10", unit=NEW_TOWN)
    assert planning.current_fingerprint(new_town)  # was KeyError: '新设街道'
    assert planning.current_fingerprint(before)


def test_a_town_added_after_a_run_is_planned(scratch_outputs, monkeypatch):
    first = planning.plan(period="2020-03")
    assert NEW_TOWN not in {j.params.unit for j in first}
    _add_a_town(monkeypatch)
    again = planning.plan(period="2020-03")  # same data and code: the cached plan is not enough
    assert {j.params.unit for j in again} == {"", *places.towns_of("钟楼区")}
    assert len(again) == len(first) + 3


@pytest.mark.parametrize("damaged", ["[1, 2]", '"text"', "{", '{"x": 1}'])
def test_a_damaged_data_cache_is_rebuilt(scratch_outputs, damaged):
    (scratch_outputs / planning.DATA_CACHE_FILE).write_text(damaged, encoding="utf-8")
    params = resolve_params(period="2020-10")
    assert set(planning.data_fingerprints(params.data_dir, params.district)) == {
        "",
        *places.towns_of("钟楼区"),
    }


DISK_FULL = OSError(errno.ENOSPC, "No space left on device", "/srv/out/钟楼区/2020-10")


@pytest.mark.parametrize(
    "err",
    [
        DISK_FULL,
        RunFailedError(
            "简报生成失败：单元格 [7] 出错（OSError）：[Errno 28] No space left on device"
        ),
        RuntimeError("Kernel died"),
    ],
)
def test_the_batch_summary_says_a_full_disk_in_chinese_first(err):
    if isinstance(err, RuntimeError):
        err.__cause__ = DISK_FULL  # raised while handling the full disk
    params = resolve_params(period="2020-10")
    summary = Summary([Outcome(params, "failed", attempts=1, reason=failure_reason(err))])
    reason = next(line for line in batch.describe(summary).splitlines() if "原因：" in line)
    assert reason.strip().startswith("原因：磁盘空间不足")
    assert "No space left on device" in reason or isinstance(err, RuntimeError)


def test_a_worker_that_hits_a_full_disk_reports_it_in_chinese(monkeypatch, tmp_path):
    import analysis.run.kernel
    import analysis.run.report

    class Alive:
        def is_alive(self):
            return True

    def disk_full(*args, **kwargs):
        raise DISK_FULL

    monkeypatch.setattr(workers, "_worker_kernel", Alive())
    monkeypatch.setattr(analysis.run.kernel, "reset_kernel", lambda kernel: None)
    monkeypatch.setattr(analysis.run.report, "run_briefing", disk_full)
    outcome = workers.run_job(resolve_params(period="2020-03"), str(tmp_path))
    assert outcome.status == "failed" and outcome.attempts == 1
    assert outcome.reason.startswith("磁盘空间不足")
    assert "技术细节：OSError: [Errno 28] No space left on device" in outcome.reason


def test_unknown_failures_keep_their_words_after_a_chinese_lead():
    reason = failure_reason(ValueError("something odd"))
    assert reason == "生成时出错。技术细节：ValueError: something odd"
    assert failure_reason(RunFailedError("简报生成失败：单元格 [3] 出错")) == (
        "简报生成失败：单元格 [3] 出错"
    )


def _forge_plan(outputs: Path, elsewhere: Path) -> Path:
    """The plan cache rewritten to read another folder's data, as a planted file would."""
    real = outputs / planning.PLAN_CACHE_FILE
    forged = json.loads(real.read_text(encoding="utf-8"))
    for entries in forged.values():
        for entry in entries:
            entry["params"]["data_dir"] = str(elsewhere)
    planted = outputs.parent / "planted.json"
    planted.write_text(json.dumps(forged), encoding="utf-8")
    return planted


def test_a_planted_plan_behind_a_symlink_is_not_used(scratch_outputs, tmp_path):
    first = planning.plan(period="2020-03")
    planted = _forge_plan(scratch_outputs, tmp_path / "elsewhere")
    (scratch_outputs / planning.PLAN_CACHE_FILE).unlink()
    (scratch_outputs / planning.PLAN_CACHE_FILE).symlink_to(planted)
    again = planning.plan(period="2020-03")
    assert {j.params.data_dir for j in again} == {first[0].params.data_dir}


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_another_users_plan_is_not_used(scratch_outputs, tmp_path):
    first = planning.plan(period="2020-03")
    planted = _forge_plan(scratch_outputs, tmp_path / "elsewhere")
    real = scratch_outputs / planning.PLAN_CACHE_FILE
    real.write_bytes(planted.read_bytes())
    os.chown(real, 65534, 65534)
    again = planning.plan(period="2020-03")
    assert {j.params.data_dir for j in again} == {first[0].params.data_dir}
