"""What an analyst reads when the notebook fails: the cell named as JupyterLab shows it (the
n-th code cell of *their* notebook, with its first line of code), the failed notebook kept
to open at the error, and a dead kernel, a cell over its time limit or a notebook that is
not valid JSON each said in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.atomic import write_atomic

INJECTED_TAG = "injected-parameters"  # the cell papermill adds after the parameters cell
ERROR_TAG = "papermill-error-cell-tag"  # papermill's marker cells around a failed cell
ERROR_STYLE = 'style="color:red; font-size:1.5em;"'


def _analysts_cells(nb: dict) -> list[dict]:
    """The cells of the notebook as the analyst wrote it (papermill's additions left out)."""
    return [
        c
        for c in nb.get("cells", [])
        if not {INJECTED_TAG, ERROR_TAG} & set(c.get("metadata", {}).get("tags", []))
    ]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def cell_label(nb: dict, cell: dict) -> str:
    """``第 9 个代码单元格（brief.say("overview")）``: its place among the analyst's code
    cells and its first non-empty line of code."""
    code = [c for c in _analysts_cells(nb) if c.get("cell_type") == "code"]
    number = next((i for i, c in enumerate(code, 1) if c.get("id") == cell.get("id")), None)
    first = next((line.strip() for line in _source(cell).splitlines() if line.strip()), "")
    if len(first) > 60:
        first = first[:59] + "…"
    where = f"第 {number} 个代码单元格" if number else "一个代码单元格"
    return f"{where}（{first}）" if first else where


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
        if 'id="papermill-error-cell"' in _source(cell):
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
    return next((c for c in _analysts_cells(nb) if _source(c) == source), {})


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
