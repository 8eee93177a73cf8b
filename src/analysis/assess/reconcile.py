"""Reconcile published figures (data/sample/published_figures.csv) with recomputed ones.

Each published figure names an indicator of the catalogue, a measure (value / yoy_pct /
share_pct / change_abs), the number as printed, its as-of date and a qualifier, and
optionally what the bulletin printed around it: the period kind (累计 by default, 本月,
季度, 全年), the comparison basis (同比 by default, 比前年, 环比), the prior value printed
in brackets, the decimals it was printed with (trailing zeros count: "50.00%" has 2), the
rounding rule (四舍五入 by default, 截尾, 四舍六入五成双) and a declared comparability
break ("口径变化，无法同比").

Periods come from the engine's year-to-date values (``compute_panel`` at the dates needed):
本月 = YTD(as-of) − YTD(end of the previous month), 季度 likewise from the quarter's start
(only for additive indicators: counts, sums and their differences and ratios); 同比 and
比前年 take the same window one and two years back (the engine's prior slots, which know
whether the data cover them); 环比 the previous month or quarter.

The rounding windows and qualifiers (余, 以上, 约) a figure is judged by are in
analysis.assess.agreement; the self-consistency of the text in analysis.assess.self_consistency.

Verdicts: 一致 / 不一致 / 无法重算 (indicator unknown, data do not cover the period, or the
figure is not additive over the period) / 无法同比 and 无法环比 (declared comparability
break: no change is computed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from analysis.assess.agreement import accepted_range, agrees, number_text, pct_change
from analysis.assess.published_figures import (
    CHANGE_MEASURES,
    Figure,
    figure_from_row,
    published_text,
)
from analysis.assess.self_consistency import printed_values, self_consistency
from analysis.assess.year_to_date import NotAdditiveError, YearToDate
from analysis.assess.zero_changes import zero_change
from analysis.compare import format_number
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.model import Catalogue, Indicator
from analysis.numbers import to_decimal
from analysis.periods import base_name

COLUMNS = [
    "figure_id",
    "indicator_id",
    "name_zh",
    "measure",
    "as_of",
    "sentence",
    "published",
    "qualifier",
    "published_text",
    "recomputed",
    "recomputed_text",
    "accepted_range",
    "verdict",
    "consistency",
    "note",
]
VERDICTS = ("一致", "不一致", "无法重算", "无法同比", "无法环比")


@dataclass
class Recomputed:
    value: float | Decimal = math.nan  # what the figure states (value, change, share)
    base: float = math.nan  # the base of a change (to check a bracketed prior)
    missing: str = ""  # why there is no value
    refutes: bool = False  # no value, yet the published one is certainly wrong


def _recompute(f: Figure, ind: Indicator, ytd: YearToDate) -> Recomputed:
    try:
        current = ytd.value(f.district, ind, f.window)
        if f.measure not in CHANGE_MEASURES:
            return Recomputed(current, missing="数据中没有该指标所需的记录")
        bw = f.base_window
        if bw is None:
            return Recomputed(missing=f"{f.kind}数没有环比，请把统计期填为本月或季度")
        base = ytd.value(f.district, ind, bw, f.lag)
    except NotAdditiveError:
        return Recomputed(missing=f"“{ind.name_zh}”不能由累计数相减得到{f.kind}数，无法核对")
    name = base_name(f.basis, f.kind)
    if pd.isna(current) or pd.isna(base):
        return Recomputed(base=base, missing=f"本期或{name}无数据，无法计算{f.basis}")
    if f.measure == "change_abs" or ind.is_rate:
        return Recomputed(to_decimal(current) - to_decimal(base), base)
    pct = pct_change(current, base)
    if pct is None:
        pct = zero_change(current, base)  # 0 against 0: 持平
    if pct is None and f.value == 0 and current != base:  # 持平 printed, yet it changed
        why = f"{name}为{number_text(base)}、本期为{number_text(current)}，不是持平"
        return Recomputed(base=base, missing=why, refutes=True)
    if pct is None:
        why = f"{name}为{number_text(base)}，无法计算{f.basis}百分比"
        return Recomputed(base=base, missing=why)
    return Recomputed(pct, base)


def _figure_unit(f: Figure, ind: Indicator) -> str:
    if f.measure == "share_pct" or (f.measure == "yoy_pct" and not ind.is_rate):
        return "%"
    if f.measure == "yoy_pct":
        return "个百分点"
    return ind.unit


def _judge(f: Figure, ind: Indicator, rec: Recomputed, consistency: tuple[str, str]) -> dict:
    """The verdict columns of one figure that could be looked at."""
    state, c_note = consistency
    q = f.qualifier
    range_text = accepted_range(f.value, q, f.decimals, f.rule)[2]
    if pd.isna(rec.value):
        verdict = "不一致" if state == "不自洽" or rec.refutes else "无法重算"
        note = "；".join(x for x in (rec.missing, c_note) if x)
        return _result(np.nan, "", range_text, verdict, state, note)
    unit = _figure_unit(f, ind)
    whole = rec.value == to_decimal(rec.value).to_integral_value()
    digits = 0 if whole else (f.decimals + 1 if unit != ind.unit else max(f.decimals, ind.decimals))
    rec_text = f"{format_number(rec.value, digits)}{unit}"
    ok = agrees(rec.value, f.value, q, f.decimals, f.rule)
    if ok:
        note = f"重算值{rec_text}，在可接受范围{range_text}内"
    elif not q:
        rounded = format_number(rec.value, f.decimals, rule=f.rule)
        note = f"重算值{rec_text}，{f.rule}到{f.decimals}位小数为{rounded}{unit}，与发布值不符"
    else:
        note = f"重算值{rec_text}，不在“{q}”的可接受范围{range_text}内"
    prior_ok, prior_note = _check_prior(f, ind, rec)
    verdict = "一致" if ok and prior_ok and state != "不自洽" else "不一致"
    note = "；".join(x for x in (note, prior_note, c_note) if x)
    return _result(float(rec.value), rec_text, range_text, verdict, state, note)


def _check_prior(f: Figure, ind: Indicator, rec: Recomputed) -> tuple[bool, str]:
    """Whether the prior value printed in brackets agrees with the recomputed base."""
    if f.prior is None:
        return True, ""
    name = base_name(f.basis, f.kind)
    unit = "%" if ind.is_rate else ind.unit
    shown = f"括号内{name}{number_text(f.prior)}{unit}"
    if pd.isna(rec.base):
        return False, f"{shown}无法核对（{name}无数据）"
    if agrees(rec.base, f.prior, "", None, f.rule):
        return True, f"{shown}与重算值一致"
    digits = 0 if float(rec.base).is_integer() else max(ind.decimals, 2)
    return False, f"{shown}与重算值{format_number(rec.base, digits)}{unit}不符"


def _result(recomputed, rec_text, range_text, verdict, consistency, note) -> dict:
    return {
        "recomputed": recomputed,
        "recomputed_text": rec_text,
        "accepted_range": range_text,
        "verdict": verdict,
        "consistency": consistency,
        "note": note,
    }


def _reconcile_one(f: Figure, catalogue, ytd: YearToDate, printed: dict) -> dict:
    ind = catalogue[f.indicator_id] if f.indicator_id in catalogue else None
    base = {
        "figure_id": f.figure_id,
        "indicator_id": f.indicator_id,
        "name_zh": ind.name_zh if ind else "",
        "measure": f.measure,
        "as_of": f.as_of,
        "sentence": f.sentence,
        "published": f.value,
        "qualifier": f.qualifier,
        "published_text": published_text(f, ind),
    }
    if ind is None:
        note = f"指标目录中没有指标“{f.indicator_id}”"
        return {**base, **_result(np.nan, "", "", "无法重算", "", note)}
    if f.comparability and f.measure in CHANGE_MEASURES:
        verdict = "无法环比" if f.basis == "环比" else "无法同比"
        note = f"原文声明：{f.comparability}；不计算{f.basis}"
        return {**base, **_result(np.nan, "", "", verdict, "", note)}
    if pd.isna(f.value):
        note = "发布值为空（只有填写了可比性说明的增减数字可以不填发布值）"
        return {**base, **_result(np.nan, "", "", "无法重算", "", note)}
    if f.district in ytd.errors:
        return {**base, **_result(np.nan, "", "", "无法重算", "", ytd.errors[f.district])}
    rec = _recompute(f, ind, ytd)
    return {**base, **_judge(f, ind, rec, self_consistency(f, ind, printed))}


def reconcile(
    tables: dict[str, pd.DataFrame],
    published: pd.DataFrame,
    catalogue: Catalogue | None = None,
    district: str | None = None,
    computed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published figure: the sentence, the published and recomputed values, the
    accepted range, the verdict (see VERDICTS), the self-consistency of the text (自洽 /
    不自洽 / empty when not applicable) and a Chinese note.

    ``published`` has the columns of schema.PUBLISHED_FIGURES (as loaded by analysis.inputs);
    the optional ones may be absent. ``district`` restricts to one district's figures.
    ``computed``: ``compute_indicators`` / ``compute_panel`` rows already at hand, reused
    for the dates they cover.
    """
    catalogue = catalogue or load_catalogue(district=district)
    pub = published if district is None else published.loc[published["district"] == district]
    figures = [figure_from_row(r) for r in pub.itertuples(index=False)]
    ytd = YearToDate(tables, catalogue, computed)
    for f in figures:
        if f.indicator_id in catalogue:
            ind = catalogue[f.indicator_id]
            windows = [f.window] + ([f.base_window] if f.measure in CHANGE_MEASURES else [])
            ytd.want(f.district, ind, [w for w in windows if w is not None])
    ytd.compute()
    printed = printed_values(figures)
    rows = [_reconcile_one(f, catalogue, ytd, printed) for f in figures]
    return pd.DataFrame(rows, columns=COLUMNS)


def summary_zh(df: pd.DataFrame) -> str:
    """'共核对71个数字：一致70个，不一致1个，无法重算0个。' (无法同比 / 无法环比 when any)."""
    counts = df["verdict"].value_counts()
    shown = [v for v in VERDICTS[:3]] + [v for v in VERDICTS[3:] if counts.get(v, 0)]
    parts = "，".join(f"{v}{int(counts.get(v, 0))}个" for v in shown)
    return f"共核对{len(df)}个数字：{parts}。"
