"""Chinese punctuation in prose written by people (the gaps and next steps of a district's
configuration): half-width ``, ; : ? ! ( )`` next to Chinese text become the full-width marks
a 公文 uses. Numbers keep theirs: ``1,000``, ``[8.5, 9.5)`` and ``3:1`` are left alone.
"""

from __future__ import annotations

import re

_HAN = r"\u3400-\u9fff\uf900-\ufaff"
# a Chinese character, or a Chinese closing/opening mark, on one side of the half-width mark
_CJK = rf"[{_HAN}\u3000-\u303f\uff01-\uff5e“”‘’]"
_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_MARK_NEAR_CJK = re.compile(rf"(?<={_CJK})\s*([,;:?!])\s*|\s*([,;:?!])\s*(?={_CJK})")
_PARENS_AROUND_CJK = re.compile(rf"\(([^()]*{_CJK}[^()]*)\)")


def chinese_punctuation(text: str) -> str:
    """``text`` with Chinese punctuation next to Chinese characters.

    >>> chinese_punctuation("全面总结提炼,对存在的问题;及时查漏补缺(含“回头看”)")
    '全面总结提炼，对存在的问题；及时查漏补缺（含“回头看”）'
    >>> chinese_punctuation("范围[8.5, 9.5)内，共1,000家，比例3:1")
    '范围[8.5, 9.5)内，共1,000家，比例3:1'
    """
    if not isinstance(text, str) or not text:
        return text
    out = _MARK_NEAR_CJK.sub(lambda m: _MARKS[m[1] or m[2]], text)
    return _PARENS_AROUND_CJK.sub(r"（\1）", out)
