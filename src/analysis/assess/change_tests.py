"""Is a change real? Exact tests of two Poisson counts and of two proportions.

Counts (事故起数, 死亡人数 …) compared 同比, 比前年 or 环比 are treated as Poisson counts over
their exposure (the days of each period, or any other exposure). The p-value is the
conditional exact test (statsmodels ``test_poisson_2indep(method="exact-cond")``, the same
test as R ``poisson.test`` with two counts); ``method="etest"`` gives the E-test of
Krishnamoorthy and Thomson instead (scipy ``poisson_means_test``). The 95% interval of the
rate ratio is the conditional exact one: the Clopper–Pearson interval of the share
``current / (current + previous)`` mapped to the ratio scale, as R reports it.

Rates such as 整改率 and 覆盖率 are proportions: their change is given in 百分点 with the
Newcombe (Wilson score) interval of the difference, and the p-value is Fisher's exact test.

No distribution is written by hand here: every probability comes from scipy or statsmodels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats import proportion, rates

DEFAULT_LEVEL = 0.05
COUNT_METHODS = ("exact-cond", "etest")


@dataclass(frozen=True)
class CountChange:
    """Two Poisson counts compared: the rate ratio, its interval and the p-value."""

    current: int
    previous: int
    ratio: float  # rate ratio current/previous (inf when previous is 0, nan for 0 vs 0)
    ratio_low: float
    ratio_high: float
    p_value: float
    scale: float = 1.0  # exposure_previous / exposure_current

    def significant(self, level: float = DEFAULT_LEVEL) -> bool:
        """True when the p-value is below the level (5% unless the district sets another)
        and the exact (1 − level) interval of the ratio excludes 1. The two can disagree
        with unequal exposures (the p-value sums the least likely outcomes, the interval
        takes equal tails, as in R); such a change is not called significant."""
        if self.p_value >= check_level(level) or self.current + self.previous == 0:
            return False
        low, high = _ratio_interval(self.current, self.previous, self.scale, 1 - level)
        return high < 1 or low > 1


@dataclass(frozen=True)
class ProportionChange:
    """Two proportions compared: the change in 百分点, its interval and the p-value."""

    current: float  # proportion, 0..1
    previous: float
    points: float  # change in 百分点 (percentage points)
    points_low: float
    points_high: float
    p_value: float

    hits: tuple[int, int, int, int] = (0, 0, 0, 0)  # k1, n1, k0, n0

    def significant(self, level: float = DEFAULT_LEVEL) -> bool:
        """p below the level and the (1 − level) interval of the difference excludes 0."""
        if self.p_value >= check_level(level):
            return False
        low, high = proportion.confint_proportions_2indep(*self.hits, method="newcomb", alpha=level)
        return high < 0 or low > 0


def check_level(level: float) -> float:
    """A significance level must lie strictly between 0 and 0.5.

    >>> check_level(0.05)
    0.05
    """
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 0.5:
        raise ValueError(f"显著性水平应在 0 与 0.5 之间（例如 0.05），实际为“{level}”")
    return float(level)


def _count(value, name: str) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{name}应为非负整数，实际为“{value}”")
    number = float(value)
    if math.isnan(number) or number < 0 or number != int(number):
        raise ValueError(f"{name}应为非负整数，实际为“{value}”")
    return int(number)


def _exposure(value, name: str) -> float:
    number = float(value)
    if math.isnan(number) or number <= 0 or math.isinf(number):
        raise ValueError(f"{name}应为正数，实际为“{value}”")
    return number


def _odds(share: float) -> float:
    """share/(1−share), infinite at 1."""
    return math.inf if share >= 1 else share / (1 - share)


def _ratio_interval(x1: int, x0: int, scale: float, confidence: float) -> tuple[float, float]:
    """Clopper–Pearson interval of x1/(x1 + x0) mapped to the rate ratio."""
    share = stats.binomtest(x1, x1 + x0).proportion_ci(confidence_level=confidence, method="exact")
    return _odds(share.low) * scale, _odds(share.high) * scale


def compare_counts(
    current,
    previous,
    exposure_current=1.0,
    exposure_previous=1.0,
    *,
    method: str = "exact-cond",
    confidence: float = 0.95,
) -> CountChange:
    """Test two Poisson counts and give the exact interval of their rate ratio.

    >>> c = compare_counts(2, 1)
    >>> round(c.p_value, 3), round(c.ratio_low, 3), round(c.ratio_high, 1)
    (1.0, 0.104, 118.0)
    """
    if method not in COUNT_METHODS:
        raise ValueError(f"未知的计数检验方法“{method}”（可用：{'、'.join(COUNT_METHODS)}）")
    x1, x0 = _count(current, "本期数"), _count(previous, "对比期数")
    t1, t0 = _exposure(exposure_current, "本期暴露量"), _exposure(exposure_previous, "对比期暴露量")
    total = x1 + x0
    if total == 0:
        return CountChange(0, 0, math.nan, 0.0, math.inf, 1.0)
    ratio = math.inf if x0 == 0 else (x1 / t1) / (x0 / t0)
    with np.errstate(divide="ignore", invalid="ignore"):  # the ratio is inf when x0 is 0
        if method == "etest":
            p_value = float(stats.poisson_means_test(x1, t1, x0, t0).pvalue)
        else:
            test = rates.test_poisson_2indep(x1, t1, x0, t0, method="exact-cond")
            p_value = float(test.pvalue)
    low, high = _ratio_interval(x1, x0, t0 / t1, confidence)
    return CountChange(x1, x0, ratio, low, high, min(p_value, 1.0), t0 / t1)


def rate_interval(count, exposure=1.0, *, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) interval of a Poisson rate, as R ``poisson.test`` gives it.

    >>> [round(v, 4) for v in rate_interval(137, 24.19893)]
    [4.7531, 6.6927]
    """
    x, t = _count(count, "计数"), _exposure(exposure, "暴露量")
    low, high = rates.confint_poisson(x, t, method="exact-c", alpha=1 - confidence)
    return float(low), float(high)


def compare_proportions(
    hits_current,
    total_current,
    hits_previous,
    total_previous,
    *,
    confidence: float = 0.95,
) -> ProportionChange:
    """The change of a proportion in 百分点, with Fisher's exact p-value and the Newcombe
    (Wilson score) interval of the difference.

    >>> c = compare_proportions(45, 50, 40, 50)
    >>> round(c.points, 1), round(c.p_value, 3)
    (10.0, 0.262)
    """
    n1, n0 = _count(total_current, "本期总数"), _count(total_previous, "对比期总数")
    k1, k0 = _count(hits_current, "本期完成数"), _count(hits_previous, "对比期完成数")
    if k1 > n1 or k0 > n0:
        raise ValueError(f"完成数不能大于总数（本期 {k1}/{n1}，对比期 {k0}/{n0}）")
    if n1 == 0 or n0 == 0:
        raise ValueError(f"总数为0，无法比较比例（本期 {k1}/{n1}，对比期 {k0}/{n0}）")
    p_value = float(stats.fisher_exact([[k1, n1 - k1], [k0, n0 - k0]]).pvalue)
    low, high = proportion.confint_proportions_2indep(
        k1, n1, k0, n0, method="newcomb", alpha=1 - confidence
    )
    p1, p0 = k1 / n1, k0 / n0
    return ProportionChange(
        p1, p0, 100 * (p1 - p0), 100 * low, 100 * high, min(p_value, 1.0), (k1, n1, k0, n0)
    )
