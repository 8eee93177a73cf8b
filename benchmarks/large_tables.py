"""A synthetic data set of the contract's shape for the benchmarks (never for briefings).

from large_tables import make_large_tables   # benchmarks/ on sys.path
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.inputs import schema
from analysis.settings import places, reference_data


class _Generator:
    """Random rows 2019-01-01..2020-12-31; tables drawn in a fixed order from one seed."""

    def __init__(self, seed: int, district: str, n_enterprises: int):
        self.rng = np.random.default_rng(seed)
        self.district = district
        self.n_enterprises = n_enterprises
        self.towns = np.array(places.towns_of(district), dtype=object)
        self.depts = np.array(reference_data.names("departments"), dtype=object)
        self.industries = np.array(reference_data.names("industries", district), dtype=object)

    def dates(self, n: int) -> pd.DatetimeIndex:
        days = self.rng.integers(0, 731, n).astype("timedelta64[D]")
        return pd.to_datetime(np.datetime64("2019-01-01") + days)

    def enterprises(self) -> pd.DataFrame:
        self.ent_ids = np.array([f"E{i:06d}" for i in range(self.n_enterprises)], dtype=object)
        self.ent_town = self.towns[self.rng.integers(0, len(self.towns), self.n_enterprises)]
        enterprises = pd.DataFrame(
            {
                "enterprise_id": self.ent_ids,
                "enterprise_name": self.ent_ids,
                "district": self.district,
                "town": self.ent_town,
                "industry": self.industries[
                    self.rng.integers(0, len(self.industries), self.n_enterprises)
                ],
                "scale": np.where(self.rng.random(self.n_enterprises) < 0.1, "规上", "规下"),
                "hazchem": self.rng.random(self.n_enterprises) < 0.01,
                "standardization_grade": np.array(schema.STANDARDIZATION_GRADES, dtype=object)[
                    self.rng.integers(0, 4, self.n_enterprises)
                ],
                "briefed_date": self.dates(self.n_enterprises).where(
                    self.rng.random(self.n_enterprises) < 0.8
                ),
                "model_enterprise": self.rng.random(self.n_enterprises) < 0.005,
            }
        )
        return enterprises

    def inspections(self, n_inspections: int) -> pd.DataFrame:
        ie = self.rng.integers(0, self.n_enterprises, n_inspections)
        inspections = pd.DataFrame(
            {
                "inspection_id": np.arange(n_inspections).astype(str).astype(object),
                "district": self.district,
                "town": self.ent_town[ie],
                "date": self.dates(n_inspections),
                "department": self.depts[self.rng.integers(0, len(self.depts), n_inspections)],
                "enterprise_id": self.ent_ids[ie],
                "in_plan": self.rng.random(n_inspections) < 0.3,
                "inspectors": self.rng.integers(1, 5, n_inspections),
                "experts": self.rng.integers(0, 2, n_inspections),
            }
        )
        return inspections

    def hazards(self, n_hazards: int, enterprises: pd.DataFrame) -> pd.DataFrame:
        he = self.rng.integers(0, self.n_enterprises, n_hazards)
        found = self.dates(n_hazards)
        fixed = self.rng.random(n_hazards) < 0.9
        rect = (found + pd.to_timedelta(self.rng.integers(0, 60, n_hazards), unit="D")).where(fixed)
        hazards = pd.DataFrame(
            {
                "hazard_id": np.arange(n_hazards).astype(str).astype(object),
                "district": self.district,
                "town": self.ent_town[he],
                "industry": enterprises["industry"].to_numpy()[he],
                "enterprise_id": self.ent_ids[he],
                "found_date": found,
                "level": np.where(self.rng.random(n_hazards) < 0.01, "重大", "一般"),
                "description": None,
                "deadline": found + pd.Timedelta(days=30),
                "status": np.where(fixed, "已整改", "整改中"),
                "rectified_date": rect,
            }
        )
        return hazards

    def incidents(self) -> pd.DataFrame:
        n_inc = 2000
        incidents = pd.DataFrame(
            {
                "incident_id": np.arange(n_inc).astype(str).astype(object),
                "district": self.district,
                "town": self.towns[self.rng.integers(0, len(self.towns), n_inc)],
                "date": self.dates(n_inc),
                "category": np.where(self.rng.random(n_inc) < 0.5, "生产安全事故", "火灾"),
                "industry": self.industries[self.rng.integers(0, len(self.industries), n_inc)],
                "accident_type": "其他",
                "deaths": self.rng.integers(0, 2, n_inc),
                "serious_injuries": self.rng.integers(0, 3, n_inc),
                "injuries": self.rng.integers(3, 6, n_inc),
                "direct_loss_wan": self.rng.random(n_inc) * 100,
                "description": None,
            }
        )
        return incidents

    def cases(self) -> pd.DataFrame:
        n_cases = 20_000
        ce = self.rng.integers(0, self.n_enterprises, n_cases)
        cases = pd.DataFrame(
            {
                "case_id": np.arange(n_cases).astype(str).astype(object),
                "district": self.district,
                "town": self.ent_town[ce],
                "department": self.depts[self.rng.integers(0, len(self.depts), n_cases)],
                "enterprise_id": self.ent_ids[ce],
                "filing_date": self.dates(n_cases),
                "kind": np.where(self.rng.random(n_cases) < 0.8, "事前", "事故"),
                "fine_wan": np.round(self.rng.random(n_cases) * 10, 2),
                "suspension": self.rng.random(n_cases) < 0.05,
            }
        )
        return cases

    def outreach(self) -> pd.DataFrame:
        n_out = 5000
        outreach = pd.DataFrame(
            {
                "event_id": np.arange(n_out).astype(str).astype(object),
                "district": self.district,
                "town": self.towns[self.rng.integers(0, len(self.towns), n_out)],
                "date": self.dates(n_out),
                "event_type": np.array(schema.OUTREACH_TYPES, dtype=object)[
                    self.rng.integers(0, 4, n_out)
                ],
                "audience": np.array(schema.OUTREACH_AUDIENCES, dtype=object)[
                    self.rng.integers(0, 4, n_out)
                ],
                "participants": self.rng.integers(0, 200, n_out),
                "materials": self.rng.integers(0, 500, n_out),
            }
        )
        return outreach

    def enforcement_plan(self) -> pd.DataFrame:
        plan_e = self.rng.choice(self.n_enterprises, 400, replace=False)
        enforcement_plan = pd.DataFrame(
            {
                "year": np.repeat([2019, 2020], 200),
                "district": self.district,
                "department": reference_data.names("departments")[0],
                "enterprise_id": self.ent_ids[plan_e],
            }
        )
        return enforcement_plan


def make_large_tables(
    n_inspections: int = 1_000_000,
    n_hazards: int = 100_000,
    seed: int = 0,
    district: str = "钟楼区",
    n_enterprises: int = 20_000,
) -> dict[str, pd.DataFrame]:
    """A synthetic data set of the contract's shape (every table present) for benchmarks.

    Not for briefings: values are random."""
    gen = _Generator(seed, district, n_enterprises)
    enterprises = gen.enterprises()
    tables = {
        "enterprises": enterprises,
        "inspections": gen.inspections(n_inspections),
        "hazards": gen.hazards(n_hazards, enterprises),
        "incidents": gen.incidents(),
        "cases": gen.cases(),
        "outreach": gen.outreach(),
        "enforcement_plan": gen.enforcement_plan(),
        **_fixed_tables(district),
    }
    order = ("enterprises", "incidents", "inspections", "enforcement_plan", "hazards", "cases")
    order += ("outreach", "media", "meetings", "campaign_progress")
    return {name: tables[name] for name in order}


def _fixed_tables(district: str) -> dict[str, pd.DataFrame]:
    """Media, meetings and one campaign item: a few hand-written rows."""
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
    return {"media": media, "meetings": meetings, "campaign_progress": campaign}
