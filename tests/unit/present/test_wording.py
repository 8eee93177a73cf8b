"""The wording file and the one number formatter: sentences name their figures by indicator
id, leave out what is missing, and every number of a row is rounded 四舍五入."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import ConfigError
from analysis.indicators.catalogue import load_catalogue
from analysis.present.frames import indicator_table
from analysis.present.wording import Figures, load_wording, parse_wording


def _row(ind, value, text, yoy="", applicable=True):
    return {
        "id": ind,
        "value": value,
        "value_text": text,
        "yoy_text": yoy,
        "mom_text": "",
        "applicable": applicable,
    }


FIGURES = Figures(
    [
        _row("accidents", 9.0, "9起", "同比下降85.0%"),
        _row("fires", 45.0, "45起", ""),
        _row("fire_casualties", 0.0, "0人"),
        _row("deaths", math.nan, "—"),
        _row("towns", 8.0, "8个", applicable=False),
    ]
)


def _words(yaml_text: str):
    return parse_wording(yaml_text, Path("wording.yaml"))


def _say(sentences_yaml: str, context=None) -> str:
    words = _words("paragraphs:\n  p:\n" + sentences_yaml)
    return str(words.render(words.paragraphs["p"], FIGURES, context or {"单位": "钟楼区"}))


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_a_figure_is_marked_with_its_indicator():
    html = _say('    - "{单位}发生事故{accidents}，{accidents.同比}。"\n')
    assert html == (
        '钟楼区发生事故<span class="fig" data-indicator="accidents" data-kind="value">9起</span>，'
        '<span class="fig" data-indicator="accidents" data-kind="yoy">同比下降85.0%</span>。'
    )


def test_a_bracketed_part_is_left_out_when_its_figure_is_missing():
    html = _say('    - "火灾{fires}[，{fires.同比}]。"\n')
    assert _plain(html) == "火灾45起。"


def test_a_sentence_is_left_out_when_a_figure_outside_brackets_is_missing():
    html = _say('    - "死亡{deaths}。"\n    - "镇街{towns}。"\n    - "事故{accidents}。"\n')
    assert _plain(html) == "事故9起。"


def test_when_picks_the_sentence_that_fits():
    html = _say(
        '    - when: "fire_casualties == 0"\n      text: "无人员伤亡。"\n'
        '    - when: ["fire_casualties > 0", "fires > 0"]\n'
        '      text: "有伤亡{fire_casualties}。"\n'
        '    - when: "deaths == 0"\n      text: "无死亡。"\n'
    )
    assert _plain(html) == "无人员伤亡。"


def test_text_from_context_is_escaped():
    html = _say('    - "{单位}共发生事故{accidents}。"\n', {"单位": "<b>钟楼区</b>"})
    assert html.startswith("&lt;b&gt;钟楼区&lt;/b&gt;")


@pytest.mark.parametrize(
    "sentence, message",
    [
        ('    - "事故{acidents}。"\n', "wording.yaml 第 3 行：未知的名称“{acidents}”"),
        ('    - "事故{accidents.去年}。"\n', "wording.yaml 第 3 行：未知的名称“{accidents.去年}”"),
        ('    - when: "accidents is 0"\n      text: "无事故。"\n', "wording.yaml 第 3 行：条件"),
    ],
)
def test_a_mistake_in_the_wording_file_names_the_line(sentence, message):
    with pytest.raises(ConfigError) as info:
        _say(sentence)
    assert message in str(info.value)


def test_every_sentence_of_the_shipped_wording_file_names_known_indicators():
    """Render every sentence with every catalogue indicator present: no unknown names."""
    rows = [_row(i.id, 1.0, "1个", "同比持平") for i in load_catalogue()]
    figures = Figures(rows)
    words = load_wording()
    context = {k: "x" for k in ("期间", "单位", "全域", "区")}
    for group in (words.paragraphs, words.highlights, words.appendix):
        for sentences in group.values():
            extra = {
                k: "1" for s in sentences for k in re.findall(r"\{([^{}.a-z0-9_][^{}]*)\}", s.text)
            }
            words.render(sentences, figures, context | extra)  # raises on an unknown name
    for key, text in words.labels.items():
        extra = {k: "1" for k in re.findall(r"\{([^{}.a-z0-9_][^{}]*)\}", text)}
        words.label(key, extra | {"单位": "钟楼区", "期间": "x", "本年": 2020, "上年": 2019})


def test_every_number_of_a_table_row_follows_one_rounding_rule():
    """本期, 本月 and 上年同期 of one row: 2.675 → 2.68 and 1234.5 → 1235 everywhere (Python's
    format would give 2.67 and 1,234 beside the 四舍五入 of the 本期 column)."""
    base = {
        "applicable": True,
        "group": "x",
        "yoy_text": "",
        "mom_text": "",
    }
    ind = pd.DataFrame(
        [
            base
            | {
                "id": "rate",
                "name_zh": "某率",
                "unit": "%",
                "decimals": 2,
                "value": 2.675,
                "month_value": 2.675,
                "prior_value": 2.675,
            },
            base
            | {
                "id": "loss",
                "name_zh": "损失",
                "unit": "万元",
                "decimals": 0,
                "value": 1234.5,
                "month_value": 1234.5,
                "prior_value": 1234.5,
            },
        ]
    )
    table = indicator_table(ind, ["rate", "loss"])
    # every cell with its unit (a reader of 本月 or 上年同期 need not look left)
    assert table.loc["rate", ["本期（累计）", "本月", "上年同期"]].tolist() == ["2.68%"] * 3
    assert table.loc["loss", ["本期（累计）", "本月", "上年同期"]].tolist() == ["1235万元"] * 3


def test_a_missing_wording_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="找不到简报措辞文件"):
        load_wording(tmp_path / "wording.yaml")
