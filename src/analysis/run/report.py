"""Run the briefing notebook with papermill and export it with nbconvert, in one process.

Outputs are staged in a temporary folder and swapped in as a whole only when the whole run
succeeded (``analysis.atomic.OutputSlot``), so a failed run never replaces the last good
briefing and a folder never mixes the files of two runs.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import papermill
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.reader import NotJSONError
from nbformat.validator import ValidationError
from papermill.exceptions import PapermillExecutionError

from analysis import folder
from analysis.atomic import OutputSlot, check_folder
from analysis.deliver import (
    DEFAULT_FORMATS,
    EarlyWorkbook,
    import_writers,
    write_formats,
)
from analysis.deliver.editions import (
    ANALYST_TITLE,
    analyst_heading,
    prepend_html,
    split_notebook,
)
from analysis.deliver.html import export_html, warm_exporter
from analysis.errors import RunFailedError
from analysis.notebook_cells import cell_label
from analysis.present.titles import briefing_title
from analysis.run.failures import cell_with_source, keep_failed, read_notebook
from analysis.run.kernel import (
    KERNEL_NAME,
    KernelManager,
    cell_timeout,
    running_kernel,
    stop_kernel,
)
from analysis.settings import config
from analysis.settings.district import district_settings
from analysis.settings.params import RunParams

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
BRIEFING_HTML = folder.BRIEFING_HTML
ANALYST_HTML = folder.ANALYST_HTML
EXECUTED_NOTEBOOK = folder.EXECUTED_NOTEBOOK
FAILED_NOTEBOOK = folder.FAILED_NOTEBOOK


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
    out_dir = params.folder_in(out_root)
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
                # stopping the kernel runs the event loop once more: the interrupted cell's
                # wait then finds the kernel gone and would log nbclient's English "Kernel
                # died …" before our one Chinese line; the run is ending, that is expected
                logging.getLogger("papermill").setLevel(logging.CRITICAL)
                stop_kernel(kernel)  # waits for the kernel's process to end
                raise
            _write_editions(nb, params, slot.staging, exporter.result())
            if fingerprint:
                stamp = json.dumps({"fingerprint": fingerprint})
                (slot.staging / folder.FINGERPRINT).write_text(stamp, encoding="utf-8")
            write_formats(slot.staging, formats, workbook, params.district)  # staged
            slot.publish()
        finally:
            warm.shutdown(wait=True)  # its workbook writes into staging: done before removal
    return out_dir / BRIEFING_HTML


def _write_editions(nb, params: RunParams, staging: Path, exporter) -> None:
    """The leader edition (folder.BRIEFING_HTML) and the analyst edition
    (folder.ANALYST_HTML) of the executed notebook, split by the district's ``editions``
    setting (analysis.deliver.editions)."""
    layout = district_settings(params.district).layout
    editions = split_notebook(nb, layout.analyst_sections)
    title = briefing_title(params)
    leader = export_html(editions.leader, title, exporter)
    (staging / folder.BRIEFING_HTML).write_text(leader, encoding="utf-8")
    heading = analyst_heading(title, _synthetic(staging), folder.BRIEFING_HTML)
    analyst = prepend_html(editions.analyst, heading)
    page = export_html(analyst, f"{title}·{ANALYST_TITLE}", exporter)
    (staging / folder.ANALYST_HTML).write_text(page, encoding="utf-8")


def _synthetic(staging: Path) -> bool:
    """Whether the run's summary.json says its data are synthetic (the sample's)."""
    try:
        summary = json.loads((staging / folder.SUMMARY).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(summary.get("synthetic"))


def _execute(params, notebook: Path, kernel, staging: Path, out_dir: Path, workbook=None):
    """Run the notebook with papermill, writing its tables into ``staging``; on a notebook
    error keep the executed notebook as ``out_dir/briefing.failed.ipynb`` and raise.
    ``workbook``: an EarlyWorkbook, told after each cell (nbclient's on_cell_executed)."""
    executed = staging / EXECUTED_NOTEBOOK
    parameters = params.as_notebook_parameters() | {"output_dir": str(staging)}
    kept = out_dir / FAILED_NOTEBOOK
    started: dict = {}  # the cell nbclient started last (its on_cell_start hook)
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
            execution_timeout=cell_timeout(),
            on_cell_executed=workbook.after_cell if workbook else None,
            on_cell_start=lambda cell, cell_index: started.update(cell=cell),
        )
    except PapermillExecutionError as err:
        if err.ename == "KeyboardInterrupt":  # Ctrl-C reached the kernel too: not a failure
            raise KeyboardInterrupt from err
        keep_failed(executed, kept)
        nb = read_notebook(executed)
        cell = cell_with_source(nb, err.source)
        raise RunFailedError(
            f"简报生成失败：{cell_label(nb, cell)}出错（{err.ename}）：{err.evalue}\n"
            f"失败的笔记本已保留（打开后第一格可跳到出错处）：{kept}\n上一次成功生成的简报未被改动。"
        ) from err
    except (DeadKernelError, CellTimeoutError) as err:
        raise RunFailedError(_stopped_message(err, notebook, started.get("cell"))) from err
    except (NotJSONError, ValidationError) as err:
        raise RunFailedError(
            f"笔记本 {notebook} 无法读取：不是有效的 Jupyter 笔记本（JSON 格式有误，可能被截断"
            "或误改）。请用 git 恢复，或在 JupyterLab 中重新保存。"
        ) from err


def _stopped_message(err: Exception, notebook: Path, cell) -> str:
    """A time-out or a dead kernel: papermill writes no notebook then, so the cell is the
    one nbclient started last, named among the analyst's own cells."""
    where = cell_label(read_notebook(notebook), dict(cell)) if cell else "某个代码单元格"
    if isinstance(err, CellTimeoutError):
        cause = (
            f"{where}运行超过 {cell_timeout()} 秒仍未结束，已停止。若确需更长时间，"
            "可设置 CELL_TIMEOUT=秒数（或 --cell-timeout）"
        )
    else:
        cause = f"内核在运行{where}时意外退出（可能是内存不足，或进程被结束）"
    return f"简报生成失败：{cause}。\n上一次成功生成的简报未被改动。"
