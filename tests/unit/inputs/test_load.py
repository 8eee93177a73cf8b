"""Loading and validation (analysis.inputs): bad inputs give precise Chinese problems.

Each problem must name the file, the row as the analyst sees it in Excel (header = row 1),
the column header as written in the file, and a Chinese reason.
"""

from __future__ import annotations

import csv
import io as stdio
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.errors import DataValidationError, Problem
from analysis.inputs import empty_frame, load_table, load_tables, read_column_map, schema

TODAY = date(2021, 1, 15)
UNITS = {
    "districts": {
        "钟楼区": {"towns": ["邹区镇", "北港街道", "西林街道"]},
        "天宁区": {"towns": ["郑陆镇", "青龙街道"]},
    }
}
NO_MAP: dict = {}

# A minimal valid data set, canonical headers.
BASE: dict[str, list[list[str]]] = {
    "enterprises": [
        schema.ENTERPRISES.column_names,
        ["E1", "示例企业1", "钟楼区", "邹区镇", "工贸", "规上", "否", "三级", "2020-05-06", "否"],
        ["E2", "示例企业2", "钟楼区", "北港街道", "物流仓储", "规下", "否", "无", "", "否"],
        ["E3", "示例企业3", "钟楼区", "西林街道", "工贸", "规下", "是", "无", "", "是"],
    ],
    "incidents": [
        schema.INCIDENTS.required_column_names,
        [
            "SG1",
            "钟楼区",
            "邹区镇",
            "2020-03-04",
            "生产安全事故",
            "物流仓储",
            "车辆伤害",
            "1",
            "0",
            "1",
            "80.5",
            "叉车伤人",
        ],
        [
            "HZ1",
            "钟楼区",
            "北港街道",
            "2020-04-05",
            "火灾",
            "消防",
            "电气火灾",
            "0",
            "0",
            "0",
            "2",
            "",
        ],
    ],
    "inspections": [
        schema.INSPECTIONS.column_names,
        ["J1", "钟楼区", "邹区镇", "2020-03-01", "区应急管理局", "E1", "true", "2", "1"],
        ["J2", "钟楼区", "北港街道", "2020-03-02", "区交通运输局", "E2", "false", "0", "0"],
        ["J3", "钟楼区", "西林街道", "2020-03-03", "区应急管理局", "E3", "false", "1", "0"],
    ],
    "hazards": [
        schema.HAZARDS.column_names,
        [
            "H1",
            "钟楼区",
            "邹区镇",
            "工贸",
            "E1",
            "2020-03-01",
            "重大",
            "粉尘",
            "2020-05-01",
            "已整改",
            "2020-04-01",
        ],
        [
            "H2",
            "钟楼区",
            "北港街道",
            "物流仓储",
            "E2",
            "2020-10-01",
            "一般",
            "",
            "2021-03-01",
            "整改中",
            "",
        ],
    ],
    "cases": [
        schema.CASES.column_names,
        ["C1", "钟楼区", "邹区镇", "区应急管理局", "E1", "2020-06-01", "事前", "2.5", "false"],
        ["C2", "钟楼区", "西林街道", "区应急管理局", "E3", "2020-07-01", "事故", "30", "true"],
    ],
}


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    buf = stdio.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def make_dir(tmp_path: Path, **changes: list[list] | None) -> Path:
    """Write BASE into tmp_path, with some tables replaced (None = file left out)."""
    tables = {**BASE, **changes}
    for name, rows in tables.items():
        if rows is not None:
            write_csv(tmp_path / f"{name}.csv", rows)
    return tmp_path


def with_cell(table: str, row: int, column: str, value: str) -> list[list]:
    """BASE[table] with one cell changed; ``row`` is the Excel row (2 = first data row)."""
    rows = [list(r) for r in BASE[table]]
    rows[row - 1][rows[0].index(column)] = value
    return rows


def load_one(tmp_path: Path, table: schema.Table, rows: list[list], name=None, **kw):
    path = write_csv(tmp_path / (name or f"{table.name}.csv"), rows, kw.pop("encoding", "utf-8"))
    kw.setdefault("today", TODAY)
    kw.setdefault("units", UNITS)
    kw.setdefault("column_map", NO_MAP)
    return load_table(path, table, **kw)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_problem(p: Problem, file: str, row: int | None, column: str | None, reason: str):
    assert (p.file, p.row, p.column) == (file, row, column), str(p)
    assert reason in p.reason, str(p)


