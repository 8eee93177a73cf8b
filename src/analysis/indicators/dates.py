"""As-of dates and month arithmetic of the indicator engine (pure functions)."""

from __future__ import annotations

import calendar
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
