"""Which change 本期要点 calls "变化最大".

Only an indicator the district's data measure can be named: its table was provided and it
counted something this period or last (a catalogue entry of another district, or a kind of
record the district never has, is never a point). Among those, only changes marked 变化显著
(assess.change_marks) are candidates, ranked by the change their exact 95% interval
guarantees (``evidence_strength``), so 60 → 9 is named and 1 → 2 never is, which a
percentage would not do. Money and other sums are not counts and are not ranked here.
"""

from __future__ import annotations

import pandas as pd

from analysis.assess.change_marks import SIGNIFICANT, evidence_strength

HEADLINE_IDS = ("accidents", "accident_deaths", "fires")


def measured(ind: pd.DataFrame, provided_ids) -> pd.Series:
    """Rows of indicators whose tables were provided and that counted something."""
    counted = (ind["value"].fillna(0) > 0) | (ind["prior_value"].fillna(0) > 0)
    return ind["id"].isin(list(provided_ids)) & counted & ind["applicable"].astype(bool)


def largest_change(ind: pd.DataFrame, provided_ids=None) -> str | None:
    """The measured indicator (besides the headline ones) whose 同比 change the evidence
    supports most, or None. ``provided_ids``: the indicators whose tables were provided
    (default: all of ``ind``). A change that may be noise, one never tested (money, sums)
    and one not printed as a change (a declared break, incomplete data) are never named."""
    if "yoy_signal" not in ind.columns:
        return None  # changes never tested are never headlined
    ids = ind["id"] if provided_ids is None else provided_ids
    keep = measured(ind, ids) & ~ind["id"].isin(HEADLINE_IDS)
    if "yoy_pct" in ind.columns:
        keep &= ind["yoy_pct"].notna()
    rows = ind[keep & (ind["yoy_signal"] == SIGNIFICANT)]
    strength = pd.Series([evidence_strength(r) for r in rows.to_dict("records")], rows.index)
    strength = strength.dropna()
    if strength.empty or strength.max() <= 0:
        return None
    return str(rows.loc[strength.idxmax(), "id"])
