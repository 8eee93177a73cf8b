"""Names become paths (issue class 1): every district or town name that becomes a folder is
refused where the configuration is read, naming the file and the line; a briefing's folder
is built only under the output root and checked there after resolving symbolic links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.errors import ConfigError, OutputError, ParameterError
from analysis.settings import config, places
from analysis.settings.names import MAX_NAME_BYTES, briefing_folder, name_problem
from analysis.settings.params import RunParams
from analysis.settings.yaml_files import read_yaml
from analysis.tools.scaffold import scaffold_district

UNITS = """\
districts:
  钟楼区:
    towns:
      - 邹区镇
      - 北港街道
"""
TOWN_LINE, DISTRICT_LINE = 5, 2

# (name as written in YAML, what the message says)
HOSTILE = [
    ('"../../../逃逸"', "不能含"),
    ('"/root/分析人员的数据"', "不能含"),
    ('".."', "不能以“.”开头"),
    ('"."', "不能以“.”开头"),
    ('".cache"', "不能以“.”开头"),
    ('".runs"', "不能以“.”开头"),
    ('"甲\\\\乙"', "不能含"),
    ('"javascript:alert(1)"', "不能含"),
    ('"=1+2镇"', None),  # a formula is a spreadsheet matter, not a path one: allowed here
    ('"甲\\0镇"', "控制字符"),
    ('"甲\\u200b镇"', "看不见的字符"),
    ('"甲\\u202e镇"', "文字方向控制符"),
    ('"甲\\u2028镇"', "U+2028"),
    ('"甲\\n镇"', "控制字符"),
    ('" 甲镇"', "首尾不能有空格"),
    ('"甲镇\\u3000"', "首尾不能有空格"),
    ('"briefing.html"', "扩展名"),
    ('"甲镇."', "扩展名"),
    ('"CON"', "设备名"),
    ('"lpt1.txt"', "扩展名"),
    ('"' + "镇" * 33 + '"', "过长"),
]


def _problem_in_units(tmp_path: Path, text: str) -> str | None:
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        places.validate_units(read_yaml(path), path)
    except ConfigError as err:
        return str(err)
    return None


@pytest.mark.parametrize(("written", "reason"), HOSTILE)
def test_a_hostile_town_name_is_refused_naming_the_file_and_line(tmp_path, written, reason):
    message = _problem_in_units(tmp_path, UNITS.replace("北港街道", written))
    if reason is None:
        assert message is None
        return
    assert message is not None, written
    assert message.startswith(f"配置文件 {tmp_path / 'units.yaml'} 第 {TOWN_LINE} 行：")
    assert reason in message


@pytest.mark.parametrize(("written", "reason"), [h for h in HOSTILE if h[1]])
def test_a_hostile_district_name_is_refused_naming_the_file_and_line(tmp_path, written, reason):
    message = _problem_in_units(tmp_path, UNITS.replace("钟楼区", written))
    assert message is not None, written
    assert message.startswith(f"配置文件 {tmp_path / 'units.yaml'} 第 {DISTRICT_LINE} 行：")
    assert reason in message


def test_the_length_limit_counts_bytes_on_disk():
    assert name_problem("镇" * (MAX_NAME_BYTES // 3)) is None
    assert "过长" in name_problem("镇" * (MAX_NAME_BYTES // 3 + 1))
    assert name_problem("a" * MAX_NAME_BYTES) is None
    assert "过长" in name_problem("a" * (MAX_NAME_BYTES + 1))


def test_every_shipped_name_is_a_valid_folder_name():
    for district, spec in places.units()["districts"].items():
        assert name_problem(district) is None
        assert all(name_problem(town) is None for town in spec["towns"])


def _params(district="钟楼区", unit=""):
    return RunParams(district, "2020-10", unit, config.SAMPLE_DATA_DIR, True)


@pytest.mark.parametrize(
    "unit", ["../../../逃逸", "..", "/tmp/逃逸", "甲/../../乙", "甲\x00镇", ".runs"]
)
def test_a_briefing_folder_never_leaves_the_output_root(tmp_path, unit):
    # names that never passed the configuration (a hand-made RunParams, a cached plan)
    with pytest.raises(OutputError, match="输出文件夹名"):
        _params(unit=unit).folder_in(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_inside_the_output_root_is_not_followed_out_of_it(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / "钟楼区").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="不在输出根目录"):
        _params().folder_in(out)
    assert list(elsewhere.iterdir()) == []


def test_the_output_root_itself_may_be_a_symlink(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    folder = _params(unit="邹区镇").folder_in(tmp_path / "link")
    assert folder == tmp_path / "link" / "钟楼区" / "2020-10" / "邹区镇"
    assert briefing_folder(tmp_path, ["钟楼区"]) == tmp_path / "钟楼区"


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    units = tmp_path / "config" / "units.yaml"
    units.parent.mkdir()
    shutil.copy(config.UNITS_FILE, units)
    shutil.copytree(config.DISTRICTS_DIR, tmp_path / "config" / "districts")
    monkeypatch.setattr(config, "UNITS_FILE", units)
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "config" / "districts")
    places.units.cache_clear()
    yield tmp_path
    places.units.cache_clear()


@pytest.mark.parametrize(
    ("name", "towns"),
    [
        ("../../逃逸", ["甲镇"]),
        ("..", ["甲镇"]),
        ("/tmp/逃逸区", ["甲镇"]),
        ("新北区", ["../甲镇"]),
        ("新北区", [".."]),
        ("新北区", ["甲\u202e镇"]),
        ("新北区", ["镇" * 40]),
    ],
)
def test_make_district_refuses_a_name_that_would_become_a_bad_folder(config_copy, name, towns):
    before = config.UNITS_FILE.read_bytes()
    listing = sorted(p.relative_to(config_copy) for p in config_copy.rglob("*"))
    with pytest.raises(ParameterError, match="无效"):
        scaffold_district(name, towns, 2024)
    assert config.UNITS_FILE.read_bytes() == before
    assert sorted(p.relative_to(config_copy) for p in config_copy.rglob("*")) == listing
    assert not Path("/tmp/逃逸区").exists()
