"""A declared comparability break ("口径变化，无法同比") applies everywhere: the sentences,
the tables, indicators.csv, 本期要点 and the reconciliation summary say it instead of a
percentage; without the declaration the percentage is there."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import briefing
from analysis.run.preflight import check_inputs
from analysis.settings import config

D = "示例城区"
BREAK = "口径变化，无法同比"


@pytest.fixture(scope="module")
def city_with_break(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    for f in (config.DATA_DIR / "sample_city").iterdir():
        shutil.copy(f, folder / f.name)
    figures = folder / "published_figures.csv"
    text = figures.read_text(encoding="utf-8-sig").rstrip("\n")
    row = f"B-1,{D},accidents,yoy_pct,,起,2024-12-31,,12月事故起数{BREAK},本月,同比,,,,{BREAK}"
    figures.write_text(f"{text}\n{row}\n", encoding="utf-8-sig")
    return folder


def _brief(folder, kind="month", out=None):
    params = briefing.run_params(district=D, period="2024-12", kind=kind, data_dir=folder)
    params, _ = check_inputs(params)
    return briefing.prepare(params, output_dir=out)


def _accident_texts(brief) -> list[str]:
    """Everything the briefing prints about accidents' 同比."""
    table = brief.frames.period_accidents
    points = " ".join(map(str, brief.frames.highlights["要点"]))
    return [
        table.loc["accidents", "同比"],
        table.loc["accidents", "累计同比"],
        brief.say("period_accidents").data,
        points,
    ]


def test_a_declared_break_is_said_in_every_output(city_with_break, tmp_path):
    brief = _brief(city_with_break, out=tmp_path)
    table, cumulative, sentence, _ = _accident_texts(brief)
    assert table == BREAK and cumulative == BREAK
    assert "共发生生产安全事故" in sentence and BREAK in sentence
    accidents_sentence = sentence.split("死亡")[0]
    assert "同比上升" not in accidents_sentence and "同比下降" not in accidents_sentence
    # the break wins over the evidence mark: no verdict follows the words
    assert f"{BREAK}（" not in sentence and f"{BREAK}（" not in " ".join(map(str, (table,)))
    csv = pd.read_csv(tmp_path / "indicators.csv", encoding="utf-8-sig").set_index("指标编号")
    assert csv.at["accidents", "同比"] == BREAK
    assert csv.at["accidents", "本月同比"] == BREAK
    assert pd.isna(csv.at["accidents", "同比（%）"]) and pd.isna(
        csv.at["accidents", "本月同比（%）"]
    )
    assert csv.at["accident_deaths", "同比"] != BREAK
    summary = brief.say("reconciliation").data
    assert "无法同比1个" in summary
    # other indicators keep their percentages
    assert brief.frames.period_accidents.loc["accident_injuries", "同比"].startswith("同比")
    assert BREAK not in brief.frames.period_accidents.loc["accident_injuries", "同比"]


def test_a_declared_break_reaches_the_year_to_date_briefing_and_its_highlights(city_with_break):
    brief = _brief(city_with_break, kind="ytd")
    overview = brief.frames.overview
    assert overview.loc["accidents", "同比"] == BREAK
    points = " ".join(map(str, brief.frames.highlights["要点"]))
    assert BREAK in points
    assert pd.isna(brief.indicators.set_index("id").at["accidents", "yoy_pct"])


def test_without_the_declaration_the_percentage_is_printed():
    brief = _brief(config.DATA_DIR / "sample_city")
    table, cumulative, sentence, _ = _accident_texts(brief)
    assert BREAK not in table and table.startswith("同比")
    assert cumulative.endswith(("（变化显著）", "（属正常波动）"))
    assert BREAK not in sentence
    assert "无法同比" not in brief.say("reconciliation").data
