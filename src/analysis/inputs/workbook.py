"""Workbook → sheets of text cells, each cell taken for what Excel shows.

- a percent-formatted number is read as shown (a cell showing 90% is 90, not 0.9) and
  remembered, so validation can check it sits where the indicator is in %;
- an error cell (#DIV/0!, #N/A, …) and a formula Excel never calculated (no cached value,
  e.g. a file written by a program) are faults with their own messages, never "empty";
- merged cells are remembered (``Sheet.merged``): a block merged down one column shows its
  value on every row it covers, and is read so once the header is known (inputs.sheets);
- a damaged or truncated workbook is a message, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

ERROR_CELL = "单元格为错误值 {value}：请在 Excel 中修正公式或改填数值"
FORMULA_NOT_CALCULATED = "公式未计算：请在 Excel 中打开并保存（公式：{value}）"
DAMAGED = (
    "Excel 文件已损坏或不完整（{detail}），无法读取："
    "请在 Excel 中打开，确认内容完整后另存为 .xlsx；或重新导出"
)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+[0-9]+:[A-Za-z]+[0-9]+)"')
SHEET_ROWS = 2**21  # row index stride per sheet: wider than Excel's 1,048,576 rows


def sheet_and_row(sheets: tuple[str, ...], index: int) -> tuple[str | None, int]:
    """(sheet name, Excel row) of a combined row index (no sheet for a text file)."""
    if not sheets:
        return None, index
    return sheets[index // SHEET_ROWS], index % SHEET_ROWS


class DamagedWorkbook(Exception):
    """The workbook cannot be read; ``str(exc)`` is the Chinese reason."""


@dataclass
class Sheet:
    """One sheet as text cells; row k of ``rows`` is Excel row k + 1."""

    name: str
    rows: list[list[str]]
    faults: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → why
    percent: set[tuple[int, int]] = field(default_factory=set)  # (Excel row, 0-based col)
    # merged blocks: (first Excel row, first 0-based col, last Excel row, last 0-based col)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    from openpyxl.utils.escape import unescape

    return unescape(text)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _text(cell: Any, row: int, col: int, sheet: Sheet) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "e":
        sheet.faults[(row, col)] = ERROR_CELL.format(value=value)
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            sheet.percent.add((row, col))
            return _number(round(value * 100, 9))
        return "" if value != value else _number(value)  # NaN never comes from a cell
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return _unescape(str(value))


def _read_sheet(ws) -> Sheet:
    sheet = Sheet(ws.title, [])
    ws.reset_dimensions()  # a stale <dimension> must not cut columns or rows off
    for r, cells in enumerate(ws.iter_rows(), start=1):
        sheet.rows.append([_text(cell, r, c, sheet) for c, cell in enumerate(cells)])
    while sheet.rows and not any(sheet.rows[-1]):
        sheet.rows.pop()
    return sheet


def _formula_cells(data: bytes, title: str) -> dict[tuple[int, int], str]:
    """(row, col) → formula, for the formula cells of one sheet (a second, formula pass)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        found = {}
        ws = book[title]
        ws.reset_dimensions()
        for r, cells in enumerate(ws.iter_rows(), start=1):
            for c, cell in enumerate(cells):
                if cell.data_type == "f":
                    found[(r, c)] = str(cell.value)
        return found
    finally:
        book.close()


def _sheet_xml(data: bytes, ws) -> bytes | None:
    """The sheet's own XML part, if its path is known."""
    part = getattr(ws, "_worksheet_path", None)
    if part is None:
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part)


def _merged_blocks(xml: bytes | None) -> list[tuple[int, int, int, int]]:
    from openpyxl.utils.cell import range_boundaries

    blocks = []
    for ref in _MERGE_REF.findall(xml or b""):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
        blocks.append((min_row, min_col - 1, max_row, max_col - 1))
    return blocks


def _mark_uncalculated(data: bytes, ws, sheet: Sheet, xml: bytes | None) -> None:
    """Formulas with no cached value read as empty cells: say so instead."""
    if xml is not None and not _FORMULA_TAG.search(xml):
        return  # no formula at all: no second pass
    for (r, c), formula in _formula_cells(data, ws.title).items():
        row = sheet.rows[r - 1] if r <= len(sheet.rows) else None
        if row is None:
            sheet.rows.extend([] for _ in range(r - len(sheet.rows)))
            row = sheet.rows[r - 1]
        if c >= len(row):
            row.extend([""] * (c + 1 - len(row)))
        if row[c] == "":
            row[c] = formula
            sheet.faults[(r, c)] = FORMULA_NOT_CALCULATED.format(value=formula)


def read_sheets(data: bytes) -> list[Sheet]:
    """Every sheet of the workbook in ``data``; DamagedWorkbook if it cannot be read."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = []
            for ws in book.worksheets:
                sheet = _read_sheet(ws)
                xml = _sheet_xml(data, ws)
                _mark_uncalculated(data, ws, sheet, xml)
                sheet.merged = _merged_blocks(xml)
                sheets.append(sheet)
            return sheets
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 — any damage: zip, XML, a part cut short
        detail = type(exc).__name__
        raise DamagedWorkbook(DAMAGED.format(detail=detail)) from exc
