"""Large text files read columnar: pyarrow's CSV reader straight from the bytes, cells kept
as pyarrow-backed strings (about the size of the file, instead of one Python object per
cell), so two million rows load within 1 GiB.

Only the common, unambiguous file takes this route: UTF-8, no quote character anywhere,
every line one record with exactly the header's number of fields, line breaks \\n or \\r\\n.
Anything else (a quote, a blank or short line, GBK, a lone \\r) returns None and the full
parser reads the file and reports, by editor line, what is wrong. Because every line is one
record, row k of the result is editor line ``first_line + k``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.inputs import chars

TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
HEAD_BYTES = 1 << 16
_BREAK = re.compile(rb"\r\n|\r|\n")


def head_text(data: bytes) -> str | None:
    """The first complete lines of a UTF-8 file without quotes, or None if this route
    does not apply (the full parser then decodes the file)."""
    if b'"' in data:
        return None
    head = data[:HEAD_BYTES]
    if len(data) > HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1]
    try:
        return head.decode("utf-8-sig")
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


def _line_count(data: bytes, start: int) -> int | None:
    """Lines from byte ``start`` on when the breaks are \\n or \\r\\n only (else None)."""
    if data.count(b"\r", start) != data.count(b"\r\n", start):
        return None
    return data.count(b"\n", start) + (0 if data.endswith(b"\n") else 1)


def _found(body: memoryview, pattern: str) -> bool:
    """Whether RE2 ``pattern`` occurs in ``body`` (UTF-8), searched as one string in place."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(np.array([0, len(body)], dtype=np.int64).tobytes())
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(body)])
    return bool(pc.any(pc.match_substring_regex(whole, pattern)).as_py())


def cell_checks(body: memoryview, sep: str) -> tuple[bool, bool]:
    """(may hold a refused character, may have a cell with surrounding white space), for
    the whole body in two passes instead of a pass per column."""
    without = "\t" if sep == "\t" else ""
    refused = _found(body, chars.re2_class(chars.FORBIDDEN_CLASS, without))
    space = chars.re2_class(chars.SPACE_CLASS, without)
    edge = f"[{chars.re2_class(f'[{sep}]')[1:-1]}\\n]"
    padded = _found(body, f"(?:^|{edge}){space}|{space}(?:$|\\r|{edge})")
    return refused, padded


def text_frame(
    data: bytes, first: int, width: int, sep: str
) -> tuple[pd.DataFrame, bool, bool] | None:
    """Lines from 0-based ``first`` on as ``width`` text columns (index = editor line), and
    the ``cell_checks`` of those lines."""
    import pyarrow as pa
    from pyarrow import csv

    start = _line_start(data, first)
    if start is None or start >= len(data):
        return None
    body = memoryview(data)[start:]  # no copy
    expected = _line_count(data, start)
    if expected is None:
        return None
    names = [str(i) for i in range(width)]
    try:
        table = csv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=csv.ReadOptions(column_names=names),
            parse_options=csv.ParseOptions(delimiter=sep, quote_char=False),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # a line of another width, invalid UTF-8, …: the full parser reports it
    if table.num_rows != expected:
        return None
    frame = table.to_pandas(types_mapper={pa.large_string(): TEXT_DTYPE}.get)  # no copy
    frame.columns = range(width)
    frame.index = pd.RangeIndex(first + 1, first + 1 + len(frame))
    return (frame, *cell_checks(body, sep))


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
