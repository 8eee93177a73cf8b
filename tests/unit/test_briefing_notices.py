"""The loader's notices reach the analyst: the data-quality appendix names every entry of
the data folder and every sheet that was not read (with why and what to do), the xlsx's
数据质量 sheet lists them, and a folder without notices changes nothing."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pytest

from analysis import folder, house
from analysis.inputs import cache
from analysis.settings import config
from analysis.settings.params import resolve_params

NOTEBOOKS = ("briefing.ipynb", "monthly.ipynb")


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cache, "_memory", {})


@pytest.fixture
def noted_data(tmp_path):
    """The sample data with a Word file beside the tables and outreach as a workbook whose
    first sheet holds notes (skipped) and whose second holds the table."""
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "notes.docx").write_bytes(b"PK\x03\x04 not a table")
    outreach = pd.read_csv(data / "outreach.csv", dtype=str, keep_default_na=False)
    (data / "outreach.csv").unlink()
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active["A1"] = "本表由宣传科填报，每月5日前报送。"
    sheet = book.create_sheet("宣传活动")
    sheet.append(list(outreach.columns))
    for row in outreach.itertuples(index=False):
        sheet.append(list(row))
    book.save(data / "outreach.xlsx")
    return data


def test_the_analyst_appendix_names_each_unread_file_and_skipped_sheet(
    noted_data, private_cache, tmp_path
):
    from analysis.briefing import prepare

    brief = prepare(resolve_params(data_dir=noted_data), output_dir=tmp_path / "out")
    notices = brief.frames.data_notices
    assert notices["文件"].tolist() == ["notes.docx", "outreach.xlsx"]
    assert notices["工作表"].tolist() == ["—", "填表说明"]
    assert (
        "未读取" in notices["说明"].iloc[0] and "请" in notices["说明"].iloc[0]
    )  # why, what to do
    shown = house.table_html(notices)
    assert "notes.docx" in shown and "填表说明" in shown
    words = str(brief.say("data_quality").data)
    assert "有2项未读取或需留意" in words
    written = pd.read_csv(tmp_path / "out" / folder.DATA_NOTICES_CSV, encoding="utf-8-sig")
    assert written["文件"].tolist() == ["notes.docx", "outreach.xlsx"]


def test_the_xlsx_data_quality_sheet_lists_the_notices_below_its_table(
    noted_data, private_cache, tmp_path
):
    from analysis.briefing import prepare
    from analysis.deliver.xlsx import NOTICES_TITLE, build_workbook

    out = tmp_path / "out"
    prepare(resolve_params(data_dir=noted_data), output_dir=out)
    sheet = build_workbook(out)["数据质量"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    title = next(k for k, row in enumerate(cells) if row[0] == NOTICES_TITLE)
    assert title > 1 and cells[title - 1][0] is None  # below the table, after a blank row
    assert cells[title + 1][:4] == ["文件", "工作表", "位置", "说明"]
    assert [row[0] for row in cells[title + 2 :]] == ["notes.docx", "outreach.xlsx"]
    assert cells[title + 3][1] == "填表说明"


def test_without_notices_the_appendix_and_outputs_are_as_before(private_cache, tmp_path):
    from analysis.briefing import prepare
    from analysis.deliver.xlsx import NOTICES_TITLE, build_workbook

    out = tmp_path / "out"
    brief = prepare(resolve_params(), output_dir=out)  # the sample: MANIFEST.yaml, SYNTHETIC
    assert brief.frames.data_notices.empty
    assert house.table_html(brief.frames.data_notices) == ""
    assert "未读取" not in str(brief.say("data_quality").data)
    assert not (out / folder.DATA_NOTICES_CSV).exists()
    sheet = build_workbook(out)["数据质量"]
    assert NOTICES_TITLE not in [c.value for row in sheet.iter_rows() for c in row]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_both_notebooks_show_the_notices_in_the_data_quality_section(name):
    """A section runs from its marker (brief.say) to the next: the table of notices sits in
    data_quality, an analyst section, so the leader edition never carries it."""
    nb = json.loads((config.PROJ_ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    at = next(k for k, s in enumerate(sources) if "brief.frames.data_notices" in s)
    markers = [s for s in sources[:at] if s.startswith("brief.say(")]
    assert markers[-1] == 'brief.say("data_quality")'
