"""Year-end forecast: Jeffreys Gamma posterior, negative-binomial predictive."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.assess.forecast import year_end_forecast


@pytest.mark.parametrize("elapsed, remaining", [(10, 2), (304, 61)])  # months, or days
def test_nine_accidents_by_october(elapsed, remaining):
    forecast = year_end_forecast(9, elapsed, remaining)
    assert (forecast.low, forecast.high) == (9, 14)
    assert round(forecast.probability_at_most(12), 2) == 0.86


def test_the_predictive_matches_a_gamma_poisson_simulation():
    # the NB predictive is the Gamma(x + 1/2, t) posterior mixed over Poisson(rate * s)
    rng = np.random.default_rng(20261207)
    rates = rng.gamma(9.5, 1 / 10, size=200_000)
    rest = rng.poisson(rates * 2)
    simulated = np.mean(9 + rest <= 12)
    assert year_end_forecast(9, 10, 2).probability_at_most(12) == pytest.approx(
        simulated, abs=0.005
    )


def test_the_interval_is_the_equal_tailed_quantiles():
    forecast = year_end_forecast(40, 181, 184)
    rest = stats.nbinom(40.5, 181 / 365)
    assert forecast.low == 40 + rest.ppf(0.025) and forecast.high == 40 + rest.ppf(0.975)
    assert forecast.low <= forecast.expected <= forecast.high


def test_a_fractional_target_counts_down_and_totals_below_the_count_so_far_are_impossible():
    forecast = year_end_forecast(9, 10, 2)
    assert forecast.probability_at_most(12.8) == forecast.probability_at_most(12)
    assert forecast.probability_at_most(8) == 0.0
    assert forecast.probability_at_least(9) == pytest.approx(1.0)
    assert forecast.probability_at_least(13) == pytest.approx(1 - forecast.probability_at_most(12))


def test_zero_so_far_still_allows_some_in_the_rest_of_the_year():
    forecast = year_end_forecast(0, 6, 6)
    assert forecast.low == 0 and forecast.high >= 1
    assert 0 < forecast.probability_at_most(0) < 1


def test_at_year_end_the_total_is_known():
    forecast = year_end_forecast(9, 365, 0)
    assert (forecast.low, forecast.high) == (9, 9)
    assert forecast.probability_at_most(9) == 1.0 and forecast.probability_at_most(8) == 0.0


@pytest.mark.parametrize(
    "args", [(-1, 10, 2), (1.5, 10, 2), (float("nan"), 10, 2), (3, 0, 2), (3, 10, -1)]
)
def test_impossible_inputs_are_refused(args):
    with pytest.raises(ValueError):
        year_end_forecast(*args)
