"""Tables that read cleanly: a unit in every numeric cell, no column of dashes, Chinese
punctuation in prose people wrote, one period order in every chart's frame."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.present.frames import (
    NO_DATA_TEXTS,
    indicator_table,
    town_accidents_frame,
    without_empty_columns,
)
from analysis.present.punctuation import chinese_punctuation
from analysis.present.wording import load_wording

ROW = {
    "applicable": True,
    "group": "x",
    "unit": "起",
    "decimals": 0,
    "yoy_text": "上年同期无数据",
    "mom_text": "环比增长10.0%",
}


def _indicators(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([ROW | r for r in rows])


def test_every_number_carries_its_unit_and_a_missing_one_is_a_dash():
    ind = _indicators(
        {"id": "a", "name_zh": "事故", "value": 9, "month_value": 1, "prior_value": 60},
        {"id": "b", "name_zh": "火灾", "value": 45, "month_value": None, "prior_value": 71},
    )
    table = indicator_table(ind, ["a", "b"])
    assert table.loc["a", ["本期（累计）", "本月", "上年同期"]].tolist() == ["9起", "1起", "60起"]
    assert table.loc["b", "本月"] == "—"


def test_a_column_without_data_in_any_row_is_dropped_one_with_some_is_kept():
    ind = _indicators(
        {"id": "a", "name_zh": "宣讲", "value": 95, "month_value": 10, "prior_value": None},
        {"id": "b", "name_zh": "手册", "value": 3, "month_value": None, "prior_value": None},
    )
    table = indicator_table(ind, ["a", "b"])
    assert "上年同期" not in table.columns and "同比" not in table.columns
    assert "本月" in table.columns and "环比（本月）" in table.columns
    assert table.loc["b", "本月"] == "—"  # kept: row a has a figure there


@pytest.mark.parametrize("empty", sorted(NO_DATA_TEXTS))
def test_every_no_data_text_counts_as_empty(empty):
    frame = pd.DataFrame({"指标": ["甲", "乙"], "本期": ["1起", "2起"], "x": [empty, "—"]})
    assert list(without_empty_columns(frame).columns) == ["指标", "本期"]
    frame.loc[1, "x"] = "0起"  # a zero is a figure
    assert list(without_empty_columns(frame).columns) == ["指标", "本期", "x"]


def test_the_first_column_stays_even_when_empty():
    frame = pd.DataFrame({"指标": ["—"], "本期": ["—"]})
    assert list(without_empty_columns(frame).columns) == ["指标"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全面总结提炼,对存在的问题;及时查漏补缺", "全面总结提炼，对存在的问题；及时查漏补缺"),
        ("是否落实? 要求:立即整改!", "是否落实？要求：立即整改！"),
        ("成立专班(含“回头看”)", "成立专班（含“回头看”）"),
        ("“大灶”打好基础,推进", "“大灶”打好基础，推进"),
        # numbers, ranges, times and English stay as they are
        ("共1,000家，范围[8.5, 9.5)内", "共1,000家，范围[8.5, 9.5)内"),
        ("比例3:1，时间08:30", "比例3:1，时间08:30"),
        ("see (ISO 45001), ok; fine", "see (ISO 45001), ok; fine"),
    ],
)
def test_configured_prose_gets_chinese_punctuation(text, expected):
    assert chinese_punctuation(text) == expected


def test_the_town_chart_frame_puts_the_earlier_period_first_like_every_chart():
    by_town = pd.DataFrame(
        {
            "id": ["accidents", "accidents"],
            "is_district": [False, False],
            "town": ["甲镇", "乙镇"],
            "value": [1, 2],
            "prior_value": [3, 4],
        }
    )
    words = load_wording()
    frame = town_accidents_frame(by_town, words)
    periods = list(dict.fromkeys(frame["期间"]))
    assert periods == [words.label("prior"), words.label("current")]  # grey first, then blue
