"""The columnar route (analysis.inputs.columnar) reads what the careful parser reads, the same
way: on the same file both give the same typed frame and the same messages (editor lines
included), and the columnar route steps aside for anything it cannot read faithfully."""

from __future__ import annotations

import csv
import io as stdio
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_load import NO_MAP, TODAY, UNITS

from analysis.inputs import load_table, read, scan, schema
from analysis.inputs.headers import header_lookup

NAMES = schema.INCIDENTS.column_names
COLUMNS = NAMES[: NAMES.index("description") + 1]  # the required ones and the description
ROW = ["SG{n}", "钟楼区", "邹区镇", "2020-03-04", "生产安全事故", "物流仓储", "车辆伤害"]
ROW += ["1", "0", "1", "80.5", "叉车伤人"]


def rows(n: int, **cells: str) -> list[list[str]]:
    """``n`` valid incident rows; ``cells`` = {"column@k": text} replaces one cell of row k."""
    out = [[c.format(n=k) for c in ROW] for k in range(1, n + 1)]
    for key, text in cells.items():
        column, k = key.split("@")
        out[int(k) - 1][COLUMNS.index(column)] = text
    return out


def write(records, *, quoting=csv.QUOTE_ALL, newline="\n", header=COLUMNS, sep=","):
    buf = stdio.StringIO()
    writer = csv.writer(buf, quoting=quoting, lineterminator=newline, delimiter=sep)
    writer.writerows([header, *records])
    return buf.getvalue()


def columnar_taken(data: bytes) -> bool:
    lookup = header_lookup(schema.INCIDENTS, NO_MAP)
    return read._read_columnar(data, "incidents.csv", lookup) is not None


def both_routes(tmp_path: Path, data: bytes, monkeypatch) -> tuple[tuple, tuple]:
    """(frame, problems) of load_table as it runs, and with the columnar route switched off."""
    path = tmp_path / "incidents.csv"
    path.write_bytes(data)

    def load():
        return load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)

    as_run = load()
    with monkeypatch.context() as patch:
        patch.setattr(read, "_read_columnar", lambda *args: None)
        careful = load()
    return as_run, careful


def assert_same(as_run, careful) -> None:
    pd.testing.assert_frame_equal(as_run[0], careful[0])
    assert [str(p) for p in as_run[1]] == [str(p) for p in careful[1]]
    assert [(p.row, p.column) for p in as_run[1]] == [(p.row, p.column) for p in careful[1]]


MULTI_LINE = "第一行\n第二行，含逗号, 和“引号”"
CASES = {
    "GBK, every cell quoted": (write(rows(3, **{"deaths@2": "x"})), "gbk"),
    "GB18030 beyond GBK": (write(rows(2, **{"description@1": "𠮷字与€"})), "gb18030"),
    "commas, doubled quotes, line breaks in cells": (
        write(
            rows(4, **{"description@1": MULTI_LINE, "description@2": 'a,"b"', "deaths@4": "-1"}),
            quoting=csv.QUOTE_MINIMAL,
        ),
        "utf-8",
    ),
    "CRLF inside and between records, BOM": (
        write(rows(3, **{"description@1": "甲\r\n乙", "injuries@3": "y"}), newline="\r\n"),
        "utf-8-sig",
    ),
    "GBK with line breaks in cells and blank lines": (
        write(rows(3, **{"description@1": "甲\n\n乙"})).replace('\n"SG2', '\n\n\n"SG2')
        + '"SG9",钟楼区,,,,,,z,,,,\n\n',
        "gbk",
    ),
    "blank lines with CRLF, an error after them": (
        write(rows(3, **{"deaths@3": "-2"}), newline="\r\n").replace('\r\n"SG2', '\r\n\r\n"SG2'),
        "utf-8",
    ),
    "white space and a trailing line break inside quotes": (
        write(rows(3, **{"town@1": " 邹区镇 ", "description@2": "末尾换行\n", "deaths@3": " 1"})),
        "utf-8",
    ),
    "trailing empty columns": (
        write([r + ["", ""] for r in rows(3, **{"deaths@2": "x"})], header=COLUMNS + ["", ""]),
        "gbk",
    ),
    "a title line and quotes": (
        '"钟楼区事故统计表"\n' + write(rows(2, **{"deaths@2": "x"})),
        "gbk",
    ),
    "a refused character inside quotes": (
        write(rows(3, **{"town@2": "邹区\u200b镇", "description@3": "a\tb"})),
        "utf-8",
    ),
    "tab-separated, a tab inside a quoted cell": (
        write(rows(3, **{"description@1": "甲\t乙"}), quoting=csv.QUOTE_MINIMAL, sep="\t"),
        "gbk",
    ),
    "no quotes at all, GBK": (write(rows(3, **{"deaths@2": "x"}), quoting=csv.QUOTE_NONE), "gbk"),
    "no trailing line break": (write(rows(3)).rstrip("\n"), "gbk"),
}


