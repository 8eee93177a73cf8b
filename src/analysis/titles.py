"""Titles and names of a briefing, without pandas: report.py, cli.py and the mail module
need a title before (or without) computing anything."""

from __future__ import annotations

from analysis.params import RunParams


def period_label(period: str) -> str:
    """How a bulletin names the period it covers.

    >>> period_label("2020-10")
    '截至2020年10月底'
    """
    year, month = period.split("-")
    return f"截至{int(year)}年{int(month)}月底"


def briefing_title(params: RunParams) -> str:
    """'钟楼区安全生产工作简报（截至2020年10月底）'"""
    return f"{params.unit_name}安全生产工作简报（{period_label(params.period)}）"


def area_word(unit_name: str) -> str:
    """How a bulletin refers to the whole unit.

    >>> [area_word(u) for u in ("钟楼区", "邹区镇", "北港街道")]
    ['全区', '全镇', '全街道']
    """
    for suffix in ("街道", "镇", "区"):
        if unit_name.endswith(suffix):
            return f"全{suffix}"
    return "辖区"
