"""Two editions from one run: the leader edition (briefing.html) carries no checking work,
the analyst edition (核对与附表.html) carries all of it; the split is per-district
configuration."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.deliver.editions import (
    ANALYST_TAG,
    LEADER_TAG,
    cell_sections,
    section_metadata,
    split_notebook,
)
from analysis.errors import ConfigError
from analysis.settings.district import check_sections, district_settings
from analysis.settings.layout import DEFAULT_ANALYST_SECTIONS, Layout


def _marker(section: str, text: str = ""):
    meta = {"text/html": section_metadata(section)}
    return new_output("display_data", data={"text/html": text or section}, metadata=meta)


def _cell(*outputs, tags=()):
    cell = new_code_cell(outputs=list(outputs))
    cell.metadata["tags"] = list(tags)
    return cell


def _plain(text: str):
    return new_output("display_data", data={"text/html": text})


@pytest.fixture
def notebook():
    return new_notebook(
        cells=[
            _cell(),  # parameters: no output
            _cell(_marker("header")),
            _cell(_marker("overview"), _plain("总体表")),
            _cell(_plain("总体图")),
            new_markdown_cell("分析人员自己的说明"),
            _cell(_marker("reconciliation")),
            _cell(_plain("核对表")),
            _cell(_plain("分析人员只给自己看的表"), tags=[LEADER_TAG]),
            _cell(_marker("footer")),
            _cell(_plain("标为核对版"), tags=[ANALYST_TAG]),
        ]
    )


def _texts(nb) -> list[str]:
    out = []
    for cell in nb.cells:
        out += [o["data"]["text/html"] for o in cell.get("outputs", ())]
        if cell.cell_type == "markdown":
            out.append(cell.source)
    return out


def test_a_section_runs_from_its_marker_to_the_next(notebook):
    assert cell_sections(notebook) == [
        "start",
        "header",
        "overview",
        "overview",
        "overview",
        "reconciliation",
        "reconciliation",
        "reconciliation",
        "footer",
        "footer",
    ]


def test_split_routes_sections_and_tags_and_loses_no_cell(notebook):
    editions = split_notebook(notebook, ["reconciliation"])
    leader, analyst = _texts(editions.leader), _texts(editions.analyst)
    assert leader == ["header", "overview", "总体表", "总体图", "分析人员自己的说明"] + [
        "分析人员只给自己看的表",
        "footer",
    ]
    assert analyst == ["reconciliation", "核对表", "标为核对版"]
    ids = [id(c) for c in editions.leader.cells + editions.analyst.cells]
    assert sorted(ids) == sorted(id(c) for c in notebook.cells)  # each cell once
    assert len(notebook.cells) == 10  # the executed notebook itself is unchanged


def test_the_configured_sections_decide(notebook):
    editions = split_notebook(notebook, ["overview"])
    assert "总体表" in _texts(editions.analyst)
    assert "核对表" in _texts(editions.leader)


def test_editions_setting_from_district_yaml(districts):
    path = districts("editions:\n  核对版: [overview, reconciliation]\n")
    layout = district_settings("钟楼区").layout
    assert layout.analyst_sections == ("overview", "reconciliation")
    assert layout.editions_source == (str(path), 1)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("office: x\neditions: [reconciliation]\n", 2),
        ("editions:\n  领导版: [overview]\n", 1),
        ("editions:\n  核对版: reconciliation\n", 1),
        ("internal_mark: 是\n", 1),
        ("masthead: ''\n", 1),
    ],
)
def test_a_bad_layout_setting_names_file_and_line(districts, text, line):
    path = districts(text)
    with pytest.raises(ConfigError) as err:
        district_settings("钟楼区")
    assert str(path.name) in str(err.value) and f"第 {line} 行" in str(err.value)


def test_an_unknown_section_in_editions_is_refused_with_its_line():
    layout = Layout(analyst_sections=("reconcilation",), editions_source=("d.yaml", 7))
    with pytest.raises(ConfigError, match="第 7 行.*reconcilation"):
        check_sections(layout, ["reconciliation", "overview"])
    check_sections(Layout(), list(DEFAULT_ANALYST_SECTIONS))
