"""Which entry of a data folder is which table's file, and what is said about every other one.

Every entry of the folder is either read as a table or reported by name with what to do:
nothing that is there is taken as absent. A table's file may be named by the table's
English name (``cases``) or its Chinese name from the data contract (``立案处罚``), case
and width insensitive, with a download copy's mark (``cases (1).csv``, ``cases - 副本``) or
an extension Windows hid (``incidents.csv.xlsx``). Two candidates for one table are refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import Problem
from analysis.inputs import schema

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
BOOK_EXTENSIONS = (".xlsx", ".xlsm", ".et")
READABLE_EXTENSIONS = TEXT_EXTENSIONS + BOOK_EXTENSIONS
MARKER_FILES = ("SYNTHETIC", "MANIFEST.yaml")
FORMAT_ADVICE = "请在 Excel 或 WPS 中另存为 .xlsx 或“CSV UTF-8（逗号分隔）”"
NAME_ADVICE = (
    "文件名不对应任何数据表，未读取；如果是数据表，请按 docs/数据字典.md 命名"
    "（如 incidents.csv 或 事故与火灾.csv）"
)
# a second download or a copy: "cases (1)", "cases（2）", "cases - 副本", "cases - Copy"
_COPY_MARK = re.compile(r"\s*(?:[(（]\d{1,3}[)）]|-?\s*(?:副本|copy)(?:\s*[(（]\d{1,3}[)）])?)$")


@dataclass(frozen=True)
class Entry:
    """One folder entry named after a table."""

    name: str
    table: str
    extension: str  # lower case, with the dot


@dataclass
class Discovery:
    """The file chosen for each table, fatal problems, and notices about unread entries."""

    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


_TABLE_KEYS = {
    **{_key(t.name): t.name for t in schema.TABLES.values()},
    **{_key(t.zh): t.name for t in schema.TABLES.values()},
}


def table_of(name: str) -> Entry | None:
    """The table an entry's name stands for, or None.

    >>> table_of("立案处罚 (1).CSV")
    Entry(name='立案处罚 (1).CSV', table='cases', extension='.csv')
    >>> table_of("incidents.csv.xlsx").extension
    '.xlsx'
    """
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    stem = _COPY_MARK.sub("", stem.strip(), count=1)
    inner, inner_dot, inner_ext = stem.rpartition(".")
    if inner_dot and f".{inner_ext.lower()}" in READABLE_EXTENSIONS + (".xls",):
        stem = _COPY_MARK.sub("", inner.strip(), count=1)  # "incidents.csv.xlsx"
    table = _TABLE_KEYS.get(_key(stem))
    if table is None:
        return None
    return Entry(name, table, f".{extension.lower()}" if extension else "")


def _unread_reason(entry: Entry) -> str:
    if entry.extension == ".xls":
        return f"不支持 .xls 格式（旧版 Excel）：{FORMAT_ADVICE}"
    shown = entry.extension or "（无扩展名）"
    allowed = "、".join(READABLE_EXTENSIONS)
    return f"扩展名 {shown} 不是可读取的数据格式（可读取：{allowed}）：{FORMAT_ADVICE}"


def _notice_for_other(name: str) -> str:
    if name.startswith("~$"):
        return "是 Excel/WPS 打开文件时留下的临时文件，未读取：请关闭该文件后删除它"
    if name.startswith("."):
        return "是隐藏文件，未读取"
    return NAME_ADVICE


def discover(data_dir: Path, names: list[str]) -> Discovery:
    """Assign every entry of ``data_dir`` (its ``names``) to a table, or say why not."""
    found = Discovery()
    by_table: dict[str, list[Entry]] = {}
    for name in sorted(names):
        if name in MARKER_FILES:
            continue
        entry = table_of(name)
        if entry is None:
            found.notices.append(Problem(name, None, None, None, _notice_for_other(name)))
            continue
        by_table.setdefault(entry.table, []).append(entry)
    for table in schema.TABLES.values():
        _choose(data_dir, table, by_table.get(table.name, []), found)
    return found


def _choose(data_dir: Path, table: schema.Table, entries: list[Entry], found: Discovery):
    readable = [e for e in entries if e.extension in READABLE_EXTENSIONS]
    other = [e for e in entries if e.extension not in READABLE_EXTENSIONS]
    if len(readable) > 1:
        names = "、".join(e.name for e in readable)
        why = f"同时存在 {names}（都是“{table.zh}”），无法确定使用哪一个，请只保留一个"
        found.problems.append(Problem(readable[0].name, None, None, None, why))
    elif readable:
        found.files[table.name] = data_dir / readable[0].name
    for entry in other:
        why = _unread_reason(entry)
        if (data_dir / entry.name).is_dir():  # e.g. a folder "cases" of older exports
            why = "是文件夹，不是数据文件，未读取"
            found.notices.append(Problem(entry.name, None, None, None, why))
        elif readable:
            found.notices.append(Problem(entry.name, None, None, None, f"未读取：{why}"))
        else:
            found.problems.append(Problem(entry.name, None, None, None, why))
    if not entries and table.required:
        why = (
            f"缺少必需的数据文件：{table.name}.csv 或 {table.name}.xlsx"
            f"（也可用中文名 {table.zh}.csv）"
        )
        found.problems.append(Problem(f"{table.name}.csv", None, None, None, why))
