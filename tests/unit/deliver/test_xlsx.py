"""briefing.xlsx read back with openpyxl: sheets, Chinese headers, frozen header row, widths,
number formats, formula-like text stored as text, byte-identical reruns, synthetic label."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile

import openpyxl
import pytest

from analysis.deliver.xlsx import SHEETS, ExportError, write_xlsx

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def run_dir(built_briefing, tmp_path):
    """A copy of the sample run's output folder (the session's folder stays untouched)."""
    out = tmp_path / "run"
    shutil.copytree(built_briefing.parent, out)
    (out / "briefing.xlsx").unlink(missing_ok=True)
    return out


def test_workbook_sheets_headers_and_layout(run_dir):
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    expected = [name for name, csv_name, _ in SHEETS if (run_dir / csv_name).exists()]
    expected.append("数据质量") if "数据质量" not in expected else None
    assert wb.sheetnames == ["说明", *expected]
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
    value = ws.cell(row=2, column=headers.index("本期累计") + 1)
    assert isinstance(value.value, int | float) and value.number_format != "General"
    assert ws.cell(row=2, column=headers.index("指标") + 1).value == csv_lines[1].split(",")[4]
    assert "小数位数" in headers and "decimals" not in headers
    period_end = ws.cell(row=2, column=headers.index("统计截至") + 1)
    assert period_end.is_date and period_end.number_format == "yyyy-mm-dd"
    assert ws.auto_filter.ref.startswith("A1:")
    notes = [r[1] for r in wb["说明"].iter_rows(values_only=True)]
    assert any("合成数据" in str(v) for v in notes)
    assert [r[0] for r in wb["数据质量"].iter_rows(values_only=True)][0] == "说明"


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


def test_rejected_impossible_dates_stay_text(run_dir):
    """rejects.csv repeats the rejected values as typed: "2020-13-01" is not a date, and a
    column holding it is shown as the text it was, never converted (or crashing)."""
    (run_dir / "rejects.csv").write_text(
        "文件,行号,列,值,原因\nincidents.csv,3,发生日期,2020-13-01,不是有效日期\n"
        "incidents.csv,5,发生日期,2020-10-01,晚于期间\n",
        encoding="utf-8-sig",
    )
    ws = openpyxl.load_workbook(write_xlsx(run_dir))["数据质量"]
    values = [row[3].value for row in ws.iter_rows(min_row=2)]
    assert values == ["2020-13-01", "2020-10-01"]


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


def test_town_briefing_has_no_town_sheet(run_dir):
    (run_dir / "by_town.csv").unlink()
    wb = openpyxl.load_workbook(write_xlsx(run_dir))
    assert "分镇街" not in wb.sheetnames and "分行业" in wb.sheetnames
    notes = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True)}
    assert "分镇街" in notes["未包含"]


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
        lines[-1] = "后来改写" + lines[-1][lines[-1].index(",") :]
        gaps.write_text("\n".join(lines) + "\n", "utf-8-sig")
        assert early.result(run_dir) is None
        write_formats(run_dir, ("html", "xlsx"), early)
        sheet = openpyxl.load_workbook(run_dir / "briefing.xlsx")["目标与差距"]
        assert sheet.cell(sheet.max_row, 1).value == "后来改写"
