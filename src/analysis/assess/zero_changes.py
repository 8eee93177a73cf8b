"""Changes that involve a zero, as bulletins print them.

"死亡0人，同比下降100%" holds for any positive prior value; "0起，同比持平" (0 against 0)
holds only for a prior of 0. Neither can come from the percentage formula alone (a base of
0 has no percentage), so both are judged here, for counts and for money alike.
"""

from __future__ import annotations

from decimal import Decimal

from analysis.numbers import to_decimal

FALL_TO_ZERO = Decimal(-100)


def zero_change(current, base) -> Decimal | None:
    """The percentage a bulletin prints when a zero is involved, or None when the usual
    formula applies: 0 against 0 → 0 (持平); 0 against a positive base → −100."""
    c, b = to_decimal(current), to_decimal(base)
    if c == 0 and b == 0:
        return Decimal(0)
    if c == 0 and b > 0:
        return FALL_TO_ZERO
    return None


def zero_consistency(current, stated_pct, unit: str, base_name: str) -> tuple[str, str] | None:
    """('自洽' | '不自洽', note) for a printed change whose current value is 0; None when the
    current value is not 0 (the usual checks apply)."""
    if to_decimal(current) != 0:
        return None
    stated = to_decimal(stated_pct)
    if stated == 0:
        return "自洽", f"原文自洽：本期0{unit}，{base_name}为0时同比持平"
    if stated == FALL_TO_ZERO:
        return "自洽", f"原文自洽：本期0{unit}，{base_name}大于0时均为下降100%"
    return "不自洽", (
        f"原文自相矛盾：本期0{unit}时只能是持平（{base_name}为0）或下降100%（{base_name}大于0）"
    )
