"""Chinese bulletin conventions for changes: 同比 / 环比 / 比前年, 百分点, rounding rules.

- 同比 = (本期 − 上年同期) / 上年同期 × 100%; 环比 and 比前年 the same against their base.
- Wording: “同比上升X%” / “同比下降X%” / “同比持平”. Bad-direction indicators (accidents,
  deaths, fires, hazards) rise and fall (上升 / 下降); work done grows (增长 / 下降).
- A zero base gives no percentage: “上年同期为0，增加N起” (unit-aware).
- Rates (unit %) change in 百分点: “同比提高X个百分点” / “同比降低X个百分点”; bad-direction
  rates “同比上升X个百分点” (see ``verbs_for``).
- Rounding follows a declared rule (analysis.numbers: 四舍五入 by default, 截尾,
  四舍六入五成双) on the decimal text of the number, so 2.675 → 2.68 under 四舍五入.
- Whether something rose, fell or stayed flat is judged on the unrounded values; a change
  that rounds to zero is written “基本持平”.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from analysis.numbers import (
    DEFAULT_RULE,
    format_number,
    format_percent,
    is_missing,
    round_half_up,
    round_number,
    to_decimal,
)

# the comparisons a figure can be made against, in the order tables show them: the same
# period one year back (同比), two years back (比前年), the previous month or quarter (环比)
COMPARISONS = ("同比", "比前年", "环比")

__all__ = [
    "DEFAULT_DECIMALS",
    "DEFAULT_RULE",
    "RATE_UNITS",
    "format_amount",
    "format_change",
    "format_number",
    "format_percent",
    "format_value",
    "round_half_up",
    "round_number",
    "verbs_for",
]

Kind = Literal["count", "rate"]

DEFAULT_DECIMALS = 1
BASE_NAMES = {"同比": "上年同期", "环比": "上月", "比前年": "前年同期"}
RATE_UNITS = {"%", "％"}


def format_value(
    x: float,
    unit: str = "",
    ndigits: int = 0,
    qualifier: str | None = None,
    *,
    rule: str | None = None,
) -> str:
    """7688, '家次' → '7688家次'; qualifier 余 → '7688余家次', 以上 → '80%以上', 约 → '约3000人';
    missing → '—'.

    >>> format_value(12.5, "%", 1, "约")
    '约12.5%'
    """
    if is_missing(x):
        return "—"
    q = qualifier or ""
    number = format_number(x, ndigits, rule=rule)
    if q == "约":
        return f"约{number}{unit}"
    if q == "以上":
        return f"{number}{unit}以上"
    return f"{number}{q}{unit}"


def format_amount(x) -> str:
    """An absolute difference as text: integers without decimals, else up to 2 decimals.

    >>> format_amount(-4.0), format_amount(2.50)
    ('4', '2.5')
    """
    x = abs(float(x))
    if x == int(x):
        return str(int(x))
    return format_number(x, 2).rstrip("0").rstrip(".")


def verbs_for(direction: str, kind: Kind = "count") -> tuple[str, str]:
    """Verbs of a change, as bulletins use them.

    >>> verbs_for("lower_better"), verbs_for("higher_better")
    (('上升', '下降'), ('增长', '下降'))
    >>> verbs_for("lower_better", "rate"), verbs_for("higher_better", "rate")
    (('上升', '下降'), ('提高', '降低'))
    """
    if direction == "lower_better":
        return ("上升", "下降")
    return ("提高", "降低") if kind == "rate" else ("增长", "下降")


def format_change(
    current: float,
    prior: float,
    unit: str = "",
    kind: Kind | None = None,
    label: str = "同比",
    ndigits: int = DEFAULT_DECIMALS,
    verbs: tuple[str, str] = ("上升", "下降"),
    *,
    rule: str | None = None,
    rate_verbs: tuple[str, str] = ("提高", "降低"),
) -> str:
    """The Chinese phrase for the change of ``current`` against ``prior``.

    >>> format_change(9, 60, "起")
    '同比下降85.0%'
    >>> format_change(3, 0, "起")
    '上年同期为0，增加3起'
    >>> format_change(95.5, 100.0, "%")
    '同比降低4.5个百分点'
    >>> format_change(1.6, 0, "%", rate_verbs=("上升", "下降"))
    '同比上升1.6个百分点'
    >>> format_change(13, 15, "起", label="比前年", ndigits=2, rule="截尾")
    '比前年下降13.33%'

    ``kind`` defaults to "rate" for unit % and "count" otherwise. ``verbs`` word counts,
    ``rate_verbs`` word rates (see ``verbs_for``). Missing values give “上年同期无数据” (or
    the base name that fits ``label``).
    """
    base = BASE_NAMES.get(label, f"{label}基期")
    if kind is None:
        kind = "rate" if unit in RATE_UNITS else "count"
    if is_missing(current):
        return ""
    if is_missing(prior):
        return f"{base}无数据"
    c, p = _dec(current), _dec(prior)
    if kind == "rate":
        return _change_words(c - p, label, ndigits, rule, rate_verbs, "个百分点")
    if c == p:
        return f"{label}持平"
    if p == 0:
        more = "增加" if c > 0 else "减少"
        return f"{base}为0，{more}{format_amount(c)}{unit}"
    if p < 0:  # a percentage of a negative base means nothing; give the difference
        more = "增加" if c > p else "减少"
        return f"{label}{more}{format_amount(c - p)}{unit}"
    return _change_words((c - p) / p * 100, label, ndigits, rule, verbs, "%")


def _change_words(diff, label, ndigits, rule, verbs, suffix) -> str:
    if diff == 0:
        return f"{label}持平"
    shown = round_number(abs(diff), ndigits, rule)
    if shown == 0:
        return f"{label}基本持平"
    word = verbs[0] if diff > 0 else verbs[1]
    return f"{label}{word}{format_number(shown, ndigits, rule=rule)}{suffix}"


def _dec(x) -> Decimal:
    return to_decimal(x) if isinstance(x, Decimal) else to_decimal(float(x))
