"""同比/环比 wording and the rounding rules — expectations computed by hand."""

from __future__ import annotations

import math

import pytest

from analysis.compare import (
    format_change,
    format_number,
    format_percent,
    format_value,
    round_half_up,
    round_number,
    verbs_for,
)
from analysis.errors import ConfigError
from analysis.numbers import decimals_of, rounding_window, rule_name, window_text


@pytest.mark.parametrize(
    ("x", "nd", "expected"),
    [
        (0.05, 1, 0.1),  # binary 0.05 is 0.05000000000000000277…, but we round the text
        (0.15, 1, 0.2),  # binary 0.15 is 0.1499999999999999944…; Python's round gives 0.1
        (0.25, 1, 0.3),  # banker's rounding would give 0.2
        (2.675, 2, 2.68),  # the classic: round(2.675, 2) == 2.67 in Python
        (1.005, 2, 1.01),
        (2.5, 0, 3.0),
        (3.5, 0, 4.0),
        (-0.05, 1, -0.1),  # halves go away from zero
        (-2.675, 2, -2.68),
        (-2.5, 0, -3.0),
        (55.555, 1, 55.6),
        (84.5, 0, 85.0),
        (0.04999, 1, 0.0),
    ],
)
def test_round_half_up(x, nd, expected):
    assert round_half_up(x, nd) == expected


def test_round_half_up_missing():
    assert math.isnan(round_half_up(float("nan"), 1))
    assert math.isnan(round_half_up(None, 1))


@pytest.mark.parametrize(
    ("current", "prior", "unit", "kwargs", "expected"),
    [
        (9, 60, "起", {}, "同比下降85.0%"),
        (4, 9, "人", {}, "同比下降55.6%"),  # −55.555…% → 55.6
        (45, 71, "起", {}, "同比下降36.6%"),  # −36.619…%
        (101, 71, "起", {"ndigits": 0}, "同比上升42%"),
        (209, 185, "家", {"verbs": ("增长", "下降")}, "同比增长13.0%"),
        (1105, 1000, "起", {"ndigits": 0}, "同比上升11%"),  # exactly +10.5% → 11
        (895, 1000, "起", {"ndigits": 0}, "同比下降11%"),  # exactly −10.5% → 11
        (5, 5, "起", {}, "同比持平"),
        (0, 0, "起", {}, "同比持平"),
        (3, 0, "起", {}, "上年同期为0，增加3起"),
        (453.5, 0, "万元", {}, "上年同期为0，增加453.5万元"),
        (2, 0, "人", {"label": "环比"}, "上月为0，增加2人"),
        (10001, 10000, "人次", {}, "同比基本持平"),  # +0.01% rounds to 0.0, but it did rise
        (7, None, "起", {}, "上年同期无数据"),
        (7, None, "起", {"label": "环比"}, "上月无数据"),
    ],
)
def test_format_change_counts(current, prior, unit, kwargs, expected):
    assert format_change(current, prior, unit, **kwargs) == expected


@pytest.mark.parametrize(
    ("current", "prior", "expected"),
    [
        (95.5, 100.0, "同比降低4.5个百分点"),
        (88.0, 85.25, "同比提高2.8个百分点"),  # 2.75 → 2.8
        (100.05, 100.0, "同比提高0.1个百分点"),  # float difference is 0.0499…, text is 0.05
        (100.04, 100.0, "同比基本持平"),
        (90.0, 90.0, "同比持平"),
        (0.0, 3.0, "同比降低3.0个百分点"),  # a zero rate is an ordinary value
    ],
)
def test_format_change_rates(current, prior, expected):
    assert format_change(current, prior, "%") == expected


def test_format_change_kind_override_and_missing_current():
    assert format_change(12.0, 10.0, "万元", kind="rate") == "同比提高2.0个百分点"
    assert format_change(None, 10, "起") == ""


def test_negative_base_gives_difference():
    assert format_change(-3, -5, "个") == "同比增加2个"


def test_format_value_and_number():
    assert format_value(7688, "家次") == "7688家次"
    assert format_value(37000, "份", qualifier="余") == "37000余份"
    assert format_value(80, "%", qualifier="以上") == "80%以上"
    assert format_value(3000, "人", qualifier="约") == "约3000人"
    assert format_value(float("nan"), "起") == "—"
    assert format_value(491.54, "万元", 2) == "491.54万元"
    assert format_number(-0.04, 1) == "0.0"  # no "-0.0"
    assert format_number(1234567, 0, thousands=True) == "1,234,567"


def test_change_on_a_vanishingly_small_base_does_not_crash():
    # found by hypothesis: a denormal base makes the percentage too long for Decimal
    text = format_change(1.0, 5e-324, "万元")
    assert text.startswith("同比上升") and text.endswith("%")


# --------------------------------------------------------------------------- rounding rules


