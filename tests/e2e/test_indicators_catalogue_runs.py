"""Importing the package reads no catalogue (checked in a fresh interpreter)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from analysis.settings import config


def test_importing_reads_no_catalogue(tmp_path):
    """The catalogue is read when first needed: a missing file fails only then."""
    config_dir = tmp_path / "config"
    shutil.copytree(config.CONFIG_DIR, config_dir)
    (config_dir / "catalogue.yaml").unlink()
    code = (
        "import analysis.indicators, analysis.explore\n"
        "from analysis.indicators.catalogue import load_catalogue\n"
        "from analysis.errors import ConfigError\n"
        "try:\n    load_catalogue()\nexcept ConfigError as e:\n    print(e)\n"
    )
    env = {**os.environ, "BRIEFING_CONFIG_DIR": str(config_dir)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.endswith("catalogue.yaml：文件不存在\n")
