"""Shared fixtures (one real papermill + nbconvert run of the briefing on the shipped data) and
the test markers (registered in pyproject.toml), set here and nowhere else:

* ``slow``: every test under tests/e2e/ (they start kernels, browsers or subprocesses), and
  any test elsewhere that uses a fixture that builds briefings or calls a function that
  starts a kernel;
* ``browser``: every test in e2e/test_browser.py (needs headless Chromium).

`make test-fast` runs tests/unit/ without the slow ones; `make test` and CI run everything.
Without Chromium a browser test fails at once saying what to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis.settings import config
from analysis.settings.params import resolve_params

# A run leaves a spare kernel for the next one (analysis.run.spare); the runs the tests make
# would leave one each, so spares are off (for `make` too) except where test_spare.py
# turns them on, and any left at the end are stopped.
os.environ["BRIEFING_SPARE_KERNEL"] = os.environ["SPARE_KERNEL"] = "0"


def pytest_sessionfinish(session):
    from analysis.run import spare

    spare.stop_all()


E2E_DIR = Path(__file__).resolve().parent / "e2e"
BROWSER_MODULES = {"test_browser"}
# Fixtures (here and in test modules) whose setup runs the notebook.
BRIEFING_FIXTURES = {"built_briefing", "runs", "small_batch", "both_paths"}
# Names that, called from a test's body, run the notebook (`cli` is the how-to tests' helper
# that runs `python -m analysis` in a subprocess).
KERNEL_ENTRY_POINTS = {
    "run_briefing",
    "run_batch",
    "_run_job",
    "execute_notebook",
    "running_kernel",
    "cli",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if not isinstance(item, pytest.Function):
            continue  # a doctest of src/analysis (pyproject addopts): never browser or slow
        if item.module.__name__.rpartition(".")[2] in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.slow)
        code = getattr(item.function, "__code__", None)
        called = set(code.co_names) if code else set()
        if BRIEFING_FIXTURES & set(item.fixturenames) or KERNEL_ENTRY_POINTS & called:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item):
    """A browser test without Chromium fails saying what to install, before its fixtures."""
    if item.get_closest_marker("browser") and shutil.which("chromium") is None:
        pytest.fail(
            "浏览器测试需要无头 Chromium 和中文字体：apt-get install chromium fonts-noto-cjk"
            "（以 root 运行 make test 时会自动安装）；编辑代码时可用 make test-fast 跳过。",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def default_params():
    return resolve_params()


@pytest.fixture(scope="session")
def built_briefing(tmp_path_factory, default_params):
    """Path of briefing.html built once from the shipped sample data with default parameters."""
    from analysis.run.report import run_briefing

    out_root = tmp_path_factory.mktemp("outputs")
    return run_briefing(default_params, out_root=out_root)


@pytest.fixture
def districts(tmp_path, monkeypatch):
    """A scratch districts folder; ``write(text)`` sets 钟楼区's district.yaml (no targets,
    no gaps there)."""
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path)
    config.district_settings.cache_clear()

    def write(text: str):
        path = tmp_path / "钟楼区" / config.DISTRICT_FILE_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        config.district_settings.cache_clear()
        return path

    yield write
    config.district_settings.cache_clear()
