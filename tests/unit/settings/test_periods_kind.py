"""Period kinds: the window of a month, quarter, half and year and its 同比 / 比前年 / 环比
bases, counted straight from the incidents file; parameters, folders, titles and batch
plans per kind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import indicators
from analysis.errors import ParameterError
from analysis.inputs.cache import load_tables_cached
from analysis.present.titles import briefing_title
from analysis.run.planning import periods_to
from analysis.settings import config
from analysis.settings.params import resolve_params

D = "钟楼区"


@pytest.fixture(scope="module")
def tables():
    return load_tables_cached(config.SAMPLE_DATA_DIR, strict=True).tables


@pytest.fixture(scope="module")
def records():
    df = pd.read_csv(config.SAMPLE_DATA_DIR / "incidents.csv", encoding="utf-8-sig")
    df["date"] = pd.to_datetime(df["date"])
    return df[df["district"] == D]


def _count(records, category: str, first: str, last: str) -> float:
    """Incidents of ``category`` dated first..last (months, inclusive), from the file."""
    months = records["date"].dt.to_period("M")
    inside = (months >= pd.Period(first, "M")) & (months <= pd.Period(last, "M"))
    return float((inside & (records["category"] == category)).sum())


@pytest.mark.parametrize(
    "kind, period, window, prior, previous",
    [
        (
            "month",
            "2020-10",
            ("2020-10", "2020-10"),
            ("2019-10", "2019-10"),
            ("2020-09", "2020-09"),
        ),
        (
            "quarter",
            "2020-09",
            ("2020-07", "2020-09"),
            ("2019-07", "2019-09"),
            ("2020-04", "2020-06"),
        ),
        ("half", "2020-06", ("2020-01", "2020-06"), ("2019-01", "2019-06"), None),
        ("year", "2019-12", ("2019-01", "2019-12"), None, None),
    ],
)
def test_windows_and_bases_of_each_kind(tables, records, kind, period, window, prior, previous):
    rows = indicators.period_indicators(tables, D, period, kind, ids=["accidents", "fires"])
    for ind, category in (("accidents", "生产安全事故"), ("fires", "火灾")):
        row = rows.set_index("id").loc[ind]
        assert row["value"] == _count(records, category, *window)
        if prior:
            assert row["prior_value"] == _count(records, category, *prior)
        else:  # the sample starts in 2019: no base, and the text says so
            assert pd.isna(row["prior_value"]) and row["yoy_text"] == "上年同期无数据"
        if previous:
            assert row["prev_value"] == _count(records, category, *previous)
            assert row["mom_text"].startswith(("环比", "上月为0", "上季度为0"))
        else:  # a half and a year have no 环比
            assert pd.isna(row["prev_value"]) and row["mom_text"] == ""
        assert row["ytd_value"] == _count(records, category, f"{period[:4]}-01", period)
        assert pd.isna(row["prior2_value"])  # two years back is before the sample


def test_a_quarters_rate_is_left_out_rather_than_wrongly_differenced(tables):
    rows = indicators.period_indicators(
        tables, D, "2020-09", "quarter", ids=["hazard_rectification_rate", "hazards_found"]
    ).set_index("id")
    assert pd.isna(rows.at["hazard_rectification_rate", "value"])  # 整改 by the as-of date
    assert rows.at["hazards_found", "value"] > 0


def test_towns_of_a_breakdown_add_up_to_the_district(tables):
    towns = indicators.period_breakdown(tables, D, "2020-10", "month", None, ids=["fires"])
    parts, total = towns[~towns["is_district"]], towns[towns["is_district"]]
    assert parts["value"].sum() == total["value"].iloc[0]
    assert parts["prior_value"].sum() == total["prior_value"].iloc[0]


@pytest.mark.parametrize(
    "kind, period, message",
    [
        ("quarter", "2020-10", "季度简报的期间应以3月、6月、9月、12月结束，实际为10月"),
        ("half", "2020-09", "半年简报的期间应以6月、12月结束"),
        ("year", "2020-06", "全年简报的期间应以12月结束"),
        ("weekly", "2020-10", "简报类型“weekly”无效"),
    ],
)
def test_a_kind_that_does_not_fit_the_period_is_refused_in_chinese(kind, period, message):
    with pytest.raises(ParameterError, match=message):
        resolve_params(period=period, kind=kind)


def test_folders_titles_and_plans_differ_by_kind():
    ytd = resolve_params(period="2020-09")
    month = resolve_params(period="2020-09", kind="month")
    quarter = resolve_params(period="2020-09", kind="quarter")
    assert ytd.kind == "ytd" and ytd.output_subdir == Path(D, "2020-09")
    assert month.output_subdir == Path(D, "2020-09-month")
    assert quarter.output_subdir == Path(D, "2020-09-quarter")
    assert briefing_title(month) == "钟楼区2020年9月安全生产形势分析"
    assert briefing_title(quarter) == "钟楼区2020年第三季度安全生产形势分析"
    assert briefing_title(ytd) == "钟楼区安全生产工作简报（截至2020年9月底）"
    assert (month.notebook.name, ytd.notebook.name) == ("monthly.ipynb", "briefing.ipynb")
    assert periods_to("2020-09", "quarter") == ["2020-03", "2020-06", "2020-09"]
    assert periods_to("2020-12", "half") == ["2020-06", "2020-12"]
    assert len(periods_to("2020-09", "month")) == 9


def test_the_batch_fingerprint_includes_the_kind():
    from analysis.run.planning import job_fingerprint

    month = resolve_params(period="2020-09", kind="month")
    ytd = resolve_params(period="2020-09")
    assert job_fingerprint(month, "code", "data") != job_fingerprint(ytd, "code", "data")
