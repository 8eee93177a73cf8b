"""The frames a briefing shows (``brief.frames``), assembled from what ``briefing.prepare``
computed, and the wording of the changes in its indicator frames."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from analysis.assess.change_marks import MarkWords, catalogue_marker
from analysis.assess.comparability import apply_marks
from analysis.inputs.fingerprint import rows_digest
from analysis.present import evidence_words
from analysis.present import frames as frames_of
from analysis.present.change_style import restyle
from analysis.present.highlights import highlights_frame
from analysis.present.period_frames import PeriodParts


@dataclass
class Frames:
    """Every table the briefing shows, as DataFrames with Chinese column names."""

    highlights: pd.DataFrame
    overview: pd.DataFrame
    monthly: pd.DataFrame
    outreach: pd.DataFrame
    campaigns: pd.DataFrame
    enforcement: pd.DataFrame
    intrinsic: pd.DataFrame
    hazards: pd.DataFrame
    inspections: pd.DataFrame
    fines: pd.DataFrame
    targets: pd.DataFrame
    gaps: pd.DataFrame
    next_steps: pd.DataFrame
    town_accidents: pd.DataFrame
    by_town: pd.DataFrame
    by_industry: pd.DataFrame
    reconciliation: pd.DataFrame
    data_quality: pd.DataFrame
    data_notices: pd.DataFrame  # files and sheets not read, values worth a look
    provenance: pd.DataFrame
    # 形势分析 (KIND=month|quarter|half) only; empty otherwise
    period_accidents: pd.DataFrame
    period_fires: pd.DataFrame
    period_other: pd.DataFrame
    period_by_industry: pd.DataFrame
    fires_by_town: pd.DataFrame
    # the statistics of change: XmR chart, the towns' funnel (district only) and its lines
    control: pd.DataFrame
    control_indicators: pd.DataFrame  # 亿元GDP死亡率 etc. (only with the denominators table)
    funnel: pd.DataFrame
    funnel_curve: pd.DataFrame

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]


def changes_worded(settings, words, catalogue, marks):
    """How an indicator frame's changes are worded, in order: the district's style (small
    counts as differences, bracketed bases, trailing zeros), then the evidence marks
    (变化显著 / 属正常波动), then declared breaks and incomplete data, which replace a
    change by words."""
    mark_words = MarkWords(words.label("change_significant"), words.label("change_noise"))
    honest = catalogue_marker(catalogue, settings.significance_level, mark_words)

    def shown(frame: pd.DataFrame) -> pd.DataFrame:
        return apply_marks(honest(restyle(frame, settings.options, settings.rounding)), marks)

    return shown


def briefing_frames(b, series: pd.DataFrame, actions) -> Frames:
    """Every frame of briefing ``b`` (an ``analysis.briefing.Briefing`` with its figures,
    assessments and loaded tables), from its monthly ``series`` and the gaps' ``actions``."""
    ind, words, year = b.indicators, b.words, b.params.period_end.year
    by_unit = b.by_town if b.is_district else b.by_industry
    towns = b.by_town if b.is_district else b.by_town.iloc[0:0]  # a town shows its own rows only
    unit_label = "镇（街道）" if b.is_district else "行业领域"
    rule, shown = b.settings.rounding, b.settings.comparisons
    provided = {f.table for f in b.loaded.files}
    sources = b.sources

    def table_of(ids) -> pd.DataFrame:
        ids = [i for i in ids if sources[i] <= provided]  # no row from an absent table
        return frames_of.indicator_table(ind, ids, rule, shown, b.coverage_notes)

    def from_provided(breakdown: pd.DataFrame) -> pd.DataFrame:
        return breakdown[[sources[i] <= provided for i in breakdown["id"]]]

    sections = {
        name: table_of(frames_of.group_ids(ind, group))
        for name, group in frames_of.SECTION_GROUPS.items()
    }
    sections |= {
        "overview": table_of(frames_of.OVERVIEW_IDS),
        "monthly": frames_of.monthly_frame(series, year, words),
        "hazards": frames_of.hazards_frame(by_unit, unit_label, words),
        "inspections": frames_of.inspections_frame(ind, year, words),
        "fines": frames_of.fines_frame(ind, words),
        "town_accidents": frames_of.town_accidents_frame(towns, words),
    }
    return Frames(
        highlights=highlights_frame(
            ind,
            b.targets,
            b.figures,
            words,
            b.context,
            [i for i in sources if sources[i] <= provided],
        ),
        **frames_of.provided_only(sections, provided),
        targets=frames_of.targets_frame(b.targets),
        gaps=frames_of.gaps_frame(b.gap_register),
        next_steps=frames_of.next_steps_frame(b.gap_register, actions),
        by_town=frames_of.breakdown_table(from_provided(towns), "town", "镇（街道）"),
        by_industry=frames_of.breakdown_table(from_provided(b.by_industry), "industry", "行业领域"),
        reconciliation=frames_of.reconciliation_frame(b.reconciliation),
        data_quality=frames_of.data_quality_frame(b.loaded, _unit_rows(b), b.params.unit),
        data_notices=frames_of.data_notices_frame(b.loaded.notices),
        provenance=frames_of.provenance_frame(_file_fingerprints(b), b.params.unit),
        **_period_frames(b.period),
        control=evidence_words.control_frame(b.evidence.charts),
        control_indicators=evidence_words.control_indicator_frame(
            table_of(evidence_words.CONTROL_INDICATOR_IDS), b.targets, ind
        ),
        funnel=evidence_words.funnel_frame(b.evidence.funnel),
        funnel_curve=evidence_words.funnel_curve_frame(b.evidence.funnel),
    )


def _period_frames(period: PeriodParts | None) -> dict[str, pd.DataFrame]:
    if period is None:
        names = ("period_accidents", "period_fires", "period_other")
        names += ("period_by_industry", "fires_by_town")
        return {name: pd.DataFrame() for name in names}
    return {
        "period_accidents": period.accidents,
        "period_fires": period.fires,
        "period_other": period.other,
        "period_by_industry": period.by_industry,
        "fires_by_town": period.fires_by_town,
    }


def _unit_rows(b):
    """A table's rows this briefing is about: all of them for the district, the town's own
    for a town/street briefing (tables without a town column are shared)."""

    def rows(table: str) -> pd.DataFrame:
        frame = b.loaded.tables[table]
        if b.params.unit and "town" in frame.columns:
            return frame[frame["town"] == b.params.unit]
        return frame

    return rows


def _file_fingerprints(b) -> list[tuple[str, str]]:
    """The input files' SHA-256 for the district; for a town, a SHA-256 of its own rows."""
    if b.params.unit:
        rows = _unit_rows(b)
        return [(f.name, rows_digest(rows(f.table)).hex()) for f in b.loaded.files]
    return [(f.name, f.sha256) for f in b.loaded.files]
