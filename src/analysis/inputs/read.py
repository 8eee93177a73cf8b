"""Bytes → text cells: decoding, CSV records with their editor line numbers (workbooks:
``inputs.workbook`` and ``inputs.sheets``).

Every record read from a CSV carries the line on which it starts as a text editor shows it
(1-based, counting title and header lines; a record with a line break inside a quoted cell
spans several lines). The structure is checked so that no record is lost or merged: a stray
quote that swallows the following lines, a row with too many or too few fields, or quoting
the parser cannot follow, is reported with its line numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import Problem
from analysis.inputs import chars, columnar
from analysis.inputs.headers import HEADER_SCAN_ROWS, combine_headers, detect_header, norm_header

NO_HEADER = (
    "在文件的前 {rows} 行中没有找到表头：没有一个单元格是数据约定中的列名"
    "（见 docs/数据字典.md）。请确认表头行在数据之上，且前面的说明不超过 {rows} 行"
)
ENCODING_REASON = "文件编码无法识别：请另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV 文件"
QUOTE_HINT = '单元格中的引号应写成两个引号（""），或把整个单元格用引号括起来'
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Raw:
    """A file read as text cells: header cells as written, data rows, their row numbers."""

    headers: list[str]
    data: pd.DataFrame  # columns are positions 0..n-1, cells are str ("" = empty)
    header_rows: tuple[int, ...]
    encoding: str | None
    malformed: dict[int, str] = field(default_factory=dict)  # row → why (not in ``data``)
    may_hold_forbidden: bool = True  # False: the whole file has no refused character
    faults: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → why
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells shown as 90%
    sheets: tuple[str, ...] = ()  # workbook sheets (see inputs.sheets.sheet_and_row)
    trimmed: bool = False  # True: no cell has white space around it (no strip needed)


@dataclass
class _Records:
    rows: list[list[str]]
    ends: list[int]  # editor line on which each record ends

    @property
    def starts(self) -> np.ndarray:
        """Editor line on which each record starts (the line after the previous one ends)."""
        return np.concatenate(([1], np.asarray(self.ends[:-1], dtype=np.int64) + 1))


# --------------------------------------------------------------------------- decoding


def _utf16_or_32(head: bytes) -> bool:
    """Text in UTF-16/32 (with or without BOM): NUL bytes in the pattern of wide characters.

    A stray NUL in UTF-8 text is not this: it is decoded and refused in its cell."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00\x00" in head:
        return True
    positions = np.flatnonzero(np.frombuffer(head, dtype=np.uint8) == 0)
    if len(positions) < 4:
        return False
    odd = int((positions % 2).sum())
    return max(odd, len(positions) - odd) >= 0.9 * len(positions)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with its BOM (Excel's “Unicode
    text”, tab-separated), else GB18030/GBK; (None, None) if none of them."""
    if data[:2] in _UTF16_BOMS and data[:4] not in _UTF32_BOMS:
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, None
    if _utf16_or_32(data[:4096]):
        return None, None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return None, None


def _mixed_lines(data: bytes) -> list[int]:
    """Editor lines that are not UTF-8 in a file that is otherwise UTF-8 with Chinese text
    (one description pasted from a GBK file), or [] when the file is simply not UTF-8."""
    bad, good = [], 0
    for number, line in enumerate(re.split(rb"\r\n|\r|\n", data), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad.append(number)
    return bad if good > len(bad) else []


def decode_located(data: bytes, name: str) -> tuple[str | None, str | None, Problem | None]:
    """``decode``, refusing a UTF-8 file with lines in another encoding, by line."""
    text, encoding = decode(data)
    if encoding in ("utf-8-sig", "utf-16"):
        return text, encoding, None
    mixed = [] if _utf16_or_32(data[:4096]) else _mixed_lines(data)
    if mixed:
        shown = "、".join(map(str, mixed[:10])) + ("等" if len(mixed) > 10 else "")
        why = (
            f"文件是 UTF-8 编码，但第 {shown} 行不是（可能是从 GBK 文件粘贴的内容）："
            "请在编辑器中重新输入这些行，或整个文件另存为“CSV UTF-8（逗号分隔）”"
        )
        return None, None, Problem(name, mixed[0], None, None, why)
    if text is None:
        return None, None, Problem(name, None, None, None, ENCODING_REASON)
    return text, encoding, None


# --------------------------------------------------------------------------- CSV


def _records(
    text: str, name: str, sep: str = ",", limit: int | None = None
) -> tuple[_Records | None, Problem | None]:
    """Parse CSV text into records (the first ``limit`` only, if given), each with the
    editor line on which it ends."""
    # newline="" keeps line breaks inside quoted cells and counts \r, \n and \r\n as one each
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=sep)
    rows: list[list[str]] = []
    ends: list[int] = []
    try:
        for record in reader:
            rows.append(record)
            ends.append(reader.line_num)
            if len(rows) == limit:
                break
    except csv.Error as exc:
        start, line = (ends[-1] if ends else 0) + 1, reader.line_num
        if "field larger than field limit" in str(exc):
            why = (
                f"第 {start} 行起有一个单元格超过 {csv.field_size_limit():,} 个字符，超出读取上限"
                "（Excel 单元格最多 32,767 个字符）：请缩短该单元格，或检查是否有引号没有配对"
            )
        elif "unexpected end of data" in str(exc):
            why = (
                f'引号（"）没有配对：从第 {start} 行到文件末尾（第 {line} 行）'
                f"都被读成了同一个单元格。{QUOTE_HINT}"
            )
        else:
            merged = f"，第 {start}–{line} 行被读成了一条记录" if line > start else ""
            why = f'引号（"）没有配对或用法不正确{merged}。{QUOTE_HINT}'
        return None, Problem(name, start, None, None, why)
    return _Records(rows, ends), None


def _merged(cells: list[str], start: int, end: int, headers: list[str], name: str, sep=","):
    """A problem if a record spanning lines ``start``–``end`` is really several records
    merged by stray quotes, else None (a legitimate line break inside a quoted cell).

    Merged when the field count does not fit the header, or when the multi-line cell holds
    at least a record's worth of field separators: a quote opened in field j of one line and
    closed in a later line swallows the rest of the first line (width-1-j commas), the start
    of the last (j commas) and every line between (width-1 each)."""
    width = max(len(headers), 2)
    wrong_count = _field_count_problem(cells, headers) is not None
    for position, cell in enumerate(cells):
        if _LINE_BREAK.search(cell) and (wrong_count or cell.count(sep) >= width - 1):
            column = headers[position] if position < len(headers) else None
            why = (
                f'第 {start}–{end} 行被读成了一条记录：该单元格中的引号（"）没有配对，'
                f"其后的 {end - start} 行被并入了这个单元格。{QUOTE_HINT}"
            )
            return Problem(name, start, column, None, why)
    return None


def _field_count_problem(row: list[str], headers: list[str]) -> str | None:
    """Why a row's number of fields does not fit the header (None if it fits: blank rows and
    empty fields missing or added at the end, like Excel's empty columns, fit)."""
    width = len(headers)
    named = max((i + 1 for i, h in enumerate(headers) if h), default=width)
    if len(row) < named and any(c.strip() for c in row):
        return f"该行只有 {len(row)} 个字段，表头有 {named} 列（可能少了逗号或多了换行）"
    if len(row) > width and any(c.strip() for c in row[width:]):
        return (
            f"该行有 {len(row)} 个字段，多于表头的 {width} 列"
            "（可能多了逗号，或含逗号的单元格没有用引号括起来）"
        )
    return None


