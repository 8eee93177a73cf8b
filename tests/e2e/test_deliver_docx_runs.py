"""briefing.docx of the sample briefing read back with python-docx (the runs)."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from word_templates import word_template

from analysis.deliver.document import (
    Heading,
    Image,
    Paragraph,
    Table,
    read_briefing,
)
from analysis.deliver.docx import write_docx
from analysis.deliver.docx_style import TEXT_WIDTH

ISSUED = date(2020, 11, 5)


@pytest.fixture
def run_dir(built_briefing, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(built_briefing.parent, out)
    return out


def _issued_in_html(run_dir) -> str:
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    return re.search(r'class="masthead-date"[^>]*>([^<]+)<', html)[1]


def _east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _docx(run_dir, **kwargs):
    return docx.Document(write_docx(run_dir, issued=ISSUED, **kwargs))


def _red_runs(document):
    return [
        r
        for p in document.paragraphs
        for r in p.runs
        if r.font.color is not None and r.font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    ]


def test_the_district_template_is_used_with_its_placeholders_filled(run_dir, tmp_path, monkeypatch):
    from analysis.settings import config

    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    word_template(tmp_path / "districts" / "钟楼区" / "template.docx")
    document = _docx(run_dir, district="钟楼区")
    source = read_briefing(run_dir / "briefing.html")
    assert document.paragraphs[0].text.startswith(f"{source.title}　")
    assert document.paragraphs[0].text.endswith(_issued_in_html(run_dir))
    assert round(document.sections[0].page_width.mm) == 200, "the template's page is kept"
    assert not _red_runs(document), "the template's own 红头 replaces the drawn one"
    assert document.inline_shapes, "the briefing follows it"


def test_docx_carries_nothing_of_the_analysts_checking(run_dir):
    """No reconciliation rows, hashes, encodings or versions reach what leaders receive: they
    are in the analysts' edition (核对与附表.html), not in briefing.html."""
    html = (run_dir / "briefing.html").read_text(encoding="utf-8")
    document = _docx(run_dir)
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for checking in ("可接受范围", "SHA-256", "utf-8", "程序版本", "数据目录"):
        assert checking not in text, checking
    assert any(c in html for c in ("可接受范围", "SHA-256")) or "核对与附表" in html


def test_docx_follows_gongwen_conventions(run_dir):
    path = write_docx(run_dir, issued=ISSUED)
    document = docx.Document(path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    styles = document.styles
    assert _east_asia(styles["Title"]) == "方正小标宋简体"
    assert _east_asia(styles["Normal"]) == "仿宋"
    assert styles["Normal"].font.size == Pt(12)  # 小四, as the printed PDF
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Heading 2"]) == "楷体"
    with zipfile.ZipFile(path) as z:
        fonts = z.read("word/fontTable.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert '<w:font w:name="仿宋"><w:altName w:val="仿宋_GB2312"/>' in fonts
    assert '<w:font w:name="楷体"><w:altName w:val="楷体_GB2312"/>' in fonts
    assert " PAGE " in footer
    rows = document.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_charts_sit_in_single_spaced_paragraphs_within_the_text_block(run_dir):
    """An exact line height clips an inline picture to a strip: a chart's paragraph has
    single spacing and the picture is no wider than the text block."""
    document = _docx(run_dir)
    pictures = [p for p in document.paragraphs if p._p.xpath(".//pic:pic")]
    assert pictures
    for paragraph in pictures:
        spacing = paragraph._p.pPr.find(qn("w:spacing"))
        assert spacing.get(qn("w:lineRule")) == "auto" and spacing.get(qn("w:line")) == "240"
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(text_width - TEXT_WIDTH) < docx.shared.Mm(0.1)
    for shape in document.inline_shapes:
        assert 0 < shape.width <= text_width and shape.height > 0


def test_docx_opens_with_a_red_masthead_and_ends_with_the_imprint(run_dir):
    document = _docx(run_dir)
    source = read_briefing(run_dir / "briefing.html")
    red = _red_runs(document)
    assert [r.text for r in red] == [source.title], "the 简报 name, in red"
    fonts = red[0]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    texts = [p.text for p in document.paragraphs]
    issued = _issued_in_html(run_dir)  # the HTML's 印发日期: every format says the same
    line = next(p for p in document.paragraphs if f"\t{issued}" in p.text)
    assert line.text.split("\t")[0].endswith("办公室")
    bottom = line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000", "the red rule under 编印单位 and 印发日期"
    issue = next(p for p in document.paragraphs if p.text.endswith("期"))
    assert issue.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert texts[-1].endswith(f"{issued}印发"), "the 版记 is the last line"


def test_docx_has_the_leader_editions_content(run_dir):
    source = read_briefing(run_dir / "briefing.html")
    document = _docx(run_dir)
    texts = [p.text for p in document.paragraphs]

    headings = [b.text for b in source.blocks if isinstance(b, Heading) and b.level > 1]
    overview = next(
        b.text for b in source.blocks if isinstance(b, Heading) and b.text.startswith("一、")
    )
    after = source.blocks[[getattr(b, "text", None) for b in source.blocks].index(overview) + 1]
    assert isinstance(after, Paragraph) and "生产安全事故" in after.text
    assert after.text in texts, "the headline sentence is missing"
    assert len(headings) > 5 and all(h in texts for h in headings)
    assert any("合成数据" in t for t in texts)

    tables = [b for b in source.blocks if isinstance(b, Table) and b.rows]
    assert len(document.tables) == len(tables)
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == [c.text for c in tables[0].rows[0]]
    assert [c.text for c in first.rows[1].cells] == [c.text for c in tables[0].rows[1]]
    charts = [b for b in source.blocks if isinstance(b, Image)]
    assert len(document.inline_shapes) == len(charts) >= 1
    assert f"图：{charts[0].alt}" in texts


def test_an_empty_template_gets_the_drawn_masthead(run_dir, tmp_path, monkeypatch):
    from analysis.settings import config

    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    word_template(tmp_path / "districts" / "钟楼区" / "template.docx", body="")
    assert _red_runs(_docx(run_dir, district="钟楼区"))


def test_docx_rerun_is_byte_identical(run_dir):
    first = hashlib.sha256(write_docx(run_dir, issued=ISSUED).read_bytes()).hexdigest()
    again = write_docx(run_dir, issued=ISSUED).read_bytes()
    assert hashlib.sha256(again).hexdigest() == first
