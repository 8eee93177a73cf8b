"""The data contract (analysis.inputs.schema) is consistent: every number has a plausible range that
float64 represents exactly, and every name a table refers to exists."""

from __future__ import annotations

import pytest

from analysis.errors import ConfigError
from analysis.inputs import contract, schema


def test_every_number_column_has_an_exact_plausible_range():
    numbers = [c for t in schema.TABLES.values() for c in t.columns if c.dtype in ("int", "float")]
    assert len(numbers) >= 12
    for col in numbers:
        assert col.minimum is not None and col.maximum is not None, col.name
        assert col.minimum < col.maximum <= contract.MAX_EXACT_INTEGER, col.name
    deaths = schema.INCIDENTS.column("deaths")
    assert (deaths.minimum, deaths.maximum) == (0, 1000)


def test_a_number_column_without_range_is_refused_at_definition():
    with pytest.raises(ValueError, match="minimum and maximum"):
        schema.Column("n", "数", "int", minimum=0)
    with pytest.raises(ValueError, match="minimum and maximum"):
        schema.Column("s", "文本", "str", minimum=0, maximum=1)
    with pytest.raises(ValueError, match="exact in float64"):
        schema.Column("n", "数", "int", minimum=0, maximum=10**20)
    with pytest.raises(ValueError, match="ordered"):
        schema.Column("n", "数", "float", minimum=5, maximum=1)


def test_names_the_contract_refers_to_exist():
    for table in schema.TABLES.values():
        names = table.column_names
        assert len(set(names)) == len(names), table.name
        if table.date_column:
            assert table.column(table.date_column).dtype == "date", table.name
        for combo in table.unique_together:
            assert set(combo) <= set(names), table.name
        for rule in table.rules:
            assert {rule.column, rule.other} <= set(names), table.name
        for col in table.columns:
            if col.ref:
                ref_table, ref_col = col.ref.split(".")
                assert schema.TABLES[ref_table].column(ref_col).unique, col.ref


def test_importing_the_contract_reads_no_file(tmp_path, monkeypatch):
    """The contract is imported afresh with every reference file out of reach and the
    settings forgotten: an import that read reference.yaml (or any configuration) would
    raise here. The lists are read when a value is checked."""
    import importlib
    import sys

    import analysis.inputs as inputs_package
    from analysis.settings import config, reference_data

    calls = []
    monkeypatch.setattr(config, "REFERENCE_FILE", tmp_path / "missing" / "reference.yaml")
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "missing" / "districts")
    monkeypatch.setattr(config, "CONFIG_DIR", tmp_path / "missing")
    monkeypatch.setattr(reference_data, "read_yaml", lambda path: calls.append(path))
    config.forget_settings()
    monkeypatch.setattr(inputs_package, "schema", schema)  # put back after the test
    for name in ("analysis.inputs.schema", "analysis.inputs.contract"):
        monkeypatch.delitem(sys.modules, name)
    try:
        fresh = importlib.import_module("analysis.inputs.schema")
        assert fresh is not schema and fresh.INCIDENTS.column("industry").vocabulary
        assert calls == []
        with pytest.raises(ConfigError):  # the first use reads (here: an empty file)
            fresh.allowed_for(fresh.INCIDENTS.column("industry"))
        assert calls == [config.REFERENCE_FILE]
    finally:
        config.forget_settings()


def test_a_vocabulary_is_a_known_reference_list_of_a_text_column():
    assert schema.allowed_for(schema.CASES.column("kind")) == schema.CASE_KINDS
    assert schema.allowed_for(schema.CASES.column("fine_wan")) is None
    with pytest.raises(ValueError, match="vocabulary"):
        schema.Column("x", "行业", "str", vocabulary="industry")  # a typo of industries
    with pytest.raises(ValueError, match="vocabulary"):
        schema.Column("x", "行业", "str", vocabulary="industries", allowed=("工贸",))
    columns = [c for t in schema.TABLES.values() for c in t.columns if c.vocabulary]
    assert {c.vocabulary for c in columns} == {"industries", "incident_categories", "departments"}
