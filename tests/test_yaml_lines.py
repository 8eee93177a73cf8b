"""YAML read with the line of every key (analysis.yaml_lines)."""

from __future__ import annotations

import pytest

from analysis.errors import ConfigError
from analysis.yaml_lines import DUPLICATE, line_of, read_yaml_with_lines

TEXT = """\
# a comment
indicators:
  - id: a
    filters:
      category: 火灾
  - id: b
    id: c
"""


def test_every_key_and_item_has_its_line(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(TEXT, encoding="utf-8")
    data, lines = read_yaml_with_lines(path, "测试文件")
    assert data["indicators"][1] == {"id": "c"}  # YAML keeps the last of a repeated key
    assert lines[("indicators",)] == 2
    assert lines[("indicators", 0)] == 3
    assert lines[("indicators", 0, "filters", "category")] == 5
    assert lines[(DUPLICATE, "indicators", 1, "id")] == 7
    assert line_of(lines, ("indicators", 0, "filters", "severity")) == 4


def test_an_empty_file_has_no_data(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing\n", encoding="utf-8")
    assert read_yaml_with_lines(path, "测试文件") == (None, {})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a: [1, 2\nb: 3\n", "测试文件 bad.yaml 第2行不是有效的 YAML"),
        (b"a:\n\t- 1\n", "测试文件 bad.yaml 第2行不是有效的 YAML"),  # a TAB
        ("名称: 火灾\n".encode("gbk"), "测试文件 bad.yaml 不是 UTF-8 编码"),
    ],
)
def test_unreadable_yaml_names_the_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        read_yaml_with_lines(path, "测试文件")
