"""TrueType copies of Noto Sans/Serif CJK SC for printing, so that the PDF embeds normal fonts.

Chromium's PDF writer (Skia) embeds a system TrueType font as a subset CID font, but draws
the glyphs of CFF-outlined faces (Noto Sans CJK is CFF), of web fonts and of synthesised
bold as Type 3 procedures: a 1.3 MB PDF whose text is not in a real font. So, once per
machine, the SC faces are converted to TrueType outlines with fontTools (regular from the
bundled ``noto-cjk`` collection, bold from the system's Debian ``fonts-noto-cjk`` when
present) under a family of their own, :data:`PRINT_FAMILY`, and Chromium is shown them by
a private fontconfig file (:func:`print_font_env`); print.css names that family first.

The copies cover Latin, the common symbols and punctuation and the 6,763 hanzi of GB 2312,
which keeps the one-off conversion to seconds. Any other character falls back, through the
same font-family list, to the system's Noto Sans CJK SC: the same design, printed as before.

The serif copies, :data:`SERIF_FAMILY` (the 仿宋/楷体/小标宋 stand-ins of print.css), are made
the same way from the system's Noto Serif CJK SC (Debian ``fonts-noto-cjk``) when fontconfig
finds it; without it the body falls back to the system's serif face.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.errors import PrintFontError

log = logging.getLogger(__name__)

PRINT_FAMILY = "Briefing Print Sans"
SOURCE_FAMILY = "Noto Sans CJK SC"
SERIF_FAMILY = "Briefing Print Serif"
SERIF_SOURCE_FAMILY = "Noto Serif CJK SC"
FORMAT_VERSION = "2"  # bump when the conversion changes: the cached copies are rebuilt
SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")
# horizontal-text OpenType features worth keeping (kerning, proportional/half-width punctuation)
LAYOUT_FEATURES = ["kern", "palt", "halt", "chws"]
UNUSED_MAXP_FIELDS = (
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
)
COVERED_RANGES = (
    (0x0020, 0x007F),  # Basic Latin
    (0x00A0, 0x0250),  # Latin-1 and Latin Extended-A/B
    (0x2000, 0x2800),  # punctuation, letterlike, arrows, maths, boxes, shapes, dingbats
    (0x3000, 0x3040),  # CJK symbols and punctuation
    (0xFF00, 0xFFF0),  # full-width and half-width forms
)


def covered_codepoints() -> list[int]:
    """The characters the TrueType copies keep: :data:`COVERED_RANGES` and GB 2312's hanzi."""
    points = {cp for start, end in COVERED_RANGES for cp in range(start, end)}
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        points.add(cp)
    return sorted(points)


def _bundled_regular() -> tuple[Path, int]:
    """The SC face of the bundled Noto Sans CJK collection: (file, face number)."""
    import noto_cjk
    from fontTools.ttLib import TTCollection

    ttc = Path(noto_cjk.otc_path("sans"))
    with TTCollection(str(ttc), lazy=True) as collection:
        names = [face["name"].getDebugName(1) for face in collection.fonts]
    if SOURCE_FAMILY not in names:
        raise PrintFontError(f"字体集 {ttc} 中没有“{SOURCE_FAMILY}”字体，无法准备 PDF 打印字体")
    return ttc, names.index(SOURCE_FAMILY)


def _system_face(family: str = SOURCE_FAMILY, style: str = "Bold") -> tuple[Path, int] | None:
    """A face of the system's ``family`` (Debian fonts-noto-cjk), if fontconfig has it."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(
        [fc_match, "-f", "%{family}\t%{style}\t%{file}\t%{index}", f"{family}:{style.lower()}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\t")
    if len(found) != 4 or family not in found[0].split(",") or style not in found[1]:
        return None
    return Path(found[2]), int(found[3])


def _system_bold() -> tuple[Path, int] | None:
    """The system's Noto Sans CJK SC Bold (Debian fonts-noto-cjk), if fontconfig has it."""
    return _system_face(SOURCE_FAMILY, "Bold")


