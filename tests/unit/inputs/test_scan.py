"""Byte scans (analysis.inputs.scan): record lines as Python's csv module counts them, in
pieces of any size, and a bound on the UTF-8 lines of a file that never undercounts."""

from __future__ import annotations

import csv
import io as stdio
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.inputs import scan

_CELL = st.text(alphabet=st.sampled_from(list('a1 ,"\n\r叉')), max_size=5)


def csv_starts(text: str) -> list[int]:
    """0-based line on which each record that is not blank starts, by Python's csv module."""
    reader = csv.reader(stdio.StringIO(text, newline=""), strict=True)
    starts, end = [], 0
    for record in reader:
        if record:
            starts.append(end)
        end = reader.line_num
    return starts


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(st.lists(_CELL, min_size=2, max_size=2), min_size=1, max_size=6),
    blank=st.lists(st.integers(0, 6), max_size=2),
    chunk=st.sampled_from([1, 2, 3, 7, 1 << 21]),
    quoting=st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
)
def test_record_lines_are_the_csv_modules_in_pieces_of_any_size(
    monkeypatch, records, blank, chunk, quoting
):
    monkeypatch.setattr(scan, "CHUNK", chunk)
    buf = stdio.StringIO()
    csv.writer(buf, quoting=quoting, lineterminator="\r\n").writerows(records)
    lines = buf.getvalue().split("\r\n")
    for at in blank:
        if at < len(lines) and lines[at].startswith('"'):
            lines[at] = "\r\n" + lines[at]
    text = "\r\n".join(lines)
    found = scan.record_lines(text.encode(), 0, ",")
    if re.search("\r(?!\n)", text):
        assert found is None  # a lone \r: the careful parser reads it
        return
    assert found is not None
    assert list(found[0]) == csv_starts(text)
    assert found[1] == any("\n" in c for r in records for c in r)


@pytest.mark.parametrize(
    "body",
    [
        b'a,"b\n',  # never closed
        b'a,"b"c\n',  # text after a closing quote
        b'a,b"c\n',  # a quote inside an unquoted cell
        b'"a" ,b\n',  # a space after a closing quote
        b'a,""b\n',  # an empty quoted cell followed by text
        b"a,b\rc,d\n",  # a lone carriage return
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 1 << 21])
def test_quoting_that_is_not_plain_is_refused_in_pieces_of_any_size(monkeypatch, body, chunk):
    monkeypatch.setattr(scan, "CHUNK", chunk)
    assert scan.record_lines(b"x,y\n" + body + b"e,f\n", 0, ",") is None


def test_the_scan_starts_where_it_is_told():
    data = b'title\nh1,h2\n"a\nb",c\n\nd,e\n'
    starts, multi_line = scan.record_lines(data, data.index(b'"a'), ",")
    assert list(starts) == [0, 3] and multi_line


def _exact_utf8(data: bytes) -> tuple[int, int]:
    good = total = 0
    for line in data.split(b"\n"):
        if not line.isascii():
            total += 1
            try:
                line.decode("utf-8")
                good += 1
            except UnicodeDecodeError:
                pass
    return good, total


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(list('ab钟楼区€𠮷é,"')), max_size=6),
            st.sampled_from(["utf-8", "gb18030", "latin-1-ish"]),
        ),
        max_size=8,
    ),
    chunk=st.sampled_from([1, 5, 1 << 21]),
)
def test_utf8_like_lines_never_undercount_the_utf8_lines(monkeypatch, lines, chunk):
    monkeypatch.setattr(scan, "CHUNK", chunk)
    encoded = []
    for text, encoding in lines:
        if encoding == "latin-1-ish":
            encoded.append(bytes(np.frombuffer(text.encode("utf-8"), np.uint8) | 0x80))
        else:
            encoded.append(text.encode(encoding))
    data = b"\n".join(b.replace(b"\n", b"") for b in encoded)
    maybe, non_ascii = scan.utf8_like_lines(data)
    good, total = _exact_utf8(data)
    assert non_ascii == total and good <= maybe <= total


def test_gbk_text_is_seldom_taken_for_utf8():
    text = "钟楼区,邹区镇,2020-03-04,生产安全事故,车辆伤害,叉车在仓库内倒车时碰伤一名工人\n"
    maybe, non_ascii = scan.utf8_like_lines((text * 50).encode("gbk"))
    assert (maybe, non_ascii) == (0, 50)
