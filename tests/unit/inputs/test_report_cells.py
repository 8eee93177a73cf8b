"""Rows and cells as reports are typed: a 合计/小计 row under the records is one clear
problem naming its cell (never a dozen “必填项为空”), dropped like any bad row in lenient
mode; a number typed with its unit (3人, 58.19万元) is told where the unit belongs."""

from __future__ import annotations

import pytest
from test_load import BASE, assert_problem, load_one, only, with_cell

from analysis.inputs import schema


def _with_total(word: str, column: str = "incident_id") -> list[list]:
    header = BASE["incidents"][0]
    total = [""] * len(header)
    total[header.index(column)] = word
    total[header.index("deaths")] = "3"
    return [*BASE["incidents"], total]


@pytest.mark.parametrize("word", ["合计", "合 计", "总计：", "小计"])
def test_a_total_row_is_one_problem_naming_its_cell(tmp_path, word):
    _, problems = load_one(tmp_path, schema.INCIDENTS, _with_total(word))
    row = len(BASE["incidents"]) + 1
    p = only(problems)
    word_shown = word.rstrip("：").replace(" ", "")
    assert_problem(p, "incidents.csv", row, "incident_id", f"这一行是{word_shown}行")
    assert p.value == word and "请删除此行" in p.reason


def test_a_total_row_in_another_column_is_dropped_and_the_records_kept(tmp_path):
    rows = _with_total("合计", column="town")
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    assert_problem(only(problems), "incidents.csv", len(rows), "town", "合计行")
    assert len(df) == len(BASE["incidents"]) - 1  # the records, without the 合计 row


def test_words_that_merely_contain_total_are_records(tmp_path):
    rows = with_cell("incidents", 2, "description", "合计损失约2万元")
    df, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    assert problems == [] and df["description"].tolist()[0] == "合计损失约2万元"


@pytest.mark.parametrize(
    "column, typed, unit",
    [("deaths", "3人", "人"), ("direct_loss_wan", "58.19万元", "万元"), ("deaths", "２人", "人")],
)
def test_a_number_typed_with_its_unit_says_where_the_unit_belongs(tmp_path, column, typed, unit):
    _, problems = load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, column, typed))
    assert_problem(only(problems), "incidents.csv", 2, column, f"数字后带有单位“{unit}”")


@pytest.mark.parametrize("typed", ["三人", "3-5", "约3"])
def test_other_non_numbers_keep_the_plain_message(tmp_path, typed):
    _, problems = load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "deaths", typed))
    assert_problem(only(problems), "incidents.csv", 2, "deaths", "不是有效的整数")


@pytest.mark.parametrize("placeholder", ["NULL", "/", "无", "—", "N/A"])
def test_a_blank_written_as_a_placeholder_is_blank_and_noticed(tmp_path, placeholder):
    from test_load import NO_MAP, TODAY, UNITS, make_dir

    from analysis.inputs import load_tables

    rows = [list(r) for r in BASE["hazards"]]
    pending = [r for r in rows[1:] if r[rows[0].index("status")] == "整改中"]
    for r in pending:
        r[rows[0].index("rectified_date")] = placeholder
    make_dir(tmp_path, hazards=rows)
    result = load_tables(tmp_path, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.tables["hazards"]["rectified_date"].isna().sum() == len(pending) > 0
    notice = only([n for n in result.notices if n.column == "rectified_date"])
    assert f"共 {len(pending)} 个单元格写作“{placeholder}”，按空白读取" in notice.reason


def test_a_placeholder_in_a_required_cell_is_still_required(tmp_path):
    rows = with_cell("incidents", 2, "deaths", "NULL")
    _, problems = load_one(tmp_path, schema.INCIDENTS, rows)
    assert_problem(only(problems), "incidents.csv", 2, "deaths", "必填项为空")


def test_a_text_cell_keeps_its_word(tmp_path):
    df, problems = load_one(
        tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "description", "无")
    )
    assert problems == [] and df["description"].tolist()[0] == "无"


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!"])
def test_an_excel_error_value_in_a_csv_is_named_once(tmp_path, error):
    _, problems = load_one(tmp_path, schema.INCIDENTS, with_cell("incidents", 2, "date", error))
    assert_problem(only(problems), "incidents.csv", 2, "date", f"单元格为错误值 {error}")
