"""Load the input tables and validate them against the data contract (analysis.schema).

Public API
----------
- ``load_table(path, table, ...) -> (DataFrame, list[Problem])``: one file, single-file checks.
- ``load_tables(data_dir, strict=True, today=None, ...) -> LoadResult``: every table of the
  contract found in ``data_dir``, plus cross-table references; strict mode raises
  ``DataValidationError`` listing every problem, lenient mode drops invalid rows and keeps
  them in ``LoadResult.rejects``.
- ``empty_frame(table)``: an empty DataFrame with the contract's columns and dtypes.

Files are ``<table>.csv`` (UTF-8 with or without BOM, or GB18030/GBK) or ``<table>.xlsx``.
Headers may be the canonical English name, the Chinese name (``zh``), an alias, or a header
mapped in data/config/column_map.yaml. A title row above the header (often merged across the
columns) and a two-row header (a merged group cell above sub-headers) are detected.

Row numbers in problems are the ones the analyst sees in Excel (header = row 1 when there is
no title row). All checks are vectorised: per-row Python work happens only for invalid rows.

Policy (see docs/assumptions.md):
- Row-level problems (a bad cell, a duplicate id, a broken reference, a cross-column rule):
  strict mode raises; lenient mode drops the row and lists it in ``rejects``.
- File-level problems (unreadable file, unrecognised encoding, empty file, missing column,
  missing required file, header-only required file) cannot be fixed by dropping rows: they
  raise in both modes. Unknown extra columns raise in strict mode; lenient mode ignores the
  column and lists it in ``rejects`` (行号 empty).
- A header-only file is a valid empty table for optional tables, an error for required ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config, schema
from analysis.errors import ConfigError, DataValidationError, Problem
from analysis.safe_cells import neutralise_frame

EARLIEST_DATE = pd.Timestamp("2000-01-01")
HEADER_SCAN_ROWS = 10
REJECT_COLUMNS = ["文件", "行号", "列", "值", "原因"]
SYNTHETIC_MARKER = "SYNTHETIC"
MANIFEST_FILE = "MANIFEST.yaml"

_TRUE = {"true", "1", "是", "y", "yes", "t", "√", "1.0"}
_FALSE = {"false", "0", "否", "n", "no", "f", "×", "0.0"}
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "　": " ", "：": ":", "／": "/"})
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$"),
)
_DATE_FORMATS_ZH = "YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日"


# --------------------------------------------------------------------------- results


@dataclass
class FileInfo:
    """What was read from one input file."""

    name: str  # file name as given, e.g. "incidents.csv"
    table: str
    sha256: str
    rows_read: int = 0  # data rows (blank rows not counted)
    rows_rejected: int = 0
    encoding: str | None = None  # "utf-8-sig", "gb18030", or None for xlsx
    header_rows: tuple[int, ...] = (1,)  # Excel row number(s) of the header
    ignored_columns: tuple[str, ...] = ()  # unknown columns ignored in lenient mode


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

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows (a row with several problems counts once)."""
        return sum(f.rows_rejected for f in self.files)

    def file(self, table: str) -> FileInfo | None:
        return next((f for f in self.files if f.table == table), None)

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
        if self.synthetic:
            lines.append("注意：本数据为合成示例数据，非真实台账。")
        return "\n".join(lines)


# --------------------------------------------------------------------------- helpers


def _norm_header(value: Any) -> str:
    """Normalise a header for matching: full-width → half-width, no spaces, case-folded."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).translate(_FULLWIDTH)
    return re.sub(r"\s+", "", text).casefold()


def read_column_map(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Read data/config/column_map.yaml → {"common": {header: column}, table: {...}}."""
    path = config.COLUMN_MAP_FILE if path is None else Path(path)
    if not path.exists():
        return {}
    data = config.read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} 格式不正确：应为“表名: {{表头: 列名}}”的映射")
    out: dict[str, dict[str, str]] = {}
    for section, mapping in data.items():
        if mapping is None:
            continue
        if section != "common" and section not in schema.TABLES:
            raise ConfigError(f"{path.name}：未知的表“{section}”（可用 common 或表名）")
        if not isinstance(mapping, dict):
            raise ConfigError(f"{path.name}：“{section}”下应为“表头: 列名”的映射")
        for header, column in mapping.items():
            if section != "common" and column not in schema.TABLES[section].column_names:
                raise ConfigError(
                    f"{path.name}：表“{section}”没有列“{column}”（表头“{header}”的映射目标）"
                )
        out[str(section)] = {str(k): str(v) for k, v in mapping.items()}
    return out


