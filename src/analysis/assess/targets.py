"""Targets of one district and year (data/config/districts/<district>/targets/<year>.yaml).

A district or year without a targets file has no targets (never another district's).

Status of a target at a period end (see the header of the targets file):

- ``pace: none`` — the target must hold at every reporting date (同比下降20%以上, 重大隐患
  整改率100%, …): 达标 if it holds, else 未达标.
- ``pace: linear`` — a year-end target judged against 序时进度 (the time-proportional
  schedule). With m = months elapsed in the year (month of the period end, a mid-month
  date counts the fraction of its month), the value due now is
  ``baseline + (target − baseline) × m / 12``, and the linear projection to year end is
  ``baseline + (actual − baseline) × 12 / m``.
    * op ge: 达标 if the target is reached, or the actual is at or ahead of the value due
      now (then the note says 达到序时进度 and the gap text still gives the shortfall to the
      year-end target); 预警 if behind the value due now (the projection falls short) before
      year end; 未达标 if the year is over and the target is not reached.
    * op le (a cumulative cap): 未达标 once the cap is exceeded; 预警 if above the value
      due now (the projection exceeds the cap); otherwise 达标.
- 无法评估 when the indicator has no value (e.g. no prior-year data for a 同比 target).

Rows are ranked by severity: 未达标, 预警, 无法评估, 达标; within a status by the relative
size of the gap.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.compare import format_change, format_number, format_value, verbs_for
from analysis.indicators import TextStyle, parse_as_of
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.model import Catalogue, Indicator
from analysis.numbers import decimals_of
from analysis.settings.district import district_year_file
from analysis.settings.yaml_files import ConfigProblems, config_fault, line_at, read_yaml

STATUSES = ("未达标", "预警", "无法评估", "达标")
STATUS_RANK = {s: k for k, s in enumerate(STATUSES)}
TARGET_COLUMNS = [
    "target_id",
    "name",
    "indicator_id",
    "indicator_name",
    "measure",
    "op",
    "target",
    "target_text",
    "actual",
    "actual_text",
    "pace",
    "months_elapsed",
    "pace_required",
    "projected",
    "gap",
    "gap_unit",
    "gap_text",
    "status",
    "status_note",
    "source",
]


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    indicator: str
    op: str
    target: float
    measure: str = "value"
    pace: str = "none"
    baseline: float = 0.0
    gap_text: str = ""
    source: str = ""


@dataclass(frozen=True)
class Targets:
    year: int
    targets: tuple[Target, ...]


def _parse_one(raw: dict, tid: str, catalogue: Catalogue, problems, at: tuple) -> Target | None:
    """One target, or None when its numbers are unusable (problems recorded)."""
    ind = str(raw.get("indicator") or "")
    if ind not in catalogue:
        problems.add(f"目标“{tid}”：指标目录中没有指标“{ind}”", (*at, "indicator"))
    op = str(raw.get("op") or "")
    if op not in ("ge", "le"):
        problems.add(f"目标“{tid}”：op 应为 ge（不低于）或 le（不高于）", (*at, "op"))
    measure = str(raw.get("measure") or "value")
    if measure not in ("value", "yoy_pct"):
        problems.add(f"目标“{tid}”：measure 应为 value 或 yoy_pct", (*at, "measure"))
    pace = str(raw.get("pace") or "none")
    if pace not in ("none", "linear"):
        problems.add(f"目标“{tid}”：pace 应为 none 或 linear", (*at, "pace"))
    if pace == "linear" and measure != "value":
        problems.add(f"目标“{tid}”：同比目标不能按序时进度（pace: linear）评估", (*at, "pace"))
    try:
        target = float(raw.get("target"))
        baseline = float(raw.get("baseline", 0))
    except (TypeError, ValueError):
        problems.add(f"目标“{tid}”：target / baseline 应为数字", (*at, "target"))
        return None
    return Target(
        id=tid,
        name=str(raw.get("name") or tid),
        indicator=ind,
        op=op,
        target=target,
        measure=measure,
        pace=pace,
        baseline=baseline,
        gap_text=str(raw.get("gap_text") or ""),
        source=str(raw.get("source") or ""),
    )


def parse_targets(
    data: Any, path: str | Path = "targets.yaml", catalogue: Catalogue | None = None
) -> Targets:
    """Validate targets (``read_yaml`` of ``path``); ConfigError (Chinese) names the
    file and lists every problem with its line."""
    catalogue = catalogue or load_catalogue()
    problems = ConfigProblems(path, data)
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        problems.add("顶层应有 year 和 targets 列表", ("targets",))
        problems.raise_any()
    try:
        year = int(data.get("year"))
    except (TypeError, ValueError):
        problems.add("缺少或无效的 year", ("year",))
        year = 0
    out: list[Target] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["targets"]):
        if not isinstance(raw, dict):
            problems.add("该条目标不是“键: 值”的映射", ("targets", n))
            continue
        tid = str(raw.get("id") or f"#{n + 1}")
        if tid in seen:
            problems.add(f"目标编号“{tid}”重复", ("targets", n, "id"))
        seen.add(tid)
        target = _parse_one(raw, tid, catalogue, problems, ("targets", n))
        if target is not None:
            out.append(target)
    problems.raise_any()
    return Targets(year, tuple(out))


def load_targets(district: str, year: int, catalogue: Catalogue | None = None) -> Targets:
    """The district's targets of ``year``; none (empty) when it has no file for that year."""
    path = district_year_file(district, "targets", year)
    if not path.is_file():
        return Targets(int(year), ())
    data = read_yaml(path)
    targets = parse_targets(data, path, catalogue or load_catalogue(district=district))
    if targets.year != int(year):
        reason = f"year 为 {targets.year}，与文件名年份 {year} 不符"
        raise config_fault(path, reason, line_at(data, "year"))
    return targets


