"""Chinese headers in every CSV a real run writes."""

from __future__ import annotations

import re

import pandas as pd

CJK = re.compile(r"[\u4e00-\u9fff]")


CSV_FILES = (
    "indicators.csv",
    "gaps.csv",
    "gap_register.csv",
    "reconciliation.csv",
    "by_town.csv",
    "by_industry.csv",
    "data_quality.csv",
)


def test_every_csv_beside_the_briefing_has_chinese_headers_only(built_briefing):
    for name in CSV_FILES:
        header = pd.read_csv(built_briefing.parent / name, encoding="utf-8-sig", nrows=0)
        untranslated = [c for c in header.columns if not CJK.search(c)]
        assert untranslated == [], name
