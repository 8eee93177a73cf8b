"""Indicator engine on small hand-made tables with answers worked out by hand."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config, schema
from analysis.catalogue import load_catalogue, parse_catalogue
from analysis.errors import ConfigError, ParameterError
from analysis.indicators import (
    breakdown,
    compute_indicators,
    compute_panel,
    parse_as_of,
    severity_class,
    shift_months,
    to_display,
)

D = "钟楼区"
TOWNS = config.towns_of(D)
Z, B = TOWNS[0], TOWNS[1]  # 邹区镇, 北港街道
ENF = config.reference()["enforcement_department"]


def make_tables(**frames: list[dict]) -> dict[str, pd.DataFrame]:
    """Every table of the contract with the dtypes the loader produces; given rows only."""
    out = {}
    for name, table in schema.TABLES.items():
        rows = frames.get(name, [])
        df = pd.DataFrame(rows, columns=table.column_names)
        for col in table.columns:
            if col.dtype == "date":
                df[col.name] = pd.to_datetime(df[col.name])
            elif col.dtype == "int":
                df[col.name] = df[col.name].astype("int64")
            elif col.dtype == "float":
                df[col.name] = df[col.name].astype("float64")
            elif col.dtype == "bool":
                df[col.name] = df[col.name].astype(bool)
            else:
                df[col.name] = df[col.name].astype(object)
        out[name] = df
    return out


def incident(i, date, town, category="生产安全事故", deaths=0, serious=0, injuries=0, loss=1.0):
    return {
        "incident_id": f"I{i}",
        "district": D,
        "town": town,
        "date": date,
        "category": category,
        "industry": "工贸",
        "accident_type": "其他",
        "deaths": deaths,
        "serious_injuries": serious,
        "injuries": max(injuries, serious),
        "direct_loss_wan": loss,
        "description": None,
    }


INCIDENTS = [
    incident(1, "2020-01-15", Z, deaths=1),
    incident(2, "2020-10-05", B),
    incident(3, "2020-10-31", B, category="火灾", injuries=1),
    incident(4, "2020-09-10", Z, deaths=2),
    incident(5, "2019-10-20", Z, deaths=3),  # 较大 (3 deaths)
    incident(6, "2019-11-02", Z),  # after the prior-year window
    incident(7, "2019-03-01", B),
    incident(8, "2020-11-01", Z),  # after the period
]


def enterprise(eid, town, scale, briefed=None, grade="无", model=False):
    return {
        "enterprise_id": eid,
        "enterprise_name": eid,
        "district": D,
        "town": town,
        "industry": "物流仓储" if eid == "E3" else "工贸",
        "scale": scale,
        "hazchem": False,
        "standardization_grade": grade,
        "briefed_date": briefed,
        "model_enterprise": model,
    }


ENTERPRISES = [
    enterprise("E1", Z, "规上", "2020-10-20", grade="二级", model=True),
    enterprise("E2", B, "规上", "2020-10-25"),
    enterprise("E3", Z, "规下", None),
    enterprise("E4", B, "规下", "2020-01-01", grade="三级"),
]


def inspection(i, date, town, eid, dept=ENF, inspectors=2, experts=0):
    return {
        "inspection_id": f"X{i}",
        "district": D,
        "town": town,
        "date": date,
        "department": dept,
        "enterprise_id": eid,
        "in_plan": True,
        "inspectors": inspectors,
        "experts": experts,
    }


INSPECTIONS = [
    inspection(1, "2020-02-01", Z, "E1"),
    inspection(2, "2020-10-02", Z, "E1", experts=1),
    inspection(3, "2020-05-01", Z, "E3", dept="区消防救援大队", inspectors=3),
    inspection(4, "2019-06-01", B, "E2"),
]

PLAN = [
    {"year": 2020, "district": D, "department": ENF, "enterprise_id": "E1"},
    {"year": 2020, "district": D, "department": ENF, "enterprise_id": "E2"},
    {"year": 2019, "district": D, "department": ENF, "enterprise_id": "E1"},
]


def hazard(i, found, level="一般", rectified=None, deadline=None, town=Z):
    return {
        "hazard_id": f"H{i}",
        "district": D,
        "town": town,
        "industry": "工贸",
        "enterprise_id": "E1",
        "found_date": found,
        "level": level,
        "description": None,
        "deadline": deadline or found,
        "status": "已整改" if rectified else "整改中",
        "rectified_date": rectified,
    }


HAZARDS = [
    hazard(1, "2020-03-01", "重大", rectified="2020-04-01", deadline="2020-04-30"),
    hazard(2, "2020-09-01", "重大", rectified="2020-10-28", deadline="2020-10-15"),
    hazard(3, "2020-10-10", "重大", rectified=None, deadline="2020-12-31"),
    hazard(4, "2019-05-01", "一般", rectified="2019-05-02", deadline="2019-05-31"),
]

CAMPAIGN = [
    {
        "item_id": f"C{i}",
        "district": D,
        "town": None,
        "campaign": "特种设备",
        "item": "物流市场叉车整改完成",
        "value": v,
        "unit": "台",
        "as_of": d,
        "qualifier": None,
    }
    for i, (d, v) in enumerate([("2020-06-30", 74.0), ("2020-10-31", 129.0)])
]

OUTREACH = [
    {
        "event_id": "O1",
        "district": D,
        "town": Z,
        "date": "2020-03-05",
        "event_type": "集中宣讲",
        "audience": "规上企业",
        "participants": 40,
        "materials": 0,
    }
]


@pytest.fixture(scope="module")
def tables():
    return make_tables(
        incidents=INCIDENTS,
        enterprises=ENTERPRISES,
        inspections=INSPECTIONS,
        enforcement_plan=PLAN,
        hazards=HAZARDS,
        campaign_progress=CAMPAIGN,
        outreach=OUTREACH,
    )


def row(df: pd.DataFrame, ind_id: str) -> pd.Series:
    return df.set_index("id").loc[ind_id]


# --------------------------------------------------------------------------- severity


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "expected"),
    [
        (0, 0, 0.0, "一般"),
        (2, 9, 999.99, "一般"),
        (3, 0, 0.0, "较大"),  # bounds are inclusive (以上含本数)
        (9, 0, 0.0, "较大"),
        (10, 0, 0.0, "重大"),
        (29, 0, 0.0, "重大"),
        (30, 0, 0.0, "特别重大"),
        (0, 10, 0.0, "较大"),
        (0, 49, 0.0, "较大"),
        (0, 50, 0.0, "重大"),
        (0, 99, 0.0, "重大"),
        (0, 100, 0.0, "特别重大"),
        (0, 0, 1000.0, "较大"),
        (0, 0, 4999.99, "较大"),
        (0, 0, 5000.0, "重大"),
        (0, 0, 10000.0, "特别重大"),
        (3, 0, 5000.0, "重大"),  # the highest class reached wins
        (1, 100, 0.0, "特别重大"),
    ],
)
def test_severity_class_boundaries(deaths, serious, loss, expected):
    df = pd.DataFrame(
        {"deaths": [deaths], "serious_injuries": [serious], "direct_loss_wan": [loss]}
    )
    assert severity_class(df).iloc[0] == expected


def test_severity_class_is_ordered_and_aligned():
    df = pd.DataFrame(
        {"deaths": [0, 3], "serious_injuries": [0, 0], "direct_loss_wan": [0.0, 0.0]},
        index=[10, 20],
    )
    s = severity_class(df)
    assert list(s.index) == [10, 20]
    assert s.loc[20] > s.loc[10]


# --------------------------------------------------------------------------- dates


def test_parse_as_of_and_shift():
    assert parse_as_of("2020-10") == pd.Timestamp("2020-10-31")
    assert parse_as_of("2020-02") == pd.Timestamp("2020-02-29")
    assert parse_as_of("2020-10-23") == pd.Timestamp("2020-10-23")
    assert shift_months(pd.Timestamp("2020-02-29"), 12) == pd.Timestamp("2019-02-28")
    assert shift_months(pd.Timestamp("2021-02-28"), 12) == pd.Timestamp("2020-02-29")  # month end
    assert shift_months(pd.Timestamp("2020-10-31"), 1) == pd.Timestamp("2020-09-30")
    assert shift_months(pd.Timestamp("2020-03-30"), 1) == pd.Timestamp("2020-02-29")
    assert shift_months(pd.Timestamp("2020-10-23"), 1) == pd.Timestamp("2020-09-23")
    with pytest.raises(ParameterError, match="格式错误"):
        parse_as_of("十月")


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


def test_town_unit_and_district_only(tables):
    z = compute_indicators(tables, D, "2020-10", unit=Z)
    assert row(z, "accidents")["value"] == 2
    assert row(z, "accidents")["prior_value"] == 1
    lead = row(z, "leadership_meetings")
    assert math.isnan(lead["value"]) and not lead["applicable"]
    assert lead["value_text"] == "不适用"
    with pytest.raises(ParameterError):
        compute_indicators(tables, D, "2020-10", unit="不存在街道")
    with pytest.raises(ParameterError):
        compute_indicators(tables, "不存在区", "2020-10")


def test_breakdown_town_and_industry(tables):
    wide = breakdown(tables, D, "2020-10", ids=["accidents", "inspection_visits"], wide=True)
    assert wide.loc[Z, "accidents"] == 2 and wide.loc[B, "accidents"] == 1
    assert wide.loc[D, "accidents"] == 3
    long = breakdown(tables, D, "2020-10", ids=["accidents"])
    assert long.loc[long["town"] == Z, "share_pct"].iloc[0] == pytest.approx(200 / 3)
    # inspections have no industry column: taken from the roster via enterprise_id
    ind = breakdown(tables, D, "2020-10", by="industry", ids=["inspection_visits"], wide=True)
    assert ind.loc["工贸", "inspection_visits"] == 2  # E1 twice
    assert ind.loc["物流仓储", "inspection_visits"] == 1  # E3
    assert "镇（街道）" in to_display(long).columns


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
            category=draw(st.sampled_from(schema.INCIDENT_CATEGORIES)),
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
            dept=draw(st.sampled_from(schema.DEPARTMENTS[:3])),
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


# --------------------------------------------------------------------------- catalogue


def _cat(*indicators):
    return {"indicators": list(indicators)}


def _ind(**kw):
    base = {
        "id": "x",
        "name": "某指标",
        "unit": "起",
        "group": "总体情况",
        "table": "incidents",
        "measure": "count",
        "period": "ytd",
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (_cat(_ind(table="accidents")), "未知的表“accidents”"),
        (_cat(_ind(measure="sum", column="victims")), "没有列“victims”"),
        (_cat(_ind(measure="average")), "未知的计算方式“average”"),
        (_cat(_ind(filters={"deaths": {"between": 3}})), "未知的比较方式“between”"),
        (_cat(_ind(filters={"category": "交通事故"})), "取值“交通事故”不在允许范围内"),
        (_cat(_ind(filters={"weather": "雨"})), "没有列“weather”"),
        (_cat(_ind(), _ind()), "指标编号“x”重复"),
        (
            _cat(_ind(id="r", measure="ratio", numerator="x", denominator="nope", table=None)),
            "比率引用了不存在的指标“nope”",
        ),
        (
            _cat(
                _ind(id="a", measure="difference", minuend="b", subtrahend="b", table=None),
                _ind(id="b", measure="difference", minuend="a", subtrahend="a", table=None),
            ),
            "循环引用",
        ),
        (_cat(_ind(filters={"date": {"ge": "$as_of"}})), "$as_of 只能与 le 或 lt 连用"),
        (_cat(_ind(table="meetings")), "scope 应为 district"),
        (_cat(_ind(period="snapshot")), "统计期应为 ytd"),
        (_cat(_ind(id="Accidents")), "snake_case"),
        (_cat(_ind(group="其他")), "未知的栏目"),
        (_cat(_ind(colour="red")), "未知的字段“colour”"),
        ({"items": []}, "顶层应有 indicators 列表"),
    ],
)
def test_catalogue_validation_errors(raw, message):
    with pytest.raises(ConfigError) as err:
        parse_catalogue(raw)
    assert message in str(err.value)


def test_catalogue_lists_every_problem_at_once():
    raw = _cat(_ind(table="accidents"), _ind(id="y", measure="average"))
    with pytest.raises(ConfigError) as err:
        parse_catalogue(raw)
    assert "2 处问题" in str(err.value)


def test_shipped_catalogue_is_valid_and_derived_periods():
    cat = load_catalogue()
    assert len(cat) > 60
    assert cat["above_scale_coverage"].period == "snapshot"  # inherits from its inputs
    assert cat["hazard_rectification_rate"].period == "ytd"
    assert cat.additive("hazards_open") and not cat.additive("suspended_enterprises")
    assert cat["enforcement_cases"].filters[0].value == ENF  # token substituted


def test_adding_an_indicator_needs_no_code(tables):
    raw = _cat(
        _ind(id="accidents", filters={"category": "生产安全事故"}),
        _ind(id="deadly", filters={"category": "生产安全事故", "deaths": {"ge": 2}}),
        _ind(
            id="deadly_share",
            unit="%",
            measure="ratio",
            numerator="deadly",
            denominator="accidents",
            table=None,
        ),
    )
    df = compute_indicators(tables, D, "2020-10", catalogue=parse_catalogue(raw))
    assert row(df, "deadly")["value"] == 1  # I4 (2 deaths)
    assert row(df, "deadly_share")["value"] == pytest.approx(100 / 3)
    assert row(df, "deadly_share")["yoy_text"] == "同比降低16.7个百分点"  # 33.3 vs 50.0


def test_large_tables_smoke():
    spec = importlib.util.spec_from_file_location(
        "large_tables", config.PROJ_ROOT / "benchmarks" / "large_tables.py"
    )
    large_tables = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(large_tables)
    t = large_tables.make_large_tables(n_inspections=20_000, n_hazards=2_000, seed=3)
    panel = compute_panel(t, D, ["2020-06", "2020-12"])
    assert len(panel) == 2 * (len(TOWNS) + 1) * len(load_catalogue())
    dist = panel[(panel["area"] == D) & (panel["id"] == "inspection_visits")]
    assert dist["value"].iloc[1] == ((t["inspections"]["date"].dt.year == 2020).sum())
