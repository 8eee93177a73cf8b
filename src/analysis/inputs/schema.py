"""The data contract: every input table, its columns, types, allowed values and Chinese names.

This module is the only place a table or column is defined (with analysis.inputs.contract,
what a column and a table are, and analysis.inputs.published_schema, the published_figures
table). The loader, the validator, the sample-data generator and the data dictionary
(docs/数据字典.md) all read it, so they cannot drift apart. Column names are canonical
English identifiers; ``zh`` is the header an analyst sees, and ``aliases`` are other
headers seen in exports of the city's safety supervision platform (mapped to the canonical
name on load).
"""

from __future__ import annotations

from analysis.inputs.contract import Column, Rule, Table, district_column
from analysis.inputs.published_schema import PUBLISHED_FIGURES, QUALIFIERS
from analysis.settings import reference_data

# Values kept in the reference data (data/config/reference.yaml, a district may add its own
# industries and incident categories): columns name the list (``vocabulary``), and
# ``allowed_for`` reads it when data are validated, never at import.
SCALES = ("规上", "规下")
STANDARDIZATION_GRADES = ("一级", "二级", "三级", "无")
HAZARD_LEVELS = ("一般", "重大")
HAZARD_STATUSES = ("已整改", "整改中")
CASE_KINDS = ("事前", "事故")
OUTREACH_TYPES = ("集中宣讲", "视频教材播放", "宣传手册发放", "在线学习")
OUTREACH_AUDIENCES = ("规上企业", "规下企业", "镇街领导班子", "社会公众")
MEETING_BODIES = ("区委常委会", "区政府常务会议")


def _town(nullable: bool = False) -> Column:
    return Column(
        "town", "镇/街道", "str", nullable=nullable, aliases=("镇街", "所属镇街", "乡镇街道")
    )


def _industry() -> Column:
    return Column(
        "industry", "行业领域", "str", vocabulary="industries", aliases=("行业", "所属行业")
    )


def _department(zh: str, aliases: tuple[str, ...] = ()) -> Column:
    return Column("department", zh, "str", vocabulary="departments", aliases=aliases)


def _enterprise_ref() -> Column:
    return Column(
        "enterprise_id",
        "企业编号",
        "str",
        ref="enterprises.enterprise_id",
        aliases=("统一社会信用代码", "企业代码"),
    )


ENTERPRISES = Table(
    "enterprises",
    "企业名册",
    (
        Column(
            "enterprise_id",
            "企业编号",
            "str",
            unique=True,
            aliases=("统一社会信用代码", "企业代码"),
        ),
        Column("enterprise_name", "企业名称", "str", aliases=("单位名称",)),
        district_column(),
        _town(),
        _industry(),
        Column(
            "scale",
            "企业规模",
            "str",
            allowed=SCALES,
            aliases=("规模",),
            doc="规上 = 规模以上工业企业",
        ),
        Column("hazchem", "危化品企业", "bool", aliases=("是否危化品企业",)),
        Column(
            "standardization_grade",
            "安全生产标准化等级",
            "str",
            allowed=STANDARDIZATION_GRADES,
            aliases=("标准化等级",),
        ),
        Column(
            "briefed_date",
            "宣讲覆盖日期",
            "date",
            nullable=True,
            doc="“百团进百万企业”宣讲覆盖该企业的日期；空 = 尚未覆盖",
        ),
        Column("model_enterprise", "选树先进企业", "bool", aliases=("先进企业",)),
    ),
    doc="辖区企业名册（规上/规下、行业、标准化等级、宣讲覆盖）。",
    required=False,
)

