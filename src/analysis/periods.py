"""Reporting periods of published figures: 累计 (year to date), 本月, 季度, 全年, and the
period a comparison is made against (同比 / 比前年: the same period one or two years back;
环比: the previous month or quarter).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.indicators import shift_months


@dataclass(frozen=True)
class Window:
    """A reporting period: from ``start`` to ``end`` (the as-of date), both included."""

    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def from_new_year(self) -> bool:
        """Whether the period starts on 1 January (then it is a year-to-date value)."""
        return self.start == pd.Timestamp(self.end.year, 1, 1)

    @property
    def ytd_dates(self) -> list[pd.Timestamp]:
        """The as-of dates whose year-to-date values give this period: its end, and the day
        before its start unless it starts on 1 January."""
        if self.from_new_year:
            return [self.end]
        return [self.end, self.start - pd.Timedelta(days=1)]


def period_window(as_of, kind: str = "累计") -> Window:
    """The period a figure of ``kind`` covers at ``as_of``.

    >>> period_window(pd.Timestamp("2024-05-31"), "本月").start.date()
    datetime.date(2024, 5, 1)
    >>> period_window(pd.Timestamp("2024-05-31"), "季度").start.date()
    datetime.date(2024, 4, 1)
    """
    end = pd.Timestamp(as_of).normalize()
    if kind == "本月":
        return Window(pd.Timestamp(end.year, end.month, 1), end)
    if kind == "季度":
        return Window(pd.Timestamp(end.year, (end.month - 1) // 3 * 3 + 1, 1), end)
    return Window(pd.Timestamp(end.year, 1, 1), end)


def previous_window(w: Window, kind: str) -> Window | None:
    """The period before ``w`` for 环比: the previous month or quarter; None for 累计/全年."""
    months = {"本月": 1, "季度": 3}.get(kind)
    if months is None:
        return None
    start = shift_months(w.start, months)
    return Window(start, shift_months(w.end, months))


def base_name(basis: str, kind: str) -> str:
    """上年同期 / 前年同期 / 上月 / 上季度."""
    if basis == "环比":
        return "上季度" if kind == "季度" else "上月"
    return "前年同期" if basis == "比前年" else "上年同期"
