"""The environment: pyproject.toml declares what the code imports, the locks pin everything,
environment.yml and the pre-commit hooks use the same pins, the Makefile refuses a wrong
Python, and the fingerprints change with the environment."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from analysis import DISTRIBUTION, __version__
from analysis.inputs import fingerprint
from analysis.settings import config

ROOT = config.PROJ_ROOT
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _pins(requirements: list[str]) -> dict[str, str]:
    """name -> pinned version of the requirements that apply to this interpreter."""
    pins = {}
    for line in requirements:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate():
            (spec,) = req.specifier
            assert spec.operator == "==", f"{line}：没有锁定为单一版本"
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def _lock(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return _pins([line for line in lines if line[:1].isalnum()])


def test_every_dependency_in_pyproject_is_pinned_identically_in_the_locks():
    project = _project()
    runtime, dev = _pins(project["dependencies"]), _pins(project["optional-dependencies"]["dev"])
    runtime_lock, dev_lock = _lock(RUNTIME_LOCK), _lock(DEV_LOCK)
    assert {n: runtime_lock.get(n) for n in runtime} == runtime
    assert {n: dev_lock.get(n) for n in runtime | dev} == runtime | dev


def test_the_dev_lock_adds_to_the_runtime_lock_without_changing_it():
    runtime_lock, dev_lock = _lock(RUNTIME_LOCK), _lock(DEV_LOCK)
    assert {n: dev_lock.get(n) for n in runtime_lock} == runtime_lock
    assert not {"pytest", "ruff", "playwright", "hypothesis"} & set(runtime_lock)


def test_installed_packages_have_their_locked_versions():
    for name, pinned in _lock(DEV_LOCK).items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # the runtime set alone, or not for this platform
        assert installed == pinned, f"{name} {installed} 与锁定的 {pinned} 不同：请重新运行 make"


def test_starting_a_run_compiles_no_grammar():
    """jsonschema's optional IRI check (rfc3987-syntax, pulled in by jupyter-events) compiles a
    lark grammar on every ``import nbformat``: 3 to 5 s of each run. The locks leave it out and
    JupyterLab's event logging works without it."""
    probe = (
        "import sys, papermill, nbformat, jupyter_events.logger;"
        "print(sorted({'lark', 'rfc3987_syntax'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_environment_yml_installs_the_runtime_lock_with_python_3_11():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-r requirements/runtime.lock", "-e ."]
    assert "python=3.11" in env["dependencies"]
    assert _project()["requires-python"] == ">=3.11,<3.12"


def _imported_modules(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.partition(".")[0])
    return names


def _notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))  # IPython magics and shell lines
    ]
    return "\n".join(lines)


def test_every_package_the_code_imports_is_declared():
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py")]
    sources += [_notebook_code(p) for p in (ROOT / "notebooks").glob("*.ipynb")]
    imported = set().union(*map(_imported_modules, sources))
    third_party = imported - set(sys.stdlib_module_names) - {"__future__", "analysis"}
    declared = set(_pins(_project()["dependencies"]))
    by_module = {
        m: {canonicalize_name(d) for d in ds} for m, ds in packages_distributions().items()
    }
    undeclared = {
        m: by_module.get(m, "未安装") for m in third_party if not declared & by_module.get(m, set())
    }
    assert not undeclared, f"代码导入了 pyproject.toml 未声明的包：{undeclared}"
    assert {"numpy", "jinja2", "markupsafe", "PIL", "fontTools"} <= third_party


def test_pre_commit_hooks_use_the_locked_versions():
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    revs = {repo["repo"].rsplit("/", 1)[1]: repo["rev"].lstrip("v") for repo in hooks["repos"]}
    dev_lock = _lock(DEV_LOCK)
    assert revs == {"nbstripout": dev_lock["nbstripout"], "ruff-pre-commit": dev_lock["ruff"]}
    nbstripout = next(r for r in hooks["repos"] if r["repo"].endswith("/nbstripout"))
    assert nbstripout["hooks"][0]["args"] == ["--keep-id"]


def test_the_distribution_has_its_own_name_and_version_flag():
    assert _project()["name"] == DISTRIBUTION == "zhonglou-safety-briefing"
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"analysis {__version__}" != "analysis 0+unknown"


# ------------------------------------------------------------------ fingerprints


@pytest.fixture
def edited_lock(tmp_path, monkeypatch):
    """Point the fingerprints at a copy of the runtime lock; returns a function that changes
    one locked version in that copy."""
    lock = tmp_path / "runtime.lock"
    shutil.copy(RUNTIME_LOCK, lock)
    monkeypatch.setattr(fingerprint, "RUNTIME_LOCK", lock)
    fingerprint.code_fingerprint.cache_clear()

    def bump(name: str, new: str) -> None:
        pinned = _lock(lock)[name]
        text = lock.read_text(encoding="utf-8")
        assert f"\n{name}=={pinned}" in text
        lock.write_text(text.replace(f"\n{name}=={pinned}", f"\n{name}=={new}"), encoding="utf-8")
        fingerprint.code_fingerprint.cache_clear()

    yield bump
    fingerprint.code_fingerprint.cache_clear()


