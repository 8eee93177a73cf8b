"""briefing.xlsx: the run's CSV tables as one workbook for people (openpyxl).

Source: the CSVs the run wrote into the output folder and summary.json (nothing is
recomputed). First 摘要 (the headline figures, targets and the check), then one sheet per
table with the columns a reader needs (:mod:`analysis.deliver.xlsx_tables`): Chinese words
for every code, 是/否, counts as integers and values with their indicator's decimals,
frozen header row, filters, A4 print setup; last 说明. Every cell, header and sheet name
that a spreadsheet would run as a formula is stored as text
(:mod:`analysis.deliver.xlsx_cells`).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook

from analysis import folder
from analysis.atomic import write_atomic
from analysis.deliver.stable import run_stamp, stable_zip
from analysis.deliver.xlsx_cells import sheet_title
from analysis.deliver.xlsx_summary import notes_sheet, summary_sheet
from analysis.deliver.xlsx_tables import append_block, readable, write_table
from analysis.errors import ExportError

# (sheet, CSV file, what it holds) in workbook order.
SHEETS = (
    ("指标", folder.INDICATORS_CSV, "全部指标的本期累计、本月、同比、环比"),
    ("目标与差距", folder.GAPS_CSV, "年度目标完成情况与差距"),
    ("差距登记", folder.GAP_REGISTER_CSV, "差距与不足的数据佐证和对应举措"),
    ("核对", folder.RECONCILIATION_CSV, "已发布数字与重算值的核对"),
    ("分镇街", folder.BY_TOWN_CSV, "各镇（街道）指标（仅全区简报）"),
    ("分行业", folder.BY_INDUSTRY_CSV, "各行业领域指标"),
    ("数据质量", folder.DATA_QUALITY_CSV, "各输入文件的读取行数、剔除行数、记录日期范围和编码"),
    ("剔除行", folder.REJECTS_CSV, "被剔除的数据行及原因（宽松模式）"),
)
NO_REJECTS = "本次运行没有剔除任何数据行（未生成 rejects.csv）。"
# below the 数据质量 table when the run wrote data_notices.csv
NOTICES_TITLE = "未读取的文件、工作表及需留意的数据"


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


def read_summary(out_dir: Path) -> dict:
    """summary.json of a run ({} when the run wrote none)."""
    try:
        return json.loads((Path(out_dir) / folder.SUMMARY).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _indicator_decimals(tables: dict[str, tuple[list, list]]) -> dict[str, int]:
    """指标 name -> its decimals (indicators.csv), for the sheets that name an indicator."""
    header, body = tables.get(folder.INDICATORS_CSV, ([], []))
    if "指标" not in header or "小数位数" not in header:
        return {}
    name, decimals = header.index("指标"), header.index("小数位数")
    return {row[name]: int(row[decimals]) for row in body if row[decimals].isdigit()}


def _read_tables(out_dir: Path) -> dict[str, tuple[list, list]]:
    tables = {}
    for _, csv_name, _ in SHEETS:
        path = out_dir / csv_name
        if path.exists():
            tables[csv_name] = _read_csv(path)
        elif csv_name == folder.REJECTS_CSV:
            tables[csv_name] = (["说明"], [[NO_REJECTS]])
    return tables


def build_workbook(out_dir: Path) -> Workbook:
    """The workbook of the CSVs in ``out_dir``. A table whose CSV the run did not write is
    left out (分镇街 in a town briefing; 说明 says so); 剔除行 says when no row was rejected."""
    out_dir = Path(out_dir)
    tables = _read_tables(out_dir)
    summary = read_summary(out_dir)
    wb = Workbook()
    summary_sheet_of = wb.active
    summary_sheet_of.title = sheet_title("摘要")
    summary_sheet(summary_sheet_of, summary, tables)
    by_name = _indicator_decimals(tables)
    included = []
    for sheet, csv_name, what in SHEETS:
        if csv_name not in tables:
            continue
        header, body = tables[csv_name]
        ws = wb.create_sheet(sheet_title(sheet))
        write_table(ws, readable(sheet, header, body, by_name))
        if csv_name == folder.DATA_QUALITY_CSV and (out_dir / folder.DATA_NOTICES_CSV).exists():
            append_block(ws, NOTICES_TITLE, *_read_csv(out_dir / folder.DATA_NOTICES_CSV))
        included.append((sheet, csv_name, what))
    missing = [s for s, c, _ in SHEETS if c not in tables]
    notes_sheet(wb.create_sheet(sheet_title("说明")), summary, included, missing)
    wb.properties.title = summary.get("title", "")
    wb.properties.creator = "analysis"
    return wb


def workbook_inputs(out_dir: Path) -> dict[str, bytes | None]:
    """The files the workbook is made from, with their bytes (None: not written)."""
    inputs = {}
    names = [csv_name for _, csv_name, _ in SHEETS] + [folder.DATA_NOTICES_CSV, folder.SUMMARY]
    for name in names:
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
