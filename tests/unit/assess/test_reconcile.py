"""Reconciliation of published figures: qualifiers, rounding windows, text consistency."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.assess.agreement import accepted_range, agrees, implied_priors, round_step
from analysis.assess.reconcile import reconcile, summary_zh
from analysis.inputs import schema
from analysis.numbers import decimals_of
from analysis.settings import config, places

D = "钟楼区"
TOWNS = places.towns_of(D)


def _tables(incidents: list[dict]) -> dict[str, pd.DataFrame]:
    """Every table of the contract with the loader's dtypes; only incidents have rows."""
    out = {}
    for name, table in schema.TABLES.items():
        df = pd.DataFrame(incidents if name == "incidents" else [], columns=table.column_names)
        for col in table.columns:
            kind = {"date": "datetime64[ns]", "int": "int64", "float": "float64", "bool": bool}
            df[col.name] = df[col.name].astype(kind.get(col.dtype, object))
        out[name] = df
    return out


def incident(i, date, town, category="生产安全事故") -> dict:
    return {
        "incident_id": f"I{i}",
        "district": D,
        "town": town,
        "date": pd.Timestamp(date),
        "category": category,
        "industry": "工贸",
        "accident_type": "其他",
        "deaths": 0,
        "serious_injuries": 0,
        "injuries": 0,
        "direct_loss_wan": 1.0,
        "description": None,
    }


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
    return _tables(rows)


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
    from analysis.inputs import load_tables

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


# --------------------------------------------------------------------------- what bulletins print


def _fires(month: str, n: int, tag: str) -> list[dict]:
    start = pd.Timestamp(f"{month}-01")
    return [
        incident(
            f"{tag}{month}-{k}", start + pd.Timedelta(days=k % 28), TOWNS[k % len(TOWNS)], "火灾"
        )
        for k in range(n)
    ]


# fires per month: May 2024 19, Apr 2024 21, May 2023 15, May 2022 22; Q2 2024 = 10+21+19 = 50,
# Q1 2024 = 40, Q2 2023 = 42
FIRES = {
    "2022-01": 5, "2022-04": 9, "2022-05": 22,
    "2023-02": 12, "2023-04": 13, "2023-05": 15, "2023-06": 14, "2023-11": 3, "2023-12": 8,
    "2024-01": 11, "2024-02": 12, "2024-03": 17, "2024-04": 21, "2024-05": 19, "2024-06": 10,
}  # fmt: skip


@pytest.fixture(scope="module")
def monthly_tables():
    rows = [r for month, n in FIRES.items() for r in _fires(month, n, "F")]
    return _tables(rows)


def _bulletin(rows: list[dict]) -> pd.DataFrame:
    """Published figures with the optional columns, as the loader gives them."""
    base = {"district": D, "indicator_id": "fires", "unit": "起", "qualifier": None}
    df = pd.DataFrame(
        [{"figure_id": f"M{k}", **base, **r} for k, r in enumerate(rows, 1)],
    )
    df["as_of"] = pd.to_datetime(df["as_of"])
    df["sentence"] = df.get("sentence", "")
    return df


MAY = "5月发生火灾19起，同比去年上升26.67%，同比前年下降13.64%，环比4月下降9.52%"


def test_a_correct_monthly_bulletin_reconciles(monthly_tables):
    common = {"as_of": "2024-05-31", "period_kind": "本月", "sentence": MAY}
    pub = _bulletin(
        [
            {**common, "measure": "value", "value": 19},
            {**common, "measure": "yoy_pct", "value": 26.67, "basis": "同比"},
            {**common, "measure": "yoy_pct", "value": -13.64, "basis": "比前年"},
            {**common, "measure": "yoy_pct", "value": -9.52, "basis": "环比"},
            {**common, "measure": "change_abs", "value": -2, "basis": "环比"},
        ]
    )
    out = reconcile(monthly_tables, pub)
    assert list(out["verdict"]) == ["一致"] * 5, out["note"].tolist()
    assert out["published_text"].tolist() == [
        "本月19起",
        "本月同比上升26.67%",
        "本月比前年下降13.64%",
        "本月环比下降9.52%",
        "本月环比减少2起",
    ]
    # self-consistency with the printed 19: some whole prior gives each percentage
    assert list(out["consistency"]) == ["", "自洽", "自洽", "自洽", ""]


