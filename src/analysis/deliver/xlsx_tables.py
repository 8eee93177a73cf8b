"""The workbook's table sheets: which columns people read, Chinese words for codes, number
formats from each indicator's own decimals, widths, filters and print setup.

A sheet shows the columns a reader needs (``SHOWN_COLUMNS``; identifier columns ending in
编号 are left out); the CSV beside the workbook keeps every column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from analysis.deliver.xlsx_cells import (
    INTEGER_FORMAT,
    decimals_format,
    label,
    put_text,
    text_value,
)

_VALUE_ROW = ("本期累计", "本月", "上年同期", "前年同期", "上月", "上年同月")
SHOWN_COLUMNS = {
    "指标": ("栏目", "指标", "单位", *_VALUE_ROW[:4], "同比", "比前年同期", "环比", "本月同比")
    + ("方向", "统计期", "口径说明"),
    "分镇街": ("镇（街道）", "栏目", "指标", "单位", *_VALUE_ROW[:3], "同比", "环比")
    + ("占全区比重（%）",),
    "分行业": ("行业领域", "栏目", "指标", "单位", *_VALUE_ROW[:3], "同比", "环比")
    + ("占全区比重（%）",),
}
# columns holding an indicator's value (shown with that indicator's decimals)
VALUE_COLUMNS = {*_VALUE_ROW, "数值", "目标值", "实际值", "年底预计", "序时进度应达", "差距"}
VALUE_COLUMNS |= {"发布值", "重算值"}
INDICATOR_NAME_COLUMNS = ("指标", "佐证指标")
CHANGE_FORMAT = "0.0"  # 同比（%）, 占全区比重（%）…: one decimal, as the briefing words them
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
MAX_WIDTH = 60
PORTRAIT_WIDTH = 100  # characters of column width that fit an A4 page upright


@dataclass
class SheetTable:
    header: list[str]
    rows: list[list[str]]
    decimals: list[int | None]  # the row's indicator decimals, when known


def _is_date(text: str) -> bool:
    """A real calendar date written YYYY-MM-DD (a rejected "2020-13-01" stays text)."""
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def column_kind(values: list[str]) -> str:
    """'int', 'float', 'date' or 'text' for a column (empty cells ignored)."""
    filled = [v for v in values if v != ""]
    if not filled:
        return "text"
    if all(_is_date(v) for v in filled):
        return "date"
    if all(_NUMBER.match(v) for v in filled):
        return "int" if all(re.fullmatch(r"-?\d+", v) for v in filled) else "float"
    return "text"


def _row_decimals(header: list[str], row: list[str], by_name: dict[str, int]) -> int | None:
    """The decimals of the row's indicator; None when unknown or when the row's 口径 is a
    change (同比, 比例: a percentage, not the indicator's own value)."""
    if "口径" in header and row[header.index("口径")] not in ("value", ""):
        return None
    if "小数位数" in header:
        raw = row[header.index("小数位数")]
        return int(raw) if raw.lstrip("-").isdigit() else None
    for column in INDICATOR_NAME_COLUMNS:
        if column in header and row[header.index(column)] in by_name:
            return by_name[row[header.index(column)]]
    return None


def readable(sheet: str, header: list[str], body: list[list[str]], by_name: dict[str, int]):
    """The sheet's table: its shown columns, codes in Chinese, each row's decimals."""
    decimals = [_row_decimals(header, row, by_name) for row in body]
    if sheet in SHOWN_COLUMNS:
        keep = [header.index(c) for c in SHOWN_COLUMNS[sheet] if c in header]
    else:
        keep = [i for i, h in enumerate(header) if not (h.endswith("编号") and h != "编号")]
    shown = [header[i] for i in keep]
    rows = [[label(header[i], row[i]) for i in keep] for row in body]
    return SheetTable(shown, rows, decimals)


def _number_format(header: str, kind: str, decimals: int | None) -> str | None:
    if kind == "date":
        return "yyyy-mm-dd"
    if kind not in ("int", "float"):
        return None
    if header in VALUE_COLUMNS:
        return decimals_format(decimals) if decimals is not None else None  # as stored
    if "%" in header or "百分点" in header:
        return CHANGE_FORMAT
    return INTEGER_FORMAT if kind == "int" else "#,##0.00"


def _set_cell(cell, raw: str, kind: str, number_format: str | None) -> None:
    if raw == "":
        return
    if kind == "date":
        cell.value = date.fromisoformat(raw)
    elif kind == "int":
        cell.value = int(raw)
    elif kind == "float":
        value = float(raw)
        cell.value = int(value) if number_format == INTEGER_FORMAT and value.is_integer() else value
    else:
        put_text(cell, text_value(raw))
    if number_format:
        cell.number_format = number_format


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def header_row(ws: Worksheet, header: list[str]) -> None:
    for c, title in enumerate(header, start=1):
        cell = ws.cell(row=1, column=c)
        put_text(cell, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def write_table(ws: Worksheet, table: SheetTable) -> None:
    """Header row, typed cells with formats, widths, frozen header, filter, print setup."""
    header, body = table.header, table.rows
    header_row(ws, header)
    kinds = [column_kind([row[i] for row in body]) for i in range(len(header))]
    for r, (row, decimals) in enumerate(zip(body, table.decimals, strict=True), start=2):
        for c, raw in enumerate(row, start=1):
            kind = kinds[c - 1]
            _set_cell(
                ws.cell(row=r, column=c), raw, kind, _number_format(header[c - 1], kind, decimals)
            )
    total = 0
    for c, title in enumerate(header, start=1):
        longest = max([display_width(title)] + [display_width(row[c - 1]) for row in body])
        width = min(MAX_WIDTH, max(8, longest + 2))
        ws.column_dimensions[get_column_letter(c)].width = width
        total += width
        if longest > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if body:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    print_setup(ws, total)


def append_block(ws: Worksheet, title: str, header: list[str], body: list[list[str]]) -> None:
    """A second table below the sheet's own, after a blank row: a bold title, its header
    row and its rows as text (wrapped, so a long reason stays within the page)."""
    top = ws.max_row + 2
    put_text(ws.cell(row=top, column=1), title)
    ws.cell(row=top, column=1).font = Font(bold=True)
    for c, name in enumerate(header, start=1):
        cell = ws.cell(row=top + 1, column=c)
        put_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for r, row in enumerate(body, start=top + 2):
        for c, raw in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            put_text(cell, text_value(raw))
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def print_setup(ws: Worksheet, total_width: float, title_rows: str = "1:1") -> None:
    """A4, landscape when the columns are wider than an upright page, all columns on one
    page's width, the header row repeated on every page, page numbers in the footer."""
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if total_width > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.oddFooter.center.text = "&A　第 &P 页，共 &N 页"
