"""What loading returns: what was read from each file, the typed tables, the problems and
each table's coverage (first and last record date)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import Problem
from analysis.safe_cells import neutralise_frame

REJECT_COLUMNS = ["文件", "行号", "列", "值", "原因"]

Coverage = tuple[date | None, date | None]  # (first, last) record date; None = no rows


@dataclass
class FileInfo:
    """What was read from one input file."""

    name: str  # file name as found, e.g. "incidents.csv" or "Incidents.CSV"
    table: str
    sha256: str
    rows_read: int = 0  # data rows (blank rows not counted)
    rows_rejected: int = 0
    encoding: str | None = None  # "utf-8-sig", "gb18030", or None for xlsx
    header_rows: tuple[int, ...] = (1,)  # row number(s) of the header
    ignored_columns: tuple[str, ...] = ()  # unknown columns ignored in lenient mode
    sheets: tuple[str, ...] = ()  # a workbook's sheets (those read and those skipped)


@dataclass
class LoadResult:
    """Every table of the contract, typed, plus what was read and what was rejected."""

    tables: dict[str, pd.DataFrame]
    files: list[FileInfo]
    problems: list[Problem]  # every problem found (in lenient mode: the rejected ones)
    rejects: pd.DataFrame  # columns 文件, 行号, 列, 值, 原因 — one line per problem
    strict: bool
    data_dir: Path
    synthetic: bool = False  # the data folder is marked synthetic (SYNTHETIC / MANIFEST.yaml)
    manifest: dict[str, Any] | None = None  # parsed MANIFEST.yaml, if present
    today: date = field(default_factory=date.today)
    # table → (first, last) date of its schema date column over the loaded rows, for every
    # table that has a date column (schema.Table.date_column); (None, None) = no rows
    coverage: dict[str, Coverage] = field(default_factory=dict)
    # entries of the data folder, and sheets of a workbook, that were not read, each with
    # its reason and what to do (informational: a file that is a table's is never here)
    notices: list[Problem] = field(default_factory=list)

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows (a row with several problems counts once)."""
        return sum(f.rows_rejected for f in self.files)

    def month_counts(self, table: str) -> pd.Series:
        """Records of ``table`` per calendar month of its date column, every month from the
        first to the last record (0 = a month without records), indexed by ``Period[M]``.

        The raw material for judging a table's coverage month by month (an empty run of
        months amid a busy history is a gap, not a quiet month). KeyError for a table
        without a date column."""
        dates = self.tables[table][_date_column(table)].dropna()
        if dates.empty:
            return pd.Series([], index=pd.PeriodIndex([], freq="M"), dtype="int64")
        counts = dates.dt.to_period("M").value_counts()
        months = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
        return counts.reindex(months, fill_value=0).astype("int64").rename(table)

    def file(self, table: str) -> FileInfo | None:
        return next((f for f in self.files if f.table == table), None)

    def last_date(self, table: str) -> date | None:
        """The last record date of ``table`` (its coverage end); None if it has no rows.

        Raises KeyError for a table without a date column (e.g. enterprises)."""
        return self.coverage[table][1]

    @property
    def manifest_mismatches(self) -> list[str]:
        """Files whose sha256 differs from the one recorded in MANIFEST.yaml."""
        recorded = (self.manifest or {}).get("files") or {}
        return [
            f.name
            for f in self.files
            if f.name in recorded
            and isinstance(recorded[f.name], dict)
            and recorded[f.name].get("sha256") not in (None, f.sha256)
        ]

    def write_rejects(self, path: str | Path) -> Path:
        """Write the rejected rows' problems as CSV with a UTF-8 BOM (opens in Excel)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        out = neutralise_frame(self.rejects)
        out["行号"] = out["行号"].astype("Int64")
        out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        return path

    def summary_zh(self) -> str:
        """One line per file, for a log or the briefing's data note."""
        lines = []
        for f in self.files:
            line = f"{f.name}：读取 {f.rows_read} 行"
            if f.rows_rejected:
                line += f"，剔除 {f.rows_rejected} 行"
            lines.append(line)
        lines.extend(f"提示：{p}" for p in self.notices)  # not read, or worth a look
        if self.synthetic:
            lines.append("注意：本数据为合成示例数据，非真实台账。")
        return "\n".join(lines)


def _date_column(table: str) -> str:
    from analysis.inputs import schema

    column = schema.TABLES[table].date_column
    if column is None:
        raise KeyError(table)
    return column


def shown_file(problem: Problem) -> str:
    """The file of a problem as a rejects list shows it, with its sheet for a workbook."""
    if problem.sheet is None:
        return problem.file
    return f"{problem.file}（工作表“{problem.sheet}”）"


def coverage_of(frame: pd.DataFrame, date_column: str) -> Coverage:
    """(first, last) date of ``date_column`` in ``frame``; (None, None) if there are none."""
    dates = frame[date_column].dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()