def test_a_wrong_monthly_figure_does_not(monthly_tables):
    common = {"as_of": "2024-05-31", "period_kind": "本月"}
    pub = _bulletin(
        [
            {**common, "measure": "value", "value": 20},
            {**common, "measure": "yoy_pct", "value": 25.0, "basis": "同比", "decimals": 2},
            # the year-to-date change (80 vs 40: +100%) is not the month's
            {**common, "measure": "yoy_pct", "value": 100, "basis": "同比"},
        ]
    )
    out = reconcile(monthly_tables, pub)
    assert list(out["verdict"]) == ["不一致"] * 3
    assert out["recomputed"].iloc[0] == 19
    assert out["recomputed"].iloc[2] == pytest.approx((19 - 15) / 15 * 100)
    # the year-to-date figure itself is consistent as a 累计 figure
    ytd = _bulletin([{"as_of": "2024-05-31", "measure": "yoy_pct", "value": 100}])
    assert reconcile(monthly_tables, ytd)["verdict"].iloc[0] == "一致"


def test_january_compares_with_december_of_the_year_before(monthly_tables):
    # January 2024: 11 fires; December 2023: 8 → 环比上升37.5%, 增加3起
    common = {"as_of": "2024-01-31", "period_kind": "本月", "basis": "环比"}
    pub = _bulletin(
        [
            {**common, "measure": "yoy_pct", "value": 37.5, "prior_value": 8},
            {**common, "measure": "change_abs", "value": 3},
            {**common, "measure": "change_abs", "value": 11},  # the year-to-date 0 is not a base
        ]
    )
    out = reconcile(monthly_tables, pub)
    assert list(out["verdict"]) == ["一致", "一致", "不一致"]
    assert out["published_text"].iloc[0] == "本月环比上升37.5%（上月8起）"


def test_quarterly_figures(monthly_tables):
    # Q2 2024 (to June 30): 21 + 19 + 10 = 50; Q2 2023: 13 + 15 + 14 = 42; Q1 2024: 40
    common = {"as_of": "2024-06-30", "period_kind": "季度"}
    good = _bulletin(
        [
            {**common, "measure": "value", "value": 50},
            {**common, "measure": "yoy_pct", "value": 19.05},
            {**common, "measure": "yoy_pct", "value": 25, "basis": "环比"},
        ]
    )
    assert list(reconcile(monthly_tables, good)["verdict"]) == ["一致"] * 3
    bad = _bulletin([{**common, "measure": "yoy_pct", "value": 18}])
    out = reconcile(monthly_tables, bad).iloc[0]
    assert out["verdict"] == "不一致"
    assert "四舍五入到0位小数为19%" in out["note"]


def test_bracketed_prior_values_are_checked(monthly_tables):
    common = {"as_of": "2024-05-31", "period_kind": "本月", "measure": "yoy_pct"}
    pub = _bulletin(
        [
            {**common, "value": 26.67, "prior_value": 15},  # 同比上升26.67%（上年同期15起）
            {**common, "value": 26.67, "prior_value": 16},  # the wrong prior
        ]
    )
    out = reconcile(monthly_tables, pub)
    assert out["published_text"].iloc[0] == "本月同比上升26.67%（上年同期15起）"
    assert list(out["verdict"]) == ["一致", "不一致"]
    assert "括号内上年同期16起与重算值15起不符" in out["note"].iloc[1]


def test_bracketed_prior_makes_the_text_check_itself():
    # no records at all: only the text can be judged
    empty = _tables([])
    common = {"as_of": "2024-05-31", "period_kind": "本月"}
    pub = _bulletin(
        [
            {**common, "measure": "value", "value": 19},
            {**common, "measure": "yoy_pct", "value": 26.67, "prior_value": 15},
            {**common, "measure": "yoy_pct", "value": 26.6, "prior_value": 15},
        ]
    )
    out = reconcile(empty, pub)
    assert list(out["consistency"]) == ["", "自洽", "不自洽"]
    assert out["verdict"].iloc[1] == "无法重算"
    assert out["verdict"].iloc[2] == "不一致"
    assert "应为26.7" in out["note"].iloc[2]


