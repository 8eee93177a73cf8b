"""The house style in a notebook: any DataFrame and any figure a cell shows looks like the
briefing, with the Chinese font, and the kernelspec loads it at start-up."""

from __future__ import annotations

import json
import logging
import warnings

import matplotlib
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from analysis import house
from analysis.present import chart_font, plots


@pytest.fixture(scope="module")
def shell():
    ip = InteractiveShell.instance()
    saved = matplotlib.rcParams.copy()
    ip.extension_manager.load_extension("analysis.house")
    yield ip
    matplotlib.rcParams.update(saved)


# the tick labels, the house style's smallest text, in CSS px at the chart's own width
SMALLEST_TEXT_PX = round(plots.style_rc()["xtick.labelsize"] / 72 * plots.CSS_PX_PER_IN, 1)


def test_a_table_is_escaped_and_numbers_are_rounded_half_up():
    df = pd.DataFrame(
        {
            "名称": ["<b>邹区镇</b>", "合计"],
            "比率": [2.675, 1.0],
            "起数": [3, 12],
            "状态": ["达标", "未达标"],
        }
    )
    html = str(house.table_html(df, caption="示例 & 表"))
    assert "&lt;b&gt;邹区镇&lt;/b&gt;" in html and "<b>" not in html
    assert "<caption>示例 &amp; 表</caption>" in html
    assert '<td class="num" data-label="比率">2.68</td>' in html  # format would give 2.67
    assert '<td class="num" data-label="起数">3</td>' in html
    assert '<th class="num">起数</th>' in html
    assert '<td class="status-未达标" data-label="状态">未达标</td>' in html
    assert '<tr class="total"><td>合计</td>' in html


def test_every_value_but_the_row_title_carries_its_escaped_column_name():
    """phone.css shows a cell's data-label before its value when a row becomes a card."""
    df = pd.DataFrame({"镇": ["邹区镇"], 'A&"B"<c>': [1], "本期": ["9起"]})
    html = str(house.table_html(df))
    assert "<td>邹区镇</td>" in html  # the card's title needs no label
    assert '<td class="num" data-label="A&amp;&#34;B&#34;&lt;c&gt;">1</td>' in html
    assert '<td class="num" data-label="本期">9起</td>' in html


def test_text_numbers_with_units_are_right_aligned():
    html = str(house.table_html(pd.DataFrame({"指标": ["事故"], "本期": ["9起"]})))
    assert '<td class="num" data-label="本期">9起</td>' in html and "<td>事故</td>" in html


def test_an_empty_frame_shows_nothing():
    assert str(house.table_html(pd.DataFrame(columns=["镇（街道）"]))) == ""


def test_house_number_rounds_half_up():
    assert [house.number(x) for x in (2.675, 3.0, 1234.5)] == ["2.68", "3", "1234.50"]


def test_any_dataframe_a_cell_shows_is_a_house_table(shell):
    df = pd.DataFrame({"镇（街道）": ["邹区镇", "邹区镇"], "隐患数": [1422, 8]})
    data, _ = shell.display_formatter.format(df)
    assert data["text/html"] == str(house.table_html(df))
    summed = df.groupby("镇（街道）").sum()  # the keys are the index: shown, not dropped
    data, _ = shell.display_formatter.format(summed)
    assert '<td>邹区镇</td><td class="num" data-label="隐患数">1430</td>' in data["text/html"]


def test_the_house_style_and_chinese_font_are_set(shell):
    assert matplotlib.rcParams["font.sans-serif"][0] == chart_font.chinese_font_family()
    assert list(matplotlib.rcParams["figure.figsize"]) == [plots.WIDTH_IN, house.FIGURE_HEIGHT_IN]


def test_an_analysts_seaborn_chart_is_a_small_deterministic_png_without_missing_glyphs(
    shell, caplog
):
    import matplotlib.pyplot as plt
    import seaborn as sns

    df = pd.DataFrame({"镇（街道）": ["邹区镇", "北港街道"], "事故起数": [5, 1]})
    caplog.set_level(logging.WARNING, logger="matplotlib")
    shown = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):  # the same cell run twice
            ax = sns.barplot(data=df, x="事故起数", y="镇（街道）")
            ax.set_title("两个街道的事故起数")
            shown.append(shell.display_formatter.format(ax.figure))
            plt.close("all")
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "Glyph" in m or "missing" in m], messages
    (first, meta), (second, _) = shown
    png = first["image/png"]
    assert png == second["image/png"] and png.startswith(b"\x89PNG")
    assert len(png) < 40_000
    assert meta["image/png"] == {
        "alt": "两个街道的事故起数",
        "width": round(plots.WIDTH_IN * plots.CSS_PX_PER_IN),
        "text_px": SMALLEST_TEXT_PX,
    }


def test_install_kernel_writes_a_spec_that_loads_the_extension(tmp_path):
    where = house.install_kernel(prefix=str(tmp_path))
    spec = json.loads((tmp_path / "share/jupyter/kernels/safety-briefing/kernel.json").read_text())
    assert where.endswith("safety-briefing")
    assert "--IPKernelApp.extensions=analysis.house" in spec["argv"]
    assert spec["display_name"] == house.KERNEL_DISPLAY


def test_a_house_table_reads_as_its_data_in_plain_text():
    df = pd.DataFrame({"指标": ["事故"], "本期": ["9起"]})
    text = repr(house.table(df, caption="主要指标"))
    assert text.startswith("主要指标\n") and "9起" in text and " at 0x" not in text
    assert text == repr(house.table(df.copy(), caption="主要指标"))


def test_an_object_without_a_text_form_shows_without_its_address(shell):
    class Grid:
        pass

    plain = shell.display_formatter.format([Grid(), 1.5, "甲"])[0]["text/plain"]
    assert " at 0x" not in plain and "Grid>" in plain and "1.5" in plain and "'甲'" in plain
    df = pd.DataFrame({"本期": [9]})  # objects with a text form keep it
    assert shell.display_formatter.format(df)[0]["text/plain"] == repr(df)
