"""Batch briefings: planning, incremental rebuilds, warm-kernel determinism, failure reports."""

from __future__ import annotations

import shutil

import pytest

from analysis.assess.coverage import coverage_note
from analysis.errors import ParameterError
from analysis.run import planning, workers
from analysis.settings import config, places
from analysis.settings.params import resolve_params


def test_plan_covers_every_unit_and_month():
    jobs = planning.plan(period="2020-10")
    units = {j.params.unit for j in jobs}
    assert units == {"", *places.towns_of("钟楼区")}
    assert len(jobs) == len(units) * 10
    assert {j.params.period for j in jobs} == {f"2020-{m:02d}" for m in range(1, 11)}
    assert len({j.fingerprint for j in jobs}) == len(jobs)


def test_plan_of_the_second_sample_takes_its_folder_period_and_kind_from_its_settings():
    """make reports DISTRICT=示例城区: its district.yaml names data/sample_city, 2024-12 and
    the monthly genre, so the plan is every 街道 and the district for each month of 2024."""
    jobs = planning.plan(district="示例城区")
    units = {j.params.unit for j in jobs}
    assert units == {"", *places.towns_of("示例城区")} and len(units) == 7
    assert {j.params.period for j in jobs} == {f"2024-{m:02d}" for m in range(1, 13)}
    assert {j.params.kind for j in jobs} == {"month"}
    assert {j.params.data_dir for j in jobs} == {config.PROJ_ROOT / "data" / "sample_city"}
    assert len(jobs) == 7 * 12


def test_months_to():
    assert planning.months_to("2020-03") == ["2020-01", "2020-02", "2020-03"]


def test_changing_one_towns_data_changes_only_that_town_and_the_district(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    before = planning.data_fingerprints(data, "钟楼区")
    incidents = data / "incidents.csv"
    lines = incidents.read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], lines[1:]
    town_col = [h.strip() for h in header.split(",")].index(
        next(h for h in header.split(",") if h.strip() in ("town", "镇/街道"))
    )
    target = next(i for i, r in enumerate(rows) if r.split(",")[town_col] == "邹区镇")
    rows.pop(target)
    incidents.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    after = planning.data_fingerprints(data, "钟楼区")
    changed = {u for u in before if before[u] != after[u]}
    assert changed == {"", "邹区镇"}


def test_transient_errors_are_recognised():
    from analysis.errors import RunFailedError

    assert workers.is_transient(RuntimeError("ZMQError: Address already in use"))
    assert workers.is_transient(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not workers.is_transient(RunFailedError("第 3 个单元格出错（ValueError）"))
    assert not workers.is_transient(ValueError("bad data"))


def test_lenient_batch_plans_with_the_bad_row_dropped(tmp_path, bad_data):
    jobs = planning.plan(period="2020-02", data_dir=bad_data, strict=False)
    assert jobs and all(not j.params.strict for j in jobs)


def test_a_batch_past_the_data_is_refused_unless_allowed():
    with pytest.raises(ParameterError, match="期间“2020-12”超出数据范围"):
        planning.plan(period="2020-12")
    jobs = planning.plan(period="2020-12", allow_partial=True)
    by_month = {j.params.period: j.params for j in jobs if j.params.unit == ""}
    assert by_month["2020-10"].coverage == ()
    assert ("incidents", "2020-10-25") in by_month["2020-12"].coverage
    assert coverage_note(by_month["2020-11"]).startswith("数据覆盖不完整")


@pytest.mark.parametrize("name", ["briefing.ipynb", "monthly.ipynb"])
def test_editing_either_briefing_notebook_changes_the_fingerprint(tmp_path, monkeypatch, name):
    """An analyst's edit of the 形势分析 notebook rebuilds the monthly briefings too."""
    from analysis.inputs import fingerprint

    shutil.copytree(config.NOTEBOOKS_DIR, tmp_path / "notebooks")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", tmp_path / "notebooks")
    fingerprint.code_fingerprint.cache_clear()
    try:
        before = fingerprint.code_fingerprint()
        edited = tmp_path / "notebooks" / name
        edited.write_text(edited.read_text("utf-8").replace("brief.", "brief .", 1), "utf-8")
        fingerprint.code_fingerprint.cache_clear()
        assert fingerprint.code_fingerprint() != before
    finally:
        fingerprint.code_fingerprint.cache_clear()


def test_changed_data_are_checked_again_before_planning(tmp_path, monkeypatch):
    import analysis.run.preflight

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    planning.plan(period="2020-10", data_dir=data)
    checked = []
    real = analysis.run.preflight.check_inputs
    monkeypatch.setattr(
        analysis.run.preflight, "check_inputs", lambda p: checked.append(p) or real(p)
    )
    planning.plan(period="2020-10", data_dir=data)
    assert checked == []  # unchanged: the plan is reused
    incidents = data / "incidents.csv"
    text = incidents.read_text("utf-8")
    incidents.write_text(text.replace("物体打击事故", "物体打击事故。", 1), "utf-8")
    planning.plan(period="2020-10", data_dir=data)
    assert len(checked) == 1  # one byte changed: checked and planned afresh


def test_one_briefing_of_unchanged_inputs_is_not_checked_again(tmp_path, monkeypatch):
    """`make report` keeps its pre-flight result like a plan of one: the re-run on the
    same inputs starts its notebook without loading the data; changed data are checked."""
    import analysis.run.preflight

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    params = resolve_params(period="2020-09", unit="邹区镇", data_dir=data)
    first = planning.checked_job(params)
    assert first.params.unit == "邹区镇" and first.fingerprint == planning.current_fingerprint(
        params
    )
    checked = []
    real = analysis.run.preflight.check_inputs
    monkeypatch.setattr(
        analysis.run.preflight, "check_inputs", lambda p: checked.append(p) or real(p)
    )
    assert planning.checked_job(params) == first and checked == []
    # the batch's plan of the same parameters is another entry, not this one
    district = resolve_params(period="2020-09", data_dir=data)
    assert len(planning.plan(period="2020-09", data_dir=data)) > 1 and len(checked) == 1
    assert planning.checked_job(district).params.unit == "" and len(checked) == 2
    incidents = data / "incidents.csv"
    text = incidents.read_text("utf-8")
    incidents.write_text(text.replace("物体打击事故", "物体打击事故。", 1), "utf-8")
    assert planning.checked_job(params).fingerprint != first.fingerprint and len(checked) == 3