def test_truncated_figures_are_consistent_and_shown_unrounded():
    # 9 accidents against 13: −30.769…%; truncated to 2 decimals −30.76, half-up −30.77
    rows = [incident(f"c{k}", pd.Timestamp("2020-03-01"), TOWNS[0]) for k in range(9)]
    rows += [incident(f"p{k}", pd.Timestamp("2019-03-01"), TOWNS[0]) for k in range(13)]
    tables = _tables(rows)
    base = {"indicator_id": "accidents", "unit": "起", "as_of": "2020-10-31"}
    pub = _bulletin(
        [
            {**base, "measure": "value", "value": 9},
            {**base, "measure": "yoy_pct", "value": -30.76, "rounding": "截尾"},
            {**base, "measure": "yoy_pct", "value": -30.77},
            {**base, "measure": "yoy_pct", "value": -30.77, "rounding": "截尾"},
        ]
    )
    out = reconcile(tables, pub)
    assert list(out["verdict"]) == ["一致", "一致", "一致", "不一致"]
    assert list(out["consistency"]) == ["", "自洽", "自洽", "不自洽"]
    assert out["accepted_range"].iloc[1] == "(-30.77, -30.76]"
    assert out["accepted_range"].iloc[2] == "(-30.775, -30.765]"
    assert "原文可由上年同期13起得出" in out["note"].iloc[1]


def test_declared_decimals_keep_trailing_zeros(bulletin_tables):
    # 352 / 486 − 1 = −27.572…%: “−27.57” fits at 2 decimals; “−28” and “−28.00” differ
    pub = _published(
        [
            ("accidents", "yoy_pct", -28, "%", "2020-10-31"),
            ("accidents", "yoy_pct", -28, "%", "2020-10-31"),
        ]
    )
    pub["decimals"] = [None, 2]
    out = reconcile(bulletin_tables, pub)
    assert list(out["verdict"]) == ["一致", "不一致"]
    assert out["accepted_range"].tolist() == ["(-28.5, -27.5]", "(-28.005, -27.995]"]
    assert out["published_text"].tolist() == ["同比下降28%", "同比下降28.00%"]


def test_declared_comparability_break(monthly_tables):
    pub = _bulletin(
        [
            {
                "as_of": "2024-05-31",
                "measure": "yoy_pct",
                "value": None,
                "comparability": "口径变化，无法同比",
            },
            {"as_of": "2024-05-31", "measure": "yoy_pct", "value": None},
        ]
    )
    out = reconcile(monthly_tables, pub)
    assert list(out["verdict"]) == ["无法同比", "无法重算"]
    assert out["published_text"].iloc[0] == "口径变化，无法同比"
    assert out["note"].iloc[0] == "原文声明：口径变化，无法同比；不计算同比"
    assert pd.isna(out["recomputed"].iloc[0])
    assert "发布值为空" in out["note"].iloc[1]
    assert summary_zh(out) == "共核对2个数字：一致0个，不一致0个，无法重算1个，无法同比1个。"


def test_zero_base_gives_no_percentage_but_an_absolute_change(monthly_tables):
    # March 2023 had no fires, March 2024 had 17
    common = {"as_of": "2024-03-31", "period_kind": "本月"}
    pub = _bulletin(
        [
            {**common, "measure": "yoy_pct", "value": 100},
            {**common, "measure": "change_abs", "value": 17},
        ]
    )
    out = reconcile(monthly_tables, pub)
    assert list(out["verdict"]) == ["无法重算", "一致"]
    assert out["note"].iloc[0] == "上年同期为0，无法计算同比百分比"
    assert out["published_text"].iloc[1] == "本月同比增加17起"


