"""The qualitative gap register and next steps of one district and year
(data/config/districts/<district>/gaps/<year>.yaml).

A district or year without a gaps file has no gaps and no next steps (never another
district's text). Targets live in analysis.assess.targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.assess.targets import as_float, indicator_row
from analysis.compare import format_value
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.model import Catalogue
from analysis.settings.district import district_year_file
from analysis.settings.yaml_files import ConfigProblems, read_yaml

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


@dataclass(frozen=True)
class GapConfig:
    """The gaps (差距) and next steps (下一步工作) of one district and year."""

    gaps: tuple[Gap, ...] = ()
    actions: tuple[Action, ...] = ()
    district: str | None = None  # whose catalogue the evidence ids belong to


def _mapping_items(data: dict, key: str, problems: ConfigProblems) -> list[tuple]:
    """(data path, item) of the items of list ``key``, reporting those that are not
    mappings."""
    out = []
    for n, raw in enumerate(data.get(key) or []):
        if isinstance(raw, dict):
            out.append(((key, n), raw))
        else:
            problems.add(f"{key} 的该项不是“键: 值”的映射", (key, n))
    return out


def _check_ids(items: list[tuple], what: str, problems: ConfigProblems) -> None:
    """Every item has an id, and no id is used twice."""
    seen: set[str] = set()
    for at, raw in items:
        item_id = str(raw.get("id") or "")
        if not item_id:
            problems.add(f"{what}缺少 id", at)
        elif item_id in seen:
            problems.add(f"{what}编号“{item_id}”重复", (*at, "id"))
        seen.add(item_id)


def parse_gaps(
    data: Any, catalogue: Catalogue | None = None, path: str | Path = "gaps.yaml"
) -> GapConfig:
    """Validate gaps and next steps (``read_yaml`` of ``path``); ConfigError
    (Chinese) names the file and lists every problem with its line."""
    catalogue = catalogue or load_catalogue()
    problems = ConfigProblems(path, data)
    if not isinstance(data, dict) or not isinstance(data.get("gaps"), list):
        problems.add("顶层应有 gaps 和 actions 列表", ("gaps",))
        problems.raise_any()
    action_items = _mapping_items(data, "actions", problems)
    _check_ids(action_items, "下一步工作", problems)
    actions = tuple(
        Action(*(str(raw.get(k, "")) for k in ("id", "seq", "title", "text")))
        for _, raw in action_items
    )
    action_ids = {a.id for a in actions}
    gap_items = _mapping_items(data, "gaps", problems)
    _check_ids(gap_items, "差距", problems)
    gaps = []
    for at, raw in gap_items:
        gid = str(raw.get("id") or "")
        ev = tuple(str(x) for x in raw.get("evidence") or [])
        acts = tuple(str(x) for x in raw.get("actions") or [])
        for k, e in enumerate(ev):
            if e not in catalogue:
                problems.add(f"差距“{gid}”：佐证指标“{e}”不在指标目录中", (*at, "evidence", k))
        for k, a in enumerate(acts):
            if a not in action_ids:
                problems.add(f"差距“{gid}”：下一步工作“{a}”未定义", (*at, "actions", k))
        seq, title, text = (str(raw.get(k, "")) for k in ("seq", "title", "text"))
        gaps.append(Gap(gid, seq, title, text, ev, acts))
    problems.raise_any()
    return GapConfig(tuple(gaps), actions)


def load_gaps(district: str, year: int, catalogue: Catalogue | None = None) -> GapConfig:
    """The district's gaps and next steps of ``year``; empty when it has no file for it."""
    path = district_year_file(district, "gaps", year)
    if not path.is_file():
        return GapConfig()
    catalogue = catalogue or load_catalogue(district=district)
    return replace(parse_gaps(read_yaml(path), catalogue, path), district=district)


def _evidence(row: pd.Series | None, ind, rule: str | None) -> tuple[float, str, str, str]:
    """(value, value text, yoy text, evidence text) of one evidence indicator; the value is
    rounded by the district's ``rule`` (the yoy text comes worded from the indicators)."""
    value = as_float(row["value"]) if row is not None else math.nan
    applicable = bool(row["applicable"]) if row is not None else False
    value_text = format_value(value, ind.unit, ind.decimals, rule=rule) if applicable else "不适用"
    yoy = str(row["yoy_text"]) if row is not None and "yoy_text" in row else ""
    if yoy == "不适用" or yoy.endswith("无数据"):
        yoy = ""
    evidence = f"{ind.name_zh}{value_text}" + (f"（{yoy}）" if yoy and applicable else "")
    return value, value_text, yoy, evidence


def gaps_register(
    indicators_df: pd.DataFrame,
    gaps: GapConfig | dict,
    targets_df: pd.DataFrame | None = None,
    catalogue: Catalogue | None = None,
    rule: str | None = None,
) -> pd.DataFrame:
    """Gap → evidence → actions, one row per (gap, evidence indicator); values rounded by
    the district's ``rule`` (None: 四舍五入).

    ``indicators_df``: one area's ``compute_indicators`` frame. ``gaps``: a GapConfig
    (``load_gaps(district, year)``) or parsed YAML (dict). ``targets_df``: an
    ``evaluate_targets`` frame, to show the status of targets on the evidence indicators.
    ``evidence_text`` reads e.g. “规下企业宣讲覆盖率88.0%” or “重大隐患未整改数1个（同比下降
    75.0%）”; ``actions_text`` lists the answering next steps (“一是进一步压实企业主体责任；…”).
    """
    district = None if isinstance(gaps, dict) else gaps.district
    catalogue = catalogue or load_catalogue(district=district)
    if isinstance(gaps, dict):
        gaps = parse_gaps(gaps, catalogue)
    by_action = {a.id: a for a in gaps.actions}
    status: dict[str, str] = {}
    if targets_df is not None and not targets_df.empty:
        for r in targets_df.itertuples():
            status.setdefault(r.indicator_id, f"{r.name}：{r.status}")
    rows = []
    for g in gaps.gaps:
        actions_text = "；".join(f"{by_action[a].seq}是{by_action[a].title}" for a in g.actions)
        for e in g.evidence:
            ind = catalogue[e]
            value, value_text, yoy, evidence = _evidence(indicator_row(indicators_df, e), ind, rule)
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
