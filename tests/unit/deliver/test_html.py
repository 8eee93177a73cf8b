"""The briefing's HTML export: nbconvert's own options, no permalinks, no code."""

from __future__ import annotations

import nbformat

from analysis.deliver.html import export_html, warm_exporter


def test_export_uses_nbconvert_options_no_permalinks_no_code():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 一、总体情况\n\n本月**事故**较少。"),
        nbformat.v4.new_code_cell(
            "secret_working = 1",
            outputs=[nbformat.v4.new_output("execute_result", {"text/html": "<p>表格</p>"})],
        ),
    ]
    html = export_html(nb, "钟楼区安全生产简报")
    assert "<h2>一、总体情况</h2>" in html
    assert "anchor-link" not in html and "&#" not in html
    assert "<p>表格</p>" in html and "secret_working" not in html
    assert "<title>钟楼区安全生产简报</title>" in html


def test_the_warm_exporter_is_made_once_per_process():
    assert warm_exporter() is warm_exporter()
