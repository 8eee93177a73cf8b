"""The control chart, the funnel and the forecast read in one sentence each."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.assess.evidence import ControlChart, TargetForecast
from analysis.assess.forecast import year_end_forecast
from analysis.assess.funnel import fit_funnel
from analysis.assess.process_limits import special_cause_episodes, xmr_limits
from analysis.present.evidence_words import (
    chance_text,
    control_frame,
    control_sentence,
    forecast_sentence,
    funnel_curve_frame,
    funnel_frame,
    funnel_sentence,
)
from analysis.present.wording import load_wording

WORDS = load_wording()


def _chart(values, *, lower_is_better=True, name="生产安全事故起数", **extra):
    months = pd.DataFrame(
        {"as_of": pd.date_range("2019-01-31", periods=len(values), freq="ME"), "value": values}
    )
    values = [float(v) for v in values]
    limits = xmr_limits(values) if len(values) >= 12 else None
    episodes = tuple(special_cause_episodes(values, limits)) if limits else ()
    return ControlChart("x", name, "起", lower_is_better, months, limits, episodes, **extra)


FALLING = [5, 6, 8, 5, 5, 5, 6, 6, 7, 7, 3, 3, 2, 2, 0, 1, 0, 1, 1, 0, 1, 1]
FLAT = [10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11]


def test_a_sustained_fall_is_read_as_improvement_from_its_first_month():
    text = control_sentence([_chart(FALLING)], WORDS)
    assert text == "生产安全事故起数2019年11月起连续12个月低于均值，属持续改善（特殊原因变化）。"


def test_the_same_run_of_something_that_should_grow_needs_attention():
    text = control_sentence([_chart(FALLING, lower_is_better=False, name="检查家次")], WORDS)
    assert "低于均值，须关注（特殊原因变化）" in text


def test_a_spike_in_the_latest_month_needs_its_cause_found():
    text = control_sentence([_chart([*FLAT, 40])], WORDS)
    assert "2020年1月超出控制上限，须查明原因（特殊原因变化）" in text


def test_an_old_special_cause_is_not_news():
    values = [4, 5, 6, 7, 8, 9, 10, *[6, 8] * 5]  # a rise that ended ten months ago
    chart = _chart(values)
    assert [e.rule for e in chart.episodes] == ["trend"]
    text = control_sentence([chart], WORDS)
    assert text == "生产安全事故起数近期各月均在控制限内，属正常波动。"


def test_too_few_months_are_said_not_charted():
    chart = _chart(FLAT[:8])
    assert (
        control_sentence([chart], WORDS)
        == "生产安全事故起数仅有8个月数据，不足12个月，暂不计算控制限。"
    )
    frame = control_frame([chart])
    assert frame["上限"].isna().all() and len(frame) == 8


@pytest.mark.parametrize(
    "assurance, words",
    [("chance", "在控制限内，能否达到属随机波动"), ("pass", "能稳定达到"), ("fail", "难以达到")],
)
def test_the_monthly_control_number_is_placed_against_the_limits(assurance, words):
    chart = _chart(FLAT, monthly_target=4.4, assurance=assurance)
    text = control_sentence([chart], WORDS)
    assert "按年度目标折算每月4.4起" in text and words in text


def test_the_chart_frame_marks_special_points_only():
    frame = control_frame([_chart([*FLAT[:6], 25, *FLAT[6:]])])
    assert frame["特殊原因"].notna().tolist() == [False] * 6 + [True] + [False] * 6
    assert list(frame.columns) == ["指标", "月份", "数值", "均值", "上限", "下限", "特殊原因"]


def _fit(counts):
    names = [f"镇{i}" for i in range(len(counts))]
    return fit_funnel(names, counts, [300] * len(counts), per=100)


def test_the_funnel_names_only_towns_outside_and_ranks_none():
    text = funnel_sentence(_fit([3, 4, 3, 30, 2, 3, 4, 3, 3, 2]), WORDS)
    assert "镇3高于预期" in text and "其余" in text
    for quiet in ("镇0", "镇1", "镇9"):
        assert quiet not in text


def test_a_funnel_without_outliers_says_so():
    text = funnel_sentence(_fit([3, 4, 3, 3, 2, 3, 4, 3]), WORDS)
    assert "各镇（街道）均在预期范围内" in text and "高于预期" not in text


def test_the_funnel_frames_have_chinese_columns_and_the_district_line():
    fit = _fit([3, 4, 3, 3])
    assert set(funnel_frame(fit)["位置"]) == {"在预期范围内"}
    curve = funnel_curve_frame(fit)
    assert (curve["全区平均"] == fit.rate).all()
    assert funnel_frame(None).empty and funnel_sentence(None, WORDS) == ""


def test_the_forecast_sentence_gives_the_interval_and_the_chance():
    forecast = year_end_forecast(9, 10, 2)
    target = TargetForecast("t", "全年不超过12起", "accidents", "起", forecast, 0.8588)
    text = forecast_sentence([target], WORDS, {"accidents": "生产安全事故起数"})
    assert text == (
        "按目前水平，全年预计生产安全事故起数9—14起，实现“全年不超过12起”目标的可能性约86%。"
    )


@pytest.mark.parametrize("p, text", [(0.999, "大于99%"), (0.004, "小于1%"), (0.5, "约50%")])
def test_chances_are_rounded_as_people_say_them(p, text):
    assert chance_text(p) == text


def test_the_double_decline_count_is_one_sentence():
    from analysis.present.evidence_words import double_decline_sentence

    assert (
        double_decline_sentence((8, 3), WORDS)
        == "全区8个镇（街道）中3个事故起数和死亡人数“双下降”。"
    )
    assert double_decline_sentence(None, WORDS) == ""
