"""Targets (data/config/targets/<year>.yaml) and the gaps register (data/config/gaps.yaml).

Status of a target at a period end (see the header of targets/2020.yaml):

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config
from analysis.catalogue import Catalogue, load_catalogue
from analysis.compare import format_change, format_number, format_value, verbs_for
from analysis.errors import ConfigError
from analysis.indicators import parse_as_of

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
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def parse_targets(
    data: Any, source: str = "targets", catalogue: Catalogue | None = None
) -> Targets:
    """Validate a targets file; ConfigError (Chinese) lists every problem."""
    catalogue = catalogue or load_catalogue()
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise ConfigError(f"目标文件 {source} 格式错误：顶层应有 year 和 targets 列表")
    try:
        year = int(data.get("year"))
    except (TypeError, ValueError):
        problems.append("缺少或无效的 year")
        year = 0
    out: list[Target] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["targets"], 1):
        if not isinstance(raw, dict):
            problems.append(f"第{n}条目标不是“键: 值”的映射")
            continue
        tid = str(raw.get("id") or f"#{n}")
        if tid in seen:
            problems.append(f"目标编号“{tid}”重复")
        seen.add(tid)
        ind = str(raw.get("indicator") or "")
        if ind not in catalogue:
            problems.append(f"目标“{tid}”：指标目录中没有指标“{ind}”")
        op = str(raw.get("op") or "")
        if op not in ("ge", "le"):
            problems.append(f"目标“{tid}”：op 应为 ge（不低于）或 le（不高于）")
        measure = str(raw.get("measure") or "value")
        if measure not in ("value", "yoy_pct"):
            problems.append(f"目标“{tid}”：measure 应为 value 或 yoy_pct")
        pace = str(raw.get("pace") or "none")
        if pace not in ("none", "linear"):
            problems.append(f"目标“{tid}”：pace 应为 none 或 linear")
        if pace == "linear" and measure != "value":
            problems.append(f"目标“{tid}”：同比目标不能按序时进度（pace: linear）评估")
        try:
            target = float(raw.get("target"))
            baseline = float(raw.get("baseline", 0))
        except (TypeError, ValueError):
            problems.append(f"目标“{tid}”：target / baseline 应为数字")
            continue
        out.append(
            Target(
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
        )
    if problems:
        raise ConfigError(
            f"目标文件 {source} 有 {len(problems)} 处问题：\n"
            + "\n".join(f"  {k}. {p}" for k, p in enumerate(problems, 1))
        )
    return Targets(year, tuple(out))


def load_targets(year: int, catalogue: Catalogue | None = None) -> Targets:
    path = config.TARGETS_DIR / f"{int(year)}.yaml"
    if not path.is_file():
        raise ConfigError(f"没有{year}年度的目标文件（{path.name}，目录 data/config/targets）")
    return parse_targets(config.read_yaml(path), source=path.name, catalogue=catalogue)


def months_elapsed(period_end) -> float:
    """Months of the year elapsed at ``period_end``: 2020-10 → 10; 2020-10-23 → 9.74…"""
    t = parse_as_of(period_end)
    days = calendar.monthrange(t.year, t.month)[1]
    return t.month - 1 + t.day / days


def _row(indicators_df: pd.DataFrame, ind_id: str) -> pd.Series | None:
    sel = indicators_df.loc[indicators_df["id"] == ind_id]
    return None if sel.empty else sel.iloc[0]


def _num(x) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return math.nan
    return v


def _target_text(t: Target, unit: str) -> str:
    if t.measure == "yoy_pct":
        word = "下降" if t.target < 0 else "增长"
        bound = "以上" if (t.op == "le") == (t.target < 0) else "以内"
        return f"同比{word}{format_number(abs(t.target), 0)}%{bound}"
    dec = 0 if t.target == int(t.target) else 1
    sign = "≥" if t.op == "ge" else "≤"
    return f"{sign}{format_number(t.target, dec)}{unit}"


def _shortfall(
    t: Target, actual: float, row: pd.Series, rows: pd.DataFrame, catalogue: Catalogue
) -> tuple[float, str]:
    """Distance to the full target in natural units (positive = short) and the unit."""
    ind = catalogue[t.indicator]
    if t.measure == "yoy_pct":
        prior = _num(row["prior_value"])
        allowed = prior * (1 + t.target / 100)
        cur = _num(row["value"])
        if t.op == "le":
            gap = cur - math.floor(allowed + 1e-9)
        else:
            gap = math.ceil(allowed - 1e-9) - cur
        return gap, ind.unit
    if ind.measure == "ratio":
        num_row = _row(rows, ind.numerator)  # type: ignore[arg-type]
        den_row = _row(rows, ind.denominator)  # type: ignore[arg-type]
        if num_row is not None and den_row is not None:
            num, den = _num(num_row["value"]), _num(den_row["value"])
            need = t.target / ind.scale * den
            if t.op == "ge":
                gap = math.ceil(need - num - 1e-9)
            else:
                gap = math.ceil(num - need - 1e-9)
            return float(gap), catalogue[ind.numerator].unit  # type: ignore[index]
    gap = (t.target - actual) if t.op == "ge" else (actual - t.target)
    return gap, ind.unit


def evaluate_targets(
    indicators_df: pd.DataFrame,
    targets: Targets | dict | str | Path | None = None,
    period_end=None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Judge each target against one area's indicators (a ``compute_indicators`` frame).

    ``targets``: a Targets object, parsed YAML (dict), a path, or None (the file of the
    period's year). ``period_end`` defaults to the frame's ``as_of``. Returns one row per
    target, ranked by severity, with the columns in TARGET_COLUMNS (actual, target, gap in
    natural units and its Chinese text, status 达标 / 未达标 / 预警 / 无法评估).
    """
    catalogue = catalogue or load_catalogue()
    if period_end is None:
        period_end = indicators_df["as_of"].iloc[0]
    t_end = parse_as_of(period_end)
    if targets is None:
        targets = load_targets(t_end.year, catalogue)
    elif isinstance(targets, str | Path):
        targets = parse_targets(config.read_yaml(Path(targets)), str(targets), catalogue)
    elif isinstance(targets, dict):
        targets = parse_targets(targets, catalogue=catalogue)
    m = months_elapsed(t_end)
    year_over = m >= 12 - 1e-9
    rows = []
    for t in targets.targets:
        ind = catalogue[t.indicator]
        row = _row(indicators_df, t.indicator)
        actual = math.nan
        if row is not None:
            if t.measure == "yoy_pct":
                actual = _num(row["yoy_pct"]) if not ind.is_rate else _num(row["yoy_pp"])
            else:
                actual = _num(row["value"])
        unit = "%" if t.measure == "yoy_pct" else ind.unit
        base = {
            "target_id": t.id,
            "name": t.name,
            "indicator_id": t.indicator,
            "indicator_name": ind.name_zh,
            "measure": t.measure,
            "op": t.op,
            "target": t.target,
            "target_text": _target_text(t, unit),
            "actual": actual,
            "pace": t.pace,
            "months_elapsed": m,
            "source": t.source,
        }
        if math.isnan(actual):
            rows.append(
                {
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
            )
            continue
        if t.measure == "yoy_pct":
            actual_text = format_change(
                row["value"], row["prior_value"], ind.unit, verbs=verbs_for(ind.direction)
            )
        else:
            actual_text = format_value(actual, ind.unit, ind.decimals)
        met = actual >= t.target - 1e-9 if t.op == "ge" else actual <= t.target + 1e-9
        required = projected = np.nan
        if t.pace == "linear" and m > 0:
            required = t.baseline + (t.target - t.baseline) * min(m, 12) / 12
            projected = t.baseline + (actual - t.baseline) * 12 / min(m, 12)
        gap, gap_unit = _shortfall(t, actual, row, indicators_df, catalogue)
        shortfall = (
            f"{t.gap_text.format(n=_n(gap), unit=gap_unit)}"
            if t.gap_text
            else (f"距目标尚差{_n(gap)}{gap_unit}")
        )
        if t.pace == "none":
            status = "达标" if met else "未达标"
            note = "" if met else "未达到目标（须在每个统计期均达到）"
        elif t.op == "ge":
            if met:
                status, note = "达标", "已完成全年目标"
            elif year_over:
                status, note = "未达标", "年度已结束，未完成全年目标"
            elif actual >= required - 1e-9:
                status = "达标"
                note = f"达到序时进度（应达{format_number(required, 1)}{unit}），全年目标尚未完成"
            else:
                status = "预警"
                note = (
                    f"落后于序时进度（应达{format_number(required, 1)}{unit}），"
                    f"按当前进度年底预计{format_number(projected, 1)}{unit}"
                )
        else:  # cap
            if not met:
                status, note = "未达标", "已超过全年控制目标"
            elif actual > required + 1e-9 and not year_over:
                status = "预警"
                note = (
                    f"超过序时进度（应不高于{format_number(required, 1)}{unit}），"
                    f"按当前进度年底预计{format_number(projected, 1)}{unit}"
                )
            else:
                status, note = "达标", ""
        if met:
            gap_text = f"已达标（{actual_text}，目标{base['target_text']}）"
        else:
            gap_text = shortfall
        rows.append(
            {
                **base,
                "actual_text": actual_text,
                "pace_required": required,
                "projected": projected,
                "gap": max(gap, 0.0) if not met else 0.0,
                "gap_unit": gap_unit,
                "gap_text": gap_text,
                "status": status,
                "status_note": note,
            }
        )
    out = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    if out.empty:
        return out
    rel = (out["gap"].abs() / out["target"].abs().replace(0, 1)).fillna(0)
    out = (
        out.assign(_rank=out["status"].map(STATUS_RANK), _rel=rel)
        .sort_values(["_rank", "_rel"], ascending=[True, False], kind="stable")
        .drop(columns=["_rank", "_rel"])
        .reset_index(drop=True)
    )
    return out


def _n(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return format_number(x, 0) if abs(x - round(x)) < 1e-9 else format_number(x, 2)


# --------------------------------------------------------------------------- gaps register


@dataclass(frozen=True)
class Gap:
    id: str
    seq: str
    title: str
    text: str
    evidence: tuple[str, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    id: str
    seq: str
    title: str
    text: str


def parse_gaps(data: Any, catalogue: Catalogue | None = None, source: str = "gaps.yaml"):
    """(gaps, actions) from parsed gaps.yaml; ConfigError (Chinese) lists every problem."""
    catalogue = catalogue or load_catalogue()
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("gaps"), list):
        raise ConfigError(f"{source} 格式错误：顶层应有 gaps 和 actions 列表")
    actions = []
    for raw in data.get("actions") or []:
        actions.append(
            Action(
                str(raw.get("id")),
                str(raw.get("seq", "")),
                str(raw.get("title", "")),
                str(raw.get("text", "")),
            )
        )
    action_ids = {a.id for a in actions}
    if len(action_ids) != len(actions):
        problems.append("下一步工作（actions）的编号有重复")
    gaps = []
    for raw in data["gaps"]:
        gid = str(raw.get("id"))
        ev = tuple(str(x) for x in raw.get("evidence") or [])
        acts = tuple(str(x) for x in raw.get("actions") or [])
        for e in ev:
            if e not in catalogue:
                problems.append(f"差距“{gid}”：佐证指标“{e}”不在指标目录中")
        for a in acts:
            if a not in action_ids:
                problems.append(f"差距“{gid}”：下一步工作“{a}”未定义")
        gaps.append(
            Gap(
                gid,
                str(raw.get("seq", "")),
                str(raw.get("title", "")),
                str(raw.get("text", "")),
                ev,
                acts,
            )
        )
    if len({g.id for g in gaps}) != len(gaps):
        problems.append("差距（gaps）的编号有重复")
    if problems:
        raise ConfigError(
            f"{source} 有 {len(problems)} 处问题：\n"
            + "\n".join(f"  {k}. {p}" for k, p in enumerate(problems, 1))
        )
    return gaps, actions


def load_gaps(catalogue: Catalogue | None = None):
    return parse_gaps(config.read_yaml(config.GAPS_FILE), catalogue, config.GAPS_FILE.name)


GAP_COLUMNS = [
    "gap_id",
    "gap_seq",
    "gap_title",
    "gap_text",
    "indicator_id",
    "indicator_name",
    "value",
    "value_text",
    "yoy_text",
    "evidence_text",
    "target_status",
    "action_ids",
    "actions_text",
]


def gaps_register(
    indicators_df: pd.DataFrame,
    gaps: Any = None,
    targets_df: pd.DataFrame | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Gap → evidence → actions, one row per (gap, evidence indicator).

    ``indicators_df``: one area's ``compute_indicators`` frame. ``gaps``: parsed gaps.yaml
    (dict) or None for data/config/gaps.yaml. ``targets_df``: an ``evaluate_targets`` frame,
    to show the status of targets on the evidence indicators. ``evidence_text`` reads e.g.
    “规下企业宣讲覆盖率88.0%” or “重大隐患未整改数1个（同比下降75.0%）”; ``actions_text``
    lists the answering next steps as in the report (“一是进一步压实企业主体责任；…”).
    """
    catalogue = catalogue or load_catalogue()
    gap_list, actions = (
        load_gaps(catalogue) if gaps is None else parse_gaps(gaps, catalogue, "gaps")
    )
    by_action = {a.id: a for a in actions}
    status = {}
    if targets_df is not None and not targets_df.empty:
        for r in targets_df.itertuples():
            status.setdefault(r.indicator_id, f"{r.name}：{r.status}")
    rows = []
    for g in gap_list:
        acts = [by_action[a] for a in g.actions]
        actions_text = "；".join(f"{a.seq}是{a.title}" for a in acts)
        for e in g.evidence:
            ind = catalogue[e]
            row = _row(indicators_df, e)
            value = _num(row["value"]) if row is not None else math.nan
            applicable = bool(row["applicable"]) if row is not None else False
            value_text = format_value(value, ind.unit, ind.decimals) if applicable else "不适用"
            yoy = str(row["yoy_text"]) if row is not None and "yoy_text" in row else ""
            if yoy == "不适用" or yoy.endswith("无数据"):
                yoy = ""
            evidence = f"{ind.name_zh}{value_text}" + (f"（{yoy}）" if yoy and applicable else "")
            rows.append(
                {
                    "gap_id": g.id,
                    "gap_seq": g.seq,
                    "gap_title": g.title,
                    "gap_text": g.text,
                    "indicator_id": e,
                    "indicator_name": ind.name_zh,
                    "value": value,
                    "value_text": value_text,
                    "yoy_text": yoy,
                    "evidence_text": evidence,
                    "target_status": status.get(e, ""),
                    "action_ids": ",".join(g.actions),
                    "actions_text": actions_text,
                }
            )
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
