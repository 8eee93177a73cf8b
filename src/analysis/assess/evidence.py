"""The briefing's statistics of change, from the indicator engine's figures:

- ``monthly_counts``: each complete month's count over all months the data hold;
- ``control_charts``: an XmR chart per indicator (``process_limits``), with the monthly
  control number a count target implies and where it lies against the limits;
- ``town_funnel``: each town's accidents per 100 enterprises against the district rate
  (``funnel``);
- ``target_forecasts``: the year-end interval of every count target's indicator and the
  chance of meeting the target (``forecast``).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.assess.change_marks import TESTED_UNITS
from analysis.assess.forecast import YearForecast, year_end_forecast
from analysis.assess.funnel import FunnelFit, fit_funnel
from analysis.assess.process_limits import (
    MIN_POINTS,
    Episode,
    XmRLimits,
    assurance,
    enough_points,
    special_cause_episodes,
    xmr_limits,
)
from analysis.periods import month_end, parse_as_of

LOOKBACK_YEARS = 10  # how far back monthly_counts looks for data
FUNNEL_COUNT = "accidents"
FUNNEL_EXPOSURE = ("above_scale_enterprises", "below_scale_enterprises")
FUNNEL_PER = 100  # 每百家企业


@dataclass(frozen=True)
class ControlChart:
    indicator: str
    name: str
    unit: str
    lower_is_better: bool
    months: pd.DataFrame  # as_of, value: complete months, oldest first
    limits: XmRLimits | None  # None: fewer than 12 months, no limits drawn
    episodes: tuple[Episode, ...]
    monthly_target: float | None = None  # the control number a count target implies
    assurance: str | None = None  # "chance" / "pass" / "fail" (process_limits.assurance)


@dataclass(frozen=True)
class TargetForecast:
    target_id: str
    target_name: str
    indicator: str
    unit: str
    forecast: YearForecast
    probability: float  # of meeting the target at year end


def monthly_counts(tables, district: str, period_end, ids: Sequence[str], unit=None):
    """One row per complete month and indicator (as_of, id, name_zh, unit, direction,
    value = the month's own figure), from the first month the data cover to the period."""
    end = parse_as_of(period_end)
    last = end if end == month_end(end.year, end.month) else end - pd.offsets.MonthEnd(1)
    first = pd.Timestamp(year=end.year - LOOKBACK_YEARS, month=1, day=31)
    dates = list(pd.date_range(first, last, freq="ME"))
    panel = indicators.compute_panel(
        tables, district, dates, areas=[unit] if unit else [], ids=list(ids), texts=False
    )
    rows = panel.loc[panel["area"] == (unit or district)]
    columns = ["as_of", "id", "name_zh", "unit", "direction", "month_value"]
    out = rows[columns].rename(columns={"month_value": "value"})
    order = {ind: pos for pos, ind in enumerate(ids)}  # the caller's order, then by month
    out = out.sort_values(["as_of"], kind="stable")
    out = out.sort_values("id", key=lambda col: col.map(order), kind="stable")
    # drop the months before the data start (NaN, never a false 0)
    seen = out["value"].notna().astype(int).groupby(out["id"].to_numpy()).cummax()
    return out.loc[seen.to_numpy().astype(bool)].reset_index(drop=True)


def prior_full_year(counts: pd.DataFrame, year: int) -> dict[str, float]:
    """id → last year's full-year total, where all twelve months are covered."""
    last = counts[pd.to_datetime(counts["as_of"]).dt.year == year - 1]
    totals = {}
    for ind, rows in last.groupby("id", sort=False):
        if len(rows) == 12 and rows["value"].notna().all():
            totals[str(ind)] = float(rows["value"].sum())
    return totals


def allowed_total(target: Mapping, prior_total: float | None) -> float | None:
    """The full-year total a count target sets: its value (measure value), or last year's
    total moved by the target percentage (measure yoy_pct); None when unknown."""
    if target["measure"] == "value":
        return float(target["target"])
    if target["measure"] == "yoy_pct" and prior_total is not None:
        return prior_total * (1 + float(target["target"]) / 100)
    return None


def _count_targets(targets: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    if targets.empty:
        return targets
    units = ind.set_index("id")["unit"]
    counted = targets["indicator_id"].map(units).isin(TESTED_UNITS)
    return targets[counted & targets["op"].isin(["le", "ge"])]


def control_charts(
    counts: pd.DataFrame, targets: pd.DataFrame | None = None, ind: pd.DataFrame | None = None
) -> list[ControlChart]:
    """An XmR chart per indicator of ``counts``; a count target (``le``) of an indicator
    adds its monthly control number (the allowed full-year total / 12) and its assurance."""
    year = pd.to_datetime(counts["as_of"]).max().year if len(counts) else 0
    priors = prior_full_year(counts, year)
    caps: dict[str, float] = {}
    if targets is not None and ind is not None:
        for t in _count_targets(targets, ind).to_dict("records"):
            total = allowed_total(t, priors.get(t["indicator_id"]))
            if t["op"] == "le" and total is not None:
                caps.setdefault(t["indicator_id"], total / 12)
    charts = []
    for ind_id, rows in counts.groupby("id", sort=False):
        first = rows.iloc[0]
        months = rows[["as_of", "value"]].reset_index(drop=True)
        lower_better = first["direction"] == "lower_better"
        limits = xmr_limits(months["value"]) if enough_points(months["value"]) else None
        episodes = tuple(special_cause_episodes(months["value"], limits)) if limits else ()
        cap = caps.get(str(ind_id))
        current = _current_limits(months["value"], limits, episodes)
        sure = assurance(current, cap, lower_is_better=lower_better) if current and cap else None
        chart = ControlChart(
            indicator=str(ind_id),
            name=str(first["name_zh"]),
            unit=str(first["unit"]),
            lower_is_better=lower_better,
            months=months,
            limits=limits,
            episodes=episodes,
            monthly_target=cap,
            assurance=sure,
        )
        charts.append(chart)
    return charts


def _current_limits(values, limits, episodes) -> XmRLimits | None:
    """The limits of the process as it runs now: after a sustained shift (a run on one side
    of the mean, at least 12 months long, up to the latest month) the limits of that run,
    as Making Data Count recalculates them; otherwise the chart's own."""
    if limits is None:
        return None
    last = len(values) - 1
    for e in episodes:
        if e.rule == "shift" and e.end == last and e.length >= MIN_POINTS:
            return xmr_limits(list(values)[e.start :])
    return limits


def town_funnel(tables, district: str, period_end, style=None) -> FunnelFit | None:
    """Each town's accidents (year to date) per 100 enterprises against the district's."""
    ids = [FUNNEL_COUNT, *FUNNEL_EXPOSURE]
    towns = indicators.breakdown(
        tables, district, period_end, by="town", ids=ids, include_total=False, style=style
    )
    wide = towns.pivot(index="town", columns="id", values="value")
    wide = wide.reindex(index=list(dict.fromkeys(towns["town"])))
    exposure = wide[list(FUNNEL_EXPOSURE)].sum(axis=1, min_count=1) if len(wide) else wide
    if wide.empty or wide[FUNNEL_COUNT].isna().all() or exposure.isna().all():
        return None  # no accidents or no enterprise roster: no funnel, nothing to compare
    # a town missing from the roster keeps its row, placed nowhere (no_exposure)
    return fit_funnel(wide.index, wide[FUNNEL_COUNT], exposure.fillna(0), per=FUNNEL_PER)


def double_decline(by_town: pd.DataFrame, ids=("accidents", "accident_deaths")) -> tuple[int, int]:
    """(towns, towns where every one of ``ids`` fell 同比): the bulletins' “双下降” count.
    A town with an indicator missing, or flat (0 against 0 included), has not fallen.

    >>> rows = pd.DataFrame({"town": ["甲", "甲", "乙", "乙"], "id": ["a", "b", "a", "b"],
    ...                      "value": [1, 0, 2, 1], "prior_value": [3, 1, 2, 4]})
    >>> double_decline(rows, ("a", "b"))
    (2, 1)
    """
    rows = by_town[by_town["id"].isin(ids)]
    fell = rows["value"] < rows["prior_value"]
    per_town = fell.groupby(rows["town"].to_numpy(), sort=False).agg(["sum", "size"])
    towns = by_town["town"].nunique()
    return towns, int(((per_town["sum"] == len(ids)) & (per_town["size"] == len(ids))).sum())


def _year_days(end: pd.Timestamp) -> tuple[float, float]:
    elapsed = float(end.dayofyear)
    total = 366.0 if calendar.isleap(end.year) else 365.0
    return elapsed, total - elapsed


def target_forecasts(
    targets: pd.DataFrame, ind: pd.DataFrame, counts: pd.DataFrame, period_end
) -> list[TargetForecast]:
    """For each count target: the year-end interval of its indicator and the chance of
    meeting it, from the year-to-date count (none at the year's end: the total is known)."""
    end = parse_as_of(period_end)
    elapsed, remaining = _year_days(end)
    if remaining <= 0:
        return []
    priors = prior_full_year(counts, end.year)
    values = ind.set_index("id")
    out = []
    for t in _count_targets(targets, ind).to_dict("records"):
        ind_id = t["indicator_id"]
        so_far = values.at[ind_id, "value"] if ind_id in values.index else math.nan
        total = allowed_total(t, priors.get(ind_id))
        if total is None or pd.isna(so_far) or float(so_far) != int(so_far):
            continue
        forecast = year_end_forecast(int(so_far), elapsed, remaining)
        if t["op"] == "le":
            chance = forecast.probability_at_most(total)
        else:
            chance = forecast.probability_at_least(total)
        unit = str(values.at[ind_id, "unit"])
        out.append(TargetForecast(t["target_id"], t["name"], ind_id, unit, forecast, chance))
    return out


@dataclass(frozen=True)
class Evidence:
    """What the briefing's statistics of change show."""

    charts: list[ControlChart]
    funnel: FunnelFit | None  # None for a town's briefing or without enterprise counts
    forecasts: list[TargetForecast]
    double_decline: tuple[int, int] | None = None  # (towns, towns with both down)


def assess_evidence(
    tables,
    district: str,
    period_end,
    unit,
    ind: pd.DataFrame,
    targets: pd.DataFrame,
    ids,
    by_town: pd.DataFrame | None = None,
) -> Evidence:
    """Control charts of ``ids``, the towns' funnel and “双下降” count (district briefings)
    and the forecasts of the count targets, all from the engine's figures."""
    counts = monthly_counts(tables, district, period_end, ids, unit)
    charts = control_charts(counts, targets, ind)
    funnel = None if unit else town_funnel(tables, district, period_end)
    towns = by_town[~by_town["is_district"]] if by_town is not None and not unit else None
    both = double_decline(towns) if towns is not None and len(towns) else None
    forecasts = target_forecasts(targets, ind, counts, period_end)
    return Evidence(charts, funnel, forecasts, both)
