"""outputs/index.html: the list of districts, each linking to its own index
(outputs/<区>/index.html, written by that district's batch), so one district's batch never
unlinks another district's briefings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from analysis.atomic import write_atomic
from analysis.present.render import render

INDEX_FILE = "index.html"
LIST_STATE = "districts.json"  # what each district's last batch covered, for the list


@dataclass(frozen=True)
class DistrictEntry:
    name: str
    href: str
    periods: str  # e.g. "2020-01 至 2020-10"
    briefings: int


def record_district(out_root: Path, district: str, periods: list[str], briefings: int) -> None:
    """Note in ``out_root/districts.json`` what the district's latest batch covered."""
    path = Path(out_root) / LIST_STATE
    state = _read_state(path)
    span = f"{periods[0]} 至 {periods[-1]}" if len(periods) > 1 else "".join(periods)
    state[district] = {"periods": span, "briefings": int(briefings)}
    write_atomic(path, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def write_districts_index(out_root: Path) -> Path:
    """``out_root/index.html`` listing every district that has its own index page."""
    out_root = Path(out_root)
    state = _read_state(out_root / LIST_STATE)
    entries = [
        DistrictEntry(
            name,
            f"{quote(name)}/{INDEX_FILE}",
            str(state.get(name, {}).get("periods", "")),
            int(state.get(name, {}).get("briefings", 0)),
        )
        for name in sorted(state)
        if (out_root / name / INDEX_FILE).is_file()
    ]
    page = render("districts_index.html.j2", districts=entries)
    return write_atomic(out_root / INDEX_FILE, page)