def strict_problems(data_dir: Path, **kw) -> list[Problem]:
    kw.setdefault("today", TODAY)
    kw.setdefault("units", UNITS)
    kw.setdefault("column_map", NO_MAP)
    with pytest.raises(DataValidationError) as info:
        load_tables(data_dir, strict=True, **kw)
    return info.value.problems


# --------------------------------------------------------------------------- positive cases


def test_base_data_set_loads_clean(tmp_path):
    result = load_tables(make_dir(tmp_path), today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.problems == [] and result.n_rejected == 0
    assert result.synthetic is False and result.manifest is None
    ent = result.tables["enterprises"]
    assert ent["hazchem"].tolist() == [False, False, True]
    assert ent["hazchem"].dtype == bool
    assert ent["briefed_date"].dtype == "datetime64[ns]"
    assert result.tables["incidents"]["deaths"].dtype == "int64"
    # optional tables absent → empty frames with the contract's columns and dtypes
    media = result.tables["media"]
    assert media.empty and list(media.columns) == schema.MEDIA.column_names
    assert media["date"].dtype == "datetime64[ns]"
    assert result.tables["outreach"]["participants"].dtype == "int64"
    info = result.file("incidents")
    assert info.rows_read == 2 and info.rows_rejected == 0 and len(info.sha256) == 64


def test_gbk_file_with_chinese_headers_loads(tmp_path):
    header = [schema.INCIDENTS.column(c).zh for c in schema.INCIDENTS.required_column_names]
    rows = [header, *BASE["incidents"][1:]]
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows, encoding="gbk")
    assert problems == []
    assert df["town"].tolist() == ["邹区镇", "北港街道"]
    assert df["deaths"].tolist() == [1, 0]
    assert df["date"].tolist() == [pd.Timestamp("2020-03-04"), pd.Timestamp("2020-04-05")]


def test_utf8_without_bom_aliases_fullwidth_and_spaces(tmp_path):
    header = list(BASE["incidents"][0])
    header[0] = " 编号 "  # alias, with spaces
    header[10] = "直接经济损失（万元）"  # zh with full-width parentheses
    header[7] = "死亡"  # alias
    rows = [header, *BASE["incidents"][1:]]
    rows[1][3] = "2020年3月4日"
    rows[2][3] = "2020/4/5"
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows, encoding="utf-8")
    assert problems == []
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-03-04", "2020-04-05"]
    assert df["direct_loss_wan"].tolist() == [80.5, 2.0]


def test_column_map_file_maps_bureau_headers(tmp_path):
    header = list(BASE["incidents"][0])
    header[2] = "属地镇街"
    header[7] = "死亡（人）"
    rows = [header, *BASE["incidents"][1:]]
    cmap = {"common": {"属地镇街": "town"}, "incidents": {"死亡(人)": "deaths"}}
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows, column_map=cmap)
    assert problems == [] and df["deaths"].sum() == 1
    # the shipped column_map.yaml is valid and maps into real columns
    shipped = read_column_map()
    assert shipped["common"]["属地镇街"] == "town"


def test_xlsx_positive_with_excel_dates_and_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([schema.CASES.column(c).zh for c in schema.CASES.column_names])
    ws.append(
        ["C1", "钟楼区", "邹区镇", "区应急管理局", "E1", datetime(2020, 6, 1), "事前", 2.5, False]
    )
    ws.append(["C2", "钟楼区", "邹区镇", "区应急管理局", "E2", "2020/7/1", "事故", 30, "是"])
    ws.append(["C3", "钟楼区", "邹区镇", "区应急管理局", "E3", 43891, "事前", "1,200", 0])
    ws.append([None] * 9)  # a blank row at the end is not a record
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    df, problems = load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert problems == []
    assert df["filing_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-06-01",
        "2020-07-01",
        "2020-03-01",  # an Excel serial day number in a cell not formatted as a date
    ]
    assert df["fine_wan"].tolist() == [2.5, 30.0, 1200.0]
    assert df["suspension"].tolist() == [False, True, False]
    assert df["suspension"].dtype == bool


