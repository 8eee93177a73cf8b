"""Run the briefing notebook with papermill and export it with nbconvert, in one process.

Outputs are staged in a temporary folder next to the target and moved into place only
when the whole run succeeded, so a failed run never replaces the last good briefing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis import speedups

speedups.skip_unused_format_checker()  # before papermill imports jsonschema

import papermill  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

from analysis import config  # noqa: E402
from analysis.errors import RunFailedError  # noqa: E402
from analysis.export import DEFAULT_FORMATS, write_formats  # noqa: E402
from analysis.kernel import KERNEL_NAME, KernelManager, running_kernel  # noqa: E402
from analysis.params import RunParams  # noqa: E402
from analysis.speedups import export_html, warm_exporter  # noqa: E402
from analysis.titles import briefing_title  # noqa: E402

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
BRIEFING_HTML = "briefing.html"
EXECUTED_NOTEBOOK = "briefing.ipynb"
FAILED_NOTEBOOK = "briefing.failed.ipynb"


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
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> Path:
    """Execute ``notebook`` for ``params`` and write briefing.html, the executed notebook and
    the CSV tables into ``out_root/<district>/<period>[/<unit>]``. Returns the HTML path.

    ``kernel``: an already started kernel to use (the batch runner keeps one warm per
    worker); by default a fresh kernel is started and shut down for this run.
    ``formats``: besides html, which of xlsx/docx/pdf to write (analysis.export)."""
    if kernel is None:
        with running_kernel() as km:
            return run_briefing(params, out_root, notebook, km, formats)
    out_dir = Path(out_root) / params.output_subdir
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".run-", dir=out_dir))
    warm = ThreadPoolExecutor(max_workers=1)
    exporter = warm.submit(warm_exporter)
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
        write_formats(staging, formats)  # readers' formats, staged with the rest (export/)
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
