"""JupyterLab's "Save and Export Notebook As…" lists the briefing exporter (an nbconvert entry
point), and it turns a notebook the analyst has just run into the briefing's HTML."""

from __future__ import annotations

import subprocess
import sys

from nbconvert.exporters import get_export_names, get_exporter


def test_the_briefing_exporter_is_registered_with_nbconvert():
    assert "briefing" in get_export_names()
    assert get_exporter("briefing")().file_extension == ".html"


def test_exporting_a_run_notebook_gives_the_briefing(built_briefing, tmp_path):
    executed = built_briefing.parent / "briefing.ipynb"
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "briefing", str(executed)]
        + ["--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    exported = (tmp_path / "briefing.html").read_text(encoding="utf-8")
    made = built_briefing.read_text(encoding="utf-8")
    body = made[made.index("<body") :]
    assert exported[exported.index("<body") :] == body  # the same page, title aside
    assert "<script" not in exported and "def " not in exported
