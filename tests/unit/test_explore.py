"""Exploration helpers (analysis.explore) agree with the indicator engine and the records."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import explore
from analysis.errors import ParameterError
from analysis.indicators import breakdown, compute_indicators, monthly_series
from analysis.inputs import load_tables
from analysis.settings import config, places

D = "钟楼区"
TOWN = places.towns_of(D)[0]  # 邹区镇


@pytest.fixture(scope="module")
def tables():
    return load_tables(config.SAMPLE_DATA_DIR).tables


def test_monthly_series_adds_up_to_the_year_to_date_figure(tables):
    ids = ["hazards_found", "accidents"]
    s = explore.monthly_series(tables, D, "2020-10", ids, area=TOWN)
    assert list(s.columns) == explore.SERIES_COLUMNS
    assert set(s["area"]) == {TOWN}
    assert s["month"].iloc[0] == "2019-01" and s["month"].iloc[-1] == "2020-10"
    assert len(s) == 22 * len(ids)
    now = compute_indicators(tables, D, "2020-10", TOWN).set_index("id")["value"]
    for ind in ids:
        this_year = s[(s["id"] == ind) & (s["year"] == 2020)]
        assert this_year["month_value"].sum() == pytest.approx(now[ind])
        assert this_year["value"].iloc[-1] == pytest.approx(now[ind])
        # last year's months are the prior values of this year's months
        prior = s[(s["id"] == ind) & (s["year"] == 2019)].set_index("month_no")["month_value"]
        cur = this_year.set_index("month_no")["month_prior_value"]
        assert cur.to_dict() == pytest.approx(prior.loc[cur.index].to_dict())


def test_monthly_series_for_the_district_and_from_a_start_month(tables):
    s = explore.monthly_series(tables, D, "2020-10-23", "accidents", start="2020-07")
    assert list(s["month"]) == ["2020-07", "2020-08", "2020-09", "2020-10"]
    assert s["as_of"].iloc[-1] == pd.Timestamp("2020-10-23")
    assert set(s["area"]) == {D}
    with pytest.raises(ParameterError, match="晚于"):
        explore.monthly_series(tables, D, "2020-10", "accidents", start="2021-01")


def test_cumulative_chart_frame_leaves_rates_out(tables):
    s = explore.monthly_series(
        tables, D, "2020-10", ["hazards_found", "hazard_rectification_rate"], start="2020-01"
    )
    frame = explore.cumulative_chart_frame(s)
    assert list(frame.columns) == ["metric", "month", "year", "value"]
    assert set(frame["metric"]) == {"排查发现隐患数"}
    assert frame["month"].tolist() == list(range(1, 11))


def test_records_are_the_rows_behind_an_indicator(tables):
    ind = compute_indicators(tables, D, "2020-10", TOWN).set_index("id")["value"]
    rows = explore.records(
        tables, "incidents", district=D, town=TOWN, start="2020-01-01", end="2020-10"
    )
    assert "事故编号" in rows.columns and "发生日期" in rows.columns
    assert (rows["类别"] == "生产安全事故").sum() == ind["accidents"]
    assert rows["发生日期"].is_monotonic_increasing
    logistics = explore.records(tables, "incidents", industry="物流仓储", chinese_headers=False)
    assert set(logistics["industry"]) == {"物流仓储"}


def test_records_take_the_industry_from_the_roster(tables):
    rows = explore.records(tables, "inspections", industry="危险化学品", chinese_headers=False)
    roster = tables["enterprises"].set_index("enterprise_id")["industry"]
    assert len(rows) > 0
    assert set(rows["enterprise_id"].map(roster)) == {"危险化学品"}


def test_records_explain_bad_requests_in_chinese(tables):
    with pytest.raises(ParameterError, match="没有数据表"):
        explore.records(tables, "accidents")
    with pytest.raises(ParameterError, match="未知的行业领域"):
        explore.records(tables, "incidents", industry="矿山")
    with pytest.raises(ParameterError, match="没有日期列"):
        explore.records(tables, "enterprises", start="2020-01-01")
    with pytest.raises(ParameterError, match="没有镇/街道列"):
        explore.records(tables, "media", town=TOWN)


def test_indicator_table_matches_the_breakdown(tables):
    ids = ["accidents", "hazard_rectification_rate", "media_reports"]
    table = explore.indicator_table(tables, D, "2020-10", ids)
    assert table.index.name == "镇（街道）"
    assert list(table.index) == [*places.towns_of(D), D]
    assert list(table.columns) == [
        "生产安全事故起数（起）",
        "隐患整改率（%）",
        "媒体报道总次数（次）",
    ]
    long = breakdown(tables, D, "2020-10", ids=ids)
    acc = long[long["id"] == "accidents"].set_index("town")["value"]
    assert table["生产安全事故起数（起）"].astype(float).to_dict() == acc.to_dict()
    assert table["隐患整改率（%）"].loc[TOWN] == round(
        long[(long["id"] == "hazard_rectification_rate") & (long["town"] == TOWN)]["value"].iloc[0],
        1,
    )
    media = table["媒体报道总次数（次）"]
    assert media.loc[TOWN] is pd.NA and media.loc[D] > 0  # district-only indicator


def test_indicator_table_by_industry_and_bar_frame(tables):
    table = explore.indicator_table(tables, D, "2020-10", ["accidents"], by="industry")
    assert table.index.name == "行业领域"
    long = breakdown(tables, D, "2020-10", by="industry", ids=["accidents"])
    bars = explore.bar_frame(long, "accidents")
    assert list(bars.columns) == ["town", "value", "prior"]
    assert D not in set(bars["town"])
    assert bars["value"].sum() == table.loc[D].iloc[0]
    with pytest.raises(ParameterError):
        explore.bar_frame(long, "fires")


def test_catalogue_frame_finds_indicators_by_keyword():
    every = explore.catalogue_frame()
    assert "指标编号" in every.columns and len(every) > 50
    hazards = explore.catalogue_frame("隐患")
    assert "hazards_found" in set(hazards["指标编号"])
    assert "accidents" not in set(hazards["指标编号"])
    assert hazards["指标"].str.contains("隐患").all()
    assert set(explore.catalogue_frame("FIRE")["指标编号"]) >= {"fires", "fire_deaths"}


def test_explore_series_agrees_with_the_briefing_monthly_series(tables):
    """The same months computed directly (explore) and from last year's 上年同月 /
    上年同期 values of this year's month ends (indicators.monthly_series)."""
    ids = ["hazards_found", "accidents", "fires"]
    direct = explore.monthly_series(tables, D, "2020-10", ids, area=TOWN)
    shared = monthly_series(tables, D, "2020-10", ids, TOWN)
    keys = ["year", "month_no", "id"]
    both = direct.merge(shared.rename(columns={"month": "month_no"}), on=keys, how="left")
    assert len(both) == len(direct) == 22 * len(ids)
    assert both["month_value_x"].tolist() == pytest.approx(both["month_value_y"].tolist())
    assert both["value_x"].tolist() == pytest.approx(both["value_y"].tolist())
    late_2019 = shared[(shared["year"] == 2019) & (shared["month"] > 10)]
    assert len(late_2019) == 2 * len(ids) and late_2019["month_value"].notna().all()


def test_records_accept_a_districts_own_industry_for_that_district_only(
    tables, tmp_path, monkeypatch
):
    own = tmp_path / "districts" / "钟楼区" / "reference.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("industries:\n  - 冷链物流\n", encoding="utf-8")
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    config.forget_settings()
    try:
        assert explore.records(tables, "incidents", district="钟楼区", industry="冷链物流").empty
        assert explore.records(tables, "incidents", industry="冷链物流").empty  # any district
        with pytest.raises(ParameterError, match="只适用于钟楼区") as err:
            explore.records(tables, "incidents", district="示例城区", industry="冷链物流")
    finally:
        config.forget_settings()
    assert "示例城区可用：工贸" in str(err.value) and "冷链物流、" not in str(err.value)
