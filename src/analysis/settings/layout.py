"""How a district's briefing looks on paper: the 简报's 版头 and which sections go to which
edition (data/config/defaults.yaml, overridden by districts/<区>/district.yaml)::

    masthead: "{单位}安全生产工作简报"   # the 简报's name in the red 版头
    internal_mark: true                  # 内部资料 注意保存, top left of the 版头
    imprint: true                        # the 版记 (报/送/发, 编印单位, 印发日期) at the end
    editions:   # sections (or a section's .tables / .charts) only analysts get
      核对版: [outreach.tables, appendix, by_town, reconciliation, data_quality, provenance]

Every key is optional; :data:`BUILT_IN` holds the values used when neither file names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LAYOUT_KEYS = ("masthead", "internal_mark", "imprint", "editions")
ANALYST_EDITION = "核对版"
PARTS = ("tables", "charts")  # ``<section>.tables``: only the section's tables
DEFAULT_ANALYST_SECTIONS = (
    "outreach.tables",
    "campaigns.tables",
    "campaigns.charts",
    "enforcement.tables",
    "enforcement.charts",
    "intrinsic.tables",
    "control_chart.charts",
    "funnel.charts",
    "forecast.tables",
    "appendix",
    "by_town",
    "by_industry",
    "reconciliation",
    "data_quality",
    "evidence",
    "provenance",
)
MASTHEAD_FIELDS = ("{单位}", "{区}")
BUILT_IN: dict[str, Any] = {
    "masthead": "{单位}安全生产工作简报",
    "internal_mark": False,
    "imprint": True,
    "editions": {ANALYST_EDITION: list(DEFAULT_ANALYST_SECTIONS)},
}


@dataclass(frozen=True)
class Layout:
    """The 版头 and the edition split of one district's briefings."""

    masthead: str = BUILT_IN["masthead"]
    internal_mark: bool = False
    imprint: bool = True
    analyst_sections: tuple[str, ...] = DEFAULT_ANALYST_SECTIONS
    # (file, line) of the editions setting, for a message about an unknown section
    editions_source: tuple[str, int | None] = ("", None)

    def masthead_for(self, unit: str, district: str) -> str:
        """The 简报's name, e.g. ``钟楼区安全生产工作简报``."""
        return self.masthead.replace("{单位}", unit).replace("{区}", district)


def checked_layout(value: dict[str, Any], fault, where) -> Layout:
    """``value``: the merged settings (missing keys take :data:`BUILT_IN`); ``fault(key,
    reason)`` makes the ConfigError naming the file and line; ``where(key)`` is that
    (file, line)."""
    get = {k: value.get(k, BUILT_IN[k]) for k in LAYOUT_KEYS}
    masthead = get["masthead"]
    if not isinstance(masthead, str) or not masthead.strip() or len(masthead.strip()) > 40:
        raise fault("masthead", "应为简报名称（不超过40个字，可含 {单位}、{区}）")
    for key in ("internal_mark", "imprint"):
        if not isinstance(get[key], bool):
            raise fault(key, f"应为 true 或 false，实际为“{get[key]}”")
    editions = get["editions"]
    if not isinstance(editions, dict) or set(editions) != {ANALYST_EDITION}:
        raise fault("editions", f"应为“{ANALYST_EDITION}: [节名, …]”（只放在核对版的各节）")
    sections = editions[ANALYST_EDITION] or []
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        raise fault("editions", f"中{ANALYST_EDITION}应为节名的列表，实际为“{sections}”")
    path, line = where("editions")
    return Layout(
        masthead=masthead.strip(),
        internal_mark=get["internal_mark"],
        imprint=get["imprint"],
        analyst_sections=tuple(s.strip() for s in sections),
        editions_source=(str(path), line),
    )
