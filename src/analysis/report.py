"""Run the briefing notebook with papermill and export it with nbconvert, in one process.

Outputs are staged in a temporary folder next to the target and moved into place only
when the whole run succeeded, so a failed run never replaces the last good briefing.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

# jsonschema imports rfc3987_syntax (installed with jupyterlab) to check "iri" formats,
# which compiles a grammar at import time (~0.7 s per process). Notebook validation never
# uses those formats; marking the module absent makes jsonschema skip that checker.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import papermill  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from nbconvert.exporters.templateexporter import TemplateExporter  # noqa: E402
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

from analysis import config  # noqa: E402
from analysis.errors import RunFailedError  # noqa: E402
from analysis.kernel import KERNEL_NAME, KernelManager, running_kernel  # noqa: E402
from analysis.params import RunParams  # noqa: E402
from analysis.titles import briefing_title  # noqa: E402

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
BRIEFING_HTML = "briefing.html"
EXECUTED_NOTEBOOK = "briefing.ipynb"
FAILED_NOTEBOOK = "briefing.failed.ipynb"


class BriefingExporter(HTMLExporter):
    """HTMLExporter minus its final BeautifulSoup pass, which only adds alt text and tabindex
    attributes to the stock templates' markup (ours writes alt itself) and re-serialises the
    whole page, a third of the export time."""

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        data_types = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("filter_data_type", data_types)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html = _EMPTY_ANCHOR.sub("", html)
        return _NON_ASCII_CHARREF.sub(lambda m: chr(int(m.group(1))), html), resources


# Markdown headings get an empty permalink written as <a … /> (XML style); browsers read
# that as an *open* link swallowing the rest of the page. A briefing needs no permalinks.
_EMPTY_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*/>')


# nbconvert's markdown renderer writes headings' Chinese text as numeric character
# references (&#19968;); non-ASCII characters are never markup, so write them as text.
_NON_ASCII_CHARREF = re.compile(r"&#(12[89]|1[3-9]\d|[2-9]\d\d|\d{4,7});")


def _exporter() -> HTMLExporter:
    return BriefingExporter(
        template_name="briefing",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        anchor_link_text="",
    )


def export_html(nb: nbformat.NotebookNode, title: str, exporter: HTMLExporter | None = None) -> str:
    """Executed notebook -> self-contained HTML through the project's nbconvert template."""
    exporter = exporter or _exporter()
    html, _ = exporter.from_notebook_node(nb, resources={"briefing": {"title": title}})
    return html


@cache
def _warm_exporter() -> HTMLExporter:
    """An exporter with its template already compiled, made once per process (a batch
    worker reuses it for every briefing) and, the first time, while the kernel works."""
    exporter = _exporter()
    exporter.template  # noqa: B018 - loading and compiling the Jinja template is the point
    return exporter


def _failure_message(err: PapermillExecutionError, kept: Path) -> str:
    return (
        f"简报生成失败：第 {err.cell_index + 1} 个单元格出错（{err.ename}）：{err.evalue}\n"
        f"失败的笔记本已保留：{kept}\n上一次成功生成的简报未被改动。"
    )


def run_briefing(
    params: RunParams,
    out_root: Path = config.OUTPUTS_DIR,
    notebook: Path = BRIEFING_NOTEBOOK,
    kernel: KernelManager | None = None,
) -> Path:
    """Execute ``notebook`` for ``params`` and write briefing.html, the executed notebook and
    the CSV tables into ``out_root/<district>/<period>[/<unit>]``. Returns the HTML path.

    ``kernel``: an already started kernel to use (the batch runner keeps one warm per
    worker); by default a fresh kernel is started and shut down for this run."""
    if kernel is None:
        with running_kernel() as km:
            return run_briefing(params, out_root, notebook, km)
    out_dir = Path(out_root) / params.output_subdir
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".run-", dir=out_dir))
    warm = ThreadPoolExecutor(max_workers=1)
    exporter = warm.submit(_warm_exporter)
    try:
        executed = staging / EXECUTED_NOTEBOOK
        parameters = params.as_notebook_parameters() | {"output_dir": str(staging)}
        try:
            nb = papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                km=kernel,
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(notebook.parent),
            )
        except PapermillExecutionError as err:
            kept = out_dir / FAILED_NOTEBOOK
            if executed.exists():
                os.replace(executed, kept)
            raise RunFailedError(_failure_message(err, kept)) from err

        html = export_html(nb, briefing_title(params), exporter.result())
        (staging / BRIEFING_HTML).write_text(html, encoding="utf-8")
        _promote(staging, out_dir)
        (out_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)
        return out_dir / BRIEFING_HTML
    finally:
        warm.shutdown(wait=True)
        shutil.rmtree(staging, ignore_errors=True)


def _promote(staging: Path, out_dir: Path) -> None:
    """Move every staged file into place, the HTML last (each move is atomic)."""
    files = sorted(p for p in staging.iterdir() if p.is_file())
    files.sort(key=lambda p: p.name == BRIEFING_HTML)
    for path in files:
        os.replace(path, out_dir / path.name)