def header_lookup(table: schema.Table, column_map: dict | None = None) -> dict[str, str]:
    """Normalised header → canonical column name, for one table."""
    lookup: dict[str, str] = {}
    column_map = read_column_map() if column_map is None else column_map
    names = set(table.column_names)
    for header, column in (column_map.get("common") or {}).items():
        if column in names:
            lookup[_norm_header(header)] = column
    for col in table.columns:
        for header in (*col.aliases, col.zh, col.name):
            lookup[_norm_header(header)] = col.name
    for header, column in (column_map.get(table.name) or {}).items():
        lookup[_norm_header(header)] = column
    return lookup


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def empty_frame(table: schema.Table) -> pd.DataFrame:
    """An empty frame with the contract's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=_pandas_dtype(c)) for c in table.columns})


def _pandas_dtype(col: schema.Column) -> str:
    if col.dtype == "int":
        return "Int64" if col.nullable else "int64"
    if col.dtype == "float":
        return "float64"
    if col.dtype == "date":
        return "datetime64[ns]"
    if col.dtype == "bool":
        return "boolean" if col.nullable else "bool"
    return "object"


def _cell_text(value: Any) -> str:
    """An Excel cell as text (CSV cells are already text)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | pd.Timestamp):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


# --------------------------------------------------------------------------- reading


@dataclass
class _Raw:
    """A file read as text cells: header cells as written, data rows, Excel row numbers."""

    headers: list[str]
    data: pd.DataFrame  # columns are positions 0..n-1, cells are str ("" = empty)
    header_rows: tuple[int, ...]
    encoding: str | None


def _detect_header(rows: list[list[str]], lookup: dict[str, str]) -> tuple[int, bool]:
    """Return (0-based index of the header row, True if the next row holds sub-headers)."""
    scores = [sum(1 for c in row if _norm_header(c) in lookup) for row in rows]
    if not scores or max(scores) == 0:
        return 0, False
    h = scores.index(max(scores))
    two_rows = False
    if h + 1 < len(rows) and scores[h + 1] > 0:
        below = rows[h + 1]
        head = rows[h]
        # sub-headers sit under empty/unknown cells of the header row (a merged group cell)
        two_rows = all(
            i >= len(head) or _norm_header(head[i]) not in lookup
            for i, cell in enumerate(below)
            if _norm_header(cell) in lookup
        )
    return h, two_rows


def _combine_headers(rows: list[list[str]], h: int, two_rows: bool, lookup) -> list[str]:
    head = list(rows[h])
    if two_rows:
        below = rows[h + 1]
        width = max(len(head), len(below))
        head += [""] * (width - len(head))
        for i, cell in enumerate(below):
            if _norm_header(cell) in lookup:
                head[i] = cell
    return [str(c).strip() for c in head]


def _decode(data: bytes) -> tuple[str | None, str | None]:
    if b"\x00" in data[:4096]:  # UTF-16/UTF-32 (valid UTF-8 bytes, but not text we can use)
        return None, None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 BOM: decodes as GB18030 garbage
        return None, None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None, None
    if "\x00" in text:
        return None, None
    return text, "gb18030"