def months_elapsed(period_end) -> float:
    """Months of the year elapsed at ``period_end``: 2020-10 → 10; 2020-10-23 → 9.74…"""
    t = parse_as_of(period_end)
    days = calendar.monthrange(t.year, t.month)[1]
    return t.month - 1 + t.day / days


def indicator_row(indicators_df: pd.DataFrame, ind_id: str) -> pd.Series | None:
    """The row of indicator ``ind_id`` in a ``compute_indicators`` frame, or None."""
    sel = indicators_df.loc[indicators_df["id"] == ind_id]
    return None if sel.empty else sel.iloc[0]


def as_float(x) -> float:
    """A float, NaN for anything that is not a number."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def target_text(t: Target, unit: str, direction: str = "neutral") -> str:
    """A target in bulletin words, keeping its declared decimals; ``unit`` of a 同比 target
    is "%" (counts) or "个百分点" (rates).

    >>> target_text(Target("a", "a", "accidents", "le", -2.5, "yoy_pct"), "%", "lower_better")
    '同比下降2.5%以上'
    >>> target_text(Target("a", "a", "accidents", "le", 0, "yoy_pct"), "%", "lower_better")
    '不高于上年同期'
    """
    if t.measure == "yoy_pct":
        if t.target == 0:
            return "不高于上年同期" if t.op == "le" else "不低于上年同期"
        up, down = verbs_for(direction, "rate" if unit == "个百分点" else "count")
        word = down if t.target < 0 else up
        bound = "以上" if (t.op == "le") == (t.target < 0) else "以内"
        number = format_number(abs(t.target), decimals_of(t.target))
        return f"同比{word}{number}{unit}{bound}"
    sign = "≥" if t.op == "ge" else "≤"
    return f"{sign}{format_number(t.target, decimals_of(t.target))}{unit}"


def _shortfall(
    t: Target, actual: float, row: pd.Series, rows: pd.DataFrame, catalogue: Catalogue
) -> tuple[float, str]:
    """Distance to the full target in natural units (positive = short) and the unit."""
    ind = catalogue[t.indicator]
    if t.measure == "yoy_pct":
        prior = as_float(row["prior_value"])
        allowed = prior * (1 + t.target / 100)
        cur = as_float(row["value"])
        if t.op == "le":
            gap = cur - math.floor(allowed + 1e-9)
        else:
            gap = math.ceil(allowed - 1e-9) - cur
        return gap, ind.unit
    if ind.measure == "ratio":
        num_row = indicator_row(rows, ind.numerator)  # type: ignore[arg-type]
        den_row = indicator_row(rows, ind.denominator)  # type: ignore[arg-type]
        if num_row is not None and den_row is not None:
            num, den = as_float(num_row["value"]), as_float(den_row["value"])
            need = t.target / ind.scale * den
            if t.op == "ge":
                gap = math.ceil(need - num - 1e-9)
            else:
                gap = math.ceil(num - need - 1e-9)
            return float(gap), catalogue[ind.numerator].unit  # type: ignore[index]
    gap = (t.target - actual) if t.op == "ge" else (actual - t.target)
    return gap, ind.unit


def _status(
    t: Target, actual: float, m: float, unit: str, rule: str | None = None
) -> tuple[str, str, float, float]:
    """(status, note, value due now, projection) of a target with a value."""
    met = actual >= t.target - 1e-9 if t.op == "ge" else actual <= t.target + 1e-9
    year_over = m >= 12 - 1e-9
    required = projected = np.nan
    if t.pace == "linear" and m > 0:
        required = t.baseline + (t.target - t.baseline) * min(m, 12) / 12
        projected = t.baseline + (actual - t.baseline) * 12 / min(m, 12)
    due = f"{format_number(required, 1, rule=rule)}{unit}"
    ahead = f"按当前进度年底预计{format_number(projected, 1, rule=rule)}{unit}"
    if t.pace == "none":
        return (
            ("达标", "", required, projected)
            if met
            else (
                "未达标",
                "未达到目标（须在每个统计期均达到）",
                required,
                projected,
            )
        )
    if t.op == "ge":
        if met:
            return "达标", "已完成全年目标", required, projected
        if year_over:
            return "未达标", "年度已结束，未完成全年目标", required, projected
        if actual >= required - 1e-9:
            return "达标", f"达到序时进度（应达{due}），全年目标尚未完成", required, projected
        return "预警", f"落后于序时进度（应达{due}），{ahead}", required, projected
    if not met:
        return "未达标", "已超过全年控制目标", required, projected
    if actual > required + 1e-9 and not year_over:
        return "预警", f"超过序时进度（应不高于{due}），{ahead}", required, projected
    return "达标", "", required, projected


def _actual(t: Target, ind: Indicator, row) -> float:
    """The indicator's value, or its change for a yoy_pct target (points for a rate)."""
    if row is None:
        return math.nan
    if t.measure == "yoy_pct":
        return as_float(row["yoy_pct"]) if not ind.is_rate else as_float(row["yoy_pp"])
    return as_float(row["value"])


