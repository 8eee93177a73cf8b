"""Public functions of analysis.indicators: one area, breakdowns, panels, monthly series."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from indicator_tables import B, D, Z, cat_data, hand_made_tables, incident, ind_data, row

from analysis.errors import ParameterError
from analysis.indicators import (
    SERIES_COLUMNS,
    breakdown,
    compute_indicators,
    compute_panel,
    indicators_at,
    monthly_as_of_dates,
    monthly_series,
    monthly_series_from_panel,
    parse_as_of,
    to_display,
)
from analysis.indicators.catalogue import parse_catalogue


@pytest.fixture(scope="module")
def tables():
    return hand_made_tables()


def test_town_unit_and_district_only(tables):
    z = compute_indicators(tables, D, "2020-10", unit=Z)
    assert row(z, "accidents")["value"] == 2
    assert row(z, "accidents")["prior_value"] == 1
    lead = row(z, "leadership_meetings")
    assert math.isnan(lead["value"]) and not lead["applicable"]
    assert lead["value_text"] == "不适用"
    with pytest.raises(ParameterError):
        compute_indicators(tables, D, "2020-10", unit="不存在街道")
    with pytest.raises(ParameterError):
        compute_indicators(tables, "不存在区", "2020-10")


def test_breakdown_town_and_industry(tables):
    wide = breakdown(tables, D, "2020-10", ids=["accidents", "inspection_visits"], wide=True)
    assert wide.loc[Z, "accidents"] == 2 and wide.loc[B, "accidents"] == 1
    assert wide.loc[D, "accidents"] == 3
    long = breakdown(tables, D, "2020-10", ids=["accidents"])
    assert long.loc[long["town"] == Z, "share_pct"].iloc[0] == pytest.approx(200 / 3)
    # inspections have no industry column: taken from the roster via enterprise_id
    ind = breakdown(tables, D, "2020-10", by="industry", ids=["inspection_visits"], wide=True)
    assert ind.loc["工贸", "inspection_visits"] == 2  # E1 twice
    assert ind.loc["物流仓储", "inspection_visits"] == 1  # E3
    assert "镇（街道）" in to_display(long).columns


def test_adding_an_indicator_needs_no_code(tables):
    raw = cat_data(
        ind_data(id="accidents", filters={"category": "生产安全事故"}),
        ind_data(id="deadly", filters={"category": "生产安全事故", "deaths": {"ge": 2}}),
        ind_data(
            id="deadly_share",
            unit="%",
            measure="ratio",
            numerator="deadly",
            denominator="accidents",
            table=None,
        ),
    )
    df = compute_indicators(tables, D, "2020-10", catalogue=parse_catalogue(raw))
    assert row(df, "deadly")["value"] == 1  # I4 (2 deaths)
    assert row(df, "deadly_share")["value"] == pytest.approx(100 / 3)
    assert row(df, "deadly_share")["yoy_text"] == "同比降低16.7个百分点"  # 33.3 vs 50.0


# --------------------------------------------------------------------------- panels


def test_indicators_at_a_shared_panel_equal_compute_indicators(tables):
    panel = compute_panel(tables, D, ["2020-09", "2020-10", "2020-10-23"], areas=[Z])
    for as_of, area in (("2020-10", Z), ("2020-10-23", D), ("2020-09", Z)):
        alone = compute_indicators(tables, D, as_of, None if area == D else area)
        pd.testing.assert_frame_equal(indicators_at(panel, as_of, area), alone)
    with pytest.raises(ParameterError, match="没有"):
        indicators_at(panel, "2020-08", Z)


# --------------------------------------------------------------------------- monthly series


def _series(tables, period, ids, unit=None) -> pd.DataFrame:
    s = monthly_series(tables, D, period, ids, unit)
    assert list(s.columns) == SERIES_COLUMNS
    return s


def test_monthly_series_counts_each_month_from_the_records(tables):
    s = _series(tables, "2020-10", ["accidents"]).set_index(["year", "month"])
    # last year: all 12 months; this year: to the period
    assert len(s) == 12 + 10
    # I7 (2019-03), I5 (2019-10), I6 (2019-11); I1 (2020-01), I4 (2020-09), I2 (2020-10)
    expected = {(2019, 3): 1, (2019, 10): 1, (2019, 11): 1, (2020, 1): 1, (2020, 9): 1}
    expected[(2020, 10)] = 1
    for key, value in s["month_value"].items():
        assert value == expected.get(key, 0), key
    assert s.loc[(2019, 12), "value"] == 3 and s.loc[(2019, 10), "value"] == 2
    assert s.loc[(2020, 10), "value"] == 3
    assert s.loc[(2019, 12), "as_of"] == pd.Timestamp("2019-12-31")
    assert (s["area"] == D).all() and (s["name_zh"] == "生产安全事故起数").all()


def test_monthly_series_to_a_mid_month_date_and_for_a_town(tables):
    s = _series(tables, "2020-10-23", ["accidents", "fires"], unit=B).set_index(
        ["year", "month", "id"]
    )
    assert s.loc[(2020, 10, "accidents"), "as_of"] == pd.Timestamp("2020-10-23")
    assert s.loc[(2020, 10, "accidents"), "month_value"] == 1  # I2 on 10-05
    assert s.loc[(2020, 10, "fires"), "month_value"] == 0  # the fire is on 10-31
    assert s.loc[(2019, 3, "accidents"), "month_value"] == 1  # I7 in 北港街道
    assert s.loc[(2019, 10, "accidents"), "month_value"] == 0  # I5 is in 邹区镇
    assert (s["area"] == B).all()


def test_monthly_series_leaves_uncovered_months_empty(tables):
    s = _series(tables, "2020-10", ["outreach_participants"])
    last_year = s[s["year"] == 2019]
    assert last_year["month_value"].isna().all()  # outreach data start in 2020: not 0
    assert s.loc[(s["year"] == 2020) & (s["month"] == 3), "month_value"].item() == 40


def test_monthly_series_from_one_panel_serves_the_tables_too(tables):
    dates = sorted({*monthly_as_of_dates("2020-10"), parse_as_of("2020-10")})
    panel = compute_panel(tables, D, dates, areas=[Z])
    shared = monthly_series_from_panel(panel, "2020-10", Z, ids=["accidents"])
    pd.testing.assert_frame_equal(shared, _series(tables, "2020-10", ["accidents"], unit=Z))
    with pytest.raises(ParameterError, match="缺少"):
        monthly_series_from_panel(panel.iloc[:10], "2020-10", Z)


def test_a_kind_of_record_the_district_never_records_is_not_provided_not_zero(tables):
    """No 火警 or 道路交通事故 in the data: their indicators have no value ("—"), while the
    kinds the data do record count from zero; one 火警 record makes 火警 a counted kind."""
    ind = compute_indicators(tables, D, "2020-10")
    for i in ("fire_alarms", "road_accidents", "road_accident_deaths"):
        assert math.isnan(row(ind, i)["value"]), i
        assert row(ind, i)["value_text"] == "—"
    assert row(ind, "fires")["value"] == 1 and row(ind, "fires")["prior_value"] == 0
    alarm = incident(99, "2018-05-01", Z, category="火警")
    more = hand_made_tables()
    more["incidents"] = pd.concat([more["incidents"], pd.DataFrame([alarm])], ignore_index=True)
    more["incidents"]["date"] = pd.to_datetime(more["incidents"]["date"])
    counted = compute_indicators(more, D, "2020-10")
    assert row(counted, "fire_alarms")["value"] == 0
    assert row(counted, "fire_alarms")["value_text"] == "0起"
    assert math.isnan(row(counted, "road_accidents")["value"])


def test_an_industry_breakdown_lists_only_the_districts_own_additions(tmp_path, monkeypatch):
    """钟楼区 adds 冷链物流: its by-industry breakdown has the row (with its record), and
    another district's breakdown does not."""
    from analysis.settings import config

    own = tmp_path / "districts" / D / "reference.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("industries:\n  - 冷链物流\n", encoding="utf-8")
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    config.forget_settings()
    try:
        made = hand_made_tables()
        made["incidents"].loc[0, "industry"] = "冷链物流"  # 2020-01-15, 生产安全事故
        mine = breakdown(made, D, "2020-10", by="industry", ids=["accidents"], wide=True)
        other = breakdown(made, "示例城区", "2020-10", by="industry", ids=["accidents"], wide=True)
    finally:
        config.forget_settings()
    # the industries (shared, then the district's own), then the district's own row
    assert list(mine.index[-2:]) == ["冷链物流", D] and mine.loc["冷链物流", "accidents"] == 1
    assert "冷链物流" not in other.index
    assert list(other.index[:-1]) == list(mine.index[:-2])  # the shared industries
