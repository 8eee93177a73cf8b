"""Two editions from one run: what leaders receive and what analysts check.

One executed notebook gives two HTML files in the briefing folder:

* the **leader edition**, ``briefing.html`` (:data:`analysis.folder.BRIEFING_HTML`): the
  red 版头, 本期要点, prose, the key tables and charts and the 版记. It is what is mailed,
  attached, printed to PDF and turned into Word; it carries no reconciliation, no data
  quality table, no hashes, no encodings and no program version;
* the **analyst edition**, ``核对与附表.html`` (:data:`analysis.folder.ANALYST_HTML`): the
  full tables, the reconciliation with the published figures, data quality and provenance
  (file hashes, parameters, program version), linked from the index page.

How a cell finds its edition
----------------------------
Every output of ``brief.say(…)``, ``brief.heading(…)`` and ``brief.header()`` carries its
section's name in the output's metadata (:func:`section_metadata`, under
:data:`SECTION_KEY`). A section runs from its marker to the next marker, so the tables
and charts an analyst shows after ``brief.say("outreach")`` belong to ``outreach``.
A cell tagged ``analyst`` (:data:`ANALYST_TAG`) goes to the analyst edition whatever its
section; a cell tagged ``leader`` (:data:`LEADER_TAG`) to the leader edition.

An entry of the configuration is a section (``reconciliation``: all of it) or a section's
tables or charts (``outreach.tables``, ``enforcement.charts``): a cell showing a
``<table>`` is a table, a cell showing an image is a chart (:func:`cell_kind`).

Which sections are the analyst's is per-district configuration (``editions: {核对版: […]}``
in data/config/defaults.yaml, overridden by districts/<区>/district.yaml);
:data:`DEFAULT_ANALYST_SECTIONS` is the shipped default. Every other section is the
leader's.

API (stable; the Word, PDF and e-mail writers rely only on this and on the file names)::

    split_notebook(nb, analyst_sections) -> Editions(leader=NotebookNode, analyst=NotebookNode)
    cell_sections(nb) -> list[str]          # the section of each cell, in order
    section_metadata(section) -> dict       # the metadata brief.* attaches to its output

The split never changes a cell: each edition is a copy of the notebook holding a subset of
its cells, in their original order, exported by the same nbconvert template.

The leader edition's 版头 and 版记 have stable markup for the Word, PDF and e-mail writers
(documented in templates/fragments/header.html.j2 and footer.html.j2): ``header.masthead``
(``p.masthead-mark``, ``h1.masthead-name``, ``p.masthead-issue``, ``p.masthead-line`` with
``span.masthead-office`` and ``span.masthead-date``, ``div.masthead-rule``), then
``h2.briefing-title``; at the end ``footer.imprint`` (``p.imprint-line`` per 报/送/发,
``p.imprint-signature``, ``p.imprint-office`` with ``span.imprint-office-name`` and
``span.imprint-date``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.settings.layout import DEFAULT_ANALYST_SECTIONS

__all__ = ["DEFAULT_ANALYST_SECTIONS", "Editions", "cell_sections", "split_notebook"]

if TYPE_CHECKING:
    from nbformat import NotebookNode

LEADER, ANALYST = "leader", "analyst"
ANALYST_TITLE = "核对与附表"
# the editions' Chinese names (district.yaml's editions setting names 核对版)
EDITION_NAMES = {LEADER: "领导版", ANALYST: "核对版"}
SECTION_KEY = "analysis_section"
LEADER_TAG, ANALYST_TAG = "leader", "analyst"
# cells before the first marker (parameters, imports) show nothing; they are "start"
START_SECTION = "start"


def section_metadata(section: str) -> dict[str, str]:
    """The metadata a marker output carries, e.g. ``HTML(…, metadata=section_metadata("gaps"))``."""
    return {SECTION_KEY: section}


def _marker(output) -> str | None:
    """The section an output opens, if it is a marker (metadata per MIME type)."""
    for meta in (output.get("metadata") or {}).values():
        if isinstance(meta, dict) and isinstance(meta.get(SECTION_KEY), str):
            return meta[SECTION_KEY]
    return None


def cell_sections(nb: NotebookNode) -> list[str]:
    """The section of each cell: the last marker among its own outputs or, without one, the
    section of the cell before it."""
    current = START_SECTION
    sections = []
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            current = _marker(output) or current
        sections.append(current)
    return sections


TABLES, CHARTS, TEXT = "tables", "charts", "text"


def cell_kind(cell) -> str:
    """:data:`CHARTS` for a cell showing an image, :data:`TABLES` for one showing a
    ``<table>``, else :data:`TEXT`."""
    outputs = cell.get("outputs", ())
    datas = [o.get("data") or {} for o in outputs]
    if any(k.startswith("image/") for d in datas for k in d):
        return CHARTS
    if any("<table" in str(d.get("text/html", "")) for d in datas):
        return TABLES
    return TEXT


def cell_edition(cell, section: str, analyst_sections: Iterable[str]) -> str:
    """:data:`LEADER` or :data:`ANALYST` for ``cell`` of ``section`` (tags win)."""
    tags = cell.get("metadata", {}).get("tags", ())
    if ANALYST_TAG in tags:
        return ANALYST
    if LEADER_TAG in tags:
        return LEADER
    chosen = set(analyst_sections)
    if section in chosen or f"{section}.{cell_kind(cell)}" in chosen:
        return ANALYST
    return LEADER


@dataclass(frozen=True)
class Editions:
    leader: NotebookNode
    analyst: NotebookNode


def split_notebook(nb: NotebookNode, analyst_sections: Iterable[str]) -> Editions:
    """The executed notebook as two notebooks: the leader's and the analyst's cells."""
    analyst_sections = tuple(analyst_sections)
    chosen: dict[str, list] = {LEADER: [], ANALYST: []}
    for cell, section in zip(nb.cells, cell_sections(nb), strict=True):
        chosen[cell_edition(cell, section, analyst_sections)].append(cell)
    editions = {}
    for name, cells in chosen.items():
        copy_ = copy.copy(nb)  # a shallow copy: the cells themselves are shared, unchanged
        copy_["cells"] = cells
        editions[name] = copy_
    return Editions(**editions)


def prepend_html(nb: NotebookNode, html: str) -> NotebookNode:
    """``nb`` with a first cell that shows ``html`` (the analyst edition's own heading)."""
    from nbformat.v4 import new_code_cell, new_output

    cell = new_code_cell(outputs=[new_output("display_data", data={"text/html": html})])
    cell.id = "edition-heading"
    out = copy.copy(nb)
    out["cells"] = [cell, *nb.cells]
    return out


def analyst_heading(title: str, synthetic: bool, briefing_name: str) -> str:
    """The analyst edition's first block: its title, what it holds and a link to the
    leader edition ``briefing_name`` (a file name of the same folder, percent-encoded)."""
    from urllib.parse import quote

    from analysis.present.render import render

    return render(
        "analyst_header.html.j2",
        title=f"{title}·{ANALYST_TITLE}",
        synthetic=synthetic,
        briefing_href=quote(briefing_name),
        briefing_name=briefing_name,
    )
