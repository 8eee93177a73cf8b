"""Shared fixtures (one real papermill + nbconvert run of the briefing on the shipped data) and
the test markers (registered in pyproject.toml), set here and nowhere else:

* ``slow``: every test under tests/e2e/ (they start kernels, browsers or subprocesses); a
  test elsewhere that uses a fixture that builds briefings or calls a function that starts a
  kernel is refused at collection, saying it belongs in tests/e2e/;
* ``browser``: every test in e2e/test_browser.py (needs headless Chromium) and in
  e2e/test_docx_render.py (needs headless LibreOffice).

`make test-fast` runs tests/unit/ without the slow ones; `make test` and CI run everything.
Without Chromium a browser test fails at once saying what to install.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sample_copies import sample_with_bad_date

from analysis.settings import config
from analysis.settings.district import district_settings
from analysis.settings.params import resolve_params

# Reproducible builds: the 印发日期 of every briefing and the PDF's dates come from this
# moment (2025-01-15, after both samples' periods), not from the wall clock, so that two runs
# a test compares are identical even across midnight.
os.environ.setdefault("SOURCE_DATE_EPOCH", "1736899200")


E2E_DIR = Path(__file__).resolve().parent / "e2e"
# module -> (program it needs, the Debian packages that bring it)
BROWSER_MODULES = {
    "test_browser": ("chromium", "chromium fonts-noto-cjk"),
    "test_docx_render": ("soffice", "libreoffice-writer-nogui fonts-noto-cjk"),
}
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
            continue
        code = getattr(item.function, "__code__", None)
        called = set(code.co_names) if code else set()
        if BRIEFING_FIXTURES & set(item.fixturenames) or KERNEL_ENTRY_POINTS & called:
            raise pytest.UsageError(f"{item.nodeid} 运行笔记本：请移到 tests/e2e/")


def pytest_runtest_setup(item):
    """A browser test without its program (Chromium, LibreOffice) fails saying what to
    install, before its fixtures."""
    if not item.get_closest_marker("browser"):
        return
    module = getattr(item, "module", None)
    name = module.__name__.rpartition(".")[2] if module else "test_browser"
    program, packages = BROWSER_MODULES.get(name, BROWSER_MODULES["test_browser"])
    if shutil.which(program) is None:
        pytest.fail(
            f"此测试需要 {program} 和中文字体：apt-get install {packages}"
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
    district_settings.cache_clear()

    def write(text: str):
        path = tmp_path / "钟楼区" / config.DISTRICT_FILE_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        district_settings.cache_clear()
        return path

    yield write
    district_settings.cache_clear()


@pytest.fixture
def runtime_home():
    """A private runtime folder (XDG_RUNTIME_DIR) with a short path: kernel sockets are Unix
    sockets, whose paths may not exceed about 100 bytes (pytest's tmp_path can)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="sb-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def bad_data(tmp_path):
    """A copy of the sample data with one invalid date (line 4 of incidents.csv: month 13)."""
    return sample_with_bad_date(tmp_path / "data")