def _actual_text(t: Target, ind: Indicator, row, actual: float, style: TextStyle) -> str:
    if t.measure == "yoy_pct":
        return format_change(
            row["value"],
            row["prior_value"],
            ind.unit,
            ndigits=style.change_decimals,
            verbs=verbs_for(ind.direction),
            rule=style.rule,
            rate_verbs=verbs_for(ind.direction, "rate"),
        )
    return format_value(actual, ind.unit, ind.decimals, rule=style.rule)


def _evaluate_one(
    t: Target, df: pd.DataFrame, m: float, catalogue: Catalogue, style: TextStyle
) -> dict:
    ind = catalogue[t.indicator]
    row = indicator_row(df, t.indicator)
    actual = _actual(t, ind, row)
    unit = ("个百分点" if ind.is_rate else "%") if t.measure == "yoy_pct" else ind.unit
    base = {
        "target_id": t.id,
        "name": t.name,
        "indicator_id": t.indicator,
        "indicator_name": ind.name_zh,
        "measure": t.measure,
        "op": t.op,
        "target": t.target,
        "target_text": target_text(t, unit, ind.direction),
        "actual": actual,
        "pace": t.pace,
        "months_elapsed": m,
        "source": t.source,
    }
    if math.isnan(actual):
        return {
            **base,
            "actual_text": "—",
            "pace_required": np.nan,
            "projected": np.nan,
            "gap": np.nan,
            "gap_unit": "",
            "gap_text": "缺少数据，无法评估",
            "status": "无法评估",
            "status_note": "本期或上年同期无数据",
        }
    actual_text = _actual_text(t, ind, row, actual, style)
    status, note, required, projected = _status(t, actual, m, unit, style.rule)
    met = actual >= t.target - 1e-9 if t.op == "ge" else actual <= t.target + 1e-9
    gap, gap_unit = _shortfall(t, actual, row, df, catalogue)
    if met:
        gap_text = f"已达标（{actual_text}，目标{base['target_text']}）"
    elif t.gap_text:
        gap_text = t.gap_text.format(n=_n(gap, style.rule), unit=gap_unit)
    else:
        gap_text = f"距目标尚差{_n(gap, style.rule)}{gap_unit}"
    return {
        **base,
        "actual_text": actual_text,
        "pace_required": required,
        "projected": projected,
        "gap": 0.0 if met else max(gap, 0.0),
        "gap_unit": gap_unit,
        "gap_text": gap_text,
        "status": status,
        "status_note": note,
    }


def evaluate_targets(
    indicators_df: pd.DataFrame,
    targets: Targets | dict | str | Path,
    period_end=None,
    catalogue: Catalogue | None = None,
    style: TextStyle | None = None,
) -> pd.DataFrame:
    """Judge each target against one area's indicators (a ``compute_indicators`` frame);
    the texts word numbers in ``style`` (the district's rounding rule and decimals).

    ``targets``: a Targets object (``load_targets(district, year)``), parsed YAML (dict) or
    a path. ``period_end`` defaults to the frame's ``as_of``. Returns one row per target,
    ranked by severity, with the columns in TARGET_COLUMNS (actual, target, gap in natural
    units and its Chinese text, status 达标 / 未达标 / 预警 / 无法评估); no rows when there
    are no targets.
    """
    catalogue = catalogue or load_catalogue()
    if isinstance(targets, str | Path):
        targets = parse_targets(read_yaml(targets), targets, catalogue)
    elif isinstance(targets, dict):
        targets = parse_targets(targets, catalogue=catalogue)
    if not targets.targets:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    if period_end is None:
        period_end = indicators_df["as_of"].iloc[0]
    m = months_elapsed(parse_as_of(period_end))
    style = style or TextStyle()
    rows = [_evaluate_one(t, indicators_df, m, catalogue, style) for t in targets.targets]
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    rel = (out["gap"].abs() / out["target"].abs().replace(0, 1)).fillna(0)
    return (
        out.assign(_rank=out["status"].map(STATUS_RANK), _rel=rel)
        .sort_values(["_rank", "_rel"], ascending=[True, False], kind="stable")
        .drop(columns=["_rank", "_rel"])
        .reset_index(drop=True)
    )


def _n(x: float, rule: str | None = None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return format_number(x, 0) if abs(x - round(x)) < 1e-9 else format_number(x, 2, rule=rule)
