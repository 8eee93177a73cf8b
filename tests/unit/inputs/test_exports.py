"""Data as bureaus export them (analysis.inputs): every file in the folder is read or
reported, every matching sheet is read, every cell is taken for what it shows, and broken
or unusual files get a message naming the file, the line (or sheet and Excel row) and the
column. One accepted and one refused (or flagged) variant per class."""

from __future__ import annotations

import io as stdio
import os
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from test_load import BASE, NO_MAP, TODAY, UNITS, assert_problem, make_dir, only, write_csv

from analysis.errors import DataValidationError
from analysis.inputs import cache, load_table, load_tables, schema
from analysis.inputs.fingerprint import data_fingerprint


def load(data_dir: Path, strict: bool = True):
    return load_tables(data_dir, strict=strict, today=TODAY, units=UNITS, column_map=NO_MAP)


def refused(data_dir: Path) -> list:
    with pytest.raises(DataValidationError) as info:
        load(data_dir, strict=False)  # file-level: refused in lenient mode too
    return info.value.problems


def book_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = stdio.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def tab_text(rows: list[list[str]]) -> bytes:
    return "\n".join("\t".join(r) for r in rows).encode("utf-8") + b"\n"


# --------------------------------------------------------------------------- 1. files


@pytest.mark.parametrize(
    "name, content",
    [
        ("立案处罚.csv", "csv"),
        ("cases (1).csv", "csv"),
        ("Cases - 副本.CSV", "csv"),
        ("cases.txt", "tab"),
        ("cases.tsv", "tab"),
        ("cases.xlsm", "book"),
        ("cases.et", "book"),  # WPS saving in the OOXML format
        ("cases.csv.xlsx", "book"),  # Windows hid the real extension
    ],
)
def test_a_table_file_in_any_accepted_form_is_read(tmp_path, name, content):
    make_dir(tmp_path, cases=None)
    rows = BASE["cases"]
    if content == "csv":
        write_csv(tmp_path / name, rows)
    else:
        data = tab_text(rows) if content == "tab" else book_bytes({"Sheet1": rows})
        (tmp_path / name).write_bytes(data)
    result = load(tmp_path)
    assert result.file("cases").name == name
    assert result.tables["cases"]["fine_wan"].tolist() == [2.5, 30.0]


def test_unread_entries_are_named_with_what_to_do(tmp_path):
    make_dir(tmp_path)
    (tmp_path / "说明.docx").write_bytes(b"x")
    (tmp_path / "~$cases.xlsx").write_bytes(b"x")
    (tmp_path / "cases.xls").write_bytes(b"x")  # cases.csv is the table's file
    result = load(tmp_path)
    reasons = {p.file: p.reason for p in result.notices}
    assert "不对应任何数据表" in reasons["说明.docx"] and "数据字典" in reasons["说明.docx"]
    assert "临时文件" in reasons["~$cases.xlsx"]
    assert "未读取" in reasons["cases.xls"] and ".xlsx" in reasons["cases.xls"]
    assert "说明.docx" in result.summary_zh()


@pytest.mark.parametrize(
    "names, expected",
    [
        (["cases.csv", "cases (1).csv"], "只保留一个"),
        (["cases.csv", "立案处罚.csv"], "只保留一个"),
        (["cases.ods"], "扩展名 .ods 不是可读取的数据格式"),
    ],
)
def test_a_table_file_that_cannot_be_chosen_or_read_is_refused(tmp_path, names, expected):
    make_dir(tmp_path, cases=None)
    for name in names:
        write_csv(tmp_path / name, BASE["cases"])
    p = only(refused(tmp_path))
    assert p.file in names and expected in p.reason
    assert all(n in p.reason for n in names) or len(names) == 1


def test_a_broken_symlink_under_a_chinese_name_is_refused_not_absent(tmp_path):
    make_dir(tmp_path, cases=None)
    (tmp_path / "立案处罚.csv").symlink_to(tmp_path / "moved-away.csv")
    p = only(refused(tmp_path))
    assert "指向不存在文件" in p.reason and "立案处罚.csv" in p.file


