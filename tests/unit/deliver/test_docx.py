"""briefing.docx read back with python-docx: the leader edition's headline sentence,
sections, tables and charts and nothing of the analysts' checking; the 简报's red 版头 and
版记; 公文 fonts (declared with East-Asian names and fallbacks), A4 and GB/T 9704 margins;
charts in single-spaced paragraphs within the text block; a district's own template (and
every way its path or content could be hostile); byte-identical reruns."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import zipfile
from datetime import date

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
from analysis.deliver.docx_style import TEXT_WIDTH
from analysis.deliver.docx_template import template_path
from analysis.errors import TemplateError

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


def test_without_drops_whole_sections_and_headings_left_empty():
    parsed = parse_briefing(
        "<h1>名</h1><h2>一、概况</h2><section id='overview'><p>甲</p></section>"
        "<h2>附件</h2><section class='appendix' id='reconciliation'><h3>附3 核对</h3>"
        "<p>重算值9起</p><table><tr><th>原文</th></tr><tr><td>9起</td></tr></table></section>"
        "<footer><p>程序版本：analysis 0.1.0</p></footer>"
    )
    kept = parsed.without(("reconciliation", "footer"))
    texts = [getattr(b, "text", "") for b in kept.blocks]
    assert texts == ["名", "一、概况", "甲"], "附件 is dropped with everything under it"
    assert [b.section for b in parsed.blocks][-1] == "footer"


def test_docx_carries_what_the_districts_leader_edition_carries(tmp_path):
    """A district that puts 分镇街情况 in the leader edition (its ``editions`` setting) gets
    it in Word too: the document is briefing.html as it is, not a second filter."""
    (tmp_path / "briefing.html").write_text(
        "<h1>钟楼区安全生产工作简报</h1><h2>一、概况</h2><section id='overview'><p>甲</p></section>"
        "<h2>附件</h2><section class='appendix' id='by_town'><h3>附1 分镇街情况</h3>"
        "<p>五星街道事故3起</p></section>",
        encoding="utf-8",
    )
    text = "\n".join(p.text for p in _docx(tmp_path).paragraphs)
    assert "五星街道事故3起" in text and "附1 分镇街情况" in text


def _red_runs(document):
    return [
        r
        for p in document.paragraphs
        for r in p.runs
        if r.font.color is not None and r.font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    ]


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


def test_the_masthead_follows_the_marked_up_header():
    """The 版头 markup of the HTML (masthead-*): mark, name, 期号, office and date."""
    from analysis.deliver.docx_masthead import masthead_of

    parsed = parse_briefing(
        '<header class="masthead"><p class="masthead-mark">内部资料　注意保存</p>'
        '<h1 class="masthead-name">示例区安全生产工作简报</h1>'
        '<p class="masthead-issue">2024年第3期</p><p class="masthead-line">'
        '<span class="masthead-office">示例办</span><span class="masthead-date">'
        "2024年4月2日</span></p></header>"
    )
    head = masthead_of(parsed, ISSUED)
    assert (head.mark, head.name, head.issue, head.issuer, head.issued) == (
        "内部资料　注意保存",
        "示例区安全生产工作简报",
        "2024年第3期",
        "示例办",
        "2024年4月2日",
    )


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


def test_docx_rerun_is_byte_identical(run_dir):
    first = hashlib.sha256(write_docx(run_dir, issued=ISSUED).read_bytes()).hexdigest()
    again = write_docx(run_dir, issued=ISSUED).read_bytes()
    assert hashlib.sha256(again).hexdigest() == first


# ---------------------------------------------------------------- a district's template


def _template(path, body="{简报名称}　{期号}　{印发日期}", width_mm=200):
    """A small Word file made with python-docx, standing for a bureau's 红头 template."""
    document = docx.Document()
    document.sections[0].page_width = docx.shared.Mm(width_mm)
    if body:
        document.add_paragraph(body)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def test_the_district_template_is_used_with_its_placeholders_filled(run_dir, tmp_path, monkeypatch):
    from analysis.settings import config

    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    _template(tmp_path / "districts" / "钟楼区" / "template.docx")
    document = _docx(run_dir, district="钟楼区")
    source = read_briefing(run_dir / "briefing.html")
    assert document.paragraphs[0].text.startswith(f"{source.title}　")
    assert document.paragraphs[0].text.endswith(_issued_in_html(run_dir))
    assert round(document.sections[0].page_width.mm) == 200, "the template's page is kept"
    assert not _red_runs(document), "the template's own 红头 replaces the drawn one"
    assert document.inline_shapes, "the briefing follows it"


