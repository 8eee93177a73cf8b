"""Incident categories and the severity rules are reference data (data/config/reference.yaml):
adding a category (自然灾害, …) is one line there plus data, and a bad entry is a
Chinese ConfigError naming the file and the line. A district adds its own industries and
categories in districts/<区>/reference.yaml, checked the same way."""

from __future__ import annotations

import pytest

from analysis.errors import ConfigError
from analysis.indicators import severity_class
from analysis.inputs import load_table, schema
from analysis.settings import config, reference_data
from analysis.settings.yaml_files import read_yaml

REFERENCE = config.REFERENCE_FILE.read_text(encoding="utf-8")


def test_categories_and_severity_come_from_the_reference_file():
    reference = read_yaml(config.REFERENCE_FILE)
    category = schema.INCIDENTS.column("category")
    assert schema.allowed_for(category) == tuple(reference["incident_categories"])
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


def test_a_new_category_is_one_line_of_config(tmp_path, monkeypatch):
    """reference.yaml with 自然灾害 added: the data contract accepts it, read when data are
    validated (no module of the contract to re-import)."""
    path = tmp_path / "reference.yaml"
    path.write_text(REFERENCE.replace("  - 火灾\n", "  - 火灾\n  - 自然灾害\n", 1), "utf-8")
    rows = schema.INCIDENTS.required_column_names, [
        "X1", "钟楼区", "邹区镇", "2020-03-04", "自然灾害", "工贸", "其他", "0", "0", "0", "1", ""
    ]  # fmt: skip
    data = tmp_path / "incidents.csv"
    data.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")

    def load():
        return load_table(data, schema.INCIDENTS, column_map={})[1]

    assert "取值不在允许范围内" in load()[0].reason
    monkeypatch.setattr(config, "REFERENCE_FILE", path)
    config.forget_settings()
    try:
        assert load() == []
        assert "自然灾害" in schema.allowed_for(schema.INCIDENTS.column("category"))
    finally:
        monkeypatch.undo()
        config.forget_settings()


# --------------------------------------------------------------------------- a district's own


@pytest.fixture
def own_file(tmp_path, monkeypatch):
    """Write districts/钟楼区/reference.yaml with the given text; its path."""
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    (tmp_path / "districts" / "钟楼区").mkdir(parents=True)
    path = tmp_path / "districts" / "钟楼区" / "reference.yaml"
    config.forget_settings()
    yield path
    config.forget_settings()


def test_a_district_adds_names_after_the_shared_ones(own_file):
    own_file.write_text("industries:\n  - 冷链物流\n  - 港口航运\n", encoding="utf-8")
    shared = reference_data.names("industries")
    assert reference_data.names("industries", "钟楼区") == (*shared, "冷链物流", "港口航运")
    assert reference_data.names("industries", "示例城区") == shared
    assert reference_data.names("incident_categories", "钟楼区") == reference_data.names(
        "incident_categories"
    )
    assert "冷链物流" not in reference_data.names("industries")  # shared list untouched


def test_a_district_without_a_file_adds_nothing(own_file):
    assert reference_data.district_additions("钟楼区") == {}
    own_file.write_text("# 暂无本区新增\n", encoding="utf-8")
    config.forget_settings()
    assert reference_data.district_additions("钟楼区") == {}


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("industries:\n  - 冷链物流\ndepartments:\n  - 区水务局\n", 3, "未知的列表“departments”"),
        ("industries:\n  - 冷链物流\n  - 工贸\n", 3, "“工贸”已在共用的 reference.yaml 中"),
        ("industries:\n  - 冷链物流\n  - 冷链物流\n", 3, "industries 中“冷链物流”重复"),
        ("incident_categories: 自然灾害\n", 1, "下应列出本区新增的名称"),
        ('industries:\n  - "冷链\\u202e物流"\n', 2, "控制字符"),
        ("industries:\n  - \n", 2, "应为非空文字"),
        ("- 冷链物流\n", None, "应为“列表名: 名称列表”的映射"),
    ],
)
def test_a_bad_district_file_names_its_file_and_line(own_file, text, line, reason):
    own_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=reason) as info:
        reference_data.names("industries", "钟楼区")
    where = f"配置文件 {own_file}" + (f" 第 {line} 行" if line else "：")
    assert where in str(info.value)


def test_a_district_name_that_is_no_folder_name_reads_no_file(own_file, tmp_path):
    """A district read from data (``../x``) never becomes a path: no file outside the
    districts folder is read as its additions."""
    outside = tmp_path / "reference.yaml"  # what districts/../reference.yaml would be
    outside.write_text("industries:\n  - 冷链物流\n", encoding="utf-8")
    assert reference_data.district_reference_file("..").resolve() == outside.resolve()
    assert reference_data.names("industries", "..") == reference_data.names("industries")
    assert reference_data.names("industries", "../..") == reference_data.names("industries")
