"""Chinese column headers of every table the project shows or writes as CSV.

One place on purpose: the CSVs beside a briefing (indicators, by_town, by_industry, gaps =
targets, gap_register, reconciliation) are built by several modules, but an analyst opening
them in Excel needs one consistent vocabulary, and a test checks here that every column
they carry has a Chinese header. A module that adds a column to one of these tables adds
its header to the matching dictionary below.
"""

from __future__ import annotations

import pandas as pd

INDICATOR_LABELS = {
    "as_of": "统计截至",
    "area": "区/镇（街道）",
    "town": "镇（街道）",
    "industry": "行业领域",
    "is_district": "全区",
    "id": "指标编号",
    "name_zh": "指标",
    "unit": "单位",
    "group": "栏目",
    "direction": "方向",
    "decimals": "小数位数",
    "scope": "范围",
    "period": "统计期",
    "measure": "计算方式",
    "note": "口径说明",
    "value": "本期累计",
    "month_value": "本月",
    "prior_value": "上年同期",
    "prior2_value": "前年同期",
    "prev_month_value": "上月",
    "month_prior_value": "上年同月",
    "applicable": "适用",
    "yoy_pct": "同比（%）",
    "yoy_pp": "同比（百分点）",
    "yoy2_pct": "比前年同期（%）",
    "mom_pct": "环比（%）",
    "mom_pp": "环比（百分点）",
    "month_yoy_pct": "本月同比（%）",
    "value_text": "本期累计（文字）",
    "yoy_text": "同比",
    "yoy2_text": "比前年同期",
    "mom_text": "环比",
    "month_yoy_text": "本月同比",
    # assess.change_marks: the exact tests of the changes (ratio: counts; 百分点: rates)
    "yoy_p": "p值",
    "yoy_interval": "比值95%区间",
    "yoy_signal": "同比判断",
    "yoy_ratio_low": "同比比值下限",
    "yoy_ratio_high": "同比比值上限",
    "yoy2_p": "比前年p值",
    "yoy2_interval": "比前年比值95%区间",
    "yoy2_signal": "比前年判断",
    "yoy2_ratio_low": "比前年比值下限",
    "yoy2_ratio_high": "比前年比值上限",
    "mom_p": "环比p值",
    "mom_interval": "环比比值95%区间",
    "mom_signal": "环比判断",
    "mom_ratio_low": "环比比值下限",
    "mom_ratio_high": "环比比值上限",
    "month_yoy_p": "本月同比p值",
    "month_yoy_interval": "本月同比比值95%区间",
    "month_yoy_signal": "本月同比判断",
    "month_yoy_ratio_low": "本月同比比值下限",
    "month_yoy_ratio_high": "本月同比比值上限",
    "additive": "可加总",
    "share_pct": "占全区比重（%）",
}
SERIES_LABELS = {
    "year": "年",
    "month": "月",
    "as_of": "统计截至",
    "area": "区/镇（街道）",
    "id": "指标编号",
    "name_zh": "指标",
    "unit": "单位",
    "month_value": "当月",
    "value": "年初至当月累计",
}
EXPLORE_SERIES_LABELS = {
    **SERIES_LABELS,
    "month": "月份",
    "month_no": "月",
    "month_prior_value": "上年同月",
}
CATALOGUE_LABELS = {
    "id": "指标编号",
    "name_zh": "指标",
    "unit": "单位",
    "group": "栏目",
    "table": "数据表",
    "measure": "计算方式",
    "period": "统计期",
    "scope": "范围",
    "note": "口径说明",
}
RECONCILIATION_LABELS = {
    "figure_id": "编号",
    "indicator_id": "指标编号",
    "name_zh": "指标",
    "measure": "口径",
    "as_of": "截至日期",
    "sentence": "原文",
    "published": "发布值",
    "qualifier": "限定词",
    "published_text": "发布值（原文写法）",
    "recomputed": "重算值",
    "recomputed_text": "重算值（文字）",
    "accepted_range": "可接受范围",
    "verdict": "核对结论",
    "consistency": "原文自洽性",
    "note": "说明",
}
TARGET_LABELS = {
    "target_id": "目标编号",
    "name": "目标",
    "indicator_id": "指标编号",
    "indicator_name": "指标",
    "measure": "口径",
    "op": "比较",
    "target": "目标值",
    "target_text": "目标（文字）",
    "actual": "实际值",
    "actual_text": "实际（文字）",
    "pace": "进度要求",
    "months_elapsed": "已过月数",
    "pace_required": "序时进度应达",
    "projected": "年底预计",
    "gap": "差距",
    "gap_unit": "差距单位",
    "gap_text": "差距说明",
    "status": "状态",
    "status_note": "状态说明",
    "source": "目标来源",
}
GAP_REGISTER_LABELS = {
    "gap_id": "差距编号",
    "gap_seq": "序号",
    "gap_title": "差距",
    "gap_text": "差距原文",
    "indicator_id": "佐证指标编号",
    "indicator_name": "佐证指标",
    "value": "数值",
    "value_text": "数值（文字）",
    "yoy_text": "同比",
    "evidence_text": "佐证",
    "target_status": "目标状态",
    "action_ids": "下一步工作编号",
    "actions_text": "下一步工作",
}
# The Chinese words for the codes some columns hold (keyed by the column's Chinese header),
# for what people read (the workbook); the CSVs keep the codes, which scripts rely on.
VALUE_LABELS = {
    "方向": {"lower_better": "越低越好", "higher_better": "越高越好", "neutral": "不评判高低"},
    "范围": {"town": "全区和各镇（街道）", "district": "仅全区"},
    "统计期": {"ytd": "年初至今", "snapshot": "时点数"},
    "计算方式": {
        "count": "计数",
        "sum": "求和",
        "nunique": "去重计数",
        "ratio": "比率",
        "difference": "差值",
        "campaign": "专项整治台账",
        "towns": "镇（街道）个数",
    },
    "口径": {"value": "数值", "yoy_pct": "同比", "share_pct": "比例", "change_abs": "增减数"},
    "比较": {"ge": "不低于（≥）", "le": "不高于（≤）"},
    "进度要求": {"none": "每期均须达到", "linear": "按序时进度"},
    # the data quality table: how each input file was read (analysis.inputs.read.decode)
    "编码": {
        "utf-8-sig": "UTF-8 编码",
        "gb18030": "GB18030 编码（含 GBK）",
        "xlsx": "Excel 工作簿",
    },
}
BOOLEAN_LABELS = {"True": "是", "False": "否"}

