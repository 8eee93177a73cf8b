"""Rounding rules and number formatting: the one place numbers become text.

Three rules are in use in Chinese bulletins:

- 四舍五入 (half-up: halves away from zero; the project's default),
- 截尾 (truncation toward zero: −30.779 → −30.77),
- 四舍六入五成双 (half-even, GB/T 8170: 2.25 → 2.2, 2.35 → 2.4).

Every rule works on the decimal text of the number (its shortest ``repr``), so a tie such as
2.675 is a tie although the binary float is slightly below it. Published figures keep the
decimals they were printed with, trailing zeros included ("50.00" has 2 decimals), so a
figure is a ``Decimal``, never a float, when its precision matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from analysis.errors import ConfigError

HALF_UP = "四舍五入"
TRUNCATE = "截尾"
HALF_EVEN = "四舍六入五成双"
RULES = {HALF_UP: ROUND_HALF_UP, TRUNCATE: ROUND_DOWN, HALF_EVEN: ROUND_HALF_EVEN}
_ALIASES = {"half_up": HALF_UP, "truncate": TRUNCATE, "half_even": HALF_EVEN}
DEFAULT_RULE = HALF_UP
ROUNDING_RULES = tuple(RULES)  # the rules a district or a published figure may declare


def rule_name(rule: str | None) -> str:
    """The Chinese name of a rounding rule; English aliases and None (default) accepted.

    >>> rule_name("half_even")
    '四舍六入五成双'
    >>> rule_name(None)
    '四舍五入'
    """
    if rule is None or (isinstance(rule, float) and math.isnan(rule)) or rule == "":
        return DEFAULT_RULE
    name = _ALIASES.get(str(rule).strip(), str(rule).strip())
    if name not in RULES:
        raise ConfigError(f"未知的修约规则“{rule}”（可用：{'、'.join(RULES)}）")
    return name


def is_missing(x) -> bool:
    """None, NaN or something that is not a number."""
    if x is None:
        return True
    if isinstance(x, Decimal):
        return x.is_nan()
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def to_decimal(x) -> Decimal:
    """A number as the Decimal of its shortest text (0.1 → Decimal('0.1')); text such as
    "50.00" keeps its trailing zeros.

    >>> to_decimal(0.1)
    Decimal('0.1')
    >>> to_decimal("50.00")
    Decimal('50.00')
    """
    if isinstance(x, Decimal):
        return x
    if isinstance(x, str):
        return Decimal(x.strip())
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(float(x)))


def decimals_of(x) -> int:
    """Decimals of a number as written: "50.00" → 2, 55.6 → 1, 85.0 → 0, 37000 → 0.

    >>> decimals_of("50.00"), decimals_of(55.6), decimals_of(85.0)
    (2, 1, 0)
    """
    if isinstance(x, str):
        return max(0, -int(to_decimal(x).as_tuple().exponent))
    d = to_decimal(x)
    if d == d.to_integral_value():
        return 0
    return max(0, -int(d.normalize().as_tuple().exponent))


def round_decimal(x, ndigits: int, rule: str | None = None) -> Decimal:
    """``x`` rounded to ``ndigits`` decimals under ``rule``, as an exact Decimal.

    >>> str(round_decimal(2.675, 2)), str(round_decimal(-30.779, 2, "截尾"))
    ('2.68', '-30.77')
    >>> str(round_decimal(2.25, 1, "四舍六入五成双")), str(round_decimal(2.35, 1, "half_even"))
    ('2.2', '2.4')
    """
    return to_decimal(x).quantize(Decimal(1).scaleb(-ndigits), rounding=RULES[rule_name(rule)])


def round_number(x, ndigits: int = 1, rule: str | None = None) -> float:
    """``x`` rounded under ``rule`` as a float; NaN / None stay NaN, inf stays inf.

    >>> round_number(0.05, 1), round_number(0.05, 1, "截尾"), round_number(0.05, 1, "half_even")
    (0.1, 0.0, 0.0)
    """
    if is_missing(x):
        return math.nan
    if not math.isfinite(float(x)):
        return float(x)
    try:
        return float(round_decimal(x, ndigits, rule))
    except InvalidOperation:  # more digits than the context holds: beyond rounding
        return float(x)


def round_half_up(x, ndigits: int = 1) -> float:
    """四舍五入 (kept for callers): ``round_half_up(2.675, 2) == 2.68``.

    >>> round_half_up(-0.05, 1)
    -0.1
    """
    return round_number(x, ndigits, HALF_UP)


def format_number(x, ndigits: int = 0, thousands: bool = False, *, rule: str | None = None) -> str:
    """A number as text with ``ndigits`` decimals under ``rule``; ``""`` for missing; never
    "-0".

    >>> format_number(2.675, 2), format_number(2.675, 2, rule="截尾")
    ('2.68', '2.67')
    >>> format_number(1234.5, 0, thousands=True), format_number(-0.04, 1)
    ('1,235', '0.0')
    """
    if is_missing(x):
        return ""
    if math.isinf(float(x)):
        return "∞" if float(x) > 0 else "-∞"
    try:
        r = round_decimal(x, ndigits, rule)
    except InvalidOperation:  # more digits than the context holds
        r = to_decimal(x)
    if r == 0:
        r = abs(r)
    return f"{r:,.{ndigits}f}" if thousands else f"{r:.{ndigits}f}"


def format_percent(x, ndigits: int = 1, *, rule: str | None = None) -> str:
    """A percentage as text: 12.345 → "12.3%"; ``""`` for missing.

    >>> format_percent(12.35), format_percent(12.35, rule="四舍六入五成双")
    ('12.4%', '12.4%')
    """
    text = format_number(x, ndigits, rule=rule)
    return f"{text}%" if text else ""


def rounding_window(published, decimals: int | None = None, rule: str | None = None):
    """The exact values that print as ``published`` at ``decimals`` under ``rule``:
    ``(low, high, low_closed, high_closed)`` as Decimals.

    >>> rounding_window("-30.77", rule="截尾")
    (Decimal('-30.78'), Decimal('-30.77'), False, True)
    >>> rounding_window("-85")
    (Decimal('-85.5'), Decimal('-84.5'), False, True)
    >>> rounding_window("2.2", rule="四舍六入五成双")
    (Decimal('2.15'), Decimal('2.25'), True, True)
    """
    p = to_decimal(published)
    d = decimals_of(published) if decimals is None else decimals
    step = Decimal(1).scaleb(-d)
    half = step / 2
    name = rule_name(rule)
    if name == TRUNCATE:
        if p > 0:
            return p, p + step, True, False
        if p < 0:
            return p - step, p, False, True
        return -step, step, False, False
    if name == HALF_EVEN:
        last_digit = int(p.quantize(step).scaleb(d).copy_abs()) % 10
        closed = last_digit % 2 == 0
        return p - half, p + half, closed, closed
    if p > 0:
        return p - half, p + half, True, False
    if p < 0:
        return p - half, p + half, False, True
    return -half, half, False, False


def window_text(low: Decimal, high: Decimal, low_closed: bool, high_closed: bool) -> str:
    """An interval as text, bounds unrounded: "(-30.78, -30.77]".

    >>> window_text(Decimal("55.55"), Decimal("55.65"), True, False)
    '[55.55, 55.65)'
    """
    left = "[" if low_closed else "("
    right = "]" if high_closed else ")"
    return f"{left}{_plain(low)}, {_plain(high)}{right}"


def _plain(d: Decimal) -> str:
    """A Decimal without exponent or needless trailing zeros: 85.50 → "85.5", 0E-2 → "0"."""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@dataclass(frozen=True)
class TextStyle:
    """How the text columns word numbers: the rounding rule (None = 四舍五入) and the
    decimals of 同比/比前年 and 环比 (a district's settings, ``district_settings``)."""

    rule: str | None = None
    change_decimals: int = 1
    ring_decimals: int = 1

    def decimals(self, label: str) -> int:
        return self.ring_decimals if label == "环比" else self.change_decimals
