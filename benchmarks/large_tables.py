"""A synthetic data set of the contract's shape for the benchmarks (never for briefings).

from large_tables import make_large_tables   # benchmarks/ on sys.path
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config, schema


def make_large_tables(
    n_inspections: int = 1_000_000,
    n_hazards: int = 100_000,
    seed: int = 0,
    district: str = "钟楼区",
    n_enterprises: int = 20_000,
) -> dict[str, pd.DataFrame]:
    """A synthetic data set of the contract's shape for benchmarks (2019-01-01..2020-12-31).

    Not for briefings: values are random. Every table of the contract is present."""
    rng = np.random.default_rng(seed)
    towns = np.array(config.towns_of(district), dtype=object)
    depts = np.array(schema.DEPARTMENTS, dtype=object)
    industries = np.array(schema.INDUSTRIES, dtype=object)
    start = np.datetime64("2019-01-01")
    n_days = 731

    def dates(n):
        return pd.to_datetime(start + rng.integers(0, n_days, n).astype("timedelta64[D]"))

    ent_ids = np.array([f"E{i:06d}" for i in range(n_enterprises)], dtype=object)
    ent_town = towns[rng.integers(0, len(towns), n_enterprises)]
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ent_ids,
            "enterprise_name": ent_ids,
            "district": district,
            "town": ent_town,
            "industry": industries[rng.integers(0, len(industries), n_enterprises)],
            "scale": np.where(rng.random(n_enterprises) < 0.1, "规上", "规下"),
            "hazchem": rng.random(n_enterprises) < 0.01,
            "standardization_grade": np.array(schema.STANDARDIZATION_GRADES, dtype=object)[
                rng.integers(0, 4, n_enterprises)
            ],
            "briefed_date": dates(n_enterprises).where(rng.random(n_enterprises) < 0.8),
            "model_enterprise": rng.random(n_enterprises) < 0.005,
        }
    )
    ie = rng.integers(0, n_enterprises, n_inspections)
    inspections = pd.DataFrame(
        {
            "inspection_id": np.arange(n_inspections).astype(str).astype(object),
            "district": district,
            "town": ent_town[ie],
            "date": dates(n_inspections),
            "department": depts[rng.integers(0, len(depts), n_inspections)],
            "enterprise_id": ent_ids[ie],
            "in_plan": rng.random(n_inspections) < 0.3,
            "inspectors": rng.integers(1, 5, n_inspections),
            "experts": rng.integers(0, 2, n_inspections),
        }
    )
    he = rng.integers(0, n_enterprises, n_hazards)
    found = dates(n_hazards)
    fixed = rng.random(n_hazards) < 0.9
    rect = (found + pd.to_timedelta(rng.integers(0, 60, n_hazards), unit="D")).where(fixed)
    hazards = pd.DataFrame(
        {
            "hazard_id": np.arange(n_hazards).astype(str).astype(object),
            "district": district,
            "town": ent_town[he],
            "industry": enterprises["industry"].to_numpy()[he],
            "enterprise_id": ent_ids[he],
            "found_date": found,
            "level": np.where(rng.random(n_hazards) < 0.01, "重大", "一般"),
            "description": None,
            "deadline": found + pd.Timedelta(days=30),
            "status": np.where(fixed, "已整改", "整改中"),
            "rectified_date": rect,
        }
    )
    n_inc = 2000
    incidents = pd.DataFrame(
        {
            "incident_id": np.arange(n_inc).astype(str).astype(object),
            "district": district,
            "town": towns[rng.integers(0, len(towns), n_inc)],
            "date": dates(n_inc),
            "category": np.where(rng.random(n_inc) < 0.5, "生产安全事故", "火灾"),
            "industry": industries[rng.integers(0, len(industries), n_inc)],
            "accident_type": "其他",
            "deaths": rng.integers(0, 2, n_inc),
            "serious_injuries": rng.integers(0, 3, n_inc),
            "injuries": rng.integers(3, 6, n_inc),
            "direct_loss_wan": rng.random(n_inc) * 100,
            "description": None,
        }
    )
    n_cases = 20_000
    ce = rng.integers(0, n_enterprises, n_cases)
    cases = pd.DataFrame(
        {
            "case_id": np.arange(n_cases).astype(str).astype(object),
            "district": district,
            "town": ent_town[ce],
            "department": depts[rng.integers(0, len(depts), n_cases)],
            "enterprise_id": ent_ids[ce],
            "filing_date": dates(n_cases),
            "kind": np.where(rng.random(n_cases) < 0.8, "事前", "事故"),
            "fine_wan": np.round(rng.random(n_cases) * 10, 2),
            "suspension": rng.random(n_cases) < 0.05,
        }
    )
    n_out = 5000
    outreach = pd.DataFrame(
        {
            "event_id": np.arange(n_out).astype(str).astype(object),
            "district": district,
            "town": towns[rng.integers(0, len(towns), n_out)],
            "date": dates(n_out),
            "event_type": np.array(schema.OUTREACH_TYPES, dtype=object)[rng.integers(0, 4, n_out)],
            "audience": np.array(schema.OUTREACH_AUDIENCES, dtype=object)[
                rng.integers(0, 4, n_out)
            ],
            "participants": rng.integers(0, 200, n_out),
            "materials": rng.integers(0, 500, n_out),
        }
    )
    plan_e = rng.choice(n_enterprises, 400, replace=False)
    enforcement_plan = pd.DataFrame(
        {
            "year": np.repeat([2019, 2020], 200),
            "district": district,
            "department": schema.DEPARTMENTS[0],
            "enterprise_id": ent_ids[plan_e],
        }
    )
    media = pd.DataFrame(
        {
            "report_id": ["M1", "M2"],
            "district": district,
            "date": pd.to_datetime(["2020-03-01", "2020-05-01"]),
            "outlet": ["中国应急管理报", "江苏卫视"],
            "title": None,
        }
    )
    meetings = pd.DataFrame(
        {
            "meeting_id": ["H1", "H2"],
            "district": district,
            "date": pd.to_datetime(["2019-03-01", "2020-05-01"]),
            "body": list(schema.MEETING_BODIES),
            "topic": None,
        }
    )
    campaign = pd.DataFrame(
        {
            "item_id": ["C1"],
            "district": district,
            "town": [None],
            "campaign": ["特种设备"],
            "item": ["物流市场叉车整改完成"],
            "value": [129.0],
            "unit": ["台"],
            "as_of": pd.to_datetime(["2020-06-30"]),
            "qualifier": [None],
        }
    )
    return {
        "enterprises": enterprises,
        "incidents": incidents,
        "inspections": inspections,
        "enforcement_plan": enforcement_plan,
        "hazards": hazards,
        "cases": cases,
        "outreach": outreach,
        "media": media,
        "meetings": meetings,
        "campaign_progress": campaign,
    }
