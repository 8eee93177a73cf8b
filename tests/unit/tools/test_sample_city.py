"""The second synthetic sample (data/sample_city/, 示例城区): reproducible, valid, plausible,
and its published monthly bulletins reconcile 一致.

The sample has only two tables (incidents, hazards). The loader of this branch still requires
five tables, so the files are loaded one by one with ``load_table`` (the folder check below
accepts exactly the "missing required file" problems of the tables the sample does not
provide) and reconciled with ``reconcile(tables, published, district=...)``.
Expected counts are recounted here with plain pandas from the CSV files.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.assess.reconcile import reconcile
from analysis.errors import DataValidationError
from analysis.inputs import (
    MANIFEST_FILE,
    SYNTHETIC_MARKER,
    empty_frame,
    load_table,
    load_tables,
    schema,
)
from analysis.numbers import HALF_UP, round_decimal
from analysis.settings import places
from analysis.settings.yaml_files import read_yaml
from analysis.tools.sample_data import CITY_DIR, CITY_DISTRICT, main, write_city_sample

TODAY = date(2025, 6, 30)
PROVIDED = ("incidents", "hazards", "published_figures")


@pytest.fixture(scope="module")
def loaded():
    """Each provided file loaded alone: (frame, problems) by table name."""
    return {
        name: load_table(CITY_DIR / f"{name}.csv", schema.TABLES[name], today=TODAY)
        for name in PROVIDED
    }


@pytest.fixture(scope="module")
def tables(loaded):
    out = {name: empty_frame(table) for name, table in schema.TABLES.items()}
    out.update({name: frame for name, (frame, _) in loaded.items()})
    return out


@pytest.fixture(scope="module")
def published(tables):
    return tables["published_figures"]


@pytest.fixture(scope="module")
def reconciled(tables, published):
    return reconcile(tables, published, district=CITY_DISTRICT).set_index("figure_id")


def test_regeneration_is_byte_identical(tmp_path):
    written = write_city_sample(tmp_path)
    names = {p.name for p in written}
    assert names == {f"{n}.csv" for n in PROVIDED} | {MANIFEST_FILE, SYNTHETIC_MARKER}
    committed = {p.name for p in CITY_DIR.iterdir()}
    assert committed == names, "data/sample_city holds files the generator does not write"
    for path in written:
        assert path.read_bytes() == (CITY_DIR / path.name).read_bytes(), f"{path.name} differs"


def test_unknown_sample_is_refused_in_chinese(tmp_path, capsys):
    assert main(["--district", "nowhere", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "未知的示例“nowhere”" in err and "city" in err
    assert not any(tmp_path.iterdir())


def test_each_file_loads_without_problems(loaded):
    for name, (frame, problems) in loaded.items():
        assert problems == [], f"{name}: {problems[:3]}"
        assert len(frame) > 0
    incidents = loaded["incidents"][0]
    assert incidents["date"].dtype == "datetime64[ns]"
    assert incidents["incident_id"].is_unique


def test_folder_problems_are_only_the_tables_not_provided():
    """Loading the folder: nothing wrong with the files that are there (with a loader that
    requires more tables, only their absence is reported)."""
    manifest = read_yaml(CITY_DIR / MANIFEST_FILE)
    not_provided = {name.removesuffix(".csv") for name in manifest["not_provided"]}
    assert not_provided == set(schema.TABLES) - set(PROVIDED)
    try:
        problems = load_tables(CITY_DIR, today=TODAY).problems
    except DataValidationError as exc:
        problems = exc.problems
    for p in problems:
        table = p.file.removesuffix(".csv")
        assert table in not_provided and "缺少必需的数据文件" in p.reason, p


def test_marked_synthetic_and_fictional(loaded):
    assert (CITY_DIR / SYNTHETIC_MARKER).read_text(encoding="utf-8").startswith("合成数据")
    manifest = read_yaml(CITY_DIR / MANIFEST_FILE)
    assert manifest["synthetic"] is True
    assert manifest["district"] == CITY_DISTRICT
    for name in PROVIDED:
        frame = loaded[name][0]
        entry = manifest["files"][f"{name}.csv"]
        assert entry["rows"] == len(frame)
        assert (frame["district"] == CITY_DISTRICT).all()
    assert loaded["incidents"][0]["description"].str.contains("（合成）").all()
    assert loaded["hazards"][0]["description"].str.endswith("（合成）").all()
    assert CITY_DISTRICT in places.units()["districts"]
    streets = places.towns_of(CITY_DISTRICT)
    assert len(streets) == 6 and all(s.endswith("街道") for s in streets)
    for name in ("incidents", "hazards"):
        assert set(loaded[name][0]["town"]) == set(streets)


# --------------------------------------------------------------------------- the records


def _monthly(incidents: pd.DataFrame) -> pd.DataFrame:
    """Records per month (rows) and category (columns), every month present."""
    months = incidents["date"].dt.to_period("M")
    return incidents.groupby([months, "category"]).size().unstack(fill_value=0)


def test_monthly_coverage_and_categories(tables):
    inc = tables["incidents"]
    assert inc["date"].min() >= pd.Timestamp("2022-01-01")
    assert inc["date"].max() <= pd.Timestamp("2024-12-31")
    monthly = _monthly(inc)
    assert list(monthly.index.astype(str)) == [
        f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)
    ]
    assert set(monthly.columns) == {"生产安全事故", "火灾", "火警", "道路交通事故"}
    hz = tables["hazards"]
    assert hz["found_date"].dt.to_period("M").nunique() == 36
    assert set(hz["level"]) == {"一般", "重大"}
    assert (hz["rectified_date"].dropna() <= pd.Timestamp("2024-12-31")).all()


def test_plausible_city_centre_counts(tables):
    monthly = _monthly(tables["incidents"])
    assert 10 <= monthly["火灾"].mean() <= 40  # fires: tens per month
    yearly = monthly.groupby(monthly.index.year).sum()
    assert (yearly["火警"] > yearly["火灾"]).all()  # more fire alarms than fires
    assert 1 <= monthly["生产安全事故"].mean() <= 6  # a few work accidents per month
    inc = tables["incidents"]
    deaths = inc.groupby("category")["deaths"].sum()
    assert deaths["火警"] == 0 and deaths["火灾"] <= 5  # deaths are rare
    assert deaths["生产安全事故"] <= 15
    assert (inc["deaths"] <= 2).all()  # no 较大 accident


def test_seasonality(tables):
    monthly = _monthly(tables["incidents"])
    month = monthly.index.month
    winter, summer = month.isin([12, 1, 2]), month.isin([6, 7, 8])
    for category in ("火灾", "火警"):
        assert monthly.loc[winter, category].mean() > 1.4 * monthly.loc[summer, category].mean()
    roads = monthly["道路交通事故"]
    ratio = roads[winter].mean() / roads[summer].mean()
    assert 0.75 < ratio < 1.33  # road accidents: fairly flat


# --------------------------------------------------------------------------- the bulletins


def test_bulletins_cover_what_bulletins_print(published):
    kinds = set(published["period_kind"])
    assert kinds == {"本月", "累计", "季度", "全年"}
    assert set(published["basis"].dropna()) == {"同比", "比前年", "环比"}
    assert set(published["measure"]) == {"value", "yoy_pct", "change_abs"}
    assert {"截尾", "四舍六入五成双", "四舍五入"} <= set(published["rounding"].dropna())
    assert (published["decimals"] == 2).any()
    assert published["prior_value"].notna().any()
    assert set(published["as_of"].dt.year) == {2023, 2024}
    indicators = set(published["indicator_id"])
    assert {"fires", "fire_alarms", "road_accidents", "accidents", "hazards_found"} <= indicators
    assert (published["district"] == CITY_DISTRICT).all()


def test_monthly_values_equal_a_plain_recount(tables, published):
    inc = tables["incidents"]
    category = {
        "accidents": "生产安全事故",
        "fires": "火灾",
        "fire_alarms": "火警",
        "road_accidents": "道路交通事故",
    }
    rows = published[(published["period_kind"] == "本月") & (published["measure"] == "value")]
    checked = 0
    for r in rows.itertuples():
        if r.indicator_id not in category:
            continue
        month = inc["date"].dt.to_period("M") == pd.Period(r.as_of, "M")
        expected = (month & (inc["category"] == category[r.indicator_id])).sum()
        assert r.value == expected, r.sentence
        assert f"{int(r.value)}起" in r.sentence
        checked += 1
    assert checked >= 4 * 7


def test_every_published_figure_reconciles(reconciled, published):
    assert len(reconciled) == len(published)
    bad = reconciled.loc[reconciled["verdict"] != "一致", ["sentence", "note"]]
    assert bad.empty, bad.to_string()
    assert not (reconciled["consistency"] == "不自洽").any()
    assert (reconciled["consistency"] == "自洽").sum() > 20


def _altered(published: pd.DataFrame, figure_id: str, **changes) -> pd.DataFrame:
    out = published.loc[published["figure_id"] == figure_id].copy()
    for column, value in changes.items():
        out[column] = value
    return out


def _a(published, measure, kind, basis=None, rounding=None) -> pd.Series:
    """The first figure of that measure, period kind, basis and rounding."""
    rows = published[(published["measure"] == measure) & (published["period_kind"] == kind)]
    if basis is not None:
        rows = rows[rows["basis"] == basis]
    if rounding is not None:
        rows = rows[rows["rounding"] == rounding]
    return rows.iloc[0]


def test_altered_figures_are_inconsistent(tables, published, reconciled):
    value = _a(published, "value", "本月")
    mom = _a(published, "yoy_pct", "本月", "环比")
    bracketed = published[published["prior_value"].notna()].iloc[0]
    quarter = _a(published, "yoy_pct", "季度")
    altered = pd.concat(
        [
            _altered(published, value["figure_id"], value=value["value"] + 1),
            _altered(published, mom["figure_id"], value=mom["value"] + 0.01),
            _altered(published, bracketed["figure_id"], prior_value=bracketed["prior_value"] + 1),
            _altered(published, quarter["figure_id"], value=quarter["value"] - 0.01),
        ]
    )
    for figure_id in altered["figure_id"]:
        assert reconciled.loc[figure_id, "verdict"] == "一致"
    out = reconcile(tables, altered, district=CITY_DISTRICT)
    assert list(out["verdict"]) == ["不一致"] * 4, out["note"].tolist()
    assert "括号内上年同期" in out["note"].iloc[2]


def test_declared_truncation_matters(tables, published):
    """A 截尾 figure printed 四舍五入 instead (where the two differ) is 不一致."""
    truncated = published[published["rounding"] == "截尾"]
    assert len(truncated) >= 5
    out = reconcile(tables, truncated, district=CITY_DISTRICT)
    recomputed = dict(zip(out["figure_id"], out["recomputed"], strict=True))
    differing = [
        r
        for r in truncated.itertuples()
        if round_decimal(recomputed[r.figure_id], 2, HALF_UP) != round_decimal(r.value, 2)
    ]
    assert differing, "no 截尾 figure whose 四舍五入 rounding differs"
    r = differing[0]
    half_up = float(round_decimal(recomputed[r.figure_id], 2, HALF_UP))
    as_half_up = _altered(published, r.figure_id, value=half_up)
    assert reconcile(tables, as_half_up, district=CITY_DISTRICT)["verdict"].iloc[0] == "不一致"
    relabelled = _altered(published, r.figure_id, value=half_up, rounding="四舍五入")
    assert reconcile(tables, relabelled, district=CITY_DISTRICT)["verdict"].iloc[0] == "一致"
