"""The e-mail body of a briefing, built for mail clients rather than browsers.

Made from briefing.html (see :mod:`analysis.deliver.document`): the title, the synthetic-data
banner, every heading and paragraph up to the appendix (本期要点 and the narrative), the
small tables (the headline figures, the targets) and the first charts. Larger tables, further
charts and the appendix are named with a pointer to the attached full briefing, so the body
stays under Gmail's 102 KB clipping limit and carries no image twice.

Only what Outlook's Word engine renders: table-based layout with ``width``/``border``/
``cellpadding`` attributes, inline ``style`` attributes with literal colours (no CSS
variables, no flexbox or grid, no ``<style>`` sheet), images by ``cid:`` with explicit widths.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape

from analysis.deliver.document import BriefingDocument, Heading, Image, Paragraph, Table

MAX_TABLE_ROWS = 12  # body rows; bigger tables stay in the attachment
MAX_TABLE_COLUMNS = 6
MAX_CHARTS = 2
WIDTH = 640
CID_DOMAIN = "briefing.analysis.invalid"
APPENDIX_HEADINGS = ("附件", "附录")

INK, MUTED, LINE, ACCENT = "#1f2328", "#59636e", "#d0d7de", "#b42318"
STATUS_COLOURS = {
    "达标": "#1a7f37",
    "一致": "#1a7f37",
    "预警": "#9a6700",
    "无法重算": "#9a6700",
    "未达标": "#b42318",
    "不一致": "#b42318",
}
FONT = "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',SimSun,sans-serif"
P_STYLE = f"margin:6px 0;font-size:15px;line-height:1.7;color:{INK};font-family:{FONT}"


def cid_for(data: bytes) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:24]}@{CID_DOMAIN}"


def _heading(block: Heading) -> str:
    text = escape(block.text)
    if block.level == 1:
        style = f"margin:0 0 6px;font-size:22px;text-align:center;color:{ACCENT}"
        return f'<h1 style="{style};font-family:{FONT}">{text}</h1>'
    if block.level == 2:
        style = f"margin:22px 0 8px;font-size:18px;color:{INK};border-bottom:2px solid {ACCENT}"
        return f'<h2 style="{style};font-family:{FONT}">{text}</h2>'
    style = f"margin:14px 0 6px;font-size:16px;color:{INK}"
    return f'<h3 style="{style};font-family:{FONT}">{text}</h3>'


def _paragraph(block: Paragraph) -> str:
    parts = []
    for run in block.runs:
        text = escape(run.text).replace("\n", "<br>")
        parts.append(f"<strong>{text}</strong>" if run.bold else text)
    body = "".join(parts)
    if "banner" in block.classes:
        return (
            f'<table role="presentation" width="100%" cellpadding="8" cellspacing="0" border="1" '
            f'style="border-collapse:collapse;border:2px solid #9a6700;margin:8px 0">'
            f'<tr><td bgcolor="#fff8c5" style="{P_STYLE}">{body}</td></tr></table>'
        )
    if block.in_footer or "issue-line" in block.classes:
        align = "center" if "issue-line" in block.classes else "left"
        style = f"margin:6px 0;font-size:13px;color:{MUTED};text-align:{align};font-family:{FONT}"
        return f'<p style="{style}">{body}</p>'
    if block.list_item:
        return f'<p style="{P_STYLE}">• {body}</p>'
    return f'<p style="{P_STYLE}">{body}</p>'


def _table(block: Table) -> str:
    rows = []
    header_rows = block.header_rows
    for index, row in enumerate(block.rows):
        cells = []
        for cell in row:
            tag = "th" if cell.header or index < header_rows else "td"
            colour = STATUS_COLOURS.get(cell.text, INK)
            align = "right" if "num" in cell.classes else "left"
            style = (
                f"border:1px solid {LINE};padding:4px 6px;font-size:13px;line-height:1.5;"
                f"color:{colour};text-align:{align};vertical-align:top;font-family:{FONT}"
            )
            if colour != INK or tag == "th":
                style += ";font-weight:bold"
            shade = ' bgcolor="#f6f8fa"' if tag == "th" else ""
            text = escape(cell.text).replace("\n", "<br>")
            cells.append(
                f'<{tag} align="{align}" valign="top"{shade} style="{style}">{text}</{tag}>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption = (
        f'<p style="{P_STYLE};font-weight:bold;margin-top:10px">{escape(block.caption)}</p>'
        if block.caption
        else ""
    )
    table = (
        f'<table width="100%" cellpadding="4" cellspacing="0" border="1" '
        f'style="border-collapse:collapse;border:1px solid {LINE};margin:4px 0 10px">'
        + "".join(rows)
        + "</table>"
    )
    return caption + table


def _pointer(text: str) -> str:
    style = f"margin:6px 0;font-size:13px;color:{MUTED};font-family:{FONT}"
    return f'<p style="{style}">{escape(text)}</p>'


def _image(block: Image, cid: str) -> str:
    return (
        f'<p style="margin:8px 0;text-align:center"><img src="cid:{cid}" width="{WIDTH - 40}" '
        f'alt="{escape(block.alt)}" style="display:block;width:100%;max-width:{WIDTH - 40}px;'
        f'height:auto;border:0;margin:0 auto"></p>'
    )


def _fits(block: Table) -> bool:
    columns = max((len(r) for r in block.rows), default=0)
    return len(block.rows) - block.header_rows <= MAX_TABLE_ROWS and columns <= MAX_TABLE_COLUMNS


def body_blocks(briefing: BriefingDocument) -> tuple[list[str], dict[str, bytes]]:
    """HTML pieces of the body in order, and ``{cid: image bytes}`` for the charts shown."""
    pieces: list[str] = []
    images: dict[str, bytes] = {}
    for block in briefing.blocks:
        if isinstance(block, Heading) and any(w in block.text for w in APPENDIX_HEADINGS):
            pieces.append(_pointer(f"{block.text}（附表、数据质量与来源）见附件中的完整简报。"))
            footer = [b for b in briefing.blocks if isinstance(b, Paragraph) and b.in_footer]
            pieces.extend(_paragraph(b) for b in footer)
            break
        if isinstance(block, Heading):
            pieces.append(_heading(block))
        elif isinstance(block, Paragraph):
            pieces.append(_paragraph(block))
        elif isinstance(block, Table) and block.rows:
            if _fits(block):
                pieces.append(_table(block))
            else:
                rows = len(block.rows) - block.header_rows
                name = f"“{block.caption}”" if block.caption else ""
                pieces.append(_pointer(f"表{name}共 {rows} 行，见附件中的完整简报。"))
        elif isinstance(block, Image):
            cid = cid_for(block.data)
            if cid in images or len(images) < MAX_CHARTS:
                images[cid] = block.data
                pieces.append(_image(block, cid))
            else:
                pieces.append(_pointer(f"图：{block.alt}（见附件中的完整简报）"))
    return pieces, images


@dataclass(frozen=True)
class MailBody:
    html: str  # the complete body
    content: str  # the same content without the layout tables (source of the plain text)
    images: dict[str, bytes]  # cid -> image bytes


def mail_body(briefing: BriefingDocument, attachment_names: list[str]) -> MailBody:
    """The HTML body of the briefing's e-mail, its content and its cid images."""
    pieces, images = body_blocks(briefing)
    names = "、".join(f"《{n}》" for n in attachment_names)
    if names:
        pieces.append(_pointer(f"完整简报（含全部图表和附表）见附件{names}。"))
    inner = "\n".join(pieces)
    html = (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(briefing.title)}</title></head>"
        f'<body style="margin:0;padding:0;background:#ffffff">'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
        f'<tr><td align="center" style="padding:12px">'
        f'<table role="presentation" width="{WIDTH}" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:{WIDTH}px;max-width:100%"><tr><td align="left" style="font-family:{FONT}">'
        f"\n{inner}\n</td></tr></table></td></tr></table></body></html>\n"
    )
    return MailBody(html, inner, images)
