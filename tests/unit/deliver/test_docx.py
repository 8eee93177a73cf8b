"""briefing.docx read back with python-docx: the leader edition's headline sentence,
sections, tables and charts and nothing of the analysts' checking; the 简报's red 版头 and
版记; 公文 fonts (declared with East-Asian names and fallbacks), A4 and GB/T 9704 margins;
charts in single-spaced paragraphs within the text block; a district's own template (and
every way its path or content could be hostile); byte-identical reruns."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import docx
import pytest
from docx.shared import Pt
from word_templates import word_template

from analysis.deliver.document import (
    parse_briefing,
)
from analysis.deliver.docx import write_docx
from analysis.deliver.docx_style import TEXT_WIDTH
from analysis.deliver.docx_template import template_path
from analysis.errors import TemplateError

ISSUED = date(2020, 11, 5)


def _docx(run_dir, **kwargs):
    return docx.Document(write_docx(run_dir, issued=ISSUED, **kwargs))


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


# ---------------------------------------------------------------- a district's template


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
    path = word_template(tmp_path / "钟楼区" / "template.docx")
    make(path)
    with pytest.raises(TemplateError, match=reason) as err:
        template_path("钟楼区", tmp_path)
    assert "template.docx" in str(err.value)


def test_a_template_link_or_a_path_like_district_is_refused(tmp_path):
    outside = word_template(tmp_path / "elsewhere" / "x.docx")
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
