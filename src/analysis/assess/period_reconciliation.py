"""The check of a briefing's figures against the figures published in its period's month."""

from __future__ import annotations

import pandas as pd

from analysis.assess import reconcile
from analysis.settings.params import RunParams


def reconcile_period(tables, params: RunParams, ind: pd.DataFrame) -> pd.DataFrame:
    """Published figures of this district whose as-of date falls in the period's month."""
    published = tables.get("published_figures")
    if params.unit or published is None or published.empty:
        return pd.DataFrame(columns=["figure_id"])
    as_of = pd.to_datetime(published["as_of"])
    in_month = as_of.dt.to_period("M") == pd.Period(params.period, freq="M")
    mine = published[in_month & (published["district"] == params.district)]
    if mine.empty:
        return pd.DataFrame(columns=["figure_id"])
    return reconcile.reconcile(tables, mine, district=params.district, computed=ind)
