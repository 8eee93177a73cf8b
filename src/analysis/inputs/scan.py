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


def _quotes_ok(arr: np.ndarray, at: np.ndarray, carry: int, sep: int) -> bool:
    """Whether every quote at positions ``at`` stands where RFC 4180 puts one: a quote with
    an even number of quotes before it (``carry``: the parity before ``at[0]``) opens a
    cell, after a separator or a line break, or is the second of a doubled pair; one with
    an odd number closes a cell, before a separator or a line break, or is the first of a
    pair."""
    closing = ((np.arange(len(at)) + carry) & 1).astype(bool)
    prev = arr[np.maximum(at - 1, 0)]
    nxt = arr[np.minimum(at + 1, len(arr) - 1)]
    opens = (at == 0) | (prev == sep) | (prev == LF) | (prev == QUOTE)
    closes = (at == len(arr) - 1) | (nxt == sep) | (nxt == LF) | (nxt == CR) | (nxt == QUOTE)
    return bool(np.where(closing, closes, opens).all())


def _empty_line_ends(arr: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether the line each \\n at ``ends`` closes is empty (or only the \\r of \\r\\n)."""
    one, two = arr[np.maximum(ends - 1, 0)], arr[np.maximum(ends - 2, 0)]
    after_break = (ends >= 1) & (one == LF)
    carriage = (ends >= 1) & (one == CR) & ((ends == 1) | (two == LF))
    return (ends == 0) | after_break | carriage


def _lines(arr: np.ndarray, sep: int) -> tuple[np.ndarray, np.ndarray, int] | None:
    """(index of each \\n inside a quoted cell, index of each \\n that ends a blank line, how
    many \\n there are), indexes counted among all the \\n of ``arr``; None for a lone \\r
    or quoting that is not plain. One pass, a piece at a time."""
    inside, blank, count, carry = [], [], 0, 0
    for s in range(0, len(arr), CHUNK):
        part = arr[s : s + CHUNK]
        returns = np.flatnonzero(part == CR) + s
        if len(returns) and (returns[-1] + 1 >= len(arr) or (arr[returns + 1] != LF).any()):
            return None
        breaks = np.flatnonzero(part == LF) + s
        quotes = np.flatnonzero(part == QUOTE) + s
        if len(quotes) and not _quotes_ok(arr, quotes, carry, sep):
            return None
        quoted = ((np.searchsorted(quotes, breaks) + carry) & 1).astype(bool)
        carry = (carry + len(quotes)) & 1
        inside.append(np.flatnonzero(quoted) + count)
        blank.append(np.flatnonzero(~quoted & _empty_line_ends(arr, breaks)) + count)
        count += len(breaks)
    if carry:
        return None  # a quote never closed
    return np.concatenate(inside), np.concatenate(blank), count


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
    found = _lines(arr, ord(sep)) if len(arr) else None
    if found is None:
        return None
    inside, blank, count = found
    lines = count + int(arr[-1] != LF)
    if not len(inside) and not len(blank):
        return range(lines), False  # one record a line, the common file
    starts = np.ones(lines, dtype=bool)
    starts[inside + 1] = False  # a line after a break inside quotes continues its record
    starts[blank] = False
    return np.flatnonzero(starts), bool(len(inside))


# --------------------------------------------------------------------------- encodings

_UTF8_BALANCE = np.zeros(256, dtype=np.int8)
_UTF8_BALANCE[0x80:0xC0] = -1  # a continuation byte
_UTF8_BALANCE[0xC2:0xE0] = 1  # the first byte of a character of 2 bytes, 3, 4
_UTF8_BALANCE[0xE0:0xF0] = 2
_UTF8_BALANCE[0xF0:0xF5] = 3
_UTF8_BALANCE[[0xC0, 0xC1, *range(0xF5, 0x100)]] = 64  # never in UTF-8


def utf8_like_lines(data: bytes) -> tuple[int, int]:
    """(lines that hold a byte over 0x7F and may be UTF-8, lines that hold such a byte), lines
    ended by \\n. "May be": as many continuation bytes as the first bytes of characters
    announce and no byte that UTF-8 never uses, which every UTF-8 line satisfies (an upper
    bound for ``read._mixed_lines``' count of UTF-8 lines) and GBK text almost never does.
    (Sums that wrap around or cancel out only ever count a line more as "may be".)"""
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
        high = np.maximum.reduceat(part, starts) >= 0x80
        balance = np.add.reduceat(np.take(_UTF8_BALANCE, part), starts, dtype=np.int32)
        non_ascii += int(high.sum())
        maybe += int((high & (balance == 0)).sum())
        s = cut
    return maybe, non_ascii
