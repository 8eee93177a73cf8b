"""briefing.docx: the rendered briefing as a Word document in 公文 style (python-docx).

Source: briefing.html (see :mod:`analysis.deliver.document`), so the document carries the same
sections, tables and charts as the HTML. Conventions (GB/T 9704 where it applies): A4, margins
37/35/28/26 mm (top/bottom/left/right), title in 方正小标宋简体 (fallback 宋体), body in 仿宋
三号 (16 pt, fallback 仿宋_GB2312), first-level headings 黑体, second-level 楷体, page number
"— n —" centred in the footer. Font fallbacks are declared in the font table (``w:altName``),
which Word and WPS use when the named face is not installed.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analysis import folder
from analysis.atomic import write_atomic
from analysis.deliver.document import (
    BriefingDocument,
    Heading,
    Image,
    Paragraph,
    Table,
    read_briefing,
)
from analysis.deliver.stable import run_stamp, stable_zip

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋", "仿宋_GB2312"
H1_FONT, H2_FONT = "黑体", "楷体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
CHART_WIDTH = Mm(150)
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: BODY_FALLBACK}


def _set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the East-Asian and Latin faces on a style or run element (theme fonts removed,
    else Word would prefer them)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style(doc, name: str, east_asia: str, size: Pt, bold: bool = False, center: bool = False):
    style = doc.styles[name]
    _set_fonts(style.element, east_asia)
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.line_spacing = Pt(29)
    fmt.space_before = Pt(6) if name != "Normal" else Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = None
    if center:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return style


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    _style(doc, "Normal", BODY_FONT, BODY_SIZE)
    _style(doc, "Title", TITLE_FONT, TITLE_SIZE, center=True)
    _style(doc, "Heading 1", H1_FONT, BODY_SIZE)
    _style(doc, "Heading 2", H2_FONT, BODY_SIZE)
    _style(doc, "Caption", BODY_FONT, Pt(12), center=True)
    title = doc.styles["Title"].element
    border = title.pPr.find(qn("w:pBdr")) if title.pPr is not None else None
    if border is not None:  # the template's Title has a rule underneath; 公文 titles do not
        title.pPr.remove(border)
    _page_number_footer(section)


def _page_number_footer(section) -> None:
    """Footer "— n —" with a PAGE field (Word and WPS fill in the number)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        r.font.size = Pt(14)


def _paragraph(doc, block: Paragraph) -> None:
    p = doc.add_paragraph()
    plain = bool({"noindent", "banner", "issue-line"} & set(block.classes)) or block.in_footer
    if "issue-line" in block.classes:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not plain:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    if block.in_footer:
        p.paragraph_format.line_spacing = Pt(20)
    for run in block.runs:
        r = p.add_run(run.text)
        r.bold = run.bold or "banner" in block.classes
        if block.in_footer:
            r.font.size = Pt(12)


def _table(doc, block: Table) -> None:
    if block.caption:
        doc.add_paragraph(block.caption, style="Caption")
    columns = max(len(row) for row in block.rows)
    table = doc.add_table(rows=0, cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_rows = block.header_rows
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, source in zip(cells, row, strict=False):
            para = cell.paragraphs[0]
            para.paragraph_format.line_spacing = Pt(15)
            if "num" in source.classes:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = para.add_run(source.text)
            run.font.size = TABLE_SIZE
            run.bold = source.header or index < header_rows
        # A row never splits across pages; header rows repeat on every page.
        props = table.rows[index]._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if index < header_rows:
            props.append(OxmlElement("w:tblHeader"))
    doc.add_paragraph()


def build_document(briefing: BriefingDocument):
    """A python-docx Document with the briefing's blocks in order."""
    doc = Document()
    _setup(doc)
    doc.core_properties.title = briefing.title
    doc.core_properties.author = "analysis"
    doc.core_properties.last_modified_by = "analysis"
    doc.core_properties.revision = 1
    if briefing.synthetic:
        doc.core_properties.comments = "示例数据为合成数据（非真实台账），数字仅用于演示。"
    for block in briefing.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                doc.add_paragraph(block.text, style="Title")
            else:
                doc.add_paragraph(block.text, style=f"Heading {min(block.level - 1, 2)}")
        elif isinstance(block, Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, Table) and block.rows:
            _table(doc, block)
        elif isinstance(block, Image):
            doc.add_picture(io.BytesIO(block.data), width=CHART_WIDTH)
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if block.alt:
                doc.add_paragraph(f"图：{block.alt}", style="Caption")
    return doc


def _declare_fallbacks(font_table: bytes) -> bytes:
    """Add ``<w:font>`` entries with ``w:altName`` for faces a reader may not have."""
    text = font_table.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    return text.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def write_docx(out_dir: Path, html_name: str = folder.BRIEFING_HTML) -> Path:
    """Write ``out_dir/briefing.docx`` from ``out_dir/briefing.html`` (atomic, deterministic)."""
    out_dir = Path(out_dir)
    briefing = read_briefing(out_dir / html_name)
    buf = io.BytesIO()
    build_document(briefing).save(buf)
    patches = {"word/fontTable.xml": _declare_fallbacks}
    data = stable_zip(buf.getvalue(), run_stamp(out_dir), patches)
    return write_atomic(out_dir / folder.DOCX, data)
