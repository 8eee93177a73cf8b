"""Comparisons a briefing must not print as a percentage, applied to the indicator frames
so that every output (sentences, tables, indicators.csv, 本期要点) says the same thing:

- a declared comparability break ("口径变化，无法同比", the ``comparability`` column of the
  period's published figures, in the district's own words);
- a comparison window a table does not cover (``assess.table_coverage``):
  "数据不完整，无法同比".

A marked comparison keeps no number: its percentage columns become NaN, so nothing ranks or
colours it, and its text column carries the words.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.compare import COMPARISONS

# comparison → (text columns, number columns), of the year-to-date frame (whose 同比 is the
# year to date's and whose month columns are the period's) and of a period's frame.
# "同比" is the period's window, "累计同比" the year to date's (assess.table_coverage).
YTD_FRAME_COLUMNS = {
    "累计同比": (("yoy_text",), ("yoy_pct", "yoy_pp")),
    "累计比前年": (("yoy2_text",), ("yoy2_pct",)),
    "同比": (("month_yoy_text",), ("month_yoy_pct",)),
    "比前年": ((), ()),
    "环比": (("mom_text",), ("mom_pct", "mom_pp")),
}
PERIOD_FRAME_COLUMNS = {
    "同比": (("yoy_text",), ()),
    "比前年": (("yoy2_text",), ()),
    "环比": (("mom_text",), ()),
    "累计同比": (("ytd_yoy_text",), ()),
    "累计比前年": ((), ()),
}
INCOMPLETE = {
    "同比": "数据不完整，无法同比",
    "比前年": "数据不完整，无法与前年同期比较",
    "环比": "数据不完整，无法环比",
}

Marks = dict[str, dict[str, str]]  # indicator id → {comparison: words}


def declared_breaks(published: pd.DataFrame | None, district: str, period: str) -> Marks:
    """Breaks declared by the district's published figures of the period's month."""
    if published is None or published.empty or "comparability" not in published.columns:
        return {}
    as_of = pd.to_datetime(published["as_of"]).dt.to_period("M")
    rows = published[
        (published["district"] == district)
        & (as_of == pd.Period(period, freq="M"))
        & published["comparability"].notna()
        & (published["comparability"].astype(str).str.strip() != "")
    ]
    marks: Marks = {}
    for row in rows.itertuples(index=False):
        basis = getattr(row, "basis", None)
        basis = basis if isinstance(basis, str) and basis in COMPARISONS else "同比"
        words = str(row.comparability).strip()
        # a change of definition breaks the comparison of every window, 累计 included
        keys = (basis,) if basis == "环比" else (basis, f"累计{basis}")
        marks.setdefault(str(row.indicator_id), {}).update(dict.fromkeys(keys, words))
    return marks


def incomplete_marks(sources: Mapping[str, set[str]], comparisons: Mapping[str, dict]) -> Marks:
    """Each indicator computed from a table whose comparison window is not covered."""
    marks: Marks = {}
    for ind, tables in sources.items():
        for table in sorted(tables):
            for label in comparisons.get(table, {}):
                marks.setdefault(ind, {})[label] = INCOMPLETE[label.removeprefix("累计")]
    return marks


def merge(*all_marks: Marks) -> Marks:
    """Later marks win (a declared break over an incomplete window)."""
    out: Marks = {}
    for marks in all_marks:
        for ind, by_label in marks.items():
            out.setdefault(ind, {}).update(by_label)
    return out


def apply_marks(frame: pd.DataFrame, marks: Marks) -> pd.DataFrame:
    """``frame`` (one row per indicator and area, column ``id``) with each marked
    comparison's text replaced by its words and its numbers cleared."""
    if not marks or frame.empty:
        return frame
    columns = YTD_FRAME_COLUMNS if "month_value" in frame.columns else PERIOD_FRAME_COLUMNS
    out = frame.copy()
    for ind, by_label in marks.items():
        rows = (out["id"] == ind).to_numpy()
        if not rows.any():
            continue
        for label, words in by_label.items():
            texts, numbers = columns[label]
            for column in texts:
                if column in out.columns:
                    out.loc[rows, column] = words
            for column in numbers:
                if column in out.columns:
                    out.loc[rows, column] = np.nan
    return out
