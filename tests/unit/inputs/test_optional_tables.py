"""Only the incidents table is required: a section whose tables were not provided is left
out (no heading, no empty table, no figure of an absent table), the data-quality appendix
lists each absent table as 未提供 and each present one with its coverage; with an allowed
partial period every figure of a table that stops early says 数据截至…."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from analysis.briefing import prepare
from analysis.inputs import schema
from analysis.settings import config
from analysis.settings.params import resolve_params


@pytest.fixture(scope="module")
def incidents_only(tmp_path_factory):
    folder = tmp_path_factory.mktemp("incidents_only")
    shutil.copy(config.SAMPLE_DATA_DIR / "incidents.csv", folder)
    return prepare(resolve_params(data_dir=folder))


def test_sections_without_their_tables_are_left_out(incidents_only):
    brief = incidents_only
    for name in ("outreach", "campaigns", "enforcement", "intrinsic", "hazards", "fines"):
        assert getattr(brief.frames, name).empty, name
    for name in ("outreach", "campaigns", "enforcement", "intrinsic"):
        assert brief.say(name).data == "", name
    assert "key_work" not in brief.chapters()
    assert brief.heading("key_work").data == ""
    assert "二、差距与不足" in brief.heading("targets").data  # the chapters move up


def test_incident_figures_stay_and_nothing_comes_from_an_absent_table(incidents_only):
    brief = incidents_only
    assert brief.frames.overview.loc["accidents", "本期（累计）"] == "9起"
    assert not brief.frames.town_accidents.empty
    shown = set(brief.frames.by_town.columns[1:]) | set(brief.frames.by_industry.columns[1:])
    assert shown == {"生产安全事故起数", "生产安全事故死亡人数", "火灾起数"}


def test_absent_tables_are_listed_as_not_provided(incidents_only):
    quality = incidents_only.frames.data_quality
    absent = quality[quality["文件"] == "未提供"]
    assert set(absent["内容"]) == {t.zh for n, t in schema.TABLES.items() if n != "incidents"}
    present = quality[quality["文件"] == "incidents.csv"].iloc[0]
    assert present["记录日期范围"] == "2019-01-02 至 2020-10-25"


def test_every_figure_of_a_partial_table_says_where_its_data_stop(default_params):
    params = resolve_params(allow_partial=True, coverage=[("hazards", "2020-09-15")])
    brief = prepare(params)
    campaigns = brief.frames.campaigns
    assert campaigns.loc["hazards_found", "备注"] == "数据截至2020年9月15日"
    assert campaigns.loc["inspection_visits", "备注"] == ""  # inspections are complete
    overview_notes = brief.frames.overview.get("备注", pd.Series(dtype=object))
    assert not overview_notes.str.contains("数据截至").any()  # incidents are complete
    assert "（数据截至2020年9月15日）" in brief.say("campaigns").data
    assert "数据截至" not in prepare(default_params).say("campaigns").data


def test_a_monthly_figure_of_a_partial_table_says_where_its_data_stop():
    params = resolve_params(
        kind="month", allow_partial=True, coverage=[("incidents", "2020-10-25")]
    )
    words = re.sub(r"<[^>]+>", "", prepare(params).say("period_accidents").data)
    assert "1起（数据截至2020年10月25日）" in words
