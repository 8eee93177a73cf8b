"""Which change 本期要点 calls "变化最大".

Only an indicator the district's data measure can be named: its table was provided and it
counted something this period or last (a catalogue entry of another district, or a kind of
record the district never has, is never a point). Among those, counts are ranked by the
size of the change against its own noise, |本期 − 上年同期| / √(本期 + 上年同期) (for
counts of independent events this is the change in standard deviations), so 60 → 9 outranks
1 → 2, which a percentage would not. Money and other sums are not counts and are not
ranked here. A refined, statistically worded ranking may replace ``change_score``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.assess.reconcile import COUNT_UNITS

HEADLINE_IDS = ("accidents", "accident_deaths", "fires")


def measured(ind: pd.DataFrame, provided_ids) -> pd.Series:
    """Rows of indicators whose tables were provided and that counted something."""
    counted = (ind["value"].fillna(0) > 0) | (ind["prior_value"].fillna(0) > 0)
    return ind["id"].isin(list(provided_ids)) & counted & ind["applicable"].astype(bool)


def change_score(current: pd.Series, prior: pd.Series) -> pd.Series:
    """|current − prior| / √(current + prior): 60 → 9 scores 6.2, 1 → 2 scores 0.6."""
    total = (current + prior).where(lambda x: x > 0)
    return (current - prior).abs() / np.sqrt(total)


def largest_change(ind: pd.DataFrame, provided_ids) -> str | None:
    """The measured count indicator (besides the headline ones) whose 同比 moved most, or
    None; an indicator whose 同比 is not printed as a change (a declared break, incomplete
    data) is not a candidate."""
    rows = ind[
        measured(ind, provided_ids)
        & ind["measure"].isin(("count", "sum"))
        & ind["unit"].isin(sorted(COUNT_UNITS))
        & ind["yoy_pct"].notna()
        & ~ind["id"].isin(HEADLINE_IDS)
    ]
    if rows.empty:
        return None
    scores = change_score(rows["value"], rows["prior_value"])
    if scores.isna().all():
        return None
    return str(rows.loc[scores.idxmax(), "id"])
