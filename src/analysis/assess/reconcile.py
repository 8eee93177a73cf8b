"""Reconcile published figures (data/sample/published_figures.csv) with recomputed ones.

Each published figure names an indicator of the catalogue, a measure (value / yoy_pct /
share_pct / change_abs), the number as printed, its as-of date and a qualifier, and
optionally what the bulletin printed around it: the period kind (累计 by default, 本月,
季度, 全年), the comparison basis (同比 by default, 比前年, 环比), the prior value printed
in brackets, the decimals it was printed with (trailing zeros count: "50.00%" has 2), the
rounding rule (四舍五入 by default, 截尾, 四舍六入五成双) and a declared comparability
break ("口径变化，无法同比").

Periods come from the engine's year-to-date values (``compute_panel`` at the dates needed):
本月 = YTD(as-of) − YTD(end of the previous month), 季度 likewise from the quarter's start
(only for additive indicators: counts, sums and their differences and ratios); 同比 and
比前年 take the same window one and two years back (the engine's prior slots, which know
whether the data cover them); 环比 the previous month or quarter.

Judging a figure:

- no qualifier: the recomputed value, rounded under the figure's rule to its decimals,
  equals it (−85 under 四舍五入 ⇒ true value in (−85.5, −84.5]; −30.77 under 截尾 ⇒
  (−30.78, −30.77]); the window is shown unrounded;
- 余 (“37000余”): recomputed ≥ published and < published + step, where step is the place
  value of the figure's second significant digit or its last non-zero digit, whichever is
  larger (37000余 → [37000, 38000); 8100余 → [8100, 8200); 7675余 → [7675, 7775));
- 以上 (“80%以上”, “下降20%以上”): the recomputed magnitude ≥ the published one, same sign;
- 约: |recomputed − published| ≤ half a step (step as for 余, 约3000 → [2500, 3500]);
- a prior value printed in brackets must agree with the recomputed base the same way.

Self-consistency of the text, with or without records: a change printed with its current
value (and prior, when printed) must be reproducible from them at its printed rounding
(352 vs 486 printed as −27.52%: no whole prior gives −27.52%); a share printed with its
numerator and denominator must equal their quotient at its printed rounding.

Verdicts: 一致 / 不一致 / 无法重算 (indicator unknown, data do not cover the period, or the
figure is not additive over the period) / 无法同比 and 无法环比 (declared comparability
break: no change is computed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from analysis.compare import format_number, format_value, verbs_for
from analysis.errors import ConfigError, ParameterError
from analysis.indicators import compute_panel
from analysis.indicators.catalogue import Catalogue, Indicator, load_catalogue
from analysis.numbers import (
    HALF_UP,
    decimals_of,
    round_decimal,
    rounding_window,
    rule_name,
    to_decimal,
    window_text,
)
from analysis.periods import Window, base_name, period_window, previous_window

COUNT_UNITS = {"起", "人", "家", "家次", "人次", "场次", "次", "个", "项", "所", "处", "台", "辆"}
COLUMNS = [
    "figure_id",
    "indicator_id",
    "name_zh",
    "measure",
    "as_of",
    "sentence",
    "published",
    "qualifier",
    "published_text",
    "recomputed",
    "recomputed_text",
    "accepted_range",
    "verdict",
    "consistency",
    "note",
]
VERDICTS = ("一致", "不一致", "无法重算", "无法同比", "无法环比")
CHANGE_MEASURES = ("yoy_pct", "change_abs")
ADDITIVE_MEASURES = ("count", "sum", "difference")
_SLOT_OF_LAG = {0: "value", 1: "prior_value", 2: "prior2_value"}


# --------------------------------------------------------------------------- rounding windows


def round_step(x: float) -> float:
    """The “round” step of a published figure for 余 / 约 (see the module docstring)."""
    x = abs(float(x))
    d = decimals_of(x)
    if d > 0:
        return 10.0**-d
    n = int(round(x))
    if n == 0:
        return 1.0
    tz = len(str(n)) - len(str(n).rstrip("0"))
    second_sig = max(0, len(str(n)) - 2)
    return float(10 ** max(tz, second_sig))


def accepted_range(
    published: float, qualifier: str | None, decimals: int | None = None, rule: str | None = None
) -> tuple[float, float, str]:
    """(low, high, text) of the recomputed values that agree with ``published``; the text
    shows the exact, unrounded bounds."""
    p = float(published)
    q = qualifier or ""
    d = decimals_of(p)
    fmt = lambda v: format_number(v, max(d, 1) if v != int(v) else 0)  # noqa: E731
    if q == "余":
        step = round_step(p)
        return p, p + step, f"[{fmt(p)}, {fmt(p + step)})"
    if q == "以上":
        if p < 0:
            return -math.inf, p, f"≤ {fmt(p)}"
        return p, math.inf, f"≥ {fmt(p)}"
    if q == "约":
        half = round_step(p) / 2
        return p - half, p + half, f"[{fmt(p - half)}, {fmt(p + half)}]"
    window = rounding_window(_fixed(p, decimals), decimals, rule)
    return float(window[0]), float(window[1]), window_text(*window)


def _fixed(p: float, decimals: int | None) -> Decimal:
    """The published number with its declared decimals (50 with 2 → Decimal('50.00'))."""
    d = to_decimal(p)
    return d if decimals is None else d.quantize(Decimal(1).scaleb(-int(decimals)))


def agrees(
    recomputed,
    published: float,
    qualifier: str | None,
    decimals: int | None = None,
    rule: str | None = None,
) -> bool:
    """Whether a recomputed value agrees with a published figure, its qualifier, its
    declared decimals (default: as printed) and rounding rule (default: 四舍五入)."""
    if recomputed is None or pd.isna(recomputed) or not math.isfinite(float(recomputed)):
        return False
    r, p, q = float(recomputed), float(published), qualifier or ""
    eps = 1e-9
    if q == "余":
        lo, hi, _ = accepted_range(p, q)
        return lo - eps <= r < hi - eps
    if q == "以上":
        return r <= p + eps if p < 0 else r >= p - eps
    if q == "约":
        lo, hi, _ = accepted_range(p, q)
        return lo - eps <= r <= hi + eps
    d = decimals_of(p) if decimals is None else int(decimals)
    return round_decimal(recomputed, d, rule) == _fixed(p, d)


def _pct(current, prior) -> Decimal | None:
    """(current − prior) / prior × 100 exactly; None for a base that is not positive."""
    c, p = to_decimal(current), to_decimal(prior)
    if not p > 0:
        return None
    return (c - p) / p * 100


def implied_priors(
    current: float, stated_pct: float, decimals: int | None = None, rule: str | None = None
) -> list[int]:
    """Whole-number prior values that give ``stated_pct`` (% change, rounded under ``rule``
    to ``decimals``, default: as printed) for a whole-number ``current``. Empty = the stated
    percentage cannot come from whole counts: the text is inconsistent.

    >>> implied_priors(9, -85)
    [59, 60, 61, 62]
    >>> implied_priors(352, -27.52, 2)
    []
    >>> implied_priors(9, -30.77, 2, "截尾")  # 9/13 − 1 = −30.769…%, truncated −30.76
    []
    """
    d = decimals_of(stated_pct) if decimals is None else decimals
    target = _fixed(stated_pct, d)
    c = int(round(float(current)))
    if float(stated_pct) <= -100:
        return []
    lo, hi, _, _ = rounding_window(target, d, rule)
    bounds = [c / f if f > 0 else math.inf for f in (1 + float(lo) / 100, 1 + float(hi) / 100)]
    p_lo = max(1, math.floor(min(bounds)) - 1)
    p_hi = max(bounds)
    if math.isinf(p_hi) or p_hi - p_lo > 100_000:
        p_hi = p_lo + 100_000
    out = []
    for p in range(p_lo, math.ceil(p_hi) + 2):
        pct = _pct(c, p)
        if pct is not None and round_decimal(pct, d, rule) == target:
            out.append(p)
    return out


# --------------------------------------------------------------------------- periods


class NotAdditiveError(Exception):
    """An indicator whose month or quarter cannot be taken from year-to-date values."""


class _YearToDate:
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


# --------------------------------------------------------------------------- figures


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


def _figure(row) -> Figure:
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


# --------------------------------------------------------------------------- recomputation


@dataclass
class Recomputed:
    value: float | Decimal = math.nan  # what the figure states (value, change, share)
    base: float = math.nan  # the base of a change (to check a bracketed prior)
    missing: str = ""  # why there is no value


def _recompute(f: Figure, ind: Indicator, ytd: _YearToDate) -> Recomputed:
    try:
        current = ytd.value(f.district, ind, f.window)
        if f.measure not in CHANGE_MEASURES:
            return Recomputed(current, missing="数据中没有该指标所需的记录")
        bw = f.base_window
        if bw is None:
            return Recomputed(missing=f"{f.kind}数没有环比，请把统计期填为本月或季度")
        base = ytd.value(f.district, ind, bw, f.lag)
    except NotAdditiveError:
        return Recomputed(missing=f"“{ind.name_zh}”不能由累计数相减得到{f.kind}数，无法核对")
    name = base_name(f.basis, f.kind)
    if pd.isna(current) or pd.isna(base):
        return Recomputed(base=base, missing=f"本期或{name}无数据，无法计算{f.basis}")
    if f.measure == "change_abs" or ind.is_rate:
        return Recomputed(to_decimal(current) - to_decimal(base), base)
    pct = _pct(current, base)
    if pct is None:
        return Recomputed(base=base, missing=f"{name}为{_n(base)}，无法计算{f.basis}百分比")
    return Recomputed(pct, base)


def _printed(figures: list[Figure]) -> dict[tuple, float]:
    """Current values printed without qualifier, by (district, indicator, as-of, kind)."""
    return {
        f.key: f.value
        for f in figures
        if f.measure in ("value", "share_pct") and not f.qualifier and not pd.isna(f.value)
    }


def _stated_change(f: Figure, ind: Indicator, current: float, prior: float) -> Decimal | None:
    if f.measure == "change_abs" or ind.is_rate:
        return to_decimal(current) - to_decimal(prior)
    return _pct(current, prior)


def _self_consistency(f: Figure, ind: Indicator, printed: dict) -> tuple[str, str]:
    """('自洽' | '不自洽' | '', note): does the text agree with itself?"""
    if f.qualifier or pd.isna(f.value) or (f.comparability and f.measure in CHANGE_MEASURES):
        return "", ""
    target = _fixed(f.value, f.decimals)
    how = f"按{f.rule}保留{f.decimals}位小数"
    if f.measure == "share_pct" and ind.measure == "ratio":
        num = printed.get((f.district, ind.numerator, f.as_of, f.kind))
        den = printed.get((f.district, ind.denominator, f.as_of, f.kind))
        if num is None or den is None or not den > 0:
            return "", ""
        share = to_decimal(num) / to_decimal(den) * Decimal(repr(ind.scale))
        shown = format_number(share, f.decimals, rule=f.rule)
        if round_decimal(share, f.decimals, f.rule) == target:
            return "自洽", f"原文自洽：{_n(num)}÷{_n(den)}{how}为{shown}%"
        return "不自洽", f"原文自相矛盾：{_n(num)}÷{_n(den)}{how}为{shown}%"
    current = printed.get(f.key)
    if f.measure not in CHANGE_MEASURES or current is None:
        return "", ""
    name = base_name(f.basis, f.kind)
    if f.prior is not None:
        change = _stated_change(f, ind, current, f.prior)
        if change is None:
            return "", ""
        shown = format_number(change, f.decimals, rule=f.rule)
        if round_decimal(change, f.decimals, f.rule) == target:
            return "自洽", f"原文自洽：本期{_n(current)}、{name}{_n(f.prior)}，{how}为{shown}"
        return "不自洽", f"原文自相矛盾：本期{_n(current)}、{name}{_n(f.prior)}，{how}应为{shown}"
    if f.measure != "yoy_pct" or ind.unit not in COUNT_UNITS or current != int(current):
        return "", ""
    priors = implied_priors(current, f.value, f.decimals, f.rule)
    pct = format_number(f.value, f.decimals)
    if not priors:
        return "不自洽", (
            f"原文自相矛盾：本期{int(current)}{ind.unit}时，"
            f"没有任何整数{name}值能得出{pct}%（{f.rule}）"
        )
    shown = str(priors[0]) if len(priors) == 1 else f"{priors[0]}～{priors[-1]}"
    return "自洽", f"原文可由{name}{shown}{ind.unit}得出"


def _n(x: float) -> str:
    return format_number(x, decimals_of(x))


def _figure_unit(f: Figure, ind: Indicator) -> str:
    if f.measure == "share_pct" or (f.measure == "yoy_pct" and not ind.is_rate):
        return "%"
    if f.measure == "yoy_pct":
        return "个百分点"
    return ind.unit


def _judge(f: Figure, ind: Indicator, rec: Recomputed, consistency: tuple[str, str]) -> dict:
    """The verdict columns of one figure that could be looked at."""
    state, c_note = consistency
    q = f.qualifier
    range_text = accepted_range(f.value, q, f.decimals, f.rule)[2]
    if pd.isna(rec.value):
        verdict = "不一致" if state == "不自洽" else "无法重算"
        note = "；".join(x for x in (rec.missing, c_note) if x)
        return _result(np.nan, "", range_text, verdict, state, note)
    unit = _figure_unit(f, ind)
    whole = rec.value == to_decimal(rec.value).to_integral_value()
    digits = 0 if whole else (f.decimals + 1 if unit != ind.unit else max(f.decimals, ind.decimals))
    rec_text = f"{format_number(rec.value, digits)}{unit}"
    ok = agrees(rec.value, f.value, q, f.decimals, f.rule)
    if ok:
        note = f"重算值{rec_text}，在可接受范围{range_text}内"
    elif not q:
        rounded = format_number(rec.value, f.decimals, rule=f.rule)
        note = f"重算值{rec_text}，{f.rule}到{f.decimals}位小数为{rounded}{unit}，与发布值不符"
    else:
        note = f"重算值{rec_text}，不在“{q}”的可接受范围{range_text}内"
    prior_ok, prior_note = _check_prior(f, ind, rec)
    verdict = "一致" if ok and prior_ok and state != "不自洽" else "不一致"
    note = "；".join(x for x in (note, prior_note, c_note) if x)
    return _result(float(rec.value), rec_text, range_text, verdict, state, note)


def _check_prior(f: Figure, ind: Indicator, rec: Recomputed) -> tuple[bool, str]:
    """Whether the prior value printed in brackets agrees with the recomputed base."""
    if f.prior is None:
        return True, ""
    name = base_name(f.basis, f.kind)
    unit = "%" if ind.is_rate else ind.unit
    shown = f"括号内{name}{_n(f.prior)}{unit}"
    if pd.isna(rec.base):
        return False, f"{shown}无法核对（{name}无数据）"
    if agrees(rec.base, f.prior, "", None, f.rule):
        return True, f"{shown}与重算值一致"
    digits = 0 if float(rec.base).is_integer() else max(ind.decimals, 2)
    return False, f"{shown}与重算值{format_number(rec.base, digits)}{unit}不符"


def _result(recomputed, rec_text, range_text, verdict, consistency, note) -> dict:
    return {
        "recomputed": recomputed,
        "recomputed_text": rec_text,
        "accepted_range": range_text,
        "verdict": verdict,
        "consistency": consistency,
        "note": note,
    }


def _reconcile_one(f: Figure, catalogue, ytd: _YearToDate, printed: dict) -> dict:
    ind = catalogue[f.indicator_id] if f.indicator_id in catalogue else None
    base = {
        "figure_id": f.figure_id,
        "indicator_id": f.indicator_id,
        "name_zh": ind.name_zh if ind else "",
        "measure": f.measure,
        "as_of": f.as_of,
        "sentence": f.sentence,
        "published": f.value,
        "qualifier": f.qualifier,
        "published_text": published_text(f, ind),
    }
    if ind is None:
        note = f"指标目录中没有指标“{f.indicator_id}”"
        return {**base, **_result(np.nan, "", "", "无法重算", "", note)}
    if f.comparability and f.measure in CHANGE_MEASURES:
        verdict = "无法环比" if f.basis == "环比" else "无法同比"
        note = f"原文声明：{f.comparability}；不计算{f.basis}"
        return {**base, **_result(np.nan, "", "", verdict, "", note)}
    if pd.isna(f.value):
        note = "发布值为空（只有填写了可比性说明的增减数字可以不填发布值）"
        return {**base, **_result(np.nan, "", "", "无法重算", "", note)}
    if f.district in ytd.errors:
        return {**base, **_result(np.nan, "", "", "无法重算", "", ytd.errors[f.district])}
    rec = _recompute(f, ind, ytd)
    return {**base, **_judge(f, ind, rec, _self_consistency(f, ind, printed))}


def reconcile(
    tables: dict[str, pd.DataFrame],
    published: pd.DataFrame,
    catalogue: Catalogue | None = None,
    district: str | None = None,
    computed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published figure: the sentence, the published and recomputed values, the
    accepted range, the verdict (see VERDICTS), the self-consistency of the text (自洽 /
    不自洽 / empty when not applicable) and a Chinese note.

    ``published`` has the columns of schema.PUBLISHED_FIGURES (as loaded by analysis.inputs);
    the optional ones may be absent. ``district`` restricts to one district's figures.
    ``computed``: ``compute_indicators`` / ``compute_panel`` rows already at hand, reused
    for the dates they cover.
    """
    catalogue = catalogue or load_catalogue()
    pub = published if district is None else published.loc[published["district"] == district]
    figures = [_figure(r) for r in pub.itertuples(index=False)]
    ytd = _YearToDate(tables, catalogue, computed)
    for f in figures:
        if f.indicator_id in catalogue:
            ind = catalogue[f.indicator_id]
            windows = [f.window] + ([f.base_window] if f.measure in CHANGE_MEASURES else [])
            ytd.want(f.district, ind, [w for w in windows if w is not None])
    ytd.compute()
    printed = _printed(figures)
    rows = [_reconcile_one(f, catalogue, ytd, printed) for f in figures]
    return pd.DataFrame(rows, columns=COLUMNS)


def summary_zh(df: pd.DataFrame) -> str:
    """'共核对71个数字：一致70个，不一致1个，无法重算0个。' (无法同比 / 无法环比 when any)."""
    counts = df["verdict"].value_counts()
    shown = [v for v in VERDICTS[:3]] + [v for v in VERDICTS[3:] if counts.get(v, 0)]
    parts = "，".join(f"{v}{int(counts.get(v, 0))}个" for v in shown)
    return f"共核对{len(df)}个数字：{parts}。"