def test_changing_a_locked_version_changes_the_batch_fingerprint(edited_lock):
    from analysis.run import planning

    def fingerprints():
        return [job.fingerprint for job in planning.plan(period="2020-10")]

    before = fingerprints()
    assert fingerprints() == before
    edited_lock("pandas", "9.9.9")
    after = fingerprints()
    assert all(a != b for a, b in zip(after, before, strict=True))


def test_changing_a_locked_version_or_python_changes_the_cache_key(edited_lock, monkeypatch):
    from datetime import date

    from analysis.inputs.cache import cache_key

    def key():
        return cache_key(config.SAMPLE_DATA_DIR, strict=True, today=date(2020, 11, 5))

    before = key()
    edited_lock("numpy", "0.0.1")
    after_lock = key()
    monkeypatch.setattr(fingerprint.platform, "python_version", lambda: "3.11.99")
    fingerprint.code_fingerprint.cache_clear()
    after_python = key()
    assert len({before, after_lock, after_python}) == 3


# ------------------------------------------------------------------ Makefile: Python version

MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="没有 make")


def _fake_python(path: Path, prints: str) -> Path:
    """A stand-in interpreter that answers every question with ``prints``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {prints}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def project_copy(tmp_path):
    """The files the Makefile's install rules read, outside any conda environment."""
    for name in ("Makefile", "pyproject.toml", "requirements"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    return tmp_path


def _make(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONDA_", "MAKE"))}
    return subprocess.run(
        [MAKE, "-C", str(project), *args], capture_output=True, text=True, env=env, timeout=60
    )


@needs_make
def test_make_refuses_a_python_other_than_3_11_in_chinese(project_copy):
    fake = _fake_python(project_copy / "bin" / "python3.13", "3.13")
    result = _make(project_copy, "report", f"PYTHON={fake}")
    assert result.returncode != 0
    assert "需要 Python 3.11" in result.stderr and "3.13" in result.stderr
    assert "make report PYTHON=python3.11" in result.stderr
    assert not (project_copy / ".venv").exists()


@needs_make
def test_make_recreates_a_venv_of_another_python_instead_of_reusing_it(project_copy):
    venv = project_copy / ".venv"
    _fake_python(venv / "bin" / "python", "3.12")
    for stamp in (".briefing-installed", ".briefing-dev-installed"):
        (venv / stamp).touch()  # newer than every prerequisite: only the version is wrong
    fake = _fake_python(project_copy / "bin" / "python3.13", "3.13")
    result = _make(project_copy, "report", f"PYTHON={fake}")
    assert "删除后重新创建" in result.stdout
    assert not venv.exists()
    assert result.returncode != 0 and "需要 Python 3.11" in result.stderr


# ------------------------------------------------------------------ notebook filter

FILTER = ROOT / ".ci" / "nbstripout-filter"
NOTEBOOK_WITH_OUTPUT = json.dumps(
    {
        "cells": [
            {
                "cell_type": "code",
                "id": "kept-id",
                "execution_count": 3,
                "metadata": {},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "输出\n"}],
                "source": "print('输出')",
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    },
    ensure_ascii=False,
)


def _filter(cwd: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = os.environ | ({"PATH": path} if path is not None else {})
    return subprocess.run(
        ["sh", str(FILTER), *args],
        input=NOTEBOOK_WITH_OUTPUT,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


def test_the_notebook_filter_strips_outputs_and_keeps_cell_ids():
    if not (ROOT / ".venv" / "bin" / "nbstripout").exists() and not shutil.which("nbstripout"):
        pytest.fail("环境中没有 nbstripout：请运行 make test")
    result = _filter(ROOT)
    assert result.returncode == 0, result.stderr
    (cell,) = json.loads(result.stdout)["cells"]
    assert cell["outputs"] == [] and cell["execution_count"] is None and cell["id"] == "kept-id"


def test_without_an_environment_the_filter_passes_notebooks_through_and_says_so(tmp_path):
    bare_path = "/usr/bin:/bin"  # no .venv here and no nbstripout on this PATH
    result = _filter(tmp_path, path=bare_path)
    assert result.returncode == 0
    assert result.stdout == NOTEBOOK_WITH_OUTPUT
    assert "未找到 nbstripout" in result.stderr
    (tmp_path / "a.ipynb").write_text(NOTEBOOK_WITH_OUTPUT, encoding="utf-8")
    textconv = _filter(tmp_path, "-t", "a.ipynb", path=bare_path)
    assert textconv.returncode == 0 and textconv.stdout == NOTEBOOK_WITH_OUTPUT
