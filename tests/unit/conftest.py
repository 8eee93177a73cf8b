"""Unit tests start no process: a kernel, a browser or a subprocess belongs in tests/e2e/.
A unit test that tries fails saying so (tests marked slow are the exception, see
tests/conftest.py)."""

from __future__ import annotations

import multiprocessing.process
import subprocess

import pytest


@pytest.fixture(autouse=True)
def _no_processes(request, monkeypatch):
    if request.node.get_closest_marker("slow"):
        return

    def refuse(*args, **kwargs):
        raise AssertionError(f"单元测试不启动进程：请把 {request.node.nodeid} 移到 tests/e2e/")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)


@pytest.fixture
def engines_built(monkeypatch):
    """(grouping, id of the tables) of every indicator engine built while the test runs."""
    from analysis.indicators import engine as engine_module

    made: list[tuple[str, int]] = []
    original = engine_module.Engine.__init__

    def counting(self, tables, district, catalogue, areas, by="town", coverage=None):
        made.append((by, id(tables)))
        original(self, tables, district, catalogue, areas, by=by, coverage=coverage)

    monkeypatch.setattr(engine_module.Engine, "__init__", counting)
    return made
