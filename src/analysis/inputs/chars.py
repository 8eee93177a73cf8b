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
    "\ufeff\ufff9-\ufffb"
    # fillers that render blank (Hangul fillers) and variation selectors (U+FE0F after a digit
    # makes it an emoji key cap, invisible to a filter on the digit)
    "\u115f\u1160\u3164\uffa0\ufe00-\ufe0f"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
# how a message names a character beside its code (anything else: its code alone)
NAMES = {
    "\x00": "空字符 NUL",
    "\x09": "制表符 Tab",
    "\x1a": "Ctrl-Z 文件结束符",
    "\x7f": "删除符 DEL",
    "\u00ad": "软连字符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u202e": "从右到左覆盖，会使数字倒序显示",
    "\u2060": "零宽不换行",
    "\u3164": "韩文填充符，显示为空白",
    "\uffa0": "半角韩文填充符，显示为空白",
    "\ufe0f": "变体选择符，emoji 样式",
    "\ufeff": "BOM 字节顺序标记",
}
FORBIDDEN = re.compile(FORBIDDEN_CLASS)
# Unicode white space that str.strip removes, less the line breaks that end records
SPACE_CLASS = "[ \t\x0b\x0c\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


def re2_class(char_class: str, without: str = "") -> str:
    r"""A class of this module in RE2 syntax (pyarrow's regex engine), less ``without``.

    >>> re2_class("[\x00-\x09\u200b]", without="\t")
    '[\\x{0}-\\x{8}\\x{200b}]'
    """
    out = "".join(c if c in "[]-" else f"\\x{{{ord(c):x}}}" for c in char_class)
    for ch in without:  # only a range end or a single member is ever removed
        code = f"\\x{{{ord(ch):x}}}"
        out = out.replace(f"-{code}", f"-\\x{{{ord(ch) - 1:x}}}").replace(code, "")
    return out


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

    >>> codes("a\u3164b\x1a")
    '\\x1a（Ctrl-Z 文件结束符）、U+3164（韩文填充符，显示为空白）'
    """
    found = sorted(set(FORBIDDEN.findall(text)))
    return "、".join(_named(ch) for ch in found)


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


def _named(ch: str) -> str:
    name = NAMES.get(ch)
    return f"{_code_of(ch)}（{name}）" if name else _code_of(ch)
