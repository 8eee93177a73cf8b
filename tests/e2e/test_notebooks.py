"""Notebook hygiene: committed without outputs, one parameters cell first, no logic, the
project's kernel, and the exploration notebook runs top to bottom on the shipped data."""

from __future__ import annotations

import ast
import copy
import inspect
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.settings import config
from analysis.settings.params import resolve_params

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
BIN = Path(sys.executable).parent
KERNEL_NAME = "safety-briefing"
KERNEL_DISPLAY = "安全生产简报 (Python 3.11)"
# resolve_params arguments a notebook may not expose (the briefing's date is always today)
NOT_PARAMETERS = {"today"}
# parameters besides resolve_params' own, per notebook
EXTRA_PARAMETERS = {"briefing.ipynb": ["output_dir"], "monthly.ipynb": ["output_dir"]}
BRIEFING_PARAMETERS = [
    "district",
    "period",
    "unit",
    "data_dir",
    "strict",
    "issue_number",
    "allow_partial",
    "coverage",
    "kind",
    "output_dir",
]
RESOLVE_ARGS = [a for a in inspect.signature(resolve_params).parameters if a not in NOT_PARAMETERS]

ids = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _python(source: str) -> ast.Module:
    """A cell as Python, its IPython magics (``%load_ext``) turned into calls, as IPython does."""
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell(source))


def _parameters(nb) -> tuple[list[str], ast.Module]:
    cell = _code_cells(nb)[0]
    tree = ast.parse(cell.source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, (
            f"参数单元格只应包含“名称 = 默认值”的赋值：{ast.unparse(node)}"
        )
        names.append(node.targets[0].id)
    return names, tree


def test_the_notebooks_are_there():
    assert {p.name for p in NOTEBOOKS} >= {"briefing.ipynb", "explore.ipynb"}


@ids
def test_committed_without_outputs_or_execution_counts(path):
    nb = _read(path)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        where = f"{path.name} 第 {i + 1} 个单元格"
        assert cell.get("id"), f"{where} 没有 id"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where} 有输出：提交前请清除输出（make 会安装 nbstripout）"
            assert cell.execution_count is None, f"{where} 有执行计数"
        noise = {"collapsed", "scrolled", "ExecuteTime", "execution"} & set(cell.metadata)
        assert not noise, f"{where} 的元数据含 {noise}"
    cell_ids = [c.id for c in nb.cells]
    assert len(set(cell_ids)) == len(cell_ids), f"{path.name} 的单元格 id 有重复"


@ids
def test_nbstripout_leaves_the_committed_notebook_unchanged(path):
    """The committed file is what the git filter would commit: nothing left to strip and
    the cell ids kept (stable ids give readable diffs)."""
    from nbstripout import strip_output

    nb = _read(path)
    stripped = strip_output(
        copy.deepcopy(nb),
        keep_output=False,
        keep_count=False,
        keep_id=True,
        extra_keys=["metadata.signature", "metadata.widgets", "cell.metadata.ExecuteTime"],
    )
    assert stripped == nb


@ids
def test_one_parameters_cell_and_it_is_the_first_code_cell(path):
    nb = _read(path)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name} 应恰有一个带 parameters 标签的单元格"
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert tagged[0] == first_code, "parameters 单元格应是第一个代码单元格"


