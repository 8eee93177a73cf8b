"""briefing.docx: the leader edition of the briefing as a Word 简报 (python-docx).

Source: briefing.html, the leader edition as the district's ``editions`` setting made it
(see :mod:`analysis.deliver.document`), so the document carries the same words, tables and
charts as the HTML, no more and no less. Layout
per GB/T 9704 and bureau practice: the red 版头 (:mod:`analysis.deliver.docx_masthead`), 仿宋
body and 黑体/楷体 headings (:mod:`analysis.deliver.docx_style`), charts and tables sized to
the text block (:mod:`analysis.deliver.docx_blocks`), the 版记 at the end. A district's own
``template.docx`` is used when it has one (:mod:`analysis.deliver.docx_template`).
"""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime
from pathlib import Path

from analysis import folder
from analysis.atomic import write_atomic
from analysis.deliver.document import BriefingDocument, read_briefing
from analysis.deliver.docx_blocks import add_block
from analysis.deliver.docx_masthead import (
    add_colophon,
    add_masthead,
    body_blocks,
    has_imprint,
    masthead_of,
)
from analysis.deliver.docx_style import (
    apply_house_styles,
    declare_fallbacks,
    page_number_footer,
    set_page,
    text_height,
    text_width,
)
from analysis.deliver.docx_template import (
    fill_placeholders,
    has_own_masthead,
    open_template,
    template_path,
)
from analysis.deliver.stable import run_stamp, stable_zip


def default_issue_date() -> date:
    """The day of SOURCE_DATE_EPOCH (reproducible builds) when set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def build_document(briefing: BriefingDocument, issued: date, template: Path | None = None):
    """A python-docx Document of ``briefing`` (already the edition to print), on
    ``template`` when given."""
    doc = open_template(template)
    section = doc.sections[0]
    own_masthead = template is not None and has_own_masthead(doc)
    if template is None:
        set_page(section)
    apply_house_styles(doc, from_template=template is not None)
    page_number_footer(section)
    width, height = text_width(section), text_height(section)
    head = masthead_of(briefing, issued)
    if template is not None:
        fill_placeholders(doc, head)
    if not own_masthead:
        add_masthead(doc, head, width)
    for block in body_blocks(briefing):
        add_block(doc, block, width, height)
    if has_imprint(briefing):
        add_colophon(doc, briefing, head, width)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.revision = (
        briefing.title,
        "analysis",
        "analysis",
        1,
    )
    if briefing.synthetic:
        props.comments = "示例数据为合成数据（非真实台账），数字仅用于演示。"
    return doc


def write_docx(
    out_dir: Path,
    html_name: str = folder.BRIEFING_HTML,
    district: str | None = None,
    issued: date | None = None,
) -> Path:
    """Write ``out_dir/briefing.docx`` from ``out_dir/briefing.html`` (atomic; the same
    inputs give the same bytes). ``district``: whose template to use. ``issued``: the
    印发日期 when the HTML's 版头 names none (default: SOURCE_DATE_EPOCH's day, else today)."""
    out_dir = Path(out_dir)
    briefing = read_briefing(out_dir / html_name)
    template = template_path(district) if district else None
    buf = io.BytesIO()
    build_document(briefing, issued or default_issue_date(), template).save(buf)
    patches = {"word/fontTable.xml": declare_fallbacks}
    data = stable_zip(buf.getvalue(), run_stamp(out_dir), patches)
    return write_atomic(out_dir / folder.DOCX, data)
