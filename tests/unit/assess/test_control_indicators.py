"""The control indicators bureaus are judged by, from the optional denominators table."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import indicators
from analysis.errors import DataValidationError
from analysis.inputs.cache import load_tables_cached
from analysis.inputs.load import load_tables
from analysis.present.evidence_words import control_indicator_frame
from analysis.settings import config


@pytest.fixture(scope="module")
def ind():
    tables = load_tables_cached(config.SAMPLE_DATA_DIR, strict=True).tables
    return indicators.compute_indicators(tables, "钟楼区", "2020-10").set_index("id")


def _csv(name):
    return pd.read_csv(config.SAMPLE_DATA_DIR / name, encoding="utf-8-sig")


def test_the_rates_are_deaths_over_the_years_denominators(ind):
    den = _csv("denominators.csv").set_index("year")
    inc = _csv("incidents.csv")
    inc["date"] = pd.to_datetime(inc["date"])
    acc = inc[(inc["category"] == "生产安全事故") & inc["date"].between("2020-01-01", "2020-10-31")]
    deaths = acc["deaths"].sum()
    assert ind.at["deaths_per_gdp", "value"] == pytest.approx(deaths / den.at[2020, "gdp_yi"])
    per_100k = deaths / den.at[2020, "industrial_employees"] * 100_000
    assert ind.at["industrial_deaths_per_100k_workers", "value"] == pytest.approx(per_100k)
    # 上年同期 divides last year's deaths to the same date by last year's denominator
    before = inc[
        (inc["category"] == "生产安全事故") & inc["date"].between("2019-01-01", "2019-10-31")
    ]
    expected = before["deaths"].sum() / den.at[2019, "gdp_yi"]
    assert ind.at["deaths_per_gdp", "prior_value"] == pytest.approx(expected)


def test_without_road_accident_records_the_road_rate_is_not_made_up(ind):
    assert pd.isna(ind.at["road_deaths_per_10k_vehicles", "value"])


def test_the_table_is_optional(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, folder)
    (folder / "denominators.csv").unlink()
    tables = load_tables(folder, strict=True).tables
    ind = indicators.compute_indicators(tables, "钟楼区", "2020-10").set_index("id")
    assert pd.isna(ind.at["deaths_per_gdp", "value"]) and ind.at["accidents", "value"] == 9


def test_a_negative_gdp_is_refused_naming_file_line_and_column(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, folder)
    path = folder / "denominators.csv"
    path.write_text(
        path.read_text(encoding="utf-8-sig").replace("1205.62", "-1205.62"), encoding="utf-8-sig"
    )
    with pytest.raises(DataValidationError) as info:
        load_tables(folder, strict=True)
    message = str(info.value)
    assert "denominators.csv" in message and "第 3 行" in message and "gdp_yi" in message


def test_the_frame_gives_target_pace_and_standing_or_says_none_is_set():
    table = pd.DataFrame(
        {"指标": ["亿元GDP生产安全事故死亡率", "火灾十万人口死亡率"], "同比": ["", ""]},
        index=pd.Index(["deaths_per_gdp", "fire_deaths_per_100k_population"], name="指标编号"),
    )
    targets = pd.DataFrame(
        [
            {
                "indicator_id": "deaths_per_gdp",
                "target_text": "≤0.008人/亿元",
                "pace": "linear",
                "pace_required": 0.0066667,
                "op": "le",
                "status": "达标",
            }
        ]
    )
    ind = pd.DataFrame({"id": ["deaths_per_gdp"], "unit": ["人/亿元"], "decimals": [4]})
    frame = control_indicator_frame(table, targets, ind)
    assert frame.loc["deaths_per_gdp", ["控制指标", "序时进度", "状态"]].tolist() == [
        "≤0.008人/亿元",
        "≤0.0067人/亿元",
        "达标",
    ]
    assert frame.loc["fire_deaths_per_100k_population", "控制指标"] == "未设目标"