def test_header_only_optional_table_is_valid_and_empty(tmp_path):
    make_dir(tmp_path)
    write_csv(tmp_path / "media.csv", [schema.MEDIA.column_names])
    result = load_tables(tmp_path, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.problems == []
    assert result.tables["media"].empty
    assert result.file("media").rows_read == 0


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    rows = [list(r) for r in BASE["incidents"]]
    rows.insert(2, [""] * len(rows[0]))  # blank line at Excel row 3
    rows[3][7] = "-2"  # now at Excel row 4
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 4, "deaths", "不能为负数")


def test_synthetic_marker_and_empty_frame(tmp_path):
    make_dir(tmp_path)
    (tmp_path / "SYNTHETIC").write_text("合成数据", encoding="utf-8")
    assert load_tables(tmp_path, today=TODAY, units=UNITS, column_map=NO_MAP).synthetic
    frame = empty_frame(schema.HAZARDS)
    assert frame["rectified_date"].dtype == "datetime64[ns]" and len(frame) == 0


# --------------------------------------------------------------------------- bad inputs


def test_utf16_with_its_bom_is_read_and_utf32_is_not(tmp_path):
    # Excel's “Unicode text” export is UTF-16 with a BOM (and tab-separated)
    df, problems = load_one(tmp_path, schema.INCIDENTS, BASE["incidents"], encoding="utf-16")
    assert problems == [] and df["town"].tolist() == ["邹区镇", "北港街道"]
    p = only(load_one(tmp_path, schema.INCIDENTS, BASE["incidents"], encoding="utf-32")[1])
    assert_problem(p, "incidents.csv", None, None, "编码无法识别")


def test_utf16_without_bom_is_unrecognised_encoding(tmp_path):
    path = tmp_path / "media.csv"
    path.write_bytes("report_id,district\nM1,钟楼区\n".encode("utf-16-le"))
    p = only(load_table(path, schema.MEDIA, today=TODAY, units=UNITS, column_map=NO_MAP)[1])
    assert_problem(p, "media.csv", None, None, "编码无法识别")


def test_semicolon_separated_file(tmp_path):
    rows = [[";".join(r)] for r in BASE["cases"]]
    p = only(load_one(tmp_path, schema.CASES, rows)[1])
    assert p.file == "cases.csv" and p.row == 1 and "分隔符不是逗号" in p.reason


def test_latin1_garbage_is_unrecognised_encoding(tmp_path):
    path = tmp_path / "media.csv"
    path.write_bytes("report_id,district\nM1,caf\xe9,na\xefve\n".encode("latin-1"))
    p = only(load_table(path, schema.MEDIA, today=TODAY, units=UNITS, column_map=NO_MAP)[1])
    assert_problem(p, "media.csv", None, None, "编码无法识别")


def test_missing_column(tmp_path):
    rows = [r[:-1] for r in BASE["incidents"]]  # drop description
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    assert df.empty
    assert_problem(only(problems), "incidents.csv", None, "简要经过", "缺少列")


def test_extra_column(tmp_path):
    rows = [r + ["x"] for r in BASE["incidents"]]
    rows[0][-1] = "备注"
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", None, "备注", "未知列")


def test_duplicate_column_header(tmp_path):
    rows = [r + [r[7]] for r in BASE["incidents"]]
    rows[0][-1] = "死亡人数"  # zh of deaths, while "deaths" is already there
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", None, "死亡人数", "重复")


def test_empty_file(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"")
    p = only(load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)[1])
    assert_problem(p, "cases.csv", None, None, "文件为空（0 字节）")


def test_header_only_required_table_is_an_error(tmp_path):
    make_dir(tmp_path, incidents=[schema.INCIDENTS.required_column_names])
    p = only(strict_problems(tmp_path))
    assert_problem(p, "incidents.csv", None, None, "只有表头")


def test_missing_required_file(tmp_path):
    make_dir(tmp_path, incidents=None)
    p = only(strict_problems(tmp_path))
    assert_problem(p, "incidents.csv", None, None, "缺少必需的数据文件")


