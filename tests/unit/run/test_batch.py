"""Batch briefings: planning, incremental rebuilds, warm-kernel determinism, failure reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from analysis.assess.coverage import coverage_note
from analysis.errors import ParameterError
from analysis.run import batch
from analysis.run.report import run_briefing
from analysis.settings import config
from analysis.settings.params import resolve_params


def test_plan_covers_every_unit_and_month():
    jobs = batch.plan(period="2020-10")
    units = {j.params.unit for j in jobs}
    assert units == {"", *config.towns_of("钟楼区")}
    assert len(jobs) == len(units) * 10
    assert {j.params.period for j in jobs} == {f"2020-{m:02d}" for m in range(1, 11)}
    assert len({j.fingerprint for j in jobs}) == len(jobs)


def test_plan_of_the_second_sample_takes_its_folder_period_and_kind_from_its_settings():
    """make reports DISTRICT=示例城区: its district.yaml names data/sample_city, 2024-12 and
    the monthly genre, so the plan is every 街道 and the district for each month of 2024."""
    jobs = batch.plan(district="示例城区")
    units = {j.params.unit for j in jobs}
    assert units == {"", *config.towns_of("示例城区")} and len(units) == 7
    assert {j.params.period for j in jobs} == {f"2024-{m:02d}" for m in range(1, 13)}
    assert {j.params.kind for j in jobs} == {"month"}
    assert {j.params.data_dir for j in jobs} == {config.PROJ_ROOT / "data" / "sample_city"}
    assert len(jobs) == 7 * 12


def test_second_sample_batch_builds_monthly_briefings_of_its_own(tmp_path):
    jobs = [j for j in batch.plan(district="示例城区") if j.params.period == "2024-05"]
    jobs = [j for j in jobs if j.params.unit in ("", config.towns_of("示例城区")[0])]
    summary = batch.run_batch(jobs, out_root=tmp_path, workers=2, progress=False)
    assert [o.status for o in summary.outcomes] == ["built"] * 2, batch.describe(summary)
    html = (tmp_path / "示例城区" / "2024-05-month" / "briefing.html").read_text("utf-8")
    assert "示例城区" in html and "5月" in html and "钟楼" not in html
    assert "合成" in html  # synthetic data says so in every output


def test_months_to():
    assert batch.months_to("2020-03") == ["2020-01", "2020-02", "2020-03"]


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory):
    out_root = tmp_path_factory.mktemp("batch")
    jobs = [j for j in batch.plan(period="2020-10") if j.params.period in ("2020-09", "2020-10")]
    jobs = [j for j in jobs if j.params.unit in ("", "邹区镇")]
    first = batch.run_batch(jobs, out_root=out_root, workers=2, progress=False)
    return out_root, jobs, first


def test_batch_builds_then_finds_everything_up_to_date(small_batch):
    out_root, jobs, first = small_batch
    assert [o.status for o in first.outcomes] == ["built"] * 4, batch.describe(first)
    second = batch.run_batch(jobs, out_root=out_root, workers=2, progress=False)
    assert [o.status for o in second.outcomes] == ["up-to-date"] * 4
    assert "所有简报均为最新，无需重建" in batch.describe(second)


def test_warm_kernel_output_equals_a_fresh_single_run(small_batch, tmp_path):
    out_root, jobs, _ = small_batch
    params = jobs[0].params
    single = run_briefing(params, out_root=tmp_path)
    batched = out_root / params.output_subdir / "briefing.html"
    assert batched.read_bytes() == single.read_bytes()


def test_changing_one_towns_data_changes_only_that_town_and_the_district(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    before = batch.data_fingerprints(data, "钟楼区")
    incidents = data / "incidents.csv"
    lines = incidents.read_text(encoding="utf-8-sig").splitlines()
    header, rows = lines[0], lines[1:]
    town_col = [h.strip() for h in header.split(",")].index(
        next(h for h in header.split(",") if h.strip() in ("town", "镇/街道"))
    )
    target = next(i for i, r in enumerate(rows) if r.split(",")[town_col] == "邹区镇")
    rows.pop(target)
    incidents.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    after = batch.data_fingerprints(data, "钟楼区")
    changed = {u for u in before if before[u] != after[u]}
    assert changed == {"", "邹区镇"}


def test_a_real_failure_is_reported_not_retried(tmp_path):
    good = resolve_params()
    bad = good.__class__(**{**good.__dict__, "period": "2020-13"})
    try:
        outcome = batch._run_job(bad, str(tmp_path))
    finally:
        batch._stop_worker_kernel()
    assert outcome.status == "failed"
    assert outcome.attempts == 1
    assert "格式不正确" in outcome.reason
    assert outcome.failed_notebook.endswith("briefing.failed.ipynb")


def test_transient_errors_are_recognised():
    from analysis.errors import RunFailedError

    assert batch.is_transient(RuntimeError("ZMQError: Address already in use"))
    assert batch.is_transient(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not batch.is_transient(RunFailedError("第 3 个单元格出错（ValueError）"))
    assert not batch.is_transient(ValueError("bad data"))


def test_a_transient_failure_is_retried_on_a_fresh_kernel(monkeypatch, tmp_path):
    import analysis.run.report

    calls = []
    real = analysis.run.report.run_briefing

    def flaky(params, out_root, kernel=None, **kw):
        calls.append(kernel)
        if len(calls) == 1:
            raise RuntimeError("ZMQError: Address already in use (tcp://127.0.0.1:5555)")
        return real(params, out_root=out_root, kernel=kernel, **kw)

    monkeypatch.setattr(analysis.run.report, "run_briefing", flaky)
    try:
        outcome = batch._run_job(resolve_params(period="2020-03", unit="北港街道"), str(tmp_path))
    finally:
        batch._stop_worker_kernel()
    assert outcome.status == "built" and outcome.attempts == 2
    assert calls[0] is not calls[1], "the retry must use a new kernel"


def test_a_town_briefing_does_not_depend_on_other_towns_rows(tmp_path):
    """What makes skipping the other towns' rebuilds safe: removing another town's rows
    leaves a town's briefing byte-identical."""
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    params = resolve_params(data_dir=data, unit="北港街道")
    before = run_briefing(params, out_root=tmp_path / "a").read_bytes()
    for name in ("incidents.csv", "hazards.csv", "cases.csv"):
        path = data / name
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        town = lines[0].split(",").index("town")
        kept = [lines[0]] + [r for r in lines[1:] if r.split(",")[town] != "邹区镇"]
        assert len(kept) < len(lines)
        path.write_text("\n".join(kept) + "\n", encoding="utf-8-sig")
    assert run_briefing(params, out_root=tmp_path / "b").read_bytes() == before
    district = resolve_params(data_dir=data)
    assert "分镇（街道）情况" in run_briefing(district, out_root=tmp_path / "c").read_text("utf-8")
    assert "分镇（街道）情况" not in before.decode("utf-8")


