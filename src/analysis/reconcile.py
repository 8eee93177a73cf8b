"""Reconcile published figures (data/sample/published_figures.csv) with recomputed ones.

Each published figure names an indicator of the catalogue, a measure (value / yoy_pct /
share_pct), the number as printed, its as-of date and a qualifier. The indicator is
recomputed for the district at that as-of date and judged:

- no qualifier: the recomputed value, rounded 四舍五入 to the decimals the figure was
  printed with, equals it (−85% printed with 0 decimals ⇒ true value in (−85.5, −84.5];
  55.6 ⇒ [55.55, 55.65));
- 余 (“37000余”): recomputed ≥ published and < published + step, where step is the place
  value of the figure's second significant digit or its last non-zero digit, whichever is
  larger (37000余 → [37000, 38000); 8100余 → [8100, 8200); 200余 → [200, 300);
  7675余 → [7675, 7775));
- 以上 (“80%以上”, “下降20%以上”): the recomputed magnitude ≥ the published one, same sign;
- 约: |recomputed − published| ≤ half a step (step as for 余, 约3000 → [2500, 3500]).

Self-consistency of the text: for a printed 同比 percentage of a count (起/人/家/…) printed
together with its current value, some whole number must be a prior value that reproduces
the percentage at its printed rounding; otherwise the text contradicts itself (e.g. 352
vs 486 printed as −27.52%: no whole prior gives −27.52%; 486 gives −27.57%).

Verdicts: 一致 / 不一致 / 无法重算 (indicator unknown, or the data do not cover the period).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from analysis import config
from analysis.catalogue import Catalogue, load_catalogue
from analysis.compare import format_number, round_half_up
from analysis.errors import ConfigError, ParameterError
from analysis.indicators import compute_indicators

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
VERDICTS = ("一致", "不一致", "无法重算")


# --------------------------------------------------------------------------- rounding windows


def printed_decimals(x: float) -> int:
    """Decimals of a number as printed: 491.54 → 2, 55.6 → 1, 85.0 → 0."""
    text = repr(float(x))
    if "e" in text or "E" in text:
        return max(0, -Decimal(text).normalize().as_tuple().exponent)  # type: ignore[operator]
    if "." not in text:
        return 0
    frac = text.split(".")[1].rstrip("0")
    return len(frac)


def round_step(x: float) -> float:
    """The “round” step of a published figure for 余 / 约 (see the module docstring)."""
    x = abs(float(x))
    d = printed_decimals(x)
    if d > 0:
        return 10.0**-d
    n = int(round(x))
    if n == 0:
        return 1.0
    tz = len(str(n)) - len(str(n).rstrip("0"))
    second_sig = max(0, len(str(n)) - 2)
    return float(10 ** max(tz, second_sig))


def accepted_range(published: float, qualifier: str | None) -> tuple[float, float, str]:
    """(low, high, text) of the recomputed values that agree with ``published``."""
    p = float(published)
    q = qualifier or ""
    d = printed_decimals(p)
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
    half = 0.5 * 10.0**-d
    lo, hi = p - half, p + half
    dd = d + 1
    if p < 0:  # 四舍五入 rounds halves away from zero
        return lo, hi, f"({format_number(lo, dd)}, {format_number(hi, dd)}]"
    return lo, hi, f"[{format_number(lo, dd)}, {format_number(hi, dd)})"


def agrees(recomputed: float, published: float, qualifier: str | None) -> bool:
    """Whether a recomputed value agrees with a published figure and its qualifier."""
    if recomputed is None or (isinstance(recomputed, float) and math.isnan(recomputed)):
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
    d = printed_decimals(p)
    return abs(round_half_up(r, d) - p) < 10.0 ** -(d + 3)


def _dec_pct(current: int, prior: int, d: int) -> Decimal:
    q = Decimal(1).scaleb(-d)
    return ((Decimal(current) - Decimal(prior)) / Decimal(prior) * 100).quantize(
        q, rounding=ROUND_HALF_UP
    )


def implied_priors(current: float, stated_pct: float, decimals: int | None = None) -> list[int]:
    """Whole-number prior values that give ``stated_pct`` (同比 %, rounded 四舍五入 to
    ``decimals``, default: as printed) for a whole-number ``current``. Empty = the stated
    percentage cannot come from whole counts: the text is inconsistent.

    >>> implied_priors(9, -85)
    [60]
    >>> implied_priors(352, -27.52, 2)
    []
    """
    d = printed_decimals(stated_pct) if decimals is None else decimals
    target = Decimal(repr(float(stated_pct))).quantize(Decimal(1).scaleb(-d))
    c = int(round(float(current)))
    if float(stated_pct) <= -100:
        return []
    # p = c / (1 + pct/100); the rounding window of pct gives a window of p
    half = 0.5 * 10.0**-d
    lo_pct, hi_pct = float(stated_pct) - half, float(stated_pct) + half
    bounds = []
    for pct in (lo_pct, hi_pct):
        f = 1 + pct / 100
        bounds.append(c / f if f > 0 else math.inf)
    p_lo = max(1, math.floor(min(bounds)) - 1)
    p_hi = max(bounds)
    if math.isinf(p_hi) or p_hi - p_lo > 100_000:
        p_hi = p_lo + 100_000
    out = []
    for p in range(p_lo, math.ceil(p_hi) + 2):
        if p > 0 and _dec_pct(c, p, d) == target:
            out.append(p)
    return out


# --------------------------------------------------------------------------- reconciliation


def _published_text(value: float, unit: str, qualifier: str, measure: str) -> str:
    d = printed_decimals(value)
    num = format_number(abs(value) if measure == "yoy_pct" else value, d)
    if measure == "yoy_pct":
        word = "同比下降" if value < 0 else "同比增长" if value > 0 else "同比持平"
        return f"{word}{num}%{qualifier}" if value != 0 else word
    if qualifier == "约":
        return f"约{num}{unit}"
    if qualifier == "以上":
        return f"{num}{unit}以上"
    return f"{num}{qualifier}{unit}"


def reconcile(
    tables: dict[str, pd.DataFrame],
    published: pd.DataFrame,
    catalogue: Catalogue | None = None,
    district: str | None = None,
    computed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published figure: the sentence, the published and recomputed values, the
    accepted range, the verdict (一致 / 不一致 / 无法重算), the self-consistency of the text
    (自洽 / 不自洽 / empty when not applicable) and a Chinese note.

    ``published`` has the columns of schema.PUBLISHED_FIGURES (as loaded by analysis.io).
    ``district`` restricts to one district's figures. ``computed``: a district-level
    ``compute_indicators`` frame already at hand, reused for figures of its as-of date.
    """
    catalogue = catalogue or load_catalogue()
    pub = published.copy()
    if district is not None:
        pub = pub.loc[pub["district"] == district]
    cache: dict[tuple[str, pd.Timestamp], pd.DataFrame] = {}
    if computed is not None and len(computed):
        first = computed.iloc[0]
        cache[(first["area"], pd.Timestamp(first["as_of"]))] = computed.set_index("id")

    def indicators(dist: str, as_of: pd.Timestamp) -> pd.DataFrame:
        key = (dist, as_of)
        if key not in cache:
            needed = list(dict.fromkeys(needed_ids.get(key, []))) or None
            cache[key] = compute_indicators(
                tables, dist, as_of, catalogue=catalogue, ids=needed
            ).set_index("id")
        return cache[key]

    # only the indicators some figure asks for, per (district, as-of date)
    needed_ids: dict[tuple[str, pd.Timestamp], list[str]] = {}
    for r in pub.itertuples():
        if r.indicator_id in catalogue:
            needed_ids.setdefault((r.district, pd.Timestamp(r.as_of)), []).append(r.indicator_id)

    # current values printed as 'value' figures, for the self-consistency of yoy figures
    printed_current = {
        (r.district, r.indicator_id, pd.Timestamp(r.as_of)): float(r.value)
        for r in pub.itertuples()
        if r.measure == "value" and not _q(r.qualifier)
    }
    rows = []
    for r in pub.itertuples():
        q = _q(r.qualifier)
        p = float(r.value)
        as_of = pd.Timestamp(r.as_of)
        base = {
            "figure_id": r.figure_id,
            "indicator_id": r.indicator_id,
            "measure": r.measure,
            "as_of": as_of,
            "sentence": r.sentence,
            "published": p,
            "qualifier": q,
            "published_text": _published_text(p, r.unit, q, r.measure),
        }
        if r.indicator_id not in catalogue:
            rows.append(
                {
                    **base,
                    "name_zh": "",
                    "recomputed": np.nan,
                    "recomputed_text": "",
                    "accepted_range": "",
                    "verdict": "无法重算",
                    "consistency": "",
                    "note": f"指标目录中没有指标“{r.indicator_id}”",
                }
            )
            continue
        ind = catalogue[r.indicator_id]
        base["name_zh"] = ind.name_zh
        try:
            row = indicators(r.district, as_of).loc[r.indicator_id]
        except (ParameterError, ConfigError) as exc:
            rows.append(
                {
                    **base,
                    "recomputed": np.nan,
                    "recomputed_text": "",
                    "accepted_range": "",
                    "verdict": "无法重算",
                    "consistency": "",
                    "note": str(exc),
                }
            )
            continue
        if r.measure == "yoy_pct":
            rec = row["yoy_pct"] if not ind.is_rate else row["yoy_pp"]
            missing_note = "上年同期无数据或为0，无法计算同比"
        else:
            rec = row["value"]
            missing_note = "数据中没有该指标所需的记录"
        lo, hi, range_text = accepted_range(p, q)
        d = printed_decimals(p)
        consistency, c_note = _self_consistency(r, ind.unit, q, printed_current)
        if rec is None or pd.isna(rec):
            verdict = "不一致" if consistency == "不自洽" else "无法重算"
            note = "；".join(x for x in (missing_note, c_note) if x)
            rows.append(
                {
                    **base,
                    "recomputed": np.nan,
                    "recomputed_text": "",
                    "accepted_range": range_text,
                    "verdict": verdict,
                    "consistency": consistency,
                    "note": note,
                }
            )
            continue
        rec = float(rec)
        ok = agrees(rec, p, q)
        unit = "%" if r.measure in ("yoy_pct", "share_pct") else ind.unit
        whole = abs(rec - round(rec)) < 1e-9
        digits = 0 if whole else (d + 1 if unit == "%" else max(d, ind.decimals))
        shown = format_number(rec, digits)
        rec_text = f"{shown}{unit}"
        if ok:
            note = f"重算值{rec_text}，在可接受范围{range_text}内"
        elif not q:
            note = (
                f"重算值{rec_text}，四舍五入到{d}位小数为"
                f"{format_number(round_half_up(rec, d), d)}{unit}，与发布值不符"
            )
        else:
            note = f"重算值{rec_text}，不在“{q}”的可接受范围{range_text}内"
        verdict = "一致" if ok and consistency != "不自洽" else "不一致"
        if c_note:
            note = f"{note}；{c_note}"
        rows.append(
            {
                **base,
                "recomputed": rec,
                "recomputed_text": rec_text,
                "accepted_range": range_text,
                "verdict": verdict,
                "consistency": consistency,
                "note": note,
            }
        )
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out


