"""Implausible and corrupt values (analysis.inputs.validate and .chars): every number has
a plausible range, nothing overflows, and control or invisible characters are refused and
shown visibly in the message."""

from __future__ import annotations

import csv
import doctest

import openpyxl
import pytest
from test_load import (
    BASE,
    NO_MAP,
    TODAY,
    UNITS,
    assert_problem,
    load_one,
    make_dir,
    only,
    with_cell,
    write_csv,
)

from analysis.errors import DataValidationError
from analysis.inputs import chars, load_table, load_tables, schema
from analysis.settings import config, places

SAMPLE = config.PROJ_ROOT / "data" / "sample"
NUMBER_COLUMNS = [
    (t, c) for t in schema.TABLES.values() for c in t.columns if c.dtype in ("int", "float")
]


def sample_rows(table: schema.Table) -> list[list[str]]:
    """Header and first data row of the shipped sample file of ``table``."""
    with open(SAMPLE / f"{table.name}.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        return [next(reader), next(reader)]


def fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _is_range(reason: str) -> bool:
    return "不能为负数" in reason or "超出合理范围" in reason


def load_sample_row(tmp_path, table: schema.Table, column: str, value: str):
    rows = sample_rows(table)
    rows[1][rows[0].index(column)] = value
    path = write_csv(tmp_path / f"{table.name}.csv", rows)
    return load_table(path, table, today=TODAY, units=places.units(), column_map=NO_MAP)


@pytest.mark.parametrize(
    ("table", "col"), NUMBER_COLUMNS, ids=[f"{t.name}.{c.name}" for t, c in NUMBER_COLUMNS]
)
def test_every_number_column_refuses_values_outside_its_range(tmp_path, table, col):
    # (other columns' cross-column rules may object to an extreme value: not counted here)
    _, problems = load_sample_row(tmp_path, table, col.name, fmt_num(col.maximum))
    assert [p for p in problems if _is_range(p.reason)] == []  # the bound is plausible
    for outside in (col.maximum + 1, col.minimum - 1):
        df, problems = load_sample_row(tmp_path, table, col.name, fmt_num(outside))
        p = only([p for p in problems if p.column == col.name and _is_range(p.reason)])
        assert (p.row, p.value) == (2, fmt_num(outside)), str(p)
        assert df.empty


@pytest.mark.parametrize("digits", ["99999999999999999999", "12345678901234567890123"])
def test_twenty_digit_death_toll_is_out_of_range_never_wrapped(tmp_path, digits):
    rows = with_cell("incidents", 2, "deaths", digits)
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 2, "deaths", "超出合理范围（应在 0 至 1000 之间）")
    # lenient: the row is a counted reject, and no negative number appears anywhere
    make_dir(tmp_path, incidents=rows)
    result = load_tables(tmp_path, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
    deaths = result.tables["incidents"]["deaths"]
    assert deaths.tolist() == [0] and result.file("incidents").rows_rejected == 1


def test_grouping_separators_must_group_thousands(tmp_path):
    ok = with_cell("cases", 2, "fine_wan", "1,200.5")
    df, problems = load_one(tmp_path, schema.CASES, ok)
    assert problems == [] and df["fine_wan"].tolist() == [1200.5, 30.0]
    p = only(load_one(tmp_path, schema.CASES, with_cell("cases", 2, "fine_wan", "1,2,3"))[1])
    assert_problem(p, "cases.csv", 2, "fine_wan", "不是有效的数字")


@pytest.mark.parametrize(
    "typed, number", [("１２", 12.0), ("１，２００．５", 1200.5), ("－３", -3.0), (" 7 ", 7.0)]
)
def test_full_width_digits_are_the_number_they_show(tmp_path, typed, number):
    df, problems = load_one(tmp_path, schema.CASES, with_cell("cases", 2, "fine_wan", typed))
    if number < 0:
        assert_problem(only(problems), "cases.csv", 2, "fine_wan", "不能为负数")
    else:
        assert problems == [] and df["fine_wan"].tolist()[0] == number


@pytest.mark.parametrize(
    "typed, shown",
    [("20201025", "2020-10-25"), ("2020.10.25", "2020-10-25"), ("2020.1.5", "2020-01-05"),
     ("２０２０－１０－２５", "2020-10-25"), ("20201025 14:30", "2020-10-25")],
)  # fmt: skip
def test_dates_as_systems_and_input_methods_write_them(tmp_path, typed, shown):
    df, problems = load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "date", typed))
    assert problems == [] and df["date"].dt.strftime("%Y-%m-%d").tolist()[0] == shown


