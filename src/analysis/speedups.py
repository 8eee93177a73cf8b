"""Everything that makes a briefing run faster than the stock papermill + nbconvert route, in
one place.

Two of the speed-ups reach past public APIs; with ``BRIEFING_PUBLIC_API=1`` in the
environment both are left out and only public APIs are used. The briefing is byte-identical
either way (tests/test_speedups.py), only slower:

* jsonschema imports ``rfc3987_syntax`` (installed with jupyterlab) to check "iri" formats,
  which compiles a grammar at import time (~0.7 s per process). Notebook validation never
  uses those formats; marking the module absent in ``sys.modules`` makes jsonschema skip that
  checker. ``skip_unused_format_checker()`` must run before papermill or nbformat is
  imported.
* jupyter_client polls a killed kernel every 0.1 s until it is gone; a killed kernel is gone
  within milliseconds, so ``FastShutdownKernelManager`` overrides the private ``_async_wait``
  to poll faster (~0.1 s per briefing).

The rest uses public APIs only and applies on both paths:

* the kernel imports the project while it boots, in parallel with the caller's own imports
  (``KERNEL_PRELOAD``, an IPython start-up line);
* the export uses nbconvert's ``TemplateExporter`` with the project's template and nbconvert's
  own options (no permalinks, no input, no prompts). That skips ``HTMLExporter``'s
  BeautifulSoup pass, which only adds accessibility attributes to the stock templates' markup
  and re-serialises the whole page (90% of the export time, and XML-style ``<br/>``);
* the exporter is built once per process, its template compiled while the kernel works
  (``warm_exporter``).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import TYPE_CHECKING

from jupyter_client import KernelManager

from analysis import config

if TYPE_CHECKING:
    from nbconvert.exporters import TemplateExporter
    from nbformat import NotebookNode

# The notebook imports the same module, so this changes timing only, never results.
KERNEL_PRELOAD = "import analysis.briefing, analysis.house, seaborn"

PUBLIC_API_ENV = "BRIEFING_PUBLIC_API"
PUBLIC_API_ONLY = os.environ.get(PUBLIC_API_ENV, "0") not in ("", "0")


def skip_unused_format_checker() -> None:
    if not PUBLIC_API_ONLY:
        sys.modules.setdefault("rfc3987_syntax", None)


class FastShutdownKernelManager(KernelManager):
    """A KernelManager that waits for a killed kernel with a 5 ms poll instead of 100 ms."""

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        await super()._async_wait(pollinterval)


def kernel_manager_class() -> type[KernelManager]:
    return KernelManager if PUBLIC_API_ONLY else FastShutdownKernelManager


def _markdown_without_permalinks(source: str) -> str:
    """nbconvert's markdown filter with its own ``exclude_anchor_links`` option: a briefing
    needs no heading permalinks (HTMLExporter offers the option, TemplateExporter does not)."""
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
    """An exporter with its template already compiled, made once per process (a batch
    worker reuses it for every briefing) and, the first time, while the kernel works."""
    exporter = briefing_exporter()
    exporter.template  # noqa: B018 - loading and compiling the Jinja template is the point
    return exporter


def export_html(nb: NotebookNode, title: str, exporter: TemplateExporter | None = None) -> str:
    """Executed notebook -> self-contained HTML through the project's nbconvert template."""
    exporter = exporter or briefing_exporter()
    html, _ = exporter.from_notebook_node(nb, resources={"briefing": {"title": title}})
    return html
