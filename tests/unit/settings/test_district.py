"""A district's own settings (districts/<区>/district.yaml over defaults.yaml): checked with
file and line, followed by every number of the briefing, and a district or year without
targets or gaps gets no such chapters; ``make district`` scaffolds a new district."""

from __future__ import annotations

import shutil

import pytest

from analysis.briefing import prepare
from analysis.cli import run_notes
from analysis.compare import format_change
from analysis.errors import ConfigError, ParameterError
from analysis.settings import config, places
from analysis.settings.district import district_settings
from analysis.settings.params import resolve_params
from analysis.tools.scaffold import scaffold_district


def test_shipped_district_takes_the_defaults_it_does_not_set():
    settings = district_settings("钟楼区")
    assert settings.rounding == "四舍五入"
    assert (settings.change_decimals, settings.ring_decimals) == (1, 1)
    assert settings.comparisons == ("同比", "环比")
    assert settings.office == "钟楼区安全生产委员会办公室"
    assert settings.issue_number(10) == 10


def test_a_district_without_its_own_file_gets_the_defaults_with_its_name(districts):
    settings = district_settings("钟楼区")
    assert settings.office == "钟楼区安全生产委员会办公室"  # "{区}…" filled in
    assert settings.comparisons == ("同比", "比前年", "环比")
    assert settings.distribution == () and settings.signature == ""


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "office: 某办\nrounding: 五舍六入\n",
            2,
            "rounding 应为四舍五入、截尾、四舍六入五成双之一",
        ),
        ("decimals: {同比: 2}\n", 1, "decimals 应分别给出同比、环比的小数位数"),
        ("decimals: {同比: 2, 环比: x}\n", 1, "decimals 中环比的小数位数应为 0 到 4 的整数"),
        ("\ncomparisons: [同比, 环比比]\n", 2, "comparisons 应为同比、比前年、环比中的若干项"),
        ("first_issue: 0\n", 1, "first_issue 应为正整数"),
        ("office: 某办\nrouding: 截尾\n", 2, "未知的设置“rouding”"),
        ("office: 某办\ndistribution: {抄: 市局}\n", 2, "distribution 含未知项“抄”"),
        ("distribution:\n  报: [市安委办, 3]\n", 1, "distribution 中报应为单位名称或名称列表"),
    ],
)
def test_bad_settings_name_the_file_and_line(districts, text, line, message):
    path = districts(text)
    with pytest.raises(ConfigError, match=message) as info:
        district_settings("钟楼区")
    assert f"配置文件 {path} 第 {line} 行" in str(info.value)


def test_rounding_decimals_and_comparisons_reach_tables_and_sentences(districts, default_params):
    districts("rounding: 截尾\ndecimals: {同比: 2, 环比: 2}\ncomparisons: [同比, 比前年, 环比]\n")
    brief = prepare(default_params)
    row = brief.indicators.set_index("id").loc["accidents"]
    yoy = format_change(row["value"], row["prior_value"], "起", ndigits=2, rule="截尾")
    yoy2 = format_change(
        row["value"], row["prior2_value"], "起", label="比前年", ndigits=2, rule="截尾"
    )
    overview = brief.frames.overview
    # the sample has no data for the year before last: a column that says so in every row
    # is left out rather than filled with “前年同期无数据”
    assert "无数据" in yoy2
    shown = [c for c in overview.columns if c != "备注"]  # 备注: 含初步数 (assess.provisional)
    assert shown[-2:] == ["同比", "环比（本月）"]
    # 9 against 60 is a real fall: its percentage stays, marked (assess.change_marks)
    assert overview.at["accidents", "同比"] == yoy + brief.label("change_significant")
    assert len(yoy.split(".")[1].rstrip("%")) == 2  # two decimals, not the catalogue's one
    assert yoy in brief.say("overview").data


def test_a_comparison_the_district_does_not_show_is_in_no_table_or_sentence(
    districts, default_params
):
    districts("comparisons: [环比]\n")
    brief = prepare(default_params)
    assert "同比" not in brief.frames.overview.columns
    assert "同比" not in brief.say("overview").data
    assert "同比" not in brief.say("highlights").data


