"""Configuration faults end in one Chinese message naming the file and line, before any
notebook starts: YAML syntax, TAB, GBK, empty or mis-indented units.yaml, duplicates,
a missing configuration folder."""

from __future__ import annotations

import pytest
import yaml

from analysis.errors import ConfigError
from analysis.inputs import read_column_map
from analysis.settings import config, places
from analysis.settings.yaml_files import (
    ConfigProblems,
    _FastLineLoader,
    _LineLoader,
    read_yaml,
    shown_path,
)

# a units.yaml with one district (the shipped file also lists the fictional 示例城区)
UNITS = """\
# Districts (区) and their towns/streets (镇/街道). Add a district or a town here.
districts:
  钟楼区:
    city: 常州市
    towns:
      - 邹区镇
      - 北港街道
      - 西林街道
      - 南大街街道
      - 荷花池街道
      - 新闸街道
      - 五星街道
      - 永红街道
"""


def _write(tmp_path, text: str | bytes, name: str = "units.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _units_error(tmp_path, text) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        places.validate_units(read_yaml(path), path)
    return str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        ("      - 北港街道", "     - 北港街道", 7, "缩进不对齐"),
        ("    city: 常州市", "  city: 常州市", 5, "不应出现“名称: 值”"),  # found on the next line
        ("    towns:", "  towns:", 3, "区“钟楼区”下应有“towns:”列表"),
        ("      - 西林街道", "      - 北港街道", 8, "“北港街道”重复"),
        ("      - 西林街道", "      -", 8, "应为非空文字"),
        ("      - 西林街道", "\t- 西林街道", 8, "制表符（TAB）"),
        ("      - 西林街道", "      - 西林\u202e街道", 8, "文字方向控制符"),
        ("  钟楼区:", "districts:", 3, "键“districts”重复（第 2 行已出现）"),
    ],
)
def test_a_broken_units_file_names_the_file_and_the_line(tmp_path, old, new, line, reason):
    broken = UNITS.replace(old, new, 1)
    assert broken != UNITS
    message = _units_error(tmp_path, broken)
    assert message.startswith(f"配置文件 {tmp_path / 'units.yaml'} 第 {line} 行：")
    assert reason in message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "文件为空"),
        ("# 只有注释\n", "文件为空"),
        ("districts:\n", "顶层应为“districts:”"),
        ("- 钟楼区\n", "顶层应为“districts:”"),
    ],
)
def test_an_empty_or_shapeless_units_file_is_refused(tmp_path, text, reason):
    assert reason in _units_error(tmp_path, text)


def test_a_gbk_file_is_named_with_its_line(tmp_path):
    path = _write(tmp_path, "district: 钟楼区\nperiod: x\n".encode("gbk"), "project.yaml")
    with pytest.raises(ConfigError, match=r"project.yaml 第 1 行：不是 UTF-8 编码"):
        read_yaml(path)


def test_a_folder_in_place_of_a_file_is_named(tmp_path):
    (tmp_path / "gaps.yaml").mkdir()
    with pytest.raises(ConfigError, match="gaps.yaml：应为文件，实际是文件夹"):
        read_yaml(tmp_path / "gaps.yaml")


def test_every_shipped_yaml_reads_the_same_as_plain_pyyaml():
    """The line-aware loader changes no value (and finds no duplicate key) in the files
    the project ships."""
    for path in sorted(config.CONFIG_DIR.rglob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            assert read_yaml(path) == yaml.safe_load(fh), path.name


def _with_lines(value):
    """A parsed value with the lines the loader recorded, for comparing two loaders."""
    if isinstance(value, dict):
        return {k: (value.lines[k], _with_lines(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [(line, _with_lines(v)) for line, v in zip(value.lines, value, strict=True)]
    return value


def test_libyaml_and_the_python_parser_give_the_same_values_and_lines():
    """Config files are read with libyaml for speed; the pure-Python parser (used again
    for the message of a file libyaml refuses) must agree value for value, line for line."""
    assert _FastLineLoader is not _LineLoader
    for path in sorted(config.CONFIG_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = yaml.load(text, Loader=_FastLineLoader)  # noqa: S506
        slow = yaml.load(text, Loader=_LineLoader)  # noqa: S506
        assert _with_lines(fast) == _with_lines(slow), path.name


def test_problems_are_reported_at_once_in_the_order_of_the_file(tmp_path):
    path = _write(tmp_path, "a: 1\nb:\n  - x\n  - y: 2\n", "some.yaml")
    data = read_yaml(path)
    problems = ConfigProblems(path, data)
    problems.add("b 的第二项不对", ("b", 1, "y"))
    problems.add("a 不对", ("a",))
    problems.add("缺少 c", ("c",))  # no such key: no line
    with pytest.raises(ConfigError) as info:
        problems.raise_any()
    assert str(info.value).splitlines() == [
        f"配置文件 {path} 有 3 处问题：",
        "  1. 第 1 行：a 不对",
        "  2. 第 4 行：b 的第二项不对",
        "  3. 缺少 c",
    ]


def test_one_problem_reads_like_a_syntax_fault_and_none_raises_nothing(tmp_path):
    path = _write(tmp_path, "a:\n  b: 1\n", "some.yaml")
    problems = ConfigProblems(path, read_yaml(path))
    problems.raise_any()
    problems.add("b 应为文字", ("a", "b"))
    with pytest.raises(ConfigError, match=rf"^配置文件 {path} 第 2 行：b 应为文字$"):
        problems.raise_any()


def test_a_file_inside_the_project_is_named_from_the_project_folder():
    assert shown_path(config.UNITS_FILE) == "data/config/units.yaml"
    assert shown_path("catalogue.yaml") == "catalogue.yaml"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("- 事故类别\n", 1, "应为“表名: {表头: 列名}”的映射"),
        ("common:\n  发生日期: date\n事故表:\n  类别: category\n", 3, "未知的表“事故表”"),
        ("incidents: [类别, category]\n", 1, "“incidents”下应为“表头: 列名”的映射"),
        ("incidents:\n  类别: category\n  天气: weather\n", 3, "表“incidents”没有列“weather”"),
    ],
)
def test_a_broken_column_map_names_the_file_and_the_line(tmp_path, text, line, reason):
    path = _write(tmp_path, text, "column_map.yaml")
    with pytest.raises(ConfigError) as info:
        read_column_map(path)
    assert str(info.value).startswith(f"配置文件 {path} 第 {line} 行：{reason}")
