"""Run the briefing notebook with papermill and export it with nbconvert, in one process.

Outputs are staged in a temporary folder and swapped in as a whole only when the whole run
succeeded (``analysis.atomic.OutputSlot``), so a failed run never replaces the last good
briefing and a folder never mixes the files of two runs.
"""

from __future__ import annotations

import json
import re
import sys
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
from analysis.atomic import OutputSlot, check_folder, write_atomic  # noqa: E402
from analysis.batch import FINGERPRINT_FILE  # noqa: E402
from analysis.errors import RunFailedError  # noqa: E402
from analysis.kernel import KERNEL_NAME, KernelManager, running_kernel  # noqa: E402
from analysis.narrative import briefing_title  # noqa: E402
from analysis.params import RunParams  # noqa: E402

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
    fingerprint: str | None = None,
) -> Path:
    """Execute ``notebook`` for ``params`` and write briefing.html, the executed notebook and
    the CSV tables into ``out_root/<district>/<period>[/<unit>]``. Returns the HTML path.

    The new files replace the folder's previous set all at once (``atomic.OutputSlot``);
    a failed or interrupted run leaves the previous set untouched.

    ``kernel``: an already started kernel to use (the batch runner keeps one warm per
    worker); by default a fresh kernel is started and shut down for this run.
    ``fingerprint``: stored with the new set (batch.FINGERPRINT_FILE), so that a later
    run can tell whether the briefing still matches its inputs."""
    if kernel is None:
        with running_kernel() as km:
            return run_briefing(params, out_root, notebook, km, fingerprint)
    out_dir = Path(out_root) / params.output_subdir
    check_folder(out_dir)
    warm = ThreadPoolExecutor(max_workers=1)
    exporter = warm.submit(_warm_exporter)
    try:
        with OutputSlot(Path(out_root), out_dir) as slot:
            nb = _execute(params, notebook, kernel, slot.staging, out_dir)
            html = export_html(nb, briefing_title(params), exporter.result())
            (slot.staging / BRIEFING_HTML).write_text(html, encoding="utf-8")
            if fingerprint:
                stamp = json.dumps({"fingerprint": fingerprint})
                (slot.staging / FINGERPRINT_FILE).write_text(stamp, encoding="utf-8")
            slot.publish()
        return out_dir / BRIEFING_HTML
    finally:
        warm.shutdown(wait=True)


def _execute(params, notebook: Path, kernel, staging: Path, out_dir: Path):
    """Run the notebook with papermill, writing its tables into ``staging``; on a notebook
    error keep the executed notebook as ``out_dir/briefing.failed.ipynb`` and raise."""
    executed = staging / EXECUTED_NOTEBOOK
    parameters = params.as_notebook_parameters() | {"output_dir": str(staging)}
    try:
        return papermill.execute_notebook(
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
        if err.ename == "KeyboardInterrupt":  # Ctrl-C reached the kernel too: not a failure
            raise KeyboardInterrupt from err
        kept = out_dir / FAILED_NOTEBOOK
        if executed.exists():
            write_atomic(kept, executed.read_bytes())
        raise RunFailedError(_failure_message(err, kept)) from err
