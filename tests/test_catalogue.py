"""The indicator catalogue (analysis.catalogue): validation with file and line."""

from __future__ import annotations

import pytest
from indicator_tables import ENF, cat_data, ind_data

from analysis.catalogue import load_catalogue, parse_catalogue
from analysis.errors import ConfigError


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
