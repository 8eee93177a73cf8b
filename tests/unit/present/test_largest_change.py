"""本期要点's "变化最大": only indicators the district's data measure, ranked by the size of
the change rather than the percentage of a small count."""

from __future__ import annotations

import pandas as pd

from analysis.present.largest_change import change_score, largest_change


def _ind(*rows) -> pd.DataFrame:
    columns = ["id", "value", "prior_value", "unit", "measure", "applicable"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["yoy_pct"] = (frame["value"] - frame["prior_value"]) / frame["prior_value"] * 100
    return frame


ROWS = (
    ("big_fall", 9, 60, "起", "count", True),  # −85%, 51 fewer
    ("small_rise", 2, 1, "起", "count", True),  # +100%, one more
    ("money", 267, 118, "万元", "sum", True),  # not a count
)


def test_a_large_fall_outranks_a_doubling_of_one():
    assert largest_change(_ind(*ROWS), ["big_fall", "small_rise", "money"]) == "big_fall"


def test_a_percentage_ranking_would_have_chosen_the_small_count():
    frame = _ind(*ROWS[:2])
    assert frame.loc[frame["yoy_pct"].abs().idxmax(), "id"] == "small_rise"


def test_an_indicator_whose_table_was_not_provided_is_never_named():
    assert largest_change(_ind(*ROWS), ["small_rise", "money"]) == "small_rise"
    assert largest_change(_ind(*ROWS), ["money"]) is None


def test_an_indicator_that_counted_nothing_is_never_named():
    frame = _ind(("nothing", 0, 0, "起", "count", True), ("other", 3, 5, "起", "count", False))
    assert largest_change(frame, ["nothing", "other"]) is None


def test_a_change_without_a_percentage_is_not_named():
    frame = _ind(*ROWS)
    frame.loc[frame["id"] == "big_fall", "yoy_pct"] = float("nan")  # a declared break
    assert largest_change(frame, ["big_fall", "small_rise"]) == "small_rise"


def test_change_score():
    scores = change_score(pd.Series([9.0, 2.0, 0.0]), pd.Series([60.0, 1.0, 0.0]))
    assert scores.iloc[0] > 6 > 1 > scores.iloc[1]
    assert pd.isna(scores.iloc[2])