def test_a_printed_share_checks_itself_without_records():
    from analysis.indicators.catalogue import load_catalogue

    ind = load_catalogue()["above_scale_coverage"]
    base = {"as_of": "2020-10-23", "unit": "家", "measure": "value"}
    pub = _bulletin(
        [
            {**base, "indicator_id": ind.numerator, "value": 290},
            {**base, "indicator_id": ind.denominator, "value": 298},
            {**base, "indicator_id": ind.id, "measure": "share_pct", "value": 97.3, "unit": "%"},
            {**base, "indicator_id": ind.id, "measure": "share_pct", "value": 97.4, "unit": "%"},
        ]
    )
    out = reconcile(_tables([]), pub)
    assert list(out["consistency"].iloc[2:]) == ["自洽", "不自洽"]
    assert out["verdict"].iloc[2] == "无法重算"  # 290/298 = 97.32…%, but no records
    assert out["verdict"].iloc[3] == "不一致"
    assert "290÷298按四舍五入保留1位小数为97.3%" in out["note"].iloc[3]


def test_rate_changes_are_written_in_percentage_points():
    from analysis.assess.published_figures import Figure, published_text
    from analysis.indicators.catalogue import load_catalogue
    from analysis.indicators.model import Indicator

    cat = load_catalogue()
    bad = Indicator(
        "deadly_share", "亡人事故占比", "%", "总体情况", "ratio", direction="lower_better"
    )
    f = Figure("x", D, bad.id, "yoy_pct", 1.6, pd.Timestamp("2020-10-31"), "", "", decimals=1)
    assert published_text(f, bad) == "同比上升1.6个百分点"  # not “同比增长1.6%”
    assert published_text(f, cat["above_scale_coverage"]) == "同比提高1.6个百分点"
    about = Figure(
        "y", D, "accidents", "yoy_pct", -12.5, pd.Timestamp("2020-10-31"), "约", "", decimals=1
    )
    assert published_text(about, cat["accidents"]) == "同比下降约12.5%"  # never “12.5%约”


def test_a_month_of_a_distinct_count_cannot_be_recomputed(monthly_tables):
    from analysis.indicators.catalogue import load_catalogue

    distinct = next(i for i in load_catalogue() if i.measure == "nunique" and i.period == "ytd")
    pub = _bulletin(
        [{"indicator_id": distinct.id, "as_of": "2024-05-31", "period_kind": "本月",
          "measure": "value", "value": 3}]
    )  # fmt: skip
    out = reconcile(monthly_tables, pub).iloc[0]
    assert out["verdict"] == "无法重算"
    assert "不能由累计数相减得到本月数" in out["note"]


def test_optional_columns_load_from_the_published_figures_file(tmp_path):
    import shutil

    from analysis.inputs import load_tables

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    path = data / "published_figures.csv"
    extra = (
        "X1,钟楼区,accidents,yoy_pct,,%,2020-10-31,,火灾起数口径变化，无法同比,"
        ",,,,,口径变化，无法同比\n"
        "X2,钟楼区,below_scale_coverage,share_pct,88.000,%,2020-10-23,,覆盖率88.000%,"
        ",,,3,,\n"
        "X3,钟楼区,accidents,yoy_pct,-85,%,2020-10-31,,同比下降85%（上年同期60起）,"
        "累计,同比,60,,截尾,\n"
    )
    path.write_text(path.read_text(encoding="utf-8-sig") + extra, encoding="utf-8-sig")
    tables = load_tables(data).tables
    out = reconcile(tables, tables["published_figures"]).set_index("figure_id")
    assert (out.drop(index=["X1", "X2", "X3"])["verdict"] == "一致").all()
    assert out.loc["X1", "verdict"] == "无法同比"
    # 3600 / 4091 = 87.998…%: “88%” (F017) agrees, “88.000%” does not
    assert out.loc["X2", "verdict"] == "不一致"
    assert out.loc["X2", "accepted_range"] == "[87.9995, 88.0005)"
    assert out.loc["X2", "published_text"] == "88.000%"
    assert out.loc["X3", "verdict"] == "一致"
    assert out.loc["X3", "published_text"] == "同比下降85%（上年同期60起）"
