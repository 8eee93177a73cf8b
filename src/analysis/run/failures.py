"""What an analyst reads when the notebook fails: the cell named as JupyterLab shows it (the
n-th code cell of *their* notebook, with its first line of code), the failed notebook kept
to open at the error, and a dead kernel, a cell over its time limit or a notebook that is
not valid JSON each said in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.atomic import write_atomic
from analysis.notebook_cells import ERROR_TAG, analysts_cells, cell_label, cell_source

ERROR_STYLE = 'style="color:red; font-size:1.5em;"'


def read_notebook(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def keep_failed(executed: Path, kept: Path) -> None:
    """Keep the executed notebook as ``kept``, its error markers in Chinese: the first cell
    says where the run stopped and links to the failed cell, which is marked in red."""
    nb = read_notebook(executed)
    if not nb:
        return
    failed = next((c for c in nb["cells"] if _has_error(c)), None) or marked_running(nb)
    label = cell_label(nb, failed) if failed else "某个代码单元格"
    for cell in nb["cells"]:
        if ERROR_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        if 'id="papermill-error-cell"' in cell_source(cell):
            cell["source"] = (
                f'<span id="papermill-error-cell" {ERROR_STYLE}>运行在这里出错并停止：</span>'
            )
        else:
            cell["source"] = (
                f"<span {ERROR_STYLE}>简报生成失败：{label}出错，"
                '<a href="#papermill-error-cell">点此跳到出错处</a>。</span>'
            )
    write_atomic(kept, json.dumps(nb, ensure_ascii=False, indent=1) + "\n")


def cell_with_source(nb: dict, source: str) -> dict:
    """The analyst's cell whose code is ``source`` ({} when there is none)."""
    return next((c for c in analysts_cells(nb) if cell_source(c) == source), {})


def _has_error(cell: dict) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def marked_running(nb: dict) -> dict | None:
    """The cell papermill marked as running, or as failed, when the run stopped (a dead
    kernel, a time-out): papermill records the status of each cell it started."""
    for status in ("running", "failed"):
        for cell in nb.get("cells", []):
            if cell.get("metadata", {}).get("papermill", {}).get("status") == status:
                return cell
    return None
