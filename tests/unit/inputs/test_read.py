"""CSV structure (analysis.inputs.read): no record is ever lost or merged, and every row-level
message names the line a text editor shows (1-based, title and header lines counted)."""

from __future__ import annotations

import csv
import io as stdio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_load import (
    BASE,
    NO_MAP,
    TODAY,
    UNITS,
    assert_problem,
    make_dir,
    only,
    strict_problems,
)

from analysis.errors import DataValidationError
from analysis.inputs import load_table, load_tables, schema

HEADER = ",".join(schema.INCIDENTS.required_column_names)
SG = "SG{n},钟楼区,邹区镇,2020-03-0{n},生产安全事故,物流仓储,车辆伤害,{deaths},0,1,80.5,{text}"


def record(n: int, text: str = "叉车伤人", deaths: str = "0") -> str:
    return SG.format(n=n, deaths=deaths, text=text)


def load_text(tmp_path: Path, lines: list[str], *, encoding="utf-8", newline="\n", name=None):
    path = tmp_path / (name or "incidents.csv")
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)


def test_stray_quote_that_swallows_records_is_an_error_naming_the_lines(tmp_path):
    # line 2 opens a quote that only closes at the end of line 4: lines 3-4 would vanish
    lines = [HEADER, record(1, '"叉车伤人'), record(2), record(3, '标语安全第一"'), record(4)]
    df, problems = load_text(tmp_path, lines)
    p = only(problems)
    assert_problem(p, "incidents.csv", 2, "description", "第 2–4 行被读成了一条记录")
    assert "引号" in p.reason and df.empty
    # a file-level problem: lenient mode refuses it as well (nothing silently dropped)
    make_dir(tmp_path, incidents=None)
    with pytest.raises(DataValidationError, match="第 2–4 行被读成了一条记录"):
        load_tables(tmp_path, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)


def test_gbk_file_with_a_quote_never_closed_names_the_lines(tmp_path):
    lines = [HEADER, record(1), record(2, '"粉尘爆炸'), record(3), record(4), record(5)]
    df, problems = load_text(tmp_path, lines, encoding="gbk")
    p = only(problems)
    assert_problem(p, "incidents.csv", 3, None, "从第 3 行到文件末尾（第 6 行）")
    assert df.empty


def test_text_after_a_closing_quote_is_an_error_on_its_line(tmp_path):
    lines = [HEADER, record(1), record(2), record(3, '"安全"教育')]
    p = only(load_text(tmp_path, lines)[1])
    assert_problem(p, "incidents.csv", 4, None, "引号")
    assert '""' in p.reason  # tells how to write a quote inside a cell


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_multi_line_cell_keeps_editor_line_numbers(tmp_path, newline):
    cell = '"第一行' + newline + '第二行，含逗号, 一个"'
    lines = [HEADER, record(1, cell), record(2, deaths="-1"), "", record(3, deaths="x")]
    df, problems = load_text(tmp_path, lines, newline=newline)
    # record 1 spans editor lines 2-3, so record 2 is on line 4 and record 3 on line 6
    assert [(p.row, p.column) for p in problems] == [(4, "deaths"), (6, "deaths")]
    assert df["incident_id"].tolist() == ["SG1"]
    assert df["description"].iloc[0] == "第一行" + newline + "第二行，含逗号, 一个"


def test_row_with_too_many_fields_is_reported_on_its_own_line(tmp_path):
    lines = [HEADER, record(1), record(2) + ",多出来的", record(3)]
    df, problems = load_text(tmp_path, lines)
    assert_problem(only(problems), "incidents.csv", 3, None, "该行有 13 个字段，多于表头的 12 列")
    assert df["incident_id"].tolist() == ["SG1", "SG3"]


def test_row_with_too_few_fields_is_reported_and_not_padded(tmp_path):
    short = record(2).rsplit(",", 2)[0]  # the last two fields are missing
    df, problems = load_text(tmp_path, [HEADER, record(1), short, record(3)])
    assert_problem(only(problems), "incidents.csv", 3, None, "该行只有 10 个字段，表头有 12 列")
    assert df["incident_id"].tolist() == ["SG1", "SG3"]