@pytest.mark.parametrize("case", CASES)
def test_columnar_route_reads_common_exports_exactly_as_the_careful_parser(
    tmp_path, monkeypatch, case
):
    text, encoding = CASES[case]
    data = text.encode(encoding)
    assert columnar_taken(data), "the columnar route should read this file"
    assert_same(*both_routes(tmp_path, data, monkeypatch))


def test_line_numbers_count_the_lines_of_multi_line_cells_and_blank_lines(tmp_path, monkeypatch):
    text = write(rows(4, **{"description@1": "一\n二\n三", "deaths@2": "x", "deaths@4": "y"}))
    text = text.replace('\n"SG4', '\n\n"SG4')
    data = text.encode("gbk")
    as_run, careful = both_routes(tmp_path, data, monkeypatch)
    # header line 1; SG1 on lines 2-4; SG2 on 5; SG3 on 6; a blank line 7; SG4 on 8
    assert [(p.row, p.column) for p in as_run[1]] == [(5, "deaths"), (8, "deaths")]
    assert as_run[0]["description"].iloc[0] == "一\n二\n三"
    assert columnar_taken(data)
    assert_same(as_run, careful)


UNFAITHFUL = {
    "a stray quote swallowing lines": '"SG1,钟楼区\n' + "\n".join(",".join(r) for r in rows(3)),
    "text after a closing quote": write(rows(2)).replace('"叉车伤人"', '"叉车"伤人'),
    "a quote inside an unquoted cell": write(rows(2), quoting=csv.QUOTE_NONE) + 'SG9,钟"楼区\n',
    "a lone carriage return": write(rows(3, **{"deaths@2": "x"})).replace("\n", "\r"),
    "a record with an extra field": write(rows(3)) + '"SG9"' + ",x" * 12 + "\n",
    "a record with a missing field": write(rows(3)) + '"SG9",x\n',
    "a line break in a cell with a record's worth of commas": write(
        rows(2, **{"description@1": "甲" + "," * 11 + "\n乙"})
    ),
    "a quote never closed": write(rows(2)) + '"SG9,钟楼区\n',
    "a cell over the parser's limit": write(rows(2, **{"description@2": "长" * 140_000})),
}


@pytest.mark.parametrize("case", UNFAITHFUL)
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_anything_not_plain_goes_to_the_careful_parser(tmp_path, monkeypatch, case, encoding):
    data = UNFAITHFUL[case].encode(encoding)
    assert not columnar_taken(data)
    as_run, careful = both_routes(tmp_path, data, monkeypatch)
    assert_same(as_run, careful)
    assert as_run[1], "the careful parser reports what is wrong"