def test_binary_wps_et_is_refused_with_advice(tmp_path):
    make_dir(tmp_path, cases=None)
    (tmp_path / "cases.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert_problem(only(refused(tmp_path)), "cases.et", None, None, "WPS 表格（.et）")


def test_fingerprint_covers_the_full_listing(tmp_path):
    make_dir(tmp_path, cases=None)
    seen = {data_fingerprint(tmp_path)}
    changes = [
        lambda: write_csv(tmp_path / "cases (1).csv", BASE["cases"]),
        lambda: (tmp_path / "media.csv").mkdir(),
        lambda: os.mkfifo(tmp_path / "outreach.csv"),  # never opened: no blocking
        lambda: (tmp_path / "meetings.csv").symlink_to(tmp_path / "gone.csv"),
        lambda: (tmp_path / "note.txt").write_text("x", encoding="utf-8"),
    ]
    for change in changes:
        change()
        seen.add(data_fingerprint(tmp_path))
    assert len(seen) == len(changes) + 1


def test_cache_rerun_sees_a_new_file_and_refuses_a_fifo(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cache, "_memory", {})
    monkeypatch.setattr(cache, "load_tables", lambda d, **kw: load_tables(d, **kw, units=UNITS))
    (tmp_path / "data").mkdir()
    data = make_dir(tmp_path / "data", cases=None)
    assert cache.load_tables_cached(data, today=TODAY).tables["cases"].empty
    write_csv(data / "立案处罚 (1).csv", BASE["cases"])
    assert len(cache.load_tables_cached(data, today=TODAY).tables["cases"]) == 2
    (data / "立案处罚 (1).csv").unlink()
    assert cache.load_tables_cached(data, today=TODAY).tables["cases"].empty
    os.mkfifo(data / "cases.csv")
    with pytest.raises(DataValidationError, match="命名管道"):
        cache.load_tables_cached(data, today=TODAY)


# --------------------------------------------------------------------------- 2. sheets


def _case(n: int, town: str = "邹区镇") -> list:
    return [f"C{n}", "钟楼区", town, "区应急管理局", "E1", "2020-06-01", "事前", 1, "否"]


def test_every_matching_sheet_is_read_and_skipped_sheets_are_reported(tmp_path):
    zh = [schema.CASES.column(c).zh for c in schema.CASES.column_names]
    data = book_bytes(
        {
            "填报说明": [["本表由区应急管理局导出"], ["金额单位：万元"]],
            "Sheet2": [zh, _case(1), _case(2)],
            "Sheet3": [["标题：西林街道"], zh[::-1], _case(3, "西林街道")[::-1]],
            "空白": [],
        }
    )
    make_dir(tmp_path, cases=None)
    (tmp_path / "cases.xlsx").write_bytes(data)
    result = load(tmp_path)
    cases = result.tables["cases"]
    assert cases["case_id"].tolist() == ["C1", "C2", "C3"]
    assert cases["town"].tolist() == ["邹区镇", "邹区镇", "西林街道"]
    skipped = {p.sheet: p.reason for p in result.notices}
    assert set(skipped) == {"填报说明", "空白"}
    assert "表头与“立案处罚”不符" in skipped["填报说明"] and "没有内容" in skipped["空白"]


def test_duplicate_ids_across_sheets_name_both_sheets(tmp_path):
    header = schema.CASES.column_names
    path = tmp_path / "cases.xlsx"
    path.write_bytes(book_bytes({"2019": [header, _case(1)], "2020": [header, _case(2), _case(1)]}))
    df, problems = load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    p = only(problems)
    assert_problem(p, "cases.xlsx", 3, "case_id", "编号重复（与工作表“2019”第 2 行相同）")
    assert p.sheet == "2020" and "工作表“2020”，第 3 行" in str(p)
    assert df["case_id"].tolist() == ["C1", "C2"]


def test_no_matching_sheet_names_the_sheets_looked_at(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(book_bytes({"说明": [["说明"]], "数据": [["甲", "乙"], ["1", "2"]]}))
    df, problems = load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    p = only(problems)
    assert "没有找到“立案处罚”的表头" in p.reason and "“说明”、“数据”" in p.reason


# --------------------------------------------------------------------------- 3. cells


def _campaign_book(value_format: str, unit: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(schema.CAMPAIGN_PROGRESS.column_names)
    ws.append(["X1", "钟楼区", None, "危化品", "联网比例", 0.9, unit, "2020-10-31", None])
    ws["F2"].number_format = value_format
    buf = stdio.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_percent_cell_is_read_as_shown_where_the_unit_is_percent(tmp_path):
    path = tmp_path / "campaign_progress.xlsx"
    path.write_bytes(_campaign_book("0%", "%"))
    df, problems = load_table(path, schema.CAMPAIGN_PROGRESS, today=TODAY, units=UNITS,
                              column_map=NO_MAP)  # fmt: skip
    assert problems == [] and df["value"].tolist() == [90.0]


def test_percent_cell_where_the_unit_is_not_percent_is_flagged(tmp_path):
    path = tmp_path / "campaign_progress.xlsx"
    path.write_bytes(_campaign_book("0.0%", "台"))
    _, problems = load_table(path, schema.CAMPAIGN_PROGRESS, today=TODAY, units=UNITS,
                             column_map=NO_MAP)  # fmt: skip
    p = only(problems)
    assert_problem(p, "campaign_progress.xlsx", 2, "value", "显示为百分比（90%），但本行单位为“台”")
    assert p.sheet == "Sheet"


def _incident_row(**cells) -> list:
    row = dict(zip(BASE["incidents"][0], BASE["incidents"][1], strict=True))
    row.update(cells)
    return list(row.values())


def test_date_time_cells_and_text_take_the_date(tmp_path):
    rows = [BASE["incidents"][0], _incident_row(date=datetime(2020, 10, 25, 14, 30))]
    rows.append(_incident_row(incident_id="SG2", date="2020/10/26 08:05"))
    path = tmp_path / "incidents.xlsx"
    path.write_bytes(book_bytes({"事故": rows}))
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert problems == []
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-10-25", "2020-10-26"]


def test_an_impossible_time_is_still_refused(tmp_path):
    rows = [BASE["incidents"][0], _incident_row(date="2020-10-25 25:30")]
    path = write_csv(tmp_path / "incidents.csv", rows)
    _, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "incidents.csv", 2, "date", "日期无法识别")


def test_uncalculated_formula_and_error_cell_get_their_own_messages(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(BASE["incidents"][0])
    ws.append(_incident_row(deaths="=B9/0"))  # openpyxl stores no cached value
    ws.append(_incident_row(incident_id="SG2", direct_loss_wan="#DIV/0!"))
    path = tmp_path / "incidents.xlsx"
    wb.save(path)
    _, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    first, second = problems
    assert_problem(first, "incidents.xlsx", 2, "deaths", "公式未计算：请在 Excel 中打开并保存")
    assert_problem(second, "incidents.xlsx", 3, "direct_loss_wan", "单元格为错误值 #DIV/0!")
    assert first.sheet == second.sheet == "Sheet"
    assert all("必填项为空" not in p.reason for p in problems)


# --------------------------------------------------------------------------- 6. broken files


def test_damaged_workbook_is_a_message_not_a_traceback(tmp_path):
    whole = book_bytes({"Sheet1": BASE["cases"]})
    out = stdio.BytesIO()
    with zipfile.ZipFile(stdio.BytesIO(whole)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item, body[: len(body) // 2] if "worksheets/" in item.filename else body)
    make_dir(tmp_path, cases=None)
    (tmp_path / "cases.xlsx").write_bytes(out.getvalue())
    assert_problem(only(refused(tmp_path)), "cases.xlsx", None, None, "已损坏或不完整")


def test_encrypted_workbook_says_encrypted(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le")
    make_dir(tmp_path, cases=None)
    (tmp_path / "cases.xlsx").write_bytes(ole)
    assert_problem(only(refused(tmp_path)), "cases.xlsx", None, None, "已加密")


def test_workbook_named_csv_and_text_named_xlsx(tmp_path):
    make_dir(tmp_path, cases=None, media=None)
    (tmp_path / "cases.csv").write_bytes(book_bytes({"Sheet1": BASE["cases"]}))
    (tmp_path / "media.xlsx").write_bytes(b"report_id,district,date,outlet,title\n")
    by_file = {p.file: p.reason for p in refused(tmp_path)}
    assert "实际上是 Excel 工作簿" in by_file["cases.csv"] and "cases.xlsx" in by_file["cases.csv"]
    assert "实际上是文本（CSV）文件" in by_file["media.xlsx"]


@pytest.mark.parametrize("name", ["cases.xlsx", "cases.csv"])
def test_a_web_page_saved_as_a_spreadsheet_says_so(tmp_path, name):
    make_dir(tmp_path, cases=None)
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf<html><body><table><tr><td>case_id</td></tr>")
    assert_problem(only(refused(tmp_path)), name, None, None, "网页（HTML）")


def test_cell_over_the_field_limit_gets_a_length_message(tmp_path):
    rows = [BASE["incidents"][0], BASE["incidents"][1], _incident_row(incident_id="SG2")]
    rows[2][-1] = "长，" * 70_000 + ",引号内的逗号"  # a quoted cell (it holds a comma)
    path = write_csv(tmp_path / "incidents.csv", rows)
    _, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    p = only(problems)
    assert p.row == 3 and "超过 131,072 个字符" in p.reason and "没有配对" not in p.reason[:20]


def test_header_below_row_ten_is_found(tmp_path):
    rows = [[f"说明第 {i} 行"] for i in range(1, 16)] + BASE["cases"]
    path = write_csv(tmp_path / "cases.csv", rows)
    df, problems = load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert problems == [] and len(df) == 2


def test_header_not_found_says_where_it_looked(tmp_path):
    rows = [[f"说明第 {i} 行", "x"] for i in range(1, 60)] + BASE["cases"]
    path = write_csv(tmp_path / "cases.csv", rows)
    _, problems = load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "cases.csv", None, None, "在文件的前 51 行中没有找到表头")


@pytest.mark.parametrize(
    "column, value, name",
    [
        ("town", "邹区\u3164镇", "U+3164（韩文填充符"),
        ("deaths", "1\ufe0f", "U+FE0F（变体选择符"),
        ("description", "叉车\x1a", "\\x1a（Ctrl-Z 文件结束符）"),
    ],
)
def test_invisible_characters_are_named(tmp_path, column, value, name):
    rows = [BASE["incidents"][0], _incident_row(**{column: value})]
    path = write_csv(tmp_path / "incidents.csv", rows)
    _, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "incidents.csv", 2, column, name)


def test_one_gbk_line_inside_utf8_is_located_by_line(tmp_path):
    lines = [",".join(r) for r in BASE["incidents"]]
    gbk = ",".join(_incident_row(incident_id="SG3", description="叉车伤人")).encode("gbk")
    data = ("\n".join(lines) + "\n").encode("utf-8") + gbk + b"\n"
    (tmp_path / "incidents.csv").write_bytes(data)
    path = tmp_path / "incidents.csv"
    _, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "incidents.csv", 4, None, "第 4 行不是")


def test_excel_unicode_text_export_is_read(tmp_path):
    make_dir(tmp_path, cases=None)
    text = "\r\n".join("\t".join(r) for r in BASE["cases"]) + "\r\n"
    (tmp_path / "cases.txt").write_bytes(text.encode("utf-16"))  # Excel: Unicode 文本
    result = load(tmp_path)
    assert result.file("cases").encoding == "utf-16"
    assert result.tables["cases"]["fine_wan"].tolist() == [2.5, 30.0]


def test_a_gbk_file_is_still_read(tmp_path):
    path = write_csv(tmp_path / "incidents.csv", BASE["incidents"], encoding="gbk")
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert problems == [] and df["town"].tolist() == ["邹区镇", "北港街道"]


# --------------------------------------------------------------------------- seams


def test_month_counts_show_empty_months_between_records(tmp_path):
    hazards = [list(r) for r in BASE["hazards"]]  # found 2020-03-01 and 2020-10-01
    make_dir(tmp_path, hazards=hazards)
    counts = load(tmp_path).month_counts("hazards")
    assert str(counts.index[0]) == "2020-03" and str(counts.index[-1]) == "2020-10"
    assert counts.tolist() == [1, 0, 0, 0, 0, 0, 0, 1]
    assert load(tmp_path).month_counts("media").empty
    with pytest.raises(KeyError):
        load(tmp_path).month_counts("enterprises")


def test_rejects_name_the_sheet_of_a_workbook_row(tmp_path):
    header = schema.CASES.column_names
    bad = _case(2)
    bad[6] = "其他"  # not an allowed kind
    make_dir(tmp_path, cases=None)
    (tmp_path / "cases.xlsx").write_bytes(
        book_bytes({"2019": [header, _case(1)], "2020": [header, bad]})
    )
    result = load(tmp_path, strict=False)
    row = result.rejects.iloc[0]
    assert row["文件"] == "cases.xlsx（工作表“2020”）" and row["行号"] == 2
    assert result.tables["cases"]["case_id"].tolist() == ["C1"]


def test_a_folder_named_after_a_table_without_extension_is_noted_not_refused(tmp_path):
    make_dir(tmp_path)
    (tmp_path / "cases").mkdir()  # older exports kept aside
    result = load(tmp_path)
    assert [p.file for p in result.notices] == ["cases"]
    assert "是文件夹" in result.notices[0].reason and len(result.tables["cases"]) == 2


def test_make_report_tells_the_analyst_what_was_not_read(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from analysis.run.notices import data_notes

    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cache, "_memory", {})
    (tmp_path / "data").mkdir()
    data = make_dir(tmp_path / "data")
    (data / "说明.docx").write_bytes(b"x")
    notes = data_notes(SimpleNamespace(data_dir=data, strict=True))
    assert len(notes) == 1 and notes[0].startswith("文件 说明.docx：") and "未读取" in notes[0]
