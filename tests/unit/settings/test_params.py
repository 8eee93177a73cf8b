"""Run parameters: switches mean what they say; a period past the data is refused unless
allowed, and an allowed partial period carries its coverage into the notebook."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.assess.coverage import Coverage, coverage_note, last_record_dates
from analysis.errors import ParameterError
from analysis.inputs.cache import load_tables_cached
from analysis.settings import config
from analysis.settings.params import parse_flag, resolve_params


@pytest.mark.parametrize(
    ("value", "meaning"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("Yes", True),
        (" no ", False),
        ("", None),
        (None, None),
        (True, True),
        (False, False),
    ],
)
def test_a_switch_means_what_it_says(value, meaning):
    assert parse_flag(value, "LENIENT") is meaning


@pytest.mark.parametrize("value", ["2", "on", "off", "y", "ture", "-1", "1 1"])
def test_any_other_switch_value_is_an_error(value):
    with pytest.raises(ParameterError, match=f"LENIENT=“{value}”无效"):
        parse_flag(value, "LENIENT")


def test_strict_and_allow_partial_follow_their_switches():
    assert resolve_params(strict="0").strict is False
    assert resolve_params(strict="yes").strict is True
    assert resolve_params(strict="").strict is True  # empty = project.yaml (strict)
    assert resolve_params(allow_partial="1").allow_partial is True
    assert resolve_params().allow_partial is False
    with pytest.raises(ParameterError, match="allow_partial 参数“maybe”无效"):
        resolve_params(allow_partial="maybe")


@pytest.fixture(scope="module")
def coverage():
    return Coverage.of(load_tables_cached(config.SAMPLE_DATA_DIR, strict=True))


def test_coverage_is_each_tables_last_record_date():
    last = last_record_dates(load_tables_cached(config.SAMPLE_DATA_DIR, strict=True))
    assert last["incidents"] == date(2020, 10, 25)
    assert last["meetings"] == date(2020, 9, 16)
    assert "enforcement_plan" not in last  # no date column


def test_a_period_the_data_reach_is_unchanged(coverage):
    params = resolve_params(period="2020-10")
    assert coverage.apply(params) is params
    assert coverage_note(params) == ""


@pytest.mark.parametrize("period", ["2020-11", "2020-12"])
def test_a_period_past_the_data_is_refused_naming_the_table_and_last_date(coverage, period):
    with pytest.raises(ParameterError) as info:
        coverage.apply(resolve_params(period=period))
    message = str(info.value)
    assert f"期间“{period}”超出数据范围" in message
    assert "事故与火灾（incidents.csv）最后一条记录的日期为 2020-10-25" in message
    assert "ALLOW_PARTIAL=1" in message


def test_an_allowed_partial_period_states_its_coverage(coverage):
    params = coverage.apply(resolve_params(period="2020-12", allow_partial=True))
    assert ("incidents", "2020-10-25") in params.coverage
    assert "incidents" in params.partial_tables
    note = coverage_note(params)
    assert note.startswith("数据覆盖不完整：本期统计到2020年12月31日")
    assert "事故与火灾截至2020年10月25日" in note
    # the notebook gets the coverage as a plain list and rebuilds the same parameters
    notebook = params.as_notebook_parameters()
    assert resolve_params(**{k: v for k, v in notebook.items()}) == params


def test_the_whole_extract_ending_early_is_past_the_data_too(coverage):
    """Without an incidents table, a period is past the data when every year-to-date
    table stops before it."""
    without_incidents = {t: d for t, d in coverage.last.items() if t != "incidents"}
    cov = Coverage(without_incidents, coverage.files)
    assert cov.apply(resolve_params(period="2020-10")).coverage == ()
    with pytest.raises(ParameterError, match="会议研究（meetings.csv）最后一条记录"):
        Coverage({"meetings": date(2020, 9, 16)}, coverage.files).apply(
            resolve_params(period="2020-10")
        )
    with pytest.raises(ParameterError, match="超出数据范围"):
        cov.apply(resolve_params(period="2020-12"))


def test_coverage_without_allow_partial_is_refused():
    with pytest.raises(ParameterError, match="coverage 只能与 allow_partial=True 一起使用"):
        resolve_params(coverage=[["incidents", "2020-10-25"]])
    with pytest.raises(ParameterError, match="coverage 参数"):
        resolve_params(allow_partial=True, coverage=[["incidents", "yesterday"]])
