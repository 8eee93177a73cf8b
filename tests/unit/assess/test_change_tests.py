"""Exact tests of change: known answers from R and scipy, and the edges of the class."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.assess.change_tests import (
    check_level,
    compare_counts,
    compare_proportions,
    rate_interval,
)


def test_r_poisson_test_one_sample_interval():
    # R: poisson.test(137, 24.19893) -> 95 percent confidence interval 4.753125 6.692709
    low, high = rate_interval(137, 24.19893)
    assert low == pytest.approx(4.7531, abs=5e-5)
    assert high == pytest.approx(6.6927, abs=5e-5)


def test_r_poisson_test_two_samples():
    # R: poisson.test(c(11, 21), c(800, 3011)) -> ratio 1.971488, CI 0.8584264 4.2772659,
    # p-value = 0.07967
    change = compare_counts(11, 21, 800, 3011)
    assert change.ratio == pytest.approx(1.9715, abs=5e-5)
    assert change.ratio_low == pytest.approx(0.8584, abs=5e-5)
    assert change.ratio_high == pytest.approx(4.2773, abs=5e-5)
    assert change.p_value == pytest.approx(0.07967, abs=5e-6)
    assert not change.significant()


def test_scipy_poisson_means_test_example_with_the_e_test():
    # scipy docs: poisson_means_test(0, 100, 3, 100) -> pvalue 0.0883790...
    change = compare_counts(0, 3, 100, 100, method="etest")
    assert change.p_value == pytest.approx(0.0883790, abs=5e-8)
    # the conditional exact test of the same counts is more conservative
    assert compare_counts(0, 3, 100, 100).p_value == pytest.approx(0.25)


def test_two_against_one_is_nothing():
    change = compare_counts(2, 1)
    assert change.p_value == pytest.approx(1.0)
    assert change.ratio == 2.0
    assert round(change.ratio_low, 3) == 0.104
    assert round(change.ratio_high, 1) == 118.0
    assert not change.significant()


def test_sixty_to_nine_is_significant_at_one_percent_too():
    change = compare_counts(9, 60)
    assert change.ratio == pytest.approx(0.15)
    assert change.ratio_high < 1
    assert change.significant(0.05) and change.significant(0.01)


def test_zero_against_zero_is_not_a_change():
    change = compare_counts(0, 0)
    assert change.p_value == 1.0 and math.isnan(change.ratio)
    assert not change.significant()


@pytest.mark.parametrize("current, previous", [(5, 0), (0, 5)])
def test_a_zero_side_gives_an_open_interval_and_no_warning(current, previous, recwarn):
    change = compare_counts(current, previous)
    assert change.p_value == pytest.approx(0.0625)
    if previous == 0:
        assert change.ratio == math.inf and change.ratio_high == math.inf
    else:
        assert change.ratio == 0 and change.ratio_low == 0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_exposure_changes_the_ratio():
    # the same counts over a period twice as long are half the rate
    assert compare_counts(10, 10, 2, 1).ratio == pytest.approx(0.5)


@pytest.mark.parametrize(
    "args",
    [(-1, 3), (1.5, 3), (None, 3), (True, 3), (float("nan"), 3), (1, 3, 0, 1), (1, 3, 1, -2)],
)
def test_bad_counts_and_exposures_are_refused_in_chinese(args):
    with pytest.raises(ValueError, match="应为"):
        compare_counts(*args)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="未知的计数检验方法"):
        compare_counts(1, 2, method="wald")


@pytest.mark.parametrize("level", [0, 0.5, 1, -0.05, "0.05", True])
def test_a_level_outside_zero_to_a_half_is_refused(level):
    with pytest.raises(ValueError, match="显著性水平"):
        check_level(level)


@given(st.integers(0, 200), st.integers(0, 200))
def test_the_interval_holds_the_ratio_and_the_p_value_is_a_probability(current, previous):
    change = compare_counts(current, previous)
    assert 0 <= change.p_value <= 1
    if current + previous:
        assert change.ratio_low <= change.ratio <= change.ratio_high
        # significant at 5% exactly when the 95% interval excludes 1 (same conditional test
        # inverted) -- allow the boundary, where the two can disagree by rounding
        if change.p_value < 0.049:
            assert change.ratio_high < 1 or change.ratio_low > 1
        if change.p_value > 0.051:
            assert change.ratio_low <= 1 <= change.ratio_high


@given(st.integers(0, 100), st.integers(0, 100))
def test_swapping_equal_exposures_keeps_the_p_value(current, previous):
    a, b = compare_counts(current, previous), compare_counts(previous, current)
    assert a.p_value == pytest.approx(b.p_value)


def test_proportions_in_percentage_points_with_fisher_and_newcombe():
    change = compare_proportions(45, 50, 40, 50)
    assert change.points == pytest.approx(10.0)
    # scipy.stats.fisher_exact([[45, 5], [40, 10]]) and Newcombe's hybrid score interval
    assert change.p_value == pytest.approx(0.2623, abs=5e-5)
    assert change.points_low == pytest.approx(-4.34, abs=5e-3)
    assert change.points_high == pytest.approx(24.21, abs=5e-3)
    assert not change.significant()


def test_a_large_proportion_change_is_significant():
    change = compare_proportions(190, 200, 120, 200)
    assert change.points == pytest.approx(35.0)
    assert change.significant() and change.points_low > 0


@pytest.mark.parametrize("args", [(6, 5, 1, 5), (1, 5, 6, 5), (0, 0, 1, 5), (1, 5, 0, 0)])
def test_impossible_proportions_are_refused(args):
    with pytest.raises(ValueError, match="完成数不能大于总数|总数为0"):
        compare_proportions(*args)


def test_a_p_value_below_the_level_with_an_interval_holding_one_is_not_significant():
    change = compare_counts(1, 7, 31, 30)
    assert change.p_value < 0.05 and change.ratio_low < 1 < change.ratio_high
    assert not change.significant(0.05)


@given(st.integers(0, 60), st.integers(0, 60), st.integers(20, 40), st.integers(20, 40))
def test_significant_always_agrees_with_the_interval(current, previous, days1, days0):
    change = compare_counts(current, previous, days1, days0)
    if change.significant(0.05):
        assert change.p_value < 0.05
        assert change.ratio_high < 1 or change.ratio_low > 1


def test_proportions_disagreeing_with_their_interval_are_not_significant():
    for hits in [(9, 10, 4, 10), (19, 20, 14, 20), (45, 50, 37, 50)]:
        change = compare_proportions(*hits)
        if change.significant():
            assert change.points_low > 0 or change.points_high < 0
