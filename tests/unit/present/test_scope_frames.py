"""The 口径 split (工矿商贸 / 生产经营性道路交通 / 生产经营性火灾 / 其他) where the incidents
mark their 统计口径, and nothing at all where they do not."""

from __future__ import annotations

import csv
import math
import shutil

import pandas as pd
import pytest

from analysis.assess.change_tests import compare_counts
from analysis.briefing import prepare
from analysis.errors import DataValidationError
from analysis.indicators.api import compute_indicators, unmarked_ids
from analysis.indicators.catalogue import load_catalogue
from analysis.inputs import load_tables
from analysis.present.scope_frames import ALL_SCOPE_IDS, SCOPE_IDS, UNSCOPED
from analysis.settings import config
from analysis.settings.params import resolve_params

SCOPES = ("工矿商贸", "生产经营性道路交通", "生产经营性火灾", "其他")
MARKS = ("（变化显著）", "（属正常波动）")


def _scoped_copy(folder, scope_of):
    """The sample data with a 口径 column (an alias of 统计口径) filled by ``scope_of(k, row)``
    for the k-th 生产安全事故 row; other rows left blank."""
    for f in config.SAMPLE_DATA_DIR.iterdir():
        shutil.copy(f, folder / f.name)
    path = folder / "incidents.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[0].append("口径")
    k = 0
    for row in rows[1:]:
        scope = ""
        if row[4] == "生产安全事故":
            scope, k = scope_of(k, row), k + 1
        row.append(scope)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder


def _cycle(k, _row):
    return "" if k % 9 == 8 else SCOPES[k % 4]


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    folder = _scoped_copy(tmp_path_factory.mktemp("scoped"), _cycle)
    return prepare(resolve_params(data_dir=folder)), folder


def _expected(folder, brief, scope, column=None):
    """The 口径's year-to-date count (or sum of ``column``) straight from the file."""
    rows = pd.read_csv(folder / "incidents.csv", encoding="utf-8-sig", dtype=str)
    dates = pd.to_datetime(rows["date"])
    end = pd.Timestamp(brief.params.period_end)
    mine = rows[
        (rows["district"] == brief.params.district)
        & (rows["category"] == "生产安全事故")
        & (dates >= pd.Timestamp(end.year, 1, 1))
        & (dates <= end)
        & (rows["口径"].isna() if scope == UNSCOPED else rows["口径"] == scope)
    ]
    return len(mine) if column is None else int(mine[column].astype(int).sum())


def test_each_scope_counts_its_own_accidents_and_deaths(scoped):
    brief, folder = scoped
    values = brief.indicators.set_index("id")["value"]
    for scope, (count_id, deaths_id) in SCOPE_IDS.items():
        assert values[count_id] == _expected(folder, brief, scope), scope
        assert values[deaths_id] == _expected(folder, brief, scope, "deaths"), scope
    counts = [values[c] for c, _ in SCOPE_IDS.values()]
    assert sum(counts) == values["accidents"]  # the parts add up to the whole
    assert sum(values[d] for _, d in SCOPE_IDS.values()) == values["accident_deaths"]


def test_the_table_shows_each_scope_with_its_marked_changes(scoped):
    brief, _ = scoped
    split = brief.frames.scope_split
    shown = list(split["统计口径"])
    assert shown[:4] == list(SCOPES)
    unscoped = brief.indicators.set_index("id").loc["unscoped_accidents"]
    assert (UNSCOPED in shown) == bool(unscoped["value"] > 0 or unscoped["prior_value"] > 0)
    assert list(split.columns[:5]) == [
        "统计口径",
        "事故起数",
        "起数同比",
        "死亡人数",
        "死亡人数同比",
    ]
    rows = brief.indicators.set_index("id")
    for scope, count, change in zip(shown, split["事故起数"], split["起数同比"], strict=True):
        count_id = SCOPE_IDS[scope][0]
        assert count == rows.at[count_id, "value_text"]
        assert change == rows.at[count_id, "yoy_text"]
        assert change.endswith(MARKS) or change.endswith("持平"), change
        current, prior = rows.at[count_id, "value"], rows.at[count_id, "prior_value"]
        if current != prior:  # the exact test of the two counts
            p = compare_counts(int(current), int(prior)).p_value
            assert rows.at[count_id, "yoy_p"] == pytest.approx(p)