@pytest.mark.parametrize(
    ("x", "nd", "half_up", "truncate", "half_even"),
    [
        (2.25, 1, 2.3, 2.2, 2.2),  # tie, even neighbour below
        (2.35, 1, 2.4, 2.3, 2.4),  # tie, even neighbour above
        (0.15, 1, 0.2, 0.1, 0.2),  # binary 0.1499…; the text is a tie
        (2.675, 2, 2.68, 2.67, 2.68),
        (2.665, 2, 2.67, 2.66, 2.66),
        (-2.25, 1, -2.3, -2.2, -2.2),  # halves away from zero / toward zero / to even
        (-30.779, 2, -30.78, -30.77, -30.78),
        (12.5, 0, 13.0, 12.0, 12.0),
        (13.5, 0, 14.0, 13.0, 14.0),
        (0.0, 1, 0.0, 0.0, 0.0),
    ],
)
def test_rules_at_ties(x, nd, half_up, truncate, half_even):
    assert round_number(x, nd, "四舍五入") == half_up
    assert round_number(x, nd, "截尾") == truncate
    assert round_number(x, nd, "四舍六入五成双") == half_even
    assert round_number(x, nd, "half_even") == half_even  # English alias


def test_unknown_rule_is_a_chinese_config_error():
    with pytest.raises(ConfigError, match="未知的修约规则“五入”"):
        rule_name("五入")


def test_format_number_follows_the_rule():
    assert format_number(2.665, 2) == "2.67"
    assert format_number(2.665, 2, rule="四舍六入五成双") == "2.66"
    assert format_number(-30.779, 2, rule="截尾") == "-30.77"
    assert format_number(-0.04, 1, rule="截尾") == "0.0"
    assert format_number(1234.5, 0, thousands=True, rule="四舍六入五成双") == "1,234"
    assert format_percent(12.25, 1, rule="截尾") == "12.2%"
    assert format_percent(None) == ""


def test_decimals_keep_trailing_zeros():
    assert decimals_of("50.00") == 2
    assert decimals_of("50") == 0
    assert decimals_of(50.0) == 0


@pytest.mark.parametrize(
    ("published", "rule", "text"),
    [
        ("-30.77", "截尾", "(-30.78, -30.77]"),
        ("30.77", "截尾", "[30.77, 30.78)"),
        ("-30.8", "四舍五入", "(-30.85, -30.75]"),
        ("50.00", "四舍五入", "[49.995, 50.005)"),
        ("50", "四舍五入", "[49.5, 50.5)"),
        ("2.2", "四舍六入五成双", "[2.15, 2.25]"),
        ("2.3", "四舍六入五成双", "(2.25, 2.35)"),
        ("0", "四舍五入", "(-0.5, 0.5)"),
        ("0", "截尾", "(-1, 1)"),
    ],
)
def test_rounding_windows_are_shown_unrounded(published, rule, text):
    assert window_text(*rounding_window(published, rule=rule)) == text


def test_change_wording_with_rules_and_bases():
    assert format_change(19, 15, "起", ndigits=2) == "同比上升26.67%"
    assert format_change(19, 22, "起", label="比前年", ndigits=2) == "比前年下降13.64%"
    assert format_change(19, 21, "起", label="环比", ndigits=2) == "环比下降9.52%"
    # 1/3 = 33.333…: truncated and half-even agree; 2/3 = 66.666… differs
    assert format_change(5, 3, "起", ndigits=2, rule="截尾") == "同比上升66.66%"
    assert format_change(5, 3, "起", ndigits=2) == "同比上升66.67%"
    # 1.25% exactly: half-up 1.3, half-even 1.2, truncated 1.2
    assert format_change(81, 80, "起", rule="四舍六入五成双") == "同比上升1.2%"
    assert format_change(81, 80, "起") == "同比上升1.3%"
    assert format_change(0, 0, "起", label="环比") == "环比持平"
    assert format_change(4, 0, "起", label="比前年") == "前年同期为0，增加4起"


def test_bad_direction_rates_rise_and_fall():
    up = verbs_for("lower_better", "rate")
    assert format_change(21.6, 20.0, "%", rate_verbs=up) == "同比上升1.6个百分点"
    assert format_change(18.4, 20.0, "%", rate_verbs=up) == "同比下降1.6个百分点"
    assert verbs_for("lower_better") == ("上升", "下降")
    assert verbs_for("neutral") == ("增长", "下降")


def test_about_goes_before_the_number():
    assert format_value(12.5, "%", 1, "约") == "约12.5%"


def test_numbers_beyond_decimal_precision_are_left_as_they_are():
    assert round_number(1e300, 1) == 1e300
    assert round_half_up(float("inf"), 1) == float("inf")
    assert format_number(1e30, 0) == "1" + "0" * 30  # the decimal text, not the binary value
