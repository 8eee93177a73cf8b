"""Chinese text of the briefing, generated from indicator values (never typed in)."""

from __future__ import annotations

from analysis.params import RunParams


def period_label(period: str) -> str:
    """'2020-10' -> '截至2020年10月底'"""
    year, month = period.split("-")
    return f"截至{int(year)}年{int(month)}月底"


def briefing_title(params: RunParams) -> str:
    return f"{params.unit_name}安全生产工作简报（{period_label(params.period)}）"
