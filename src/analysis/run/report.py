"""Run the briefing notebook with papermill and export it with nbconvert, in one process.

Outputs are staged in a temporary folder and swapped in as a whole only when the whole run
succeeded (``analysis.atomic.OutputSlot``), so a failed run never replaces the last good
briefing and a folder never mixes the files of two runs.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis.run import speedups

speedups.skip_unused_format_checker()  # before papermill imports jsonschema

import papermill  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

from analysis import folder  # noqa: E402
from analysis.atomic import OutputSlot, check_folder, write_atomic  # noqa: E402
from analysis.deliver import (  # noqa: E402
    DEFAULT_FORMATS,
    EarlyWorkbook,
    import_writers,
    write_formats,
)
from analysis.errors import RunFailedError  # noqa: E402
from analysis.present.titles import briefing_title  # noqa: E402
from analysis.run.kernel import (  # noqa: E402
    KERNEL_NAME,
    KernelManager,
    running_kernel,
    stop_kernel,
)
from analysis.run.speedups import export_html, warm_exporter  # noqa: E402
from analysis.settings import config  # noqa: E402
from analysis.settings.params import RunParams  # noqa: E402

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
BRIEFING_HTML = folder.BRIEFING_HTML
EXECUTED_NOTEBOOK = folder.EXECUTED_NOTEBOOK
FAILED_NOTEBOOK = folder.FAILED_NOTEBOOK


def _failure_message(err: PapermillExecutionError, kept: Path) -> str:
    return (
        f"简报生成失败：第 {err.cell_index + 1} 个单元格出错（{err.ename}）：{err.evalue}\n"
        f"失败的笔记本已保留：{kept}\n上一次成功生成的简报未被改动。"
    )


def run_briefing(
    params: RunParams,
    out_root: Path = config.OUTPUTS_DIR,
    notebook: Path | None = None,
    kernel: KernelManager | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    fingerprint: str | None = None,
) -> Path:
    """Execute ``notebook`` for ``params`` and write briefing.html, the executed notebook and
    the CSV tables into ``out_root/<district>/<period>[/<unit>]``. Returns the HTML path.

    The new files replace the folder's previous set all at once (``atomic.OutputSlot``);
    a failed or interrupted run leaves the previous set untouched.

    ``kernel``: an already started kernel to use (the batch runner keeps one warm per
    worker); by default a fresh kernel is started and shut down for this run.
    ``fingerprint``: stored with the new set (folder.FINGERPRINT), so that a later
    run can tell whether the briefing still matches its inputs.
    ``formats``: besides html, which of xlsx/docx/pdf to write (analysis.deliver).
    ``notebook``: by default the one of the period kind (``RunParams.notebook``)."""
    notebook = notebook or params.notebook
    if kernel is None:
        with running_kernel() as km:
            return run_briefing(params, out_root, notebook, km, formats, fingerprint)
    out_dir = Path(out_root) / params.output_subdir
    check_folder(out_dir)
    warm = ThreadPoolExecutor(max_workers=1)
    exporter = warm.submit(warm_exporter)
    warm.submit(import_writers, formats)  # the Office writers load while the kernel works
    if "pdf" in formats:  # start Chromium while the notebook runs (export.pdf)
        from analysis.deliver.pdf import warm as warm_pdf_printer

        warm.submit(warm_pdf_printer)
    with OutputSlot(Path(out_root), out_dir) as slot:
        try:
            workbook = EarlyWorkbook(slot.staging, warm) if "xlsx" in formats else None
            try:
                nb = _execute(params, notebook, kernel, slot.staging, out_dir, workbook)
            except (KeyboardInterrupt, SystemExit):  # nothing may write into staging after
                stop_kernel(kernel)  # waits for the kernel's process to end
                raise
            html = export_html(nb, briefing_title(params), exporter.result())
            (slot.staging / BRIEFING_HTML).write_text(html, encoding="utf-8")
            if fingerprint:
                stamp = json.dumps({"fingerprint": fingerprint})
                (slot.staging / folder.FINGERPRINT).write_text(stamp, encoding="utf-8")
            write_formats(slot.staging, formats, workbook)  # staged with the rest
            slot.publish()
        finally:
            warm.shutdown(wait=True)  # its workbook writes into staging: done before removal
    return out_dir / BRIEFING_HTML


def _execute(params, notebook: Path, kernel, staging: Path, out_dir: Path, workbook=None):
    """Run the notebook with papermill, writing its tables into ``staging``; on a notebook
    error keep the executed notebook as ``out_dir/briefing.failed.ipynb`` and raise.
    ``workbook``: an EarlyWorkbook, told after each cell (nbclient's on_cell_executed)."""
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
            on_cell_executed=workbook.after_cell if workbook else None,
        )
    except PapermillExecutionError as err:
        if err.ename == "KeyboardInterrupt":  # Ctrl-C reached the kernel too: not a failure
            raise KeyboardInterrupt from err
        kept = out_dir / FAILED_NOTEBOOK
        if executed.exists():
            write_atomic(kept, executed.read_bytes())
        raise RunFailedError(_failure_message(err, kept)) from err
