"""Figures of a month, quarter, half or whole year (the period kinds of a briefing) with
their comparisons: 同比 (the same period last year), 比前年 (two years back) and 环比 (the
previous month or quarter), from one ``compute_panel`` call.

- month: the engine's own month windows (本月, 上年同月, 上月; two years back is the month
  window of the date a year earlier), exact for every measure.
- quarter, half: year-to-date values differenced at the period's bounds, so counts and sums
  (and ratios and differences of them) are exact; a distinct count, a campaign item or a
  count conditioned on the as-of date (整改 by then) has no such window and is left out (NaN).
- year: the year-to-date value at December, with 上年 and 前年 the engine's.
Snapshots (rosters) are not period figures and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.compare import BASE_NAMES, format_change, format_value, verbs_for
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.model import Catalogue
from analysis.numbers import TextStyle
from analysis.periods import parse_as_of, shift_months

KIND_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
# comparison → (base column, label, kinds that have it)
COMPARISONS = {
    "同比": ("prior_value", "同比", ("month", "quarter", "half", "year")),
    "比前年": ("prior2_value", "比前年", ("month", "quarter", "half", "year")),
    "环比": ("prev_value", "环比", ("month", "quarter")),
}
PERIOD_COLUMNS = [
    "id",
    "name_zh",
    "unit",
    "group",
    "direction",
    "decimals",
    "value",
    "prior_value",
    "prior2_value",
    "prev_value",
    "ytd_value",
    "ytd_prior_value",
    "value_text",
    "ytd_text",
    "ytd_yoy_text",
    "yoy_text",
    "yoy2_text",
    "mom_text",
]


def period_indicators(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    kind: str,
    unit: str | None = None,
    catalogue: Catalogue | None = None,
    *,
    ids: Sequence[str] | None = None,
    style: TextStyle | None = None,
) -> pd.DataFrame:
    """One row per indicator (snapshots left out) for the period of ``kind`` ending at
    ``period_end`` of the district (``unit=None``) or one town: its value, the bases of
    同比 / 比前年 / 环比 (NaN where a kind has none), the year-to-date value (累计) and
    their texts under ``style``. Columns PERIOD_COLUMNS."""
    out = period_breakdown(
        tables, district, period_end, kind, [unit] if unit else [], catalogue, ids=ids, style=style
    )
    return out.loc[out["area"] == (unit or district), PERIOD_COLUMNS].reset_index(drop=True)


def period_breakdown(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    kind: str,
    areas: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
    *,
    by: str = "town",
    ids: Sequence[str] | None = None,
    style: TextStyle | None = None,
) -> pd.DataFrame:
    """``period_indicators`` for every area (``areas``: as ``compute_panel``; the
    district's rows have ``area == district``), columns ``area``, ``is_district`` and
    PERIOD_COLUMNS, from one panel computation."""
    from analysis.indicators.api import _with_inputs, compute_panel

    catalogue = catalogue or load_catalogue(district=district)
    span = KIND_MONTHS[kind]
    end = parse_as_of(period_end)
    dates = sorted({shift_months(end, k) for k in _offsets(span)})
    needed = None if ids is None else sorted(_with_inputs(catalogue, ids))
    panel = compute_panel(tables, district, dates, areas, catalogue, by=by, ids=needed, texts=False)
    panel = panel.loc[panel["period"] != "snapshot"]
    parts = []
    for area, rows in panel.groupby("area", sort=False):
        part = _one_area(rows, catalogue, end, kind, span)
        part.insert(0, "area", area)
        part.insert(1, "is_district", area == district)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    if ids is not None:
        out = out.loc[out["id"].isin(list(ids))]
    _add_texts(out, kind, style or TextStyle())
    return out.reset_index(drop=True)


def _one_area(panel: pd.DataFrame, catalogue: Catalogue, end, kind: str, span: int):
    ytd = panel.pivot(index="id", columns="as_of", values="value")
    at_end = panel.loc[panel["as_of"] == end].set_index("id")
    out = at_end[["name_zh", "unit", "group", "direction", "decimals"]].copy()
    out["ytd_value"] = at_end["value"]
    out["ytd_prior_value"] = at_end["prior_value"]  # 累计 a year back, for 累计's own 同比
    if kind == "month":
        year_ago = panel.loc[panel["as_of"] == shift_months(end, 12)].set_index("id")
        out["value"] = at_end["month_value"]
        out["prior_value"] = at_end["month_prior_value"]
        out["prior2_value"] = year_ago["month_prior_value"].reindex(out.index)
        out["prev_value"] = at_end["prev_month_value"]
    else:
        windows = _windowed(ytd, catalogue, out.index, span)
        for column, back in (("value", 0), ("prior_value", 12), ("prior2_value", 24)):
            out[column] = windows[shift_months(end, back)]
        out["prev_value"] = windows[shift_months(end, span)] if span == 3 else np.nan
    return out.reset_index()


def _offsets(span: int) -> set[int]:
    """Months back from the period's end whose values the windows need (a month: the
    engine's month windows at the end and a year before)."""
    if span == 1:
        return {0, 12}
    return {back + extra for back in (0, 12, 24, span) for extra in (0, span)}


def _windowed(ytd: pd.DataFrame, catalogue: Catalogue, ids, span: int) -> dict:
    """as_of → Series (by id) of the value over the ``span`` months ending at as_of, for
    the window ends among ``ytd``'s columns that have their start in ``ytd`` too."""
    out = {}
    for t in ytd.columns:
        start = shift_months(t, span)
        if start.year != t.year:  # the window starts on 1 January: the ytd value itself
            own = ytd[t]
        elif start in ytd.columns:
            own = ytd[t] - ytd[start]
        else:
            continue
        out[t] = _derive(own, catalogue, ids)
    return out


def _derive(values: pd.Series, catalogue: Catalogue, ids) -> pd.Series:
    """Window values of counts and sums as differenced; ratios and differences from their
    inputs' window values; any other measure has no window value (NaN)."""
    done: dict[str, float] = {}
    for ind in catalogue.evaluation_order():
        if ind.measure in ("count", "sum") and not any(c.uses_as_of for c in ind.filters):
            # a condition on the as-of date (e.g. rectified by then) does not difference
            done[ind.id] = values.get(ind.id, np.nan)
        elif ind.measure == "ratio":
            num, den = done.get(ind.numerator, np.nan), done.get(ind.denominator, np.nan)
            done[ind.id] = num / den * ind.scale if den and den > 0 else np.nan
        elif ind.measure == "difference":
            done[ind.id] = done.get(ind.minuend, np.nan) - done.get(ind.subtrahend, np.nan)
        else:
            done[ind.id] = np.nan
    return pd.Series({i: done.get(i, np.nan) for i in ids}, dtype="float64")


def _add_texts(out: pd.DataFrame, kind: str, style: TextStyle) -> None:
    rows = list(out.itertuples(index=False))
    out["value_text"] = [
        format_value(r.value, r.unit, int(r.decimals), rule=style.rule) for r in rows
    ]
    out["ytd_text"] = [
        format_value(r.ytd_value, r.unit, int(r.decimals), rule=style.rule) for r in rows
    ]
    for column, (base, label, kinds) in zip(
        ("yoy_text", "yoy2_text", "mom_text"), COMPARISONS.values(), strict=True
    ):
        out[column] = [
            format_change(
                r.value,
                getattr(r, base),
                r.unit,
                label=label,
                verbs=verbs_for(r.direction),
                ndigits=style.decimals(label),
                rule=style.rule,
            )
            if kind in kinds
            else ""
            for r in rows
        ]
    out["ytd_yoy_text"] = [
        format_change(
            r.ytd_value,
            r.ytd_prior_value,
            r.unit,
            verbs=verbs_for(r.direction),
            ndigits=style.decimals("同比"),
            rule=style.rule,
        )
        for r in rows
    ]
    if kind == "quarter":  # the base of a quarter's 环比 is the previous quarter, not month
        base = f"{BASE_NAMES['环比']}为0"
        out["mom_text"] = out["mom_text"].str.replace(base, "上季度为0", regex=False)
