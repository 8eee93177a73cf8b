"""Paths and project settings: the one place that knows where things live.

Every path is anchored at the project root (never the current directory), so the
package works the same from the Makefile, from JupyterLab and from a test.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJ_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DATA_DIR = DATA_DIR / "sample"
# An analyst (or a test) may keep the configuration elsewhere: BRIEFING_CONFIG_DIR.
CONFIG_DIR = Path(os.environ.get("BRIEFING_CONFIG_DIR") or DATA_DIR / "config").resolve()
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
OUTPUTS_DIR = PROJ_ROOT / "outputs"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

PROJECT_FILE = CONFIG_DIR / "project.yaml"
UNITS_FILE = CONFIG_DIR / "units.yaml"
REFERENCE_FILE = CONFIG_DIR / "reference.yaml"
CATALOGUE_FILE = CONFIG_DIR / "catalogue.yaml"
# per district and year: districts/<district>/targets/<year>.yaml, …/gaps/<year>.yaml
DISTRICTS_DIR = CONFIG_DIR / "districts"
COLUMN_MAP_FILE = CONFIG_DIR / "column_map.yaml"
PUBLISHED_FIGURES_FILE = SAMPLE_DATA_DIR / "published_figures.csv"


def read_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def project_settings() -> dict[str, Any]:
    """Defaults for a run: district, period end, data folder (data/config/project.yaml)."""
    return read_yaml(PROJECT_FILE)


@cache
def units() -> dict[str, Any]:
    """Districts and their towns/streets (data/config/units.yaml)."""
    return read_yaml(UNITS_FILE)


@cache
def reference() -> dict[str, Any]:
    """Reference lists: industries, departments, categories (data/config/reference.yaml)."""
    return read_yaml(REFERENCE_FILE)


def towns_of(district: str) -> list[str]:
    """Towns/streets (镇/街道) of a district, in the configured order."""
    return list(units()["districts"][district]["towns"])
