"""钟楼区 sample, part 1: enterprises, incidents, meetings, media and outreach records."""

from __future__ import annotations

from datetime import date

from analysis.settings import places
from analysis.tools.sample_data.tools import RandomTools, Row, money, number_rows
from analysis.tools.sample_data.zhonglou_facts import (
    DISTRICT,
    END,
    NO_FEB,
    OUTREACH_AS_OF,
    SEED,
    TOWN_WEIGHTS,
)


class _Records(RandomTools):
    """The roster and the records that do not depend on the enforcement pools."""

    def __init__(self, seed: int = SEED):
        super().__init__(seed)
        self.towns = places.towns_of(DISTRICT)
        self.town_weights = [TOWN_WEIGHTS.get(t, 8) for t in self.towns]

    def town(self, zouqu_bias: float = 0.0) -> str:
        if zouqu_bias and "邹区镇" in self.towns and self.rng.random() < zouqu_bias:
            return "邹区镇"
        return self.rng.choices(self.towns, self.town_weights)[0]

    # ------------------------------------------------------------------ enterprises

    def enterprises(self) -> list[Row]:
        rng = self.rng
        n_above, n_below = 298, 4091
        scales = ["规上"] * n_above + ["规下"] * n_below
        rng.shuffle(scales)
        above = [i for i, s in enumerate(scales) if s == "规上"]
        below = [i for i, s in enumerate(scales) if s == "规下"]
        industry = self._industries(above, below)
        rows = self._enterprise_rows(scales, industry)
        self._grade(rows, above, below, industry)
        self._briefed(rows, above, below)
        return rows

    def _industries(self, above: list[int], below: list[int]) -> dict[int, str]:
        """Each enterprise's industry (by index); what no count names is 工贸."""
        rng = self.rng

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
        for idx, ind in zip(above, industries(above_ind, len(above)), strict=True):
            industry[idx] = ind
        for idx, ind in zip(below, industries(below_ind, len(below)), strict=True):
            industry[idx] = ind
        return industry

    def _enterprise_rows(self, scales: list[str], industry: dict[int, str]) -> list[Row]:
        rows: list[Row] = []
        for i in range(len(scales)):
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
        return rows

    def _briefed(self, rows: list[Row], above: list[int], below: list[int]) -> None:
        """“百团进百万企业” briefing coverage: all 298 规上 and 3600 规下 by 2020-10-23,
        20 more 规下 in the last week of October, the rest not yet covered."""
        spring = {3: 2.0, 4: 2.0, 5: 1.5}
        for i, d in zip(
            above, self._dates(len(above), date(2020, 3, 2), OUTREACH_AS_OF, spring), strict=True
        ):
            rows[i]["briefed_date"] = d
        order = list(below)
        self.rng.shuffle(order)
        covered = order[:3600]
        late = order[3600:3620]
        for i, d in zip(
            covered, self._dates(3600, date(2020, 3, 2), OUTREACH_AS_OF, spring), strict=True
        ):
            rows[i]["briefed_date"] = d
        for i, d in zip(late, self._dates(20, date(2020, 10, 24), END), strict=True):
            rows[i]["briefed_date"] = d

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

    def incidents(self) -> list[Row]:
        rows: list[Row] = []
        y19, ytd19_end, y19_end = date(2019, 1, 1), date(2019, 10, 31), date(2019, 12, 31)
        y20 = date(2020, 1, 1)
        rows += self._accidents(60, [2] + [1] * 7, y19, ytd19_end)
        rows += self._accidents(6, [1], date(2019, 11, 1), y19_end)
        rows += self._accidents(9, [1, 1, 1, 1], y20, END, NO_FEB)
        rows += self._fires(71, y19, ytd19_end, injured=1)
        rows += self._fires(8, date(2019, 11, 1), y19_end)
        rows += self._fires(45, y20, END, month_weights=NO_FEB)
        rows.sort(key=lambda r: (r["date"], r["category"], r["town"]))
        prefix = {"生产安全事故": "SG", "火灾": "HZ"}
        number_rows(rows, "incident_id", lambda r: (prefix[r["category"]], r["date"].year), 3)
        return rows

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
                    "direct_loss_wan": money(loss),
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
                    "direct_loss_wan": money(rng.uniform(0.1, 30)),
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
        number_rows(rows, "meeting_id", lambda r: ("HY", r["date"].year), 3)
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
            for d in self._any_days(k, date(2020, 1, 6), END, NO_FEB):
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
