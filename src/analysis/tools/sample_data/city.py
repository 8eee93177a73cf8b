"""The second synthetic sample (data/sample_city/): 示例城区, incidents and hazards only.

Monthly counts are drawn around a mean with a seasonal factor (city_facts), one record per
incident or hazard, from a fixed seed. The published monthly bulletins
(published_figures.csv) are then computed from these records (city_bulletins), so they
reconcile by construction.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

from analysis.inputs import schema
from analysis.settings import config
from analysis.tools.sample_data.city_bulletins import published_figures
from analysis.tools.sample_data.city_facts import (
    CITY_COMMAND,
    CITY_DISTRICT,
    CITY_END,
    CITY_SEED,
    CITY_START,
    GENERAL_HAZARDS,
    HAZARD_INDUSTRIES,
    HAZARD_SEASON,
    HAZARDS_PER_MONTH,
    ID_PREFIX,
    INDUSTRY_WEIGHTS,
    KINDS,
    MAJOR_HAZARDS,
    MONTHLY_MEAN,
    N_ENTERPRISES,
    SEASON,
    STREET_WEIGHTS,
    YEAR_TREND,
)
from analysis.tools.sample_data.files import csv_files, manifest_file_lines, write_folder
from analysis.tools.sample_data.tools import RandomTools, Row, money, month_end, months, number_rows


def _pick(rng, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


class CityGenerator(RandomTools):
    """Incidents and hazards of 示例城区, month by month."""

    def street(self) -> str:
        return _pick(self.rng, STREET_WEIGHTS)

    def monthly_count(self, mean: float) -> int:
        """A count around ``mean`` with Poisson-like spread (never negative)."""
        return max(0, round(self.rng.gauss(mean, math.sqrt(mean))))

    # ------------------------------------------------------------------ incidents

    def incidents(self) -> list[Row]:
        rows: list[Row] = []
        for y, m in months(CITY_START, CITY_END):
            for category, mean in MONTHLY_MEAN.items():
                factor = SEASON[category].get(m, 1.0) * YEAR_TREND[y]
                n = self.monthly_count(mean * factor)
                days = self._any_days(n, date(y, m, 1), month_end(y, m))
                rows += [self._incident(category, day) for day in days]
        rows.sort(key=lambda r: (r["date"], r["category"], r["town"]))
        number_rows(rows, "incident_id", lambda r: (ID_PREFIX[r["category"]], r["date"].year), 4)
        return rows

    def _incident(self, category: str, day: date) -> Row:
        rng = self.rng
        industry = _pick(rng, INDUSTRY_WEIGHTS[category])
        kind = rng.choice(KINDS[industry if category == "生产安全事故" else category])
        deaths, serious, injuries, loss = self._harm(category)
        town = self.street()
        what = "接报一起火警" if category == "火警" else f"发生一起{kind}"
        return {
            "district": CITY_DISTRICT,
            "town": town,
            "date": day,
            "category": category,
            "industry": industry,
            "accident_type": kind,
            "deaths": deaths,
            "serious_injuries": serious,
            "injuries": injuries,
            "direct_loss_wan": money(loss),
            "description": f"示例记录（合成）：{what}",
        }

    def _harm(self, category: str) -> tuple[int, int, int, float]:
        """(deaths, serious injuries, injuries incl. serious, direct loss in 万元)."""
        rng = self.rng
        if category == "火警":  # an alarm without a fire: no harm, no loss
            return 0, 0, 0, 0.0
        if category == "火灾":
            deaths = 1 if rng.random() < 0.004 else 0
            injuries = 1 if rng.random() < 0.03 else 0
            return deaths, 0, injuries, rng.uniform(0.05, 20)
        death_rate = 0.08 if category == "生产安全事故" else 0.1
        deaths = 1 if rng.random() < death_rate else 0
        serious = rng.choice((0, 0, 0, 1))
        injuries = serious + rng.choice((0, 1, 1, 2) if deaths else (1, 1, 2, 3))
        return deaths, serious, injuries, rng.uniform(0.2, 60 if deaths else 15)

    # ------------------------------------------------------------------ hazards

    def units(self) -> list[tuple[str, str, str]]:
        """(id, 街道, industry) of the units the hazards are found at."""
        return [
            (f"CQ{i:04d}", self.street(), _pick(self.rng, HAZARD_INDUSTRIES))
            for i in range(1, N_ENTERPRISES + 1)
        ]

    def hazards(self) -> list[Row]:
        units = self.units()
        rows: list[Row] = []
        for y, m in months(CITY_START, CITY_END):
            first, last = date(y, m, 1), month_end(y, m)
            n = self.monthly_count(HAZARDS_PER_MONTH * HAZARD_SEASON.get(m, 1.0))
            for found in self._any_days(n, first, last):
                rows.append(self._hazard(self.rng.choice(units), found, "一般"))
            if self.rng.random() < 0.3:  # a 重大 hazard in about one month out of three
                found = self._any_days(1, first, last)[0]
                rows.append(self._hazard(self.rng.choice(units), found, "重大"))
        rows.sort(key=lambda r: (r["found_date"], r["level"], r["enterprise_id"]))
        number_rows(rows, "hazard_id", lambda r: ("YH", r["found_date"].year), 4)
        return rows

    def _hazard(self, unit: tuple[str, str, str], found: date, level: str) -> Row:
        rng = self.rng
        major = level == "重大"
        deadline = found + timedelta(rng.choice((60, 90)) if major else 30)
        fixed = found + timedelta(rng.randint(15, 75) if major else rng.randint(1, 40))
        stubborn = rng.random() < 0.01
        done = fixed <= CITY_END and not stubborn
        text = rng.choice(MAJOR_HAZARDS if major else GENERAL_HAZARDS)
        return {
            "district": CITY_DISTRICT,
            "town": unit[1],
            "industry": unit[2],
            "enterprise_id": unit[0],
            "found_date": found,
            "level": level,
            "description": f"{text}（合成）",
            "deadline": deadline,
            "status": "已整改" if done else "整改中",
            "rectified_date": fixed if done else None,
        }


def generate_city(seed: int = CITY_SEED) -> dict[str, list[Row]]:
    """The two tables of the city sample as rows (dicts keyed by canonical column name)."""
    g = CityGenerator(seed)
    return {"incidents": g.incidents(), "hazards": g.hazards()}


def generate_city_with_figures(seed: int = CITY_SEED) -> dict[str, list[Row]]:
    """The records and the bulletins' published figures, in the contract's table order."""
    tables = generate_city(seed)
    out = {**tables, "published_figures": published_figures(tables)}
    return {name: out[name] for name in schema.TABLES if name in out}


CITY_DIR = config.DATA_DIR / "sample_city"
CITY_SYNTHETIC_TEXT = (
    "合成数据，非真实台账。SYNTHETIC DATA - not real records.\n"
    f"{CITY_DISTRICT}及其街道均为虚构。The district and its streets are fictional.\n"
    f"由 `{CITY_COMMAND}` 生成（随机种子 {CITY_SEED}）。"
    f"Generated by `{CITY_COMMAND}` (seed {CITY_SEED}).\n"
)


def _city_manifest(files: dict[str, bytes], rows: dict[str, int], seed: int) -> str:
    lines = [
        "# 示例数据清单 / Sample data manifest",
        f"# 合成数据，非真实台账：{CITY_DISTRICT}及其6个街道均为虚构，记录按月随机生成",
        "# （冬季和春节前后火灾、火警较多，夏季较少）；已发布数字（月度简报）由记录计算得出。",
        "# 仅用于演示和测试，不得作为真实统计数据引用。",
        "# SYNTHETIC data, not real records: a fictional city-centre district with 6 streets;",
        "# the published monthly bulletins are computed from the generated records.",
        "synthetic: true",
        "说明: 合成数据，非真实台账；虚构的城区，只有事故与火灾、隐患台账两张表。",
        "description: Synthetic incidents and hazards of a fictional district, 2022-2024.",
        f"district: {CITY_DISTRICT}",
        f"period: {CITY_START.isoformat()}..{CITY_END.isoformat()}",
        "generator:",
        f'  command: "{CITY_COMMAND}"',
        "  module: analysis.tools.sample_data.city",
        f"  seed: {seed}",
        "  encoding: utf-8-sig (UTF-8 with BOM)",
        "  headers: canonical English column names (see docs/数据字典.md)",
        "not_provided:  # 未提供的表 / tables this sample does not have",
        *(f"  - {name}.csv" for name in schema.TABLES if name not in rows),
        *manifest_file_lines(files, rows),
    ]
    return "\n".join(lines) + "\n"


def write_city_sample(out_dir: str | Path | None = None, seed: int = CITY_SEED) -> list[Path]:
    """Write the city sample (data/sample_city/ by default): incidents, hazards, published
    figures, MANIFEST.yaml and SYNTHETIC; return the paths written."""
    out_dir = Path(out_dir) if out_dir is not None else CITY_DIR
    tables = generate_city_with_figures(seed)
    files = csv_files(tables)
    manifest = _city_manifest(files, {name: len(rows) for name, rows in tables.items()}, seed)
    return write_folder(
        out_dir, files, {"MANIFEST.yaml": manifest, "SYNTHETIC": CITY_SYNTHETIC_TEXT}
    )