def test_lenient_mode_rejects_a_row_with_wrong_field_count_and_counts_it(tmp_path):
    rows = [",".join(r) for r in BASE["incidents"]]
    rows[2] += ",x"
    make_dir(tmp_path, incidents=None)
    (tmp_path / "incidents.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = load_tables(tmp_path, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
    info = result.file("incidents")
    assert (info.rows_read, info.rows_rejected) == (2, 1)
    assert result.rejects.loc[result.rejects["文件"] == "incidents.csv", "行号"].tolist() == [3]
    assert strict_problems(tmp_path)[0].row == 3


@pytest.mark.parametrize("header_comma", [False, True])
def test_trailing_delimiters_are_empty_cells_not_errors(tmp_path, header_comma):
    header = HEADER + ("," if header_comma else "")
    df, problems = load_text(tmp_path, [header, record(1) + ",", record(2) + ",,", record(3)])
    assert problems == []
    assert df["incident_id"].tolist() == ["SG1", "SG2", "SG3"]
    assert df["description"].tolist() == ["叉车伤人"] * 3


def test_title_line_above_the_header_counts_in_line_numbers(tmp_path):
    lines = ["钟楼区事故统计表" + "," * 11, HEADER, record(1), record(2) + ",x,y"]
    p = only(load_text(tmp_path, lines)[1])
    assert_problem(p, "incidents.csv", 4, None, "多于表头")


_TEXT = st.text(alphabet=st.sampled_from(list("ab叉车 \",，“”'")), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(descriptions=st.lists(_TEXT, min_size=1, max_size=8))
def test_properly_quoted_cells_with_quotes_and_commas_load_exactly(tmp_path, descriptions):
    """Whatever the text (quotes, commas), a correctly written CSV loads every record as is."""
    buf = stdio.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.INCIDENTS.required_column_names)
    for n, text in enumerate(descriptions, 1):
        writer.writerow(record(n, "").split(",")[:-1] + [text])
    path = tmp_path / "incidents.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    df, problems = load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert problems == []
    assert len(df) == len(descriptions)
    expected = [t.strip() or None for t in descriptions]
    assert [None if v != v else v for v in df["description"].tolist()] == expected


def test_first_data_row_with_an_extra_field_is_not_taken_as_an_index(tmp_path):
    # pandas alone would silently use the first column as the index for such a file
    df, problems = load_text(tmp_path, [HEADER, record(1) + ",多", record(2)])
    assert_problem(only(problems), "incidents.csv", 2, None, "多于表头")
    assert df["incident_id"].tolist() == ["SG2"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counts=st.lists(st.integers(min_value=10, max_value=14), min_size=1, max_size=6))
def test_every_line_with_a_wrong_field_count_is_reported_on_its_line(tmp_path, counts):
    lines = [HEADER]
    for n, k in enumerate(counts, 1):
        lines.append(",".join((record(n).split(",") + ["多"] * 3)[:k]))
    df, problems = load_text(tmp_path, lines)
    assert [p.row for p in problems] == [n + 1 for n, k in enumerate(counts, 1) if k != 12]
    assert df["incident_id"].tolist() == [f"SG{n}" for n, k in enumerate(counts, 1) if k == 12]


def test_quote_closed_early_on_a_later_line_is_a_merge_not_a_long_row(tmp_path):
    # the quote opened in 事故类型 on line 2 closes after 区 on line 3: one record of 17 fields
    opened = record(1).replace("车辆伤害", '"车辆伤害')
    closed = record(2).replace("钟楼区,", '钟楼区",')
    df, problems = load_text(tmp_path, [HEADER, opened, closed, record(3)])
    p = only(problems)
    assert_problem(p, "incidents.csv", 2, "accident_type", "第 2–3 行被读成了一条记录")
    assert df.empty


@pytest.mark.parametrize("column", ["incident_id", "accident_type", "description"])
def test_two_stray_quotes_in_one_column_of_adjacent_lines_never_hide_a_record(tmp_path, column):
    # "x on line 3 and y" on line 4 in the same column: one record of exactly 12 fields
    position = schema.INCIDENTS.required_column_names.index(column)
    opened, closed = record(2).split(","), record(3).split(",")
    opened[position] = '"' + opened[position]
    closed[position] = closed[position] + '"'
    lines = [HEADER, record(1), ",".join(opened), ",".join(closed), record(4)]
    df, problems = load_text(tmp_path, lines)
    assert_problem(only(problems), "incidents.csv", 3, column, "第 3–4 行被读成了一条记录")
    assert df.empty


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_stray_quotes_anywhere_never_lose_a_record_silently(tmp_path, data):
    """Up to three quotes typed anywhere in a valid file: either every record is read, or
    a problem names lines of the file."""
    n = 5
    rows = [record(k).split(",") for k in range(1, n + 1)]
    for _ in range(data.draw(st.integers(1, 3))):
        r, c = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, 11))
        at = data.draw(st.integers(0, len(rows[r][c])))
        rows[r][c] = rows[r][c][:at] + '"' + rows[r][c][at:]
    df, problems = load_text(tmp_path, [HEADER] + [",".join(row) for row in rows])
    if problems:
        assert all(p.row is None or 2 <= p.row <= n + 1 for p in problems)
        assert any(p.row is not None for p in problems)
    else:
        assert len(df) == n
