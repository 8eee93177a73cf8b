"""What a run says when the notebook fails, hangs or loses its kernel, or cannot be read:
the cell named as the analyst's n-th code cell with its first line, the previous briefing
untouched, and the failed notebook kept to open at the error."""

from __future__ import annotations

import json

import nbformat
import pytest

from analysis.errors import RunFailedError
from analysis.run.report import run_briefing
from analysis.settings.params import resolve_params

PARAMETERS = "period = None\noutput_dir = None"


def _notebook(path, *codes: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# 试验"), params]
    nb.cells += [nbformat.v4.new_code_cell(code) for code in codes]
    nbformat.write(nb, path)
    return path


def _run(tmp_path, notebook):
    return run_briefing(resolve_params(), out_root=tmp_path / "out", notebook=notebook)


def test_a_failing_cell_is_named_as_the_analyst_sees_it(tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb", "x = 1", "y = 2\nraise ValueError('数据不对')")
    with pytest.raises(RunFailedError) as caught:
        _run(tmp_path, notebook)
    message = str(caught.value)
    # the analyst's third code cell (parameters, x = 1, then this), not papermill's count
    assert "第 3 个代码单元格（y = 2）出错（ValueError）：数据不对" in message
    kept = tmp_path / "out" / resolve_params().output_subdir / "briefing.failed.ipynb"
    first = json.loads(kept.read_text(encoding="utf-8"))["cells"][0]
    assert "第 3 个代码单元格" in "".join(first["source"]) and "#papermill-error-cell" in "".join(
        first["source"]
    )


def test_a_cell_that_never_ends_stops_at_its_time_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CELL_TIMEOUT", "2")
    notebook = _notebook(tmp_path / "nb.ipynb", "import time\ntime.sleep(600)")
    with pytest.raises(RunFailedError, match=r"第 2 个代码单元格（import time）运行超过 2 秒"):
        _run(tmp_path, notebook)


def test_a_kernel_that_dies_is_said_with_its_cell(tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb", "import os, signal\nos.kill(os.getpid(), 9)")
    with pytest.raises(
        RunFailedError, match=r"内核在运行第 2 个代码单元格（import os, signal）时意外退出"
    ):
        _run(tmp_path, notebook)


def test_a_notebook_that_is_not_json_is_named(tmp_path):
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(RunFailedError, match="broken.ipynb 无法读取：不是有效的 Jupyter 笔记本"):
        _run(tmp_path, notebook)
