"""The declared vintage of the data: the date they were extracted from the bureau's systems.

A quiet month has no records, so the last record's date cannot tell how far the data
reach. The analyst declares it instead: ``DATA_AS_OF=YYYY-MM-DD`` (every table), or
``extracted:`` in the data folder's ``MANIFEST.yaml`` (one date, or one per table where the
tables were extracted on different days)::

    extracted: 2021-12-05
    # or
    extracted:
      incidents: 2021-12-05     # or the table's Chinese name: 事故与火灾
      hazards: 2021-11-30

``DATA_AS_OF`` wins over the manifest. A record dated after its table's declared date is
an error: the declaration or the record is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.errors import DataValidationError, Problem
from analysis.inputs import schema
from analysis.settings.yaml_files import config_fault, line_at, read_yaml, shown_path

MANIFEST_NAME = "MANIFEST.yaml"
MANIFEST_KEY = "extracted"
COUNTED_TABLES = tuple(
    name for name, t in schema.TABLES.items() if t.date_column and name != "published_figures"
)


@dataclass(frozen=True)
class Vintage:
    """Declared extraction dates: ``every`` for all tables (DATA_AS_OF or a single manifest
    date), ``per_table`` where the manifest names tables; ``source`` for messages."""

    every: date | None = None
    per_table: tuple[tuple[str, date], ...] = ()
    source: str = ""

    def of(self, table: str) -> date | None:
        return dict(self.per_table).get(table, self.every)

    @property
    def declared(self) -> bool:
        return self.every is not None or bool(self.per_table)

    @property
    def latest(self) -> date | None:
        dates = [d for _, d in self.per_table] + ([self.every] if self.every else [])
        return max(dates) if dates else None


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def declared_vintage(data_dir, data_as_of: str = "") -> Vintage:
    """DATA_AS_OF (``data_as_of``, already checked by the run parameters), else the data
    folder's MANIFEST.yaml ``extracted``; an empty Vintage when neither declares it."""
    if data_as_of:
        return Vintage(every=date.fromisoformat(data_as_of), source="DATA_AS_OF")
    path = Path(data_dir) / MANIFEST_NAME
    if not path.is_file():
        return Vintage()
    try:
        data = read_yaml(path)
    except ValueError:  # YAML took the value for a date and it is not one (2021-13-40)
        reason = f"{MANIFEST_KEY} 的日期无效，应为 年-月-日，例如 2021-12-05"
        raise config_fault(path, reason, _line_of(path, MANIFEST_KEY)) from None
    if not isinstance(data, dict) or data.get(MANIFEST_KEY) is None:
        return Vintage()
    value, line = data[MANIFEST_KEY], line_at(data, MANIFEST_KEY)
    source = f"{shown_path(path)} 的 {MANIFEST_KEY}"
    if isinstance(value, dict):
        pairs = tuple((_table_name(path, k, line), _date(path, v, line)) for k, v in value.items())
        return Vintage(per_table=pairs, source=source)
    return Vintage(every=_date(path, value, line), source=source)


def _line_of(path: Path, key: str) -> int | None:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f"{key}:")), None)


def _table_name(path, key, line) -> str:
    by_zh = {t.zh: name for name, t in schema.TABLES.items()}
    name = by_zh.get(str(key), str(key))
    if name not in COUNTED_TABLES:
        known = "、".join(f"{n}（{schema.TABLES[n].zh}）" for n in COUNTED_TABLES)
        raise config_fault(path, f"{MANIFEST_KEY} 中的表“{key}”不存在，可用：{known}", line)
    return name


def _date(path, value, line) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        reason = f"{MANIFEST_KEY} 的日期“{value}”无效，应为 年-月-日，例如 2021-12-05"
        raise config_fault(path, reason, line) from None


def check_records_before(loaded, vintage: Vintage, district: str | None = None) -> None:
    """Raise DataValidationError listing, per table, records dated after the table's
    declared extraction date (up to five per table, each by its id and date)."""
    if not vintage.declared:
        return
    problems = []
    files = {f.table: f.name for f in loaded.files}
    for name in COUNTED_TABLES:
        frame, limit = loaded.tables.get(name), vintage.of(name)
        if frame is None or frame.empty or limit is None:
            continue
        column = schema.TABLES[name].date_column
        late = frame[pd.to_datetime(frame[column]) > pd.Timestamp(limit)]
        if district and "district" in late.columns:
            late = late[late["district"] == district]
        problems += _late_problems(files.get(name, name), name, late, limit, vintage.source)
    if problems:
        raise DataValidationError(problems)


def _late_problems(file: str, name: str, late: pd.DataFrame, limit: date, source: str):
    table = schema.TABLES[name]
    column = table.column(table.date_column)
    key = next((c.name for c in table.columns if c.unique), None)
    out = []
    for row in late.head(5).itertuples(index=False):
        when = pd.Timestamp(getattr(row, table.date_column)).date()
        who = f"（{schema.TABLES[name].column(key).zh} {getattr(row, key)}）" if key else ""
        reason = (
            f"记录{who}的日期晚于声明的数据提取日期 {limit:%Y-%m-%d}（{source}）："
            "请核对该记录的日期，或更正声明的提取日期"
        )
        out.append(Problem(file, None, column.zh, f"{when:%Y-%m-%d}", reason))
    if len(late) > 5:
        reason = f"另有 {len(late) - 5} 条记录晚于声明的数据提取日期 {limit:%Y-%m-%d}"
        out.append(Problem(file, None, column.zh, None, reason))
    return out