def test_utf8_file_with_one_gbk_line_is_refused_by_line_not_read_as_gbk(tmp_path, monkeypatch):
    lines = write(rows(4)).splitlines(keepends=True)
    data = b"".join(line.encode("gbk" if k == 3 else "utf-8") for k, line in enumerate(lines))
    assert not columnar_taken(data)
    as_run, careful = both_routes(tmp_path, data, monkeypatch)
    assert_same(as_run, careful)
    assert as_run[1][0].row == 4 and "UTF-8" in as_run[1][0].reason


def test_a_file_that_is_neither_utf8_nor_gb18030_is_left_to_the_careful_parser(
    tmp_path, monkeypatch
):
    data = write(rows(2)).encode("gbk") + b'"SG9",\x80\x20\n'  # not GB18030 either
    assert not columnar_taken(data)
    as_run, careful = both_routes(tmp_path, data, monkeypatch)
    assert_same(as_run, careful)
    assert "编码" in as_run[1][0].reason


_CELL = st.text(alphabet=st.sampled_from(list('ab1 ,"\n叉车，“”\t')), max_size=8)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(st.tuples(st.sampled_from(COLUMNS), _CELL), max_size=6),
    blank=st.lists(st.integers(0, 5), max_size=2),
    quoting=st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
)
def test_any_file_a_csv_writer_makes_reads_the_same_by_both_routes(
    tmp_path, monkeypatch, cells, blank, quoting, newline, encoding
):
    """Cells with commas, quotes, line breaks, tabs and spaces anywhere, blank lines between
    records: both routes give the same frame and messages, and the columnar route reads
    every such file unless a cell looks like records merged by a stray quote."""
    records = rows(5)
    for k, (column, text) in enumerate(cells):
        records[k % 5][COLUMNS.index(column)] = text
    lines = write(records, quoting=quoting, newline=newline).split(newline)
    for at in blank:  # a blank line before record `at` (never inside a quoted cell)
        lines[1 + at] = newline + lines[1 + at] if lines[1 + at].startswith('"') else lines[1 + at]
    data = newline.join(lines).encode(encoding)
    wide = len(COLUMNS) - 1
    merged = any(("\n" in c or "\r" in c) and c.count(",") >= wide for r in records for c in r)
    if not merged:
        assert columnar_taken(data)
    assert_same(*both_routes(tmp_path, data, monkeypatch))


SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]


@pytest.mark.parametrize("quoting", [csv.QUOTE_ALL, csv.QUOTE_MINIMAL])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_every_white_space_at_a_cells_edge_is_stripped_as_the_careful_parser_does(
    tmp_path, monkeypatch, quoting, encoding
):
    """str.strip removes more than spaces (\\x1c, U+3000, a line break inside quotes, …):
    the columnar route must notice each one at either edge, or a value would differ."""
    for space in SPACES:
        for town in (space + "邹区镇", "邹区镇" + space):
            data = write(rows(2, **{"town@2": town}), quoting=quoting).encode(encoding)
            assert_same(*both_routes(tmp_path, data, monkeypatch))


def test_bytes_past_the_head_that_are_not_gb18030_leave_the_file_to_the_careful_parser(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(scan, "CHUNK", 4096)  # the bad piece is one of many, read mid-way
    data = write(rows(1500)).encode("gbk") + '"SG9","钟楼区"'.encode("gbk") + b"\x80\x20\n"
    assert len(data) > 2 * 65536 and not columnar_taken(data)
    as_run, careful = both_routes(tmp_path, data, monkeypatch)
    assert_same(as_run, careful)
    assert "编码" in as_run[1][0].reason


def test_a_gbk_line_past_the_head_of_a_utf8_file_is_reported_by_line(tmp_path, monkeypatch):
    lines = write(rows(1500)).splitlines(keepends=True)
    data = b"".join(line.encode("gbk" if k == 1400 else "utf-8") for k, line in enumerate(lines))
    assert len(data) > 2 * 65536 and not columnar_taken(data)
    as_run, careful = both_routes(tmp_path, data, monkeypatch)
    assert_same(as_run, careful)
    assert as_run[1][0].row == 1401 and "UTF-8" in as_run[1][0].reason
