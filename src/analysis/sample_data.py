"""Deterministic generator of the SYNTHETIC record-level sample data (data/sample/).

The data are made up (合成数据，非真实台账): they are generated backwards from the figures
published in the seed report (钟楼区, to the end of October 2020; see /tmp/figures_spec.md
and docs/assumptions.md A1) so that recomputing the report's section 一 from the records
gives exactly the published numbers. Everything else (towns, months, industries, fines of
single cases, …) is random but plausible, from a fixed seed, so the files are byte-identical
on every run.

Usage::

    python -m analysis.sample_data            # writes into data/sample/
    python -m analysis.sample_data OUT_DIR    # writes elsewhere

Output: one UTF-8-with-BOM CSV per table of the contract (except published_figures, which
is maintained by hand), with the canonical English column names as headers (the stable
machine names; docs/数据字典.md gives the Chinese names, and the loader also accepts Chinese
headers), plus ``MANIFEST.yaml`` and a ``SYNTHETIC`` marker file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from analysis import config, schema

SEED = 20201031
DISTRICT = "钟楼区"
START = date(2019, 1, 1)
END = date(2020, 10, 31)
OUTREACH_AS_OF = date(2020, 10, 23)
EMERGENCY = "区应急管理局"
COMMAND = "python -m analysis.sample_data"
NOT_GENERATED = ("published_figures",)  # maintained by hand from the seed report

TOWN_WEIGHTS = {  # 邹区镇: the big industrial town with the logistics park
    "邹区镇": 34,
    "北港街道": 10,
    "西林街道": 10,
    "南大街街道": 6,
    "荷花池街道": 9,
    "新闸街道": 11,
    "五星街道": 10,
    "永红街道": 10,
}

Row = dict[str, object]


def _money(x: float) -> str:
    return f"{x:.2f}"


class _Generator:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.towns = config.towns_of(DISTRICT)
        self.town_weights = [TOWN_WEIGHTS.get(t, 8) for t in self.towns]

    # ------------------------------------------------------------------ primitives

    def town(self, zouqu_bias: float = 0.0) -> str:
        if zouqu_bias and "邹区镇" in self.towns and self.rng.random() < zouqu_bias:
            return "邹区镇"
        return self.rng.choices(self.towns, self.town_weights)[0]

    def split(self, total: int, n: int, minimum: int = 1, spread: float = 0.7) -> list[int]:
        """n positive integers >= minimum summing exactly to total, randomly uneven."""
        rest = total - n * minimum
        if n <= 0 or rest < 0:
            raise ValueError(f"cannot split {total} into {n} parts of at least {minimum}")
        weights = [self.rng.uniform(1 - spread, 1 + spread) for _ in range(n)]
        wsum = sum(weights)
        raw = [rest * w / wsum for w in weights]
        parts = [int(r) for r in raw]
        order = sorted(range(n), key=lambda i: (parts[i] - raw[i], i))
        for i in order[: rest - sum(parts)]:
            parts[i] += 1
        return [p + minimum for p in parts]

    def workdays(self, start: date, end: date, k: int, month_weights=None) -> list[date]:
        """k random working days (Mon–Fri) in [start, end], sorted."""
        days = [start + timedelta(i) for i in range((end - start).days + 1)]
        days = [d for d in days if d.weekday() < 5]
        weights = [(month_weights or {}).get(d.month, 1.0) for d in days]
        return sorted(self.rng.choices(days, weights, k=k))

    def adjust_to_sum(self, values: list[int], target: int, hi: int) -> list[int]:
        """Nudge random entries by ±1 (within 0..hi) until they sum to target."""
        values = list(values)
        total = sum(values)
        n = len(values)
        while total != target:
            i = self.rng.randrange(n)
            if total > target and values[i] > 0:
                values[i] -= 1
                total -= 1
            elif total < target and values[i] < hi:
                values[i] += 1
                total += 1
        return values

    # ------------------------------------------------------------------ enterprises

    def enterprises(self) -> list[Row]:
        rng = self.rng
        n_above, n_below = 298, 4091
        scales = ["规上"] * n_above + ["规下"] * n_below
        rng.shuffle(scales)
        above = [i for i, s in enumerate(scales) if s == "规上"]
        below = [i for i, s in enumerate(scales) if s == "规下"]

        def industries(counts: dict[str, int], n: int) -> list[str]:
            out = [ind for ind, k in counts.items() for _ in range(k)]
            out += ["工贸"] * (n - len(out))
            rng.shuffle(out)
            return out

        industry: dict[int, str] = {}
        above_ind = {"危险化学品": 8, "物流仓储": 15, "建筑施工": 20, "道路运输": 5, "特种设备": 3}
        below_ind = {
            "危险化学品": 12,
            "物流仓储": 600,
            "建筑施工": 300,
            "道路运输": 250,
            "特种设备": 80,
            "城镇燃气": 25,  # 4 贮配站 + 21 供应站点
            "教育": 40,
            "社会服务": 60,
            "消防": 8,
        }
        for idx, ind in zip(above, industries(above_ind, n_above), strict=True):
            industry[idx] = ind
        for idx, ind in zip(below, industries(below_ind, n_below), strict=True):
            industry[idx] = ind

        n = n_above + n_below
        rows: list[Row] = []
        for i in range(n):
            ind = industry[i]
            bias = {"物流仓储": 0.7, "工贸": 0.3, "危险化学品": 0.4, "道路运输": 0.4}.get(ind, 0)
            rows.append(
                {
                    "enterprise_id": f"E{i + 1:05d}",
                    "enterprise_name": f"示例企业{i + 1:04d}（合成）",
                    "district": DISTRICT,
                    "town": self.town(bias),
                    "industry": ind,
                    "scale": scales[i],
                    "hazchem": ind == "危险化学品",
                    "standardization_grade": "无",
                    "briefed_date": None,
                    "model_enterprise": False,
                }
            )
        self._grade(rows, above, below, industry)
        # “百团进百万企业” briefing coverage: all 298 规上 and 3600 规下 by 2020-10-23,
        # 20 more 规下 in the last week of October, the rest not yet covered.
        spring = {3: 2.0, 4: 2.0, 5: 1.5}
        for i, d in zip(
            above, self._dates(n_above, date(2020, 3, 2), OUTREACH_AS_OF, spring), strict=True
        ):
            rows[i]["briefed_date"] = d
        order = list(below)
        rng.shuffle(order)
        covered = order[:3600]
        late = order[3600:3620]
        for i, d in zip(
            covered, self._dates(3600, date(2020, 3, 2), OUTREACH_AS_OF, spring), strict=True
        ):
            rows[i]["briefed_date"] = d
        for i, d in zip(late, self._dates(20, date(2020, 10, 24), END), strict=True):
            rows[i]["briefed_date"] = d
        return rows

    def _grade(self, rows: list[Row], above: list[int], below: list[int], industry) -> None:
        """Standardisation: 二级 20 (规上), 三级 164 (110 规上 + 54 规下), only 工贸/危化."""
        rng = self.rng
        eligible_above = [i for i in above if industry[i] in ("工贸", "危险化学品")]
        eligible_below = [i for i in below if industry[i] == "工贸"]
        picked = rng.sample(eligible_above, 130)
        grade2, grade3_above = picked[:20], picked[20:]
        grade3 = grade3_above + rng.sample(eligible_below, 54)
        for i in grade2:
            rows[i]["standardization_grade"] = "二级"
        for i in grade3:
            rows[i]["standardization_grade"] = "三级"
        for i in rng.sample(grade2, 12):
            rows[i]["model_enterprise"] = True

    def _dates(self, k: int, start: date, end: date, month_weights=None) -> list[date]:
        out = self.workdays(start, end, k, month_weights)
        self.rng.shuffle(out)
        return out

    # ------------------------------------------------------------------ incidents

    ACCIDENT_TYPES = {
        "物流仓储": ("车辆伤害", "高处坠落", "物体打击", "起重伤害"),
        "建筑施工": ("高处坠落", "物体打击", "坍塌", "起重伤害"),
        "工贸": ("机械伤害", "物体打击", "触电", "起重伤害", "灼烫"),
        "道路运输": ("车辆伤害",),
        "特种设备": ("起重伤害", "车辆伤害"),
    }
    ACCIDENT_INDUSTRY_WEIGHTS = {
        "物流仓储": 30,
        "建筑施工": 25,
        "工贸": 30,
        "道路运输": 10,
        "特种设备": 5,
    }
    FIRE_TYPES = (("电气火灾", 45), ("用火不慎", 20), ("遗留火种", 15), ("自燃", 10), ("其他", 10))
    FIRE_INDUSTRY_WEIGHTS = {"消防": 55, "工贸": 20, "物流仓储": 15, "社会服务": 10}
    NO_FEB = {2: 0.2}  # 2020-02: few activities (COVID-19)

    def incidents(self) -> list[Row]:
        rows: list[Row] = []
        y19, ytd19_end, y19_end = date(2019, 1, 1), date(2019, 10, 31), date(2019, 12, 31)
        y20 = date(2020, 1, 1)
        rows += self._accidents(60, [2] + [1] * 7, y19, ytd19_end)
        rows += self._accidents(6, [1], date(2019, 11, 1), y19_end)
        rows += self._accidents(9, [1, 1, 1, 1], y20, END, self.NO_FEB)
        rows += self._fires(71, y19, ytd19_end, injured=1)
        rows += self._fires(8, date(2019, 11, 1), y19_end)
        rows += self._fires(45, y20, END, month_weights=self.NO_FEB)
        rows.sort(key=lambda r: (r["date"], r["category"], r["town"]))
        counters: dict[tuple[str, int], int] = {}
        for r in rows:
            key = ("SG" if r["category"] == "生产安全事故" else "HZ", r["date"].year)
            counters[key] = counters.get(key, 0) + 1
            r["incident_id"] = f"{key[0]}-{key[1]}-{counters[key]:03d}"
        return rows

    def _any_days(self, k: int, start: date, end: date, month_weights=None) -> list[date]:
        days = [start + timedelta(i) for i in range((end - start).days + 1)]
        weights = [(month_weights or {}).get(d.month, 1.0) for d in days]
        return self.rng.choices(days, weights, k=k)

    def _accidents(self, n, deaths_list, start, end, month_weights=None) -> list[Row]:
        rng = self.rng
        deaths = list(deaths_list) + [0] * (n - len(deaths_list))
        rng.shuffle(deaths)
        inds = list(self.ACCIDENT_INDUSTRY_WEIGHTS)
        weights = list(self.ACCIDENT_INDUSTRY_WEIGHTS.values())
        out = []
        for d, day in zip(deaths, self._any_days(n, start, end, month_weights), strict=True):
            ind = rng.choices(inds, weights)[0]
            kind = rng.choice(self.ACCIDENT_TYPES[ind])
            serious = rng.choice((0, 1)) if d else rng.choice((0, 0, 1, 1, 2))
            injuries = serious + rng.choice((0, 0, 1, 2))
            if d == 0 and injuries == 0:
                injuries = 1
            loss = rng.uniform(80, 260) if d else rng.uniform(1, 60)
            town = self.town(0.45 if ind in ("物流仓储", "道路运输") else 0.2)
            out.append(
                {
                    "district": DISTRICT,
                    "town": town,
                    "date": day,
                    "category": "生产安全事故",
                    "industry": ind,
                    "accident_type": kind,
                    "deaths": d,
                    "serious_injuries": serious,
                    "injuries": injuries,
                    "direct_loss_wan": _money(loss),
                    "description": f"示例记录（合成）：{town}{ind}领域发生一起{kind}事故",
                }
            )
        return out

    def _fires(self, n, start, end, injured: int = 0, month_weights=None) -> list[Row]:
        rng = self.rng
        types = [t for t, _ in self.FIRE_TYPES]
        tw = [w for _, w in self.FIRE_TYPES]
        inds = list(self.FIRE_INDUSTRY_WEIGHTS)
        iw = list(self.FIRE_INDUSTRY_WEIGHTS.values())
        out = []
        for k, day in enumerate(self._any_days(n, start, end, month_weights)):
            kind = rng.choices(types, tw)[0]
            ind = rng.choices(inds, iw)[0]
            town = self.town(0.2)
            out.append(
                {
                    "district": DISTRICT,
                    "town": town,
                    "date": day,
                    "category": "火灾",
                    "industry": ind,
                    "accident_type": kind,
                    "deaths": 0,
                    "serious_injuries": 0,
                    "injuries": 1 if k < injured else 0,
                    "direct_loss_wan": _money(rng.uniform(0.1, 30)),
                    "description": f"示例记录（合成）：{town}发生一起{kind}",
                }
            )
        return out

    # ------------------------------------------------------------------ meetings, media

    MEETING_TOPICS = (
        "听取全区安全生产工作情况汇报",
        "研究安全生产专项整治三年行动工作方案",
        "研究部署节假日及重要时段安全防范工作",
        "听取邹区镇物流园区专项整治进展汇报",
        "研究安全生产重点工作清单落实情况",
        "听取重大隐患整改情况汇报",
    )

    def meetings(self) -> list[Row]:
        rows: list[Row] = []
        plan = [
            ("区委常委会", 4, date(2019, 1, 1), date(2019, 12, 31)),
            ("区政府常务会议", 6, date(2019, 1, 1), date(2019, 12, 31)),
            ("区委常委会", 5, date(2020, 1, 1), END),
            ("区政府常务会议", 7, date(2020, 1, 1), END),
        ]
        for body, k, start, end in plan:
            for d in self.workdays(start, end, k):
                rows.append(
                    {
                        "district": DISTRICT,
                        "date": d,
                        "body": body,
                        "topic": self.rng.choice(self.MEETING_TOPICS),
                    }
                )
        rows.sort(key=lambda r: (r["date"], r["body"]))
        counters: dict[int, int] = {}
        for r in rows:
            y = r["date"].year
            counters[y] = counters.get(y, 0) + 1
            r["meeting_id"] = f"HY-{y}-{counters[y]:03d}"
        return rows

    MEDIA = (
        ("中国应急管理报", 7),
        ("江苏卫视", 1),
        ("常州电视台", 2),
        ("新钟楼·常州日报", 16),
        ("学习强国江苏学习平台", 1),
        ("应急管理部微信平台", 1),
        ("央视12套《应急时刻》", 1),
    )
    MEDIA_TITLES = (
        "钟楼区扎实推进安全生产专项整治（示例标题）",
        "钟楼区安全普法执法典型做法（示例标题）",
        "一线监管执法人员先进事迹（示例标题）",
        "钟楼区“百团进百万企业”宣讲活动（示例标题）",
    )

    def media(self) -> list[Row]:
        rows: list[Row] = []
        for outlet, k in self.MEDIA:
            for d in self._any_days(k, date(2020, 1, 6), END, self.NO_FEB):
                rows.append(
                    {
                        "district": DISTRICT,
                        "date": d,
                        "outlet": outlet,
                        "title": self.rng.choice(self.MEDIA_TITLES),
                    }
                )
        rows.sort(key=lambda r: (r["date"], r["outlet"]))
        for i, r in enumerate(rows, 1):
            r["report_id"] = f"MT-2020-{i:03d}"
        return rows

    # ------------------------------------------------------------------ outreach

    def outreach(self) -> list[Row]:
        rng = self.rng
        rows: list[Row] = []
        spring = {3: 2.5, 4: 2.5, 5: 1.5, 1: 0.3, 2: 0.1}
        start = date(2020, 1, 2)
        after = (date(2020, 10, 24), END)

        def add(kind, audience, d, participants, materials):
            rows.append(
                {
                    "district": DISTRICT,
                    "town": self.town(0.1),
                    "date": d,
                    "event_type": kind,
                    "audience": audience,
                    "participants": participants,
                    "materials": materials,
                }
            )

        audiences = ("规上企业", "规下企业", "镇街领导班子", "社会公众")
        # 集中宣讲: 92 by 10-23 with 8136 participants (published “8100余”), 3 after
        for d, p in zip(
            self._any_days(92, start, OUTREACH_AS_OF, spring),
            self.split(8136, 92, minimum=30),
            strict=True,
        ):
            add("集中宣讲", rng.choices(audiences, (30, 45, 10, 15))[0], d, p, 0)
        for d in self._any_days(3, *after):
            add("集中宣讲", "规下企业", d, rng.randint(60, 120), 0)
        # 视频教材播放: 58 by 10-23, 2 after
        for d in self._any_days(58, start, OUTREACH_AS_OF, spring):
            add("视频教材播放", rng.choice(audiences[:2]), d, rng.randint(20, 80), 0)
        for d in self._any_days(2, *after):
            add("视频教材播放", "规下企业", d, rng.randint(20, 80), 0)
        # 宣传手册发放: 37260 copies by 10-23 (published “37000余”), 1 after
        for d, m in zip(
            self._any_days(40, start, OUTREACH_AS_OF, spring),
            self.split(37260, 40, minimum=200),
            strict=True,
        ):
            add("宣传手册发放", rng.choice(("社会公众", "规下企业")), d, 0, m)
        add("宣传手册发放", "社会公众", self._any_days(1, *after)[0], 0, 800)
        # 在线学习: one row per town and audience; 235 / 128 / 75 by 10-23
        for audience, total in (("规上企业", 235), ("规下企业", 128), ("镇街领导班子", 75)):
            parts = self.split(total, len(self.towns), minimum=3)
            days = self._any_days(len(self.towns), date(2020, 6, 1), OUTREACH_AS_OF)
            for town, p, d in zip(self.towns, parts, days, strict=True):
                add("在线学习", audience, d, p, 0)
                rows[-1]["town"] = town
        add("在线学习", "规下企业", date(2020, 10, 28), 15, 0)
        add("在线学习", "镇街领导班子", date(2020, 10, 29), 3, 0)
        rows.sort(key=lambda r: (r["date"], r["event_type"], r["town"]))
        for i, r in enumerate(rows, 1):
            r["event_id"] = f"XC-2020-{i:04d}"
        return rows

    # ------------------------------------------------------------------ inspections etc.

    DEPT_INDUSTRIES = {
        "区应急管理局": ("工贸", "危险化学品"),
        "区住房城乡建设局": ("建筑施工",),
        "区交通运输局": ("道路运输", "物流仓储"),
        "区市场监管局": ("特种设备", "工贸", "物流仓储"),
        "区消防救援大队": None,  # every industry
        "区教育局": ("教育",),
        "区民政局": ("社会服务",),
        "区商务局": ("物流仓储", "工贸"),
        "区城管局": ("城镇燃气",),
        "区民族宗教事务局": ("社会服务",),
    }
    # inspection rows (家次) per department, YTD 2020 (sum 7688 ≥ published “7675余”)
    ROWS_2020 = {
        "区住房城乡建设局": 1500,
        "区交通运输局": 900,
        "区市场监管局": 1300,
        "区消防救援大队": 2300,
        "区教育局": 250,
        "区民政局": 200,
        "区商务局": 300,
        "区城管局": 400,
        "区民族宗教事务局": 118,
    }
    EMERGENCY_ROWS_2020 = 420

    def prepare_pools(self, enterprises: list[Row]) -> None:
        rng = self.rng
        self.ent = {r["enterprise_id"]: r for r in enterprises}
        ids = sorted(self.ent)
        self.pool = {
            dept: [i for i in ids if inds is None or self.ent[i]["industry"] in inds]
            for dept, inds in self.DEPT_INDUSTRIES.items()
        }
        em = self.pool[EMERGENCY]
        self.plan = {2020: sorted(rng.sample(em, 136))}
        plan20 = set(self.plan[2020])
        others = [i for i in em if i not in plan20]
        self.inspected = {2020: sorted(plan20 | set(rng.sample(others, 209 - 136)))}
        # 2019: 120 planned, about half of them planned again in 2020
        keep = rng.sample(self.plan[2020], 60)
        fresh = rng.sample(others, 60)
        self.plan[2019] = sorted(keep + fresh)
        plan19 = set(self.plan[2019])
        rest19 = [i for i in em if i not in plan19]
        self.inspected[2019] = sorted(plan19 | set(rng.sample(rest19, 185 - 120)))

    def enforcement_plan(self) -> list[Row]:
        return [
            {"year": y, "district": DISTRICT, "department": EMERGENCY, "enterprise_id": e}
            for y in (2019, 2020)
            for e in self.plan[y]
        ]

    def inspections(self) -> list[Row]:
        rng = self.rng
        rows: list[Row] = []
        periods = [
            # (start, end, emergency set or None, emergency rows, dept scale, insp, experts)
            (date(2019, 1, 1), date(2019, 10, 31), self.inspected[2019], 380, 0.9, 6120, 231),
            (date(2019, 11, 1), date(2019, 12, 31), None, 70, 0.2, None, None),
            (date(2020, 1, 1), END, self.inspected[2020], self.EMERGENCY_ROWS_2020, 1.0, 6560, 270),
        ]
        for start, end, targets, n_em, scale, insp_total, expert_total in periods:
            year = start.year
            block: list[Row] = []
            months = self.NO_FEB if year == 2020 else None
            if targets is None:
                em_ids = rng.choices(self.pool[EMERGENCY], k=n_em)
            else:
                plan = set(self.plan[year])
                extra_weights = [3 if e in plan else 1 for e in targets]
                em_ids = list(targets) + rng.choices(targets, extra_weights, k=n_em - len(targets))
            plan = set(self.plan.get(year, ()))
            for e, d in zip(em_ids, self._dates(n_em, start, end, months), strict=True):
                block.append(self._inspection(EMERGENCY, e, d, e in plan or rng.random() < 0.15))
            for dept, n20 in self.ROWS_2020.items():
                n = round(n20 * scale)
                ids = rng.choices(self.pool[dept], k=n)
                for e, d in zip(ids, self._dates(n, start, end, months), strict=True):
                    block.append(self._inspection(dept, e, d, rng.random() < 0.25))
            # 检查人员人次: counted once per outing, on the first 家次 of the outing (0 on the
            # others); 专家人次 on the inspections an expert took part in.
            base = rng.choices((0, 1, 2, 3), (38, 36, 20, 6), k=len(block))
            if insp_total is not None:
                base = self.adjust_to_sum(base, insp_total, hi=4)
            for r, v in zip(block, base, strict=True):
                r["inspectors"] = v
            expert_rows = [
                i
                for i, r in enumerate(block)
                if r["department"] in (EMERGENCY, "区住房城乡建设局", "区消防救援大队")
                and r["inspectors"] > 0
            ]
            k = 200 if expert_total else 40
            chosen = rng.sample(expert_rows, k)
            parts = self.split(expert_total, k) if expert_total else [1] * k
            for i, v in zip(chosen, parts, strict=True):
                block[i]["experts"] = v
            rows += block
        rows.sort(key=lambda r: (r["date"], r["department"], r["enterprise_id"]))
        counters: dict[int, int] = {}
        for r in rows:
            y = r["date"].year
            counters[y] = counters.get(y, 0) + 1
            r["inspection_id"] = f"JC-{y}-{counters[y]:06d}"
        return rows

    def _inspection(self, dept: str, enterprise_id: str, d: date, in_plan: bool) -> Row:
        return {
            "district": DISTRICT,
            "town": self.ent[enterprise_id]["town"],
            "date": d,
            "department": dept,
            "enterprise_id": enterprise_id,
            "in_plan": in_plan,
            "inspectors": 0,
            "experts": 0,
        }

    # ------------------------------------------------------------------ hazards

    GENERAL_HAZARDS = (
        "消防通道堵塞",
        "安全警示标志缺失",
        "电气线路私拉乱接",
        "灭火器失效或配置不足",
        "特种作业人员未持证上岗",
        "安全培训记录不全",
        "危废暂存场所不规范",
        "机械设备防护罩缺失",
        "叉车超期未检",
        "应急预案未演练",
    )
    MAJOR_HAZARDS = (
        "粉尘涉爆场所除尘系统不符合要求",
        "有限空间作业未执行审批",
        "危险化学品储存场所安全距离不足",
        "压力管道超期未检且存在泄漏风险",
        "“三合一”场所人员住宿与生产经营场所未分隔",
        "金属冶炼场所熔融金属吊运设备不符合要求",
    )
    HAZARD_WEIGHTS = {"工贸": 5, "危险化学品": 8, "物流仓储": 4, "建筑施工": 2, "特种设备": 3}

    def hazards(self) -> list[Row]:
        rng = self.rng
        ids = sorted(self.ent)
        weights = [self.HAZARD_WEIGHTS.get(self.ent[i]["industry"], 1) for i in ids]
        rows: list[Row] = []
        plan = [
            # (start, end, 一般, 重大 rectified, 重大 open, month weights)
            (date(2019, 1, 1), date(2019, 10, 31), 2306, 16, 0, None),
            (date(2019, 11, 1), date(2019, 12, 31), 470, 2, 0, None),
            (date(2020, 1, 1), END, 2512, 21, 1, self.NO_FEB),
        ]
        for start, end, n_general, n_major, n_open, months in plan:
            ents = rng.choices(ids, weights, k=n_general)
            for e, found in zip(ents, self._dates(n_general, start, end, months), strict=True):
                deadline = found + timedelta(30)
                fixed = found + timedelta(rng.choice(range(2, 46)))
                stubborn = start.year == 2020 and rng.random() < 0.015
                done = fixed <= END and not stubborn
                rows.append(self._hazard(e, found, "一般", deadline, fixed if done else None))
            # 重大: found by the end of August, so rectified (within 60 days) by October
            major_end = min(end, date(2020, 8, 31))
            for e, found in zip(
                rng.choices(ids, weights, k=n_major),
                self._dates(n_major, start, major_end, months),
                strict=True,
            ):
                deadline = found + timedelta(rng.choice((60, 90)))
                fixed = found + timedelta(rng.randint(20, 60))
                rows.append(self._hazard(e, found, "重大", deadline, fixed))
            for e in rng.choices(ids, weights, k=n_open):
                found = self.workdays(date(2020, 9, 14), date(2020, 10, 20), 1)[0]
                rows.append(self._hazard(e, found, "重大", found + timedelta(90), None))
        rows.sort(key=lambda r: (r["found_date"], r["level"], r["enterprise_id"]))
        counters: dict[int, int] = {}
        for r in rows:
            y = r["found_date"].year
            counters[y] = counters.get(y, 0) + 1
            r["hazard_id"] = f"YH-{y}-{counters[y]:05d}"
        return rows

    def _hazard(self, e: str, found: date, level: str, deadline: date, fixed) -> Row:
        ent = self.ent[e]
        text = self.rng.choice(self.MAJOR_HAZARDS if level == "重大" else self.GENERAL_HAZARDS)
        return {
            "district": DISTRICT,
            "town": ent["town"],
            "industry": ent["industry"],
            "enterprise_id": e,
            "found_date": found,
            "level": level,
            "description": f"{text}（合成）",
            "deadline": deadline,
            "status": "已整改" if fixed else "整改中",
            "rectified_date": fixed,
        }

    # ------------------------------------------------------------------ cases

    DEPT_CODES = {
        EMERGENCY: "YJ",
        "区住房城乡建设局": "ZJ",
        "区交通运输局": "JT",
        "区市场监管局": "SJ",
        "区消防救援大队": "XF",
    }

    def cases(self) -> list[Row]:
        rng = self.rng
        rows: list[Row] = []
        y20 = (date(2020, 1, 1), END)
        y19 = (date(2019, 1, 1), date(2019, 10, 31))
        # 区应急管理局, YTD 2020: 101 enterprises (one case each) out of the 209 inspected;
        # 事前 92 cases 186.0 万元, 事故 9 cases 267.0 万元; 20 ordered to suspend.
        em20 = rng.sample(self.inspected[2020], 101)
        fines = [f / 10 for f in self.split(1860, 92, minimum=5, spread=0.9)]
        fines += [f / 10 for f in self.split(2670, 9, minimum=100)]
        kinds = ["事前"] * 92 + ["事故"] * 9
        suspend = set(rng.sample(range(101), 20))
        for i, (e, k, f) in enumerate(zip(em20, kinds, fines, strict=True)):
            rows.append(self._case(EMERGENCY, e, k, f, i in suspend, *y20))
        # 区应急管理局, YTD 2019: 71 cases; 事前 67 cases 182.4 万元, 事故 4 cases 118.0 万元
        em19 = rng.sample(self.inspected[2019], 71)
        fines = [f / 10 for f in self.split(1824, 67, minimum=5, spread=0.9)]
        fines += [f / 10 for f in self.split(1180, 4, minimum=150)]
        kinds = ["事前"] * 67 + ["事故"] * 4
        suspend = set(rng.sample(range(71), 14))
        for i, (e, k, f) in enumerate(zip(em19, kinds, fines, strict=True)):
            rows.append(self._case(EMERGENCY, e, k, f, i in suspend, *y19))
        # 区应急管理局, Nov–Dec 2019: 12 事前 cases
        for e, f in zip(rng.sample(self.pool[EMERGENCY], 12), self.split(300, 12, 5), strict=True):
            rows.append(
                self._case(
                    EMERGENCY, e, "事前", f / 10, False, date(2019, 11, 1), date(2019, 12, 31)
                )
            )
        # other departments: YTD 2020 38.54 万元 over 18 cases (7 suspensions, enterprises
        # distinct from 区应急管理局's 2020 cases, so 20 + 7 = 27 suspended enterprises)
        taken = set(em20)
        for year_range, total, n_susp, layout in (
            (
                y20,
                3854,
                7,
                {"区住房城乡建设局": 6, "区交通运输局": 4, "区市场监管局": 5, "区消防救援大队": 3},
            ),
            (
                (date(2019, 1, 1), date(2019, 12, 31)),
                3100,
                3,
                {"区住房城乡建设局": 5, "区交通运输局": 3, "区市场监管局": 4, "区消防救援大队": 3},
            ),
        ):
            n = sum(layout.values())
            fines = [f / 100 for f in self.split(total, n, minimum=50, spread=0.9)]
            depts = [d for d, k in layout.items() for _ in range(k)]
            suspend = set(rng.sample(range(n), n_susp))
            used: set[str] = set()
            for i, (dept, f) in enumerate(zip(depts, fines, strict=True)):
                pool = [e for e in self.pool[dept] if e not in taken and e not in used]
                e = rng.choice(pool)
                used.add(e)
                rows.append(self._case(dept, e, "事前", f, i in suspend, *year_range))
        rows.sort(key=lambda r: (r["filing_date"], r["department"], r["enterprise_id"]))
        counters: dict[tuple[int, str], int] = {}
        for r in rows:
            key = (r["filing_date"].year, self.DEPT_CODES[r["department"]])
            counters[key] = counters.get(key, 0) + 1
            r["case_id"] = f"AJ-{key[0]}-{key[1]}-{counters[key]:03d}"
        return rows

    def _case(self, dept, e, kind, fine, suspension, start, end) -> Row:
        months = self.NO_FEB if start.year == 2020 else None
        return {
            "district": DISTRICT,
            "town": self.ent[e]["town"],
            "department": dept,
            "enterprise_id": e,
            "filing_date": self.workdays(start, end, 1, months)[0],
            "kind": kind,
            "fine_wan": _money(fine),
            "suspension": suspension,
        }

    # ------------------------------------------------------------------ campaign progress

    CAMPAIGN = (
        # campaign, item, value, unit, qualifier, earlier (as_of, value) or None
        ("危险化学品", "危化品企业通过部门联合审核", 4, "家", None, None),
        ("危险化学品", "危化品企业完成设计诊断和自动化提升方案", 4, "家", None, ("2020-06-30", 2)),
        (
            "危险化学品",
            "危化品企业完成安全风险分区分级“四色图”公示",
            20,
            "家",
            None,
            ("2020-06-30", 12),
        ),
        ("冶金等工贸", "金属冶炼和粉尘涉爆重大隐患整改到位", 36, "条", None, None),
        ("特种设备", "压力管道隐患企业完成更新改造", 64, "家", None, None),
        ("特种设备", "物流市场叉车整改完成", 129, "台", None, ("2020-06-30", 74)),
        ("校园和校车", "关停简易幼儿园", 3, "所", None, None),
        ("校园和校车", "简易小学完成安防改造", 2, "所", None, None),
        ("校园和校车", "简易幼儿园完成安防改造", 9, "所", None, None),
        ("城镇燃气", "瓶装液化气贮配站完成风险隐患排查", 4, "家", None, None),
        ("城镇燃气", "瓶装液化气供应站点完成风险隐患排查", 21, "个", None, None),
        ("宗教场所", "拆除违章建筑", 2, "处", None, None),
        ("宗教场所", "关停场所", 3, "处", None, None),
        ("宗教场所", "暂停活动场所", 2, "处", None, None),
        ("火灾防控", "安装简易消防设施", 212, "套", "余", ("2020-06-30", 130)),
        ("火灾防控", "高层建筑单位自动消防设施联网监测接入比例", 90, "%", None, ("2020-06-30", 76)),
        ("火灾防控", "高层公共建筑安装电气火灾监控系统比例", 82, "%", "以上", None),
        ("道路交通", "查处“黑加油车”", 26, "辆", None, None),
        ("道路交通", "农村面包车入库列管", 1678, "辆", None, ("2020-06-30", 1203)),
        ("体制机制", "行业领域牵头单位", 24, "个", None, None),
        ("体制机制", "负有安全生产监管责任的行业主管部门", 18, "个", None, None),
    )

    def campaign_progress(self) -> list[Row]:
        rows: list[Row] = []
        for campaign, item, value, unit, qualifier, earlier in self.CAMPAIGN:
            snapshots = []
            if earlier:
                snapshots.append((date.fromisoformat(earlier[0]), earlier[1]))
            snapshots.append((END, value))
            for as_of, v in snapshots:
                rows.append(
                    {
                        "district": DISTRICT,
                        "town": None,
                        "campaign": campaign,
                        "item": item,
                        "value": v,
                        "unit": unit,
                        "as_of": as_of,
                        "qualifier": qualifier if as_of == END else None,
                    }
                )
        rows.sort(key=lambda r: r["as_of"])
        for i, r in enumerate(rows, 1):
            r["item_id"] = f"ZX-{i:03d}"
        return rows


# --------------------------------------------------------------------------- writing


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv_bytes(table: schema.Table, rows: Sequence[Row]) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly), LF line ends, canonical English headers."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.column_names)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in table.column_names])
    return buf.getvalue().encode("utf-8-sig")


def generate(seed: int = SEED) -> dict[str, list[Row]]:
    """Every generated table as rows (dicts keyed by canonical column name)."""
    g = _Generator(seed)
    enterprises = g.enterprises()
    g.prepare_pools(enterprises)
    out = {
        "enterprises": enterprises,
        "incidents": g.incidents(),
        "meetings": g.meetings(),
        "media": g.media(),
        "outreach": g.outreach(),
        "enforcement_plan": g.enforcement_plan(),
        "inspections": g.inspections(),
        "hazards": g.hazards(),
        "cases": g.cases(),
        "campaign_progress": g.campaign_progress(),
    }
    return {name: out[name] for name in schema.TABLES if name in out}


SYNTHETIC_TEXT = (
    "合成数据，非真实台账。SYNTHETIC DATA - not real records.\n"
    f"由 `{COMMAND}` 生成（随机种子 {SEED}）。Generated by `{COMMAND}` (seed {SEED}).\n"
)


def _manifest(files: dict[str, bytes], rows: dict[str, int]) -> str:
    lines = [
        "# 示例数据清单 / Sample data manifest",
        "# 合成数据，非真实台账：按钟楼区2020年10月底安全生产工作报告第一部分的数字倒推生成，",
        "# 仅用于演示和测试，不得作为真实统计数据引用。",
        "# SYNTHETIC data, not real records: generated backwards from the figures of the",
        "# seed report (钟楼区, to 2020-10-31) for demos and tests only.",
        "synthetic: true",
        "说明: 合成数据，非真实台账；各表记录为随机生成，汇总后与报告发布数一致。",
        "description: Synthetic record-level data; aggregates reproduce the published figures.",
        f"district: {DISTRICT}",
        f"period: {START.isoformat()}..{END.isoformat()}",
        "generator:",
        f'  command: "{COMMAND}"',
        "  module: analysis.sample_data",
        f"  seed: {SEED}",
        "  encoding: utf-8-sig (UTF-8 with BOM)",
        "  headers: canonical English column names (see docs/数据字典.md)",
        "not_generated:",
        *(f"  - {name}.csv  # 人工维护 / maintained by hand" for name in NOT_GENERATED),
        "files:",
    ]
    for name, data in files.items():
        table = name.removesuffix(".csv")
        lines += [
            f"  {name}:",
            f"    table_zh: {schema.TABLES[table].zh}",
            f"    rows: {rows[table]}",
            f"    sha256: {hashlib.sha256(data).hexdigest()}",
        ]
    return "\n".join(lines) + "\n"


def write_sample_data(out_dir: str | Path | None = None, seed: int = SEED) -> list[Path]:
    """Write the sample CSVs, MANIFEST.yaml and SYNTHETIC into ``out_dir``; return paths."""
    out_dir = Path(out_dir) if out_dir is not None else config.SAMPLE_DATA_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = generate(seed)
    files = {
        f"{name}.csv": to_csv_bytes(schema.TABLES[name], rows) for name, rows in tables.items()
    }
    written = []
    for name, data in files.items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    manifest = _manifest(files, {name: len(rows) for name, rows in tables.items()})
    for name, text in (("MANIFEST.yaml", manifest), ("SYNTHETIC", SYNTHETIC_TEXT)):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) > 1:
        print("用法：python -m analysis.sample_data [输出目录]", file=sys.stderr)
        return 2
    paths = write_sample_data(argv[0] if argv else None)
    print(f"已生成合成示例数据 {len(paths)} 个文件：{paths[0].parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
