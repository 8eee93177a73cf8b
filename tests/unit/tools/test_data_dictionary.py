"""docs/数据字典.md is generated from the data contract and kept in sync."""

from __future__ import annotations

from analysis.inputs import schema
from analysis.tools import data_dictionary


def test_committed_dictionary_equals_fresh_generation():
    committed = data_dictionary.OUTPUT.read_text(encoding="utf-8")
    assert committed == data_dictionary.render(), (
        "docs/数据字典.md 已过期：请运行 python -m analysis.tools.data_dictionary"
    )


def test_every_table_and_column_is_documented():
    text = data_dictionary.render()
    for table in schema.TABLES.values():
        assert f"## {table.zh}（`{table.name}`）" in text
        for col in table.columns:
            assert f"| `{col.name}` | {col.zh} |" in text
            for alias in col.aliases:
                assert alias in text
            for value in schema.allowed_for(col) or ():
                assert value in text


def test_rules_and_required_tables_are_listed():
    text = data_dictionary.render()
    assert "整改完成日期不得早于发现日期" in text
    assert "受伤人数不得少于重伤人数" in text
    assert "必需的表**：事故与火灾（`incidents`）" in text


def test_write_to_other_path(tmp_path):
    path = data_dictionary.write(tmp_path / "dd.md")
    assert path.read_text(encoding="utf-8") == data_dictionary.render()
