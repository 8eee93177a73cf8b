"""The indicator frame's changes tested and marked: percentages only for real changes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.assess.change_marks import (
    NOISE,
    SIGNIFICANT,
    MarkWords,
    evidence_strength,
    mark_changes,
    month_exposures,
)
from analysis.assess.change_tests import compare_counts
from analysis.compare import format_change

AS_OF = pd.Timestamp("2020-10-31")


def _row(ind, value, prior, unit="起", *, month=(math.nan, math.nan), **extra):
    row = {
        "as_of": AS_OF,
        "area": extra.pop("area", "钟楼区"),
        "id": ind,
        "unit": unit,
        "period": extra.pop("period", "ytd"),
        "applicable": extra.pop("applicable", True),
        "value": value,
        "prior_value": prior,
        "prior2_value": math.nan,
        "month_value": month[0],
        "prev_month_value": month[1],
        "month_prior_value": math.nan,
        "yoy_text": format_change(value, prior, unit),
        "yoy2_text": "前年同期无数据",
        "mom_text": format_change(month[0], month[1], unit, label="环比"),
        "month_yoy_text": "上年同期无数据",
    }
    return row | extra


def _frame(*rows):
    return pd.DataFrame(list(rows))


def _one(frame, ind, column):
    return frame.set_index("id").at[ind, column]


def test_a_real_fall_keeps_its_percentage_and_is_marked_significant():
    out = mark_changes(_frame(_row("accidents", 9, 60)))
    assert _one(out, "accidents", "yoy_text") == "同比下降85.0%（变化显著）"
    assert _one(out, "accidents", "yoy_signal") == SIGNIFICANT
    assert _one(out, "accidents", "yoy_p") < 1e-9
    assert _one(out, "accidents", "yoy_interval") == "0.07至0.30"


@pytest.mark.parametrize(
    "value, prior, text",
    [
        (2, 1, "同比增加1起（属正常波动）"),
        (1, 2, "同比减少1起（属正常波动）"),
        (4, 9, "同比减少5起（属正常波动）"),
        (12, 8, "同比增加4起（属正常波动）"),
    ],
)
def test_noise_in_a_count_is_an_absolute_difference_never_a_percentage(value, prior, text):
    out = mark_changes(_frame(_row("x", value, prior)))
    assert _one(out, "x", "yoy_text") == text
    assert _one(out, "x", "yoy_signal") == NOISE
    assert "%" not in _one(out, "x", "yoy_text")


def test_a_zero_base_keeps_its_wording_and_gets_the_mark():
    out = mark_changes(_frame(_row("x", 3, 0)))
    assert _one(out, "x", "yoy_text") == "上年同期为0，增加3起（属正常波动）"


def test_no_change_money_snapshots_and_inapplicable_rows_are_left_alone():
    frame = _frame(
        _row("same", 5, 5),
        _row("zero", 0, 0),
        _row("money", 754.36, 3022.11, "万元"),
        _row("stock", 298, 290, "家", period="snapshot"),
        _row("other", 9, 60, applicable=False, yoy_text="不适用"),
    )
    out = mark_changes(frame)
    assert list(out["yoy_text"]) == list(frame["yoy_text"])
    assert (out["yoy_signal"] == "").all() and out["yoy_p"].isna().all()


def test_the_level_is_the_districts():
    frame = _frame(_row("cases", 101, 71))  # p ≈ 0.027
    assert _one(mark_changes(frame, level=0.05), "cases", "yoy_signal") == SIGNIFICANT
    strict = mark_changes(frame, level=0.01)
    assert _one(strict, "cases", "yoy_signal") == NOISE
    assert _one(strict, "cases", "yoy_text") == "同比增加30起（属正常波动）"
    with pytest.raises(ValueError, match="显著性水平"):
        mark_changes(frame, level=5)


def test_the_marks_come_from_the_wording():
    words = MarkWords(significant="【显著】", noise="【波动】")
    out = mark_changes(_frame(_row("a", 9, 60), _row("b", 2, 1)), words=words)
    assert list(out["yoy_text"]) == ["同比下降85.0%【显著】", "同比增加1起【波动】"]


def test_a_rate_is_tested_through_its_numerator_and_denominator():
    frame = _frame(
        _row("done", 190, 120, "项"),
        _row("found", 200, 200, "项"),
        _row("rate", 95.0, 60.0, "%", yoy_text="同比提高35.0个百分点"),
    )
    out = mark_changes(frame, fractions={"rate": ("done", "found")})
    assert _one(out, "rate", "yoy_text") == "同比提高35.0个百分点（变化显著）"
    assert _one(out, "rate", "yoy_interval").endswith("个百分点")
    assert math.isnan(_one(out, "rate", "yoy_ratio_low"))
    # without its parts a rate is not tested
    alone = mark_changes(frame, fractions={})
    assert _one(alone, "rate", "yoy_signal") == ""


def test_town_breakdowns_pair_a_rate_with_the_same_towns_parts():
    rows = []
    for town, done in (("甲镇", 190), ("乙镇", 121)):
        rows += [
            _row("done", done, 120, "项", area=town),
            _row("found", 200, 200, "项", area=town),
            _row("rate", done / 2, 60.0, "%", area=town, yoy_text="变了"),
        ]
    frame = _frame(*rows).rename(columns={"area": "town"})
    out = mark_changes(frame, fractions={"rate": ("done", "found")})
    rates = out[out["id"] == "rate"].set_index("town")["yoy_signal"]
    assert rates.to_dict() == {"甲镇": SIGNIFICANT, "乙镇": NOISE}


def test_month_changes_use_the_days_of_each_month():
    assert month_exposures(pd.Timestamp("2020-03-31")) == (31.0, 29.0)
    assert month_exposures(pd.Timestamp("2020-10-23")) == (23.0, 30.0)  # month so far
    # 1 in October's 31 days against 7 in September's 30: the least-likely-outcomes p-value
    # is 0.036, but the 95% interval of the ratio (0.003 to 1.08) holds 1: not significant
    out = mark_changes(_frame(_row("x", 9, 60, month=(1, 7))))
    assert _one(out, "x", "mom_p") == pytest.approx(0.0362, abs=1e-4)
    assert _one(out, "x", "mom_text") == "环比减少6起（属正常波动）"


def test_evidence_strength_weighs_a_halving_like_a_doubling():
    fall = {"yoy_ratio_low": 0.2, "yoy_ratio_high": 0.5}
    rise = {"yoy_ratio_low": 2.0, "yoy_ratio_high": 5.0}
    assert evidence_strength(fall) == pytest.approx(evidence_strength(rise))
    assert evidence_strength({"yoy_ratio_low": 0.5, "yoy_ratio_high": 2.0}) == 0
    assert math.isnan(evidence_strength({}))


def test_a_count_per_exposure_is_tested_as_the_count_over_its_exposure():
    frame = _frame(
        _row("major", 22, 16, "个"),
        _row("visits", 7688, 6921, "家次"),
        _row("per_k", 2.8616, 2.3118, "个/千家次", yoy_text="同比增长23.8%", decimals=2),
    )
    out = mark_changes(frame, fractions={"per_k": ("major", "visits")})
    change = compare_counts(22, 16, 7688, 6921)
    assert _one(out, "per_k", "yoy_p") == pytest.approx(change.p_value)
    assert _one(out, "per_k", "yoy_signal") == NOISE
    assert _one(out, "per_k", "yoy_text") == "同比增加0.55个/千家次（属正常波动）"
