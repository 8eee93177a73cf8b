"""Which changes are real: the indicator frame's 同比 / 比前年 / 环比 tested and marked.

For every row and comparison this adds ``{kind}_p`` (p值), ``{kind}_interval`` (the rate
ratio's exact 95% interval for counts, or the 百分点 interval for rates) and
``{kind}_signal`` ("变化显著", "正常波动" or empty when nothing was tested), and rewrites the
change text ``{kind}_text``:

- a significant change keeps its percentage and gets the significant mark:
  "同比下降85.0%（变化显著）";
- a change of a count (or of a count per exposure) that is noise is worded as its absolute
  difference, never as a percentage: "同比增加1起（属正常波动）";
- a rate keeps its 百分点 wording and gets its mark.

Tested: event counts (units in ``TESTED_UNITS``, whole non-negative numbers, not snapshots)
with the conditional exact Poisson test; rates (%) whose numerator and denominator are
counts in the same frame (``fractions``) with Fisher's exact test; other ratios of a count
to an exposure (每千家次…) with the Poisson test of the count over that exposure. Money
and stocks are not tested and keep their texts. Exposure: the same calendar span for 同比
and 比前年; the days of each month for 环比 (a month running to the as-of date counts its
days so far).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis.assess.change_tests import CountChange, check_level, compare_counts
from analysis.assess.change_tests import compare_proportions as _compare_proportions
from analysis.compare import format_amount, format_number

# kind → (current column, base column, label as in the change text)
COMPARISONS = {
    "yoy": ("value", "prior_value", "同比"),
    "yoy2": ("value", "prior2_value", "比前年"),
    "mom": ("month_value", "prev_month_value", "环比"),
    "month_yoy": ("month_value", "month_prior_value", "同比"),  # 本月同比
}
# the same for a month's, quarter's or half's frame (indicators.period_indicators): 同比 and
# 比前年 of the period, 环比 against the period before, and 累计同比 of the year to date
PERIOD_COMPARISONS = {
    "yoy": ("value", "prior_value", "同比"),
    "yoy2": ("value", "prior2_value", "比前年"),
    "mom": ("value", "prev_value", "环比"),
    "ytd_yoy": ("ytd_value", "ytd_prior_value", "同比"),
}
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half": 6}
Exposures = Mapping[str, tuple[float, float]]  # kind → (current, base) exposures
SIGNIFICANT, NOISE = "变化显著", "正常波动"
# counts of events or of work done; not stocks (家) and not money (万元)
TESTED_UNITS = frozenset({"起", "人", "项", "个", "次", "家次", "人次", "场次", "处", "台", "辆"})
RATE_UNITS = frozenset({"%", "％"})
AREA_COLUMNS = ("area", "town", "industry")  # compute_indicators / breakdown(by=…)


@dataclass(frozen=True)
class MarkWords:
    """The marks as the wording file gives them (labels change_significant/change_noise)."""

    significant: str = "（变化显著）"
    noise: str = "（属正常波动）"


@dataclass(frozen=True)
class Verdict:
    p_value: float
    interval: str
    signal: str
    ratio_low: float = math.nan  # counts only: the rate ratio's exact 95% interval
    ratio_high: float = math.nan


@lru_cache(maxsize=4096)
def _counts(current: int, base: int, t1: float, t0: float) -> CountChange:
    return compare_counts(current, base, t1, t0)


@lru_cache(maxsize=4096)
def _proportions(k1: int, n1: int, k0: int, n0: int):
    return _compare_proportions(k1, n1, k0, n0)


def _whole(x) -> int | None:
    """A non-negative whole number, or None."""
    try:
        number = float(x)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or number < 0 or number != int(number):
        return None
    return int(number)


def interval_text(low: float, high: float, digits: int = 2) -> str:
    """'0.07至0.30'; an unbounded end is '∞', a negative one has a minus sign (not a hyphen,
    which a spreadsheet would read as a formula).

    >>> interval_text(0.1041, math.inf), interval_text(-4.62, -1.5, 1)
    ('0.10至∞', '−4.6至−1.5')
    """
    ends = ["∞" if math.isinf(v) else f"{v:.{digits}f}".replace("-", "−") for v in (low, high)]
    return "至".join(ends)


def month_exposures(as_of) -> tuple[float, float]:
    """Days of the month up to ``as_of`` and days of the month before.

    >>> month_exposures(pd.Timestamp("2020-03-31"))
    (31.0, 29.0)
    """
    as_of = pd.Timestamp(as_of)
    before = as_of.replace(day=1) - pd.Timedelta(days=1)
    return float(as_of.day), float(calendar.monthrange(before.year, before.month)[1])


def period_exposures(kind: str, period_end) -> dict[str, tuple[float, float]]:
    """The exposures of a period's 环比: the days of the period (to ``period_end``) and of
    the period of the same length before it; 同比 and 比前年 compare equal spans.

    >>> period_exposures("quarter", "2020-06-30"), period_exposures("month", "2020-03-31")
    ({'mom': (91.0, 91.0)}, {'mom': (31.0, 29.0)})
    """
    if kind not in PERIOD_MONTHS:
        raise ValueError(f"未知的期间类型“{kind}”（可用：{'、'.join(PERIOD_MONTHS)}）")
    end = pd.Timestamp(period_end)
    first = end.to_period("M") - (PERIOD_MONTHS[kind] - 1)
    start, before = first.start_time, (first - PERIOD_MONTHS[kind]).start_time
    return {"mom": (float((end - start).days + 1), float((start - before).days))}


def count_verdict(current, base, exposures=(1.0, 1.0), *, level: float) -> Verdict | None:
    """The verdict on two counts, or None when they are not whole non-negative numbers or
    equal (nothing changed, nothing to judge)."""
    c, b = _whole(current), _whole(base)
    if c is None or b is None or c == b:
        return None
    change = _counts(c, b, *exposures)
    signal = SIGNIFICANT if change.significant(level) else NOISE
    low, high = change.ratio_low, change.ratio_high
    return Verdict(change.p_value, interval_text(low, high), signal, low, high)


def rate_verdict(hits, totals, *, level: float) -> Verdict | None:
    """The verdict on a rate from its numerator and denominator counts (current, base)."""
    k1, k0 = (_whole(h) for h in hits)
    n1, n0 = (_whole(t) for t in totals)
    if None in (k1, k0, n1, n0) or not n1 or not n0 or k1 > n1 or k0 > n0:
        return None
    if k1 * n0 == k0 * n1:
        return None
    change = _proportions(k1, n1, k0, n0)
    signal = SIGNIFICANT if change.significant(level) else NOISE
    low, high = change.points_low, change.points_high
    return Verdict(change.p_value, f"{interval_text(low, high, 1)}个百分点", signal)


def absolute_text(current, base, unit: str, label: str, decimals: int | None = None) -> str:
    """'同比增加1起' / '环比减少4人'; a rate's difference with its own decimals.

    >>> absolute_text(2, 1, "起", "同比"), absolute_text(5, 9, "人", "环比")
    ('同比增加1起', '环比减少4人')
    >>> absolute_text(0.0033, 0.0076, "人/亿元", "同比", 4)
    '同比减少0.0043人/亿元'
    """
    more = "增加" if float(current) > float(base) else "减少"
    diff = abs(float(current) - float(base))
    amount = format_amount(diff) if decimals is None else format_number(diff, decimals)
    return f"{label}{more}{amount}{unit}"


def _verdict_of(
    row: Mapping, kind: str, parts: Mapping, level: float, comparisons, exposed: Exposures
) -> Verdict | None:
    cur, base, _ = comparisons[kind]
    if not row.get("applicable", True) or row.get("period") == "snapshot":
        return None
    unit = str(row["unit"])
    if unit in TESTED_UNITS:
        exposures = exposed.get(kind) or (
            month_exposures(row["as_of"]) if kind == "mom" and "as_of" in row else (1.0, 1.0)
        )
        return count_verdict(row[cur], row[base], exposures, level=level)
    if row["id"] in parts:
        num, den = parts[row["id"]]
        if unit in RATE_UNITS:
            return rate_verdict((num[cur], num[base]), (den[cur], den[base]), level=level)
        # a count per exposure (e.g. 每千家次检查查处重大隐患): the numerator's counts tested
        # with the denominator as their exposure
        if str(num["unit"]) in TESTED_UNITS and _positive(den[cur]) and _positive(den[base]):
            exposures = (float(den[cur]), float(den[base]))
            return count_verdict(num[cur], num[base], exposures, level=level)
    return None


def _positive(x) -> bool:
    try:
        return float(x) > 0
    except (TypeError, ValueError):
        return False


def _marked_text(row: Mapping, kind: str, verdict: Verdict, words: MarkWords, comparisons) -> str:
    cur, base, label = comparisons[kind]
    text = str(row.get(f"{kind}_text") or "")
    if not text or text in ("不适用",):
        return text
    if verdict.signal == NOISE:
        unit = str(row["unit"])
        if unit not in RATE_UNITS and float(row[base]) > 0:
            decimals = None if unit in TESTED_UNITS else int(row.get("decimals") or 0)
            text = absolute_text(row[cur], row[base], unit, label, decimals)
        return text + words.noise
    return text + words.significant


def _fraction_rows(frame: pd.DataFrame, fractions: Mapping[str, tuple[str, str]]) -> list:
    """For each row: {rate id: (numerator row, denominator row)} of the same date and area."""
    area = next((c for c in AREA_COLUMNS if c in frame.columns), None)
    records = frame.to_dict("records")
    keyed = {(r.get("as_of"), r.get(area), r["id"]): r for r in records}
    out = []
    for r in records:
        pair = fractions.get(r["id"])
        found = pair and [keyed.get((r.get("as_of"), r.get(area), p)) for p in pair]
        out.append({r["id"]: tuple(found)} if found and None not in found else {})
    return out


def mark_changes(
    frame: pd.DataFrame,
    *,
    level: float = 0.05,
    fractions: Mapping[str, tuple[str, str]] | None = None,
    words: MarkWords | None = None,
    stocks: frozenset[str] = frozenset(),
    comparisons: Mapping[str, tuple[str, str, str]] = COMPARISONS,
    exposures: Exposures | None = None,
) -> pd.DataFrame:
    """The frame with p-values, intervals and signals of its changes, and marked texts.

    ``frame``: the indicator frame (``compute_indicators``/``breakdown``, texts included;
    a period's frame with ``comparisons=PERIOD_COMPARISONS``); ``fractions``: rate id →
    (numerator id, denominator id) from the catalogue; ``stocks``: ids never tested
    (populations, GDP: not counts of events, whatever their unit); ``exposures``: kind →
    (current, base) exposures of the counts (default: equal, and the days of each month
    for the year-to-date frame's 环比).
    """
    level, words = check_level(level), words or MarkWords()
    out = frame.copy()
    records = out.to_dict("records")
    parts = _fraction_rows(out, fractions or {})
    for kind, (cur, base, _) in comparisons.items():
        if cur not in out.columns or base not in out.columns:
            continue  # a frame without that comparison (e.g. no 上月 figures)
        verdicts = [
            None
            if r["id"] in stocks
            else _verdict_of(r, kind, p, level, comparisons, exposures or {})
            for r, p in zip(records, parts, strict=True)
        ]
        out[f"{kind}_p"] = [v.p_value if v else math.nan for v in verdicts]
        out[f"{kind}_interval"] = [v.interval if v else "" for v in verdicts]
        out[f"{kind}_signal"] = [v.signal if v else "" for v in verdicts]
        out[f"{kind}_ratio_low"] = [v.ratio_low if v else math.nan for v in verdicts]
        out[f"{kind}_ratio_high"] = [v.ratio_high if v else math.nan for v in verdicts]
        if f"{kind}_text" in out.columns:
            out[f"{kind}_text"] = [
                _marked_text(r, kind, v, words, comparisons) if v else r[f"{kind}_text"]
                for r, v in zip(records, verdicts, strict=True)
            ]
    return out


def catalogue_marker(catalogue, level: float, words: MarkWords, **period):
    """``mark_changes`` for frames of the catalogue's indicators: its rates tested through
    their numerator and denominator, the denominators table's figures (populations, GDP)
    never tested. ``period``: ``comparisons`` and ``exposures`` of a period's frames."""
    fractions = {
        i.id: (i.numerator, i.denominator)
        for i in catalogue
        if i.measure == "ratio" and i.numerator and i.denominator
    }
    stocks = frozenset(i.id for i in catalogue if i.table == "denominators")

    def honest(frame: pd.DataFrame) -> pd.DataFrame:
        return mark_changes(
            frame, level=level, fractions=fractions, words=words, stocks=stocks, **period
        )

    return honest


def evidence_strength(row: Mapping, kind: str = "yoy") -> float:
    """How large a change the data guarantee, on the log scale of the rate ratio: the end
    of the 95% interval nearer to 1 (a halving and a doubling weigh the same); 0 when the
    interval holds 1, NaN when the change was not tested as counts.

    >>> round(evidence_strength({"yoy_ratio_low": 0.065, "yoy_ratio_high": 0.304}), 3)
    1.191
    """
    low, high = row.get(f"{kind}_ratio_low", math.nan), row.get(f"{kind}_ratio_high", math.nan)
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return math.nan
    if high < 1:
        return -math.log(high)
    if low > 1:
        return math.log(low)
    return 0.0
