"""The PDF's print fonts: TrueType copies of Noto Sans CJK SC under a family of their own,
shown to Chromium by a private fontconfig file; a character they lack still prints (in the
system's Noto), nothing is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from analysis.deliver import print_fonts

DEBIAN_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.fixture(scope="module")
def fonts_conf() -> Path:
    return Path(print_fonts.print_font_env()["FONTCONFIG_FILE"])


def test_the_copies_are_truetype_of_their_own_family_covering_gb2312(fonts_conf):
    faces = sorted(fonts_conf.parent.glob("*.ttf"))
    names = [f.name for f in faces]
    assert {"BriefingPrintSans-Bold.ttf", "BriefingPrintSans-Regular.ttf"} <= set(names)
    if DEBIAN_SERIF.exists():  # Debian fonts-noto-cjk: the serif body's copies too
        assert {"BriefingPrintSerif-Bold.ttf", "BriefingPrintSerif-Regular.ttf"} <= set(names)
    families = {print_fonts.PRINT_FAMILY, print_fonts.SERIF_FAMILY}
    for path in faces:
        font = TTFont(path, lazy=True)
        assert "glyf" in font and "CFF " not in font, "TrueType outlines, not CFF"
        assert font["name"].getDebugName(1) in families
        assert path.name.startswith(font["name"].getDebugName(1).replace(" ", ""))
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
