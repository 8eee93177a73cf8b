"""The analyst's own cells cannot put script or remote content into what leaders open
(issue class 3), through a real papermill + nbconvert run; the sample briefing is the same
byte for byte with and without the cleaning."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.deliver.editions import DEFAULT_ANALYST_SECTIONS, split_notebook
from analysis.deliver.html import briefing_exporter, export_html
from analysis.folder import EXECUTED_NOTEBOOK
from analysis.run.report import run_briefing
from analysis.settings import config

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5"
    "ErkJggg=="
)
HOSTILE_CELLS = [
    'display(HTML("<script>document.title=\'被改\'</script><p onclick=\\"alert(1)\\">正文甲</p>"))',
    "display(HTML('<iframe src=\"https://example.com/page\"></iframe><p>正文乙</p>'))",
    "display(Markdown('![远程](http://example.com/m.png) 正文丙'))",
    "display(HTML('<div style=\"background: url(//example.com/bg.png)\">正文丁</div>'))",
    # a PNG whose data would close the src attribute of the template's <img>
    'display({"image/png": \'AAAA" onerror="alert(1)\'}, raw=True)',
    "display(HTML('<img alt=\"'))",  # left open: the next cell's markup would finish it
    'display(HTML(\'" onerror="alert(2)" x="\'))',
]
MARKDOWN = f"正文戊 ![远程图](https://example.com/chart.png) ![内嵌](data:image/png;base64,{PNG})"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))


def test_script_and_remote_content_of_analyst_cells_never_reach_the_briefing(
    tmp_path, default_params, capsys
):
    cells = [new_code_cell("from IPython.display import HTML, Markdown, display")]
    cells += [new_code_cell(source) for source in HOSTILE_CELLS]
    cells += [new_markdown_cell(MARKDOWN), new_code_cell("display(HTML('<p>正文己</p>'))")]
    notebook = tmp_path / "hostile.ipynb"
    nb = new_notebook(cells=cells)
    nb.metadata = nbformat.read(config.NOTEBOOKS_DIR / "briefing.ipynb", as_version=4).metadata
    cells.insert(0, new_code_cell("# parameters"))
    cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, notebook)

    html_path = run_briefing(default_params, tmp_path / "out", notebook=notebook, formats=("html",))
    html = html_path.read_text(encoding="utf-8")

    parsed = _Tags()
    parsed.feed(html)
    for tag, attrs in parsed.seen:
        assert tag not in {"script", "iframe", "object", "embed"}
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "data:image/png;base64,").startswith(
                "data:image/png;base64,"
            )
    assert "example.com" not in html  # alert(2) stays as harmless text: no tag was left open
    for text in ("正文甲", "正文乙", "正文丙", "正文丁", "正文戊", "正文己"):
        assert text in html, "the text around a removal stays"
    assert html.count(f"data:image/png;base64,{PNG}") == 1, "the inline image stays"

    warning = capsys.readouterr().err
    assert "警告：简报《" in warning and "删去了以下内容" in warning
    for number, source in enumerate(HOSTILE_CELLS[:5], 3):  # after the parameters, imports
        assert f"第 {number} 个代码单元格（{source[:40]}" in warning, source
    assert "第 1 个 Markdown 单元格（正文戊" in warning
    assert "脚本 <script>" in warning and "事件处理属性 onclick" in warning
    assert "https://example.com/chart.png" in warning


def test_the_sample_briefing_is_the_same_with_and_without_cleaning(built_briefing):
    """Nothing in the sample needs removing, so the cleaning changes no byte of it."""
    executed = nbformat.read(built_briefing.parent / EXECUTED_NOTEBOOK, as_version=4)
    nb = split_notebook(executed, DEFAULT_ANALYST_SECTIONS).leader  # what briefing.html holds
    title = re.search(r"<title>(.*?)</title>", built_briefing.read_text(encoding="utf-8"))[1]
    cleaned = export_html(nb, title)
    unguarded = briefing_exporter()
    unguarded.register_filter("clean_cell", lambda html, cell: html)
    plain, _ = unguarded.from_notebook_node(nb, resources={"briefing": {"title": title}})
    assert cleaned == plain
    assert cleaned == built_briefing.read_text(encoding="utf-8")
