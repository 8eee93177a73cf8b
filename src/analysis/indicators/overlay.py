"""A district's own catalogue entries: ``data/config/districts/<区>/catalogue.yaml``, an
overlay on the shared ``data/config/catalogue.yaml``.

The district's file has the same form (``indicators:`` list). An entry with a new id is
added for that district only; an entry with a shared id replaces the shared one for that
district only. No other district sees either, so an indicator made for one district's
bulletin never appears in (or is named by 本期要点 of) another district's briefing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.settings.district import district_dir
from analysis.settings.yaml_files import LineDict, LineList, config_fault

CATALOGUE_FILE_NAME = "catalogue.yaml"


def district_catalogue_file(district: str) -> Path:
    return district_dir(district) / CATALOGUE_FILE_NAME


def overlay_indicators(shared: Any, own: Any, own_path: Path) -> dict:
    """The shared catalogue's data with the district's entries added (or replacing the
    shared entry of the same id). ``own`` must be a mapping with an ``indicators`` list."""
    if own is None:
        return shared
    if not isinstance(own, dict) or not isinstance(own.get("indicators"), list):
        raise config_fault(own_path, "顶层应有 indicators 列表（本区新增或改写的指标）")
    own_ids = {str(raw.get("id")) for raw in own["indicators"] if isinstance(raw, dict)}
    entries, lines = shared["indicators"], getattr(shared["indicators"], "lines", [])
    kept = [
        k
        for k, raw in enumerate(entries)
        if not (isinstance(raw, dict) and str(raw.get("id")) in own_ids)
    ]
    merged = LineDict(shared)
    merged.lines = dict(getattr(shared, "lines", {}))
    merged["indicators"] = LineList([entries[k] for k in kept] + list(own["indicators"]))
    own_lines = list(getattr(own["indicators"], "lines", []))
    merged["indicators"].lines = [lines[k] if k < len(lines) else 0 for k in kept] + own_lines
    return merged
