"""outputs/index.html: every briefing of a batch as a unit × month matrix.

Each cell links to its briefing and is coloured by the worst target status in that
briefing's summary.json (未达标 > 预警 > 达标); the counts are written out too, so the page
reads the same without colour. The last column holds each unit's latest headline figures.
Rendered by Jinja2 with autoescaping; no script, nothing loaded from the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import folder
from analysis.atomic import write_atomic
from analysis.present.render import render
from analysis.settings import config

if TYPE_CHECKING:
    from analysis.run.batch import Job, Summary

STATUSES = ("达标", "预警", "未达标")


@dataclass
class Cell:
    """One briefing: where it is and how it stands."""

    period: str
    month_label: str
    href: str = ""
    status: str = "无"  # worst status: 未达标 | 预警 | 达标 | 失败 | 无 (not built)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class UnitRow:
    unit: str
    cells: list[Cell] = field(default_factory=list)
    headline: list[dict] = field(default_factory=list)
    headline_period: str = ""


def _read_summary(out_dir: Path) -> dict | None:
    try:
        return json.loads((out_dir / folder.SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def worst_status(counts: dict[str, int]) -> str:
    """The status that colours a cell: the worst one with a non-zero count."""
    for status in reversed(STATUSES):
        if counts.get(status, 0) > 0:
            return status
    return "达标" if counts else "无"


def _month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{int(month)}月"


def build_matrix(jobs: list[Job], summary: Summary, out_root: Path) -> tuple[list, list, bool]:
    """(periods, unit rows, synthetic) for the index page, in the jobs' order."""
    failed = {o.params for o in summary.outcomes if o.status == "failed"}
    periods: list[str] = []
    rows: dict[str, UnitRow] = {}
    synthetic = False
    for job in jobs:
        params = job.params
        if params.period not in periods:
            periods.append(params.period)
        row = rows.setdefault(params.unit_name, UnitRow(params.unit_name))
        out_dir = Path(out_root) / params.output_subdir
        html = out_dir / folder.BRIEFING_HTML
        cell = Cell(params.period, _month_label(params.period))
        if html.exists():
            cell.href = html.relative_to(out_root).as_posix()
        info = _read_summary(out_dir)
        if params in failed:
            cell.status = "失败"
        elif info is not None and cell.href:
            cell.counts = {s: int(info.get("targets", {}).get(s, 0)) for s in STATUSES}
            cell.status = worst_status(cell.counts)
            synthetic = synthetic or bool(info.get("synthetic"))
            if params.period >= row.headline_period:
                row.headline, row.headline_period = info.get("headline", []), params.period
        row.cells.append(cell)
    return periods, list(rows.values()), synthetic


def write_index(jobs: list[Job], summary: Summary, out_root: Path = config.OUTPUTS_DIR) -> Path:
    """Write ``out_root/index.html`` (atomically) and return its path."""
    out_root = Path(out_root)
    periods, rows, synthetic = build_matrix(jobs, summary, out_root)
    page = render(
        "index.html.j2",
        periods=periods,
        month_labels=[_month_label(p) for p in periods],
        rows=rows,
        synthetic=synthetic,
        statuses=STATUSES,
    )
    return write_atomic(out_root / folder.INDEX, page)