def _read_csv(path: Path, data: bytes, name: str, lookup) -> tuple[_Raw | None, list[Problem]]:
    text, encoding = _decode(data)
    if text is None:
        return None, [
            Problem(
                name,
                None,
                None,
                None,
                "文件编码无法识别：请另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV 文件",
            )
        ]
    sample = list(_first_records(text, HEADER_SCAN_ROWS + 1))
    if not any(any(c.strip() for c in row) for row in sample):
        return None, [Problem(name, None, None, None, "文件没有表头（只有空行）")]
    h, two_rows = _detect_header(sample, lookup)
    headers = _combine_headers(sample, h, two_rows, lookup)
    if len(headers) == 1 and any(sep in headers[0] for sep in ("\t", ";", "；")):
        why = "分隔符不是逗号：请另存为“CSV UTF-8（逗号分隔）”"
        return None, [Problem(name, h + 1, headers[0], None, why)]
    skip = h + (2 if two_rows else 1)
    width = len(headers)
    try:
        frame = pd.read_csv(
            io.BytesIO(data),  # faster than parsing the decoded text
            encoding=encoding,
            header=None,
            skiprows=skip,
            names=list(range(width)),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+), saw (\d+)", str(exc))
        row = int(m.group(1)) + skip if m else None
        seen = f"（该行有 {m.group(2)} 个字段，表头只有 {width} 列）" if m else ""
        return None, [Problem(name, row, None, None, f"该行的字段数多于表头{seen}，无法读取")]
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=list(range(width)), dtype=object)
    frame.index = pd.RangeIndex(skip + 1, skip + 1 + len(frame))
    header_rows = (h + 1, h + 2) if two_rows else (h + 1,)
    return _Raw(headers, frame, header_rows, encoding), []


def _first_records(text: str, n: int) -> Iterable[list[str]]:
    reader = csv.reader(io.StringIO(text))
    for i, row in enumerate(reader):
        if i >= n:
            break
        yield row


def _read_xlsx(path: Path, table: schema.Table, name: str, lookup):
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook
        why = f"无法打开 Excel 文件（{type(exc).__name__}）"
        return None, [Problem(name, None, None, None, why)]
    with book:
        sheets = book.sheet_names
        sheet = next((s for s in sheets if s.strip() in (table.name, table.zh)), sheets[0])
        grid = book.parse(sheet, header=None, dtype=object)
    if grid.empty:
        return None, [Problem(name, None, None, None, "文件为空（工作表中没有内容）")]
    grid.index = pd.RangeIndex(1, len(grid) + 1)  # Excel row numbers
    grid.columns = range(grid.shape[1])
    head_block = grid.iloc[: HEADER_SCAN_ROWS + 1]
    rows = [[_cell_text(v) for v in r] for r in head_block.itertuples(index=False)]
    h, two_rows = _detect_header(rows, lookup)
    headers = _combine_headers(rows, h, two_rows, lookup)
    skip = h + (2 if two_rows else 1)
    data = grid.iloc[skip:].copy()
    for c in data.columns:
        col = data[c]
        if col.map(type).eq(str).all():
            continue
        data[c] = col.map(_cell_text)
    data = data.astype(object)
    header_rows = (h + 1, h + 2) if two_rows else (h + 1,)
    return _Raw(headers, data, header_rows, None), []


# --------------------------------------------------------------------------- parsing