@pytest.mark.parametrize("typed", ["20201325", "2020.13.01", "01/02/2019", "202010250", "10.25"])
def test_ambiguous_or_impossible_dates_are_still_refused(tmp_path, typed):
    _, problems = load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "date", typed))
    assert_problem(only(problems), "incidents.csv", 2, "date", "日期无法识别")


def test_nul_inside_a_number_is_refused_never_truncated(tmp_path):
    rows = with_cell("incidents", 2, "direct_loss_wan", "114\x0024")
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    p = only(problems)  # one problem for the cell, not also "not a number"
    assert_problem(p, "incidents.csv", 2, "direct_loss_wan", r"控制字符或不可见字符 \x00")
    assert p.value == r"114\x0024"
    assert df["incident_id"].tolist() == ["HZ1"]  # never 114 or 1


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\u200b", "U+200B"),  # zero-width space
        ("\u202e", "U+202E"),  # right-to-left override: can reverse digits on screen
        ("\u2066", "U+2066"),  # left-to-right isolate
        ("\ufeff", "U+FEFF"),  # a BOM inside the data
        ("\x1b", r"\x1b"),  # ESC: terminal escape sequences
        ("\x85", r"\x85"),  # C1 control
        ("\x07", r"\x07"),
        ("\t", r"\x09"),
    ],
)
def test_invisible_and_control_characters_are_refused_in_any_cell(tmp_path, char, shown):
    rows = with_cell("incidents", 3, "town", "北港" + char + "街道")
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 3, "town", shown)
    assert p.value == f"北港{shown}街道"
    # also in a free-text column that is allowed to be empty
    rows = with_cell("incidents", 2, "description", "叉车" + char)
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 2, "description", shown)


def test_doubled_bom_is_refused_in_the_header_without_noise(tmp_path):
    path = write_csv(tmp_path / "incidents.csv", BASE["incidents"], encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + path.read_bytes())
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    p = only(problems)  # not also "missing column incident_id"
    assert_problem(p, "incidents.csv", None, "U+FEFFincident_id", "U+FEFF")
    assert df.empty


def test_nul_byte_in_a_utf8_file_names_the_cell_not_the_encoding(tmp_path):
    rows = with_cell("incidents", 3, "accident_type", "电气\x00火灾")
    p = only(load_one(tmp_path, schema.INCIDENTS, rows)[1])
    assert_problem(p, "incidents.csv", 3, "accident_type", r"\x00")


def test_xlsx_with_nul_and_bidi_characters_in_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(schema.INCIDENTS.required_column_names)
    base = list(BASE["incidents"][1])
    # Excel stores a control character as the OOXML escape _x0000_ and shows the character
    ws.append(base[:10] + ["114_x0000_24", base[11]])
    ws.append(["HZ1", "钟楼区", "北港\u202e街道", *BASE["incidents"][2][3:]])
    path = tmp_path / "incidents.xlsx"
    wb.save(path)
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "direct_loss_wan", r"114\x0024"),
        (3, "town", "北港U+202E街道"),
    ]
    assert df.empty


def test_control_character_in_strict_folder_load_is_listed_once(tmp_path):
    make_dir(tmp_path, cases=with_cell("cases", 3, "case_id", "C\u200b2"))
    with pytest.raises(DataValidationError) as info:
        load_tables(tmp_path, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert "值“CU+200B2”" in str(info.value)
    assert len(info.value.problems) == 1


def test_invisible_character_in_a_header_is_refused(tmp_path):
    rows = [list(r) for r in BASE["incidents"]]
    rows[0][rows[0].index("deaths")] = "死亡\u200b人数"
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    assert_problem(only(problems), "incidents.csv", None, "死亡U+200B人数", "U+200B")
    assert df.empty


def test_chars_examples_hold():
    assert doctest.testmod(chars).failed == 0
    assert chars.visible("a\u2067b\x9bc") == r"aU+2067b\x9bc"
    assert chars.visible("普通文本，含“引号”和\n换行") == "普通文本，含“引号”和\n换行"
