"""本期要点's "变化最明显": only indicators the district's data measure, and among them only
changes the exact test calls significant, ranked by what their interval guarantees rather
than by the percentage of a small count."""

from __future__ import annotations

import pandas as pd

from analysis.assess.change_marks import count_verdict
from analysis.present.largest_change import largest_change


def _ind(*rows) -> pd.DataFrame:
    columns = ["id", "value", "prior_value", "unit", "measure", "applicable"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["yoy_pct"] = (frame["value"] - frame["prior_value"]) / frame["prior_value"] * 100
    verdicts = [  # money is never tested (assess.change_marks), counts are
        count_verdict(r.value, r.prior_value, level=0.05) if r.measure == "count" else None
        for r in frame.itertuples()
    ]
    frame["yoy_signal"] = [v.signal if v else "" for v in verdicts]
    frame["yoy_ratio_low"] = [v.ratio_low if v else float("nan") for v in verdicts]
    frame["yoy_ratio_high"] = [v.ratio_high if v else float("nan") for v in verdicts]
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
    assert largest_change(_ind(*ROWS), ["small_rise", "money"]) is None  # 1 → 2 is noise
    assert largest_change(_ind(*ROWS, ("rise", 40, 12, "起", "count", True)), ["rise"]) == "rise"
    assert largest_change(_ind(*ROWS), ["money"]) is None


def test_an_indicator_that_counted_nothing_is_never_named():
    frame = _ind(("nothing", 0, 0, "起", "count", True), ("other", 3, 5, "起", "count", False))
    assert largest_change(frame, ["nothing", "other"]) is None


def test_a_change_without_a_percentage_is_not_named():
    frame = _ind(*ROWS, ("rise", 40, 12, "起", "count", True))
    frame.loc[frame["id"] == "big_fall", "yoy_pct"] = float("nan")  # a declared break
    assert largest_change(frame, ["big_fall", "small_rise", "rise"]) == "rise"


def test_noise_is_never_headlined_however_large_its_percentage():
    frame = _ind(("small_rise", 2, 1, "起", "count", True), ("doubling", 6, 3, "起", "count", True))
    assert largest_change(frame, ["small_rise", "doubling"]) is None
