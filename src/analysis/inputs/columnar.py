"""Large text files read columnar: pyarrow's CSV reader straight from the bytes, cells kept
as pyarrow-backed strings (about the size of the file, instead of one Python object per
cell), so two million rows load within 1 GiB.

The route takes what the careful parser (``inputs.read``) would read the same way: UTF-8,
or GB18030/GBK (transcoded a few MiB at a time), plain quoting as Excel and most systems
write it (cells in quotes, doubled quotes inside, line breaks inside quoted cells), line
breaks \\n or \\r\\n, blank lines, every record with exactly the header's number of fields.
Anything else (a stray quote, a short or long record, a lone \\r, a file mostly UTF-8 with a
few lines in another encoding, a cell over the careful parser's length limit) returns None
and the careful parser reads the file and reports, by editor line, what is wrong. The
index of the frame is the editor line on which each record starts (``inputs.scan``).
"""

from __future__ import annotations

import csv as python_csv
import io
import re

import numpy as np
import pandas as pd

from analysis.inputs import chars, scan

TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
HEAD_BYTES = 1 << 16
_BREAK = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"
# every character str.strip removes (pyarrow's utf8_trim_whitespace removes the same)
_STRIPPED = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def head_text(data: bytes) -> tuple[str, str] | None:
    """(the first complete lines as text, encoding): UTF-8 when they are (pyarrow checks
    the rest as it reads), GB18030 when the file is surely that (not UTF-8 with a few lines
    in another encoding, which ``read.decode_located`` refuses by line), else None and the
    careful parser decodes the file."""
    head = data[:HEAD_BYTES]
    if len(data) > HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1]
    try:
        return head.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    if data.startswith(_BOM) or head.count(b"\r") != head.count(b"\r\n"):
        return None  # (a lone \r after the head: the body's scan refuses it)
    maybe_utf8, non_ascii = scan.utf8_like_lines(data)
    if maybe_utf8 > non_ascii - maybe_utf8:
        return None
    try:
        return head.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return None


def _line_start(data: bytes, line: int) -> int | None:
    """Byte offset where 0-based ``line`` starts (None if not within the head)."""
    if line == 0:
        return 0
    for k, match in enumerate(_BREAK.finditer(data, 0, HEAD_BYTES), start=1):
        if k == line:
            return match.end()
    return None


def _found(body: memoryview, pattern: str) -> bool:
    """Whether RE2 ``pattern`` occurs in ``body`` (UTF-8), searched as one string in place."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(np.array([0, len(body)], dtype=np.int64).tobytes())
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(body)])
    return bool(pc.any(pc.match_substring_regex(whole, pattern)).as_py())


def check_patterns(sep: str, quoted: bool) -> tuple[str, str]:
    """RE2 patterns over the records' text (UTF-8) for: a refused character anywhere, and a
    cell that str.strip would change (white space at its start or end, inside its quotes
    if quoted; a line break at the edge of a quoted cell). A match only means "look cell
    by cell"; a cell with such white space always matches, as quoting is plain."""
    without = "\t" if sep == "\t" else ""
    refused = chars.re2_class(chars.FORBIDDEN_CLASS, without)
    space = chars.re2_class(f"[{_STRIPPED.replace(chr(10), '').replace(chr(13), '')}]", without)
    edge = f"[{chars.re2_class(f'[{sep}]')[1:-1]}\\n]"
    quote = '"?' if quoted else ""
    padded = f"(?:^|{edge}){quote}{space}|{space}{quote}(?:$|\\r|{edge})"
    if quoted:
        padded += f'|(?:^|{edge})"[\\r\\n]|[\\r\\n]"(?:$|\\r|{edge})'
    return refused, padded


def cell_checks(body: memoryview, patterns: tuple[str, str]) -> tuple[bool, bool]:
    """(may hold a refused character, may have a cell with surrounding white space) for the
    text of whole records, two passes over it instead of two per column."""
    refused, padded = patterns
    return _found(body, refused), _found(body, padded)


def _too_long(table) -> bool:
    """Whether a cell has more bytes than the careful parser takes characters (its message
    states the limit). Read from the offsets, a block of rows at a time (no copy)."""
    limit = python_csv.field_size_limit()
    for cells in table.columns:
        for block in cells.chunks:
            offsets = np.frombuffer(block.buffers()[1], dtype=np.int64)
            offsets = offsets[block.offset : block.offset + len(block) + 1]
            if len(offsets) > 1 and int(np.diff(offsets).max()) > limit:
                return True
    return False


def _merged_looking(table, sep: str) -> bool:
    """Whether a cell has a line break and a record's worth of separators: the careful
    parser takes it for records merged by a stray quote and reports it (``read._merged``)."""
    import pyarrow.compute as pc

    for cells in table.columns:
        broken = pc.match_substring_regex(cells, "[\\r\\n]")
        separators = pc.count_substring(cells, sep)
        if pc.any(pc.and_(broken, pc.greater_equal(separators, table.num_columns - 1))).as_py():
            return True
    return False


