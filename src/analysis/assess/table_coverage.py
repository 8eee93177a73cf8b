"""Whether each table covers the windows a briefing compares, judged table by table.

A table covers a window when its data reach the window's end (the declared extraction date,
``assess.vintage``; without one, the last record) and no run of empty months inside the
window is a *gap*. A run of k empty months is a gap when the table's own history makes it
very unlikely: with r records a month on average, k quiet months happen with probability
about e^(−r·k) (records as a Poisson process); below ``GAP_PROBABILITY`` it is a gap, not a
quiet month. So 4 empty months of an inspections table with 700 records a month are a gap,
while a month without accidents in a district with 2 a month is a quiet month.

Runs judged: between the first and last record; after the last record up to the declared
date (or, undeclared, up to the period's month); and, for a comparison window, before the
first record when the window starts earlier (a system migration that left the first half
of the prior year empty). A window wholly before a table's first year is not judged: the
engine already reports it as 无数据.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.indicators import shift_months
from analysis.inputs import schema

GAP_PROBABILITY = 1e-3
# comparison → months back of its window (环比: the previous period, by the period's span)
COMPARISON_LAGS = {"同比": 12, "比前年": 24}
YTD = "累计"  # prefix of a comparison of the year-to-date window ("累计同比")


def month_index(d) -> int:
    d = pd.Timestamp(d)
    return d.year * 12 + d.month - 1


def month_text(m: int) -> str:
    return f"{m // 12}年{m % 12 + 1}月"


@dataclass(frozen=True)
class TableHistory:
    """One table's records per month (the district's rows), from its first to last record."""

    table: str
    first: int  # month index of the first record
    last: int  # month index of the last record
    last_date: date
    declared: date | None  # declared extraction date of the table
    counts: tuple[int, ...]  # records per month, first..last

    @property
    def rate(self) -> float:
        return sum(self.counts) / len(self.counts)

    @property
    def through(self) -> date:
        """The last day the data are taken to cover."""
        return self.declared or self.last_date

    def unlikely(self, months: int) -> bool:
        return months > 0 and math.exp(-self.rate * months) < GAP_PROBABILITY

    def gaps(self, until: int) -> list[tuple[int, int]]:
        """Runs of empty months judged gaps, from the first record to month ``until``."""
        counts = list(self.counts) + [0] * max(0, until - self.last)
        runs, start = [], None
        for k, n in enumerate([*counts, 1]):
            if n == 0 and start is None:
                start = k
            elif n and start is not None:
                runs.append((self.first + start, self.first + k - 1))
                start = None
        return [(a, b) for a, b in runs if self.unlikely(b - a + 1)]

    def missing(self, start: date, end: date, comparison: bool) -> str:
        """Why the window ``start``..``end`` is not covered; "" when it is."""
        s, e = month_index(start), month_index(end)
        if e < self.first and (not comparison or e // 12 < self.first // 12):
            return ""  # before the table's first year: the engine says 无数据
        if self.declared is not None and end > self.declared:
            return f"声明的数据提取日期为{self.declared:%Y-%m-%d}"
        if self.declared is None and self.unlikely(e - self.last):
            return f"最后一条记录在{self.last_date:%Y-%m-%d}，此后各月按以往的记录数不会是无事发生"
        until = e if self.declared is None else month_index(self.declared)
        for a, b in self.gaps(min(max(until, self.last), e)):
            if a <= e and b >= s:
                span = f"{month_text(max(a, s))}至{month_text(min(b, e))}"
                return f"{span}没有记录，按该表以往的记录数不会是无事发生"
        if comparison and s < self.first and self.unlikely(self.first - s):
            span = f"{month_text(s)}至{month_text(self.first - 1)}"
            return f"{span}没有记录（数据从{month_text(self.first)}开始）"
        return ""


def table_history(frame: pd.DataFrame, table: str, declared: date | None) -> TableHistory | None:
    column = schema.TABLES[table].date_column
    dates = pd.to_datetime(frame[column]).dropna() if column else pd.Series(dtype="datetime64[ns]")
    if dates.empty:
        return None
    months = dates.dt.year * 12 + dates.dt.month - 1
    first, last = int(months.min()), int(months.max())
    counts = months.value_counts().reindex(range(first, last + 1), fill_value=0)
    return TableHistory(
        table, first, last, dates.max().date(), declared, tuple(int(n) for n in counts)
    )


@dataclass(frozen=True)
class CoverageJudgement:
    """Per table: why the current window (年初至今, or the period) is not covered, and why
    each comparison's window is not covered."""

    current: dict[str, str]
    comparisons: dict[str, dict[str, str]]  # table → {同比 | 比前年 | 环比: why}
    through: dict[str, date]

    @property
    def complete(self) -> bool:
        return not self.current and not self.comparisons


def judge(
    histories: dict[str, TableHistory], period_end: date, span: int, shown
) -> CoverageJudgement:
    """The windows of a briefing ending at ``period_end``: the year to date and the period
    of ``span`` months (current), their 同比 / 比前年 windows and the previous period (环比),
    for the comparisons ``shown``."""
    end = pd.Timestamp(period_end)
    period = (shift_months(end, span - 1).replace(day=1), end)
    year_to_date = (pd.Timestamp(end.year, 1, 1), end)
    windows = [year_to_date, period]
    # comparison → its window: "同比" the period's, "累计同比" the year to date's
    shifted = {}
    for c, lag in COMPARISON_LAGS.items():
        if c in shown:
            shifted[c] = [tuple(shift_months(t, lag) for t in period)]
            shifted[f"{YTD}{c}"] = [tuple(shift_months(t, lag) for t in year_to_date)]
    if "环比" in shown:
        shifted["环比"] = [(shift_months(period[0], span), shift_months(end, span))]
    current, comparisons = {}, {}
    for table, h in histories.items():
        why = _first_missing(h, windows, False)
        if why:
            current[table] = why
        for label, wins in shifted.items():
            why = _first_missing(h, wins, True)
            if why:
                comparisons.setdefault(table, {})[label] = why
    return CoverageJudgement(current, comparisons, {t: h.through for t, h in histories.items()})


def _first_missing(h: TableHistory, windows, comparison: bool) -> str:
    for s, e in windows:
        why = h.missing(s.date(), e.date(), comparison)
        if why:
            return why
    return ""


def histories_of(tables, tables_used, district: str, vintage) -> dict[str, TableHistory]:
    """The history of each table in ``tables_used`` that has records of ``district``."""
    out = {}
    for name in sorted(tables_used):
        frame = tables.get(name)
        if frame is None or frame.empty:
            continue
        if "district" in frame.columns:
            frame = frame[frame["district"] == district]
        h = table_history(frame, name, vintage.of(name))
        if h is not None:
            out[name] = h
    return out