def test_no_targets_or_gaps_no_such_chapters_and_a_note(districts, default_params):
    districts("office: 钟楼区安委办\n")
    brief = prepare(default_params)
    assert brief.chapters() == ["overview", "key_work"]
    assert "二、重点工作" in brief.heading("key_work").data
    for part in ("targets", "next_steps"):
        assert brief.heading(part).data == ""
    for section in ("targets", "gaps", "next_steps"):
        assert brief.say(section).data == ""
    assert "钟楼区安委办" in brief.header().data
    notes = run_notes(default_params)
    assert len(notes) == 2 and "未配置2020年的目标完成情况" in notes[0]


def test_shipped_sample_keeps_its_four_chapters_and_no_notes(default_params):
    brief = prepare(default_params)
    assert brief.chapters() == ["overview", "key_work", "targets", "next_steps"]
    assert "四、下一步建议" in brief.heading("next_steps").data
    assert run_notes(default_params) == []


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    """units.yaml and the districts folder copied to a scratch folder."""
    units = tmp_path / "units.yaml"
    shutil.copy(config.UNITS_FILE, units)
    shutil.copytree(config.DISTRICTS_DIR, tmp_path / "districts")
    monkeypatch.setattr(config, "UNITS_FILE", units)
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "districts")
    places.units.cache_clear()
    district_settings.cache_clear()
    yield tmp_path
    places.units.cache_clear()
    district_settings.cache_clear()


def test_scaffold_adds_the_district_and_its_commented_templates(config_copy):
    written = scaffold_district("新北区", ["甲镇", "乙街道"], 2024)
    assert places.towns_of("新北区") == ["甲镇", "乙街道"]
    assert places.towns_of("钟楼区")[0] == "邹区镇"  # the others are kept
    folder = config_copy / "districts" / "新北区"
    assert folder / "district.yaml" in written
    assert district_settings("新北区").office == "新北区安全生产委员会办公室"
    assert "2024.yaml" in (folder / "targets" / "说明.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, towns, message",
    [
        ("钟楼区", ["甲镇"], "区“钟楼区”已存在"),
        ("新北区", ["邹区镇"], "镇/街道“邹区镇”已属于钟楼区"),
        ("新北区", [], "至少要有一个镇/街道"),
        ("新/北区", ["甲镇"], "名称“新/北区”无效"),
    ],
)
def test_scaffold_refuses_in_chinese_and_changes_nothing(config_copy, name, towns, message):
    before = config.UNITS_FILE.read_bytes()
    with pytest.raises(ParameterError, match=message):
        scaffold_district(name, towns, 2024)
    assert config.UNITS_FILE.read_bytes() == before
    assert not (config_copy / "districts" / "新北区").exists()


def test_a_districts_own_data_folder_period_and_kind_are_its_run_defaults(districts):
    districts("data_dir: data/sample_city\nperiod: '2024-12'\nkind: month\n")
    params = resolve_params(district="钟楼区")
    assert params.data_dir == config.PROJ_ROOT / "data" / "sample_city"
    assert (params.period, params.kind) == ("2024-12", "month")
    given = resolve_params(district="钟楼区", period="2024-06", kind="half", data_dir="data/sample")
    assert (given.period, given.kind, given.data_dir.name) == ("2024-06", "half", "sample")


@pytest.mark.parametrize(
    "text, message",
    [
        ("office: 某办\ndata_dir: [data/a]\n", "data_dir 应为文字"),
        ("office: 某办\nkind: weekly\n", "简报类型“weekly”无效"),
    ],
)
def test_bad_run_defaults_are_refused_in_chinese(districts, text, message):
    path = districts(text)
    with pytest.raises((ConfigError, ParameterError), match=message) as info:
        resolve_params(district="钟楼区")
    if isinstance(info.value, ConfigError):
        assert f"配置文件 {path} 第 2 行" in str(info.value)


def test_run_defaults_belong_to_a_district_not_to_the_shared_defaults(tmp_path, monkeypatch):
    defaults = tmp_path / "defaults.yaml"
    text = config.DEFAULTS_FILE.read_text("utf-8") + "data_dir: data/x\n"
    defaults.write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "DEFAULTS_FILE", defaults)
    district_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="未知的设置“data_dir”"):
            district_settings("钟楼区")
    finally:
        district_settings.cache_clear()