def test_text_in_number_column(tmp_path):
    rows = with_cell("incidents", 3, "deaths", "一人")
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 3, "deaths", "不是有效的整数")
    assert p.value == "一人"


def test_text_in_float_column_with_chinese_header(tmp_path):
    rows = with_cell("cases", 2, "fine_wan", "两万")
    rows[0][7] = "罚款金额（万元）"
    p = only(load_one(tmp_path, schema.CASES, rows)[1])
    assert_problem(p, "cases.csv", 2, "罚款金额（万元）", "不是有效的数字")


def test_negative_deaths_and_negative_fine(tmp_path):
    p = only(load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "deaths", "-1"))[1])
    assert_problem(p, "incidents.csv", 2, "deaths", "不能为负数")
    p = only(load_one(tmp_path, schema.CASES, with_cell("cases", 3, "fine_wan", "-0.5"))[1])
    assert_problem(p, "cases.csv", 3, "fine_wan", "不能为负数")


def test_future_date(tmp_path):
    rows = with_cell("incidents", 2, "date", "2021-02-01")
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 2, "date", "不能是未来日期")
    # a deadline may lie in the future
    assert (
        load_one(tmp_path, schema.HAZARDS, with_cell("hazards", 3, "deadline", "2030-01-01"))[1]
        == []
    )


def test_date_before_2000(tmp_path):
    p = only(
        load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 3, "date", "1999-12-31"))[1]
    )
    assert_problem(p, "incidents.csv", 3, "date", "早于 2000-01-01")


@pytest.mark.parametrize("bad", ["2020.02.30", "2020-02-30", "04/03/2020", "2020030", "三月四日"])
def test_bad_date_format(tmp_path, bad):
    rows = with_cell("incidents", 2, "date", bad)
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 2, "date", "日期无法识别")
    assert p.value == bad


def test_duplicate_id(tmp_path):
    rows = with_cell("incidents", 3, "incident_id", "SG1")
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 3, "incident_id", "编号重复（与第 2 行相同）")


def test_duplicate_combination(tmp_path):
    rows = [
        schema.ENFORCEMENT_PLAN.column_names,
        ["2020", "钟楼区", "区应急管理局", "E1"],
        ["2020", "钟楼区", "区应急管理局", "E2"],
        ["2020", "钟楼区", "区应急管理局", "E1"],
    ]
    p = only(load_one(tmp_path, schema.ENFORCEMENT_PLAN, rows)[1])
    assert_problem(p, "enforcement_plan.csv", 4, "enterprise_id", "组合重复")


def test_unknown_town(tmp_path):
    p = only(load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "town", "火星镇"))[1])
    assert_problem(p, "incidents.csv", 2, "town", "不是钟楼区的镇/街道")


def test_town_of_another_district(tmp_path):
    p = only(load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 3, "town", "郑陆镇"))[1])
    assert_problem(p, "incidents.csv", 3, "town", "属于天宁区，不属于钟楼区")


def test_unconfigured_district(tmp_path):
    p = only(
        load_one(
            tmp_path,
            schema.MEDIA,
            [
                ["report_id", "district", "date", "outlet", "title"],
                ["M1", "武进区", "2020-01-02", "报", ""],
            ],
        )[1]
    )
    assert_problem(p, "media.csv", 2, "district", "未在 data/config/units.yaml 中配置")


def test_broken_enterprise_reference(tmp_path):
    make_dir(tmp_path, inspections=with_cell("inspections", 3, "enterprise_id", "E999"))
    p = only(strict_problems(tmp_path))
    assert_problem(p, "inspections.csv", 3, "enterprise_id", "企业编号在企业名册")
    assert "不存在" in p.reason and p.value == "E999"


def test_value_not_in_allowed_list(tmp_path):
    p = only(load_one(tmp_path, schema.CASES, with_cell("cases", 2, "department", "区公安分局"))[1])
    assert_problem(p, "cases.csv", 2, "department", "取值不在允许范围内")
    assert "区应急管理局" in p.reason


