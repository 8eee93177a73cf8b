"""The briefing's HTML: the executed notebook through nbconvert's ``TemplateExporter`` with
the project's template (templates/briefing), public APIs only.

``TemplateExporter`` with nbconvert's own options (no input, no prompts) rather than
``HTMLExporter``: the latter re-parses the whole page with BeautifulSoup to add attributes
to the stock templates' markup (most of the export time, and XML-style ``<br/>``). Heading
permalinks are left out with the ``exclude_anchor_links`` option of nbconvert's markdown
renderer, the one ``HTMLExporter`` offers."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from analysis.settings import config

if TYPE_CHECKING:
    from nbconvert.exporters import TemplateExporter
    from nbformat import NotebookNode


def _markdown_without_permalinks(source: str) -> str:
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderer = IPythonRenderer(escape=False, exclude_anchor_links=True)
    return MarkdownWithMath(renderer=renderer).render(source)


def briefing_exporter() -> TemplateExporter:
    """nbconvert's exporter for the project's template (templates/briefing)."""
    from nbconvert.exporters import TemplateExporter

    return TemplateExporter(
        template_name="briefing",
        template_file="index.html.j2",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        filters={"markdown2html": _markdown_without_permalinks},
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_raw=True,
        exclude_unknown=True,
    )


@cache
def warm_exporter() -> TemplateExporter:
    """An exporter with its template and filters loaded, made once per process (a batch
    worker reuses it for every briefing) and, the first time, while the kernel works."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    exporter = briefing_exporter()
    # one export of a one-cell notebook loads and compiles the template and its filters
    export_html(new_notebook(cells=[new_markdown_cell("#")]), "", exporter)
    return exporter


def export_html(nb: NotebookNode, title: str, exporter: TemplateExporter | None = None) -> str:
    """Executed notebook -> self-contained HTML through the project's nbconvert template."""
    exporter = exporter or briefing_exporter()
    html, _ = exporter.from_notebook_node(nb, resources={"briefing": {"title": title}})
    return html
