"""本期要点 picks the change the evidence supports most and never headlines noise."""

from __future__ import annotations

import pandas as pd

from analysis.assess.change_marks import mark_changes
from analysis.compare import format_change
from analysis.present.highlights import largest_change


def _frame(rows):
    frame = pd.DataFrame(
        [
            {
                "as_of": pd.Timestamp("2020-10-31"),
                "area": "钟楼区",
                "id": ind,
                "unit": unit,
                "period": "ytd",
                "applicable": True,
                "value": value,
                "prior_value": prior,
                "yoy_text": format_change(value, prior, unit),
            }
            for ind, unit, value, prior in rows
        ]
    )
    return mark_changes(frame)


def test_a_small_count_doubling_never_outranks_a_large_real_fall():
    ind = _frame(
        [
            ("town_small", "起", 2, 1),  # +100%, noise
            ("forklift", "起", 9, 60),  # −85%, real
            ("visits", "家次", 7688, 6921),  # +11%, real but a small change
        ]
    )
    assert largest_change(ind) == "forklift"


def test_the_guaranteed_size_decides_not_the_p_value():
    # 7688 vs 6921 has the smaller p-value; 30 vs 5 guarantees the larger change
    ind = _frame([("visits", "家次", 7688, 6921), ("overdue", "项", 30, 5)])
    assert ind.set_index("id").at["visits", "yoy_p"] < ind.set_index("id").at["overdue", "yoy_p"]
    assert largest_change(ind) == "overdue"


def test_noise_money_and_headline_figures_are_never_chosen():
    ind = _frame(
        [
            ("small", "起", 12, 8),
            ("fines", "万元", 267.0, 118.0),
            ("accidents", "起", 9, 60),  # a headline figure, already in the first point
        ]
    )
    assert largest_change(ind) is None


def test_an_untested_frame_headlines_no_change():
    ind = _frame([("forklift", "起", 9, 60)]).drop(columns=["yoy_signal"])
    assert largest_change(ind) is None