def test_bad_bool(tmp_path):
    p = only(load_one(tmp_path, schema.CASES, with_cell("cases", 3, "suspension", "停产"))[1])
    assert_problem(p, "cases.csv", 3, "suspension", "不是有效的是/否值")


def test_null_in_required_column(tmp_path):
    p = only(
        load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "accident_type", ""))[1]
    )
    assert_problem(p, "incidents.csv", 2, "accident_type", "必填项为空")


def test_rectified_before_found(tmp_path):
    rows = with_cell("hazards", 2, "rectified_date", "2020-02-01")
    p = only(load_one(tmp_path, schema.HAZARDS, rows)[1])
    assert_problem(p, "hazards.csv", 2, "rectified_date", "整改完成日期不得早于发现日期")


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [(2, "rectified_date", ""), (3, "rectified_date", "2020-10-20"), (3, "status", "已整改")],
)
def test_status_and_rectified_date_inconsistent(tmp_path, row, column, value):
    rows = with_cell("hazards", row, column, value)
    p = only(load_one(tmp_path, schema.HAZARDS, rows)[1])
    assert_problem(p, "hazards.csv", row, "rectified_date", "必须填写整改完成日期")


def test_injuries_less_than_serious_injuries(tmp_path):
    rows = with_cell("incidents", 2, "serious_injuries", "3")
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 2, "injuries", "受伤人数不得少于重伤人数")


def _merged_title_workbook(path: Path, two_row_header: bool) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["钟楼区2020年事故与火灾统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=12)
    zh = [schema.INCIDENTS.column(c).zh for c in schema.INCIDENTS.required_column_names]
    if two_row_header:  # 伤亡情况 merged over 死亡/重伤/受伤
        ws.append(zh[:7] + ["伤亡情况", None, None] + zh[10:])
        ws.merge_cells(start_row=2, start_column=8, end_row=2, end_column=10)
        ws.append([None] * 7 + zh[7:10] + [None, None])
    else:
        ws.append(zh)
    ws.append(
        [
            "SG1",
            "钟楼区",
            "邹区镇",
            datetime(2020, 3, 4),
            "生产安全事故",
            "物流仓储",
            "车辆伤害",
            1,
            0,
            1,
            80.5,
            None,
        ]
    )
    ws.append(
        [
            "SG2",
            "钟楼区",
            "邹区镇",
            datetime(2020, 3, 5),
            "生产安全事故",
            "物流仓储",
            "车辆伤害",
            -1,
            0,
            1,
            80.5,
            None,
        ]
    )
    wb.save(path)


def test_merged_title_row_above_header(tmp_path):
    path = tmp_path / "incidents.xlsx"
    _merged_title_workbook(path, two_row_header=False)
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    # header found in Excel row 2, data from row 3: the bad row is Excel row 4
    assert_problem(only(problems), "incidents.xlsx", 4, "死亡人数", "不能为负数")
    assert df["incident_id"].tolist() == ["SG1"]


def test_two_row_merged_header(tmp_path):
    path = tmp_path / "incidents.xlsx"
    _merged_title_workbook(path, two_row_header=True)
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "incidents.xlsx", 5, "死亡人数", "不能为负数")
    assert df["deaths"].tolist() == [1]


