"""A new incident category is one line of reference data (a real run shows it)."""

from __future__ import annotations

import subprocess
import sys

from analysis.inputs import schema
from analysis.settings import config

REFERENCE = config.REFERENCE_FILE.read_text(encoding="utf-8")


def test_a_new_category_is_one_line_of_config(tmp_path):
    """A copy of the configuration with 自然灾害 added: the data contract accepts it."""
    config_dir = tmp_path / "config"
    subprocess.run(["cp", "-r", str(config.CONFIG_DIR), str(config_dir)], check=True)
    path = config_dir / "reference.yaml"
    path.write_text(
        REFERENCE.replace("  - 火灾\n", "  - 火灾\n  - 自然灾害\n", 1), encoding="utf-8"
    )
    code = "from analysis.inputs import schema; print('|'.join(schema.INCIDENT_CATEGORIES))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"BRIEFING_CONFIG_DIR": str(config_dir), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    shipped = "|".join(schema.INCIDENT_CATEGORIES).replace("火灾", "火灾|自然灾害")
    assert out.stdout.strip() == shipped