class _Transcoded(io.RawIOBase):
    """``data[start:]`` in GB18030 read as UTF-8, a few MiB at a time, each piece cut after a
    line break (\\n is never part of a multi-byte character). ``failed``: a piece is not
    GB18030 (the careful parser then reports the encoding). ``checks``: the
    ``cell_checks`` of the pieces read (a piece starts at a line's start)."""

    def __init__(self, data: bytes, start: int, patterns: tuple[str, str]):
        super().__init__()
        self._data, self._at, self._piece, self._used = data, start, b"", 0
        self._patterns, self.checks = patterns, (False, False)
        self.failed = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._used == len(self._piece) and not self._next_piece():
            return b""
        size = len(self._piece) - self._used if size is None or size < 0 else size
        out = self._piece[self._used : self._used + size]
        self._used += len(out)
        return out

    def _next_piece(self) -> bool:
        if self._at >= len(self._data) or self.failed:
            return False
        end = len(self._data)
        if self._at + scan.CHUNK < end:
            end = self._data.rfind(b"\n", self._at, self._at + scan.CHUNK) + 1 or end
        try:
            self._piece = self._data[self._at : end].decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            self.failed = True
            return False
        self._at, self._used = end, 0
        if not all(self.checks):
            found = cell_checks(memoryview(self._piece), self._patterns)
            self.checks = (self.checks[0] or found[0], self.checks[1] or found[1])
        return True


def _table(source, width: int, sep: str, quoted: bool, multi_line: bool):
    """The records as ``width`` columns of large strings (None if pyarrow cannot read them)."""
    import pyarrow as pa
    from pyarrow import csv

    names = [str(i) for i in range(width)]
    try:
        return csv.read_csv(
            source,
            read_options=csv.ReadOptions(column_names=names),
            parse_options=csv.ParseOptions(
                delimiter=sep, quote_char='"' if quoted else False, newlines_in_values=multi_line
            ),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # a line of another width, invalid UTF-8, …: the careful parser reports it


def text_frame(
    data: bytes, first: int, width: int, sep: str, encoding: str
) -> tuple[pd.DataFrame, bool, bool] | None:
    """Lines from 0-based ``first`` on as ``width`` text columns (index = editor line on
    which each record starts, blank lines left out as the careful parser's validation
    does), and the ``cell_checks`` of those cells."""
    import pyarrow as pa

    start = _line_start(data, first)
    if start is None or start >= len(data):
        return None
    layout = scan.record_lines(data, start, sep)
    if layout is None or not len(layout[0]):
        return None
    starts, multi_line = layout
    quoted = data.find(b'"', start) >= 0
    patterns = check_patterns(sep, quoted)
    body = memoryview(data)[start:]  # no copy
    utf8 = encoding == "utf-8-sig"
    source = pa.BufferReader(pa.py_buffer(body)) if utf8 else _Transcoded(data, start, patterns)
    table = _table(source, width, sep, quoted, multi_line)
    if table is None or table.num_rows != len(starts) or not utf8 and source.failed:
        return None
    if _too_long(table) or multi_line and _merged_looking(table, sep):
        return None
    checks = cell_checks(body, patterns) if utf8 else source.checks
    frame = table.to_pandas(types_mapper={pa.large_string(): TEXT_DTYPE}.get)  # no copy
    del table
    pa.default_memory_pool().release_unused()  # what parsing used, before validation
    frame.columns = range(width)
    if isinstance(starts, range):
        frame.index = pd.RangeIndex(first + 1, first + 1 + len(starts))
    else:
        lines = starts + (first + 1)
        contiguous = lines[-1] - lines[0] == len(lines) - 1
        frame.index = pd.RangeIndex(lines[0], lines[-1] + 1) if contiguous else pd.Index(lines)
    return (frame, *checks)


def to_float(text: pd.Series, empty: pd.Series) -> pd.Series | None:
    """Numbers of a pyarrow-backed text column in one cast (empty → NaN), or None when the
    column is not columnar or any cell is not a plain number (then pandas parses it)."""
    if text.dtype != TEXT_DTYPE:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(text.array)
    if empty.any():
        cells = pc.if_else(pa.array(empty.to_numpy()), pa.scalar(None, cells.type), cells)
    try:
        numbers = pc.cast(cells, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(numbers.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def to_date(text: pd.Series, empty: pd.Series) -> pd.Series | None:
    """YYYY-MM-DD dates of a pyarrow-backed text column (NaT where a cell is empty or in
    another form), or None when the column is not columnar. A parsed date counts only if
    it prints back as the cell (pyarrow alone would take 2020-02-30 as 2020-03-01)."""
    if text.dtype != TEXT_DTYPE:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(text.array)
    parsed = pc.strptime(cells, format="%Y-%m-%d", unit="s", error_is_null=True)
    same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), cells)
    kept = pc.if_else(pc.and_(same, pa.array(~empty.to_numpy())), parsed, None)
    values = kept.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    return pd.Series(values, index=text.index, dtype="datetime64[ns]")


def all_distinct(cells: pd.Series) -> bool:
    """Whether no value repeats: one pass in pyarrow for columnar text (pandas' duplicated
    would build Python objects for two million ids), pandas' check otherwise."""
    if cells.dtype != TEXT_DTYPE:
        return bool(cells.is_unique)
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.count_distinct(pa.array(cells.array), mode="all").as_py() == len(cells)
