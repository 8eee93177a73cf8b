"""Provisional casualty figures (初步): by the reporting rules the casualties of an accident
can still change for 30 days after it (7 days for road traffic accidents and fires), so a
casualty figure that includes such recent accidents is marked.

The test uses the engine's own figures: an indicator is provisional when its year-to-date
value at the as-of date is larger than at the start of its window (the window reaching
back into last year counts all of this year's value).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import indicators
from analysis.periods import parse_as_of

# casualty indicator → days after the accident during which its casualties may change
PROVISIONAL_DAYS: Mapping[str, int] = {
    "accident_deaths": 30,
    "accident_injuries": 30,
    "fire_deaths": 7,
    "fire_casualties": 7,
    "road_accident_deaths": 7,
}


def provisional_ids(
    tables, district: str, period_end, unit=None, ind: pd.DataFrame | None = None
) -> list[str]:
    """The casualty indicators whose figure includes casualties of the last 30 (or 7) days."""
    end = parse_as_of(period_end)
    known = set(ind["id"]) if ind is not None else set(PROVISIONAL_DAYS)
    wanted = {i: d for i, d in PROVISIONAL_DAYS.items() if i in known}
    if not wanted:
        return []
    starts = {d: end - pd.Timedelta(days=d) for d in set(wanted.values())}
    dates = [end, *(s for s in starts.values() if s.year == end.year)]
    panel = indicators.compute_panel(
        tables, district, dates, areas=[unit] if unit else [], ids=list(wanted), texts=False
    )
    rows = panel.loc[panel["area"] == (unit or district)]
    value = rows.pivot_table(index="id", columns="as_of", values="value", aggfunc="first")
    out = []
    for ind_id, days in wanted.items():
        if ind_id not in value.index:
            continue
        now = value.at[ind_id, end]
        start = starts[days]
        before = value.at[ind_id, start] if start.year == end.year else 0.0
        if pd.notna(now) and now > (before if pd.notna(before) else 0.0):
            out.append(ind_id)
    return out
