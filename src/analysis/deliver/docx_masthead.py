"""The 版头 and 版记 of briefing.docx, laid out as a 简报 (GB/T 9704 and bureau practice).

版头: the optional 内部资料 mark at the top left, the 简报 name in red 小标宋 as large as
fits one line, the 期号 centred, then 编印单位 on the left and 印发日期 on the right above a
red rule. 版记 (always, at the end): the 报/送/发 lines when the district configures them,
and 编印单位 with "…印发" on one line, between black rules.

The facts come from the rendered briefing's ``<header>`` (the run's HTML), never from a
second computation; 印发日期 is given by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Emu, Pt

from analysis.deliver.document import BriefingDocument, Paragraph
from analysis.deliver.docx_style import (
    BODY_FONT,
    H1_FONT,
    H2_FONT,
    RED,
    TITLE_FONT,
    border,
    display_width,
    set_fonts,
)

MARK_CLASSES = {"secrecy", "internal-mark"}
DISTRIBUTION_LABEL = re.compile(r"^(报|送|发|抄送|抄报)[：:]")
LINE = Pt(22)  # the 版头's and 版记's lines
NAME_SIZES = (Pt(42), Pt(36), Pt(26), Pt(22))  # 初号, 小初, 一号, 二号
VERSION_SIZE = Pt(12)  # 小四, the 版记's lines
BODY_SIZE = Pt(14)  # 四号, the 版头's lines (期号, 编印单位, 印发日期)


@dataclass(frozen=True)
class Masthead:
    name: str  # 简报名称
    issue: str  # 期号, e.g. 2020年第10期
    issuer: str  # 编印单位
    issued: str  # 印发日期, e.g. 2020年11月5日
    period: str = ""  # 统计期间, e.g. 截至2020年10月底
    mark: str = ""  # 内部资料 注意保存 (optional)


def chinese_date(day: date) -> str:
    """The date as a 公文 writes it.

    >>> chinese_date(date(2020, 11, 5))
    '2020年11月5日'
    """
    return f"{day.year}年{day.month}月{day.day}日"


HEADER_SECTIONS = ("masthead", "header")  # <header class="masthead">; before it, <header>
IMPRINT_SECTIONS = ("imprint", "distribution")  # <footer class="imprint">; before it, a section
TITLE_CLASS = "briefing-title"  # <h2> with the issue's own title, under the 版头


def _first(blocks, css_class: str) -> str:
    found = (b for b in blocks if isinstance(b, Paragraph) and css_class in b.classes)
    return next((b.text for b in found), "")


def masthead_of(briefing: BriefingDocument, issued: date) -> Masthead:
    """The 版头 facts of the briefing's ``<header>``: the marked-up 版头 (``masthead-*``
    classes, see templates/fragments/header.html.j2), or else the older issue line (期号,
    编印单位 and period, separated by ideographic spaces). ``issued``: the 印发日期 when the
    HTML names none."""
    header = [b for b in briefing.blocks if b.section in HEADER_SECTIONS]
    fields = briefing.fields
    issue_line = _first(header, "issue-line")
    parts = [p.strip() for p in issue_line.split("\u3000") if p.strip()]
    issue, issuer, period = (parts + ["", "", ""])[:3]
    return Masthead(
        name=briefing.title,
        issue=_first(header, "masthead-issue") or issue,
        issuer=fields.get("masthead-office") or issuer,
        issued=fields.get("masthead-date") or chinese_date(issued),
        period=period,
        mark=_first(header, "masthead-mark") or _first(header, "secrecy"),
    )


def has_imprint(briefing: BriefingDocument) -> bool:
    """The 版记 is drawn when the HTML has one, or when the HTML predates the marked-up
    版头 (it had no 版记 of its own); a district that turns it off has neither."""
    sections = {b.section for b in briefing.blocks}
    return bool(sections & set(IMPRINT_SECTIONS)) or "masthead" not in sections


def body_blocks(briefing: BriefingDocument) -> list:
    """The blocks below the 版头: the header's notices (banners) stay, the rest of the
    header and the 版记 are drawn by this module."""
    out = []
    for block in briefing.blocks:
        if block.section in IMPRINT_SECTIONS or getattr(block, "level", 0) == 1:
            continue
        if block.section in HEADER_SECTIONS and not (
            isinstance(block, Paragraph) and "banner" in block.classes
        ):
            continue
        out.append(block)
    return out


def name_size(name: str, width: int) -> Pt:
    """The largest of 初号 … 二号 at which ``name`` fits the text block on one line."""
    room = Emu(width).pt * 0.96
    return next((s for s in NAME_SIZES if display_width(name) * s.pt <= room), NAME_SIZES[-1])


def _run(paragraph, text: str, face: str, size, color=None, bold: bool = False):
    run = paragraph.add_run(text)
    set_fonts(run._r, face)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _plain(doc, align=WD_ALIGN_PARAGRAPH.CENTER, line=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment, fmt.first_line_indent = align, Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing = line
    return p


def add_masthead(doc, head: Masthead, width: int) -> None:
    """The red 版头 at the top of the first page."""
    if head.mark:
        _run(_plain(doc, WD_ALIGN_PARAGRAPH.LEFT), head.mark, H1_FONT, BODY_SIZE)
    size = name_size(head.name, width)
    name = _plain(doc, line=Pt(size.pt * 1.3))
    name.paragraph_format.space_before = Pt(12)
    name.paragraph_format.space_after = Pt(12)
    _run(name, head.name, TITLE_FONT, size, RED)
    if head.issue:
        _run(_plain(doc, line=LINE), head.issue, BODY_FONT, BODY_SIZE)
    line = _plain(doc, WD_ALIGN_PARAGRAPH.LEFT, LINE)
    line.paragraph_format.tab_stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)
    line.paragraph_format.space_after = Pt(12)
    _run(line, f"{head.issuer}\t{head.issued}", BODY_FONT, BODY_SIZE)
    border(line, "bottom", 24, "FF0000")  # the red rule, 3 pt
    if head.period:
        _run(_plain(doc, line=LINE), f"（{head.period}）", H2_FONT, BODY_SIZE)


def add_colophon(doc, briefing: BriefingDocument, head: Masthead, width: int) -> None:
    """The 版记 at the end: 报/送/发 lines (when configured), a signature right-aligned
    above it, and 编印单位 … 印发日期印发 between black rules (the outer ones thicker)."""
    own = [b for b in briefing.blocks if b.section in IMPRINT_SECTIONS]
    texts = [b.text for b in own if isinstance(b, Paragraph) and "imprint-office" not in b.classes]
    lines = [t for t in texts if DISTRIBUTION_LABEL.match(t)]
    signatures = [t for t in texts if not DISTRIBUTION_LABEL.match(t) and t != head.issuer]
    for text in signatures:
        _run(_plain(doc, WD_ALIGN_PARAGRAPH.RIGHT, LINE), text, BODY_FONT, BODY_SIZE)
    spacer = _plain(doc, line=LINE)
    spacer.paragraph_format.keep_with_next = True
    dated = briefing.fields.get("imprint-date") or f"{head.issued}印发"
    rows = [*lines, f"{head.issuer}\t{dated}"]
    for index, text in enumerate(rows):
        p = _plain(doc, WD_ALIGN_PARAGRAPH.LEFT, LINE)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)
        p.paragraph_format.tab_stops.add_tab_stop(Emu(width) - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
        p.paragraph_format.keep_with_next = index < len(rows) - 1
        p.paragraph_format.keep_together = True
        _run(p, text, BODY_FONT, VERSION_SIZE)
        if index == 0:
            border(p, "top", 8)  # 1 pt
        border(p, "bottom", 8 if index == len(rows) - 1 else 4)
