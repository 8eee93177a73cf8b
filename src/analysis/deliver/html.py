"""The briefing's HTML: the executed notebook through nbconvert's ``TemplateExporter`` with
the project's template (templates/briefing), public APIs only.

``TemplateExporter`` with nbconvert's own options (no input, no prompts) rather than
``HTMLExporter``: the latter re-parses the whole page with BeautifulSoup to add attributes
to the stock templates' markup (most of the export time, and XML-style ``<br/>``). Heading
permalinks are left out with the ``exclude_anchor_links`` option of nbconvert's markdown
renderer, the one ``HTMLExporter`` offers. Each cell's HTML is cleaned by the template's
``clean_cell`` filter (deliver/sanitize.py): no script, nothing loaded from the network.

``BriefingExporter`` is registered as the nbconvert exporter ``briefing`` (entry point in
pyproject.toml): JupyterLab lists it under "Save and Export Notebook As…", so a notebook
the analyst has just run exports as the briefing; ``jupyter nbconvert --to briefing`` too."""

from __future__ import annotations

import re
from functools import cache

from nbconvert.exporters import TemplateExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

from analysis.deliver.sanitize import Removals, clean_cell, warn_removed
from analysis.settings.config import TEMPLATES_DIR

_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _markdown_without_permalinks(source: str) -> str:
    renderer = IPythonRenderer(escape=False, exclude_anchor_links=True)
    return MarkdownWithMath(renderer=renderer).render(source)


class BriefingExporter(TemplateExporter):
    """nbconvert's exporter for the project's template: outputs only, no code or prompts."""

    export_from_notebook = "安全生产简报 HTML"
    output_mimetype = "text/html"

    def __init__(self, config=None, leader_edition: bool = True, **kw):
        """``leader_edition``: export only the leader edition's cells (what JupyterLab's
        export menu and ``nbconvert --to briefing`` give); the run splits the editions
        itself and exports each whole (``briefing_exporter``)."""
        self.leader_edition = leader_edition
        options = {
            "template_name": "briefing",
            "template_file": "index.html.j2",
            "extra_template_basedirs": [str(TEMPLATES_DIR)],
            "exclude_input": True,
            "exclude_input_prompt": True,
            "exclude_output_prompt": True,
            "exclude_raw": True,
            "exclude_unknown": True,
        }
        super().__init__(config=config, **(options | kw))
        self.register_filter("markdown2html", _markdown_without_permalinks)
        self.register_filter("clean_cell", clean_cell)  # no script, nothing remote

    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        """``resources["briefing"]["title"]``: the page title; from JupyterLab, the title
        the run showed in its header (else the notebook's name)."""
        resources = dict(resources or {})
        if "briefing" not in resources:
            name = resources.get("metadata", {}).get("name") or "简报"
            resources["briefing"] = {"title": _shown_title(nb) or name}
        if self.leader_edition:
            nb = _leader_cells(nb)
        return super().from_notebook_node(nb, resources, **kw)


def _leader_cells(nb: NotebookNode) -> NotebookNode:
    """The leader edition of a run notebook, split by its district's ``editions`` setting
    (the district papermill ran it for, else the project's default district)."""
    from analysis.deliver.editions import split_notebook
    from analysis.settings.district import district_settings
    from analysis.settings.params import project_settings

    ran_with = nb.metadata.get("papermill", {}).get("parameters", {})
    district = ran_with.get("district") or project_settings()["district"]
    return split_notebook(nb, district_settings(district).layout.analyst_sections).leader


def _shown_title(nb: NotebookNode) -> str:
    """The first <h1> a cell's output showed (the briefing header), as plain text."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = _TITLE.search(output.get("data", {}).get("text/html", ""))
            if found:
                return _TAG.sub("", found.group(1)).strip()
    return ""


def briefing_exporter() -> BriefingExporter:
    """The exporter a run uses: it exports each edition it is given, whole."""
    return BriefingExporter(leader_edition=False)


@cache
def warm_exporter() -> BriefingExporter:
    """An exporter with its template and filters loaded, made once per process (a batch
    worker reuses it for every briefing) and, the first time, while the kernel works."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    exporter = briefing_exporter()
    # one export of a one-cell notebook loads and compiles the template and its filters
    export_html(new_notebook(cells=[new_markdown_cell("#")]), "", exporter)
    return exporter


def export_html(nb: NotebookNode, title: str, exporter: BriefingExporter | None = None) -> str:
    """Executed notebook -> self-contained HTML through the project's nbconvert template.
    Each cell's HTML is cleaned (deliver/sanitize.py); what was removed is told on stderr."""
    exporter = exporter or briefing_exporter()
    removed = Removals()
    resources = {"briefing": {"title": title, "removed": removed}}
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    warn_removed(title, removed)
    return html
