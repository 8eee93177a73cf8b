"""Small hand-made tables for the indicator tests, with answers worked out by hand."""

from __future__ import annotations

import pandas as pd

from analysis.inputs import schema
from analysis.settings import places, reference_data

D = "钟楼区"
TOWNS = places.towns_of(D)
Z, B = TOWNS[0], TOWNS[1]  # 邹区镇, 北港街道
ENF = reference_data.reference()["enforcement_department"]


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


def hand_made_tables() -> dict[str, pd.DataFrame]:
    """The tables above, as the loader would give them."""
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


def cat_data(*indicators):
    """A catalogue document as yaml.safe_load gives it."""
    return {"indicators": list(indicators)}


def ind_data(**kw):
    """One catalogue entry: a count of incidents unless ``kw`` says otherwise."""
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
