"""Year-to-date values of the catalogue's indicators, and a month or quarter taken from them.

本月 = YTD(as-of) − YTD(end of the previous month), 季度 likewise from the quarter's start
(only for additive indicators: counts, sums and their differences and ratios); 同比 and
比前年 read the engine's prior slots, which know whether the data cover them.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.errors import ConfigError, ParameterError
from analysis.indicators import compute_panel
from analysis.indicators.model import Catalogue, Indicator
from analysis.periods import Window

ADDITIVE_MEASURES = ("count", "sum", "difference")
_SLOT_OF_LAG = {0: "value", 1: "prior_value", 2: "prior2_value"}


class NotAdditiveError(Exception):
    """An indicator whose month or quarter cannot be taken from year-to-date values."""


class YearToDate:
    """Year-to-date values (and the engine's prior-year slots) per district and date, from
    as few ``compute_panel`` calls as possible."""

    def __init__(self, tables, catalogue: Catalogue, computed: pd.DataFrame | None):
        self.tables, self.catalogue = tables, catalogue
        self.frames: dict[tuple[str, pd.Timestamp], pd.DataFrame] = {}
        self.errors: dict[str, str] = {}
        self.wanted: dict[str, dict[pd.Timestamp, set[str]]] = {}
        if computed is not None and len(computed):
            for (area, as_of), df in computed.groupby(["area", "as_of"], sort=False):
                self.frames[(area, pd.Timestamp(as_of))] = df.set_index("id")

    def want(self, district: str, ind: Indicator, windows: list[Window]) -> None:
        by_date = self.wanted.setdefault(district, {})
        for w in windows:
            for d in w.ytd_dates:
                by_date.setdefault(d, set()).update([ind.id, *ind.inputs])

    def compute(self) -> None:
        """One ``compute_panel`` per district for the dates and ids not at hand."""
        for district, by_date in self.wanted.items():
            missing = {
                d: ids
                for d, ids in by_date.items()
                if (district, d) not in self.frames
                or not ids <= set(self.frames[(district, d)].index)
            }
            if not missing:
                continue
            ids = sorted(set().union(*missing.values()))
            try:
                panel = compute_panel(
                    self.tables,
                    district,
                    sorted(missing),
                    [district],
                    self.catalogue,
                    ids=ids,
                    texts=False,
                )
            except (ParameterError, ConfigError) as exc:
                self.errors[district] = str(exc)
                continue
            panel = panel.loc[panel["area"] == district]
            for as_of, df in panel.groupby("as_of", sort=False):
                self.frames[(district, pd.Timestamp(as_of))] = df.set_index("id")

    def ytd(self, district: str, ind_id: str, date: pd.Timestamp, lag: int) -> float:
        frame = self.frames.get((district, date))
        if frame is None or ind_id not in frame.index:
            return math.nan
        return float(frame.at[ind_id, _SLOT_OF_LAG[lag]])

    def value(self, district: str, ind: Indicator, w: Window, lag: int = 0) -> float:
        """The indicator over ``w`` (``lag`` years back: 1 = 同比, 2 = 比前年)."""
        at_end = self.ytd(district, ind.id, w.end, lag)
        if ind.period == "snapshot" or w.from_new_year:
            return at_end
        if ind.measure == "ratio":
            num = self.value(district, self.catalogue[ind.numerator], w, lag)  # type: ignore[index]
            den = self.value(district, self.catalogue[ind.denominator], w, lag)  # type: ignore[index]
            return num / den * ind.scale if den > 0 else math.nan
        if ind.measure not in ADDITIVE_MEASURES:
            raise NotAdditiveError(ind.id)
        return at_end - self.ytd(district, ind.id, w.start - pd.Timedelta(days=1), lag)
