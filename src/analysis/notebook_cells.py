"""A notebook's cells as the analyst sees them in JupyterLab: papermill's additions left
out, and a cell named by its place and first line, ``第 9 个代码单元格（brief.say("overview")）``.
Failure messages (run/failures) and the sanitiser's warnings (deliver/sanitize) name cells the
same way."""

from __future__ import annotations

from typing import Any

INJECTED_TAG = "injected-parameters"  # the cell papermill adds after the parameters cell
ERROR_TAG = "papermill-error-cell-tag"  # papermill's marker cells around a failed cell


def analysts_cells(nb: Any) -> list[Any]:
    """The cells of the notebook as the analyst wrote it (papermill's additions left out)."""
    return [
        c
        for c in nb.get("cells", [])
        if not {INJECTED_TAG, ERROR_TAG} & set(c.get("metadata", {}).get("tags", []))
    ]


def cell_source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _is(c: Any, cell: Any) -> bool:
    return c is cell or (cell.get("id") is not None and c.get("id") == cell.get("id"))


def cell_label(nb: Any, cell: Any) -> str:
    """``第 9 个代码单元格（brief.say("overview")）`` or ``第 2 个 Markdown 单元格（…）``: the
    cell's place among the analyst's cells of its kind and its first non-empty line.

    >>> nb = {"cells": [{"cell_type": "code", "id": "a", "source": "x = 1"},
    ...                 {"cell_type": "code", "id": "b", "source": ["\\n", "brief.say('x')\\n"]}]}
    >>> cell_label(nb, {"id": "b", "cell_type": "code"} | nb["cells"][1])
    "第 2 个代码单元格（brief.say('x')）"
    """
    kind = cell.get("cell_type", "code")
    same = [c for c in analysts_cells(nb) if c.get("cell_type") == kind]
    number = next((i for i, c in enumerate(same, 1) if _is(c, cell)), None)
    first = next((line.strip() for line in cell_source(cell).splitlines() if line.strip()), "")
    first = first if len(first) <= 60 else first[:59] + "…"
    where = f"第 {number} 个 Markdown 单元格" if kind == "markdown" else f"第 {number} 个代码单元格"
    if not number:
        where = "一个 Markdown 单元格" if kind == "markdown" else "一个代码单元格"
    return f"{where}（{first}）" if first else where
