"""briefing.xlsx of the sample briefing read back with openpyxl (the runs)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import zipfile

import openpyxl
import pytest

from analysis.deliver.xlsx import SHEETS, write_xlsx
from analysis.errors import ExportError

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def run_dir(built_briefing, tmp_path):
    """A copy of the sample run's output folder (the session's folder stays untouched)."""
    out = tmp_path / "run"
    shutil.copytree(built_briefing.parent, out)
    (out / "briefing.xlsx").unlink(missing_ok=True)
    return out


SNAKE_CODE = re.compile(r"[a-z]+(_[a-z0-9]+)+|True|False|nan|None")


def test_summary_sheet_comes_first_with_the_headline(run_dir):
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    rows = {r[0]: r[1:] for r in wb.worksheets[0].iter_rows(values_only=True)}
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert wb.sheetnames[0] == "摘要"
    first = summary["headline"][0]
    assert rows[first["name"]] == (f"{first['value']}{first['unit']}", first["change"])
    assert "合成数据" in rows["数据性质"][0]
    assert rows["年度目标"][0].startswith(f"达标{summary['targets']['达标']}项")


def test_workbook_sheets_headers_and_layout(run_dir):
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    expected = [name for name, csv_name, _ in SHEETS if (run_dir / csv_name).exists()]
    expected.append("剔除行") if "剔除行" not in expected else None
    assert wb.sheetnames == ["摘要", *expected, "说明"]
    assert {"指标", "目标与差距", "差距登记", "核对", "分镇街", "分行业", "数据质量"} <= set(
        wb.sheetnames
    )
    for name in wb.sheetnames:
        ws = wb[name]
        headers = [c.value for c in ws[1]]
        assert all(isinstance(h, str) and CJK.search(h) for h in headers), (name, headers)
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width >= 8

    ws = wb["指标"]
    headers = [c.value for c in ws[1]]
    csv_lines = (run_dir / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()
    assert ws.max_row == len(csv_lines)
    assert ws.max_column <= 16, "a readable sheet, not every column of the CSV"
    value = ws.cell(row=2, column=headers.index("本期累计") + 1)
    assert isinstance(value.value, int | float) and value.number_format != "General"
    assert ws.cell(row=2, column=headers.index("指标") + 1).value == csv_lines[1].split(",")[4]
    assert ws.auto_filter.ref.startswith("A1:")
    notes = [r[1] for r in wb["说明"].iter_rows(values_only=True)]
    assert any("合成数据" in str(v) for v in notes)
    assert [r[0] for r in wb["剔除行"].iter_rows(values_only=True)][0] == "说明"
    quality = [c.value for c in wb["数据质量"][1]]
    assert quality[0] == "文件" and "编码" in quality
    encodings = {r[quality.index("编码")] for r in wb["数据质量"].iter_rows(2, values_only=True)}
    assert "UTF-8 编码" in encodings and "utf-8-sig" not in encodings


def test_rerun_is_byte_identical_and_dated_by_the_period(run_dir):
    first = hashlib.sha256(write_xlsx(run_dir).read_bytes()).hexdigest()
    second = hashlib.sha256(write_xlsx(run_dir).read_bytes()).hexdigest()
    assert first == second
    with zipfile.ZipFile(run_dir / "briefing.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
        stamps = {i.date_time for i in z.infolist()}
    period_end = (run_dir / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()[1][:10]
    assert f"{period_end}T00:00:00Z" in core
    assert stamps == {tuple(int(x) for x in period_end.split("-")) + (0, 0, 0)}


def test_ragged_csv_is_reported_with_file_and_line(run_dir):
    (run_dir / "gap_register.csv").write_text("差距,数值\n甲,1\n乙,2,多余\n", encoding="utf-8-sig")
    with pytest.raises(ExportError, match=r"gap_register\.csv 第 3 行有 3 列，表头有 2 列"):
        write_xlsx(run_dir)


def test_the_workbook_made_while_the_notebook_ran_is_used_only_if_its_files_stayed(run_dir):
    from concurrent.futures import ThreadPoolExecutor

    from analysis.deliver import EarlyWorkbook, write_formats
    from analysis.deliver.xlsx import workbook_bytes

    with ThreadPoolExecutor(1) as pool:
        early = EarlyWorkbook(run_dir, pool)
        early.after_cell(cell_index=4)
        assert early.made is not None and early.result(run_dir) == workbook_bytes(run_dir)
        write_formats(run_dir, ("html", "xlsx"), early)
        assert (run_dir / "briefing.xlsx").read_bytes() == workbook_bytes(run_dir)
        # a later cell rewrote a table: the early workbook is stale and made again
        gaps = run_dir / "gaps.csv"
        lines = gaps.read_text("utf-8-sig").splitlines()
        target_id, _, rest = lines[-1].split(",", 2)
        lines[-1] = f"{target_id},后来改写,{rest}"  # the 目标 column (目标编号 is not shown)
        gaps.write_text("\n".join(lines) + "\n", "utf-8-sig")
        assert early.result(run_dir) is None
        write_formats(run_dir, ("html", "xlsx"), early)
        sheet = openpyxl.load_workbook(run_dir / "briefing.xlsx")["目标与差距"]
        assert sheet.cell(sheet.max_row, 1).value == "后来改写"


def test_counts_are_integers_and_values_keep_their_indicators_decimals(run_dir):
    """A count shows as 9, never 9.00; 万元 with 2 decimals, a rate with its 1 decimal."""
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    rows = list(csv.DictReader(io.StringIO((run_dir / "indicators.csv").read_text("utf-8-sig"))))
    decimals = {r["指标"]: int(r["小数位数"]) for r in rows}
    ws = wb["指标"]
    headers = [c.value for c in ws[1]]
    seen = set()
    for row in ws.iter_rows(min_row=2):
        name = row[headers.index("指标")].value
        for column in ("本期累计", "本月", "上年同期"):
            cell = row[headers.index(column)]
            if cell.value is None:
                continue
            wanted = "#,##0" if decimals[name] == 0 else "#,##0." + "0" * decimals[name]
            assert cell.number_format == wanted, (name, column, cell.number_format)
            seen.add(decimals[name])
    assert {0, 1, 2} <= seen, "the sample has counts, rates and money"
    for sheet in ("分镇街", "分行业", "数据质量"):
        ws = wb[sheet]
        counts = [c for c in ws[2] if isinstance(c.value, int)]
        assert counts and all(c.number_format == "#,##0" for c in counts), sheet


def test_rejected_impossible_dates_stay_text(run_dir):
    """rejects.csv repeats the rejected values as typed: "2020-13-01" is not a date, and a
    column holding it is shown as the text it was, never converted (or crashing)."""
    (run_dir / "rejects.csv").write_text(
        "文件,行号,列,值,原因\nincidents.csv,3,发生日期,2020-13-01,不是有效日期\n"
        "incidents.csv,5,发生日期,2020-10-01,晚于期间\n",
        encoding="utf-8-sig",
    )
    ws = openpyxl.load_workbook(write_xlsx(run_dir))["剔除行"]
    values = [row[3].value for row in ws.iter_rows(min_row=2)]
    assert values == ["2020-13-01", "2020-10-01"]


def test_no_english_code_in_any_cell(run_dir):
    """Codes the CSVs carry (lower_better, yoy_pct, ge, ytd, accidents …) never reach a cell:
    every value of a code column of the CSVs is looked for, plus any snake_case word."""
    codes = set()
    for name in ("indicators.csv", "gaps.csv", "gap_register.csv", "reconciliation.csv"):
        for row in csv.DictReader(io.StringIO((run_dir / name).read_text("utf-8-sig"))):
            for column in ("方向", "范围", "统计期", "计算方式", "口径", "比较", "进度要求"):
                codes.add(row.get(column) or "")
            for column, value in row.items():
                if column.endswith("编号") and column != "编号":
                    codes.add(value)
    codes -= {""}
    assert {"lower_better", "ytd", "ge", "yoy_pct", "accidents"} <= codes
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    found = [
        (ws.title, cell.coordinate, cell.value)
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and (cell.value in codes or SNAKE_CODE.fullmatch(cell.value))
    ]
    assert not found, found[:10]


@pytest.mark.parametrize(
    "name",
    ["=1+2镇", '=HYPERLINK("http://x","点我")', "+区", "-1+1", "@SUM(A1)", "\t=1+1"],
)
def test_formula_like_names_stay_text_everywhere(run_dir, name):
    """A town or district named like a formula stays text in every sheet: the 摘要 and 说明
    titles, table cells and headers (issue 22, class 2)."""
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    summary["title"] = f"{name}安全生产工作简报"
    summary["headline"][0]["name"] = name
    (run_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), "utf-8")
    plain = name.replace(",", "，").replace('"', "”")  # one CSV field
    gaps = run_dir / "gaps.csv"
    lines = gaps.read_text("utf-8-sig").splitlines()
    lines[0] = lines[0].replace("目标来源", plain)  # a header
    target_id, _, rest = lines[1].split(",", 2)
    lines[1] = f"{target_id},'{plain},{rest}"  # the 目标 cell, as the CSV holds it
    gaps.write_text("\n".join(lines) + "\n", "utf-8-sig")
    path = write_xlsx(run_dir)
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert "<f>" not in xml and "<f " not in xml, "no cell may be written as a formula"
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@", "\t"))]
    assert len(risky) >= 3 and all(c.data_type == "s" for c in risky)
    assert wb["目标与差距"].cell(2, 1).value == plain
    assert plain in [c.value for c in wb["目标与差距"][1]]
    assert wb["摘要"].cell(2, 2).value == summary["title"]
    assert wb["说明"].cell(2, 2).value == summary["title"]


def test_town_briefing_has_no_town_sheet(run_dir):
    (run_dir / "by_town.csv").unlink()
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    assert "分镇街" not in wb.sheetnames and "分行业" in wb.sheetnames
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert "分镇街" in notes["未包含"]


def test_formula_like_text_is_stored_as_text(run_dir):
    (run_dir / "gaps.csv").write_text(
        "目标,实际值,说明\n"
        '=HYPERLINK("http://x"),1.5,正常\n'
        "@SUM(A1),-2,'=1+1\n"
        "+cmd,3,-开头的文字\n",
        encoding="utf-8-sig",
    )
    ws = openpyxl.load_workbook(write_xlsx(run_dir))["目标与差距"]
    rows = list(ws.iter_rows(min_row=2))
    texts = [rows[0][0], rows[1][0], rows[2][0], rows[1][2], rows[2][2]]
    assert [c.value for c in texts] == [
        '=HYPERLINK("http://x")',
        "@SUM(A1)",
        "+cmd",
        "=1+1",
        "-开头的文字",
    ]
    assert all(c.data_type == "s" for c in texts)
    assert [r[1].value for r in rows] == [1.5, -2, 3]  # numbers stay numbers
    with zipfile.ZipFile(run_dir / "briefing.xlsx") as z:
        sheet_xml = "".join(z.read(n).decode() for n in z.namelist() if "worksheets/" in n)
    assert "<f>" not in sheet_xml, "no cell may be written as a formula"


def test_every_sheet_prints_on_a4_fitted_to_width_with_titles(run_dir):
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    for ws in wb:
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4) and setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert "&P" in ws.oddFooter.center.text
    assert wb["指标"].page_setup.orientation == "landscape"
    assert wb["剔除行"].page_setup.orientation == "portrait"
