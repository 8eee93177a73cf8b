"""briefing.docx as LibreOffice prints it (headless; Debian libreoffice-writer-nogui, installed
by ``make browser-deps``): every chart is drawn at its full height, not clipped to a strip by
an exact line height, and the leader edition fits 6 A4 pages.

The check reads the PDF's drawing operators (pikepdf): each image's rectangle, through the
current transformation, against the clipping rectangles in force where it is drawn.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest

from analysis.deliver.document import Image, read_briefing
from analysis.deliver.docx import write_docx
from analysis.deliver.docx_style import FONT_SUBSTITUTES

MAX_PAGES = 6
SLACK_PT = 0.5
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""
ALIAS = (
    '  <alias binding="same"><family>{face}</family>'
    "<prefer><family>{open}</family></prefer></alias>"
)


def render_pdf(docx_path, out_dir):
    """The PDF LibreOffice prints of ``docx_path``, with a private profile (no clash with
    another LibreOffice) and the 公文 faces mapped to the open Noto CJK faces."""
    conf = out_dir / "fonts.conf"
    aliases = "\n".join(ALIAS.format(face=f, open=o) for f, o in FONT_SUBSTITUTES.items())
    conf.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(out_dir))
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(docx_path),
    ]
    subprocess.run(command, check=True, env=env, capture_output=True)
    return out_dir / docx_path.with_suffix(".pdf").name


def _times(m, n):
    """The PDF matrix product m × n of [a b c d e f] matrices."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return [
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    ]


def _box(matrix, x, y, w, h):
    """The bounding box (x0, y0, x1, y1) of a rectangle through ``matrix``."""
    a, b, c, d, e, f = matrix
    points = [(x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
    xs = [a * px + c * py + e for px, py in points]
    ys = [b * px + d * py + f for px, py in points]
    return min(xs), min(ys), max(xs), max(ys)


def _meet(one, two):
    return (max(one[0], two[0]), max(one[1], two[1]), min(one[2], two[2]), min(one[3], two[3]))


def drawn_images(pdf_path):
    """[(page, drawn box, visible box)] for every image the PDF draws: the visible box is
    the drawn one cut by the clipping rectangles in force and by the page."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            media = tuple(float(v) for v in page.mediabox)
            ctm, clip, stack, path, clipping = [1, 0, 0, 1, 0, 0], media, [], None, None
            images = page.Resources.get("/XObject", {})
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append((ctm, clip))
                elif op == "Q":
                    ctm, clip = stack.pop()
                elif op == "cm":
                    ctm = _times([float(v) for v in operands], ctm)
                elif op == "re":
                    path = _box(ctm, *(float(v) for v in operands))
                elif op in ("W", "W*"):
                    clipping = path
                elif op == "n" and clipping is not None:
                    clip, clipping = _meet(clip, clipping), None
                elif op == "Do" and images.get(operands[0], {}).get("/Subtype") == "/Image":
                    drawn = _box(ctm, 0, 0, 1, 1)
                    found.append((number, drawn, _meet(drawn, clip)))
            found_pages = len(pdf.pages)
    return found, found_pages


@pytest.fixture(scope="module")
def rendered(built_briefing, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx-render")
    run = out / "run"
    shutil.copytree(built_briefing.parent, run)
    path = write_docx(run, issued=date(2020, 11, 5))
    source = read_briefing(run / "briefing.html")
    charts = [b for b in source.blocks if isinstance(b, Image)]
    leader_html = any(b.section == "masthead" for b in source.blocks)
    images, pages = drawn_images(render_pdf(path, out))
    return charts, images, pages, leader_html


def test_every_chart_is_drawn_at_its_full_height(rendered):
    charts, images, _, _ = rendered
    assert len(images) == len(charts) >= 1, "every chart of the leader edition is drawn"
    for page, drawn, visible in images:
        height, width = drawn[3] - drawn[1], drawn[2] - drawn[0]
        assert height > 100, f"page {page}: a chart {height:.0f} pt high is a strip"
        assert visible[3] - visible[1] >= height - SLACK_PT, f"page {page}: chart clipped"
        assert visible[2] - visible[0] >= width - SLACK_PT, f"page {page}: chart cut sideways"


def test_the_leader_edition_fits_six_a4_pages(rendered):
    charts, _, pages, leader_html = rendered
    if not leader_html:
        pytest.skip(
            "briefing.html is not yet the leader edition (no marked-up 版头): the editions "
            "split of issue 23 item 1 makes it one, and this bound applies from then on"
        )
    assert pages <= MAX_PAGES, f"{pages} pages"


def test_a_clipped_chart_is_detected(tmp_path):
    """The check itself: a picture in an exactly-spaced paragraph (the old layout) is
    reported as clipped, so the test above can fail."""
    import io

    import docx
    from docx.shared import Mm, Pt
    from PIL import Image as PILImage

    picture = io.BytesIO()
    PILImage.new("RGB", (600, 400), "steelblue").save(picture, format="PNG")
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(29)  # exactly 29 pt
    paragraph.add_run().add_picture(io.BytesIO(picture.getvalue()), width=Mm(120))
    path = tmp_path / "clipped.docx"
    document.save(path)
    images, _ = drawn_images(render_pdf(path, tmp_path))
    [(_, drawn, visible)] = images
    assert drawn[3] - drawn[1] > 200 and visible[3] - visible[1] < 40