class _Collector:
    """Collects problems for one file, and which Excel rows are bad."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()

    def file_problem(self, reason: str, column: str | None = None, value: str | None = None):
        self.problems.append(Problem(self.name, None, column, value, reason))

    def cells(self, mask: pd.Series, header: str, text: pd.Series, reason) -> None:
        """Add one problem per True row of ``mask``; ``reason`` may be a str or a callable."""
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        values = text.loc[rows]
        for row, value in zip(rows.tolist(), values.tolist(), strict=True):
            why = reason(row, value) if callable(reason) else reason
            self.problems.append(Problem(self.name, int(row), header, value, why))
            self.bad_rows.add(int(row))


def _to_number(text: pd.Series, empty: pd.Series) -> pd.Series:
    """Numbers as float64 (NaN = empty or not a number); thousands separators allowed."""
    num = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    retry = ~empty & num.isna()
    if retry.any():  # only the few failures get the slower clean-up
        cleaned = text[retry].str.replace(",", "", regex=False).str.replace("，", "", regex=False)
        num.loc[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    return num


def _parse_int(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    num = _to_number(text, empty)
    bad = ~empty & (num.isna() | np.isinf(num) | (num % 1 != 0))
    return num.where(~bad), bad


def _parse_float(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    num = _to_number(text, empty)
    bad = ~empty & (num.isna() | np.isinf(num))
    return num.where(~bad), bad


def _parse_bool(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    low = text.str.lower()
    is_true = low.isin(_TRUE)
    is_false = low.isin(_FALSE)
    bad = ~empty & ~is_true & ~is_false
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    out[is_true] = True
    out[is_false] = False
    return out, bad


def _parse_date(text: pd.Series, empty: pd.Series, excel: bool) -> tuple[pd.Series, pd.Series]:
    # the common case first, in C: YYYY-MM-DD (an Excel date cell is rendered like that)
    out = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
    todo = ~empty & out.isna()
    if todo.any():
        sub = text[todo]
        for pattern in _DATE_PATTERNS:
            parts = sub.str.extract(pattern)
            hit = parts["y"].notna()
            if hit.any():
                p = parts[hit].astype(int)
                parsed = pd.to_datetime(
                    dict(year=p["y"], month=p["m"], day=p["d"]), errors="coerce"
                )
                out.loc[parsed.index] = parsed
        if excel:  # an Excel serial day number in a cell not formatted as a date
            serial = pd.to_numeric(sub, errors="coerce")
            ok = serial.between(36526, 73051) & out[todo].isna()  # 2000-01-01 .. 2099-12-31
            if ok.any():
                out.loc[ok[ok].index] = pd.Timestamp("1899-12-30") + pd.to_timedelta(
                    serial[ok].astype(int), unit="D"
                )
        # a datetime with a zero time of day, as exported by some systems
        rest = ~empty & out.isna()
        if rest.any():
            stamped = pd.to_datetime(text[rest], format="%Y-%m-%d %H:%M:%S", errors="coerce")
            out.loc[stamped.index] = stamped.where(stamped == stamped.dt.normalize())
    bad = ~empty & out.isna()
    return out.astype("datetime64[ns]"), bad


# --------------------------------------------------------------------------- validation


@dataclass
class _Loaded:
    """One file after single-file checks: typed frame (index = Excel row), problems."""

    name: str
    table: schema.Table
    frame: pd.DataFrame
    headers: dict[str, str]  # canonical column → header as written in the file
    collector: _Collector
    info: FileInfo
    fatal: bool  # a file-level problem that dropping rows cannot fix
    text: pd.DataFrame | None = None  # cell text by canonical column (for messages)


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _validate(
    raw: _Raw,
    table: schema.Table,
    col_checker: _Collector,
    lookup: dict[str, str],
    today: date,
    units: dict,
    excel: bool,
) -> tuple[pd.DataFrame | None, dict[str, str], pd.DataFrame | None, bool, list[str]]:
    c = col_checker
    # ---- header → canonical columns
    position: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    fatal = False
    data = raw.data

    def blank_column(i: int) -> bool:
        return len(data) == 0 or not data[i].astype(str).str.strip().ne("").any()

    for i, header in enumerate(raw.headers):
        canonical = lookup.get(_norm_header(header))
        if canonical is None:
            if header == "" and blank_column(i):
                continue  # an empty trailing column from Excel
            shown = header or f"第 {i + 1} 列（无表头）"
            if header == "":
                c.file_problem("该列有数据但没有表头", column=shown)
                fatal = True
            else:
                c.file_problem(f"未知列：不在“{table.zh}”（{table.name}）的数据约定中", shown)
                ignored.append(header)
            continue
        if canonical in position:
            first = raw.headers[position[canonical]]
            c.file_problem(f"与列“{first}”重复，二者都对应字段“{canonical}”", column=header)
            fatal = True
            continue
        position[canonical] = i
        headers[canonical] = header
    missing = [col for col in table.columns if col.name not in position]
    for col in missing:
        c.file_problem(f"缺少列“{col.zh}”（{col.name}）", column=col.zh)
        fatal = True
    if fatal:
        return None, headers, None, True, ignored

    # ---- drop blank rows (not records: Excel often has them at the end)
    # one strip per used column; blank rows are not records (Excel often has them at the end)
    text = pd.DataFrame(
        {col.name: data[position[col.name]].astype(str).str.strip() for col in table.columns},
        index=data.index,
    )
    empties = pd.DataFrame({name: s.eq("") for name, s in text.items()})
    blank = empties.all(axis=1)
    if blank.any():
        text, empties = text.loc[~blank], empties.loc[~blank]
    if text.empty:
        if table.required:
            c.file_problem(f"文件只有表头，没有数据行（“{table.zh}”是必需的表）")
            return None, headers, text, True, ignored
        return empty_frame(table).set_axis(pd.RangeIndex(0, 0)), headers, text, False, ignored

    # ---- per-column types and values
    typed: dict[str, pd.Series] = {}
    today_ts = pd.Timestamp(today)
    for col in table.columns:
        s = text[col.name]
        header = headers[col.name]
        empty = empties[col.name]
        if not col.nullable:
            c.cells(empty, header, s, "必填项为空")
        if col.dtype == "str":
            value = s.where(~empty)
            if col.allowed is not None:
                allowed = "、".join(col.allowed)
                c.cells(
                    ~empty & ~s.isin(col.allowed),
                    header,
                    s,
                    f"取值不在允许范围内（允许：{allowed}）",
                )
        elif col.dtype == "int":
            value, bad = _parse_int(s, empty)
            c.cells(bad, header, s, "不是有效的整数")
        elif col.dtype == "float":
            value, bad = _parse_float(s, empty)
            c.cells(bad, header, s, "不是有效的数字")
        elif col.dtype == "bool":
            value, bad = _parse_bool(s, empty)
            c.cells(bad, header, s, "不是有效的是/否值（可填：是、否、true、false、1、0）")
        elif col.dtype == "date":
            value, bad = _parse_date(s, empty, excel)
            c.cells(bad, header, s, f"日期无法识别（应为 {_DATE_FORMATS_ZH}）")
            c.cells(value < EARLIEST_DATE, header, s, "日期早于 2000-01-01，不在可统计范围内")
            if not col.future_ok:
                c.cells(
                    value > today_ts, header, s, f"日期晚于今天（{today:%Y-%m-%d}），不能是未来日期"
                )
        else:  # pragma: no cover — the contract only has the types above
            raise ValueError(col.dtype)
        if col.minimum is not None and col.dtype in ("int", "float"):
            low = value < col.minimum
            reason = "不能为负数" if col.minimum == 0 else f"不能小于 {_fmt_num(col.minimum)}"
            c.cells(low.fillna(False).astype(bool), header, s, reason)
        if col.unique:
            dup = ~empty & s.duplicated(keep="first")
            if dup.any():
                first_row = s[~empty].drop_duplicates(keep="first")
                first_of = pd.Series(first_row.index, index=first_row.to_numpy())
                c.cells(
                    dup, header, s, lambda _r, v, fo=first_of: f"编号重复（与第 {fo[v]} 行相同）"
                )
        typed[col.name] = value

    # ---- district and town against data/config/units.yaml
    districts = units.get("districts") or {}
    town_owner = {t: d for d, spec in districts.items() for t in (spec or {}).get("towns", [])}
    if "district" in typed:
        d = text["district"]
        c.cells(
            d.ne("") & ~d.isin(list(districts)),
            headers["district"],
            d,
            lambda _r, v: f"区“{v}”未在 data/config/units.yaml 中配置",
        )
    if "town" in typed and "district" in typed:
        t, d = text["town"], text["district"]
        pairs = t.ne("") & d.isin(list(districts))
        wrong = pairs & ~t.map(town_owner).eq(d)

        def town_reason(row: int, v: str) -> str:
            owner = town_owner.get(v)
            district = d.loc[row]
            if owner is not None:
                return f"“{v}”属于{owner}，不属于{district}"
            return f"“{v}”不是{district}的镇/街道（见 data/config/units.yaml）"

        c.cells(wrong, headers["town"], t, town_reason)

    # ---- unique_together
    for combo in table.unique_together:
        sub = text[list(combo)]
        dup = sub.duplicated(keep="first") & sub.ne("").all(axis=1)
        names = "、".join(table.column(n).zh for n in combo)
        shown = sub.astype(str).agg(" / ".join, axis=1)
        c.cells(dup, headers[combo[-1]], shown, f"（{names}）组合重复")

    # ---- cross-column rules
    for rule in table.rules:
        a, b = typed[rule.column], typed[rule.other]
        header = headers[rule.column]
        if rule.kind in ("not_before", "not_less"):
            bad = (a.notna() & b.notna() & (a < b)).fillna(False).astype(bool)
            shown = text[rule.column] + "（" + headers[rule.other] + "：" + text[rule.other] + "）"
            c.cells(bad, header, shown, rule.zh)
        elif rule.kind == "iff_present":
            valid_b = b.notna()
            bad = valid_b & (a.notna() != b.eq(rule.value))
            shown = text[rule.other] + "；" + headers[rule.column] + "：" + text[rule.column]
            c.cells(bad.fillna(False).astype(bool), header, shown, rule.zh)
        else:  # pragma: no cover
            raise ValueError(rule.kind)

    frame = pd.DataFrame(typed, index=text.index)
    return frame, headers, text, False, ignored


def _finalise(frame: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """Cast to the contract's dtypes (rows with problems already removed)."""
    out = {}
    for col in table.columns:
        s = frame[col.name]
        if col.dtype == "str":
            out[col.name] = s.astype(object).where(s.notna(), np.nan)
        else:
            out[col.name] = s.astype(_pandas_dtype(col))
    return pd.DataFrame(out).reset_index(drop=True)


