"""The breakdowns a briefing appends: its indicators by town (镇/街道) and by industry."""

from __future__ import annotations

import pandas as pd

from analysis.indicators.api import breakdown
from analysis.indicators.scope import town_tables
from analysis.numbers import TextStyle
from analysis.settings.params import RunParams

TOWN_IDS = (
    "accidents",
    "accident_deaths",
    "fires",
    "hazards_found",
    "hazards_rectified",
    "major_hazards_found",
    "hazard_rectification_rate",
    "inspection_visits",
    "enforcement_cases",
    "enforcement_fines",
)
INDUSTRY_IDS = (
    "accidents",
    "fires",
    "hazards_found",
    "hazards_rectified",
    "major_hazards_found",
    "inspection_visits",
)


def unit_breakdowns(
    tables, params: RunParams, style: TextStyle
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The by-town and by-industry breakdowns of a briefing; a town's industry breakdown
    counts its own rows only."""
    district, end, unit = params.district, params.period, params.unit or None
    by_town = breakdown(tables, district, end, by="town", ids=list(TOWN_IDS), style=style)
    if unit:
        return by_town, _industry_for_town(tables, district, end, unit, style)
    by_industry = breakdown(
        tables, district, end, by="industry", ids=list(INDUSTRY_IDS), style=style
    )
    return by_town, by_industry


def _industry_for_town(tables, district, end, unit, style) -> pd.DataFrame:
    """Industry breakdown restricted to one town's rows."""
    local = town_tables(tables, unit)
    out = breakdown(local, district, end, by="industry", ids=list(INDUSTRY_IDS), style=style)
    return out.replace({"industry": {district: unit}})
