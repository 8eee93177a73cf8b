"""Byte-level scans of a whole CSV file with numpy, a few MiB at a time (two million rows
need no Python object per line): where each record starts by editor line, whether the
quoting is the plain kind (RFC 4180) that pyarrow and Python's csv module read alike, and
whether a file that is not UTF-8 could be UTF-8 with a few lines in another encoding.

Structure is read from the bytes \\n, \\r, '"' and the separator only. None of them is ever
part of a multi-byte character in UTF-8 or GB18030, so the scans hold for both.
"""

from __future__ import annotations

import numpy as np

CHUNK = 1 << 21
QUOTE, LF, CR = 34, 10, 13


def _quotes_ok(arr: np.ndarray, s: int, quote: np.ndarray, before: np.ndarray, sep: int) -> bool:
    """Whether every quote in ``arr[s:s+len(quote)]`` stands where RFC 4180 puts one: a quote
    with an even number of quotes before it opens a cell (after a separator or a line break)
    or is the second of a doubled pair; one with an odd number closes a cell (before a
    separator or a line break) or is the first of a pair. ``before`` is that number mod 2."""
    at = np.flatnonzero(quote)
    odd = before[at].astype(bool)
    where = at + s
    prev = arr[np.maximum(where - 1, 0)]
    prev[where == 0] = LF
    nxt = arr[np.minimum(where + 1, len(arr) - 1)]
    nxt[where == len(arr) - 1] = LF
    opens = np.isin(prev, (sep, LF, QUOTE))
    closes = np.isin(nxt, (sep, LF, CR, QUOTE))
    return bool((odd | opens).all() and (~odd | closes).all())


def _breaks_in_quotes(arr: np.ndarray, sep: int) -> tuple[np.ndarray, int] | None:
    """(index of each \\n that stands inside a quoted cell, among all the \\n of ``arr``; how
    many \\n there are), or None if the quoting is not plain."""
    inside, count, carry = [], 0, 0
    for s in range(0, len(arr), CHUNK):
        part = arr[s : s + CHUNK]
        quote = part == QUOTE
        breaks = np.flatnonzero(part == LF)
        if quote.any():
            seen = np.cumsum(quote, dtype=np.uint8) + np.uint8(carry)  # mod 256: parity kept
            if not _quotes_ok(arr, s, quote, (seen - quote) & 1, sep):
                return None
            inside.append(np.flatnonzero(seen[breaks] & 1) + count)
            carry = int(seen[-1] & 1)
        elif carry:  # the whole piece is inside one quoted cell
            inside.append(np.arange(len(breaks)) + count)
        count += len(breaks)
    if carry:
        return None  # a quote never closed
    return np.concatenate(inside) if inside else np.zeros(0, dtype=np.int64), count


def _blank_lines(arr: np.ndarray, lines: int) -> np.ndarray:
    """Whether each line is empty (or only the \\r of \\r\\n)."""
    breaks = np.concatenate(
        [np.flatnonzero(arr[s : s + CHUNK] == LF) + s for s in range(0, len(arr), CHUNK)]
    )
    first = np.concatenate(([0], breaks + 1))[:lines]
    end = np.append(breaks, len(arr))[:lines]
    size = end - first
    return (size == 0) | ((size == 1) & (arr[np.minimum(first, len(arr) - 1)] == CR))


def _breaks_ok(arr: np.ndarray) -> bool:
    """Whether every \\r is followed by \\n (a lone \\r is a line break to the careful parser
    and to some editors only)."""
    for s in range(0, len(arr), CHUNK):
        at = np.flatnonzero(arr[s : s + CHUNK] == CR) + s
        if len(at) and (at[-1] + 1 >= len(arr) or (arr[at + 1] != LF).any()):
            return False
    return True


def _has_blank_line(data: bytes, start: int) -> bool:
    return (
        data.startswith((b"\n", b"\r\n"), start)
        or data.find(b"\n\n", start) >= 0
        or data.find(b"\n\r\n", start) >= 0
    )


def record_lines(data: bytes, start: int, sep: str) -> tuple[np.ndarray | range, bool] | None:
    """For the records of ``data[start:]``: the 0-based line (counted from ``start``) on which
    each one that is not blank starts, and whether any spans several lines. None when the
    two parsers may read the bytes differently: a lone \\r, or quotes not in plain form (a
    stray quote, text after a closing quote, a quote never closed): the careful parser then
    reports them by line.

    >>> record_lines(b'a,b\\n"x\\ny",z\\n\\n1,2\\n', 0, ",")
    (array([0, 1, 4]), True)
    >>> record_lines(b'a,b\\r\\n1,2', 0, ",")
    (range(0, 2), False)
    """
    arr = np.frombuffer(data, dtype=np.uint8)[start:]  # no copy
    if not len(arr) or not _breaks_ok(arr):
        return None
    if data.find(b'"', start) >= 0:
        found = _breaks_in_quotes(arr, ord(sep))
        if found is None:
            return None
        inside, count = found
    else:
        inside, count = np.zeros(0, dtype=np.int64), data.count(b"\n", start)
    lines, blanks = count + int(arr[-1] != LF), _has_blank_line(data, start)
    if not blanks and not len(inside):
        return range(lines), False  # one record a line, the common file
    starts = np.ones(lines, dtype=bool)
    starts[inside + 1] = False  # a line after a break inside quotes continues its record
    if blanks:
        whole = starts.copy()
        whole[inside] = False  # a line that ends inside quotes is not a whole record
        starts &= ~(whole & _blank_lines(arr, lines))
    return np.flatnonzero(starts), bool(len(inside))


# --------------------------------------------------------------------------- encodings

_UTF8_BALANCE = np.zeros(256, dtype=np.int32)
_UTF8_BALANCE[0x80:0xC0] = -1  # a continuation byte
_UTF8_BALANCE[0xC2:0xE0] = 1  # the first byte of a character of 2 bytes, 3, 4
_UTF8_BALANCE[0xE0:0xF0] = 2
_UTF8_BALANCE[0xF0:0xF5] = 3
_UTF8_BALANCE[[0xC0, 0xC1, *range(0xF5, 0x100)]] = 1 << 24  # never in UTF-8


def utf8_like_lines(data: bytes) -> tuple[int, int]:
    """(lines that hold a byte over 0x7F and may be UTF-8, lines that hold such a byte), lines
    ended by \\n. "May be": as many continuation bytes as the first bytes of characters
    announce and no byte that UTF-8 never uses, which every UTF-8 line satisfies (an upper
    bound for ``read._mixed_lines``' count of UTF-8 lines) and GBK text almost never does."""
    arr = np.frombuffer(data, dtype=np.uint8)
    maybe = non_ascii = 0
    s = 0
    while s < len(arr):
        cut = len(arr)
        if s + CHUNK < len(arr):  # whole lines: up to the last line break within the chunk
            cut = data.rfind(b"\n", s, s + CHUNK) + 1 or data.find(b"\n", s + CHUNK) + 1 or cut
        part = arr[s:cut]
        starts = np.concatenate(([0], np.flatnonzero(part == LF) + 1))
        starts = starts[starts < len(part)]
        high = np.add.reduceat(part >= 0x80, starts, dtype=np.int64) > 0
        balance = np.add.reduceat(_UTF8_BALANCE[part], starts, dtype=np.int64)
        non_ascii += int(high.sum())
        maybe += int((high & (balance == 0)).sum())
        s = cut
    return maybe, non_ascii
