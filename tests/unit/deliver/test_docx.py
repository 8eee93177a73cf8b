"""briefing.docx read back with python-docx: the briefing's headline sentence, sections,
tables and charts; 公文 fonts (declared with East-Asian names and fallbacks), 三号 body,
A4 and GB/T 9704 margins; byte-identical reruns."""

from __future__ import annotations

import hashlib
import shutil
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from analysis.deliver.document import (
    Heading,
    Image,
    Paragraph,
    Table,
    parse_briefing,
    read_briefing,
)
from analysis.deliver.docx import write_docx


@pytest.fixture
def run_dir(built_briefing, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(built_briefing.parent, out)
    return out


def _east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_docx_has_the_briefing_content(run_dir):
    source = read_briefing(run_dir / "briefing.html")
    document = docx.Document(write_docx(run_dir))
    texts = [p.text for p in document.paragraphs]

    assert texts[0] == source.title and document.paragraphs[0].style.name == "Title"
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


def test_docx_follows_gongwen_conventions(run_dir):
    path = write_docx(run_dir)
    document = docx.Document(path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    styles = document.styles
    assert _east_asia(styles["Title"]) == "方正小标宋简体"
    assert _east_asia(styles["Normal"]) == "仿宋"
    assert styles["Normal"].font.size == Pt(16)  # 三号
    assert _east_asia(styles["Heading 1"]) == "黑体"
    with zipfile.ZipFile(path) as z:
        fonts = z.read("word/fontTable.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts
    assert '<w:font w:name="仿宋"><w:altName w:val="仿宋_GB2312"/>' in fonts
    assert " PAGE " in footer
    rows = document.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)


def test_docx_rerun_is_byte_identical(run_dir):
    first = hashlib.sha256(write_docx(run_dir).read_bytes()).hexdigest()
    assert hashlib.sha256(write_docx(run_dir).read_bytes()).hexdigest() == first


def test_escaped_markup_stays_text():
    parsed = parse_briefing(
        "<h1>标题</h1>"
        "<p>单位：&lt;script&gt;alert(1)&lt;/script&gt;\n &amp; <strong>加粗</strong><br>换行</p>"
        "<table><tr><th>甲</th></tr><tr><td>&lt;b&gt;</td></tr></table>"
    )
    paragraph = parsed.blocks[1]
    assert paragraph.text == "单位：<script>alert(1)</script> & 加粗\n换行"
    assert paragraph.runs[1].bold and not paragraph.runs[0].bold
    assert parsed.blocks[2].rows[1][0].text == "<b>"
