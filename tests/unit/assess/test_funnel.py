"""Funnel-plot limits: exact Poisson, interpolated, widened for overdispersion."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analysis.assess.funnel import fit_funnel, funnel_curve, limits_at, poisson_limit


def test_the_interpolated_limit_lies_between_the_neighbouring_integers():
    for mean in [0.5, 3.0, 12.7, 80.0]:
        for p in [0.001, 0.025, 0.975, 0.999]:
            q = stats.poisson.ppf(p, mean)
            limit = float(poisson_limit(mean, p))
            assert max(q - 1, 0) <= limit <= q


def test_for_large_exposures_the_limits_approach_the_normal_ones():
    rate, n = 0.02, 1_000_000
    low, high = limits_at(n, rate, 1.0, 0.95)
    half = 1.959964 * np.sqrt(rate / n)
    assert float(high) - rate == pytest.approx(half, rel=0.01)
    assert rate - float(low) == pytest.approx(half, rel=0.01)


def test_the_998_limits_contain_the_95_limits_and_the_funnel_narrows():
    grid = np.array([10.0, 100.0, 1000.0])
    low95, high95 = limits_at(grid, 0.1, 1.0, 0.95)
    low998, high998 = limits_at(grid, 0.1, 1.0, 0.998)
    assert (low998 <= low95).all() and (high998 >= high95).all()
    assert (np.diff(high95) < 0).all() and (np.diff(low95) > 0).all()


def _towns():
    names = [f"镇{i}" for i in range(8)]
    exposure = [100, 120, 80, 150, 90, 110, 130, 200]
    counts = [5, 6, 4, 8, 4, 5, 7, 10]  # about 5 per 100 everywhere
    return names, counts, exposure


def test_towns_at_the_district_rate_are_all_within_and_not_ranked():
    fit = fit_funnel(*_towns(), per=100)
    assert (fit.towns["position"] == "within").all()
    assert fit.rate == pytest.approx(49 / 980 * 100)
    assert not fit.widened


def test_a_town_far_above_is_named_above_and_beyond_998():
    names, counts, exposure = _towns()
    counts[3] = 30
    fit = fit_funnel(names, counts, exposure, per=100)
    above = fit.towns[fit.towns["position"] == "above"]
    assert above["unit"].tolist() == ["镇3"]
    assert bool(above["beyond_998"].iloc[0])


def test_a_town_with_no_events_and_large_exposure_is_below():
    names, counts, exposure = _towns()
    counts[7], exposure[7] = 0, 600
    fit = fit_funnel(names, counts, exposure, per=100)
    assert fit.towns.set_index("unit").loc["镇7", "position"] == "below"


def test_overdispersion_widens_the_limits_by_root_phi():
    names = [f"镇{i}" for i in range(10)]
    counts = [2, 20, 3, 25, 1, 18, 4, 22, 2, 19]
    exposure = [100] * 10
    fit = fit_funnel(names, counts, exposure)
    assert fit.phi > 1 and fit.widened
    rate = fit.rate
    plain_low, plain_high = limits_at(100.0, rate, 1.0, 0.95)
    row = fit.towns.iloc[0]
    assert row["upper_95"] - rate == pytest.approx(np.sqrt(fit.phi) * (plain_high - rate))
    # with widened limits fewer towns stand out than with plain Poisson limits
    plain_out = ((fit.towns["rate"] > plain_high) | (fit.towns["rate"] < plain_low)).sum()
    assert (fit.towns["position"] != "within").sum() < plain_out


def test_a_town_without_exposure_keeps_its_row_and_is_not_placed():
    names, counts, exposure = _towns()
    exposure[0], counts[0] = 0, 0
    fit = fit_funnel(names, counts, exposure)
    row = fit.towns.set_index("unit").loc["镇0"]
    assert row["position"] == "no_exposure" and np.isnan(row["rate"])
    assert len(fit.towns) == 8


@pytest.mark.parametrize("bad", [(-1, 100), (1, -5), (None, 100)])
def test_negative_or_missing_values_are_refused_naming_the_town(bad):
    names, counts, exposure = _towns()
    counts[2], exposure[2] = bad
    with pytest.raises(ValueError, match="镇2"):
        fit_funnel(names, counts, exposure)


def test_the_curve_spans_the_towns_and_matches_their_limits():
    fit = fit_funnel(*_towns(), per=100)
    curve = funnel_curve(fit)
    assert curve["exposure"].min() < 80 and curve["exposure"].max() > 200
    row = fit.towns.iloc[0]
    at = np.interp(row["exposure"], curve["exposure"], curve["upper_95"])
    assert at == pytest.approx(row["upper_95"], rel=0.05)
