"""The workbook's first sheet (摘要: what a reader looks at first) and its last (说明: what
each sheet holds, where it came from). Every cell goes through ``put_text``: a name from
configuration (a town, a district, a title) never becomes a formula.
"""

from __future__ import annotations

from collections import Counter

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from analysis import folder
from analysis.deliver.xlsx_cells import put_text
from analysis.deliver.xlsx_tables import print_setup

SYNTHETIC_NOTE = "示例数据为合成数据（非真实台账），数字仅用于演示，不得引用。"
_HEADING_FILL = PatternFill("solid", fgColor="F2F2F2")
STATUSES = ("达标", "预警", "未达标")


def _rows(ws: Worksheet, rows: list[list[object]], bold: bool = False) -> None:
    for values in rows:
        r = ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value is not None else 1
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                put_text(cell, value)
            else:
                cell.value = value
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if bold:
                cell.font = Font(bold=True)
                cell.fill = _HEADING_FILL


def summary_sheet(ws: Worksheet, summary: dict, tables: dict[str, tuple[list, list]]) -> None:
    """简报, 统计截至, the headline figures, the targets' statuses and the check against
    the published figures, each a labelled row."""
    _rows(ws, [["项目", "内容", "变化"]], bold=True)
    _rows(ws, [["简报", summary.get("title", ""), ""]])
    if summary.get("synthetic"):
        _rows(ws, [["数据性质", SYNTHETIC_NOTE, ""]])
    indicators = tables.get(folder.INDICATORS_CSV)
    if indicators and indicators[1] and "统计截至" in indicators[0]:
        _rows(ws, [["统计截至", indicators[1][0][indicators[0].index("统计截至")], ""]])
    for item in summary.get("headline", []):
        value = f"{item.get('value', '')}{item.get('unit', '')}"
        _rows(ws, [[item.get("name", ""), value, item.get("change", "")]])
    targets = summary.get("targets") or {}
    if targets:
        counts = "，".join(f"{s}{int(targets.get(s, 0))}项" for s in STATUSES)
        _rows(ws, [["年度目标", counts, ""]])
    checked = tables.get(folder.RECONCILIATION_CSV)
    if checked and "核对结论" in checked[0]:
        verdicts = Counter(row[checked[0].index("核对结论")] for row in checked[1])
        text = "，".join(f"{k}{v}个" for k, v in sorted(verdicts.items()))
        _rows(ws, [["与已发布数字核对", f"共{len(checked[1])}个：{text}", ""]])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 24
    ws.freeze_panes = "A2"
    print_setup(ws, 108)


def notes_sheet(ws: Worksheet, summary: dict, included, missing: list[str]) -> None:
    """What the workbook is, each sheet with its CSV, and the sheets left out."""
    _rows(ws, [["项目", "内容"]], bold=True)
    _rows(ws, [["简报", summary.get("title", "")]])
    if summary.get("synthetic"):
        _rows(ws, [["数据性质", SYNTHETIC_NOTE]])
    _rows(
        ws,
        [
            [
                "来源",
                "本工作簿由本次运行写出的 CSV 表格转换而成，未重新计算；各表的全部列见同名 CSV。",
            ]
        ],
    )
    for sheet, csv_name, what in included:
        _rows(ws, [[f"工作表：{sheet}", f"{what}（{csv_name}）"]])
    if missing:
        _rows(ws, [["未包含", "、".join(missing) + "（本次运行没有对应的表格）"]])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 80
    ws.freeze_panes = "A2"
    print_setup(ws, 102)