@ids
def test_no_functions_or_classes_in_notebooks(path):
    """Notebooks call src/analysis; logic (def / class) belongs in the package."""
    for cell in _code_cells(_read(path)):
        for node in ast.walk(_python(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), (
                f"{path.name}：请把 {node.name} 移到 src/analysis 中"
            )


@ids
def test_parameters_are_those_of_resolve_params(path):
    nb = _read(path)
    names, tree = _parameters(nb)
    for node in tree.body:  # every default None = project.yaml decides
        assert isinstance(node.value, ast.Constant) and node.value.value is None, (
            f"{path.name}：参数 {node.targets[0].id} 的默认值应为 None（由 project.yaml 决定）"
        )
    extra = EXTRA_PARAMETERS.get(path.name, [])
    unknown = [n for n in names if n not in RESOLVE_ARGS and n not in extra]
    assert not unknown, f"{path.name}：参数 {unknown} 不是 resolve_params 的参数"
    run_params = [n for n in names if n in RESOLVE_ARGS]
    assert run_params == [a for a in RESOLVE_ARGS if a in run_params], (
        "参数顺序应与 resolve_params 相同"
    )
    # the notebook hands every run parameter to resolve_params (or briefing.run_params) by name
    calls = [
        node
        for cell in _code_cells(nb)[1:]
        for node in ast.walk(_python(cell.source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None))
        in ("resolve_params", "run_params")
    ]
    assert len(calls) == 1, f"{path.name} 应调用一次 resolve_params"
    passed = {k.arg: k.value.id for k in calls[0].keywords if isinstance(k.value, ast.Name)}
    assert passed == {n: n for n in run_params}


def test_briefing_parameters_are_the_documented_ones():
    names, _ = _parameters(_read(config.NOTEBOOKS_DIR / "briefing.ipynb"))
    assert names == BRIEFING_PARAMETERS


@ids
def test_notebooks_open_with_the_project_kernel(path):
    spec = _read(path).metadata["kernelspec"]
    assert spec == {"name": KERNEL_NAME, "display_name": KERNEL_DISPLAY, "language": "python"}


def test_the_kernel_installer_installs_the_kernel_the_notebooks_name():
    from analysis import house

    assert (house.KERNEL_NAME, house.KERNEL_DISPLAY) == (KERNEL_NAME, KERNEL_DISPLAY)


def test_briefing_cells_are_short_and_start_with_the_house_style():
    """The analysis reads as cells an analyst can edit: the house extension loads first (so
    it works in a plain kernel too), each section's cells select a frame, show it, chart it
    or say its words, and no code cell holds more than a few statements."""
    cells = _code_cells(_read(config.NOTEBOOKS_DIR / "briefing.ipynb"))
    assert cells[1].source.startswith("%load_ext analysis.house")
    sources = [c.source for c in cells[2:]]
    long = [s for s in sources if len(_python(s).body) > 6]
    assert long == [], "单元格应只有几条语句"
    joined = "\n".join(sources)
    assert "house.table(" in joined and "brief.frames." in joined and "brief.say(" in joined
    assert "sns." in joined


def test_batch_and_reports_do_not_depend_on_the_registered_kernel(tmp_path, default_params):
    """The notebook names the kernel `make lab` registers; report runs name the interpreter's
    own kernel explicitly, so they work where that kernel was never registered."""
    from analysis.run.report import BRIEFING_NOTEBOOK, run_briefing

    nb = json.loads(BRIEFING_NOTEBOOK.read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"] = {
        "name": "kernel-that-is-not-registered",
        "display_name": "未注册的内核",
        "language": "python",
    }
    copy_path = tmp_path / "briefing.ipynb"
    copy_path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    html = run_briefing(default_params, out_root=tmp_path / "out", notebook=copy_path)
    assert html.is_file()


def test_explore_runs_top_to_bottom_on_the_shipped_data(tmp_path):
    import papermill

    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(config.NOTEBOOKS_DIR / "explore.ipynb"),
        str(out),
        kernel_name="python3",
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    nb = _read(out)
    errors = [o for c in _code_cells(nb) for o in c.outputs if o.output_type == "error"]
    assert errors == []
    text = json.dumps(nb, ensure_ascii=False)
    assert "排查发现隐患数" in text and "data:image/png;base64," in text


def _in_git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
    )
    return top.returncode == 0 and Path(top.stdout.strip()).resolve() == config.PROJ_ROOT


@pytest.mark.skipif(not _in_git_checkout(), reason="不在 git 仓库中（如解压的发布包）")
def test_nbstripout_git_filter_is_installed():
    nbstripout = BIN / "nbstripout"
    assert nbstripout.exists(), "环境中没有 nbstripout：请运行 make（会按 pyproject.toml 安装）"
    result = subprocess.run([str(nbstripout), "--is-installed"], cwd=config.PROJ_ROOT)
    assert result.returncode == 0, (
        "本仓库未安装 nbstripout 过滤器，提交的笔记本可能带有输出。"
        "请在项目根目录运行 `rm -f .venv/.briefing-installed && make test`"
        "（make 在创建环境时安装过滤器），或直接运行 `.venv/bin/nbstripout --install --keep-id`。"
    )