def _data_with_bad_row(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    path = data / "incidents.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",2019-01-06,", ",2019-13-06,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return data


def test_strict_batch_on_bad_data_stops_before_building_with_one_report(tmp_path):
    data = _data_with_bad_row(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "reports", "--out", str(tmp_path / "out")],
        env=env | {"BRIEFING_DATA_DIR": str(data), "BRIEFING_LENIENT": "0"},
        capture_output=True,
        text=True,
        cwd=config.PROJ_ROOT,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr.count("文件 incidents.csv，第 4 行，列“date”") == 1
    assert "失败" not in result.stdout + result.stderr  # no job was tried
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


def test_lenient_batch_plans_with_the_bad_row_dropped(tmp_path):
    jobs = batch.plan(period="2020-02", data_dir=_data_with_bad_row(tmp_path), strict=False)
    assert jobs and all(not j.params.strict for j in jobs)


def test_a_batch_past_the_data_is_refused_unless_allowed():
    with pytest.raises(ParameterError, match="期间“2020-12”超出数据范围"):
        batch.plan(period="2020-12")
    jobs = batch.plan(period="2020-12", allow_partial=True)
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


def test_a_plan_of_unchanged_inputs_is_reused_without_loading_the_data(monkeypatch):
    """The no-op re-run: the same parameters, data, code and config give the same plan, read
    back without checking the data again (a fresh process does not even import pandas)."""
    first = batch.plan(period="2020-10")
    import analysis.run.preflight

    def must_not_run(params):
        raise AssertionError("the data were checked again")

    monkeypatch.setattr(analysis.run.preflight, "check_inputs", must_not_run)
    assert batch.plan(period="2020-10") == first
    code = (
        "import sys; from analysis.run import batch; jobs = batch.plan(period='2020-10'); "
        "print(len(jobs), 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(first)), "False"]


def test_changed_data_are_checked_again_before_planning(tmp_path, monkeypatch):
    import analysis.run.preflight

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    batch.plan(period="2020-10", data_dir=data)
    checked = []
    real = analysis.run.preflight.check_inputs
    monkeypatch.setattr(
        analysis.run.preflight, "check_inputs", lambda p: checked.append(p) or real(p)
    )
    batch.plan(period="2020-10", data_dir=data)
    assert checked == []  # unchanged: the plan is reused
    incidents = data / "incidents.csv"
    text = incidents.read_text("utf-8")
    incidents.write_text(text.replace("物体打击事故", "物体打击事故。", 1), "utf-8")
    batch.plan(period="2020-10", data_dir=data)
    assert len(checked) == 1  # one byte changed: checked and planned afresh


def test_one_briefing_of_unchanged_inputs_is_not_checked_again(tmp_path, monkeypatch):
    """`make report` keeps its pre-flight result like a plan of one: the re-run on the
    same inputs starts its notebook without loading the data; changed data are checked."""
    import analysis.run.preflight

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    params = resolve_params(period="2020-09", unit="邹区镇", data_dir=data)
    first = batch.checked_job(params)
    assert first.params.unit == "邹区镇" and first.fingerprint == batch.current_fingerprint(params)
    checked = []
    real = analysis.run.preflight.check_inputs
    monkeypatch.setattr(
        analysis.run.preflight, "check_inputs", lambda p: checked.append(p) or real(p)
    )
    assert batch.checked_job(params) == first and checked == []
    # the batch's plan of the same parameters is another entry, not this one
    district = resolve_params(period="2020-09", data_dir=data)
    assert len(batch.plan(period="2020-09", data_dir=data)) > 1 and len(checked) == 1
    assert batch.checked_job(district).params.unit == "" and len(checked) == 2
    incidents = data / "incidents.csv"
    text = incidents.read_text("utf-8")
    incidents.write_text(text.replace("物体打击事故", "物体打击事故。", 1), "utf-8")
    assert batch.checked_job(params).fingerprint != first.fingerprint and len(checked) == 3
