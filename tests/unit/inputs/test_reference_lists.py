"""Each district's own industries and incident categories (districts/<区>/reference.yaml) are
accepted for that district's rows only: a row of one district using a name another district
added is refused, naming the file, the line, the column and the list that applies; and the
validated-table cache is keyed by the lists, so editing one is never answered from cache."""

from __future__ import annotations

from datetime import date

import pytest
from test_load import BASE, NO_MAP, TODAY, UNITS, make_dir, write_csv

from analysis.errors import DataValidationError
from analysis.inputs import cache, load_table, load_tables, schema
from analysis.inputs.load import lists_for
from analysis.settings import config

OLD, NEW = "钟楼区", "天宁区"  # both in test_load.UNITS
OLD_OWN = "industries:\n  - 冷链物流\nincident_categories:\n  - 自然灾害\n"
NEW_OWN = "# 天宁区新增的行业领域\nindustries:\n  - 港口航运\n  - 冷链物流\n"


@pytest.fixture
def districts(tmp_path, monkeypatch):
    """A districts folder where 钟楼区 and 天宁区 each add their own names."""
    folder = tmp_path / "districts"
    for district, text in ((OLD, OLD_OWN), (NEW, NEW_OWN)):
        (folder / district).mkdir(parents=True)
        (folder / district / "reference.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "DISTRICTS_DIR", folder)
    config.forget_settings()
    yield folder
    config.forget_settings()


def incidents(tmp_path, *rows: tuple[str, str, str, str]):
    """incidents.csv with one row per (district, town, category, industry)."""
    header = schema.INCIDENTS.required_column_names
    body = [
        [f"X{i}", d, town, "2020-03-04", cat, ind, "其他伤害", "0", "0", "0", "1", ""]
        for i, (d, town, cat, ind) in enumerate(rows)
    ]
    return write_csv(tmp_path / "incidents.csv", [header, *body])


def folder_in(tmp_path):
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def load(path):
    return load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)


def test_a_districts_own_names_are_accepted_for_its_rows(tmp_path, districts):
    path = incidents(
        tmp_path,
        (OLD, "邹区镇", "自然灾害", "冷链物流"),
        (NEW, "郑陆镇", "火灾", "港口航运"),
        (NEW, "青龙街道", "火灾", "冷链物流"),  # both added it: each for its own rows
        (OLD, "北港街道", "火灾", "工贸"),  # shared names for every district
    )
    frame, problems = load(path)
    assert problems == []
    assert frame["industry"].tolist() == ["冷链物流", "港口航运", "冷链物流", "工贸"]


@pytest.mark.parametrize(
    ("row", "column", "whose"),
    [
        ((OLD, "邹区镇", "火灾", "港口航运"), "industry", NEW),
        ((NEW, "郑陆镇", "自然灾害", "工贸"), "category", OLD),
    ],
)
def test_another_districts_name_is_refused_with_the_list_that_applies(
    tmp_path, districts, row, column, whose
):
    shared_ok = (OLD, "北港街道", "火灾", "工贸")
    path = incidents(tmp_path, shared_ok, row)
    frame, problems = load(path)
    assert len(frame) == 1 and len(problems) == 1
    p = problems[0]
    value = row[3] if column == "industry" else row[2]
    assert (p.file, p.row, p.column, p.value) == ("incidents.csv", 3, column, value)
    zh = "行业领域" if column == "industry" else "事故类别"
    assert p.reason.startswith(f"取值不在允许范围内（{row[0]}适用的{zh}：")
    assert "data/config/reference.yaml" in p.reason or str(config.REFERENCE_FILE) in p.reason
    assert f"是{whose}新增的{zh}" in p.reason and f"只适用于{whose}的数据" in p.reason
    assert f"{whose}/reference.yaml" in p.reason
    message = str(DataValidationError(problems))
    assert "incidents.csv" in message and "第 3 行" in message


def test_the_message_names_the_districts_own_additions(tmp_path, districts):
    _, problems = load(incidents(tmp_path, (OLD, "邹区镇", "火灾", "渔业")))
    reason = problems[0].reason
    assert f"{OLD}/reference.yaml 新增的 冷链物流" in reason
    assert "允许：工贸" in reason and reason.endswith("冷链物流）")
    assert "港口航运" not in reason  # the other district's list is not offered


