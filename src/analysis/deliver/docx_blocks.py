"""The briefing's headings, paragraphs, tables and charts as Word paragraphs and tables.

Charts sit in their own single-spaced paragraph, sized to the text block: the body's exact
29-pt line would clip an inline picture to a strip (Word and LibreOffice both do). A table
spans the text block, its header rows repeat on every page, no row splits across pages, and
its caption and header rows keep with its first data rows.
"""

from __future__ import annotations

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from analysis.deliver.document import Heading, Image, Paragraph, Table
from analysis.deliver.docx_style import (
    BODY_SIZE,
    TABLE_SIZE,
    WIDE_COLUMNS,
    WIDE_TABLE_SIZE,
    display_width,
)

SHORT_COLUMN_EM = 8  # a column whose longest line is at most this wide never wraps
CELL_PADDING_PT = 12  # a cell's left and right margins
CHART_HEIGHT_SHARE = 0.33  # a chart takes at most this share of the text block's height
PLAIN_CLASSES = {"noindent", "banner", "issue-line"}
TITLE_CLASS = "briefing-title"


def add_heading(doc, block: Heading) -> None:
    """<h2 class="briefing-title"> (the issue's title) in the Title style; other headings
    one level up (<h2> = 一级标题, 黑体; <h3> = 二级标题, 楷体)."""
    if block.level == 1 or TITLE_CLASS in block.classes:
        doc.add_paragraph(block.text, style="Title")
    else:
        doc.add_paragraph(block.text, style=f"Heading {min(block.level - 1, 2)}")


def add_paragraph(doc, block: Paragraph) -> None:
    p = doc.add_paragraph()
    plain = bool(PLAIN_CLASSES & set(block.classes)) or block.in_footer
    if not plain:
        p.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)  # two characters
    for run in block.runs:
        r = p.add_run(run.text)
        r.bold = run.bold or "banner" in block.classes


def chart_size(data: bytes, width: int, height: int) -> tuple[Emu, Emu]:
    """The picture's size on the page: the text block's width, or less when that would make
    it taller than ``CHART_HEIGHT_SHARE`` of the text block (aspect ratio kept)."""
    image = DocxImage.from_blob(data)
    aspect = image.px_height / image.px_width
    shown = min(width, int(height * CHART_HEIGHT_SHARE / aspect))
    return Emu(shown), Emu(int(shown * aspect))


def add_chart(doc, block: Image, width: int, height: int) -> None:
    """The chart in a single-spaced, centred paragraph, its caption kept with it."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = 1.0  # single, never "exactly": an exact line clips the picture
    fmt.first_line_indent = Pt(0)
    fmt.space_before, fmt.space_after = Pt(6), Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.keep_with_next = bool(block.alt)
    shown_width, shown_height = chart_size(block.data, width, height)
    p.add_run().add_picture(io.BytesIO(block.data), width=shown_width, height=shown_height)
    if block.alt:
        doc.add_paragraph(f"图：{block.alt}", style="Caption")


def column_widths(block: Table, width: int, size: Pt) -> list[int]:
    """Column widths (EMU) summing to ``width``: a column whose longest line is short
    (numbers, short words) gets what its line needs, so it never wraps; the long-text
    columns share the rest in proportion to their longest line."""
    columns = max(len(row) for row in block.rows)
    need = [2.0] * columns  # in em
    for row in block.rows:
        for index, cell in enumerate(row):
            longest = max((display_width(line) for line in cell.text.split("\n")), default=0)
            need[index] = max(need[index], longest)
    pad = Pt(CELL_PADDING_PT)
    emu = [int(n * size + pad) for n in need]
    short = [i for i, n in enumerate(need) if n <= SHORT_COLUMN_EM]
    rest = width - sum(emu[i] for i in short)
    long_ = [i for i in range(columns) if i not in short]
    if long_ and rest > sum(int(Pt(4 * size.pt)) for _ in long_):
        total = sum(emu[i] for i in long_)
        for i in long_:
            emu[i] = int(rest * emu[i] / total)
    else:  # everything shares the width in proportion
        total = sum(emu)
        emu = [int(width * e / total) for e in emu]
    emu[-1] += width - sum(emu)
    return emu


def _table_properties(table) -> None:
    """Full text-block width, fixed grid borders (independent of a template's styles)."""
    props = table._tbl.tblPr
    width = props.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        props.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    jc = props.find(qn("w:jc"))
    (jc if jc is not None else width).addnext(borders)


def _cell(cell, source, size, bold: bool) -> None:
    para = cell.paragraphs[0]
    fmt = para.paragraph_format
    fmt.line_spacing = Pt(size.pt * 1.35)
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(1)
    if "num" in source.classes:
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run(source.text)
    run.font.size = size
    run.bold = bold


def add_table(doc, block: Table, width: int) -> None:
    """The table across the text block, its header rows repeated on every page, no row
    split; the caption and the header rows keep with the first data row."""
    if block.caption:
        doc.add_paragraph(block.caption, style="Caption")
    columns = max(len(row) for row in block.rows)
    size = WIDE_TABLE_SIZE if columns > WIDE_COLUMNS else TABLE_SIZE
    table = doc.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_properties(table)
    widths = column_widths(block, width, size)
    for column, shown in zip(table.columns, widths, strict=True):
        column.width = Emu(shown)
    header_rows = block.header_rows
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        heading_row = index < header_rows
        for cell, source, shown in zip(cells, row, widths, strict=False):
            cell.width = Emu(shown)
            _cell(cell, source, size, source.header or heading_row)
            # Word keeps a row whose paragraphs "keep with next" on the page of the next
            # row: the header rows stay with the first data row
            cell.paragraphs[0].paragraph_format.keep_with_next = heading_row
        props = table.rows[index]._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if heading_row:
            props.append(OxmlElement("w:tblHeader"))
    gap = doc.add_paragraph()
    gap.paragraph_format.line_spacing = Pt(8)


def add_block(doc, block, width: int, height: int) -> None:
    if isinstance(block, Heading):
        add_heading(doc, block)
    elif isinstance(block, Paragraph):
        add_paragraph(doc, block)
    elif isinstance(block, Table) and block.rows:
        add_table(doc, block, width)
    elif isinstance(block, Image):
        add_chart(doc, block, width, height)
