"""A district's wording of changes: small counts as differences ("同比增加1起"), bases in
brackets, and trailing zeros, each an option of district.yaml with a checked value."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ConfigError
from analysis.present.change_style import restyle, strip_zeros
from analysis.settings import config
from analysis.settings.district import district_settings
from analysis.settings.text_options import TextOptions


def _period_rows(*rows) -> pd.DataFrame:
    columns = ["id", "unit", "decimals", "value", "prior_value", "yoy_text"]
    frame = pd.DataFrame(rows, columns=columns)
    for extra in ("prior2_value", "prev_value", "ytd_value", "ytd_prior_value"):
        frame[extra] = float("nan")
    return frame


ROWS = (
    ("accidents", "起", 0, 2.0, 1.0, "同比上升100.00%"),  # a small base
    ("fires", "起", 0, 28.0, 18.0, "同比上升55.56%"),  # a base of 18
    ("rate", "%", 1, 44.0, 40.0, "同比提高4.00个百分点"),
    ("quiet", "起", 0, 0.0, 3.0, "同比下降100.00%"),
)


def test_small_counts_are_worded_as_differences():
    out = restyle(_period_rows(*ROWS), TextOptions(small_counts_below=10)).set_index("id")
    assert out.at["accidents", "yoy_text"] == "同比增加1起"
    assert out.at["quiet", "yoy_text"] == "同比减少3起"
    assert out.at["fires", "yoy_text"] == "同比上升55.56%"  # 18 is not small
    assert out.at["rate", "yoy_text"] == "同比提高4.00个百分点"  # a rate is never a count


def test_zero_threshold_keeps_percentages():
    out = restyle(_period_rows(*ROWS), TextOptions(small_counts_below=0)).set_index("id")
    assert out.at["accidents", "yoy_text"] == "同比上升100.00%"


def test_bracketed_bases():
    options = TextOptions(small_counts_below=0, bracketed_bases=True)
    out = restyle(_period_rows(*ROWS), options).set_index("id")
    assert out.at["fires", "yoy_text"] == "同比上升55.56%（上年同期18起）"
    assert out.at["rate", "yoy_text"] == "同比提高4.00个百分点（上年同期40.0%）"
    plain = restyle(_period_rows(*ROWS), TextOptions(small_counts_below=0)).set_index("id")
    assert "（" not in plain.at["fires", "yoy_text"]


def test_trailing_zeros():
    options = TextOptions(small_counts_below=0, trailing_zeros=False)
    out = restyle(_period_rows(*ROWS), options).set_index("id")
    assert out.at["accidents", "yoy_text"] == "同比上升100%"
    assert out.at["rate", "yoy_text"] == "同比提高4个百分点"
    assert out.at["fires", "yoy_text"] == "同比上升55.56%"
    assert strip_zeros("同比下降1.50个百分点") == "同比下降1.5个百分点"
    assert strip_zeros("共7680家次") == "共7680家次"  # not a percentage


def test_words_that_are_not_a_change_are_left_alone():
    rows = _period_rows(
        ("a", "起", 0, 2.0, float("nan"), "上年同期无数据"), ("b", "起", 0, 2.0, 1.0, "")
    )
    out = restyle(rows, TextOptions(small_counts_below=10, bracketed_bases=True))
    assert list(out["yoy_text"]) == ["上年同期无数据", ""]


def test_the_defaults_and_a_districts_own_choice():
    assert district_settings("示例城区").options == TextOptions()
    assert TextOptions() == TextOptions(10, bracketed_bases=False, trailing_zeros=True)
    # 钟楼区's report words every change as a percentage ("死亡4人，同比下降55.6%", base 9)
    assert district_settings("钟楼区").options.small_counts_below == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [("small_counts_below: -1", "small_counts_below"), ("trailing_zeros: 否", "trailing_zeros")],
)
def test_a_bad_option_names_the_file_and_line(tmp_path, monkeypatch, line, message):
    folder = tmp_path / "districts"
    (folder / "钟楼区").mkdir(parents=True)
    (folder / "钟楼区" / "district.yaml").write_text(f"office: 某办\n{line}\n", encoding="utf-8")
    monkeypatch.setattr(config, "DISTRICTS_DIR", folder)
    district_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match=message) as err:
            district_settings("钟楼区")
        assert "district.yaml" in str(err.value) and "第 2 行" in str(err.value)
    finally:
        district_settings.cache_clear()
