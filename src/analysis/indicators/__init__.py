"""The indicator engine: every figure of the briefing, recomputed from record-level tables.

Indicators are defined in data/config/catalogue.yaml (see ``analysis.indicators.catalogue``); this
package only knows how to evaluate the measures and periods described there.

Public API
----------
- ``compute_indicators(tables, district, period_end, unit=None, catalogue=None)``: one row
  per indicator for the district or one town (镇/街道).
- ``compute_panel(tables, district, as_of_dates, areas=None, catalogue=None, by="town")``:
  the same for many as-of dates × areas at once; ``indicators_at(panel, as_of, area)``
  picks one date and area out of it (what ``compute_indicators`` would return).
- ``monthly_series(tables, district, period_end, ids, unit=None)``: each month's own and
  cumulative figures, this year to the period and last year's 12 months (the cumulative
  chart); ``monthly_as_of_dates`` + ``monthly_series_from_panel`` get them from a panel
  computed for other purposes too.
- ``breakdown(tables, district, period_end, by="town"|"industry", ids=None, wide=False)``.
- ``period_indicators(tables, district, period_end, kind, unit=None)``: a month, quarter,
  half or year's figures with 同比 / 比前年 / 环比 bases and 累计 (module ``periods``).
- ``severity_class(df)``: 事故等级 per 国务院令第493号.
- ``parse_as_of(period_end)``, ``shift_months(t, months)``: the engine's dates.
- ``to_display(df)``: Chinese column headers of every table the briefing writes as CSV.
- ``shared_engines()``: a ``with`` block inside which every call above given the same
  tables, district and grouping shares one engine (``briefing.prepare`` opens one; module
  ``scope``). Outside it each call builds its own and nothing is kept.

Modules: ``dates`` (as-of dates), ``severity``, ``engine`` (windows, tables, the sorted
cumulative structures), ``frame`` (the long output frame and its texts), ``api`` (the
functions above), ``scope`` (the shared engines), ``labels`` (display headers).

Periods (for an as-of date T; a month "2020-10" means T = 2020-10-31)
---------------------------------------------------------------------
- value            ytd: 1 January of T's year .. T;  snapshot: as of T.
- month_value      本月: first day of T's month .. T (ytd indicators only).
- prior_value      上年同期: the same window one year earlier (month ends map to month ends).
- prior2_value     前年同期: two years earlier.
- prev_month_value 上月 (环比基数): the month window of the previous month, cut at the same
                   day (or that month's end when T is a month end). 环比 compares
                   month_value with prev_month_value.
- month_prior_value 上年同月: the month window one year earlier (本月同比).

A comparison window is reported only if the table's data reach back to it: coverage of a
table starts on 1 January of the year of its earliest record (all districts; extracts are
yearly, and a sparse table such as meetings may have no record in January), and a window
that starts earlier gives NaN, not a false zero. ``coverage={table: date}`` overrides this
(e.g. a system that went live mid-year). The current window needs only that the table has
data. Snapshot (roster) indicators have no prior values: the roster is a
current list. Campaign items take the latest value recorded on or before the date.

How it is fast: each table is filtered to the district once; each distinct filter is
evaluated once; for each indicator the selected rows are sorted once by (area, year or
month, effective date) and cumulated, so any window "bucket start .. T" for every area is
two ``searchsorted`` calls. A condition ``col <= $as_of`` folds into the effective date
(max of the record date and ``col``), which keeps the windows one-dimensional.
"""

from analysis.indicators.api import (
    SERIES_COLUMNS,
    breakdown,
    compute_indicators,
    compute_panel,
    indicators_at,
    monthly_series,
    monthly_series_from_panel,
    unmarked_ids,
)
from analysis.indicators.labels import to_display
from analysis.indicators.model import severity_classes
from analysis.indicators.periods import period_breakdown, period_indicators
from analysis.indicators.scope import shared_engines, town_tables
from analysis.indicators.severity import severity_class
from analysis.numbers import TextStyle
from analysis.periods import monthly_as_of_dates, parse_as_of, shift_months

__all__ = [
    "SERIES_COLUMNS",
    "severity_classes",
    "TextStyle",
    "breakdown",
    "compute_indicators",
    "compute_panel",
    "indicators_at",
    "monthly_as_of_dates",
    "monthly_series",
    "monthly_series_from_panel",
    "parse_as_of",
    "period_breakdown",
    "period_indicators",
    "severity_class",
    "shared_engines",
    "town_tables",
    "unmarked_ids",
    "shift_months",
    "to_display",
]
