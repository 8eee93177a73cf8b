"""Batch briefings built by real runs: planning, incremental rebuilds, failure reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from analysis import folder
from analysis.run import batch, planning, workers
from analysis.run.report import run_briefing
from analysis.settings import config, places
from analysis.settings.params import resolve_params


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory):
    out_root = tmp_path_factory.mktemp("batch")
    jobs = [j for j in planning.plan(period="2020-10") if j.params.period in ("2020-09", "2020-10")]
    jobs = [j for j in jobs if j.params.unit in ("", "邹区镇")]
    first = batch.run_batch(jobs, out_root=out_root, workers=2, progress=False)
    return out_root, jobs, first


def test_second_sample_batch_builds_monthly_briefings_of_its_own(tmp_path):
    jobs = [j for j in planning.plan(district="示例城区") if j.params.period == "2024-05"]
    jobs = [j for j in jobs if j.params.unit in ("", places.towns_of("示例城区")[0])]
    summary = batch.run_batch(jobs, out_root=tmp_path, workers=2, progress=False)
    assert [o.status for o in summary.outcomes] == ["built"] * 2, batch.describe(summary)
    html = (tmp_path / "示例城区" / "2024-05-month" / "briefing.html").read_text("utf-8")
    assert "示例城区" in html and "5月" in html and "钟楼" not in html
    assert "合成" in html  # synthetic data says so in every output


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
    analyst = run_briefing(district, out_root=tmp_path / "c").parent / folder.ANALYST_HTML
    assert "分镇（街道）情况" in analyst.read_text("utf-8")  # the appendix of the analyst edition
    town_analyst = tmp_path / "a" / params.output_subdir / folder.ANALYST_HTML
    assert "分镇（街道）情况" not in town_analyst.read_text("utf-8")


def test_a_real_failure_is_reported_not_retried(tmp_path):
    good = resolve_params()
    bad = good.__class__(**{**good.__dict__, "period": "2020-13"})
    try:
        outcome = workers.run_job(bad, str(tmp_path))
    finally:
        workers._stop_worker_kernel()
    assert outcome.status == "failed"
    assert outcome.attempts == 1
    assert "格式不正确" in outcome.reason
    assert outcome.failed_notebook.endswith("briefing.failed.ipynb")


def test_strict_batch_on_bad_data_stops_before_building_with_one_report(tmp_path, bad_data):
    data = bad_data
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
        outcome = workers.run_job(resolve_params(period="2020-03", unit="北港街道"), str(tmp_path))
    finally:
        workers._stop_worker_kernel()
    assert outcome.status == "built" and outcome.attempts == 2
    assert calls[0] is not calls[1], "the retry must use a new kernel"


def test_a_plan_of_unchanged_inputs_is_reused_without_loading_the_data(monkeypatch):
    """The no-op re-run: the same parameters, data, code and config give the same plan, read
    back without checking the data again (a fresh process does not even import pandas)."""
    first = planning.plan(period="2020-10")
    import analysis.run.preflight

    def must_not_run(params):
        raise AssertionError("the data were checked again")

    monkeypatch.setattr(analysis.run.preflight, "check_inputs", must_not_run)
    assert planning.plan(period="2020-10") == first
    code = (
        "import sys; from analysis.run import planning; jobs = planning.plan(period='2020-10'); "
        "print(len(jobs), 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(first)), "False"]


def test_warm_kernel_output_equals_a_fresh_single_run(small_batch, tmp_path):
    out_root, jobs, _ = small_batch
    params = jobs[0].params
    single = run_briefing(params, out_root=tmp_path)
    batched = out_root / params.output_subdir / "briefing.html"
    assert batched.read_bytes() == single.read_bytes()


def test_batch_builds_then_finds_everything_up_to_date(small_batch):
    out_root, jobs, first = small_batch
    assert [o.status for o in first.outcomes] == ["built"] * 4, batch.describe(first)
    second = batch.run_batch(jobs, out_root=out_root, workers=2, progress=False)
    assert [o.status for o in second.outcomes] == ["up-to-date"] * 4
    assert "所有简报均为最新，无需重建" in batch.describe(second)
