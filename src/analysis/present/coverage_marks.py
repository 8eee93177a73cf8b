"""Which tables a briefing shows, and the comparisons its figures must not print as a
percentage: declared breaks and comparison windows a table does not cover."""

from __future__ import annotations

from analysis.assess import comparability
from analysis.assess.coverage import year_to_date_tables
from analysis.assess.run_coverage import RunCoverage, vintage_date
from analysis.assess.vintage import declared_vintage
from analysis.indicators.catalogue import load_catalogue
from analysis.present.frames import indicator_tables
from analysis.present.period_frames import PERIOD_IDS, shown_comparisons
from analysis.settings.params import PERIOD_GENRE_KINDS, RunParams


def tables_shown(kind: str, district: str | None = None) -> frozenset[str]:
    """The dated tables whose figures a briefing of ``kind`` shows: the 形势分析's
    indicators (accidents and fires) or every year-to-date indicator's."""
    if kind not in PERIOD_GENRE_KINDS:
        return year_to_date_tables(district)
    catalogue = load_catalogue(district=district)
    ids = [i for i in PERIOD_IDS if i in catalogue]
    return frozenset().union(*indicator_tables(catalogue, ids).values())


def briefing_marks(loaded, params: RunParams, settings, ids) -> tuple[comparability.Marks, object]:
    """(marks by indicator id, the declared extraction date or None) for a briefing of the
    indicators ``ids``: its comparisons whose windows a table does not cover, then the
    breaks the period's published figures declare."""
    vintage = declared_vintage(params.data_dir, params.data_as_of)
    shown_tables = tables_shown(params.kind, params.district)
    coverage = RunCoverage.of(loaded, params.district, vintage, shown_tables)
    kind = params.kind if params.kind in PERIOD_GENRE_KINDS else "month"
    judgement = coverage.judgement(params, shown_comparisons(kind, settings))
    sources = indicator_tables(load_catalogue(district=params.district), list(ids))
    incomplete = comparability.incomplete_marks(sources, judgement.comparisons)
    published = loaded.tables.get("published_figures")
    breaks = comparability.declared_breaks(published, params.district, params.period)
    return comparability.merge(incomplete, breaks), vintage_date(vintage, shown_tables)
