"""Configuration faults stop a real run before the notebook, naming the file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from analysis.settings import config


def _cli_with_config(config_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_CONFIG_DIR"] = str(config_dir)
    return subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.PROJ_ROOT,
        timeout=120,
    )


def test_a_missing_config_folder_is_named(tmp_path):
    result = _cli_with_config(tmp_path / "无此目录", tmp_path)
    assert result.returncode == 1
    assert "配置目录" in result.stderr and "BRIEFING_CONFIG_DIR" in result.stderr
    assert "无此目录" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "units.yaml",
            "      - 北港街道",
            "     - 北港街道",
            "units.yaml 第 {line} 行：缩进不对齐",
        ),
        ("catalogue.yaml", "indicators:", "indicators:\n\t", "catalogue.yaml"),
        ("districts/钟楼区/gaps/2020.yaml", "\ngaps:\n", "\ngaps: [\n", "2020.yaml"),
        (
            "districts/钟楼区/gaps/2020.yaml",
            "- below_scale_coverage",
            "- 无此指标",
            "佐证指标“无此指标”不在指标目录中",
        ),
        (
            "districts/钟楼区/targets/2020.yaml",
            "    indicator: accidents\n",
            "    indicator: accidents\n    indicator: fires\n",
            "2020.yaml 第 {next} 行：键“indicator”重复（第 {line} 行已出现）",
        ),
    ],
)
def test_a_config_fault_stops_the_run_before_the_notebook(tmp_path, file, old, new, expected):
    config_dir = tmp_path / "config"
    shutil.copytree(config.CONFIG_DIR, config_dir)
    path = config_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1  # where ``old`` starts, as an editor shows
    expected = expected.format(line=line, next=line + 1)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = _cli_with_config(config_dir, tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("错误：") and expected in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("错误：") == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


def test_importing_any_module_reads_no_configuration():
    """Configuration and reference data are read on first use, never at import: every
    module of the package is imported with every YAML read made to fail."""
    probe = """
import importlib, pathlib, pkgutil, sys
import analysis
from analysis.settings import yaml_files
read = []
def refuse(path, *a, **k):
    read.append(str(path))
    raise RuntimeError(f"read at import: {path}")
yaml_files._read_text = refuse
plain = pathlib.Path.read_text
def watched(self, *a, **k):
    if self.suffix in (".yaml", ".yml"):
        refuse(self)
    return plain(self, *a, **k)
pathlib.Path.read_text = watched
names = [m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")]
for name in names:
    if not name.endswith("__main__"):  # a __main__ runs its command
        importlib.import_module(name)
print(len(names), read)
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    count, read = done.stdout.split(" ", 1)
    assert int(count) > 100 and read.strip() == "[]"
