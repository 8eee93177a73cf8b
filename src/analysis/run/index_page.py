"""outputs/<区>/index.html: every briefing of a district's batch as a unit × month matrix
(outputs/index.html lists the districts, ``run.districts_index``).

Each cell links to its briefing and is coloured by the worst target status in that
briefing's summary.json (未达标 > 预警 > 达标); the counts are written out too, so the page
reads the same without colour. The last column holds each unit's latest headline figures.
Rendered by Jinja2 with autoescaping; every link is made of checked folder names,
percent-encoded (``names.relative_url``); no script, nothing loaded from the network.
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
from analysis.settings.names import relative_url

if TYPE_CHECKING:
    from analysis.run.batch import Summary
    from analysis.run.planning import Job

STATUSES = ("达标", "预警", "未达标")
NO_TARGETS = "未设目标"


@dataclass
class Cell:
    """One briefing: where it is and how it stands."""

    period: str
    month_label: str
    href: str = ""
    analyst_href: str = ""  # the analyst edition (核对与附表) beside the briefing
    status: str = "无"  # worst status: 未达标 | 预警 | 达标 | 未设目标 | 失败 | 无 (not built)
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
    """The status that colours a cell: the worst one with a non-zero count; 未设目标 when
    the briefing has no targets (never 全部达标)."""
    for status in reversed(STATUSES):
        if counts.get(status, 0) > 0:
            return status
    return NO_TARGETS if counts else "无"


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
        out_dir = params.folder_in(out_root)
        html = out_dir / folder.BRIEFING_HTML
        cell = Cell(params.period, _month_label(params.period))
        if html.exists():  # relative to the district's own index page
            cell.href = relative_url([*params.output_parts[1:], folder.BRIEFING_HTML])
        if html.exists() and (out_dir / folder.ANALYST_HTML).exists():
            cell.analyst_href = relative_url([*params.output_parts[1:], folder.ANALYST_HTML])
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
    """Write the district's ``out_root/<区>/index.html`` and the list of districts
    ``out_root/index.html`` (atomically); return the district's page."""
    from analysis.run.districts_index import record_district, write_districts_index

    out_root = Path(out_root)
    district = jobs[0].params.district if jobs else ""
    periods, rows, synthetic = build_matrix(jobs, summary, out_root)
    page = render(
        "index.html.j2",
        periods=periods,
        month_labels=[_month_label(p) for p in periods],
        rows=rows,
        synthetic=synthetic,
        statuses=STATUSES,
        district=district,
    )
    written = write_atomic(out_root / district / folder.INDEX, page)
    record_district(out_root, district, periods, sum(bool(c.href) for r in rows for c in r.cells))
    write_districts_index(out_root)
    return written
