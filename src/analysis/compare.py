"""Chinese bulletin conventions for changes: 同比 / 环比, 百分点, 四舍五入.

- 同比 = (本期 − 上年同期) / 上年同期 × 100%; 环比 the same against the previous period.
- Wording: “同比上升X%” / “同比下降X%” / “同比持平”; verbs are configurable (“增长/减少”).
- A zero base gives no percentage: “上年同期为0，增加N起” (unit-aware).
- Rates (unit %) change in 百分点: “同比提高X个百分点” / “同比降低X个百分点”.
- Rounding is 四舍五入 (Decimal ROUND_HALF_UP, i.e. halves away from zero) on the decimal
  text of the number, so 2.675 → 2.68 and 0.05 → 0.1 despite binary floating point.
- Whether something rose, fell or stayed flat is judged on the unrounded values; a change
  that rounds to zero is written “基本持平”.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

Kind = Literal["count", "rate"]

DEFAULT_DECIMALS = 1
_BASE_NAMES = {"同比": "上年同期", "环比": "上月", "比前年": "前年同期"}
RATE_UNITS = {"%", "％"}


def _is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def round_half_up(x: float | Decimal, ndigits: int = DEFAULT_DECIMALS) -> float:
    """四舍五入 to ``ndigits`` decimals (halves away from zero), on the shortest decimal
    representation of ``x``: ``round_half_up(2.675, 2) == 2.68``, ``round_half_up(-0.05, 1)
    == -0.1``. NaN / None stay NaN."""
    if isinstance(x, Decimal):
        try:
            return float(x.quantize(Decimal(1).scaleb(-ndigits), rounding=ROUND_HALF_UP))
        except InvalidOperation:  # more digits than the context holds: beyond rounding
            return float(x)
    if _is_missing(x):
        return math.nan
    try:
        d = Decimal(repr(float(x)))
        q = Decimal(1).scaleb(-ndigits)
        return float(d.quantize(q, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # inf
        return float(x)


def format_number(x: float, ndigits: int = 0, thousands: bool = False) -> str:
    """A number as text with ``ndigits`` decimals after 四舍五入; ``""`` for missing."""
    if _is_missing(x):
        return ""
    r = round_half_up(x, ndigits)
    if r == 0:
        r = 0.0  # no "-0"
    text = f"{r:,.{ndigits}f}" if thousands else f"{r:.{ndigits}f}"
    return text


def format_value(x: float, unit: str = "", ndigits: int = 0, qualifier: str | None = None) -> str:
    """7688, '家次' → '7688家次'; qualifier 余 → '7688余家次', 以上 → '80%以上', 约 → '约3000人';
    missing → '—'."""
    if _is_missing(x):
        return "—"
    q = qualifier or ""
    if q == "约":
        return f"约{format_number(x, ndigits)}{unit}"
    if q == "以上":
        return f"{format_number(x, ndigits)}{unit}以上"
    return f"{format_number(x, ndigits)}{q}{unit}"


def _amount(x) -> str:
    """An absolute difference as text: integers without decimals, else up to 2 decimals."""
    x = abs(float(x))
    if x == int(x):
        return str(int(x))
    return format_number(x, 2).rstrip("0").rstrip(".")


def yoy_change(current: float, prior: float) -> float:
    """(current − prior) / prior × 100, unrounded; NaN if either is missing or prior ≤ 0."""
    if _is_missing(current) or _is_missing(prior) or float(prior) <= 0:
        return math.nan
    return (float(current) - float(prior)) / float(prior) * 100.0


def rate_change(current: float, prior: float) -> float:
    """Difference of two rates in 百分点 (current − prior), unrounded."""
    if _is_missing(current) or _is_missing(prior):
        return math.nan
    return float(current) - float(prior)


def change_status(current: float, prior: float) -> str:
    """'up' / 'down' / 'flat' on unrounded values, '' if either is missing."""
    if _is_missing(current) or _is_missing(prior):
        return ""
    c, p = float(current), float(prior)
    return "up" if c > p else "down" if c < p else "flat"


def format_change(
    current: float,
    prior: float,
    unit: str = "",
    kind: Kind | None = None,
    label: str = "同比",
    ndigits: int = DEFAULT_DECIMALS,
    verbs: tuple[str, str] = ("上升", "下降"),
) -> str:
    """The Chinese phrase for the change of ``current`` against ``prior``.

    >>> format_change(9, 60, "起")
    '同比下降85.0%'
    >>> format_change(3, 0, "起")
    '上年同期为0，增加3起'
    >>> format_change(95.5, 100.0, "%")
    '同比降低4.5个百分点'

    ``kind`` defaults to "rate" for unit % and "count" otherwise. Missing values give
    “上年同期无数据” (or the base name that fits ``label``).
    """
    base = _BASE_NAMES.get(label, f"{label}基期")
    if kind is None:
        kind = "rate" if unit in RATE_UNITS else "count"
    if _is_missing(current):
        return ""
    if _is_missing(prior):
        return f"{base}无数据"
    c, p = _dec(current), _dec(prior)
    up, down = verbs
    if kind == "rate":
        diff = c - p
        if diff == 0:
            return f"{label}持平"
        r = round_half_up(abs(diff), ndigits)
        if r == 0:
            return f"{label}基本持平"
        word = "提高" if diff > 0 else "降低"
        return f"{label}{word}{format_number(r, ndigits)}个百分点"
    if c == p:
        return f"{label}持平"
    if p == 0:
        more = "增加" if c > 0 else "减少"
        return f"{base}为0，{more}{_amount(c)}{unit}"
    if p < 0:  # a percentage of a negative base means nothing; give the difference
        more = "增加" if c > p else "减少"
        return f"{label}{more}{_amount(c - p)}{unit}"
    pct = (c - p) / p * 100
    r = round_half_up(abs(pct), ndigits)
    if r == 0:
        return f"{label}基本持平"
    word = up if pct > 0 else down
    return f"{label}{word}{format_number(r, ndigits)}%"


def _dec(x) -> Decimal:
    """A number as the Decimal of its shortest text (0.1 → Decimal('0.1'))."""
    if isinstance(x, Decimal):
        return x
    return Decimal(repr(float(x)))


def verbs_for(direction: str) -> tuple[str, str]:
    """Verbs of a change: accidents 上升/下降; work done 增长/下降."""
    return ("上升", "下降") if direction == "lower_better" else ("增长", "下降")
