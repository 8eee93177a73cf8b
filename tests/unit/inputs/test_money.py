"""Money columns (analysis.inputs.money): a header states its unit or has it declared; a
loss in 元 is never read as 万元, and no accident's 等级 rises from a loss without a word."""

from __future__ import annotations

import pytest
from test_load import BASE, NO_MAP, TODAY, UNITS, assert_problem, make_dir, only, write_csv

from analysis.errors import ConfigError, DataValidationError
from analysis.inputs import load_table, load_tables, read_column_map, schema


def _incidents(header: str, *losses: str) -> list[list[str]]:
    rows = [list(r) for r in BASE["incidents"]]
    rows[0][rows[0].index("direct_loss_wan")] = header
    for row, loss in zip(rows[1:], losses, strict=True):
        row[10] = loss
    return rows


def _load(tmp_path, rows, column_map=NO_MAP):
    path = write_csv(tmp_path / "incidents.csv", rows)
    return load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=column_map)


@pytest.mark.parametrize(
    "header, losses, expected",
    [
        ("直接经济损失（元）", ("50000", "2000"), [5.0, 0.2]),
        ("直接经济损失(元)", ("50000", "2000"), [5.0, 0.2]),
        ("直接经济损失（万元）", ("5", "0.2"), [5.0, 0.2]),
        ("direct_loss_wan", ("5", "0.2"), [5.0, 0.2]),
        ("直接经济损失（千元）", ("50", "2"), [5.0, 0.2]),
    ],
)
def test_a_header_with_its_unit_is_converted_to_wan(tmp_path, header, losses, expected):
    df, problems = _load(tmp_path, _incidents(header, *losses))
    assert problems == [] and df["direct_loss_wan"].round(6).tolist() == expected


def test_a_unit_less_header_is_refused_naming_the_column(tmp_path):
    df, problems = _load(tmp_path, _incidents("直接经济损失", "50000", "2000"))
    p = only(problems)
    assert_problem(p, "incidents.csv", None, "直接经济损失", "没有写明金额单位")
    assert "直接经济损失（元）" in p.reason and "units" in p.reason and df.empty


def test_a_unit_less_fine_is_refused_too(tmp_path):
    rows = [list(r) for r in BASE["cases"]]
    rows[0][rows[0].index("fine_wan")] = "罚款金额"
    path = write_csv(tmp_path / "cases.csv", rows)
    _, problems = load_table(path, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), "cases.csv", None, "罚款金额", "没有写明金额单位")


def test_an_unknown_unit_is_refused(tmp_path):
    _, problems = _load(tmp_path, _incidents("直接经济损失（美元）", "5", "2"))
    # not a header of the contract: reported as unknown, never read as 万元
    assert any(p.column == "直接经济损失（美元）" and "未知列" in p.reason for p in problems)
    mapped = {"incidents": {"损失金额（美元）": "direct_loss_wan"}}
    _, problems = _load(tmp_path, _incidents("损失金额（美元）", "5", "2"), column_map=mapped)
    assert_problem(only(problems), "incidents.csv", None, "损失金额（美元）", "无法换算为万元")


def test_a_declared_unit_in_column_map_or_manifest_is_used(tmp_path):
    rows = _incidents("直接经济损失", "50000", "2000")
    df, problems = _load(tmp_path, rows, column_map={"units": {"直接经济损失": "元"}})
    assert problems == [] and df["direct_loss_wan"].tolist() == [5.0, 0.2]
    (tmp_path / "data").mkdir()
    folder = make_dir(tmp_path / "data", incidents=rows)
    (folder / "MANIFEST.yaml").write_text("units:\n  直接经济损失: 元\n", encoding="utf-8")
    result = load_tables(folder, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.tables["incidents"]["direct_loss_wan"].tolist() == [5.0, 0.2]


def test_column_map_units_are_checked(tmp_path):
    path = tmp_path / "column_map.yaml"
    path.write_text("units:\n  直接经济损失: 美元\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="美元"):
        read_column_map(path)
    path.write_text("units:\n  直接经济损失: 元\n", encoding="utf-8")
    assert read_column_map(path)["units"] == {"直接经济损失": "元"}


def test_a_loss_alone_making_an_accident_extraordinary_is_refused(tmp_path):
    # 12,000 万元 with nobody dead or seriously hurt: a loss in 元 read as 万元
    rows = _incidents("直接经济损失（万元）", "12000", "2")
    rows[1][7] = "0"
    df, problems = _load(tmp_path, rows)
    assert_problem(only(problems), "incidents.csv", 2, "直接经济损失（万元）", "特别重大")
    assert "单位" in problems[0].reason


def test_a_loss_alone_making_an_accident_major_is_noted(tmp_path):
    rows = _incidents("直接经济损失（万元）", "1500", "2")
    rows[1][7] = "0"
    folder = make_dir(tmp_path, incidents=rows)
    result = load_tables(folder, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.problems == []
    (notice,) = result.notices
    assert (notice.file, notice.row, notice.column) == ("incidents.csv", 2, "直接经济损失（万元）")
    assert "较大" in notice.reason and "核对金额单位" in notice.reason


def test_deaths_that_support_the_class_need_no_notice(tmp_path):
    rows = _incidents("直接经济损失（万元）", "1500", "2")
    rows[1][7] = "3"  # 较大 by deaths as well
    folder = make_dir(tmp_path, incidents=rows)
    assert load_tables(folder, today=TODAY, units=UNITS, column_map=NO_MAP).notices == []


def test_lenient_mode_still_refuses_a_unit_less_header(tmp_path):
    folder = make_dir(tmp_path, incidents=_incidents("直接经济损失", "5", "2"))
    with pytest.raises(DataValidationError, match="没有写明金额单位"):
        load_tables(folder, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
