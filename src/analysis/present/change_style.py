"""A district's way of wording changes (``settings.text_options``), applied to the text
columns of the indicator frames before anything shows them, so sentences, tables, 本期要点
and indicators.csv agree:

- a count whose base is small is worded as a difference: "同比增加1起";
- the base in brackets after a change: "同比上升55.56%（上年同期18起）";
- without trailing zeros: "44%" for "44.00%".

Comparisons printed as words (a declared break, incomplete data) are marked afterwards and
are not touched here.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis.assess.self_consistency import COUNT_UNITS
from analysis.compare import BASE_NAMES, RATE_UNITS, format_amount, format_value
from analysis.settings.text_options import TextOptions

# text column → (current column, base column, label), for the year-to-date and period frames
YTD_TEXTS = {
    "yoy_text": ("value", "prior_value", "同比"),
    "yoy2_text": ("value", "prior2_value", "比前年"),
    "mom_text": ("month_value", "prev_month_value", "环比"),
    "month_yoy_text": ("month_value", "month_prior_value", "同比"),
}
PERIOD_TEXTS = {
    "yoy_text": ("value", "prior_value", "同比"),
    "yoy2_text": ("value", "prior2_value", "比前年"),
    "mom_text": ("value", "prev_value", "环比"),
    "ytd_yoy_text": ("ytd_value", "ytd_prior_value", "同比"),
}
_ZEROS = re.compile(r"(\d+)\.(\d*?)0+(%|个百分点)")
_NOT_A_CHANGE = ("", "不适用")


def strip_zeros(text: str) -> str:
    """'同比上升44.00%' → '同比上升44%'; '下降1.50个百分点' → '下降1.5个百分点'."""
    return _ZEROS.sub(lambda m: f"{m[1]}{'.' + m[2] if m[2] else ''}{m[3]}", text)


def _number(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _styled(text, current, base, unit, label, base_name, decimals, options, rule) -> str:
    if not isinstance(text, str) or text in _NOT_A_CHANGE or text.endswith("无数据"):
        return text
    c, b = _number(current), _number(base)
    counted = unit in COUNT_UNITS and unit not in RATE_UNITS
    if counted and c is not None and b is not None and 0 < b < options.small_counts_below:
        more = "增加" if c > b else "减少"
        text = f"{label}持平" if c == b else f"{label}{more}{format_amount(c - b)}{unit}"
    if options.bracketed_bases and b is not None and math.isfinite(b):
        shown = format_value(b, unit, decimals, rule=rule)
        text += f"（{base_name}{shown}）"
    return text if options.trailing_zeros else strip_zeros(text)


def restyle(frame: pd.DataFrame, options: TextOptions, rule=None, kind: str = "") -> pd.DataFrame:
    """``frame`` with its change texts in the district's style; unchanged with the default
    options and no small counts."""
    if frame.empty:
        return frame
    texts = YTD_TEXTS if "month_value" in frame.columns else PERIOD_TEXTS
    out = frame.copy()
    for column, (current, base, label) in texts.items():
        if column not in out.columns or base not in out.columns:
            continue
        name = "上季度" if label == "环比" and kind == "quarter" else BASE_NAMES[label]
        out[column] = [
            _styled(t, c, b, u, label, name, int(d), options, rule)
            for t, c, b, u, d in zip(
                out[column], out[current], out[base], out["unit"], out["decimals"], strict=True
            )
        ]
    return out
