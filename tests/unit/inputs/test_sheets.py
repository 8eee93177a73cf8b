"""Merged cells, taken for what Excel shows: a block merged down one column shows its value
on every row it covers (the town written once for three accidents) and is read so, with a
notice; a block merged across columns cannot say which column holds the value and is
refused with its cell range; merges in the title or the header are left to header finding."""

from __future__ import annotations

import io as stdio

import openpyxl
from test_exports import _incident_row
from test_load import BASE, NO_MAP, TODAY, UNITS, assert_problem, only

from analysis.inputs import load_table, schema


def _book(path, merges: list[str], title: str | None = None, **rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事故"
    if title:
        ws.append([title])
        ws.merge_cells(f"A1:{openpyxl.utils.get_column_letter(len(BASE['incidents'][0]))}1")
    ws.append(BASE["incidents"][0])
    for i in range(1, 5):
        ws.append(_incident_row(incident_id=f"SG{i}", **rows.get(f"row{i}", {})))
    for ref in merges:
        first = ws[ref.split(":")[0]].value
        for row in ws[ref]:
            for cell in row:
                cell.value = None
        ws[ref.split(":")[0]] = first
        ws.merge_cells(ref)
    buf = stdio.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def _load(path):
    return load_table(path, schema.INCIDENTS, today=TODAY, units=UNITS, column_map=NO_MAP)


def _column(name: str) -> str:
    return openpyxl.utils.get_column_letter(BASE["incidents"][0].index(name) + 1)


def test_a_town_merged_down_three_rows_is_every_rows_town(tmp_path):
    town = _column("town")
    path = tmp_path / "incidents.xlsx"
    _book(path, [f"{town}2:{town}4"], row1={"town": "西林街道"})
    df, problems = _load(path)
    assert problems == []
    assert df["town"].tolist() == ["西林街道", "西林街道", "西林街道", BASE["incidents"][1][2]]


def test_the_same_block_under_a_merged_title_row_is_read_below_the_header(tmp_path):
    town = _column("town")
    path = tmp_path / "incidents.xlsx"
    _book(path, [f"{town}3:{town}5"], title="2020年事故台账", row1={"town": "西林街道"})
    df, problems = _load(path)
    assert problems == [] and df["town"].tolist()[:3] == ["西林街道"] * 3


def test_reading_merged_blocks_down_is_noticed(tmp_path):
    from test_load import make_dir

    from analysis.inputs import load_tables

    town = _column("town")
    make_dir(tmp_path, incidents=None)
    _book(tmp_path / "incidents.xlsx", [f"{town}2:{town}3", f"{town}4:{town}5"])
    result = load_tables(tmp_path, strict=True, today=TODAY, units=UNITS, column_map=NO_MAP)
    notice = only(result.notices)
    assert notice.sheet == "事故" and "2 处上下合并的单元格（如 " in notice.reason


def test_a_block_merged_across_columns_is_refused_with_its_range(tmp_path):
    a, b = _column("deaths"), _column("serious_injuries")
    path = tmp_path / "incidents.xlsx"
    _book(path, [f"{a}3:{b}3"])
    _, problems = _load(path)
    p = only([p for p in problems if p.column == "serious_injuries"])
    assert_problem(p, "incidents.xlsx", 3, "serious_injuries", f"合并单元格 {a}3:{b}3 跨越多列")
    assert p.sheet == "事故"