def _q(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _self_consistency(r, unit: str, q: str, printed_current: dict) -> tuple[str, str]:
    """('自洽' | '不自洽' | '', note) for a yoy figure of a count printed with its value."""
    if r.measure != "yoy_pct" or q or unit not in COUNT_UNITS:
        return "", ""
    cur = printed_current.get((r.district, r.indicator_id, pd.Timestamp(r.as_of)))
    if cur is None or cur != int(cur):
        return "", ""
    priors = implied_priors(cur, float(r.value))
    pct = format_number(float(r.value), printed_decimals(float(r.value)))
    if not priors:
        return "不自洽", (
            f"原文自相矛盾：本期{int(cur)}{unit}时，没有任何整数上年同期值能得出{pct}%"
        )
    shown = str(priors[0]) if len(priors) == 1 else f"{priors[0]}～{priors[-1]}"
    return "自洽", f"原文可由上年同期{shown}{unit}得出"


def reconcile_sample(data_dir=None) -> pd.DataFrame:
    """Reconcile the shipped sample data with its published_figures.csv (convenience)."""
    from analysis.io import load_tables

    data_dir = data_dir or config.SAMPLE_DATA_DIR
    tables = load_tables(data_dir).tables
    return reconcile(tables, tables["published_figures"])


def summary_zh(df: pd.DataFrame) -> str:
    """'共核对71个数字：一致70个，不一致1个，无法重算0个。'"""
    counts = df["verdict"].value_counts()
    parts = "，".join(f"{v}{int(counts.get(v, 0))}个" for v in VERDICTS)
    return f"共核对{len(df)}个数字：{parts}。"
