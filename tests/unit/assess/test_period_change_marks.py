"""A month's, quarter's or half's changes (the 形势分析's frame) tested and marked as the
year-to-date frame's are: 同比, 比前年, 环比 over the days of each period, and 累计同比."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.assess.change_marks import (
    NOISE,
    PERIOD_COMPARISONS,
    SIGNIFICANT,
    mark_changes,
    month_exposures,
    period_exposures,
)
from analysis.assess.change_tests import compare_counts
from analysis.assess.comparability import INCOMPLETE, apply_marks
from analysis.compare import format_change

NAN = math.nan


def _row(ind, value, prior, unit="起", *, prev=NAN, ytd=(NAN, NAN), prior2=NAN, **extra):
    row = {
        "id": ind,
        "unit": unit,
        "decimals": 0,
        "value": value,
        "prior_value": prior,
        "prior2_value": prior2,
        "prev_value": prev,
        "ytd_value": ytd[0],
        "ytd_prior_value": ytd[1],
        "yoy_text": format_change(value, prior, unit),
        "yoy2_text": format_change(value, prior2, unit, label="比前年"),
        "mom_text": format_change(value, prev, unit, label="环比"),
        "ytd_yoy_text": format_change(ytd[0], ytd[1], unit),
    }
    return row | extra


def _marked(*rows, **options):
    frame = pd.DataFrame(list(rows))
    return mark_changes(frame, comparisons=PERIOD_COMPARISONS, **options).set_index("id")


def test_a_months_real_fall_is_significant_and_a_towns_one_to_two_is_not():
    out = _marked(_row("district", 9, 60), _row("town", 2, 1))
    assert out.at["district", "yoy_text"] == "同比下降85.0%（变化显著）"
    assert out.at["district", "yoy_p"] == pytest.approx(compare_counts(9, 60).p_value)
    assert out.at["district", "yoy_interval"] == "0.07至0.30"
    assert out.at["town", "yoy_text"] == "同比增加1起（属正常波动）"
    assert out.at["town", "yoy_signal"] == NOISE and "%" not in out.at["town", "yoy_text"]
    # the published known answer: 2 against 1 gives p = 1 and a ratio interval 0.10 to 118
    assert out.at["town", "yoy_p"] == pytest.approx(1.0)
    assert out.at["town", "yoy_ratio_low"] == pytest.approx(0.104, abs=5e-4)
    assert out.at["town", "yoy_ratio_high"] == pytest.approx(118.0, abs=0.05)


def test_every_comparison_of_the_period_is_marked_from_its_own_columns():
    row = _row("x", 9, 60, prev=30, prior2=61, ytd=(70, 140))
    out = _marked(row, exposures=period_exposures("month", "2020-03-31"))
    assert out.at["x", "yoy2_text"] == "比前年下降85.2%（变化显著）"
    assert out.at["x", "ytd_yoy_text"] == "同比下降50.0%（变化显著）"
    assert out.at["x", "ytd_yoy_signal"] == SIGNIFICANT
    # 环比: 9 in March's 31 days against 30 in February's 29
    assert out.at["x", "mom_p"] == pytest.approx(compare_counts(9, 30, 31, 29).p_value)
    assert out.at["x", "mom_signal"] == SIGNIFICANT


def test_the_ring_comparison_weighs_the_days_of_each_period():
    assert period_exposures("month", "2020-03-31") == {"mom": month_exposures("2020-03-31")}
    assert period_exposures("quarter", "2020-03-31") == {"mom": (91.0, 92.0)}  # Q1 vs Q4
    assert period_exposures("half", "2021-06-30") == {"mom": (181.0, 184.0)}
    with pytest.raises(ValueError, match="期间类型"):
        period_exposures("ytd", "2020-03-31")
    # the same counts over unequal spans give another p-value than over equal ones
    row = _row("x", 20, 10, prev=10)
    equal = _marked(row).at["x", "mom_p"]
    unequal = _marked(row, exposures={"mom": (31.0, 62.0)}).at["x", "mom_p"]
    assert unequal < equal
    assert unequal == pytest.approx(compare_counts(20, 10, 31, 62).p_value)


def test_small_counts_stay_absolute_differences_under_every_comparison():
    row = _row("x", 1, 2, prev=3, prior2=2, ytd=(4, 6))
    out = _marked(row)
    texts = [out.at["x", f"{k}_text"] for k in PERIOD_COMPARISONS]
    assert texts == [
        "同比减少1起（属正常波动）",
        "比前年减少1起（属正常波动）",
        "环比减少2起（属正常波动）",
        "同比减少2起（属正常波动）",
    ]
    assert not any(SIGNIFICANT in t or "%" in t for t in texts)


def test_unchanged_money_and_missing_figures_are_not_marked():
    out = _marked(
        _row("same", 4, 4, prev=4, ytd=(9, 9)),
        _row("money", 43.96, 24.68, "万元"),
        _row("none", NAN, NAN),
    )
    for ind in ("same", "money", "none"):
        for kind in PERIOD_COMPARISONS:
            assert out.at[ind, f"{kind}_signal"] == ""
            assert "（" not in str(out.at[ind, f"{kind}_text"])


@pytest.mark.parametrize(
    "comparison, column",
    [("同比", "yoy_text"), ("环比", "mom_text"), ("累计同比", "ytd_yoy_text")],
)
def test_a_declared_break_or_incomplete_data_win_over_the_mark(comparison, column):
    marked = mark_changes(
        pd.DataFrame([_row("x", 9, 60, prev=30, ytd=(70, 140))]), comparisons=PERIOD_COMPARISONS
    )
    assert marked.at[0, column].endswith("（变化显著）")
    for words in ("口径变化，无法同比", INCOMPLETE[comparison.removeprefix("累计")]):
        out = apply_marks(marked, {"x": {comparison: words}})
        assert out.at[0, column] == words
