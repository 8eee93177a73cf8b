"""Incident categories and the severity rules are reference data (data/config/reference.yaml):
adding a category (自然灾害, …) is one line there plus data, and a bad entry is a
Chinese ConfigError naming the file and the line."""

from __future__ import annotations

import pytest

from analysis.errors import ConfigError
from analysis.indicators import severity_class
from analysis.inputs import schema
from analysis.settings import config, reference_data
from analysis.settings.yaml_files import read_yaml

REFERENCE = config.REFERENCE_FILE.read_text(encoding="utf-8")


def test_categories_and_severity_come_from_the_reference_file():
    reference = read_yaml(config.REFERENCE_FILE)
    assert schema.INCIDENT_CATEGORIES == tuple(reference["incident_categories"])
    assert schema.INCIDENTS.column("category").allowed == schema.INCIDENT_CATEGORIES
    levels = reference_data.severity_levels()
    assert [name for name, _ in levels] == ["一般", "较大", "重大", "特别重大"]
    assert levels[1] == ("较大", (3.0, 10.0, 1000.0))


@pytest.mark.parametrize(
    "old, new, reason",
    [
        ("  - 火灾\n", "  - 生产安全事故\n", "incident_categories 中“生产安全事故”重复"),
        ("deaths: 10,", "deaths: 2,", "事故等级“重大”应给出"),
        ("direct_loss_wan: 1000}", "direct_loss_wan: 很多}", "且逐级提高"),
    ],
)
def test_bad_reference_entries_name_the_line(tmp_path, monkeypatch, old, new, reason):
    path = tmp_path / "reference.yaml"
    assert old in REFERENCE
    line = REFERENCE[: REFERENCE.index(old)].count("\n") + 1  # the edited line
    path.write_text(REFERENCE.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(config, "REFERENCE_FILE", path)
    reference_data.reference.cache_clear()
    try:
        with pytest.raises(ConfigError, match=reason) as info:
            reference_data.reference()
    finally:
        reference_data.reference.cache_clear()
    assert f"配置文件 {path} 第 {line} 行" in str(info.value)


def test_severity_follows_the_configured_bounds():
    import pandas as pd

    rows = pd.DataFrame(
        {"deaths": [2, 3, 29, 30], "serious_injuries": [0, 0, 0, 0], "direct_loss_wan": [0.0] * 4}
    )
    assert severity_class(rows).tolist() == ["一般", "较大", "重大", "特别重大"]
