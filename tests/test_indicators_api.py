"""Public functions of analysis.indicators: one area, breakdowns, panels, monthly series."""

from __future__ import annotations

import math

import pytest
from indicator_tables import B, D, Z, cat_data, hand_made_tables, ind_data, row

from analysis.catalogue import parse_catalogue
from analysis.errors import ParameterError
from analysis.indicators import breakdown, compute_indicators, to_display


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