def test_xlsx_in_data_dir_reports_header_rows(tmp_path):
    make_dir(tmp_path, incidents=None)
    _merged_title_workbook(tmp_path / "incidents.xlsx", two_row_header=True)
    result = load_tables(tmp_path, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.file("incidents").header_rows == (2, 3)
    assert result.file("incidents").rows_rejected == 1


def test_both_csv_and_xlsx_present(tmp_path):
    make_dir(tmp_path)
    _merged_title_workbook(tmp_path / "incidents.xlsx", two_row_header=False)
    p = only(strict_problems(tmp_path))
    assert_problem(p, "incidents.csv", None, None, "同时存在")


# --------------------------------------------------------------------------- collecting


def test_multiple_problems_collected_at_once(tmp_path):
    rows = with_cell("incidents", 2, "deaths", "-1")
    rows[1][rows[0].index("date")] = "2020/13/01"
    rows[2][rows[0].index("category")] = "交通事故"
    rows[2][rows[0].index("town")] = "青龙街道"
    _, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    got = {(p.row, p.column) for p in problems}
    assert got == {(2, "deaths"), (2, "date"), (3, "category"), (3, "town")}
    assert [p.row for p in problems] == sorted(p.row for p in problems)


def test_strict_mode_raises_listing_all_problems_in_all_files(tmp_path):
    make_dir(
        tmp_path,
        incidents=with_cell("incidents", 2, "deaths", "-1"),
        cases=with_cell("cases", 3, "kind", "其他"),
        inspections=with_cell("inspections", 4, "enterprise_id", "E404"),
    )
    with pytest.raises(DataValidationError) as info:
        load_tables(tmp_path, strict=True, today=TODAY, units=UNITS, column_map=NO_MAP)
    err = info.value
    assert {(p.file, p.row, p.column) for p in err.problems} == {
        ("incidents.csv", 2, "deaths"),
        ("cases.csv", 3, "kind"),
        ("inspections.csv", 4, "enterprise_id"),
    }
    message = str(err)
    assert "共 3 处问题" in message
    assert "文件 incidents.csv，第 2 行，列“deaths”，值“-1”：不能为负数" in message


def test_lenient_mode_drops_rows_keeps_rejects_and_counts(tmp_path):
    incidents = with_cell("incidents", 2, "deaths", "-1")
    incidents[2][incidents[0].index("date")] = "昨天"  # second problem, other row
    enterprises = with_cell("enterprises", 4, "scale", "大型")  # E3 rejected …
    extra = [r + ["备注"] for r in BASE["cases"]]  # … and an unknown column
    make_dir(tmp_path, incidents=incidents, enterprises=enterprises, cases=extra)
    result = load_tables(tmp_path, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.tables["incidents"].empty
    assert result.file("incidents").rows_read == 2
    assert result.file("incidents").rows_rejected == 2
    # E3's roster row was rejected, so the rows that reference E3 go too, with a reason
    assert result.tables["enterprises"]["enterprise_id"].tolist() == ["E1", "E2"]
    assert result.tables["inspections"]["inspection_id"].tolist() == ["J1", "J2"]
    assert result.tables["cases"]["case_id"].tolist() == ["C1"]
    assert list(result.tables["cases"].columns) == schema.CASES.column_names
    assert result.file("cases").ignored_columns == ("备注",)
    assert result.n_rejected == 2 + 1 + 1 + 1
    rej = result.rejects
    assert list(rej.columns) == ["文件", "行号", "列", "值", "原因"]
    orphan = rej[(rej["文件"] == "inspections.csv")].iloc[0]
    assert (orphan["行号"], orphan["列"], orphan["值"]) == (4, "enterprise_id", "E3")
    assert "已被剔除" in orphan["原因"]
    unknown = rej[rej["列"] == "备注"].iloc[0]
    assert pd.isna(unknown["行号"]) and "未知列" in unknown["原因"]
    out = result.write_rejects(tmp_path / "out" / "rejects.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert len(back) == len(rej)
    assert back.loc[back["文件"] == "incidents.csv", "行号"].tolist() == [2, 3]


def test_lenient_mode_still_raises_on_file_level_problems(tmp_path):
    make_dir(tmp_path, incidents=[r[:-1] for r in BASE["incidents"]])
    with pytest.raises(DataValidationError) as info:
        load_tables(tmp_path, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert "缺少列“简要经过”" in str(info.value)


def test_large_file_reports_the_right_row(tmp_path):
    """200,000 rows: the one bad cell is found on its row (speed is measured in benchmarks/)."""
    n = 200_000
    ids = [f"J{i}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "inspection_id": ids,
            "district": "钟楼区",
            "town": "邹区镇",
            "date": "2020-03-01",
            "department": "区应急管理局",
            "enterprise_id": "E1",
            "in_plan": "true",
            "inspectors": "2",
            "experts": "0",
        }
    )
    frame.loc[n - 1, "experts"] = "-3"
    path = tmp_path / "inspections.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    df, problems = load_table(path, schema.INSPECTIONS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "inspections.csv", n + 1, "experts", "不能为负数")
    assert len(df) == n - 1
