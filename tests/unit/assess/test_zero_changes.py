"""Zero values reconcile as bulletins print them: "死亡0人，同比下降100%" and 0 against 0
"同比持平", for counts and for money; the same sentences with wrong data do not."""

from __future__ import annotations

import pandas as pd
import pytest
from indicator_tables import D, incident, make_tables

from analysis.assess.reconcile import reconcile
from analysis.assess.zero_changes import zero_change, zero_consistency
from analysis.settings import places

TOWNS = places.towns_of(D)

# fires per month; January and March 2023 have none, March 2022 none, January 2022 five
FIRES = {"2022-01": 5, "2022-02": 3, "2023-02": 4, "2024-01": 2, "2024-03": 6}


def _fires() -> list[dict]:
    rows = []
    for month, n in FIRES.items():
        start = pd.Timestamp(f"{month}-01")
        for k in range(n):
            row = incident(f"F{month}-{k}", start + pd.Timedelta(days=k), TOWNS[k % 3], "火灾")
            rows.append(row)
    return rows


@pytest.fixture(scope="module")
def tables():
    # one accident with a loss in February 2023 only: the loss is 0 in every other month
    accident = incident("A1", pd.Timestamp("2023-02-10"), TOWNS[0])
    return make_tables(incidents=[*_fires(), accident])


def _figures(*rows: dict) -> pd.DataFrame:
    base = {"district": D, "unit": "起", "qualifier": None, "period_kind": "本月"}
    df = pd.DataFrame([{"figure_id": f"Z{k}", **base, **r} for k, r in enumerate(rows, 1)])
    df["as_of"] = pd.to_datetime(df["as_of"])
    return df


def _fig(indicator: str, as_of: str, measure: str, value, **extra) -> dict:
    sentence = extra.pop("sentence", f"{indicator} {measure} {value}")
    return {
        "indicator_id": indicator,
        "as_of": as_of,
        "measure": measure,
        "value": value,
        "sentence": sentence,
        **extra,
    }


def test_a_fall_to_zero_is_minus_100_percent(tables):
    # January 2023: 0 fires, January 2022: 5 → "火灾0起，同比下降100%"
    said = "1月发生火灾0起，同比下降100%"
    out = reconcile(
        tables,
        _figures(
            _fig("fires", "2023-01-31", "value", 0, sentence=said),
            _fig("fires", "2023-01-31", "yoy_pct", -100, sentence=said),
        ),
    )
    assert list(out["verdict"]) == ["一致", "一致"]
    assert out["consistency"].iloc[1] == "自洽"
    assert "原文自相矛盾" not in out["note"].iloc[1]
    assert out["published_text"].iloc[1] == "本月同比下降100%"


def test_a_fall_to_zero_against_a_zero_base_is_not_100_percent(tables):
    # March 2023: 0 fires, March 2022: 0 → "下降100%" is wrong, 持平 is right
    out = reconcile(
        tables,
        _figures(
            _fig("fires", "2023-03-31", "value", 0),
            _fig("fires", "2023-03-31", "yoy_pct", -100),
            _fig("fires", "2023-03-31", "yoy_pct", 0),
        ),
    )
    assert list(out["verdict"]) == ["一致", "不一致", "一致"]
    assert out["published_text"].iloc[2] == "本月同比持平"


def test_zero_against_zero_counts(tables):
    out = reconcile(
        tables,
        _figures(
            _fig("fires", "2023-03-31", "value", 0),
            _fig("fires", "2023-03-31", "yoy_pct", 0),
            _fig("fires", "2023-03-31", "change_abs", 0),
            # January 2024 (2) against January 2023 (0): not 持平
            _fig("fires", "2024-01-31", "yoy_pct", 0),
        ),
    )
    assert list(out["verdict"]) == ["一致", "一致", "一致", "不一致"]
    assert out["consistency"].iloc[1] == "自洽"


def test_zero_against_zero_money(tables):
    # the direct loss of accidents in March 2023 and March 2022: both 0 万元
    out = reconcile(
        tables,
        _figures(
            _fig("accident_direct_loss", "2023-03-31", "yoy_pct", 0, unit="万元"),
            _fig("accident_direct_loss", "2023-03-31", "change_abs", 0, unit="万元"),
            # February 2023 had a loss of 1 万元, February 2022 none: not 持平
            _fig("accident_direct_loss", "2023-02-28", "yoy_pct", 0, unit="万元"),
        ),
    )
    assert list(out["verdict"])[:2] == ["一致", "一致"]
    assert "无法重算" not in set(out["verdict"].iloc[:2])
    assert out["verdict"].iloc[2] != "一致"


def test_a_fall_to_zero_in_money(tables):
    # accidents' loss: February 2024 0 against February 2023 1 万元 → 下降100%
    out = reconcile(
        tables,
        _figures(
            _fig("accident_direct_loss", "2024-02-29", "yoy_pct", -100, unit="万元"),
            _fig("accident_direct_loss", "2024-02-29", "yoy_pct", -50, unit="万元"),
        ),
    )
    assert list(out["verdict"]) == ["一致", "不一致"]


def test_a_printed_zero_with_another_percentage_contradicts_itself(tables):
    out = reconcile(
        tables,
        _figures(
            _fig("fires", "2023-01-31", "value", 0),
            _fig("fires", "2023-01-31", "yoy_pct", -60),
        ),
    )
    assert out["consistency"].iloc[1] == "不自洽"
    assert out["verdict"].iloc[1] == "不一致"


@pytest.mark.parametrize(
    ("current", "base", "expected"), [(0, 0, 0), (0, 7, -100), (3, 0, None), (2, 4, None)]
)
def test_zero_change(current, base, expected):
    got = zero_change(current, base)
    assert (None if got is None else int(got)) == expected


def test_zero_consistency_wording():
    assert zero_consistency(0, -100, "人", "上年同期")[0] == "自洽"
    assert zero_consistency(0, 0, "人", "上年同期")[0] == "自洽"
    assert zero_consistency(0, -99, "人", "上年同期")[0] == "不自洽"
    assert zero_consistency(1, -100, "人", "上年同期") is None
