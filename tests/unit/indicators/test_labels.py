"""Chinese headers (analysis.indicators.labels) for every table the project writes."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from indicator_tables import D, Z, hand_made_tables

from analysis.indicators import breakdown, compute_indicators, monthly_series, to_display
from analysis.indicators.labels import LABELS, table_kind

CJK = re.compile(r"[\u4e00-\u9fff]")
CSV_FILES = (
    "indicators.csv",
    "gaps.csv",
    "gap_register.csv",
    "reconciliation.csv",
    "by_town.csv",
    "by_industry.csv",
)


def _untranslated(df: pd.DataFrame, table: str | None = None) -> list[str]:
    return [c for c in to_display(df, table).columns if not CJK.search(str(c))]


def test_every_label_is_chinese_and_unique_within_its_table():
    for kind, labels in LABELS.items():
        assert all(CJK.search(v) for v in labels.values()), kind
        assert len(set(labels.values())) == len(labels), kind


def test_engine_frames_get_a_chinese_header_for_every_column():
    tables = hand_made_tables()
    frames = {
        "indicators": compute_indicators(tables, D, "2020-10", Z),
        "by_town": breakdown(tables, D, "2020-10", ids=["accidents"]),
        "by_industry": breakdown(tables, D, "2020-10", by="industry", ids=["accidents"]),
        "series": monthly_series(tables, D, "2020-10", ["accidents"]),
    }
    for name, frame in frames.items():
        assert _untranslated(frame) == [], name
    shown = to_display(frames["indicators"])
    assert {"小数位数", "统计期", "计算方式", "本期累计"} <= set(shown.columns)
    assert to_display(frames["series"]).columns[-1] == "年初至当月累计"


@pytest.mark.parametrize(
    ("columns", "kind", "header"),
    [
        (["figure_id"], "reconciliation", "编号"),  # a town's empty reconciliation
        (["figure_id", "measure", "note"], "reconciliation", "口径"),
        (["target_id", "gap_text"], "targets", "差距说明"),
        (["gap_id", "gap_text", "value"], "gap_register", "差距原文"),
        (["id", "measure", "value"], "indicators", "计算方式"),
    ],
)
def test_the_same_column_is_named_after_its_table(columns, kind, header):
    df = pd.DataFrame(columns=columns)
    assert table_kind(df) == kind
    assert header in to_display(df).columns
    assert list(to_display(df, kind).columns) == list(to_display(df).columns)


def test_a_column_without_a_label_keeps_its_name():
    df = pd.DataFrame({"id": ["accidents"], "my_column": [1]})
    assert list(to_display(df).columns) == ["指标编号", "my_column"]


def test_every_csv_beside_the_briefing_has_chinese_headers_only(built_briefing):
    for name in CSV_FILES:
        header = pd.read_csv(built_briefing.parent / name, encoding="utf-8-sig", nrows=0)
        untranslated = [c for c in header.columns if not CJK.search(c)]
        assert untranslated == [], name
