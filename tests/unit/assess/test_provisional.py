"""Casualty figures that include accidents of the last 30 (7) days are provisional."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.assess.provisional import PROVISIONAL_DAYS, provisional_ids
from analysis.inputs.cache import load_tables_cached
from analysis.settings import config, places


@pytest.fixture(scope="module")
def tables():
    return load_tables_cached(config.SAMPLE_DATA_DIR, strict=True).tables


def _casualties_since(tables, end, days, category="生产安全事故", column="deaths"):
    inc = tables["incidents"]
    dates = pd.to_datetime(inc["date"])
    window = (dates > pd.Timestamp(end) - pd.Timedelta(days=days)) & (dates <= pd.Timestamp(end))
    return inc.loc[window & (inc["category"] == category), column].sum()


@pytest.mark.parametrize("end", ["2020-10-31", "2020-05-31", "2020-08-15", "2019-12-31"])
def test_deaths_are_provisional_exactly_when_the_last_30_days_had_some(tables, end):
    recent = _casualties_since(tables, end, PROVISIONAL_DAYS["accident_deaths"])
    marked = "accident_deaths" in provisional_ids(tables, "钟楼区", end)
    assert marked == (recent > 0)


def test_fires_look_back_seven_days_only(tables):
    assert PROVISIONAL_DAYS["fire_casualties"] == 7
    ids = provisional_ids(tables, "钟楼区", "2020-10-31")
    assert "fire_casualties" not in ids  # no fire casualties at all in 2020


def test_a_town_is_judged_on_its_own_accidents(tables):
    for town in places.towns_of("钟楼区"):
        inc = tables["incidents"]
        own = {"incidents": inc[inc["town"] == town]}
        recent = _casualties_since(own, "2020-10-31", 30)
        marked = "accident_deaths" in provisional_ids(tables, "钟楼区", "2020-10-31", town)
        assert marked == (recent > 0), town


def test_only_indicators_the_briefing_shows_are_checked(tables):
    ind = pd.DataFrame({"id": ["accidents"]})
    assert provisional_ids(tables, "钟楼区", "2020-10-31", ind=ind) == []