def _data_rows(
    records: _Records, first: int, headers: list[str], name: str, sep: str = ","
) -> tuple[pd.DataFrame, dict[int, str], list[Problem]]:
    """Records from index ``first`` as a frame of the header's width indexed by start line,
    rows whose field count does not fit {line: why}, and merged-record problems."""
    width = len(headers)
    rows, starts, ends = records.rows[first:], records.starts[first:], records.ends[first:]
    multi_line = np.flatnonzero(np.asarray(ends, dtype=np.int64) > starts)
    problems = []
    for k in multi_line.tolist():
        problem = _merged(rows[k], int(starts[k]), ends[k], headers, name, sep)
        if problem is not None:
            problems.append(problem)
    malformed: dict[int, str] = {}
    uneven = [k for k, row in enumerate(rows) if len(row) != width]
    if uneven:
        rows = list(rows)
        for k in uneven:
            why = _field_count_problem(rows[k], headers)
            if why is None:
                rows[k] = (rows[k] + [""] * width)[:width]
            else:
                malformed[int(starts[k])] = why
                rows[k] = None
        keep = [k for k, row in enumerate(rows) if row is not None]
        rows, starts = [rows[k] for k in keep], starts[keep]
    contiguous = len(starts) and starts[-1] - starts[0] == len(starts) - 1
    index = pd.RangeIndex(starts[0], starts[-1] + 1) if contiguous else pd.Index(starts)
    frame = pd.DataFrame(rows, index=index, dtype=object)
    return frame.reindex(columns=range(width), fill_value=""), malformed, problems


