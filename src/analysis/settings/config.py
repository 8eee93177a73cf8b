"""Paths and project settings: the one place that knows where things live.

Every path is anchored at the project root (never the current directory), so the
package works the same from the Makefile, from JupyterLab and from a test. The modules that
read the files (``yaml_files``, ``units``, ``reference``, ``district``) read these paths
through this module when called, so a test may point one elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

from analysis.errors import ConfigError

_FIRST_USE: list[Callable] = []


def read_on_first_use(func: Callable) -> Callable:
    """Cache what ``func`` reads (configuration, reference data, wording, templates) on its
    first call, never at import; ``forget_settings`` clears every such cache, so that a
    long-lived process (``make watch``, its kernel) reads the files again."""
    cached = cache(func)
    _FIRST_USE.append(cached)
    return cached


def forget_settings() -> None:
    for cached in _FIRST_USE:
        cached.cache_clear()


PROJ_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DATA_DIR = DATA_DIR / "sample"
# An analyst (or a test) may keep the configuration elsewhere: BRIEFING_CONFIG_DIR.
CONFIG_DIR_FROM_ENV = os.environ.get("BRIEFING_CONFIG_DIR") or ""
CONFIG_DIR = Path(CONFIG_DIR_FROM_ENV or DATA_DIR / "config").resolve()
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
OUTPUTS_DIR = PROJ_ROOT / "outputs"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"

PROJECT_FILE = CONFIG_DIR / "project.yaml"
UNITS_FILE = CONFIG_DIR / "units.yaml"
REFERENCE_FILE = CONFIG_DIR / "reference.yaml"
# shared defaults of every district's settings; districts/<district>/district.yaml overrides
DEFAULTS_FILE = CONFIG_DIR / "defaults.yaml"
DISTRICT_FILE_NAME = "district.yaml"
CATALOGUE_FILE = CONFIG_DIR / "catalogue.yaml"
# per district and year: districts/<district>/targets/<year>.yaml, …/gaps/<year>.yaml
DISTRICTS_DIR = CONFIG_DIR / "districts"
COLUMN_MAP_FILE = CONFIG_DIR / "column_map.yaml"
PUBLISHED_FIGURES_FILE = SAMPLE_DATA_DIR / "published_figures.csv"


def check_config_dir() -> None:
    """The configuration folder exists (BRIEFING_CONFIG_DIR may point elsewhere)."""
    if CONFIG_DIR.is_dir():
        return
    origin = "（由环境变量 BRIEFING_CONFIG_DIR 指定）" if CONFIG_DIR_FROM_ENV else ""
    kind = "不是文件夹" if CONFIG_DIR.exists() else "不存在"
    raise ConfigError(f"配置目录 {CONFIG_DIR}{origin}{kind}")
