"""The indicator catalogue (analysis.indicators.catalogue): validation with file and line."""

from __future__ import annotations

import pytest
from indicator_tables import ENF, cat_data, ind_data

from analysis.errors import ConfigError
from analysis.indicators import catalogue
from analysis.indicators.catalogue import load_catalogue, parse_catalogue
from analysis.indicators.model import allowed_values, severity_classes
from analysis.inputs import schema
from analysis.settings import config, reference_data


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (cat_data(ind_data(table="accidents")), "未知的表“accidents”"),
        (cat_data(ind_data(measure="sum", column="victims")), "没有列“victims”"),
        (cat_data(ind_data(measure="average")), "未知的计算方式“average”"),
        (cat_data(ind_data(filters={"deaths": {"between": 3}})), "未知的比较方式“between”"),
        (cat_data(ind_data(filters={"category": "交通事故"})), "取值“交通事故”不在允许范围内"),
        (cat_data(ind_data(filters={"weather": "雨"})), "没有列“weather”"),
        (cat_data(ind_data(), ind_data()), "指标编号“x”重复"),
        (
            cat_data(
                ind_data(id="r", measure="ratio", numerator="x", denominator="nope", table=None)
            ),
            "比率引用了不存在的指标“nope”",
        ),
        (
            cat_data(
                ind_data(id="a", measure="difference", minuend="b", subtrahend="b", table=None),
                ind_data(id="b", measure="difference", minuend="a", subtrahend="a", table=None),
            ),
            "循环引用",
        ),
        (cat_data(ind_data(filters={"date": {"ge": "$as_of"}})), "$as_of 只能与 le 或 lt 连用"),
        (cat_data(ind_data(table="meetings")), "scope 应为 district"),
        (cat_data(ind_data(period="snapshot")), "统计期应为 ytd"),
        (cat_data(ind_data(id="Accidents")), "snake_case"),
        (cat_data(ind_data(group="其他")), "未知的栏目"),
        (cat_data(ind_data(colour="red")), "未知的字段“colour”"),
        ({"items": []}, "顶层应有 indicators 列表"),
    ],
)
def test_catalogue_validation_errors(raw, message):
    with pytest.raises(ConfigError) as err:
        parse_catalogue(raw)
    assert message in str(err.value)


def test_catalogue_lists_every_problem_at_once():
    raw = cat_data(ind_data(table="accidents"), ind_data(id="y", measure="average"))
    with pytest.raises(ConfigError) as err:
        parse_catalogue(raw)
    assert "2 处问题" in str(err.value)


def test_shipped_catalogue_is_valid_and_derived_periods():
    cat = load_catalogue()
    assert len(cat) > 60
    assert cat["above_scale_coverage"].period == "snapshot"  # inherits from its inputs
    assert cat["hazard_rectification_rate"].period == "ytd"
    assert cat.additive("hazards_open") and not cat.additive("suspended_enterprises")
    assert cat["enforcement_cases"].filters[0].value == ENF  # token substituted


# --------------------------------------------------------------------------- file and line


def _write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "catalogue.yaml"
    path.write_bytes(text.encode(encoding))
    return path


GOOD_ENTRY = """\
  - id: accidents
    name: 生产安全事故起数
    unit: 起
    group: 总体情况
    table: incidents
    measure: count
"""


def test_problems_name_the_file_and_the_line(tmp_path):
    text = (
        "indicators:\n"
        + GOOD_ENTRY
        + "  - id: deadly\n"  # line 8
        + "    name: 死亡事故\n"
        + "    unit: 起\n"
        + "    group: 总体情况\n"
        + "    table: incidents\n"
        + "    measure: count\n"
        + "    filters:\n"
        + "      category: 交通事故\n"  # line 15
        + "    decimals: -1\n"  # line 16
        + "  - name: 无编号\n"  # line 17
    )
    with pytest.raises(ConfigError) as err:
        load_catalogue(_write(tmp_path, text))
    message = str(err.value)
    assert message.startswith(f"配置文件 {tmp_path / 'catalogue.yaml'} 有 3 处问题：\n")
    # in the order of the file, each with its line
    assert message.index("第 15 行") < message.index("第 16 行") < message.index("第 17 行")
    assert "第 15 行：指标“deadly”的筛选条件“category”：取值“交通事故”不在允许范围内" in message
    assert "第 16 行：指标“deadly”：decimals 应为非负整数" in message
    assert "第 17 行：指标目录第3条缺少 id" in message


