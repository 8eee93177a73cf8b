"""The published_figures table: each number printed in a published bulletin, with how it
was printed, to be reconciled with the records (analysis.assess.reconcile)."""

from __future__ import annotations

from analysis.compare import COMPARISONS
from analysis.inputs.contract import Column, Table, district_column
from analysis.numbers import ROUNDING_RULES

QUALIFIERS = ("余", "以上", "约")
FIGURE_MEASURES = ("value", "yoy_pct", "share_pct", "change_abs")
FIGURE_PERIOD_KINDS = ("累计", "本月", "季度", "全年")
PUBLISHED_FIGURES = Table(
    "published_figures",
    "已发布数字",
    (
        Column("figure_id", "编号", "str", unique=True),
        district_column(),
        Column("indicator_id", "指标编号", "str", doc="指标目录（catalogue.yaml）中的编号"),
        Column(
            "measure",
            "口径",
            "str",
            allowed=FIGURE_MEASURES,
            doc="value = 数值；yoy_pct = 增减幅度（%，比率指标为百分点）；"
            "share_pct = 比例（%）；change_abs = 增减数（如“减少4起”填 -4）",
        ),
        Column(
            "value",
            "发布值",
            "float",
            nullable=True,
            minimum=-1_000_000_000,
            maximum=1_000_000_000,
            doc="只有填写了“可比性说明”的行可以为空；“死亡0人，同比下降100%”的增减幅度填 -100，"
            "“同比持平”填 0（本期与上年同期都为 0 时也是持平，起数和金额都一样）",
        ),
        Column("unit", "单位", "str"),
        Column("as_of", "截至日期", "date"),
        Column("qualifier", "限定词", "str", nullable=True, allowed=QUALIFIERS),
        Column("sentence", "原文", "str"),
        Column(
            "period_kind",
            "统计期",
            "str",
            nullable=True,
            allowed=FIGURE_PERIOD_KINDS,
            doc="空 = 累计（年初至截至日期）；本月、季度 = 截至日期所在的月、季度",
        ),
        Column(
            "basis",
            "比较基期",
            "str",
            nullable=True,
            allowed=COMPARISONS,
            doc="空 = 同比；比前年 = 前年同期；环比 = 上月或上季度",
        ),
        Column(
            "prior_value",
            "括号内基期值",
            "float",
            nullable=True,
            minimum=0,
            maximum=1_000_000_000,
            doc="原文括号中印出的基期值（如“（上年同期15起）”），也要核对",
        ),
        Column(
            "decimals",
            "小数位数",
            "int",
            nullable=True,
            minimum=0,
            maximum=6,
            doc="发布值印出的小数位数，含末尾的0（“50.00%”填2）；空 = 按发布值",
        ),
        Column(
            "rounding",
            "修约规则",
            "str",
            nullable=True,
            allowed=ROUNDING_RULES,
            doc="空 = 四舍五入",
        ),
        Column(
            "comparability",
            "可比性说明",
            "str",
            nullable=True,
            doc="填写（如“口径变化，无法同比”）表示不能比较：不计算增减，结论为“无法同比”；"
            "该月简报中这一指标的这种比较（比较基期列）在正文、表格、indicators.csv 和本期要点中"
            "都写这段文字，不印百分比",
        ),
    ),
    doc="已发布简报中的每个数字，用于与重算结果核对。后六列可选，留空即取默认值。",
)
