"""The briefing's content: numbers recomputed from the data files, text equal to the tables,
escaping of data, the synthetic-data banner, lenient mode."""

from __future__ import annotations

import re

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def brief(default_params):
    from analysis.briefing import prepare

    return prepare(default_params)


def test_every_frame_is_a_dataframe_with_chinese_columns(brief):
    for name in brief.frames.names():
        frame = getattr(brief.frames, name)
        assert isinstance(frame, pd.DataFrame), name
        english = [c for c in frame.columns if re.fullmatch(r"[a-z_]+", str(c))]
        assert english == [], (name, english)  # not the engine's column names


def test_monthly_totals_are_running_sums_of_the_months(brief):
    monthly = brief.frames.monthly
    for _, part in monthly.groupby(["指标", "年份"]):
        assert part["累计"].tolist() == part["本月"].cumsum().tolist()
    this_year = monthly[monthly["年份"] == "2020年"]
    assert this_year["月"].max() == 10
    accidents = this_year[this_year["指标"] == "事故起数"]["累计"].iloc[-1]
    assert accidents == brief.figures.value("accidents")


def test_next_steps_answer_the_gaps_of_the_register_given(brief):
    register = brief.gap_register
    for action_id, row in brief.frames.next_steps.iterrows():
        answering = register[[action_id in ids.split(",") for ids in register["action_ids"]]]
        expected = [
            f"{s}是{t}" for s, t in answering[["gap_seq", "gap_title"]].drop_duplicates().values
        ]
        assert row["针对差距"] == "；".join(expected), action_id


def test_an_unknown_section_is_named_in_chinese(brief):
    with pytest.raises(KeyError, match="简报没有“overveiw”这一段"):
        brief.say("overveiw")