def test_a_duplicated_key_is_reported_with_its_line(tmp_path):
    text = "indicators:\n" + GOOD_ENTRY + "    unit: 人\n"
    with pytest.raises(ConfigError, match="catalogue.yaml 第 8 行：键“unit”重复（第 4 行已出现）"):
        load_catalogue(_write(tmp_path, text))


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    text = "indicators:\n" + GOOD_ENTRY + "    filters: {category: [生产安全事故}\n"
    with pytest.raises(ConfigError, match=r"catalogue\.yaml 第 8 行：方括号 \[ … \] 没有闭合"):
        load_catalogue(_write(tmp_path, text))


def test_a_catalogue_saved_in_gbk_is_named(tmp_path):
    with pytest.raises(ConfigError, match="不是 UTF-8 编码"):
        load_catalogue(_write(tmp_path, "indicators:\n" + GOOD_ENTRY, encoding="gbk"))


def test_a_valid_file_loads_and_is_cached_per_version(tmp_path):
    path = _write(tmp_path, "indicators:\n" + GOOD_ENTRY)
    first = load_catalogue(path)
    assert [i.id for i in first] == ["accidents"]
    assert load_catalogue(path) is first


# --------------------------------------------------------------------------- vocabularies


def test_allowed_values_come_from_one_function():
    incidents = schema.TABLES["incidents"]
    categories = reference_data.names("incident_categories")
    assert allowed_values(incidents, "category") == ("str", categories)
    assert allowed_values(incidents, "severity") == ("str", severity_classes())
    assert allowed_values(incidents, "deaths") == ("int", None)
    assert allowed_values(incidents, "weather") is None


def test_condition_checks_read_the_vocabulary_through_allowed_values(monkeypatch):
    raw = cat_data(ind_data(filters={"category": "交通事故"}))
    with pytest.raises(ConfigError, match="不在允许范围内"):
        parse_catalogue(raw)
    monkeypatch.setattr(
        catalogue,
        "allowed_values",
        lambda table, column, district=None: (
            ("str", ("交通事故",)) if column == "category" else None
        ),
    )
    assert parse_catalogue(raw)["x"].filters[0].value == "交通事故"


def test_a_token_missing_from_reference_yaml_is_named(tmp_path, monkeypatch):
    raw = cat_data(ind_data(table="cases", filters={"department": "$enforcement_department"}))
    assert parse_catalogue(raw)["x"].filters[0].value == ENF
    shipped = config.REFERENCE_FILE.read_text(encoding="utf-8")
    without = tmp_path / "reference.yaml"
    without.write_text(shipped.replace("enforcement_department:", "# was:"), encoding="utf-8")
    monkeypatch.setattr(config, "REFERENCE_FILE", without)
    config.forget_settings()
    try:
        with pytest.raises(ConfigError, match="需要 reference.yaml 中的“enforcement_department”"):
            parse_catalogue(raw)
    finally:
        monkeypatch.undo()
        config.forget_settings()


@pytest.fixture
def own_industry(tmp_path, monkeypatch):
    """钟楼区 adds the industry 冷链物流 (districts/钟楼区/reference.yaml); its folder."""
    folder = tmp_path / "districts" / "钟楼区"
    folder.mkdir(parents=True)
    (folder / "reference.yaml").write_text("industries:\n  - 冷链物流\n", encoding="utf-8")
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    config.forget_settings()
    yield folder
    config.forget_settings()


def test_a_filter_may_use_the_districts_own_industry_there_only(own_industry):
    raw = cat_data(ind_data(filters={"industry": "冷链物流"}))
    assert parse_catalogue(raw, district="钟楼区")["x"].filters[0].value == "冷链物流"
    for other in (None, "示例城区"):
        with pytest.raises(ConfigError, match="取值“冷链物流”不在允许范围内"):
            parse_catalogue(raw, district=other)


def test_a_districts_catalogue_is_checked_again_after_its_list_changes(own_industry):
    entry = "indicators:\n" + GOOD_ENTRY.replace("accidents", "cold")
    entry += "    filters: {industry: 冷链物流}\n"
    (own_industry / "catalogue.yaml").write_text(entry, encoding="utf-8")
    assert "cold" in {i.id for i in load_catalogue(district="钟楼区")}
    (own_industry / "reference.yaml").write_text("industries:\n  - 港口航运\n", encoding="utf-8")
    config.forget_settings()
    with pytest.raises(ConfigError, match="冷链物流") as err:
        load_catalogue(district="钟楼区")
    assert "districts/钟楼区/catalogue.yaml" in str(err.value).replace("\\", "/")