def _simple_frame(lines: list[str], first: int, width: int, sep=",") -> pd.DataFrame | None:
    """Fast path for the common file without any quote character: every line is one record,
    so pandas' C parser reads it and line numbers are positions. None unless every line has
    exactly the header's number of fields, counted here because pandas silently shifts or
    truncates some uneven rows (the full parser then reports what is wrong)."""
    if len(lines) <= first:
        return None  # header only: the full parser builds the empty frame
    body = "\n".join(lines[first:])
    encoded = np.frombuffer(body.encode("utf-8"), dtype=np.uint8)  # sep and "\n" are 1 byte
    line_of_comma = np.searchsorted(
        np.flatnonzero(encoded == 10), np.flatnonzero(encoded == ord(sep))
    )
    fields = np.bincount(line_of_comma, minlength=len(lines) - first) + 1
    if not (fields == width).all():
        return None
    frame = pd.read_csv(
        io.StringIO(body),
        header=None,
        names=list(range(width)),
        index_col=False,
        dtype=str,
        quoting=csv.QUOTE_NONE,
        sep=sep,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
    )
    if len(frame) != len(lines) - first:  # never expected; the full parser is the reference
        return None
    frame.index = pd.RangeIndex(first + 1, first + 1 + len(frame))
    return frame


def _separator(text: str, lookup: dict[str, str]) -> str:
    """Comma, or tab for a tab-separated text export: the one whose split of the first
    lines matches more known headers (a tie is a comma)."""
    if "\t" not in text:
        return ","
    lines = text.splitlines()[: HEADER_SCAN_ROWS + 1]

    def score(sep: str) -> int:
        return max(sum(norm_header(c) in lookup for c in line.split(sep)) for line in lines)

    return "\t" if score("\t") > score(",") else ","


def _read_columnar(data: bytes, name: str, lookup: dict[str, str]) -> Raw | None:
    """The common large file through the columnar route (inputs.columnar), else None."""
    found = None if _utf16_or_32(data[:4096]) else columnar.head_text(data)
    if found is None:
        return None
    head, encoding = found
    sep = _separator(head, lookup)
    records, _ = _records(head, name, sep, limit=HEADER_SCAN_ROWS + 2)
    whole = len(data) <= columnar.HEAD_BYTES  # the head is the whole file
    if records is None or (len(records.rows) < HEADER_SCAN_ROWS + 2 and not whole):
        return None  # fewer records than the careful parser looks at for the header
    sample = records.rows[: HEADER_SCAN_ROWS + 1]
    if not any(norm_header(c) in lookup for row in sample for c in row):
        return None
    h, two_rows = detect_header(sample, lookup)
    headers = combine_headers(sample, h, two_rows, lookup)
    first = h + (2 if two_rows else 1)
    if len(headers) < 2 or first >= len(records.rows):
        return None
    read = columnar.text_frame(data, records.ends[first - 1], len(headers), sep, encoding)
    if read is None:
        return None
    frame, refused, padded = read
    starts = records.starts
    header_rows = (int(starts[h]), int(starts[h + 1])) if two_rows else (int(starts[h]),)
    return Raw(headers, frame, header_rows, encoding, {}, refused, trimmed=not padded)


def read_csv(data: bytes, name: str, lookup: dict[str, str]) -> tuple[Raw | None, list[Problem]]:
    raw = _read_columnar(data, name, lookup)
    if raw is not None:
        return raw, []
    text, encoding, problem = decode_located(data, name)
    if text is None:
        return None, [problem]
    sep = _separator(text[:65536], lookup)
    clean = chars.FORBIDDEN.search(text.replace(sep, "") if sep == "\t" else text) is None
    # without quotes (and without the exotic line breaks refused above) a line is a record
    lines = text.splitlines() if clean and '"' not in text else None
    head = text if lines is None else "\n".join(lines[: HEADER_SCAN_ROWS + 1])
    records, problem = _records(head, name, sep)
    if records is None:
        return None, [problem]
    sample = records.rows[: HEADER_SCAN_ROWS + 1]
    if not any(any(c.strip() for c in row) for row in sample):
        return None, [Problem(name, None, None, None, "文件没有表头（只有空行）")]
    h, two_rows = detect_header(sample, lookup)
    headers = combine_headers(sample, h, two_rows, lookup)
    starts = records.starts
    if len(headers) == 1 and any(sep in headers[0] for sep in ("\t", ";", "；")):
        why = "分隔符不是逗号：请另存为“CSV UTF-8（逗号分隔）”"
        return None, [Problem(name, int(starts[h]), headers[0], None, why)]
    if not any(norm_header(c) in lookup for row in sample for c in row):
        return None, [Problem(name, None, None, None, NO_HEADER.format(rows=len(sample)))]
    first = h + (2 if two_rows else 1)
    header_rows = (int(starts[h]), int(starts[h + 1])) if two_rows else (int(starts[h]),)
    frame = None if lines is None else _simple_frame(lines, first, len(headers), sep)
    if frame is not None:
        return Raw(headers, frame, header_rows, encoding, {}, not clean), []
    if lines is not None:
        records, _ = _records(text, name, sep)  # no quotes: the full parse cannot fail
    frame, malformed, problems = _data_rows(records, first, headers, name, sep)
    if problems:
        return None, problems
    return Raw(headers, frame, header_rows, encoding, malformed, not clean), []
