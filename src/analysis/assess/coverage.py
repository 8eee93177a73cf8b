"""How far the data reach, and whether a period lies past them.

Year-to-date figures of a period the data do not reach compare a few months with a whole
year (e.g. 10 months of 2020 with 12 months of 2019) and read as a large fall. A period
is *past the data* when its month is later than the month of the last record of the
incidents table (the headline figures), or of every year-to-date table (the whole
extract). Such a period is refused unless the analyst allows a partial period; the
briefing then states the coverage (``coverage_note``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from analysis.errors import ParameterError
from analysis.inputs import schema
from analysis.settings.params import RunParams

HEADLINE_TABLE = "incidents"


def last_record_dates(loaded) -> dict[str, date]:
    """Each dated table's last record date, as the loader found it (tables without rows
    are left out)."""
    return {
        name: last.date() if hasattr(last, "date") else last
        for name, (_, last) in loaded.coverage.items()
        if last is not None
    }


def year_to_date_tables() -> frozenset[str]:
    """Dated tables that the catalogue's year-to-date indicators count from."""
    from analysis.indicators.catalogue import load_catalogue

    return frozenset(
        ind.table
        for ind in load_catalogue()
        if ind.table and ind.period == "ytd" and schema.TABLES[ind.table].date_column
    )


@dataclass(frozen=True)
class Coverage:
    last: dict[str, date]  # year-to-date table -> last record date
    files: dict[str, str]  # table -> file name, for messages

    @classmethod
    def of(cls, loaded) -> Coverage:
        ytd = year_to_date_tables()
        last = {t: d for t, d in last_record_dates(loaded).items() if t in ytd}
        files = {f.table: f.name for f in loaded.files}
        return cls(last, files)

    def behind(self, period_end: date) -> list[tuple[str, date]]:
        """Tables whose last record falls before the period's month."""
        month_start = period_end.replace(day=1)
        return sorted((t, d) for t, d in self.last.items() if d < month_start)

    def apply(self, params: RunParams) -> RunParams:
        """``params`` if the data reach the period; with ``coverage`` set if the period is
        past the data and the analyst allowed it; otherwise ParameterError."""
        behind = dict(self.behind(params.period_end))
        headline_behind = HEADLINE_TABLE in behind
        all_behind = bool(self.last) and len(behind) == len(self.last)
        if not (headline_behind or all_behind):
            return params
        if not params.allow_partial:
            raise ParameterError(self._refusal(params, behind, headline_behind))
        pairs = tuple((t, d.isoformat()) for t, d in sorted(behind.items()))
        return dataclasses.replace(params, coverage=pairs)

    def _refusal(self, params: RunParams, behind: dict[str, date], headline: bool) -> str:
        table = HEADLINE_TABLE if headline else max(behind, key=behind.get)
        label = f"{schema.TABLES[table].zh}（{self.files.get(table, table)}）"
        latest = max(self.last.values())
        return (
            f"期间“{params.period}”超出数据范围：{label}最后一条记录的日期为 "
            f"{behind[table]:%Y-%m-%d}，全部数据最晚到 {latest:%Y-%m-%d}。"
            "按不完整的数据计算的累计数和同比会误导读者。请选择数据已覆盖的期间；"
            "如确需出具不完整期间的简报，请加 ALLOW_PARTIAL=1（命令行 --allow-partial），"
            "简报会注明数据截止日期。"
        )


def coverage_note(params: RunParams) -> str:
    """For the briefing's header and the notes of affected figures; "" = complete."""
    if not params.coverage:
        return ""
    unknown = [t for t, _ in params.coverage if t not in schema.TABLES]
    if unknown:
        raise ParameterError(f"coverage 参数中的表“{'、'.join(unknown)}”不存在")
    ends = "、".join(f"{schema.TABLES[t].zh}截至{_zh_date(d)}" for t, d in params.coverage)
    return (
        f"数据覆盖不完整：本期统计到{_zh_date(params.period_end.isoformat())}，"
        f"但{ends}，相关数字只统计到该日期，同比仅供参考。"
    )


def _zh_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日"
