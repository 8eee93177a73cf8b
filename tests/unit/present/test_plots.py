"""Charts: Chinese font without missing glyphs, deterministic small PNGs, empty data."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.present import chart_font, plots

PNG_BUDGET = 40_000  # bytes per chart: the charts must fit a < 300 KB HTML
TOWNS = ["邹区镇", "北港街道", "西林街道", "南大街街道", "荷花池街道", "新闸街道", "五星街道"]


def _cumulative() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = [
        (metric, month, year, int(rng.integers(0, 6)))
        for metric in ("生产安全事故", "死亡人数", "火灾")
        for year in (2023, 2024)
        for month in range(1, 13 if year == 2023 else 7)
    ]
    return pd.DataFrame(rows, columns=["metric", "month", "year", "value"])


def _charts() -> dict[str, Figure]:
    """Every chart, with Chinese labels everywhere and a negative value on one axis."""
    return {
        "cumulative": plots.cumulative_monthly(_cumulative()),
        "by_town": plots.by_town(
            pd.DataFrame(
                {"town": TOWNS, "value": [12, -3, 7, 0, 25, 4, 9], "prior": [10, 2, 8, 1, 20, 6, 3]}
            ),
            title="隐患数同比增减",
            unit="项",
        ),
    }


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: plots.figure_to_png(fig) for name, fig in _charts().items()}


def test_font_is_simplified_chinese():
    family = chart_font.chinese_font_family()
    assert family in chart_font.SYSTEM_FONT_FAMILIES or family == chart_font.BUNDLED_FAMILY
    assert "JP" not in family and "KR" not in family
    with plots.style_context():
        path = font_manager.findfont(
            font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False
        )
    from matplotlib.ft2font import FT2Font

    face = FT2Font(path)
    assert face.family_name == family
    assert face.get_char_index(ord("镇")) != 0  # has the glyphs we draw


def test_bundled_face_is_sc_not_face_zero():
    path = chart_font._bundled_sc_font_file()
    from matplotlib.ft2font import FT2Font

    assert FT2Font(str(path)).family_name == "Noto Sans CJK SC"
    assert FT2Font(str(chart_font._bundled_collection())).family_name == "Noto Sans CJK JP"


def test_no_missing_glyphs_or_font_warnings(caplog):
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fig in _charts().values():
            plots.figure_to_png(fig)
        plots.figure_to_png(plots.by_town(pd.DataFrame(columns=["town", "value"])))
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "Glyph" in m or "missing" in m or "findfont" in m], messages


def test_minus_sign_is_plain_hyphen_and_renders():
    fig = plots.by_town(pd.DataFrame({"town": TOWNS[:3], "value": [-12.5, 3, -4]}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing-glyph warning would fail here
        png = plots.figure_to_png(fig, close=False)
    assert png.startswith(b"\x89PNG")
    with plots.style_context():
        labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert any(label.startswith("-") for label in labels), labels
    assert not any("\u2212" in label for label in labels)
    plots.close_figure(fig)


def test_same_figure_renders_byte_identical():
    first = {name: plots.figure_to_png(fig) for name, fig in _charts().items()}
    second = {name: plots.figure_to_png(fig) for name, fig in _charts().items()}
    assert first == second
    fig = plots.by_town(pd.DataFrame({"town": ["邹区镇"], "value": [1.5]}))
    assert plots.figure_to_png(fig, close=False) == plots.figure_to_png(fig)


def test_png_has_no_metadata_chunks(rendered):
    for png in rendered.values():
        for chunk in (b"tEXt", b"iTXt", b"zTXt", b"tIME"):
            assert chunk not in png


def test_png_sizes_within_budget(rendered):
    sizes = {name: len(png) for name, png in rendered.items()}
    assert all(size <= PNG_BUDGET for size in sizes.values()), sizes
    assert sum(sorted(sizes.values())[-5:]) <= 5 * PNG_BUDGET
    assert {plots.png_width(p) for p in rendered.values()} == {round(plots.WIDTH_IN * plots.DPI)}


@pytest.mark.parametrize(
    "chart, columns",
    [
        (plots.cumulative_monthly, ["metric", "month", "year", "value"]),
        (plots.by_town, ["town", "value"]),
    ],
)
def test_empty_data_gives_no_data_chart(chart, columns):
    fig = chart(pd.DataFrame(columns=columns))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert plots.NO_DATA in texts
    assert plots.figure_to_png(fig).startswith(b"\x89PNG")


def test_missing_column_is_named():
    with pytest.raises(KeyError, match="value"):
        plots.by_town(pd.DataFrame({"town": ["邹区镇"]}))


def test_cumulative_values_and_current_year_stop():
    df = pd.DataFrame(
        {
            "metric": ["火灾"] * 4,
            "month": [1, 3, 1, 2],
            "year": [2024, 2024, 2023, 2023],
            "value": [2, 1, 5, 5],
        }
    )
    fig = plots.cumulative_monthly(df)
    ax = fig.axes[0]
    prior, current = ax.lines
    assert list(current.get_ydata()) == [2, 2, 3]  # stops at March, months without rows = 0
    assert len(prior.get_ydata()) == 12 and prior.get_ydata()[-1] == 10
    plots.close_figure(fig)


def test_figure_html_escapes_alt_and_embeds_png():
    fig = plots.by_town(pd.DataFrame({"town": ["邹区镇"], "value": [1.0]}))
    tag = plots.figure_html(fig, 'Fines <b>"x"</b>')
    assert tag.startswith('<img src="data:image/png;base64,')
    assert 'alt="Fines &lt;b&gt;&quot;x&quot;&lt;/b&gt;"' in tag
    assert f'width="{round(plots.WIDTH_IN * plots.CSS_PX_PER_IN)}"' in tag


def test_style_does_not_leak_into_global_rcparams():
    import matplotlib

    before = matplotlib.rcParams["font.sans-serif"]
    plots.figure_to_png(plots.by_town(pd.DataFrame({"town": ["邹区镇"], "value": [1]})))
    assert matplotlib.rcParams["font.sans-serif"] == before


def test_bar_labels_round_half_up_like_the_tables():
    fig = plots.by_town(pd.DataFrame({"town": ["邹区镇", "北港街道"], "value": [2.675, 0.125]}))
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["2.68", "0.13"]  # Python's format would give 2.67 and 0.12
    plots.close_figure(fig)
