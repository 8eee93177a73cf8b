"""Self-consistency of a bulletin's text, with or without records: a change printed with
its current value (and prior, when printed) must be reproducible from them at its printed
rounding (352 vs 486 printed as −27.52%: no whole prior gives −27.52%); a share printed with its
numerator and denominator must equal their quotient at its printed rounding.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from analysis.assess.agreement import fixed_decimal, implied_priors, number_text, pct_change
from analysis.assess.published_figures import CHANGE_MEASURES, Figure
from analysis.assess.zero_changes import zero_change, zero_consistency
from analysis.compare import format_number
from analysis.indicators.model import Indicator
from analysis.numbers import round_decimal, to_decimal
from analysis.periods import base_name

COUNT_UNITS = {"起", "人", "家", "家次", "人次", "场次", "次", "个", "项", "所", "处", "台", "辆"}


def printed_values(figures: list[Figure]) -> dict[tuple, float]:
    """Current values printed without qualifier, by (district, indicator, as-of, kind)."""
    return {
        f.key: f.value
        for f in figures
        if f.measure in ("value", "share_pct") and not f.qualifier and not pd.isna(f.value)
    }


def _stated_change(f: Figure, ind: Indicator, current: float, prior: float) -> Decimal | None:
    if f.measure == "change_abs" or ind.is_rate:
        return to_decimal(current) - to_decimal(prior)
    pct = pct_change(current, prior)
    return zero_change(current, prior) if pct is None else pct


def self_consistency(f: Figure, ind: Indicator, printed: dict) -> tuple[str, str]:
    """('自洽' | '不自洽' | '', note): does the text agree with itself?"""
    if f.qualifier or pd.isna(f.value) or (f.comparability and f.measure in CHANGE_MEASURES):
        return "", ""
    target = fixed_decimal(f.value, f.decimals)
    how = f"按{f.rule}保留{f.decimals}位小数"
    if f.measure == "share_pct" and ind.measure == "ratio":
        num = printed.get((f.district, ind.numerator, f.as_of, f.kind))
        den = printed.get((f.district, ind.denominator, f.as_of, f.kind))
        if num is None or den is None or not den > 0:
            return "", ""
        share = to_decimal(num) / to_decimal(den) * Decimal(repr(ind.scale))
        shown = format_number(share, f.decimals, rule=f.rule)
        if round_decimal(share, f.decimals, f.rule) == target:
            return "自洽", f"原文自洽：{number_text(num)}÷{number_text(den)}{how}为{shown}%"
        return "不自洽", f"原文自相矛盾：{number_text(num)}÷{number_text(den)}{how}为{shown}%"
    current = printed.get(f.key)
    if f.measure not in CHANGE_MEASURES or current is None:
        return "", ""
    name = base_name(f.basis, f.kind)
    if f.prior is not None:
        change = _stated_change(f, ind, current, f.prior)
        if change is None:
            return "", ""
        shown = format_number(change, f.decimals, rule=f.rule)
        both = f"本期{number_text(current)}、{name}{number_text(f.prior)}"
        if round_decimal(change, f.decimals, f.rule) == target:
            return "自洽", f"原文自洽：{both}，{how}为{shown}"
        return "不自洽", f"原文自相矛盾：{both}，{how}应为{shown}"
    if f.measure == "yoy_pct" and not ind.is_rate:
        zero = zero_consistency(current, target, ind.unit, name)
        if zero is not None:
            return zero
    if f.measure != "yoy_pct" or ind.unit not in COUNT_UNITS or current != int(current):
        return "", ""
    priors = implied_priors(current, f.value, f.decimals, f.rule)
    pct = format_number(f.value, f.decimals)
    if not priors:
        return "不自洽", (
            f"原文自相矛盾：本期{int(current)}{ind.unit}时，"
            f"没有任何整数{name}值能得出{pct}%（{f.rule}）"
        )
    shown = str(priors[0]) if len(priors) == 1 else f"{priors[0]}～{priors[-1]}"
    return "自洽", f"原文可由{name}{shown}{ind.unit}得出"