def _to_truetype(font) -> None:
    """Replace ``font``'s CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion, maxp.maxZones = 0x00010000, 1
    for attr in UNUSED_MAXP_FIELDS:  # no hinting programs, no composite glyphs
        setattr(maxp, attr, 0)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.maxMemType42 = post.minMemType42 = post.maxMemType1 = post.minMemType1 = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font, style: str, family: str = PRINT_FAMILY) -> None:
    """Give the copy its own family, so that it never stands in for the system's Noto."""
    name = font["name"]
    name.names = [n for n in name.names if n.nameID not in (16, 17, 21, 22)]
    postscript = f"{family.replace(' ', '')}-{style}"
    for name_id, value in (
        (1, family),
        (2, style),
        (3, postscript),
        (4, f"{family} {style}"),
        (6, postscript),
    ):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)


def convert_face(
    source: Path, number: int, style: str, target: Path, family: str = PRINT_FAMILY
) -> Path:
    """Write a TrueType, ``family``-named subset of face ``number`` of ``source``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(str(source), fontNumber=number, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=covered_codepoints())
    subsetter.subset(font)
    _to_truetype(font)
    _rename(font, style, family)
    font.save(str(target))
    return target


def _fonts_conf(folder: Path) -> str:
    """A fontconfig file: the system's configuration plus ``folder``."""
    system = os.environ.get("FONTCONFIG_FILE") or str(SYSTEM_FONTS_CONF)
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f'<fontconfig>\n  <include ignore_missing="yes">{system}</include>\n'
        f"  <dir>{folder}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n"
    )


def _cache_root() -> Path:
    import matplotlib

    return Path(matplotlib.get_cachedir()) / "analysis-fonts"


def _build(faces: dict[tuple[str, str], tuple[Path, int]], folder: Path) -> None:
    """Convert ``faces`` ({(family, style): (file, face)}) into ``folder`` (made whole,
    then renamed into place)."""
    sources = {PRINT_FAMILY: SOURCE_FAMILY, SERIF_FAMILY: SERIF_SOURCE_FAMILY}
    names = "、".join(sorted({sources[family] for family, _ in faces}))
    log.warning("首次打印 PDF：正在把 %s 转换为 TrueType 打印字体（只做一次，约需一分钟）", names)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for (family, style), (source, number) in faces.items():
            target = work / f"{family.replace(' ', '')}-{style}.ttf"
            convert_face(source, number, style, target, family)
        (work / "fonts.conf").write_text(_fonts_conf(folder), encoding="utf-8")
        try:
            work.rename(folder)
        except OSError:  # another process finished first: its copies are the same
            if not (folder / "fonts.conf").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


@functools.cache
def print_font_env() -> dict[str, str]:
    """Environment variables that let a Chromium child process see the print fonts
    (``FONTCONFIG_FILE``); the fonts are converted on first use and cached on disk."""
    import fontTools

    faces = {(PRINT_FAMILY, "Regular"): _bundled_regular()}
    bold = _system_bold()
    if bold is not None:
        faces[(PRINT_FAMILY, "Bold")] = bold
    for style in ("Regular", "Bold"):
        serif = _system_face(SERIF_SOURCE_FAMILY, style)
        if serif is not None:
            faces[(SERIF_FAMILY, style)] = serif
    key = hashlib.sha256(
        repr(
            (
                FORMAT_VERSION,
                fontTools.version,
                os.environ.get("FONTCONFIG_FILE"),
                sorted((f, s, str(p), n, p.stat().st_size) for (f, s), (p, n) in faces.items()),
            )
        ).encode()
    ).hexdigest()[:16]
    folder = _cache_root() / f"print-{key}"
    if not (folder / "fonts.conf").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            _build(faces, folder)
        except OSError as exc:
            raise PrintFontError(f"无法准备 PDF 打印字体（{folder}）：{exc}") from exc
    return {"FONTCONFIG_FILE": str(folder / "fonts.conf")}
