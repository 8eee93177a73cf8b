"""A year-end forecast with an interval, and the chance of meeting a count target.

The year-to-date count x over the elapsed exposure t (days, or months) gives the Poisson
rate a Jeffreys posterior Gamma(x + ½, rate t). The count in the remaining exposure s then
has the negative-binomial predictive distribution with size x + ½ and success probability
t / (t + s) (scipy ``nbinom``); the full-year total is x plus that count. The interval is the
equal-tailed 2.5% and 97.5% quantiles.

Assumptions (they reproduce the issue's example, 9 accidents in January–October → 9 to 14
and P(total ≤ 12) = 0.86, with either 10 of 12 months or 304 of 365 days): the rest of the
year runs at the same underlying rate as the year so far, no seasonality, and the
year-to-date figures are complete.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

JEFFREYS = 0.5


@dataclass(frozen=True)
class YearForecast:
    so_far: int
    elapsed: float
    remaining: float
    low: int
    high: int
    expected: float

    def _rest(self):
        share = self.elapsed / (self.elapsed + self.remaining)
        return stats.nbinom(self.so_far + JEFFREYS, share)

    def probability_at_most(self, total: float) -> float:
        """P(full-year total ≤ total); a fractional bound counts down (≤ 12.8 is ≤ 12).

        >>> round(year_end_forecast(9, 10, 2).probability_at_most(12), 2)
        0.86
        """
        bound = math.floor(round(float(total), 9)) - self.so_far
        if bound < 0:
            return 0.0
        if self.remaining == 0:
            return 1.0
        return float(self._rest().cdf(bound))

    def probability_at_least(self, total: float) -> float:
        """P(full-year total ≥ total)."""
        bound = math.ceil(round(float(total), 9))
        return 1.0 - self.probability_at_most(bound - 1)


def year_end_forecast(
    so_far, elapsed: float, remaining: float, *, confidence: float = 0.95
) -> YearForecast:
    """Predictive interval of the full-year total from the count so far.

    >>> f = year_end_forecast(9, 10, 2)
    >>> f.low, f.high
    (9, 14)
    """
    count = float(so_far)
    if math.isnan(count) or count < 0 or count != int(count):
        raise ValueError(f"年初至今的数应为非负整数，实际为“{so_far}”")
    if not elapsed > 0 or remaining < 0:
        raise ValueError(f"已过时间应为正数、剩余时间不能为负（已过 {elapsed}，剩余 {remaining}）")
    x = int(count)
    if remaining == 0:
        return YearForecast(x, float(elapsed), 0.0, x, x, float(x))
    rest = stats.nbinom(x + JEFFREYS, elapsed / (elapsed + remaining))
    tail = (1 - confidence) / 2
    low, high = rest.ppf(tail), rest.ppf(1 - tail)
    expected = x + float(rest.mean())
    return YearForecast(x, float(elapsed), float(remaining), x + int(low), x + int(high), expected)
