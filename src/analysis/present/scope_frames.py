"""The 口径 split of the accidents (工矿商贸 / 生产经营性道路交通 / 生产经营性火灾 / 其他),
where the data mark it: the incidents' optional column 统计口径 (``statistical_scope``).

The figures are catalogue indicators (``industrial_accidents`` …), computed, worded and
marked (变化显著 / 属正常波动) like every other; a district whose data never fill the column
has no value for them (``indicators.api.unmarked_ids``), so the split has no rows and the
briefing shows nothing.
"""

from __future__ import annotations

import pandas as pd

# 口径 → (accidents id, deaths id), in the order bulletins list them
SCOPE_IDS = {
    "工矿商贸": ("industrial_accidents", "industrial_accident_deaths"),
    "生产经营性道路交通": ("business_road_accidents", "business_road_accident_deaths"),
    "生产经营性火灾": ("business_fire_accidents", "business_fire_accident_deaths"),
    "其他": ("other_scope_accidents", "other_scope_accident_deaths"),
    "未标注口径": ("unscoped_accidents", "unscoped_accident_deaths"),
}
UNSCOPED = "未标注口径"
ALL_SCOPE_IDS = tuple(i for pair in SCOPE_IDS.values() for i in pair)
SCOPE_COLUMN = "统计口径"
CURRENT, CHANGE = "本期（累计）", "同比"
NOTE = "备注"


def scope_split_frame(
    table: pd.DataFrame, ind: pd.DataFrame, current: str = CURRENT
) -> pd.DataFrame:
    """One row per 口径 from the indicator table of ``ALL_SCOPE_IDS`` (``frames.
    indicator_table`` of the indicator frame ``ind``, index 指标编号): 统计口径, 事故起数,
    起数同比, 死亡人数, 死亡人数同比 (the 同比 columns when the district shows 同比; 备注
    when a figure has one). 未标注口径 only when it has accidents this year or last; empty
    when the data do not mark the 口径."""
    if table.empty:
        return pd.DataFrame()
    values = ind.set_index("id")
    rows = []
    for scope, (count_id, deaths_id) in SCOPE_IDS.items():
        if count_id not in table.index or deaths_id not in table.index:
            continue
        count, deaths = table.loc[count_id], table.loc[deaths_id]
        if scope == UNSCOPED and not _happened(values.loc[count_id]):
            continue
        row = {SCOPE_COLUMN: scope, "事故起数": count[current]}
        if CHANGE in table.columns:
            row["起数同比"] = count[CHANGE]
        row["死亡人数"] = deaths[current]
        if CHANGE in table.columns:
            row["死亡人数同比"] = deaths[CHANGE]
        if NOTE in table.columns:
            row[NOTE] = "；".join(dict.fromkeys(filter(None, (count[NOTE], deaths[NOTE]))))
        rows.append(row)
    return pd.DataFrame(rows)


def _happened(row: pd.Series) -> bool:
    """Accidents this year or in last year's same period."""
    return any(float(row[c]) > 0 for c in ("value", "prior_value") if pd.notna(row[c]))


def period_scope_split(rows: pd.DataFrame, shown: list[str]) -> pd.DataFrame:
    """The split for a month's, quarter's or half's 形势分析 from its period rows
    (``indicators.period_indicators``, texts worded and marked): 统计口径, 事故起数, 起数同比,
    死亡人数, 死亡人数同比 of the period (同比 when the district shows it)."""
    own = rows[rows["id"].isin(ALL_SCOPE_IDS) & rows["value"].notna()].set_index("id")
    table = pd.DataFrame({CURRENT: own["value_text"]}, index=own.index)
    if "同比" in shown:
        table[CHANGE] = own["yoy_text"].replace("", "—")
    return scope_split_frame(table, rows)
