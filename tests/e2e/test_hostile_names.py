"""Names become paths (issue class 1), end to end: `make report` with a hostile town name in
units.yaml stops naming the file and line, before anything is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from analysis.settings import config


def test_make_report_with_a_hostile_town_stops_before_writing_anything(tmp_path):
    """End to end: a units.yaml naming a town "../../../逃逸" stops `make report` with the
    file and line; nothing is written inside or outside OUT."""
    conf = tmp_path / "config"
    shutil.copytree(config.CONFIG_DIR, conf)
    units = conf / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("- 北港街道", '- "../../../逃逸"', 1), encoding="utf-8")
    line = text.splitlines().index("      - 北港街道") + 1
    out = tmp_path / "a" / "b" / "out"
    env = os.environ | {"BRIEFING_CONFIG_DIR": str(conf), "BRIEFING_OUT": str(out)}
    args = [sys.executable, "-m", "analysis", "report", "--unit", "../../../逃逸"]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert f"units.yaml 第 {line} 行" in result.stderr and "不能含" in result.stderr
    assert not out.exists() and not (tmp_path / "a" / "逃逸").exists()
