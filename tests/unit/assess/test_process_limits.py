"""XmR limits and the Making Data Count special-cause rules: each rule fires and holds."""

from __future__ import annotations

import pytest

from analysis.assess.process_limits import (
    MIN_POINTS,
    assurance,
    enough_points,
    special_cause_episodes,
    special_causes,
    xmr_limits,
)

FLAT = [10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11]  # alternates about 10.5: nothing special


def test_known_answer_10_50_40_30():
    limits = xmr_limits([10, 50, 40, 30])
    assert limits.centre == 32.5
    assert limits.average_moving_range == 20
    assert limits.upper == pytest.approx(85.7)
    assert limits.lower_unfloored == pytest.approx(-20.7)
    assert limits.lower == 0  # counts cannot fall below 0


def test_the_lower_limit_is_not_floored_for_measures_that_can_be_negative():
    assert xmr_limits([10, 50, 40, 30], counts=False).lower == pytest.approx(-20.7)


def test_a_flat_series_has_no_special_cause():
    assert special_cause_episodes(FLAT) == []
    assert not special_causes(FLAT)["special"].any()


def test_a_point_outside_the_limits_fires_and_one_just_inside_does_not():
    limits = xmr_limits(FLAT)
    above = FLAT[:-1] + [limits.upper + 0.5]
    inside = FLAT[:-1] + [limits.upper - 0.01]
    fired = special_causes(above, limits)
    assert fired["outside"].tolist() == [False] * 11 + [True]
    assert not special_causes(inside, limits)["outside"].any()


def test_seven_in_a_row_below_the_mean_fires_and_six_do_not():
    limits = xmr_limits(FLAT)  # centre 10.5
    seven = [12, 11, 12, 11, 12] + [10, 9, 10, 9, 10, 9, 10]
    six = [12, 11, 12, 11, 12, 11] + [10, 9, 10, 9, 10, 9]
    (episode,) = [e for e in special_cause_episodes(seven, limits) if e.rule == "shift"]
    assert (episode.start, episode.length, episode.side) == (5, 7, "low")
    assert not [e for e in special_cause_episodes(six, limits) if e.rule == "shift"]


def test_a_point_on_the_mean_ends_a_run():
    limits = xmr_limits(FLAT)
    broken = [12, 12, 12, 10.5, 12, 12, 12, 12, 9, 9, 9, 9]
    assert not [e for e in special_cause_episodes(broken, limits) if e.rule == "shift"]


def test_seven_rising_points_fire_a_trend_and_six_do_not():
    seven = [5, 5, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7]
    six = [5, 5, 5, 5, 5, 5, 2, 3, 4, 5, 6, 7]
    trends = [e for e in special_cause_episodes(seven) if e.rule == "trend"]
    assert [(e.start, e.end, e.side) for e in trends] == [(5, 11, "high")]
    assert not [e for e in special_cause_episodes(six) if e.rule == "trend"]


def test_seven_falling_points_fire_a_low_trend_and_a_repeat_breaks_it():
    falling = [9, 8, 7, 6, 5, 4, 3]
    repeat = [9, 8, 7, 7, 6, 5, 4]
    assert [e.side for e in special_cause_episodes(falling) if e.rule == "trend"] == ["low"]
    assert not [e for e in special_cause_episodes(repeat) if e.rule == "trend"]


def test_two_of_three_beyond_two_thirds_fire_on_one_side_only():
    limits = xmr_limits(FLAT)
    near = limits.near_upper + 0.1  # beyond two-thirds, still inside the limit
    assert near < limits.upper
    fires = FLAT[:9] + [near, 10, near]
    frame = special_causes(fires, limits)
    assert frame["two_of_three"].tolist() == [False] * 9 + [True, False, True]
    assert not frame["outside"].any()
    low = limits.near_lower - 0.1
    split = FLAT[:9] + [near, 10, low]  # one high, one low: not the same side
    assert not special_causes(split, limits)["two_of_three"].any()
    once = FLAT[:9] + [near, 10, 10]
    assert not special_causes(once, limits)["two_of_three"].any()


def test_fewer_than_twelve_points_are_not_enough():
    assert MIN_POINTS == 12
    assert not enough_points(FLAT[:11]) and enough_points(FLAT)


@pytest.mark.parametrize("values", [[1], [], [1, float("nan"), 3]])
def test_too_few_or_missing_values_are_refused(values):
    with pytest.raises(ValueError, match="控制图"):
        xmr_limits(values)


def test_assurance_inside_the_limits_is_chance_and_outside_is_consistent():
    limits = xmr_limits([10, 50, 40, 30])
    assert assurance(limits, 40) == "chance"
    assert assurance(limits, 90) == "pass"  # fewer is better: the process stays under 90
    assert assurance(limits, 90, lower_is_better=False) == "fail"
    assert assurance(xmr_limits([100, 101, 99, 100]), 50) == "fail"
