"""One published figure (a row of published_figures) and the text a bulletin prints for it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.compare import format_number, format_value, verbs_for
from analysis.indicators.model import Indicator
from analysis.numbers import HALF_UP, decimals_of, rule_name
from analysis.periods import Window, base_name, period_window, previous_window

CHANGE_MEASURES = ("yoy_pct", "change_abs")


@dataclass(frozen=True)
class Figure:
    """One published figure with the optional columns filled with their defaults."""

    figure_id: str
    district: str
    indicator_id: str
    measure: str
    value: float
    as_of: pd.Timestamp
    qualifier: str
    sentence: str
    kind: str = "累计"
    basis: str = "同比"
    prior: float | None = None
    decimals: int = 0
    rule: str = HALF_UP
    comparability: str = ""

    @property
    def window(self) -> Window:
        return period_window(self.as_of, self.kind)

    @property
    def base_window(self) -> Window | None:
        if self.basis == "环比":
            return previous_window(self.window, self.kind)
        return self.window

    @property
    def lag(self) -> int:
        return {"同比": 1, "比前年": 2}.get(self.basis, 0)

    @property
    def key(self) -> tuple:
        return (self.district, self.indicator_id, self.as_of, self.kind)


def _opt(row, name: str, default=None):
    value = getattr(row, name, None)
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return default
    return value


def figure_from_row(row) -> Figure:
    value = _opt(row, "value", math.nan)
    declared = _opt(row, "decimals")
    prior = _opt(row, "prior_value")
    return Figure(
        figure_id=str(row.figure_id),
        district=str(row.district),
        indicator_id=str(row.indicator_id),
        measure=str(row.measure),
        value=float(value),
        as_of=pd.Timestamp(row.as_of).normalize(),
        qualifier=str(_opt(row, "qualifier", "")),
        sentence=str(_opt(row, "sentence", "")),
        kind=str(_opt(row, "period_kind", "累计")),
        basis=str(_opt(row, "basis", "同比")),
        prior=None if prior is None else float(prior),
        decimals=int(declared) if declared is not None else _decimals(value),
        rule=rule_name(_opt(row, "rounding")),
        comparability=str(_opt(row, "comparability", "")),
    )


def _decimals(value: float) -> int:
    return 0 if pd.isna(value) else decimals_of(value)


def published_text(f: Figure, ind: Indicator | None) -> str:
    """The figure as a bulletin prints it: “本月19起”, “环比下降9.52%”, “同比上升1.6个百分点
    （上年同期20.0%）”, “同比减少4起”, “约12.5%”."""
    if f.comparability and f.measure in CHANGE_MEASURES:
        return f.comparability
    unit = ind.unit if ind is not None else ""
    prefix = "" if f.kind == "累计" else f.kind
    if pd.isna(f.value):
        return ""
    if f.measure in ("value", "share_pct"):
        shown_unit = "%" if f.measure == "share_pct" else unit
        return prefix + format_value(f.value, shown_unit, f.decimals, f.qualifier)
    rate = ind is not None and ind.is_rate
    if f.value == 0:
        words = f"{f.basis}持平"
    elif f.measure == "change_abs":
        more = "增加" if f.value > 0 else "减少"
        words = f.basis + more + format_value(abs(f.value), unit, f.decimals, f.qualifier)
    else:
        up, down = verbs_for(ind.direction if ind else "neutral", "rate" if rate else "count")
        suffix = "个百分点" if rate else "%"
        number = format_value(abs(f.value), suffix, f.decimals, f.qualifier)
        words = f.basis + (up if f.value > 0 else down) + number
    if f.prior is not None:
        shown = format_number(f.prior, decimals_of(f.prior))
        words += f"（{base_name(f.basis, f.kind)}{shown}{'%' if rate else unit}）"
    return prefix + words
