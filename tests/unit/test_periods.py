"""As-of dates and month arithmetic (analysis.periods)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.indicators import monthly_as_of_dates, parse_as_of, shift_months


def test_parse_as_of_and_shift():
    assert parse_as_of("2020-10") == pd.Timestamp("2020-10-31")
    assert parse_as_of("2020-02") == pd.Timestamp("2020-02-29")
    assert parse_as_of("2020-10-23") == pd.Timestamp("2020-10-23")
    assert shift_months(pd.Timestamp("2020-02-29"), 12) == pd.Timestamp("2019-02-28")
    assert shift_months(pd.Timestamp("2021-02-28"), 12) == pd.Timestamp("2020-02-29")  # month end
    assert shift_months(pd.Timestamp("2020-10-31"), 1) == pd.Timestamp("2020-09-30")
    assert shift_months(pd.Timestamp("2020-03-30"), 1) == pd.Timestamp("2020-02-29")
    assert shift_months(pd.Timestamp("2020-10-23"), 1) == pd.Timestamp("2020-09-23")
    with pytest.raises(ParameterError, match="格式错误"):
        parse_as_of("十月")


def test_monthly_as_of_dates_cover_the_year_and_the_as_of_day():
    month_end_period = monthly_as_of_dates("2020-02")
    assert len(month_end_period) == 12
    assert month_end_period[1] == pd.Timestamp("2020-02-29")
    assert month_end_period[-1] == pd.Timestamp("2020-12-31")
    mid_month = monthly_as_of_dates("2020-02-10")
    assert len(mid_month) == 13 and mid_month[1] == pd.Timestamp("2020-02-10")
    assert mid_month == sorted(mid_month)
