"""Characters refused in any header or cell, and how messages show them.

Control characters (C0 except line breaks, DEL, C1) and invisible format characters
(zero-width spaces and joiners, a BOM inside the data, bidirectional controls that can
visually reverse digits) change what a figure means without showing on screen, so the
loader refuses them instead of stripping them.
"""

from __future__ import annotations

import re

import pandas as pd

# Line breaks (\n, \r) are allowed: they end records, or are legitimate inside a quoted cell.
FORBIDDEN_CLASS = (
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb]"
)
FORBIDDEN = re.compile(FORBIDDEN_CLASS)


def visible(text: str) -> str:
    r"""``text`` with every refused character written out: NUL as ``\x00``, others as ``U+200B``.

    >>> visible("114\x0024")
    '114\\x0024'
    >>> visible("邹区\u200b镇")
    '邹区U+200B镇'
    """
    return FORBIDDEN.sub(_code, text)


def codes(text: str) -> str:
    r"""The refused characters of ``text``, each once, written out and separated by "、".

    >>> codes("a\u202eb\u202ec\x00")
    '\\x00、U+202E'
    """
    found = sorted(set(FORBIDDEN.findall(text)))
    return "、".join(_code_of(ch) for ch in found)


def has_forbidden(cells: pd.Series) -> pd.Series:
    """Vectorised: True where a text cell contains a refused character."""
    return cells.str.contains(FORBIDDEN_CLASS, regex=True, na=False)


def reason(text: str) -> str:
    """The Chinese reason for a cell or header that holds refused characters."""
    return f"含有控制字符或不可见字符 {codes(text)}，请删除这些字符后重新保存"


def _code(match: re.Match[str]) -> str:
    return _code_of(match.group(0))


def _code_of(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"U+{ord(ch):04X}"
