"""The page, styles and fonts of briefing.docx (GB/T 9704 where it applies).

A4, margins 37/35/28/26 mm (top/bottom/left/right), so the text block is 156 × 225 mm.
The type is the printed PDF's (templates/briefing/print.css), so that Word and PDF read the
same and a 简报 keeps to 2 to 6 pages: body 仿宋 小四 (12 pt) on an 18-pt line, first-level
headings 黑体 四号, second-level 楷体, the issue's title 小标宋 小二, the 简报 name 方正小标宋简体
in the 版头. (GB/T 9704's 三号 on 29 pt carries half as much a page: a bureau that wants it
sets it in its own template's Normal style.) A face a reader lacks falls back through
the font table's ``w:altName`` (Word, WPS); LibreOffice goes through fontconfig, which the
rendering check points at the Noto CJK faces Debian ships (``FONT_SUBSTITUTES``).

A district's own template keeps its page and the styles it defines: only the styles it
lacks get these defaults.
"""

from __future__ import annotations

import unicodedata

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体"
LATIN_FONT = "Times New Roman"
# face -> the name Word and WPS try when it is missing (font table w:altName)
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋_GB2312",
    H1_FONT: "SimHei",
    H2_FONT: "楷体_GB2312",
}
# face -> the open face (Debian fonts-noto-cjk) a LibreOffice rendering substitutes
FONT_SUBSTITUTES = {
    TITLE_FONT: "Noto Serif CJK SC",
    BODY_FONT: "Noto Serif CJK SC",
    H1_FONT: "Noto Sans CJK SC",
    H2_FONT: "Noto Serif CJK SC",
}
BODY_SIZE = Pt(12)  # 小四
HEADING_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(9)  # 小五, for tables of more than WIDE_COLUMNS columns
WIDE_COLUMNS = 7
CAPTION_SIZE = Pt(10.5)  # 五号
BODY_LINE = Pt(18)
RED = RGBColor(0xFF, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH = Mm(PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"])  # 156 mm
TEXT_HEIGHT = Mm(PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"])  # 225 mm
# style name -> (East-Asian face, size, bold, centred, line spacing, space before)
HOUSE_STYLES = {
    "Normal": (BODY_FONT, BODY_SIZE, False, False, BODY_LINE, Pt(0)),
    "Title": (TITLE_FONT, Pt(18), False, True, Pt(28), Pt(10)),
    "Heading 1": (H1_FONT, HEADING_SIZE, False, False, Pt(22), Pt(6)),
    "Heading 2": (H2_FONT, BODY_SIZE, False, False, BODY_LINE, Pt(4)),
    "Caption": (BODY_FONT, CAPTION_SIZE, False, True, Pt(16), Pt(2)),
}


def display_width(text: str) -> float:
    """Width in em: a Chinese character is 1, a Latin letter or digit about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the East-Asian and Latin faces on a style or run element (theme fonts removed,
    else Word would prefer them)."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _chinese(element) -> None:
    """Mark East-Asian text as zh-CN (simplified glyphs where a face holds several)."""
    rpr = element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _house_style(doc, name: str) -> None:
    face, size, bold, centre, line, before = HOUSE_STYLES[name]
    styles = doc.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    set_fonts(style.element, face)
    _chinese(style.element)
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = BLACK
    fmt = style.paragraph_format
    fmt.line_spacing = line
    fmt.space_before = before
    fmt.space_after = Pt(0)
    fmt.first_line_indent = None
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else None
    if name.startswith("Heading") or name == "Caption":
        fmt.keep_with_next = True
    border = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
    if border is not None:  # python-docx's Title has a rule underneath; 公文 titles do not
        style.element.pPr.remove(border)


def apply_house_styles(doc, from_template: bool) -> None:
    """The 公文 styles; a template's own styles are kept, the ones it lacks are added."""
    for name in HOUSE_STYLES:
        if not from_template or name not in doc.styles:
            _house_style(doc, name)


def set_page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])


def text_width(section) -> int:
    """The width of the text block in EMU (the template's page, else A4 with 公文 margins)."""
    width = section.page_width - section.left_margin - section.right_margin
    return int(width) if width and width > 0 else int(TEXT_WIDTH)


def text_height(section) -> int:
    height = section.page_height - section.top_margin - section.bottom_margin
    return int(height) if height and height > 0 else int(TEXT_HEIGHT)


def page_number_footer(section) -> None:
    """Footer "— n —" with a PAGE field (Word and WPS fill in the number); a template's
    own footer is kept when it has one."""
    paragraph = section.footer.paragraphs[0]
    if paragraph.text.strip() or paragraph._p.xpath(".//w:fldChar|.//w:fldSimple"):
        return
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


_SIDES = ("top", "left", "bottom", "right", "between", "bar")
# the children of w:pPr that come after w:pBdr (ECMA-376 order)
_AFTER_BORDERS = tuple(
    f"w:{t}"
    for t in (
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
        "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing "
        "mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap "
        "outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)


def border(paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    """A rule on one side of a paragraph (``size_eighths``: width in eighths of a point)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_BORDERS)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    later = {qn(f"w:{s}") for s in _SIDES[_SIDES.index(side) + 1 :]}
    successor = next((child for child in borders if child.tag in later), None)
    if successor is None:
        borders.append(edge)
    else:
        successor.addprevious(edge)


def declare_fallbacks(font_table: bytes) -> bytes:
    """Add ``<w:font>`` entries with ``w:altName`` for faces a reader may not have (a face
    the font table already lists is left as it is)."""
    text = font_table.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
        if f'w:name="{name}"' not in text
    )
    return text.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")
