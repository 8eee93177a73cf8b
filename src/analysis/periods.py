"""The reporting calendar: as-of dates and month arithmetic, and the reporting periods of
published figures: 累计 (year to date), 本月, 季度, 全年, and the period a comparison is made
against (同比 / 比前年: the same period one or two years back; 环比: the previous month or
quarter).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

DAY0 = np.datetime64("1900-01-01", "D")
NAT_DAY = np.iinfo(np.int64).min  # day number of a missing date


def month_end(year: int, month: int) -> pd.Timestamp:
    """The last day of a month.

    >>> month_end(2020, 2)
    Timestamp('2020-02-29 00:00:00')
    """
    return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])


def is_month_end(t: pd.Timestamp) -> bool:
    """Whether ``t`` is the last day of its month.

    >>> is_month_end(pd.Timestamp("2021-02-28")), is_month_end(pd.Timestamp("2020-02-28"))
    (True, False)
    """
    return t.day == calendar.monthrange(t.year, t.month)[1]


def parse_as_of(period_end) -> pd.Timestamp:
    """The as-of date of a period: "YYYY-MM" is the month's last day, a date is that day.

    >>> parse_as_of("2020-10")
    Timestamp('2020-10-31 00:00:00')
    >>> parse_as_of("2020-10-23")
    Timestamp('2020-10-23 00:00:00')
    >>> parse_as_of(date(2020, 2, 1))
    Timestamp('2020-02-01 00:00:00')
    >>> parse_as_of("十月")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: 统计期“十月”格式错误，应为 YYYY-MM（月末）或 ...
    """
    if isinstance(period_end, pd.Timestamp | datetime | date):
        ts = pd.Timestamp(period_end)
        if pd.isna(ts):
            raise ParameterError("统计截至日期不能为空")
        return ts.normalize()
    text = str(period_end).strip()
    try:
        if len(text) <= 7 and text.count("-") == 1:
            y, m = (int(x) for x in text.split("-"))
            return month_end(y, m)
        return pd.Timestamp(text).normalize()
    except (ValueError, TypeError):
        raise ParameterError(
            f"统计期“{period_end}”格式错误，应为 YYYY-MM（月末）或 YYYY-MM-DD（截至日）"
        ) from None


def shift_months(t: pd.Timestamp, months: int) -> pd.Timestamp:
    """``t`` moved back ``months`` months; a month end stays a month end, another day is
    cut to the target month's length.

    >>> shift_months(pd.Timestamp("2020-03-30"), 1)
    Timestamp('2020-02-29 00:00:00')
    >>> shift_months(pd.Timestamp("2020-02-29"), 12)
    Timestamp('2019-02-28 00:00:00')
    >>> shift_months(pd.Timestamp("2019-02-28"), -12)  # a month end stays a month end
    Timestamp('2020-02-29 00:00:00')
    """
    k = t.year * 12 + t.month - 1 - months
    y, m = divmod(k, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    day = last if is_month_end(t) else min(t.day, last)
    return pd.Timestamp(y, m, day)


def monthly_as_of_dates(period_end) -> list[pd.Timestamp]:
    """The as-of dates ``analysis.indicators.monthly_series`` needs: every month end of the
    period's year, and the as-of date itself when it is not a month end. Last year's months
    come from the 上年同月 / 上年同期 values of this year's month ends.

    >>> [f"{d:%m-%d}" for d in monthly_as_of_dates("2020-10-23")][8:]
    ['09-30', '10-23', '10-31', '11-30', '12-31']
    """
    end = parse_as_of(period_end)
    dates = [month_end(end.year, m) for m in range(1, 13)]
    return sorted({*dates, end})


def day_number(t: pd.Timestamp) -> int:
    """Days since 1900-01-01 (the engine's integer dates).

    >>> day_number(pd.Timestamp("1900-01-02"))
    1
    """
    return int((np.datetime64(t.date(), "D") - DAY0).astype(np.int64))


def day_numbers(values: pd.Series) -> np.ndarray:
    """``day_number`` of every value; a missing date gives ``NAT_DAY``."""
    arr = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = (arr - DAY0).astype(np.int64)
    out[np.isnat(arr)] = NAT_DAY
    return out


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
