"""The engine's windows, coverage and filters on hand-made tables (answers worked out by
hand), additivity of town figures on random tables, and a large synthetic data set."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from indicator_tables import (
    TOWNS,
    D,
    hand_made_tables,
    hazard,
    incident,
    inspection,
    make_tables,
    row,
)

from analysis.indicators import compute_indicators, compute_panel
from analysis.indicators.catalogue import load_catalogue
from analysis.inputs import schema
from analysis.settings import config, reference_data


@pytest.fixture(scope="module")
def tables():
    return hand_made_tables()


# --------------------------------------------------------------------------- periods


def test_ytd_month_prior_values(tables):
    df = compute_indicators(tables, D, "2020-10")
    acc = row(df, "accidents")
    assert acc["value"] == 3  # I1, I2, I4 (I8 is in November)
    assert acc["month_value"] == 1  # I2
    assert acc["prior_value"] == 2  # I5, I7 (I6 is in November 2019)
    assert math.isnan(acc["prior2_value"])  # data start in January 2019
    assert acc["prev_month_value"] == 1  # I4 in September
    assert acc["month_prior_value"] == 1  # I5 in October 2019
    assert acc["yoy_pct"] == pytest.approx(50.0)
    assert acc["yoy_text"] == "同比上升50.0%"
    assert acc["mom_text"] == "环比持平"
    assert row(df, "accident_deaths")["value"] == 3
    assert row(df, "accident_deaths")["prior_value"] == 3
    assert row(df, "fires")["value"] == 1
    assert row(df, "fire_casualties")["value"] == 1  # one injured
    # severity is derived from the records: 0 this year, 1 (3 deaths) last year
    assert row(df, "major_or_above_accidents")["value"] == 0
    assert row(df, "major_or_above_accidents")["prior_value"] == 1


def test_arbitrary_as_of_date(tables):
    df = compute_indicators(tables, D, "2020-10-23")
    assert row(df, "accidents")["value"] == 3
    assert row(df, "fires")["value"] == 0  # the fire is on 10-31
    assert row(df, "accidents")["month_value"] == 1  # 10-01..10-23
    assert row(df, "accidents")["prev_month_value"] == 1  # 09-01..09-23 holds I4 (09-10)
    assert (df["as_of"] == pd.Timestamp("2020-10-23")).all()


def test_snapshot_roster_as_of(tables):
    early = compute_indicators(tables, D, "2020-10-23")
    late = compute_indicators(tables, D, "2020-10")
    assert row(early, "above_scale_briefed")["value"] == 1  # E2 briefed on 10-25
    assert row(early, "above_scale_coverage")["value"] == pytest.approx(50.0)
    assert row(late, "above_scale_coverage")["value"] == pytest.approx(100.0)
    assert row(late, "below_scale_unbriefed")["value"] == 1  # E3
    assert row(late, "standardization_grade2")["value"] == 1
    assert row(late, "model_enterprises")["value"] == 1
    r = row(late, "above_scale_briefed")
    assert math.isnan(r["prior_value"]) and math.isnan(r["month_value"])
    assert r["yoy_text"] == ""  # a snapshot has no 同比


def test_coverage_of_a_table_starting_later(tables):
    r = row(compute_indicators(tables, D, "2020-10"), "outreach_participants")
    assert r["value"] == 40
    assert math.isnan(r["prior_value"])  # outreach data start in March 2020
    assert r["yoy_text"] == "上年同期无数据"
    assert math.isnan(r["prev_month_value"]) is False  # September 2020 is covered: 0
    assert r["prev_month_value"] == 0


def test_plan_by_year_and_distinct_enterprises(tables):
    df = compute_indicators(tables, D, "2020-10")
    plan = row(df, "planned_inspections")
    assert plan["value"] == 2 and plan["prior_value"] == 1
    assert math.isnan(plan["month_value"])
    assert row(df, "enforcement_inspected_enterprises")["value"] == 1  # E1 twice, E3 by 消防
    assert row(df, "inspection_plan_completion")["value"] == pytest.approx(50.0)
    assert row(df, "inspection_visits")["value"] == 3
    assert row(df, "inspector_person_times")["value"] == 7
    assert row(df, "expert_person_times")["value"] == 1
    # only 邹区镇 of the 8 towns had an enforcement-department inspection
    assert row(df, "enforcement_supervision_coverage")["value"] == pytest.approx(100 / 8)


def test_as_of_conditions_on_other_dates(tables):
    oct23 = compute_indicators(tables, D, "2020-10-23")
    end = compute_indicators(tables, D, "2020-10")
    assert row(oct23, "major_hazards_found")["value"] == 3
    assert row(oct23, "major_hazards_rectified")["value"] == 1  # H2 is fixed on 10-28
    assert row(end, "major_hazards_rectified")["value"] == 2
    assert row(end, "major_hazards_open")["value"] == 1
    assert row(end, "major_hazard_rectification_rate")["value"] == pytest.approx(200 / 3)
    # due by 10-23: H1 (04-30), H2 (10-15); H2 is overdue on 10-23
    assert row(oct23, "hazards_due")["value"] == 2
    assert row(oct23, "hazards_overdue")["value"] == 1
    assert row(end, "hazards_overdue")["value"] == 0


def test_campaign_latest_value(tables):
    assert row(compute_indicators(tables, D, "2020-09"), "forklifts_fixed")["value"] == 74
    assert row(compute_indicators(tables, D, "2020-10"), "forklifts_fixed")["value"] == 129
    assert math.isnan(row(compute_indicators(tables, D, "2020-05"), "forklifts_fixed")["value"])


# --------------------------------------------------------------------------- additivity


_ADDITIVE_TABLES = ("incidents", "inspections", "hazards", "cases")


@st.composite
def random_tables(draw):
    n_inc = draw(st.integers(0, 30))
    n_insp = draw(st.integers(0, 40))
    n_haz = draw(st.integers(0, 30))
    day = st.integers(0, 729)  # 2019-01-01 .. 2020-12-30
    base = pd.Timestamp("2019-01-01")
    inc = [
        incident(
            i,
            base + pd.Timedelta(days=draw(day)),
            draw(st.sampled_from(TOWNS)),
            category=draw(st.sampled_from(reference_data.names("incident_categories"))),
            deaths=draw(st.integers(0, 4)),
            serious=draw(st.integers(0, 12)),
            loss=draw(st.floats(0, 2000, allow_nan=False)),
        )
        for i in range(n_inc)
    ]
    insp = [
        inspection(
            i,
            base + pd.Timedelta(days=draw(day)),
            draw(st.sampled_from(TOWNS)),
            f"E{draw(st.integers(0, 5))}",
            dept=draw(st.sampled_from(reference_data.names("departments")[:3])),
            inspectors=draw(st.integers(0, 5)),
            experts=draw(st.integers(0, 2)),
        )
        for i in range(n_insp)
    ]
    haz = []
    for i in range(n_haz):
        found = base + pd.Timedelta(days=draw(day))
        fixed = draw(st.booleans())
        rect = found + pd.Timedelta(days=draw(st.integers(0, 90))) if fixed else None
        haz.append(
            hazard(
                i,
                found,
                draw(st.sampled_from(schema.HAZARD_LEVELS)),
                rectified=rect,
                deadline=found + pd.Timedelta(days=draw(st.integers(0, 60))),
                town=draw(st.sampled_from(TOWNS)),
            )
        )
    return make_tables(incidents=inc, inspections=insp, hazards=haz)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=random_tables(), month=st.integers(1, 12), day=st.sampled_from([None, 9, 23]))
def test_town_values_add_up_to_district(data, month, day):
    cat = load_catalogue()
    ids = [
        i.id
        for i in cat
        if cat.additive(i.id) and i.scope == "town" and (i.table in _ADDITIVE_TABLES or i.inputs)
    ]
    as_of = f"2020-{month:02d}" if day is None else f"2020-{month:02d}-{day:02d}"
    panel = compute_panel(data, D, [as_of], ids=ids)
    for slot in ("value", "month_value", "prior_value", "prev_month_value", "month_prior_value"):
        wide = panel.pivot(index="area", columns="id", values=slot)
        towns = wide.loc[TOWNS].sum(min_count=1)
        district = wide.loc[D]
        both_nan = towns.isna() & district.isna()
        assert np.allclose(towns[~both_nan], district[~both_nan]), slot


def test_large_tables_smoke():
    spec = importlib.util.spec_from_file_location(
        "large_tables", config.PROJ_ROOT / "benchmarks" / "large_tables.py"
    )
    large_tables = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(large_tables)
    t = large_tables.make_large_tables(n_inspections=20_000, n_hazards=2_000, seed=3)
    panel = compute_panel(t, D, ["2020-06", "2020-12"])
    assert len(panel) == 2 * (len(TOWNS) + 1) * len(load_catalogue(district=D))
    dist = panel[(panel["area"] == D) & (panel["id"] == "inspection_visits")]
    assert dist["value"].iloc[1] == ((t["inspections"]["date"].dt.year == 2020).sum())