def _load_file(
    path: Path,
    table: schema.Table,
    *,
    today: date,
    units: dict,
    column_map: dict,
) -> _Loaded:
    name = path.name
    collector = _Collector(name)
    lookup = header_lookup(table, column_map)
    data = path.read_bytes()
    info = FileInfo(name=name, table=table.name, sha256=_sha256(data))
    excel = path.suffix.lower() == ".xlsx"

    def fail() -> _Loaded:
        return _Loaded(name, table, empty_frame(table), {}, collector, info, True)

    if len(data) == 0:
        collector.file_problem("文件为空（0 字节）")
        return fail()
    if excel:
        raw, problems = _read_xlsx(path, table, name, lookup)
    else:
        raw, problems = _read_csv(path, data, name, lookup)
    collector.problems.extend(problems)
    if raw is None:
        return fail()
    info.encoding = raw.encoding
    info.header_rows = raw.header_rows
    frame, headers, text, fatal, ignored = _validate(
        raw, table, collector, lookup, today, units, excel
    )
    info.ignored_columns = tuple(ignored)
    if fatal or frame is None:
        return _Loaded(name, table, empty_frame(table), headers, collector, info, True, text)
    info.rows_read = len(frame)
    return _Loaded(name, table, frame, headers, collector, info, False, text)


