"""Titles and names of a briefing, without pandas: report.py, cli.py and the mail module
need a title before (or without) computing anything."""

from __future__ import annotations

from analysis.settings.params import RunParams

QUARTERS = "一二三四"


def period_label(period: str, kind: str = "ytd") -> str:
    """How a bulletin names the period it covers.

    >>> [period_label("2020-06", k) for k in ("ytd", "month", "quarter", "half", "year")]
    ['截至2020年6月底', '2020年6月', '2020年第二季度', '2020年上半年', '2020年全年']
    """
    year, month = (int(x) for x in period.split("-"))
    if kind == "month":
        return f"{year}年{month}月"
    if kind == "quarter":
        return f"{year}年第{QUARTERS[(month - 1) // 3]}季度"
    if kind == "half":
        return f"{year}年{'上' if month <= 6 else '下'}半年"
    if kind == "year":
        return f"{year}年全年"
    return f"截至{year}年{month}月底"


def briefing_title(params: RunParams) -> str:
    """'钟楼区安全生产工作简报（截至2020年10月底）'; a month, quarter or half:
    '钟楼区2020年10月安全生产形势分析'."""
    label = period_label(params.period, params.kind)
    if params.kind in ("month", "quarter", "half"):
        return f"{params.unit_name}{label}安全生产形势分析"
    return f"{params.unit_name}安全生产工作简报（{label}）"


def area_word(unit_name: str) -> str:
    """How a bulletin refers to the whole unit.

    >>> [area_word(u) for u in ("钟楼区", "邹区镇", "北港街道")]
    ['全区', '全镇', '全街道']
    """
    for suffix in ("街道", "镇", "区"):
        if unit_name.endswith(suffix):
            return f"全{suffix}"
    return "辖区"
