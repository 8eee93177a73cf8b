"""Reconciliation of published figures: qualifiers, rounding windows, text consistency."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from test_indicators import TOWNS, D, incident, make_tables

from analysis import config
from analysis.numbers import decimals_of
from analysis.reconcile import (
    accepted_range,
    agrees,
    implied_priors,
    reconcile,
    round_step,
    summary_zh,
)


def test_printed_decimals():
    assert decimals_of(491.54) == 2
    assert decimals_of(55.6) == 1
    assert decimals_of(-85.0) == 0
    assert decimals_of(37000.0) == 0


@pytest.mark.parametrize(
    ("value", "step"),
    [(37000, 1000), (8100, 100), (200, 100), (7675, 100), (20, 10), (5, 1), (2.5, 0.1)],
)
def test_round_step(value, step):
    assert round_step(value) == pytest.approx(step)


@pytest.mark.parametrize(
    ("recomputed", "published", "qualifier", "ok"),
    [
        # 余: at least the figure, less than the next round step
        (37260, 37000, "余", True),
        (37000, 37000, "余", True),
        (37999, 37000, "余", True),
        (38000, 37000, "余", False),
        (36999, 37000, "余", False),
        (8136, 8100, "余", True),
        (8200, 8100, "余", False),
        (7688, 7675, "余", True),
        (7674, 7675, "余", False),
        (212, 200, "余", True),
        # 以上: at least (in magnitude, same sign for a decrease)
        (82, 80, "以上", True),
        (80, 80, "以上", True),
        (79.9, 80, "以上", False),
        (-85.0, -20, "以上", True),
        (-19.9, -20, "以上", False),
        # 约: within half a round step
        (3400, 3000, "约", True),
        (2500, 3000, "约", True),
        (3600, 3000, "约", False),
        # no qualifier: equal after 四舍五入 to the printed decimals
        (9, 9, "", True),
        (8, 9, "", False),
        (-85.0, -85, "", True),
        (-85.4, -85, "", True),
        (-84.6, -85, "", True),
        (-84.5, -85, "", True),  # rounds (away from zero) to −85
        (-85.5, -85, "", False),  # rounds to −86
        (-84.4, -85, "", False),
        (-55.5555, -55.6, "", True),
        (-55.65, -55.6, "", False),  # rounds to −55.7
        (1.9737, 2, "", True),
        (491.54, 491.54, "", True),
        (491.545, 491.54, "", False),
        (float("nan"), 9, "", False),
    ],
)
def test_agrees(recomputed, published, qualifier, ok):
    assert agrees(recomputed, published, qualifier) is ok


def test_accepted_range_texts():
    assert accepted_range(37000, "余")[2] == "[37000, 38000)"
    assert accepted_range(-85, "")[2] == "(-85.5, -84.5]"
    assert accepted_range(55.6, "")[2] == "[55.55, 55.65)"
    assert accepted_range(80, "以上")[2] == "≥ 80"
    lo, hi, _ = accepted_range(3000, "约")
    assert (lo, hi) == (2500, 3500)


def test_implied_priors():
    # 9 accidents, −85%: priors 59..62 give −84.75%, −85.0%, −85.25%, −85.48%
    assert implied_priors(9, -85) == [59, 60, 61, 62]
    assert implied_priors(4, -55.6) == [9]  # 4/9 − 1 = −55.56%
    assert implied_priors(45, -36.6) == [71]
    assert implied_priors(352, -27.57) == [486]
    # no whole prior gives −27.52%: 485 → −27.42%, 486 → −27.57%
    assert implied_priors(352, -27.52) == []


# --------------------------------------------------------------------------- reconcile


def _published(rows):
    cols = ["figure_id", "district", "indicator_id", "measure", "value", "unit", "as_of"]
    df = pd.DataFrame([(f"T{k}", D, *r[:5]) for k, r in enumerate(rows, 1)], columns=cols)
    df["qualifier"] = [r[5] if len(r) > 5 else None for r in rows]
    df["sentence"] = [r[6] if len(r) > 6 else "" for r in rows]
    df["as_of"] = pd.to_datetime(df["as_of"])
    return df


@pytest.fixture(scope="module")
def bulletin_tables():
    """352 accidents to 2020-10-31, 486 in the same period of 2019."""
    rows = []
    for k in range(352):
        rows.append(
            incident(
                f"a{k}",
                pd.Timestamp("2020-01-01") + pd.Timedelta(days=k % 300),
                TOWNS[k % len(TOWNS)],
            )
        )
    for k in range(486):
        rows.append(
            incident(
                f"b{k}",
                pd.Timestamp("2019-01-01") + pd.Timedelta(days=k % 300),
                TOWNS[k % len(TOWNS)],
            )
        )
    return make_tables(incidents=rows)


def test_inconsistent_bulletin_is_flagged(bulletin_tables):
    pub = _published(
        [
            ("accidents", "value", 352, "起", "2020-10-31", None, "发生事故352起"),
            ("accidents", "yoy_pct", -27.52, "%", "2020-10-31", None, "同比下降27.52%"),
        ]
    )
    out = reconcile(bulletin_tables, pub).set_index("figure_id")
    assert out.loc["T1", "verdict"] == "一致"
    bad = out.loc["T2"]
    assert bad["verdict"] == "不一致"
    assert bad["recomputed"] == pytest.approx((352 - 486) / 486 * 100)  # −27.572…
    assert bad["consistency"] == "不自洽"
    assert "-27.57" in bad["note"] and "自相矛盾" in bad["note"]
    assert bad["sentence"] == "同比下降27.52%"


def test_consistent_bulletin_passes(bulletin_tables):
    pub = _published(
        [
            ("accidents", "value", 352, "起", "2020-10-31"),
            ("accidents", "yoy_pct", -27.57, "%", "2020-10-31"),
            ("accidents", "yoy_pct", -28, "%", "2020-10-31"),
            ("accidents", "yoy_pct", -20, "%", "2020-10-31", "以上"),
        ]
    )
    out = reconcile(bulletin_tables, pub)
    assert list(out["verdict"]) == ["一致"] * 4
    assert list(out["consistency"]) == ["", "自洽", "自洽", ""]


def test_cannot_recompute(bulletin_tables):
    pub = _published(
        [
            ("no_such_indicator", "value", 1, "起", "2020-10-31"),
            ("accidents", "yoy_pct", 5, "%", "2019-10-31"),  # no 2018 data
        ]
    )
    out = reconcile(bulletin_tables, pub)
    assert list(out["verdict"]) == ["无法重算", "无法重算"]
    assert "没有指标" in out["note"].iloc[0]
    assert "上年同期" in out["note"].iloc[1]
    assert summary_zh(out) == "共核对2个数字：一致0个，不一致0个，无法重算2个。"


def test_qualified_figures_against_data(bulletin_tables):
    pub = _published(
        [
            ("accidents", "value", 300, "起", "2020-10-31", "余"),  # 300余 = 300..399
            ("accidents", "value", 400, "起", "2020-10-31", "余"),
            ("accidents", "value", 350, "起", "2020-10-31", "约"),  # 约350 = 345..355
            ("accidents", "value", 360, "起", "2020-10-31", "以上"),
        ]
    )
    out = reconcile(bulletin_tables, pub)
    assert list(out["verdict"]) == ["一致", "不一致", "一致", "不一致"]
    assert out["published_text"].tolist() == ["300余起", "400余起", "约350起", "360起以上"]


def test_every_section_one_figure_of_the_sample_data_agrees():
    from analysis.io import load_tables

    published_file = config.PUBLISHED_FIGURES_FILE
    assert published_file.is_file(), "data/sample/published_figures.csv is missing"
    tables = load_tables(config.SAMPLE_DATA_DIR).tables
    published = tables["published_figures"]
    assert len(published) >= 70
    out = reconcile(tables, published)
    bad = out.loc[out["verdict"] != "一致", ["figure_id", "sentence", "note"]]
    assert bad.empty, bad.to_string()
    assert not (out["consistency"] == "不自洽").any()
    # the headline figures are all there
    heads = {(r.indicator_id, r.measure) for r in published.itertuples()}
    for key in [
        ("accidents", "value"),
        ("accidents", "yoy_pct"),
        ("accident_deaths", "yoy_pct"),
        ("fires", "yoy_pct"),
        ("fire_casualties", "value"),
        ("major_or_above_accidents", "value"),
        ("below_scale_coverage", "share_pct"),
        ("fines_all_departments", "value"),
    ]:
        assert key in heads
    assert not math.isnan(out["recomputed"].astype(float).sum())
