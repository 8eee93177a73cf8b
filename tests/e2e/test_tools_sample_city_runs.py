"""The module command writes the second synthetic sample (示例城区)."""

from __future__ import annotations

import subprocess
import sys

from analysis.tools.sample_data import CITY_DIR


def test_module_command_writes_the_city_sample(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "analysis.tools.sample_data", "--district", "city", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "示例城区" in out.stdout
    assert (tmp_path / "incidents.csv").read_bytes() == (CITY_DIR / "incidents.csv").read_bytes()
