"""Find the data files of a folder, read them safely, validate them and check references."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.errors import DataValidationError, Problem
from analysis.inputs import money, schema, sniff
from analysis.inputs.discover import discover
from analysis.inputs.headers import header_lookup, read_column_map
from analysis.inputs.parse import empty_frame, finalise
from analysis.inputs.read import read_csv
from analysis.inputs.reference_lists import ReferenceLists, reference_lists
from analysis.inputs.results import REJECT_COLUMNS, FileInfo, LoadResult, coverage_of, shown_file
from analysis.inputs.sheets import read_workbook
from analysis.inputs.validate import Collector, validate
from analysis.settings import places
from analysis.settings.yaml_files import read_yaml

SYNTHETIC_MARKER = "SYNTHETIC"
MANIFEST_FILE = "MANIFEST.yaml"


@dataclass
class _Loaded:
    """One file after single-file checks: typed frame (index = row number), problems."""

    name: str
    table: schema.Table
    frame: pd.DataFrame
    headers: dict[str, str]  # canonical column → header as written in the file
    collector: Collector
    info: FileInfo
    fatal: bool  # a file-level problem that dropping rows cannot fix
    text: pd.DataFrame | None = None  # cell text by canonical column (for messages)
    notices: list[Problem] = field(default_factory=list)  # e.g. sheets skipped


# --------------------------------------------------------------------------- files


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有读取权限，请检查文件权限"
    if exc.errno == errno.ELOOP:
        return "是循环的符号链接，无法读取"
    if exc.errno == errno.EISDIR:
        return "是一个文件夹，不是数据文件"
    return f"无法读取（系统错误 {errno.errorcode.get(exc.errno or 0, exc.errno)}）"


def path_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file (Chinese), or None for a regular file.

    Checked with stat before opening, so a FIFO or device never blocks the run."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ENOENT and path.is_symlink():
            return f"是指向不存在文件的符号链接（指向 {os.readlink(path)}）"
        if exc.errno == errno.ENOENT:
            return "文件不存在"
        return _os_reason(exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "是一个文件夹，不是数据文件"
    if stat.S_ISFIFO(mode):
        return "是命名管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备文件，不是普通文件"
    return "不是普通文件"


def _read_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    why = path_problem(path)
    if why is None:
        try:
            return path.read_bytes(), None
        except OSError as exc:
            why = _os_reason(exc)
    return None, Problem(str(path), None, None, None, f"数据文件 {path} {why}")


def _listing(data_dir: Path) -> list[str]:
    """Every entry of the folder (any kind of entry, not just files), sorted."""
    return sorted(os.listdir(data_dir))


# --------------------------------------------------------------------------- one file


def _load_file(
    path: Path,
    table: schema.Table,
    *,
    today: date,
    units: dict,
    column_map: dict,
    lists: ReferenceLists,
    manifest: dict | None = None,
) -> _Loaded:
    name = path.name
    collector = Collector(name)
    data, problem = _read_bytes(path)
    info = FileInfo(name=name, table=table.name, sha256=hashlib.sha256(data or b"").hexdigest())

    def fail(headers: dict | None = None, text: pd.DataFrame | None = None) -> _Loaded:
        frame = empty_frame(table)
        return _Loaded(name, table, frame, headers or {}, collector, info, True, text)

    if data is None:
        collector.problems.append(problem)
        return fail()
    if len(data) == 0:
        collector.file_problem("文件为空（0 字节）")
        return fail()
    lookup = header_lookup(table, column_map)
    kind, why = sniff.refusal(data, name)
    if why is not None:
        collector.file_problem(why)
        return fail()
    excel = kind == "workbook"
    notices: list[Problem] = []
    if excel:
        raw, problems, notices = read_workbook(data, table, name, lookup)
    else:
        raw, problems = read_csv(data, name, lookup)
    data = None  # the bytes are parsed: let a large file's memory go before validation
    collector.problems.extend(problems)
    if raw is None:
        loaded = fail()
        loaded.notices = notices
        return loaded
    collector.sheets = raw.sheets
    info.sheets = tuple(raw.sheets)
    info.encoding = raw.encoding
    info.header_rows = raw.header_rows
    declared = money.read_declarations(column_map, manifest)
    checked = validate(raw, table, collector, lookup, today=today, units=units, excel=excel,
                       money_units=declared, lists=lists)  # fmt: skip
    notices.extend(collector.notices)
    info.ignored_columns = tuple(checked.columns.ignored)
    if checked.fatal or checked.frame is None:
        loaded = fail(checked.columns.headers, checked.text)
        loaded.notices = notices
        return loaded
    info.rows_read = len(checked.frame) + len(raw.malformed)
    headers = checked.columns.headers
    frame, text = checked.frame, checked.text
    return _Loaded(name, table, frame, headers, collector, info, False, text, notices)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """File-level problems first, then by row (stable: column order within a row)."""
    return sorted(problems, key=lambda p: -1 if p.row is None else p.row)


def _kept(item: _Loaded) -> pd.DataFrame:
    """The rows of one file without problems, typed per the contract."""
    if not item.collector.bad_rows:
        return finalise(item.frame, item.table)  # no copy of two million good rows
    bad = item.frame.index.isin(list(item.collector.bad_rows))
    return finalise(item.frame.loc[~bad], item.table)


def load_table(
    path: str | Path,
    table: schema.Table,
    *,
    today: date | None = None,
    units: dict | None = None,
    column_map: dict | None = None,
    lists: ReferenceLists | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Load and validate one file (single-file checks; references need ``load_tables``).

    Returns the rows without problems, typed per the contract, and every problem found.
    If the file cannot be read at all (file-level problem) the frame is empty.
    """
    loaded = _load_file(
        Path(path), table, today=today or date.today(), **_checks(units, column_map, lists)
    )
    return _kept(loaded), _sorted(loaded.collector.problems)


