"""The briefing's HTML: the executed notebook through nbconvert's ``TemplateExporter`` with
the project's template (templates/briefing), public APIs only.

``TemplateExporter`` with nbconvert's own options (no input, no prompts) rather than
``HTMLExporter``: the latter re-parses the whole page with BeautifulSoup to add attributes
to the stock templates' markup (most of the export time, and XML-style ``<br/>``). Heading
permalinks are left out with the ``exclude_anchor_links`` option of nbconvert's markdown
renderer, the one ``HTMLExporter`` offers.

``BriefingExporter`` is registered as the nbconvert exporter ``briefing`` (entry point in
pyproject.toml): JupyterLab lists it under "Save and Export Notebook As…", so a notebook
the analyst has just run exports as the briefing; ``jupyter nbconvert --to briefing`` too."""

from __future__ import annotations

import re
from functools import cache

from nbconvert.exporters import TemplateExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

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

    def __init__(self, config=None, **kw):
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

    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        """``resources["briefing"]["title"]``: the page title; from JupyterLab, the title
        the run showed in its header (else the notebook's name)."""
        resources = dict(resources or {})
        if "briefing" not in resources:
            name = resources.get("metadata", {}).get("name") or "简报"
            resources["briefing"] = {"title": _shown_title(nb) or name}
        return super().from_notebook_node(nb, resources, **kw)


def _shown_title(nb: NotebookNode) -> str:
    """The first <h1> a cell's output showed (the briefing header), as plain text."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = _TITLE.search(output.get("data", {}).get("text/html", ""))
            if found:
                return _TAG.sub("", found.group(1)).strip()
    return ""


def briefing_exporter() -> BriefingExporter:
    return BriefingExporter()


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
    """Executed notebook -> self-contained HTML through the project's nbconvert template."""
    exporter = exporter or briefing_exporter()
    html, _ = exporter.from_notebook_node(nb, resources={"briefing": {"title": title}})
    return html
