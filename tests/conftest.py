"""Shared fixtures: one real papermill + nbconvert run of the briefing on the shipped data."""

from __future__ import annotations

import pytest

from analysis.params import resolve_params


@pytest.fixture(scope="session")
def default_params():
    return resolve_params()


@pytest.fixture(scope="session")
def built_briefing(tmp_path_factory, default_params):
    """Path of briefing.html built once from the shipped sample data with default parameters."""
    from analysis.report import run_briefing

    out_root = tmp_path_factory.mktemp("outputs")
    return run_briefing(default_params, out_root=out_root)