# --------------------------------------------------------------------------- the folder


def lists_for(units: dict) -> ReferenceLists:
    """The reference lists that apply to the districts of ``units`` (units.yaml's form)."""
    return reference_lists((units or {}).get("districts") or {})


def _checks(units: dict | None, column_map: dict | None, lists: ReferenceLists | None) -> dict:
    """What the data are checked against: as given, else read from the configuration."""
    units = places.units() if units is None else units
    return {
        "units": units,
        "column_map": read_column_map() if column_map is None else column_map,
        "lists": lists_for(units) if lists is None else lists,
    }


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
            text = item.text[col.name]
            present = values.notna()
            missing = present & ~values.isin(set(target.frame[ref_col].dropna().tolist()))
            ref_zh = schema.TABLES[ref_table].zh
            header = item.headers[col.name]
            why = f"{col.zh}在{ref_zh}（{target.name}）中不存在"
            item.collector.cells(missing, header, text, why)
            if not strict and target.collector.bad_rows:
                rejected = target.frame.index.isin(list(target.collector.bad_rows))
                dropped_ids = set(target.frame.loc[rejected, ref_col].dropna().tolist())
                kept_ids = set(target.frame.loc[~rejected, ref_col].dropna().tolist())
                orphan = present & values.isin(dropped_ids - kept_ids)
                why = f"所引用的{col.zh}在{ref_zh}（{target.name}）中的行已被剔除"
                item.collector.cells(orphan, header, text, why)


def _read_manifest(data_dir: Path) -> dict | None:
    path = data_dir / MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        data = read_yaml(path)
    except Exception:  # noqa: BLE001 — a broken manifest is informational only
        return None
    return data if isinstance(data, dict) else None


def _folder_listing(data_dir: Path) -> list[str]:
    """The folder's entries, or DataValidationError naming the folder."""
    why = path_problem(data_dir)
    if why == "文件不存在":
        why = "数据目录不存在"
    elif why is None:
        why = "数据目录不是文件夹"
    elif why.startswith("是一个文件夹"):
        try:
            return _listing(data_dir)
        except OSError as exc:
            why = f"数据目录{_os_reason(exc)}"
    else:
        why = f"数据目录{why}"
    raise DataValidationError([Problem(str(data_dir), None, None, None, why)])


def _load_all(data_dir: Path, strict: bool, **context) -> tuple[dict[str, _Loaded], list, list]:
    """Every table's file loaded and cross-checked; raises per the strict/lenient policy.
    Returns the loaded files, the problems and the notices about entries not read."""
    found = discover(data_dir, _folder_listing(data_dir))
    loaded = {table: _load_file(path, schema.TABLES[table], **context)
              for table, path in found.files.items()}  # fmt: skip
    _check_references(loaded, strict)
    problems = list(found.problems)
    notices = list(found.notices)
    for item in loaded.values():
        problems.extend(_sorted(item.collector.problems))
        notices.extend(item.notices)
    fatal = bool(found.problems) or any(item.fatal for item in loaded.values())
    if problems and (strict or fatal):
        raise DataValidationError(problems)
    return loaded, problems, notices


def load_tables(
    data_dir: str | Path,
    strict: bool = True,
    today: date | None = None,
    *,
    units: dict | None = None,
    column_map: dict | None = None,
    lists: ReferenceLists | None = None,
) -> LoadResult:
    """Load and validate every table of the contract found in ``data_dir``.

    strict=True: raise DataValidationError listing every problem in every file.
    strict=False: drop invalid rows (listed in ``rejects``) and go on; file-level problems
    still raise (see the package docstring). ``lists``: the reference lists (default: the
    shared ones and the additions of each district of ``units``).
    """
    data_dir = Path(data_dir)
    today = today or date.today()
    manifest = _read_manifest(data_dir) if data_dir.is_dir() else None
    loaded, problems, notices = _load_all(
        data_dir, strict, manifest=manifest, today=today, **_checks(units, column_map, lists)
    )
    tables: dict[str, pd.DataFrame] = {}
    files: list[FileInfo] = []
    for table in schema.TABLES.values():
        item = loaded.get(table.name)
        if item is None:
            tables[table.name] = empty_frame(table)
            continue
        item.info.rows_rejected = len(item.collector.bad_rows)
        tables[table.name] = _kept(item)
        files.append(item.info)
    rejects = pd.DataFrame(
        [(shown_file(p), p.row, p.column, p.value, p.reason) for p in problems],
        columns=REJECT_COLUMNS,
    )
    rejects["行号"] = rejects["行号"].astype("Int64")
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
        notices=notices,
        coverage={
            t.name: coverage_of(tables[t.name], t.date_column)
            for t in schema.TABLES.values()
            if t.date_column
        },
    )
