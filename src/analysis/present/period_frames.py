"""The tables and figures of a month's, quarter's or half's 形势分析 (notebooks/monthly.ipynb):
一、生产安全事故总体情况 (本期 and 累计, by industry), 二、其他灾害事故 (火灾 by 街道;
火警 and 道路交通事故 where the district records them: a kind of record it never has has no
value, so no row).
Every number comes from ``indicators.period_indicators`` / ``period_breakdown`` and is
worded under the district's rounding rule and marked as the year-to-date briefing marks
its changes (``assess.change_marks``: exact tests of the two counts, 百分点 for rates,
"（变化显著）/（属正常波动）"); a declared break or incomplete data still replace the change
by words. A comparison the district does not show, or the kind does not have (环比 of a
half), has no column."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.assess.change_marks import (
    PERIOD_COMPARISONS,
    MarkWords,
    catalogue_marker,
    period_exposures,
)
from analysis.assess.comparability import apply_marks
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.periods import COMPARISONS
from analysis.present.change_style import restyle
from analysis.present.scope_frames import ALL_SCOPE_IDS, period_scope_split
from analysis.present.wording import Figures, load_wording
from analysis.settings.district import DistrictSettings
from analysis.settings.params import RunParams

ACCIDENT_IDS = ("accidents", "accident_deaths", "accident_injuries", "accident_direct_loss")
# 各类事故 (every kind but 火警): shown only where the district records several kinds
ALL_KINDS_IDS = ("all_incidents", "all_incident_deaths")
FIRE_IDS = ("fires", "fire_deaths", "fire_casualties")
OTHER_IDS = ("fire_alarms", "road_accidents", "road_accident_deaths")
PERIOD_IDS = (*ALL_KINDS_IDS, *ACCIDENT_IDS, *FIRE_IDS, *OTHER_IDS)
SECTION_IDS = {
    "period_accidents": (*ALL_KINDS_IDS, *ACCIDENT_IDS),
    "period_fires": FIRE_IDS,
    "period_other": OTHER_IDS,
}
NOT_AN_INCIDENT = "火警"
CURRENT_COLUMN = {"month": "本月", "quarter": "本季度", "half": "本半年"}
RING_COLUMN = {"month": "环比（上月）", "quarter": "环比（上季度）"}
YTD_CHANGE_COLUMN = "累计同比"
TEXT_OF = {"同比": "yoy_text", "比前年": "yoy2_text", "环比": "mom_text"}


@dataclass(frozen=True)
class PeriodParts:
    figures: Figures  # the period's figures for sentences ({accidents}, {accidents.累计}, …)
    accidents: pd.DataFrame
    fires: pd.DataFrame
    other: pd.DataFrame  # 火警, 道路交通事故: rows only for the kinds the data record
    by_industry: pd.DataFrame
    fires_by_town: pd.DataFrame
    by_scope: pd.DataFrame  # 分统计口径 (empty where the data do not mark the 口径)

    def recorded(self, section: str) -> bool:
        """Whether the district records any kind of the section (its figures have values)."""
        return any(self.figures.has(i) for i in SECTION_IDS.get(section, ()))


def shown_comparisons(kind: str, settings: DistrictSettings) -> list[str]:
    return [c for c in settings.comparisons if kind in COMPARISONS[c][2]]


def prepare_period(
    tables, params: RunParams, settings: DistrictSettings, notes: dict[str, str], marks=None
) -> PeriodParts:
    """The period's figures and tables for the district or one town; ``notes`` (id →
    数据截至…) mark the figures of tables that stop before an allowed partial period;
    ``marks`` (``assess.comparability``) the comparisons printed as words, not percentages."""
    kind, district, unit, end = params.kind, params.district, params.unit or None, params.period
    style = settings.text_style
    worded = _wording_of_changes(params, settings, marks)
    rows = indicators.period_indicators(
        tables, district, end, kind, unit, ids=[*PERIOD_IDS, *ALL_SCOPE_IDS], style=style
    )
    rows = worded(_all_kinds_if_several(rows, tables, district))
    shown = shown_comparisons(kind, settings)
    through = f"累计（截至{params.period_end.month}月{params.period_end.day}日）"
    ytd = ["累计", "累计同比"] if "同比" in shown else ["累计"]
    figures = Figures(rows.assign(applicable=True).to_dict("records"), [*shown, *ytd], notes)
    local = indicators.town_tables(tables, unit)
    industries = indicators.period_breakdown(
        local, district, end, kind, None, by="industry", ids=["accidents"], style=style
    )
    by_industry = _by_area(worded(industries), "行业领域", kind, shown, None)
    fires_by_town = pd.DataFrame()
    if not unit:  # a town's briefing has no other towns to list
        towns = indicators.period_breakdown(
            tables, district, end, kind, None, ids=["fires"], style=style
        )
        fires_by_town = _by_area(worded(towns), "镇（街道）", kind, shown, through)
    return PeriodParts(
        figures=figures,
        accidents=_indicator_rows(rows, SECTION_IDS["period_accidents"], kind, shown, through),
        fires=_indicator_rows(rows, FIRE_IDS, kind, shown, through),
        other=_indicator_rows(rows, OTHER_IDS, kind, shown, through),
        by_industry=by_industry,
        fires_by_town=fires_by_town,
        by_scope=period_scope_split(rows, shown),
    )


def _wording_of_changes(params: RunParams, settings: DistrictSettings, marks):
    """How a period frame's changes are worded, in the year-to-date genre's order: the
    district's style, then the evidence marks (exact tests at the district's level; 环比
    over the days of each period), then declared breaks and incomplete data."""
    words = load_wording(district=params.district)
    mark_words = MarkWords(words.label("change_significant"), words.label("change_noise"))
    honest = catalogue_marker(
        load_catalogue(district=params.district),
        settings.significance_level,
        mark_words,
        comparisons=PERIOD_COMPARISONS,
        exposures=period_exposures(params.kind, params.period_end),
    )

    def worded(rows: pd.DataFrame) -> pd.DataFrame:
        if rows.empty:
            return rows
        styled = restyle(rows, settings.options, settings.rounding, params.kind)
        return apply_marks(honest(styled), marks or {})

    return worded


def _all_kinds_if_several(rows: pd.DataFrame, tables, district: str) -> pd.DataFrame:
    """The 各类事故 rows keep their values only where the district's records have more
    than one kind of incident (火警 is not one): otherwise they would repeat one kind."""
    incidents = tables.get("incidents")
    kinds = set()
    if incidents is not None and len(incidents):
        own = incidents[incidents["district"] == district] if "district" in incidents else incidents
        kinds = set(own["category"].dropna()) - {NOT_AN_INCIDENT}
    if len(kinds) > 1:
        return rows
    out = rows.copy()
    out.loc[out["id"].isin(ALL_KINDS_IDS), ["value", "ytd_value"]] = float("nan")
    return out


def _comparison_columns(kind: str, shown: list[str]) -> dict[str, str]:
    """column → text column of the shown comparisons."""
    names = {"同比": "同比", "比前年": "比前年同期", "环比": RING_COLUMN.get(kind, "环比")}
    return {names[c]: TEXT_OF[c] for c in shown}


def _indicator_rows(rows: pd.DataFrame, ids, kind: str, shown, through: str) -> pd.DataFrame:
    """One row per indicator with a value: 指标, 本期, comparisons, 累计."""
    rows = rows.set_index("id").reindex([i for i in ids if i in set(rows["id"])])
    rows = rows[rows["value"].notna()]
    if rows.empty or ((rows["value"] == 0) & (rows["ytd_value"].fillna(0) == 0)).all():
        rows = rows.iloc[0:0]  # nothing this period nor this year: the sentence says so
    frame = pd.DataFrame({"指标": rows["name_zh"], CURRENT_COLUMN[kind]: rows["value_text"]})
    for column, text in _comparison_columns(kind, shown).items():
        frame[column] = rows[text].replace("", "—")
    frame[through] = rows["ytd_text"]
    if "同比" in shown:
        frame[YTD_CHANGE_COLUMN] = rows["ytd_yoy_text"].replace("", "—")
    return frame.rename_axis("指标编号")


def _by_area(breakdown: pd.DataFrame, label: str, kind: str, shown, through) -> pd.DataFrame:
    """One row per area (合计 last) of a one-indicator breakdown: label, 本期, comparisons
    (and 累计 when ``through`` is given); areas with nothing this period and last are left out."""
    parts = breakdown[~breakdown["is_district"]]
    parts = parts[(parts["value"] > 0) | (parts["prior_value"] > 0)]
    if parts.empty:  # a 合计 row alone is an empty table: the sentences say it
        return pd.DataFrame()
    rows = pd.concat([parts, breakdown[breakdown["is_district"]]])
    names = rows["area"].where(~rows["is_district"], "合计")
    frame = pd.DataFrame({label: names, CURRENT_COLUMN[kind]: rows["value_text"]})
    for column, text in _comparison_columns(kind, shown).items():
        frame[column] = rows[text].replace("", "—")
    if through:
        frame[through] = rows["ytd_text"]
        if "同比" in shown:
            frame[YTD_CHANGE_COLUMN] = rows["ytd_yoy_text"].replace("", "—")
    return frame.reset_index(drop=True)
