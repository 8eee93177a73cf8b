"""The frames a briefing shows (``brief.frames``), assembled from what ``briefing.prepare``
computed, each on first access, and the wording of the changes in its indicator frames."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from analysis.assess.change_marks import MarkWords, catalogue_marker
from analysis.assess.comparability import apply_marks
from analysis.inputs.fingerprint import rows_digest
from analysis.inputs.town_rows import rows_of_town
from analysis.present import evidence_words
from analysis.present import frames as frames_of
from analysis.present.change_style import restyle
from analysis.present.highlights import highlights_frame
from analysis.present.scope_frames import ALL_SCOPE_IDS, scope_split_frame
from analysis.settings.params import PERIOD_GENRE_KINDS

# the tables a 形势分析 (monthly.ipynb) shows or its run writes; every other one is made
# only when asked for
PERIOD_FRAMES = (
    "period_accidents",
    "period_fires",
    "period_other",
    "period_by_industry",
    "fires_by_town",
    "period_by_scope",
    "monthly",
    "next_steps",
    "reconciliation",
    "data_quality",
    "data_notices",
    "provenance",
)


class Frames:
    """Every table the briefing shows, as DataFrames with Chinese column names, made from
    briefing ``b`` (an ``analysis.briefing.Briefing``), its monthly ``series`` and the gaps'
    ``actions``. Each table is made on first access and kept: ``prepare`` makes the ones
    its genre shows, and a table of the other genre (say ``by_town`` in a 形势分析) is
    still there when an analyst asks for it."""

    def __init__(self, b, series: pd.DataFrame, actions) -> None:
        self._b, self._series, self._actions = b, series, actions
        self._provided = {f.table for f in b.loaded.files}

    @classmethod
    def names(cls) -> list[str]:
        """Every table's name, in a fixed order (the order of the definitions below)."""
        return [n for n, v in vars(cls).items() if isinstance(v, cached_property)]

    def made(self) -> list[str]:
        """The tables made so far."""
        return [n for n in self.names() if n in vars(self)]

    # ---------------------------------------------------------------- helpers
    def _from_provided_tables(self, ids) -> list[str]:
        """``ids`` without those computed from a table not provided (no row from it)."""
        sources = self._b.sources  # (an indicator the data cannot measure has none)
        return [i for i in ids if i in sources and sources[i] <= self._provided]

    def _table_of(self, ids) -> pd.DataFrame:
        b = self._b
        ids = self._from_provided_tables(ids)
        rule, shown = b.settings.rounding, b.settings.comparisons
        return frames_of.indicator_table(b.indicators, ids, rule, shown, b.coverage_notes)

    def _section(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame``, emptied when none of the section's tables was provided."""
        return frames_of.provided_only({name: frame}, self._provided)[name]

    def _group(self, name: str) -> pd.DataFrame:
        ids = frames_of.group_ids(self._b.indicators, frames_of.SECTION_GROUPS[name])
        return self._section(name, self._table_of(ids))

    def _breakdown(self, rows: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
        rows = rows[[self._b.sources[i] <= self._provided for i in rows["id"]]]
        return frames_of.breakdown_table(rows, column, label)

    def _towns(self) -> pd.DataFrame:
        """The by-town rows: a town's briefing shows none (its own rows only)."""
        b = self._b
        return b.by_town if b.is_district else b.by_town.iloc[0:0]

    def _period(self, name: str) -> pd.DataFrame:
        period = self._b.period
        return pd.DataFrame() if period is None else getattr(period, name)

    # ---------------------------------------------------------------- the tables
    @cached_property
    def highlights(self) -> pd.DataFrame:
        b = self._b
        ids = self._from_provided_tables(b.sources)
        return highlights_frame(b.indicators, b.targets, b.figures, b.words, b.context, ids)

    @cached_property
    def overview(self) -> pd.DataFrame:
        return self._section("overview", self._table_of(frames_of.OVERVIEW_IDS))

    @cached_property
    def monthly(self) -> pd.DataFrame:
        year = self._b.params.period_end.year
        return self._section("monthly", frames_of.monthly_frame(self._series, year, self._b.words))

    @cached_property
    def outreach(self) -> pd.DataFrame:
        return self._group("outreach")

    @cached_property
    def campaigns(self) -> pd.DataFrame:
        return self._group("campaigns")

    @cached_property
    def enforcement(self) -> pd.DataFrame:
        return self._group("enforcement")

    @cached_property
    def intrinsic(self) -> pd.DataFrame:
        return self._group("intrinsic")

    @cached_property
    def hazards(self) -> pd.DataFrame:
        b = self._b
        by_unit, label = (b.by_town, "镇（街道）") if b.is_district else (b.by_industry, "行业领域")
        return self._section("hazards", frames_of.hazards_frame(by_unit, label, b.words))

    @cached_property
    def inspections(self) -> pd.DataFrame:
        b = self._b
        year = b.params.period_end.year
        frame = frames_of.inspections_frame(b.indicators, year, b.words)
        return self._section("inspections", frame)

    @cached_property
    def fines(self) -> pd.DataFrame:
        frame = frames_of.fines_frame(self._b.indicators, self._b.words)
        return self._section("fines", frame)

    @cached_property
    def targets(self) -> pd.DataFrame:
        b = self._b
        return frames_of.targets_frame(
            evidence_words.forecast_notes(b.targets, b.evidence.forecasts, b.words)
        )

    @cached_property
    def gaps(self) -> pd.DataFrame:
        return frames_of.gaps_frame(self._b.gap_register)

    @cached_property
    def next_steps(self) -> pd.DataFrame:
        return frames_of.next_steps_frame(self._b.gap_register, self._actions)

    @cached_property
    def town_accidents(self) -> pd.DataFrame:
        frame = frames_of.town_accidents_frame(self._towns(), self._b.words)
        return self._section("town_accidents", frame)

    @cached_property
    def by_town(self) -> pd.DataFrame:
        return self._breakdown(self._towns(), "town", "镇（街道）")

    @cached_property
    def by_industry(self) -> pd.DataFrame:
        return self._breakdown(self._b.by_industry, "industry", "行业领域")

    @cached_property
    def reconciliation(self) -> pd.DataFrame:
        return frames_of.reconciliation_frame(self._b.reconciliation)

    @cached_property
    def data_quality(self) -> pd.DataFrame:
        b = self._b
        return frames_of.data_quality_frame(b.loaded, _unit_rows(b), b.params.unit)

    @cached_property
    def data_notices(self) -> pd.DataFrame:
        """Files and sheets not read, values worth a look (the loader's notices)."""
        return frames_of.data_notices_frame(self._b.loaded.notices)

    @cached_property
    def provenance(self) -> pd.DataFrame:
        return frames_of.provenance_frame(_file_fingerprints(self._b), self._b.params.unit)

    # 形势分析 (KIND=month|quarter|half) only; empty otherwise
    @cached_property
    def period_accidents(self) -> pd.DataFrame:
        return self._period("accidents")

    @cached_property
    def period_fires(self) -> pd.DataFrame:
        return self._period("fires")

    @cached_property
    def period_other(self) -> pd.DataFrame:
        return self._period("other")

    @cached_property
    def period_by_industry(self) -> pd.DataFrame:
        return self._period("by_industry")

    @cached_property
    def fires_by_town(self) -> pd.DataFrame:
        return self._period("fires_by_town")

    @cached_property
    def period_by_scope(self) -> pd.DataFrame:
        return self._period("by_scope")

    # the statistics of change: XmR chart, the towns' funnel (district only) and its lines
    @cached_property
    def control(self) -> pd.DataFrame:
        return evidence_words.control_frame(self._b.evidence.charts)

    @cached_property
    def control_indicators(self) -> pd.DataFrame:
        """亿元GDP死亡率 etc. (only with the denominators table)."""
        b = self._b
        table = self._table_of(evidence_words.CONTROL_INDICATOR_IDS)
        return evidence_words.control_indicator_frame(table, b.targets, b.indicators)

    @cached_property
    def funnel(self) -> pd.DataFrame:
        return evidence_words.funnel_frame(self._b.evidence.funnel)

    @cached_property
    def funnel_curve(self) -> pd.DataFrame:
        return evidence_words.funnel_curve_frame(self._b.evidence.funnel)

    @cached_property
    def scope_split(self) -> pd.DataFrame:
        """工矿商贸 / 生产经营性道路交通 / 生产经营性火灾 / 其他 (only where the data mark
        the 口径)."""
        return scope_split_frame(self._table_of(ALL_SCOPE_IDS), self._b.indicators)


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


def _unit_rows(b):
    """A table's rows this briefing is about: all of them for the district, the town's own
    for a town/street briefing (tables without a town column are shared)."""

    def rows(table: str) -> pd.DataFrame:
        return rows_of_town(b.loaded.tables[table], b.params.unit)

    return rows


def _file_fingerprints(b) -> list[tuple[str, str]]:
    """The input files' SHA-256 for the district; for a town, a SHA-256 of its own rows."""
    if b.params.unit:
        rows = _unit_rows(b)
        return [(f.name, rows_digest(rows(f.table)).hex()) for f in b.loaded.files]
    return [(f.name, f.sha256) for f in b.loaded.files]


def genre_frames(kind: str) -> list[str]:
    """The tables a briefing of ``kind`` shows: a 形势分析's, or all of them (年初至今, 全年)."""
    return list(PERIOD_FRAMES) if kind in PERIOD_GENRE_KINDS else Frames.names()
