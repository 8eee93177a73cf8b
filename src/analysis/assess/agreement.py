"""Whether a recomputed value agrees with a published figure, given how it was printed.

- no qualifier: the recomputed value, rounded under the figure's rule to its decimals,
  equals it (−85 under 四舍五入 ⇒ true value in (−85.5, −84.5]; −30.77 under 截尾 ⇒
  (−30.78, −30.77]); the window is shown unrounded;
- 余 (“37000余”): recomputed ≥ published and < published + step, where step is the place
  value of the figure's second significant digit or its last non-zero digit, whichever is
  larger (37000余 → [37000, 38000); 8100余 → [8100, 8200); 7675余 → [7675, 7775));
- 以上 (“80%以上”, “下降20%以上”): the recomputed magnitude ≥ the published one, same sign;
- 约: |recomputed − published| ≤ half a step (step as for 余, 约3000 → [2500, 3500]);
- a prior value printed in brackets must agree with the recomputed base the same way.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from analysis.compare import format_number
from analysis.numbers import (
    decimals_of,
    round_decimal,
    rounding_window,
    to_decimal,
    window_text,
)


def round_step(x: float) -> float:
    """The “round” step of a published figure for 余 / 约 (see the module docstring)."""
    x = abs(float(x))
    d = decimals_of(x)
    if d > 0:
        return 10.0**-d
    n = int(round(x))
    if n == 0:
        return 1.0
    tz = len(str(n)) - len(str(n).rstrip("0"))
    second_sig = max(0, len(str(n)) - 2)
    return float(10 ** max(tz, second_sig))


def accepted_range(
    published: float, qualifier: str | None, decimals: int | None = None, rule: str | None = None
) -> tuple[float, float, str]:
    """(low, high, text) of the recomputed values that agree with ``published``; the text
    shows the exact, unrounded bounds."""
    p = float(published)
    q = qualifier or ""
    d = decimals_of(p)
    fmt = lambda v: format_number(v, max(d, 1) if v != int(v) else 0)  # noqa: E731
    if q == "余":
        step = round_step(p)
        return p, p + step, f"[{fmt(p)}, {fmt(p + step)})"
    if q == "以上":
        if p < 0:
            return -math.inf, p, f"≤ {fmt(p)}"
        return p, math.inf, f"≥ {fmt(p)}"
    if q == "约":
        half = round_step(p) / 2
        return p - half, p + half, f"[{fmt(p - half)}, {fmt(p + half)}]"
    window = rounding_window(fixed_decimal(p, decimals), decimals, rule)
    return float(window[0]), float(window[1]), window_text(*window)


def fixed_decimal(p: float, decimals: int | None) -> Decimal:
    """The published number with its declared decimals (50 with 2 → Decimal('50.00'))."""
    d = to_decimal(p)
    return d if decimals is None else d.quantize(Decimal(1).scaleb(-int(decimals)))


def agrees(
    recomputed,
    published: float,
    qualifier: str | None,
    decimals: int | None = None,
    rule: str | None = None,
) -> bool:
    """Whether a recomputed value agrees with a published figure, its qualifier, its
    declared decimals (default: as printed) and rounding rule (default: 四舍五入)."""
    if recomputed is None or pd.isna(recomputed) or not math.isfinite(float(recomputed)):
        return False
    r, p, q = float(recomputed), float(published), qualifier or ""
    eps = 1e-9
    if q == "余":
        lo, hi, _ = accepted_range(p, q)
        return lo - eps <= r < hi - eps
    if q == "以上":
        return r <= p + eps if p < 0 else r >= p - eps
    if q == "约":
        lo, hi, _ = accepted_range(p, q)
        return lo - eps <= r <= hi + eps
    d = decimals_of(p) if decimals is None else int(decimals)
    return round_decimal(recomputed, d, rule) == fixed_decimal(p, d)


def pct_change(current, prior) -> Decimal | None:
    """(current − prior) / prior × 100 exactly; None for a base that is not positive."""
    c, p = to_decimal(current), to_decimal(prior)
    if not p > 0:
        return None
    return (c - p) / p * 100


def implied_priors(
    current: float, stated_pct: float, decimals: int | None = None, rule: str | None = None
) -> list[int]:
    """Whole-number prior values that give ``stated_pct`` (% change, rounded under ``rule``
    to ``decimals``, default: as printed) for a whole-number ``current``. Empty = the stated
    percentage cannot come from whole counts: the text is inconsistent.

    >>> implied_priors(9, -85)
    [59, 60, 61, 62]
    >>> implied_priors(352, -27.52, 2)
    []
    >>> implied_priors(9, -30.77, 2, "截尾")  # 9/13 − 1 = −30.769…%, truncated −30.76
    []
    """
    d = decimals_of(stated_pct) if decimals is None else decimals
    target = fixed_decimal(stated_pct, d)
    c = int(round(float(current)))
    if float(stated_pct) <= -100:
        return []
    lo, hi, _, _ = rounding_window(target, d, rule)
    bounds = [c / f if f > 0 else math.inf for f in (1 + float(lo) / 100, 1 + float(hi) / 100)]
    p_lo = max(1, math.floor(min(bounds)) - 1)
    p_hi = max(bounds)
    if math.isinf(p_hi) or p_hi - p_lo > 100_000:
        p_hi = p_lo + 100_000
    out = []
    for p in range(p_lo, math.ceil(p_hi) + 2):
        pct = pct_change(c, p)
        if pct is not None and round_decimal(pct, d, rule) == target:
            out.append(p)
    return out


def number_text(x: float) -> str:
    """A number with the decimals it has (12, 12.5)."""
    return format_number(x, decimals_of(x))