def test_an_unconfigured_districts_row_gets_the_shared_list_only(tmp_path, districts):
    _, problems = load(incidents(tmp_path, ("武进区", "湖塘镇", "火灾", "冷链物流")))
    reasons = {p.column: p.reason for p in problems}
    assert "未在 data/config/units.yaml 中配置" in reasons["district"]
    assert reasons["industry"].startswith("取值不在允许范围内（共用的行业领域：")


def test_without_district_files_the_shared_lists_apply(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "DISTRICTS_DIR", tmp_path / "none")
    config.forget_settings()
    try:
        _, problems = load(incidents(tmp_path, (OLD, "邹区镇", "火灾", "冷链物流")))
    finally:
        config.forget_settings()
    assert [p.column for p in problems] == ["industry"]
    assert problems[0].reason.startswith(f"取值不在允许范围内（{OLD}适用的行业领域：")
    assert "新增" not in problems[0].reason


def test_a_folder_of_several_districts_checks_each_row_against_its_own_list(tmp_path, districts):
    data = make_dir(folder_in(tmp_path))
    rows = [
        (OLD, "邹区镇", "自然灾害", "冷链物流"),
        (NEW, "郑陆镇", "火灾", "港口航运"),
        (NEW, "青龙街道", "自然灾害", "港口航运"),  # 自然灾害 is 钟楼区's
    ]
    incidents(data, *rows)
    result = load_tables(data, strict=False, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert result.rejects[["行号", "列"]].values.tolist() == [[4, "category"]]
    with pytest.raises(DataValidationError, match="只适用于钟楼区的数据"):
        load_tables(data, strict=True, today=TODAY, units=UNITS, column_map=NO_MAP)


def test_lists_follow_the_units_given(districts):
    only_old = {"districts": {OLD: UNITS["districts"][OLD]}}
    lists = lists_for(only_old)
    assert lists.allowed("industries", OLD)[-1] == "冷链物流"
    assert "港口航运" not in lists.allowed("industries", NEW)  # not configured here
    assert lists.owners("industries", "港口航运") == []


def test_editing_a_districts_list_changes_the_cache_key(tmp_path, districts):
    data = make_dir(folder_in(tmp_path))
    before = cache.cache_key(data, True, date(2021, 1, 15))
    own = districts / OLD / "reference.yaml"
    own.write_text(OLD_OWN + "  - 地质灾害\n", encoding="utf-8")
    assert cache.cache_key(data, True, date(2021, 1, 15)) == before  # read once until forgotten
    config.forget_settings()  # what make watch does after an edit
    assert cache.cache_key(data, True, date(2021, 1, 15)) != before


def test_a_cached_result_is_not_reused_after_a_list_changes(tmp_path, districts, monkeypatch):
    """A row refused before the district added its name is accepted after, not answered
    from the cache of the first load."""
    data = tmp_path / "data"
    data.mkdir()
    incidents(data, (OLD, "邹区镇", "火灾", "渔业"))
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cache, "_memory", {})
    monkeypatch.setattr(config, "UNITS_FILE", _units_file(tmp_path))
    config.forget_settings()
    with pytest.raises(DataValidationError, match="渔业"):
        cache.load_tables_cached(data, strict=True, today=TODAY)
    (districts / OLD / "reference.yaml").write_text(OLD_OWN.replace("冷链物流", "渔业"), "utf-8")
    config.forget_settings()
    result = cache.load_tables_cached(data, strict=True, today=TODAY)
    assert result.tables["incidents"]["industry"].tolist() == ["渔业"]
    (districts / OLD / "reference.yaml").write_text(OLD_OWN, encoding="utf-8")
    config.forget_settings()
    with pytest.raises(DataValidationError, match="渔业"):
        cache.load_tables_cached(data, strict=True, today=TODAY)


def _units_file(tmp_path):
    path = tmp_path / "units.yaml"
    lines = ["districts:"]
    for district, spec in UNITS["districts"].items():
        lines += [f"  {district}:", "    towns:", *(f"      - {t}" for t in spec["towns"])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_base_data_stay_valid(tmp_path, districts):
    """The additions take nothing away from the shared lists."""
    result = load_tables(make_dir(folder_in(tmp_path)), today=TODAY, units=UNITS, column_map=NO_MAP)
    assert len(result.tables["incidents"]) == len(BASE["incidents"]) - 1
