"""briefing.xlsx: the run's CSV tables as one workbook for analysts (openpyxl).

Source: the CSVs the run wrote into the output folder (nothing is recomputed). One sheet per
table, Chinese headers, frozen header row, filters, column widths and number formats, plus a
first sheet 说明 that names the briefing and says when the data are synthetic. Text that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is stored as text.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis import folder
from analysis.atomic import write_atomic
from analysis.deliver.stable import run_stamp, stable_zip
from analysis.errors import AnalysisError
from analysis.safe_cells import FORMULA_STARTS

# (sheet, CSV file, what it holds) in workbook order.
SHEETS = (
    ("指标", folder.INDICATORS_CSV, "全部指标的本期累计、本月、同比、环比"),
    ("目标与差距", folder.GAPS_CSV, "年度目标完成情况与差距"),
    ("差距登记", folder.GAP_REGISTER_CSV, "差距与不足的数据佐证和对应举措"),
    ("核对", folder.RECONCILIATION_CSV, "已发布数字与重算值的核对"),
    ("分镇街", folder.BY_TOWN_CSV, "各镇（街道）指标（仅全区简报）"),
    ("分行业", folder.BY_INDUSTRY_CSV, "各行业领域指标"),
    ("数据质量", folder.REJECTS_CSV, "被剔除的数据行及原因（宽松模式）"),
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
MAX_WIDTH = 60
NO_REJECTS = "本次运行没有剔除任何数据行（未生成 rejects.csv）。"


class ExportError(AnalysisError):
    """An output format could not be written (message in Chinese)."""


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ExportError(f"{path.name} 不是 UTF-8 编码，无法写入 Excel 工作簿：{err}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], []
    header, body = rows[0], rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ExportError(
                f"{path.name} 第 {number} 行有 {len(row)} 列，表头有 {len(header)} 列，"
                "无法写入 Excel 工作簿"
            )
    return header, body


def _column_kind(values: list[str]) -> str:
    """'int', 'float', 'bool', 'date' or 'text' for a CSV column (empty cells ignored)."""
    filled = [v for v in values if v != ""]
    if not filled:
        return "text"
    if all(v in ("True", "False") for v in filled):
        return "bool"
    if all(_is_date(v) for v in filled):
        return "date"
    if all(_NUMBER.match(v) for v in filled):
        return "int" if all(re.fullmatch(r"-?\d+", v) for v in filled) else "float"
    return "text"


def _is_date(text: str) -> bool:
    """A real calendar date written YYYY-MM-DD (a rejected "2020-13-01" stays text)."""
    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _number_format(header: str, kind: str) -> str | None:
    if kind == "date":
        return "yyyy-mm-dd"
    if kind == "int":
        return "#,##0"
    if kind == "float":
        return "0.0" if ("%" in header or "百分点" in header) else "#,##0.00"
    return None


def _text_value(value: str) -> str:
    """CSV text as the workbook shows it: a ``'`` that only protected a formula-like
    value in the CSV is dropped, because the cell is stored as text anyway."""
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_sheet(ws: Worksheet, header: list[str], body: list[list[str]]) -> None:
    shown = header
    ws.append(shown)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    kinds = [_column_kind([row[i] for row in body]) for i in range(len(header))]
    formats = [_number_format(h, k) for h, k in zip(shown, kinds, strict=True)]
    for r, row in enumerate(body, start=2):
        for c, raw in enumerate(row, start=1):
            _set_cell(ws.cell(row=r, column=c), raw, kinds[c - 1], formats[c - 1])
    for c, title in enumerate(shown, start=1):
        longest = max([_display_width(title)] + [_display_width(row[c - 1]) for row in body])
        ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, max(8, longest + 2))
        if longest > MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    if body:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"


def _set_cell(cell, raw: str, kind: str, number_format: str | None) -> None:
    if raw == "":
        return
    if kind == "bool":
        cell.value = "是" if raw == "True" else "否"
    elif kind == "date":
        cell.value = date.fromisoformat(raw)
    elif kind == "int":
        cell.value = int(raw)
    elif kind == "float":
        cell.value = float(raw)
    else:
        value = _text_value(raw)
        cell.value = value
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True
    if number_format and kind in ("int", "float", "date"):
        cell.number_format = number_format


def _notes_sheet(ws: Worksheet, summary: dict, included: list[tuple[str, str, str]]) -> None:
    ws.append(["项目", "内容"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    ws.append(["简报", summary.get("title", "")])
    if summary.get("synthetic"):
        ws.append(["数据性质", "示例数据为合成数据（非真实台账），数字仅用于演示，不得引用。"])
    ws.append(["来源", "本工作簿由本次运行写出的 CSV 表格转换而成，未重新计算。"])
    for sheet, csv_name, what in included:
        ws.append([f"工作表：{sheet}", f"{what}（{csv_name}）"])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 80
    ws.freeze_panes = "A2"


def read_summary(out_dir: Path) -> dict:
    """summary.json of a run ({} when the run wrote none)."""
    try:
        return json.loads((Path(out_dir) / folder.SUMMARY).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def build_workbook(out_dir: Path) -> Workbook:
    """The workbook of the CSVs in ``out_dir``. A table whose CSV the run did not write is
    left out (分镇街 in a town briefing; 说明 says so); 数据质量 says when no row was rejected."""
    out_dir = Path(out_dir)
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    included = []
    for sheet, csv_name, what in SHEETS:
        path = out_dir / csv_name
        if path.exists():
            header, body = _read_csv(path)
        elif csv_name == folder.REJECTS_CSV:
            header, body = ["说明"], [[NO_REJECTS]]
        else:
            continue
        _write_sheet(wb.create_sheet(sheet), header, body)
        included.append((sheet, csv_name, what))
    summary = read_summary(out_dir)
    _notes_sheet(notes, summary, included)
    missing = [s for s, _, _ in SHEETS if s not in {i[0] for i in included}]
    if missing:
        notes.append(["未包含", "、".join(missing) + "（本次运行没有对应的表格）"])
    wb.properties.title = summary.get("title", "")
    wb.properties.creator = "analysis"
    return wb


def workbook_inputs(out_dir: Path) -> dict[str, bytes | None]:
    """The files the workbook is made from, with their bytes (None: not written)."""
    inputs = {}
    for name in [csv_name for _, csv_name, _ in SHEETS] + [folder.SUMMARY]:
        try:
            inputs[name] = (Path(out_dir) / name).read_bytes()
        except FileNotFoundError:
            inputs[name] = None
    return inputs


def workbook_bytes(out_dir: Path) -> bytes:
    """briefing.xlsx as bytes, byte-identical for the same ``workbook_inputs``."""
    out_dir = Path(out_dir)
    buf = io.BytesIO()
    build_workbook(out_dir).save(buf)
    return stable_zip(buf.getvalue(), run_stamp(out_dir))


def write_xlsx(out_dir: Path, early: bytes | None = None) -> Path:
    """Write ``out_dir/briefing.xlsx`` (atomic, byte-identical for the same CSVs): ``early``
    if given (the workbook already made from the same files), else made now."""
    return write_atomic(Path(out_dir) / folder.XLSX, early or workbook_bytes(out_dir))