LABELS = {
    "indicators": INDICATOR_LABELS,
    "series": SERIES_LABELS,
    "explore_series": EXPLORE_SERIES_LABELS,
    "catalogue": CATALOGUE_LABELS,
    "reconciliation": RECONCILIATION_LABELS,
    "targets": TARGET_LABELS,
    "gap_register": GAP_REGISTER_LABELS,
}
# the column that tells which table a frame is, checked in this order
_MARKERS = (
    ("figure_id", "reconciliation"),
    ("target_id", "targets"),
    ("gap_id", "gap_register"),
    ("month_no", "explore_series"),
    ("month", "series"),
    ("table", "catalogue"),
)


def table_kind(df: pd.DataFrame) -> str:
    """Which table of ``LABELS`` a frame is, from its columns (default: indicators).

    >>> table_kind(pd.DataFrame(columns=["figure_id"])), table_kind(pd.DataFrame(columns=["id"]))
    ('reconciliation', 'indicators')
    """
    return next((kind for col, kind in _MARKERS if col in df.columns), "indicators")


def to_display(df: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """The same frame with Chinese column headers. ``table``: a key of ``LABELS``
    (default: recognised from the columns); a column without a label keeps its name.

    >>> list(to_display(pd.DataFrame(columns=["id", "value", "decimals"])).columns)
    ['指标编号', '本期累计', '小数位数']
    """
    labels = LABELS[table or table_kind(df)]
    return df.rename(columns={c: labels[c] for c in df.columns if c in labels})