def test_an_empty_template_gets_the_drawn_masthead(run_dir, tmp_path, monkeypatch):
    from analysis.settings import config

    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    _template(tmp_path / "districts" / "钟楼区" / "template.docx", body="")
    assert _red_runs(_docx(run_dir, district="钟楼区"))


def test_a_district_without_template_gets_the_built_in_layout(tmp_path):
    assert template_path("钟楼区", tmp_path) is None


def _package(path, replace):
    """Rewrite one part of a .docx (``replace``: part name -> function of its text)."""
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename in replace:
                content = replace[entry.filename](content.decode()).encode()
            target.writestr(entry, content)


MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REMOTE = (
    '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/attachedTemplate" Target="http://example.org/t.dotm" TargetMode="External"/>'
)


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p.write_bytes(b"not a zip"), "不是有效的 .docx"),
        (
            lambda p: _package(
                p, {"[Content_Types].xml": lambda t: t.replace(MAIN_TYPE, MACRO_TYPE)}
            ),
            "启用宏",
        ),
        (
            lambda p: _package(
                p,
                {
                    "word/_rels/document.xml.rels": lambda t: t.replace(
                        "</Relationships>", REMOTE + "</Relationships>"
                    )
                },
            ),
            "外部文件或网址（http://example.org/t.dotm）",
        ),
        (lambda p: (p.unlink(), p.mkdir()), "应为普通文件"),
    ],
    ids=["not-a-zip", "macro-enabled", "remote-template", "a-folder"],
)
def test_a_hostile_or_broken_template_is_refused_naming_the_file(tmp_path, make, reason):
    path = _template(tmp_path / "钟楼区" / "template.docx")
    make(path)
    with pytest.raises(TemplateError, match=reason) as err:
        template_path("钟楼区", tmp_path)
    assert "template.docx" in str(err.value)


def test_a_template_link_or_a_path_like_district_is_refused(tmp_path):
    outside = _template(tmp_path / "elsewhere" / "x.docx")
    (tmp_path / "districts" / "钟楼区").mkdir(parents=True)
    os.symlink(outside, tmp_path / "districts" / "钟楼区" / "template.docx")
    with pytest.raises(TemplateError, match="应为普通文件"):
        template_path("钟楼区", tmp_path / "districts")
    for district in ("../elsewhere", "..", "/etc", "a/b", ""):
        with pytest.raises(TemplateError, match="不能用作文件夹名"):
            template_path(district, tmp_path / "districts")


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


# ---------------------------------------------------------------- sizes on the page


def _png(width, height):
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(("px", "limited_by"), [((1200, 400), "width"), ((600, 900), "height")])
def test_a_chart_fits_the_text_block_keeping_its_shape(px, limited_by):
    from analysis.deliver.docx_blocks import CHART_HEIGHT_SHARE, chart_size
    from analysis.deliver.docx_style import TEXT_HEIGHT

    width, height = chart_size(_png(*px), int(TEXT_WIDTH), int(TEXT_HEIGHT))
    assert width <= TEXT_WIDTH and height <= TEXT_HEIGHT * CHART_HEIGHT_SHARE + 1
    assert abs(height / width - px[1] / px[0]) < 0.01
    if limited_by == "width":
        assert width == TEXT_WIDTH
    else:
        assert abs(height - TEXT_HEIGHT * CHART_HEIGHT_SHARE) < 2


def test_short_columns_get_the_width_they_need_and_long_ones_share_the_rest():
    from analysis.deliver.docx_blocks import column_widths

    parsed = parse_briefing(
        "<table><tr><th>指标</th><th>本期</th><th>说明</th></tr>"
        "<tr><td>生产安全事故起数</td><td>9起</td>"
        f"<td>{'已到整改期限的隐患尚有58项未整改' * 3}</td></tr></table>"
    )
    widths = column_widths(parsed.blocks[0], int(TEXT_WIDTH), Pt(10.5))
    assert sum(widths) == int(TEXT_WIDTH)
    assert widths[1] >= Pt(10.5 * 2 + 12), "本期 and 9起 fit on one line"
    assert widths[2] > widths[0] > widths[1]


def test_the_masthead_name_takes_the_largest_size_that_fits_one_line():
    from analysis.deliver.docx_masthead import name_size

    assert name_size("钟楼区安全生产工作简报", int(TEXT_WIDTH)) == Pt(36)
    assert name_size("安全生产简报", int(TEXT_WIDTH)) == Pt(42)
    long_name = "某某市某某区应急管理局安全生产委员会办公室工作简报"
    assert name_size(long_name, int(TEXT_WIDTH)) == Pt(22)
