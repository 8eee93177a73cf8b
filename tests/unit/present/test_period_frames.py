"""The monthly 形势分析 (KIND=month) from `prepare`: 火警 and 道路交通事故 appear where the
district records them (示例城区) and nowhere else (钟楼区), and the 核对 appendix appears when
the month has published figures."""

from __future__ import annotations

import re

import pytest

from analysis.briefing import prepare, run_params


@pytest.fixture(scope="module")
def city():
    return prepare(run_params(district="示例城区", period="2024-05"))


@pytest.fixture(scope="module")
def zhonglou():
    return prepare(run_params(period="2020-05", kind="month"))


def test_the_city_sample_reports_fire_alarms_and_road_accidents(city):
    other = city.frames.period_other
    assert list(other["指标"]) == ["火警起数", "道路交通事故起数", "道路交通事故死亡人数"]
    alarms = city.period.figures.row("fire_alarms")
    text = re.sub(r"<[^>]+>", "", city.say("period_other").data)
    assert f"接报火警{alarms['value_text']}，{alarms['yoy_text']}" in text
    assert "发生道路交通事故" in text and "other_disasters" in city.chapters()


def test_a_district_that_records_no_fire_alarms_gets_no_such_row_or_sentence(zhonglou):
    assert zhonglou.frames.period_other.empty
    assert zhonglou.say("period_other").data == ""
    assert "火警" not in zhonglou.frames.period_fires.to_string()


def test_the_months_published_figures_are_checked_in_the_appendix(city, zhonglou):
    assert set(city.reconciliation["verdict"]) == {"一致"}
    assert "与已发布数字核对" in city.say("reconciliation").data
    assert zhonglou.say("reconciliation").data == ""  # no figures published for May 2020
    assert "附1 数据质量" in zhonglou.say("data_quality").data


def test_the_city_words_its_changes_with_two_decimals_as_its_bulletins_do(city):
    fires = city.frames.period_fires.set_index("指标")
    assert fires.at["火灾起数", "同比"] == "同比下降42.11%"
