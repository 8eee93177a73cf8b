"""Run the briefing notebook with papermill and export it with nbconvert, in one process.

Outputs are staged in a temporary folder next to the target and moved into place only
when the whole run succeeded, so a failed run never replaces the last good briefing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

# jsonschema imports rfc3987_syntax (installed with jupyterlab) to check "iri" formats,
# which compiles a grammar at import time (~0.7 s per process). Notebook validation never
# uses those formats; marking the module absent makes jsonschema skip that checker.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
import papermill  # noqa: E402
from jupyter_client import KernelManager  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from papermill.exceptions import PapermillExecutionError  # noqa: E402

from analysis import config  # noqa: E402
from analysis.errors import RunFailedError  # noqa: E402
from analysis.narrative import briefing_title  # noqa: E402
from analysis.params import RunParams  # noqa: E402

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"
BRIEFING_HTML = "briefing.html"
EXECUTED_NOTEBOOK = "briefing.ipynb"
FAILED_NOTEBOOK = "briefing.failed.ipynb"
KERNEL_NAME = "python3"  # ipykernel's native kernel: the interpreter running this code


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Executed notebook -> self-contained HTML through the project's nbconvert template."""
    exporter = HTMLExporter(
        template_name="briefing",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        anchor_link_text="",
    )
    html, _ = exporter.from_notebook_node(nb, resources={"briefing": {"title": title}})
    return html


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

    ``kernel``: an already started kernel to reuse (the batch runner keeps one warm per
    worker); by default a fresh kernel is started and shut down for this run."""
    out_dir = Path(out_root) / params.output_subdir
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".run-", dir=out_dir))
    sockets = Path(tempfile.mkdtemp(prefix="briefing-kernel-"))
    own_kernel = kernel is None
    if own_kernel:
        kernel = start_warm_kernel(sockets)
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
                cwd=str(notebook.parent),
            )
        except PapermillExecutionError as err:
            kept = out_dir / FAILED_NOTEBOOK
            if executed.exists():
                os.replace(executed, kept)
            raise RunFailedError(_failure_message(err, kept)) from err

        html = export_html(nb, briefing_title(params))
        (staging / BRIEFING_HTML).write_text(html, encoding="utf-8")
        _promote(staging, out_dir)
        (out_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)
        return out_dir / BRIEFING_HTML
    finally:
        if own_kernel:
            kernel.shutdown_kernel(now=True)
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)


def start_warm_kernel(socket_dir: Path) -> KernelManager:
    """Start a kernel to be reused by several runs (see ``reset_kernel``)."""
    km = _kernel_manager(socket_dir)
    km.start_kernel(cwd=str(BRIEFING_NOTEBOOK.parent))
    return km


def reset_kernel(km: KernelManager, timeout: float = 60) -> None:
    """Clear the user namespace of a reused kernel (imported modules stay warm) so every run
    starts from the same state as a fresh kernel."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(
            "get_ipython().reset(new_session=True, aggressive=False)", timeout=timeout
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content']}")
    finally:
        kc.stop_channels()


def _kernel_manager(socket_dir: Path) -> KernelManager:
    """A kernel talking over Unix sockets in a private folder: no TCP ports to collide on
    when several briefings run in parallel, and nothing reachable from the network."""
    return KernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=str(socket_dir / "k"))


def _promote(staging: Path, out_dir: Path) -> None:
    """Move every staged file into place, the HTML last (each move is atomic)."""
    files = sorted(p for p in staging.iterdir() if p.is_file())
    files.sort(key=lambda p: p.name == BRIEFING_HTML)
    for path in files:
        os.replace(path, out_dir / path.name)