# --------------------------------------------------------------------------- public API


def load_table(
    path: str | Path,
    table: schema.Table,
    *,
    today: date | None = None,
    units: dict | None = None,
    column_map: dict | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Load and validate one file (single-file checks; references need ``load_tables``).

    Returns the rows without problems, typed per the contract, and every problem found.
    If the file cannot be read at all (file-level problem) the frame is empty.
    """
    path = Path(path)
    loaded = _load_file(
        path,
        table,
        today=today or date.today(),
        units=config.units() if units is None else units,
        column_map=read_column_map() if column_map is None else column_map,
    )
    good = loaded.frame.loc[~loaded.frame.index.isin(list(loaded.collector.bad_rows))]
    return _finalise(good, table), _sorted(loaded.collector.problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """File-level problems first, then by Excel row (stable: column order within a row)."""
    return sorted(problems, key=lambda p: -1 if p.row is None else p.row)


def _find_file(data_dir: Path, table: schema.Table) -> tuple[Path | None, list[Problem]]:
    found = [data_dir / f"{table.name}{ext}" for ext in (".csv", ".xlsx")]
    found = [p for p in found if p.is_file()]
    if len(found) > 1:
        names = "、".join(p.name for p in found)
        return None, [
            Problem(
                found[0].name,
                None,
                None,
                None,
                f"同时存在 {names}，无法确定使用哪一个，请只保留一个",
            )
        ]
    if found:
        return found[0], []
    for ext in (".xls", ".xlsm"):
        if (data_dir / f"{table.name}{ext}").is_file():
            return None, [
                Problem(
                    f"{table.name}{ext}",
                    None,
                    None,
                    None,
                    f"不支持 {ext} 格式，请在 Excel 中另存为 .xlsx 或 CSV UTF-8",
                )
            ]
    if table.required:
        return None, [
            Problem(
                f"{table.name}.csv",
                None,
                None,
                None,
                f"缺少必需的数据文件：{table.name}.csv 或 {table.name}.xlsx（{table.zh}）",
            )
        ]
    return None, []


def _check_references(loaded: dict[str, _Loaded], strict: bool) -> None:
    """Every ``ref`` column must point at an existing row of the referenced table."""
    for item in loaded.values():
        if item.fatal:
            continue
        for col in item.table.columns:
            if not col.ref:
                continue
            ref_table, ref_col = col.ref.split(".")
            target = loaded.get(ref_table)
            if target is None or target.fatal:
                continue
            values = item.frame[col.name]
            all_ids = set(target.frame[ref_col].dropna().tolist())
            text = item.text[col.name]
            present = values.notna()
            missing = present & ~values.isin(all_ids)
            ref_zh = schema.TABLES[ref_table].zh
            item.collector.cells(
                missing,
                item.headers[col.name],
                text,
                f"{col.zh}在{ref_zh}（{target.name}）中不存在",
            )
            if not strict and target.collector.bad_rows:
                rejected = target.frame.index.isin(list(target.collector.bad_rows))
                dropped_ids = set(target.frame.loc[rejected, ref_col].dropna().tolist())
                kept_ids = set(target.frame.loc[~rejected, ref_col].dropna().tolist())
                orphan = present & values.isin(dropped_ids - kept_ids)
                item.collector.cells(
                    orphan,
                    item.headers[col.name],
                    text,
                    f"所引用的{col.zh}在{ref_zh}（{target.name}）中的行已被剔除",
                )


def _read_manifest(data_dir: Path) -> dict | None:
    path = data_dir / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        data = config.read_yaml(path)
    except Exception:  # noqa: BLE001 — a broken manifest is informational only
        return None
    return data if isinstance(data, dict) else None


def load_tables(
    data_dir: str | Path,
    strict: bool = True,
    today: date | None = None,
    *,
    units: dict | None = None,
    column_map: dict | None = None,
) -> LoadResult:
    """Load and validate every table of the contract found in ``data_dir``.

    strict=True: raise DataValidationError listing every problem in every file.
    strict=False: drop invalid rows (listed in ``rejects``) and go on; file-level problems
    still raise (see the module docstring).
    """
    data_dir = Path(data_dir)
    today = today or date.today()
    units = config.units() if units is None else units
    column_map = read_column_map() if column_map is None else column_map
    if not data_dir.is_dir():
        raise DataValidationError([Problem(str(data_dir), None, None, None, "数据目录不存在")])

    file_problems: list[Problem] = []
    loaded: dict[str, _Loaded] = {}
    for table in schema.TABLES.values():
        path, problems = _find_file(data_dir, table)
        file_problems.extend(problems)
        if path is not None:
            loaded[table.name] = _load_file(
                path, table, today=today, units=units, column_map=column_map
            )
    _check_references(loaded, strict)

    problems = list(file_problems)
    fatal = bool(file_problems)
    for item in loaded.values():
        problems.extend(_sorted(item.collector.problems))
        fatal = fatal or item.fatal
    if strict and problems:
        raise DataValidationError(problems)
    if fatal:
        raise DataValidationError(problems)

    tables: dict[str, pd.DataFrame] = {}
    files: list[FileInfo] = []
    for table in schema.TABLES.values():
        item = loaded.get(table.name)
        if item is None:
            tables[table.name] = empty_frame(table)
            continue
        bad = item.frame.index.isin(list(item.collector.bad_rows))
        item.info.rows_rejected = int(bad.sum())
        tables[table.name] = _finalise(item.frame.loc[~bad], table)
        files.append(item.info)

    rejects = pd.DataFrame(
        [(p.file, p.row, p.column, p.value, p.reason) for p in problems],
        columns=REJECT_COLUMNS,
    )
    rejects["行号"] = rejects["行号"].astype("Int64")
    manifest = _read_manifest(data_dir)
    synthetic = (data_dir / SYNTHETIC_MARKER).is_file() or bool((manifest or {}).get("synthetic"))
    return LoadResult(
        tables=tables,
        files=files,
        problems=problems,
        rejects=rejects,
        strict=strict,
        data_dir=data_dir,
        synthetic=synthetic,
        manifest=manifest,
        today=today,
    )