INCIDENTS = Table(
    "incidents",
    "事故与火灾",
    (
        Column("incident_id", "事故编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        _town(),
        Column("date", "发生日期", "date", aliases=("发生时间", "事故日期")),
        Column("category", "类别", "str", vocabulary="incident_categories", aliases=("事故类别",)),
        _industry(),
        Column(
            "accident_type",
            "事故类型",
            "str",
            aliases=("类型",),
            doc="如 高处坠落、车辆伤害、物体打击、电气火灾",
        ),
        Column("deaths", "死亡人数", "int", minimum=0, maximum=1000, aliases=("死亡",)),
        Column("serious_injuries", "重伤人数", "int", minimum=0, maximum=1000, aliases=("重伤",)),
        Column(
            "injuries",
            "受伤人数",
            "int",
            minimum=0,
            maximum=10000,
            aliases=("受伤",),
            doc="受伤总人数，含重伤",
        ),
        Column(
            "direct_loss_wan",
            "直接经济损失（万元）",
            "float",
            minimum=0,
            maximum=1_000_000,
            aliases=("直接经济损失", "直接经济损失(万元)"),
            unit="万元",
            doc="表头须写明单位：直接经济损失（万元）或（元）；无单位的表头须声明单位",
        ),
        Column("description", "简要经过", "str", nullable=True, aliases=("简要情况",)),
        Column(
            "statistical_scope",
            "统计口径",
            "str",
            nullable=True,
            optional=True,
            allowed=("工矿商贸", "生产经营性道路交通", "生产经营性火灾", "其他"),
            aliases=("口径", "事故口径"),
            doc="生产安全事故的统计口径；填写后简报分口径列出事故起数和死亡人数（火灾、道路交通事故等其他类别的行不计入分口径）",
        ),
    ),
    date_column="date",
    doc="生产安全事故和火灾，一起一行；事故等级按国务院令第493号由死亡、重伤、损失推导，不录入。",
    rules=(Rule("not_less", "injuries", "serious_injuries", "受伤人数不得少于重伤人数"),),
    required=True,
    kind_column="category",
)

INSPECTIONS = Table(
    "inspections",
    "检查记录",
    (
        Column("inspection_id", "检查编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        _town(),
        Column("date", "检查日期", "date", aliases=("检查时间",)),
        _department("检查部门", ("部门",)),
        _enterprise_ref(),
        Column(
            "in_plan",
            "计划内检查",
            "bool",
            aliases=("是否计划内", "双随机"),
            doc="属于年度执法计划或“双随机”抽查",
        ),
        Column(
            "inspectors", "检查人员（人次）", "int", minimum=0, maximum=500, aliases=("出动人次",)
        ),
        Column("experts", "专家（人次）", "int", minimum=0, maximum=100, aliases=("专家人次",)),
    ),
    date_column="date",
    doc="各部门对企业（单位）的检查，一次检查一行（家次）。",
    required=False,
)

ENFORCEMENT_PLAN = Table(
    "enforcement_plan",
    "年度执法计划",
    (
        Column("year", "年度", "int", minimum=2000, maximum=2100),
        district_column(),
        _department("执法部门"),
        _enterprise_ref(),
    ),
    doc="年度监管执法计划列入的企业，一家一行。",
    unique_together=(("year", "department", "enterprise_id"),),
)

HAZARDS = Table(
    "hazards",
    "隐患台账",
    (
        Column("hazard_id", "隐患编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        _town(),
        _industry(),
        _enterprise_ref(),
        Column("found_date", "发现日期", "date", aliases=("排查日期",)),
        Column("level", "隐患等级", "str", allowed=HAZARD_LEVELS, aliases=("等级",)),
        Column("description", "隐患描述", "str", nullable=True),
        Column("deadline", "整改期限", "date", future_ok=True, doc="可晚于今天"),
        Column("status", "整改状态", "str", allowed=HAZARD_STATUSES, aliases=("状态",)),
        Column(
            "rectified_date",
            "整改完成日期",
            "date",
            nullable=True,
            doc="已整改时必填，且不早于发现日期",
        ),
    ),
    date_column="found_date",
    doc="排查发现的隐患，一条一行。",
    rules=(
        Rule("not_before", "rectified_date", "found_date", "整改完成日期不得早于发现日期"),
        Rule(
            "iff_present",
            "rectified_date",
            "status",
            "整改状态为“已整改”时必须填写整改完成日期，其他状态不得填写",
            value="已整改",
        ),
    ),
    required=False,
)

CASES = Table(
    "cases",
    "立案处罚",
    (
        Column("case_id", "案件编号", "str", unique=True, aliases=("编号", "案号")),
        district_column(),
        _town(),
        _department("执法部门", ("部门",)),
        _enterprise_ref(),
        Column("filing_date", "立案日期", "date", aliases=("立案时间",)),
        Column(
            "kind",
            "案件类别",
            "str",
            allowed=CASE_KINDS,
            aliases=("类别",),
            doc="事前 = 日常监管中发现的违法行为；事故 = 事故调查后的处罚",
        ),
        Column(
            "fine_wan",
            "罚款金额（万元）",
            "float",
            minimum=0,
            maximum=10_000,
            aliases=("罚款金额", "处罚金额（万元）", "罚款金额(万元)"),
            unit="万元",
            doc="表头须写明单位：罚款金额（万元）或（元）；无单位的表头须声明单位",
        ),
        Column("suspension", "责令停产整顿", "bool", aliases=("停产整顿",)),
    ),
    date_column="filing_date",
    doc="各部门立案处罚案件，一案一行。",
    required=False,
)

OUTREACH = Table(
    "outreach",
    "宣传宣讲",
    (
        Column("event_id", "活动编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        _town(),
        Column("date", "日期", "date"),
        Column("event_type", "活动类型", "str", allowed=OUTREACH_TYPES, aliases=("类型",)),
        Column("audience", "对象", "str", allowed=OUTREACH_AUDIENCES),
        Column("participants", "参加人次", "int", minimum=0, maximum=1_000_000),
        Column(
            "materials",
            "发放资料（份）",
            "int",
            minimum=0,
            maximum=10_000_000,
            aliases=("发放份数",),
        ),
    ),
    date_column="date",
    doc="集中宣讲、视频教材播放、宣传手册发放和在线学习，一次活动一行。",
)

MEDIA = Table(
    "media",
    "媒体报道",
    (
        Column("report_id", "报道编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        Column("date", "日期", "date"),
        Column("outlet", "媒体", "str", aliases=("媒体名称",)),
        Column("title", "标题", "str", nullable=True),
    ),
    date_column="date",
    doc="媒体对本区安全生产工作的报道，一篇（条）一行。",
)

MEETINGS = Table(
    "meetings",
    "会议研究",
    (
        Column("meeting_id", "会议编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        Column("date", "日期", "date"),
        Column("body", "会议", "str", allowed=MEETING_BODIES),
        Column("topic", "议题", "str", nullable=True),
    ),
    date_column="date",
    doc="区委常委会、区政府常务会议听取安全生产工作汇报，一次一行。",
)

CAMPAIGN_PROGRESS = Table(
    "campaign_progress",
    "专项整治进展",
    (
        Column("item_id", "事项编号", "str", unique=True, aliases=("编号",)),
        district_column(),
        _town(nullable=True),
        Column("campaign", "专项整治领域", "str", aliases=("领域",)),
        Column("item", "事项", "str"),
        Column("value", "数值", "float", minimum=0, maximum=10_000_000),
        Column("unit", "单位", "str"),
        Column("as_of", "截至日期", "date"),
        Column(
            "qualifier",
            "限定词",
            "str",
            nullable=True,
            allowed=QUALIFIERS,
            doc="余 = 不少于；以上 = 不低于；约 = 近似",
        ),
    ),
    date_column="as_of",
    doc="不按记录统计的专项整治台账数（如叉车整改台数、联网比例），一项一期一行。",
)

DENOMINATORS = Table(
    "denominators",
    "考核分母",
    (
        Column("year", "年度", "int", minimum=2000, maximum=2100),
        district_column(),
        Column("gdp_yi", "地区生产总值（亿元）", "float", minimum=0, maximum=1_000_000,
               nullable=True, aliases=("GDP", "地区生产总值")),
        Column("industrial_employees", "工矿商贸从业人员（人）", "int", minimum=0,
               maximum=100_000_000, nullable=True, aliases=("工矿商贸从业人员",)),
        Column("vehicles", "机动车保有量（辆）", "int", minimum=0, maximum=100_000_000,
               nullable=True, aliases=("机动车保有量",)),
        Column("population", "常住人口（人）", "int", minimum=0, maximum=100_000_000,
               nullable=True, aliases=("常住人口",)),
    ),
    doc="可选。每区每年一行，考核控制指标（亿元GDP、工矿商贸就业人员十万人、万车、十万人口"
    "死亡率）的分母；不知道的数留空，对应的死亡率即不计算。",
    unique_together=(("year", "district"),),
)  # fmt: skip

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        ENTERPRISES,
        INCIDENTS,
        INSPECTIONS,
        ENFORCEMENT_PLAN,
        HAZARDS,
        CASES,
        OUTREACH,
        MEDIA,
        MEETINGS,
        CAMPAIGN_PROGRESS,
        DENOMINATORS,
        PUBLISHED_FIGURES,
    )
}


def allowed_for(col: Column, district: str | None = None) -> tuple[str, ...] | None:
    """The values ``col`` allows for a row of ``district`` (None: the shared list), read now:
    a fixed list, or its reference list with the district's additions; None for any value."""
    if col.vocabulary is None:
        return col.allowed
    return reference_data.names(col.vocabulary, district)