def test_the_published_figures_still_agree(scoped):
    brief, _ = scoped
    assert set(brief.reconciliation["verdict"]) == {"一致"}


def test_without_the_column_nothing_is_shown_and_nothing_is_zero(default_params):
    brief = prepare(default_params)
    assert brief.frames.scope_split.empty
    # not marked is not 0: the briefing's indicators (indicators.csv) do not list them
    assert not set(ALL_SCOPE_IDS) & set(brief.indicators["id"])
    panel = compute_indicators(brief.loaded.tables, brief.params.district, brief.params.period)
    assert panel.set_index("id").loc[list(ALL_SCOPE_IDS), "value"].isna().all()


def test_a_column_left_empty_is_no_marking_either(tmp_path):
    folder = _scoped_copy(tmp_path, lambda k, row: "")
    brief = prepare(resolve_params(data_dir=folder))
    assert brief.frames.scope_split.empty
    assert brief.loaded.tables["incidents"]["statistical_scope"].isna().all()


def test_another_districts_marking_does_not_mark_this_one():
    catalogue = load_catalogue()
    incidents = pd.DataFrame(
        {
            "district": ["天宁区", "钟楼区"],
            "category": ["生产安全事故", "生产安全事故"],
            "statistical_scope": ["工矿商贸", math.nan],
        }
    )
    tables = {"incidents": incidents}
    assert set(ALL_SCOPE_IDS) <= unmarked_ids(tables, "钟楼区", catalogue)
    assert not set(ALL_SCOPE_IDS) & unmarked_ids(tables, "天宁区", catalogue)
    assert "accidents" not in unmarked_ids(tables, "钟楼区", catalogue)


def test_a_scope_outside_the_contract_is_refused_naming_file_line_and_column(tmp_path):
    folder = _scoped_copy(tmp_path, lambda k, row: "工贸" if k == 2 else SCOPES[0])
    with pytest.raises(DataValidationError) as info:
        load_tables(folder, strict=True)
    message = str(info.value)
    assert "incidents.csv" in message and "口径" in message and "工贸" in message
    assert "允许：工矿商贸、生产经营性道路交通、生产经营性火灾、其他" in message
    lines = (folder / "incidents.csv").read_text(encoding="utf-8-sig").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.endswith(",工贸"))
    assert f"第 {line} 行" in message


@pytest.mark.parametrize("kind, period", [("month", "2020-05"), ("quarter", "2020-06")])
def test_the_period_analysis_splits_its_own_period(scoped, kind, period):
    _, folder = scoped
    brief = prepare(resolve_params(data_dir=folder, period=period, kind=kind))
    split = brief.frames.period_by_scope
    figures = brief.period.figures
    rows = {i: figures.row(i) for i in (*ALL_SCOPE_IDS, "accidents")}
    assert list(split["统计口径"][:4]) == list(SCOPES)
    for scope, count, change in zip(
        split["统计口径"], split["事故起数"], split["起数同比"], strict=True
    ):
        row = rows[SCOPE_IDS[scope][0]]
        assert count == row["value_text"]
        assert change == (row["yoy_text"] or "—")
        assert change.endswith(MARKS) or change.endswith("持平"), change
    total = sum(rows[c]["value"] for c, _ in SCOPE_IDS.values())
    assert total == rows["accidents"]["value"]  # the period's parts add up to its whole


def test_the_period_analysis_shows_no_split_without_the_column():
    brief = prepare(resolve_params(period="2020-05", kind="month"))
    assert brief.frames.period_by_scope.empty


def test_a_scope_on_a_fire_row_is_not_counted_and_the_analyst_is_told(tmp_path):
    folder = _scoped_copy(tmp_path, _cycle)
    path = folder / "incidents.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    fires = [r for r in rows[1:] if r[4] == "火灾"][:3]
    for row in fires:
        row[-1] = "生产经营性火灾"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    loaded = load_tables(folder)
    notice = next(n for n in loaded.notices if n.column == "口径")
    assert "共 3 行类别为“火灾”却填了统计口径" in notice.reason and notice.file == "incidents.csv"
    assert notice.row == rows.index(fires[0]) + 1  # the editor's line of the first such row
