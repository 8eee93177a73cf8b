"""同比/环比 wording and 四舍五入 — expectations computed by hand."""

from __future__ import annotations

import math

import pytest

from analysis.compare import (
    change_status,
    format_change,
    format_number,
    format_value,
    rate_change,
    round_half_up,
    yoy_change,
)


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


def test_yoy_change_values():
    assert yoy_change(9, 60) == pytest.approx(-85.0)
    assert yoy_change(4, 9) == pytest.approx(-55.5555555)
    assert yoy_change(209, 185) == pytest.approx(12.972973, rel=1e-6)
    assert math.isnan(yoy_change(3, 0))  # zero base: no percentage
    assert math.isnan(yoy_change(3, None))


def test_rate_change_and_status():
    assert rate_change(95.5, 100.0) == pytest.approx(-4.5)
    assert change_status(5, 5) == "flat"
    assert change_status(5, 4) == "up"
    assert change_status(4, 5) == "down"
    assert change_status(4, None) == ""


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
