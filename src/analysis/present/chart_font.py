"""The charts' Chinese font.

The analyst's system Chinese font if matplotlib knows one (see ``SYSTEM_FONT_FAMILIES``),
else the "Noto Sans CJK SC" face of the bundled Noto Sans CJK collection. matplotlib 3.10
registers only face 0 of a ``.ttc`` (the Japanese face), so the SC face is copied once out
of the collection into a standalone ``.otf`` in matplotlib's cache directory and
registered from there. ``BRIEFING_CHART_FONT`` may name a family to use, or ``bundled`` to
force the bundled face (e.g. for identical output on every machine).
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from analysis.atomic import atomic_path

log = logging.getLogger(__name__)

SYSTEM_FONT_FAMILIES = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
)
BUNDLED_FAMILY = "Noto Sans CJK SC"
FONT_ENV_VAR = "BRIEFING_CHART_FONT"


def _bundled_collection() -> Path:
    import noto_cjk

    return Path(noto_cjk.otc_path("sans"))


def _bundled_sc_font_file() -> Path:
    """Path of a standalone OTF holding the SC face of the bundled collection (cached)."""
    from fontTools.ttLib import TTCollection, TTFont

    ttc = _bundled_collection()
    stat = ttc.stat()
    cache_dir = Path(matplotlib.get_cachedir()) / "analysis-fonts"
    target = cache_dir / f"NotoSansCJKsc-Regular-{stat.st_size}.otf"
    if target.exists():
        return target

    with TTCollection(str(ttc), lazy=True) as collection:
        names = [face["name"].getDebugName(1) for face in collection.fonts]
    if BUNDLED_FAMILY not in names:
        raise RuntimeError(f"字体集 {ttc} 中没有“{BUNDLED_FAMILY}”字体")
    with (
        atomic_path(target) as tmp,
        TTFont(
            str(ttc),
            fontNumber=names.index(BUNDLED_FAMILY),
            lazy=True,
            recalcBBoxes=False,
            recalcTimestamp=False,
        ) as face,
    ):
        face.save(str(tmp))
    log.info("已从 %s 提取字体 %s 到 %s", ttc.name, BUNDLED_FAMILY, target)
    return target


def _known_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


@functools.cache
def chinese_font_family() -> str:
    """The font family used for every chart (a Simplified-Chinese face); cached per process."""
    wanted = os.environ.get(FONT_ENV_VAR, "").strip()
    known = _known_families()
    if wanted and wanted.lower() != "bundled":
        if wanted in known:
            return wanted
        log.warning("未找到字体“%s”（%s），改用默认字体", wanted, FONT_ENV_VAR)
    if wanted.lower() != "bundled":
        for family in SYSTEM_FONT_FAMILIES:
            if family in known:
                return family
    path = _bundled_sc_font_file()
    font_manager.fontManager.addfont(str(path))
    return BUNDLED_FAMILY
