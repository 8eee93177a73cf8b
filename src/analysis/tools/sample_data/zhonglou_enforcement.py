"""钟楼区 sample, part 2: enforcement plan, inspections, hazards, cases, campaign progress."""

from __future__ import annotations

from datetime import date, timedelta

from analysis.tools.sample_data.tools import Row, money, number_rows
from analysis.tools.sample_data.zhonglou_facts import DISTRICT, EMERGENCY, END, NO_FEB


class _Enforcement:
    """Mixin of the 钟楼区 generator (needs ``rng``, ``split``, ``workdays``, ``_dates`` and
    ``adjust_to_sum`` from RandomTools): the records drawn from the enforcement pools."""

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
            months = NO_FEB if year == 2020 else None
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
        number_rows(rows, "inspection_id", lambda r: ("JC", r["date"].year), 6)
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
            (date(2020, 1, 1), END, 2512, 21, 1, NO_FEB),
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
        number_rows(rows, "hazard_id", lambda r: ("YH", r["found_date"].year), 5)
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
        rows += self._emergency_cases(em20, (92, 1860), (9, 2670, 100), 20, y20)
        # 区应急管理局, YTD 2019: 71 cases; 事前 67 cases 182.4 万元, 事故 4 cases 118.0 万元
        em19 = rng.sample(self.inspected[2019], 71)
        rows += self._emergency_cases(em19, (67, 1824), (4, 1180, 150), 14, y19)
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
        codes = self.DEPT_CODES
        number_rows(
            rows, "case_id", lambda r: ("AJ", r["filing_date"].year, codes[r["department"]]), 3
        )
        return rows

    def _emergency_cases(self, enterprises, before, accident, n_suspended, window) -> list[Row]:
        """区应急管理局's cases of one year, one per enterprise: ``before`` = (cases, 0.1 万元
        in total) of 事前 cases, ``accident`` = (cases, total, minimum) of 事故 cases, and
        ``n_suspended`` of them ordered to suspend, dated in ``window``."""
        (n_before, before_total), (n_accident, accident_total, accident_min) = before, accident
        fines = [f / 10 for f in self.split(before_total, n_before, minimum=5, spread=0.9)]
        fines += [f / 10 for f in self.split(accident_total, n_accident, minimum=accident_min)]
        kinds = ["事前"] * n_before + ["事故"] * n_accident
        suspend = set(self.rng.sample(range(len(enterprises)), n_suspended))
        return [
            self._case(EMERGENCY, e, k, f, i in suspend, *window)
            for i, (e, k, f) in enumerate(zip(enterprises, kinds, fines, strict=True))
        ]

    def _case(self, dept, e, kind, fine, suspension, start, end) -> Row:
        months = NO_FEB if start.year == 2020 else None
        return {
            "district": DISTRICT,
            "town": self.ent[e]["town"],
            "department": dept,
            "enterprise_id": e,
            "filing_date": self.workdays(start, end, 1, months)[0],
            "kind": kind,
            "fine_wan": money(fine),
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
