"""The PDF's print fonts: TrueType copies of Noto Sans CJK SC under a family of their own,
shown to Chromium by a private fontconfig file; a character they lack still prints (in the
system's Noto), nothing is dropped."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from analysis.deliver import pdf as pdf_export
from analysis.deliver import print_fonts

RARE_NAME = "王堃"  # 堃 (U+5803) is not in GB 2312: not in the copies


@pytest.fixture(scope="module")
def fonts_conf() -> Path:
    return Path(print_fonts.print_font_env()["FONTCONFIG_FILE"])


def test_the_copies_are_truetype_of_their_own_family_covering_gb2312(fonts_conf):
    faces = sorted(fonts_conf.parent.glob("*.ttf"))
    assert [f.name for f in faces] == [
        "BriefingPrintSans-Bold.ttf",
        "BriefingPrintSans-Regular.ttf",
    ]
    for path in faces:
        font = TTFont(path, lazy=True)
        assert "glyf" in font and "CFF " not in font, "TrueType outlines, not CFF"
        assert font["name"].getDebugName(1) == print_fonts.PRINT_FAMILY
        cmap = font.getBestCmap()
        assert all(ord(ch) in cmap for ch in "钟楼区安全生产工作简报（一）：，。％0-9AZaz")
        assert ord("堃") not in cmap
    conf = fonts_conf.read_text(encoding="utf-8")
    assert "/etc/fonts/fonts.conf" in conf and f"<dir>{fonts_conf.parent}</dir>" in conf


def test_covered_codepoints_are_latin_symbols_and_the_gb2312_hanzi():
    points = set(print_fonts.covered_codepoints())
    hanzi = [cp for cp in points if 0x4E00 <= cp < 0xA000]
    assert len(hanzi) == 6763  # GB 2312's level 1 and level 2 hanzi
    assert {ord(c) for c in "A%—“”、。（）％"} <= points


def test_a_character_the_copies_lack_is_still_printed(tmp_path):
    assert shutil.which("pdftotext"), "apt-get install poppler-utils"
    (tmp_path / "briefing.html").write_text(
        f"<html><head><title>测试</title></head><body><p>联系人：{RARE_NAME}</p></body></html>",
        encoding="utf-8",
    )
    path = pdf_export.write_pdf(tmp_path)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # the fallback face's glyph may sit on its own line for pdftotext: compare without spaces
    assert RARE_NAME in re.sub(r"\s", "", text)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"BriefingPrintSans-Regular\s+CID TrueType", fonts)
