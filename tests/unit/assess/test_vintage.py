"""Declared data vintage (DATA_AS_OF, MANIFEST.yaml ``extracted``) and coverage judged per
table against it and against the table's own history (a quiet month is reported, a gap is
not taken for one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import briefing
from analysis.errors import ConfigError, DataValidationError, ParameterError
from analysis.run.preflight import check_inputs
from analysis.settings import config, places

D = "示例城区"
TOWNS = places.towns_of(D)
HEADER = (
    "incident_id,district,town,date,category,industry,accident_type,deaths,"
    "serious_injuries,injuries,direct_loss_wan,description"
)


def _write_incidents(folder: Path, per_month: dict[str, int], category="生产安全事故") -> None:
    lines = [HEADER]
    for month, n in per_month.items():
        for k in range(n):
            day = pd.Timestamp(f"{month}-01") + pd.Timedelta(days=(2 * k) % 28)
            town = TOWNS[k % len(TOWNS)]
            lines.append(
                f"T{month}-{k},{D},{town},{day:%Y-%m-%d},{category},工贸,其他,0,0,0,1.00,测试记录"
            )
    (folder / "incidents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _months(first: str, last: str, n: int, skip=()) -> dict[str, int]:
    months = pd.period_range(first, last, freq="M").strftime("%Y-%m")
    return {m: (0 if m in skip else n) for m in months if m not in skip}


def _params(folder: Path, period="2021-11", kind="month", **kw):
    return briefing.run_params(district=D, period=period, kind=kind, data_dir=folder, **kw)


@pytest.fixture
def quiet_november(tmp_path) -> Path:
    """About two accidents a month over two years, none in November 2021."""
    _write_incidents(tmp_path, _months("2020-01", "2021-11", 2, skip={"2021-11"}))
    return tmp_path


def test_a_quiet_month_without_a_declaration_is_refused_with_advice(quiet_november):
    with pytest.raises(ParameterError, match="DATA_AS_OF"):
        check_inputs(_params(quiet_november))


def test_a_quiet_month_with_data_as_of_is_reported_as_such(quiet_november):
    params, _ = check_inputs(_params(quiet_november, data_as_of="2021-11-30"))
    assert params.coverage == ()
    brief = briefing.prepare(params)
    said = brief.say("period_accidents").data
    assert "未发生生产安全事故" in said
    assert "共发生生产安全事故" not in said
    vintage = brief.say("vintage").data
    assert "以上数据截至2021年11月30日，可能因事故迟报、核销等原因有所变动" in vintage
    assert "数据覆盖不完整" not in brief.header().data


def test_the_manifest_declares_the_vintage_too(quiet_november):
    (quiet_november / "MANIFEST.yaml").write_text("extracted: 2021-12-03\n", encoding="utf-8")
    params, _ = check_inputs(_params(quiet_november))
    assert "2021年12月3日" in briefing.prepare(params).say("vintage").data


def test_a_bad_manifest_date_names_the_file_and_line(quiet_november):
    (quiet_november / "MANIFEST.yaml").write_text(
        "synthetic: false\nextracted: 2021-13-40\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"MANIFEST\.yaml.*第 2 行"):
        check_inputs(_params(quiet_november))


def test_a_period_past_the_declared_date_is_refused(quiet_november):
    with pytest.raises(ParameterError, match="声明的数据提取日期为2021-11-20"):
        check_inputs(_params(quiet_november, data_as_of="2021-11-20"))
    params, _ = check_inputs(_params(quiet_november, data_as_of="2021-11-20", allow_partial=True))
    assert params.coverage


def test_a_record_after_the_declared_date_is_an_error(tmp_path):
    _write_incidents(tmp_path, _months("2020-01", "2021-11", 8))
    with pytest.raises(DataValidationError, match="晚于声明的数据提取日期 2021-11-10"):
        check_inputs(_params(tmp_path, data_as_of="2021-11-10", allow_partial=True))


def test_data_as_of_must_be_a_date_not_in_the_future():
    with pytest.raises(ParameterError, match="格式不正确"):
        briefing.run_params(district=D, data_as_of="2021/11/30")
    with pytest.raises(ParameterError, match="晚于今天"):
        briefing.run_params(district=D, data_as_of="2999-01-01")


def test_a_gap_is_not_a_quiet_month_even_when_declared(tmp_path):
    # forty a month, then nothing for two months: not a quiet spell but missing data
    _write_incidents(tmp_path, _months("2020-01", "2021-09", 40))
    with pytest.raises(ParameterError, match="按该表以往的记录数不会是无事发生"):
        check_inputs(_params(tmp_path, data_as_of="2021-11-30"))


def test_a_prior_year_that_starts_mid_year_gives_no_percentage(tmp_path):
    # a system migration: records start in July 2020; 2021's year to date has no honest 同比
    _write_incidents(tmp_path, _months("2020-07", "2021-11", 6))
    params, _ = check_inputs(_params(tmp_path, data_as_of="2021-11-30"))
    brief = briefing.prepare(params)
    table = brief.frames.period_accidents
    assert table.loc["accidents", "累计同比"] == "数据不完整，无法同比"
    # November 2020 itself is covered: the month's own 同比 is a figure
    assert table.loc["accidents", "同比"] == "同比持平"
    assert "数据不完整，无法同比" in brief.say("period_accidents").data
    assert pd.isna(brief.indicators.set_index("id").at["accidents", "yoy_pct"])
    # the same data from January: a percentage
    full = tmp_path / "full"
    full.mkdir()
    _write_incidents(full, _months("2020-01", "2021-11", 6))
    params, _ = check_inputs(_params(full, data_as_of="2021-11-30"))
    table = briefing.prepare(params).frames.period_accidents
    assert table.loc["accidents", "累计同比"] == "同比持平"


def test_one_stray_record_of_a_later_month_does_not_let_the_period_through(tmp_path):
    sample = config.SAMPLE_DATA_DIR
    for f in sample.iterdir():
        shutil.copy(f, tmp_path / f.name)
    incidents = (tmp_path / "incidents.csv").read_text(encoding="utf-8-sig").splitlines()
    stray = incidents[-1].split(",")
    stray[0], stray[3] = "STRAY-1", "2020-11-02"
    (tmp_path / "incidents.csv").write_text(
        "\n".join([*incidents, ",".join(stray)]) + "\n", encoding="utf-8"
    )
    params = briefing.run_params(period="2020-11", data_dir=tmp_path)
    with pytest.raises(ParameterError, match="检查"):
        check_inputs(params)


def test_one_table_ending_early_is_refused_or_noted_table_by_table(tmp_path):
    """Inspections that end in June give an October briefing a false 同比 of the whole
    extract: refused by name; allowed, the briefing says how far the table reaches."""
    for f in config.SAMPLE_DATA_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "inspections.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    column = header.index("date")
    kept = [line for line in lines[1:] if line.split(",")[column] < "2020-07-01"]
    path.write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
    (tmp_path / "MANIFEST.yaml").unlink()  # its checksums describe the untouched sample
    with pytest.raises(ParameterError, match=r"检查记录.*inspections\.csv"):
        check_inputs(briefing.run_params(period="2020-10", data_dir=tmp_path))
    params, _ = check_inputs(
        briefing.run_params(period="2020-10", data_dir=tmp_path, allow_partial=True)
    )
    assert dict(params.coverage)["inspections"].startswith("2020-06")
