"""The indicator engine: every figure of the briefing, recomputed from record-level tables.

Indicators are defined in data/config/catalogue.yaml (see ``analysis.catalogue``); this
module only knows how to evaluate the measures and periods described there.

Public API
----------
- ``compute_indicators(tables, district, period_end, unit=None, catalogue=None)``: one row
  per indicator for the district or one town (镇/街道).
- ``compute_panel(tables, district, as_of_dates, areas=None, catalogue=None, by="town")``:
  the same for many as-of dates × areas at once (what the benchmark times).
- ``breakdown(tables, district, period_end, by="town"|"industry", ids=None, wide=False)``.
- ``severity_class(df)``: 事故等级 per 国务院令第493号.
- ``parse_as_of(period_end)``; ``to_display(df)``: Chinese column headers.
- ``make_large_tables(...)``: a synthetic data set for the benchmark.

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

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from analysis import config, schema
from analysis.catalogue import (
    DERIVED_COLUMNS,
    Catalogue,
    Condition,
    Indicator,
    load_catalogue,
)
from analysis.compare import format_change, format_value, verbs_for
from analysis.errors import ParameterError

SEVERITY_CLASSES = ("一般", "较大", "重大", "特别重大")
# 国务院令第493号《生产安全事故报告和调查处理条例》第三条: lower bounds (inclusive) of
# deaths, serious injuries (含急性工业中毒), direct economic loss in 万元.
SEVERITY_THRESHOLDS = {
    "较大": (3, 10, 1000.0),
    "重大": (10, 50, 5000.0),
    "特别重大": (30, 100, 10000.0),
}

SLOTS = (
    "value",
    "month_value",
    "prior_value",
    "prior2_value",
    "prev_month_value",
    "month_prior_value",
)
_CURRENT_SLOTS = (0, 1)
_SHIFT = 22  # bits of the effective-day part of a sort key (~11,000 years)
_DAY0 = np.datetime64("1900-01-01", "D")
_NAT_DAY = np.iinfo(np.int64).min

DISPLAY_COLUMNS = {
    "as_of": "统计截至",
    "area": "区/镇（街道）",
    "id": "指标编号",
    "name_zh": "指标",
    "group": "栏目",
    "unit": "单位",
    "value": "本期累计",
    "value_text": "本期累计（文字）",
    "month_value": "本月",
    "prior_value": "上年同期",
    "prior2_value": "前年同期",
    "prev_month_value": "上月",
    "month_prior_value": "上年同月",
    "yoy_pct": "同比（%）",
    "yoy_pp": "同比（百分点）",
    "yoy_text": "同比",
    "yoy2_pct": "比前年同期（%）",
    "mom_pct": "环比（%）",
    "mom_pp": "环比（百分点）",
    "mom_text": "环比",
    "month_yoy_pct": "本月同比（%）",
    "month_yoy_text": "本月同比",
    "direction": "方向",
    "scope": "范围",
    "applicable": "适用",
    "note": "口径说明",
    "share_pct": "占全区比重（%）",
}


RECONCILE_DISPLAY = {
    "figure_id": "编号",
    "indicator_id": "指标编号",
    "name_zh": "指标",
    "measure": "口径",
    "as_of": "截至日期",
    "sentence": "原文",
    "published": "发布值",
    "qualifier": "限定词",
    "published_text": "发布值（原文写法）",
    "recomputed": "重算值",
    "recomputed_text": "重算值（文字）",
    "accepted_range": "可接受范围",
    "verdict": "核对结论",
    "consistency": "原文自洽性",
    "note": "说明",
}
TARGET_DISPLAY = {
    "target_id": "目标编号",
    "name": "目标",
    "indicator_id": "指标编号",
    "indicator_name": "指标",
    "measure": "口径",
    "op": "比较",
    "target": "目标值",
    "target_text": "目标（文字）",
    "actual": "实际值",
    "actual_text": "实际（文字）",
    "pace": "进度要求",
    "months_elapsed": "已过月数",
    "pace_required": "序时进度应达",
    "projected": "年底预计",
    "gap": "差距",
    "gap_unit": "差距单位",
    "gap_text": "差距说明",
    "status": "状态",
    "status_note": "状态说明",
    "source": "目标来源",
}
GAP_DISPLAY = {
    "gap_id": "差距编号",
    "gap_seq": "序号",
    "gap_title": "差距",
    "gap_text": "差距原文",
    "indicator_id": "佐证指标编号",
    "indicator_name": "佐证指标",
    "value": "数值",
    "value_text": "数值（文字）",
    "yoy_text": "同比",
    "evidence_text": "佐证",
    "target_status": "目标状态",
    "action_ids": "下一步工作编号",
    "actions_text": "下一步工作",
}


# --------------------------------------------------------------------------- severity


def severity_class(df: pd.DataFrame) -> pd.Series:
    """事故等级 of each incident row, per 国务院令第493号 (lower bounds inclusive, the highest
    class reached by any of deaths / serious_injuries / direct_loss_wan wins).

    Returns an ordered categorical Series (一般 < 较大 < 重大 < 特别重大) aligned to ``df``.
    """
    deaths = df["deaths"].to_numpy(dtype="float64")
    serious = df["serious_injuries"].to_numpy(dtype="float64")
    loss = df["direct_loss_wan"].to_numpy(dtype="float64")
    code = np.zeros(len(df), dtype="int8")
    for k, name in enumerate(SEVERITY_CLASSES[1:], 1):
        d, s, money = SEVERITY_THRESHOLDS[name]
        code[(deaths >= d) | (serious >= s) | (loss >= money)] = k
    dtype = pd.CategoricalDtype(list(SEVERITY_CLASSES), ordered=True)
    return pd.Series(pd.Categorical.from_codes(code, dtype=dtype), index=df.index, name="severity")


# --------------------------------------------------------------------------- dates


def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])


def parse_as_of(period_end) -> pd.Timestamp:
    """'2020-10' → 2020-10-31 (month end); '2020-10-23', a date or a Timestamp → that day."""
    if isinstance(period_end, pd.Timestamp | datetime | date):
        ts = pd.Timestamp(period_end)
        if pd.isna(ts):
            raise ParameterError("统计截至日期不能为空")
        return ts.normalize()
    text = str(period_end).strip()
    try:
        if len(text) <= 7 and text.count("-") == 1:
            y, m = (int(x) for x in text.split("-"))
            return _month_end(y, m)
        return pd.Timestamp(text).normalize()
    except (ValueError, TypeError):
        raise ParameterError(
            f"统计期“{period_end}”格式错误，应为 YYYY-MM（月末）或 YYYY-MM-DD（截至日）"
        ) from None


def _is_month_end(t: pd.Timestamp) -> bool:
    return t.day == calendar.monthrange(t.year, t.month)[1]


def shift_months(t: pd.Timestamp, months: int) -> pd.Timestamp:
    """``t`` moved back ``months`` months; a month end stays a month end, another day is
    cut to the target month's length (2020-03-30 − 1 month = 2020-02-29)."""
    k = t.year * 12 + t.month - 1 - months
    y, m = divmod(k, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    day = last if _is_month_end(t) else min(t.day, last)
    return pd.Timestamp(y, m, day)


def _day(t: pd.Timestamp) -> int:
    return int((np.datetime64(t.date(), "D") - _DAY0).astype(np.int64))


def _days(values: pd.Series) -> np.ndarray:
    arr = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = (arr - _DAY0).astype(np.int64)
    out[np.isnat(arr)] = _NAT_DAY
    return out


@dataclass(frozen=True)
class _Window:
    kind: str  # "Y" (year bucket), "M" (month bucket), "S" (snapshot)
    bucket: int
    end: pd.Timestamp
    start: pd.Timestamp | None  # None for snapshot
    current: bool


def _windows(t: pd.Timestamp) -> list[_Window]:
    t1, t2, tp = shift_months(t, 12), shift_months(t, 24), shift_months(t, 1)

    def year(x: pd.Timestamp, cur: bool) -> _Window:
        return _Window("Y", x.year, x, pd.Timestamp(x.year, 1, 1), cur)

    def month(x: pd.Timestamp, cur: bool) -> _Window:
        return _Window("M", x.year * 12 + x.month - 1, x, pd.Timestamp(x.year, x.month, 1), cur)

    return [
        year(t, True),
        month(t, True),
        year(t1, False),
        year(t2, False),
        month(tp, False),
        month(t1, False),
    ]


# --------------------------------------------------------------------------- engine


@dataclass
class _Table:
    name: str
    df: pd.DataFrame
    codes: np.ndarray | None  # area code per row; None if the table has no `by` column
    days: np.ndarray | None  # date column as day numbers
    coverage_start: pd.Timestamp | None  # 1 January of the year of the earliest record
    coverage_year: int | None  # tables keyed by a year column
    has_data: bool


class _Engine:
    """Evaluates base measures for one district over many windows and areas."""

    def __init__(
        self,
        tables: dict[str, pd.DataFrame],
        district: str,
        catalogue: Catalogue,
        areas: list[str],
        by: str = "town",
        coverage: dict[str, str | pd.Timestamp] | None = None,
    ):
        self.raw = tables
        self.district = district
        self.catalogue = catalogue
        self.by = by
        self.coverage = {k: pd.Timestamp(v) for k, v in (coverage or {}).items()}
        self.areas = list(areas)
        self._area_index = {a: i for i, a in enumerate(self.areas)}
        self.n_codes = len(self.areas) + 2  # + unassigned (NaN / other) + district-wide
        self.unassigned = len(self.areas)
        self.whole = len(self.areas) + 1
        self._tables: dict[str, _Table] = {}
        self._masks: dict[tuple, np.ndarray] = {}
        self._sorted: dict[tuple, tuple[np.ndarray, np.ndarray, int, int]] = {}
        self._enterprise_industry: pd.Series | None = None

    # ---------------------------------------------------------------- tables
    def table(self, name: str) -> _Table:
        if name in self._tables:
            return self._tables[name]
        spec = schema.TABLES[name]
        full = self.raw.get(name)
        if full is None:
            full = pd.DataFrame({c: pd.Series(dtype=object) for c in spec.column_names})
        df = full
        if "district" in df.columns:
            df = df.loc[(df["district"] == self.district).to_numpy()]
        df = df.reset_index(drop=True)
        if name in DERIVED_COLUMNS and "severity" in DERIVED_COLUMNS[name] and len(df):
            df = df.assign(severity=severity_class(df).astype(str).to_numpy())
        by_values = None
        if self.by in df.columns:
            by_values = df[self.by]
        elif self.by == "industry" and "enterprise_id" in df.columns:
            by_values = df["enterprise_id"].map(self._industries())
        codes = None
        if by_values is not None:
            cat = pd.Categorical(by_values, categories=self.areas)
            codes = cat.codes.astype(np.int64)
            codes[codes < 0] = self.unassigned
        days = None
        cov_start = self.coverage.get(name)
        cov_year = None
        if spec.date_column is not None:
            days = _days(df[spec.date_column])
            if cov_start is None and len(full):
                first = full[spec.date_column].min()
                if pd.notna(first):
                    cov_start = pd.Timestamp(first.year, 1, 1)
        elif "year" in df.columns and len(full):
            cov_year = int(full["year"].min()) if cov_start is None else cov_start.year
        t = _Table(name, df, codes, days, cov_start, cov_year, has_data=len(full) > 0)
        self._tables[name] = t
        return t

    def _industries(self) -> pd.Series:
        if self._enterprise_industry is None:
            ent = self.raw.get("enterprises")
            if ent is None or "industry" not in ent.columns:
                self._enterprise_industry = pd.Series(dtype=object)
            else:
                self._enterprise_industry = ent.drop_duplicates("enterprise_id").set_index(
                    "enterprise_id"
                )["industry"]
        return self._enterprise_industry

    # ---------------------------------------------------------------- filters
    def mask(self, tname: str, conds: tuple[Condition, ...]) -> np.ndarray:
        key = (tname, conds)
        if key in self._masks:
            return self._masks[key]
        t = self.table(tname)
        m = np.ones(len(t.df), dtype=bool)
        for c in conds:
            m &= self._condition(t.df, c)
        self._masks[key] = m
        return m

    @staticmethod
    def _condition(df: pd.DataFrame, c: Condition) -> np.ndarray:
        s = df[c.column]
        v = c.value
        if pd.api.types.is_datetime64_any_dtype(s) and c.op in ("eq", "ne", "lt", "le", "gt", "ge"):
            v = pd.Timestamp(v)
        if c.op == "eq":
            r = s == v
        elif c.op == "ne":
            r = s != v
        elif c.op == "in":
            r = s.isin(list(v))
        elif c.op == "not_in":
            r = ~s.isin(list(v))
        elif c.op == "lt":
            r = s < v
        elif c.op == "le":
            r = s <= v
        elif c.op == "gt":
            r = s > v
        elif c.op == "ge":
            r = s >= v
        elif c.op == "notnull":
            r = s.notna() if v in (None, True) else s.isna()
        elif c.op == "isnull":
            r = s.isna() if v in (None, True) else s.notna()
        else:  # pragma: no cover — rejected by catalogue validation
            raise ValueError(c.op)
        return r.fillna(False).to_numpy(dtype=bool)

    # ---------------------------------------------------------------- sorted structures
    def _structure(self, ind: Indicator, kind: str):
        """(keys, cum-source order, ...) for one indicator and bucket kind, cached so that
        indicators sharing table + filters share one sort."""
        t = self.table(ind.table)  # type: ignore[arg-type]
        static = tuple(c for c in ind.filters if not (c.uses_as_of or c.uses_year))
        as_of = tuple((c.column, c.op) for c in ind.filters if c.uses_as_of)
        year_col = next((c.column for c in ind.filters if c.uses_year), None)
        distinct = ind.columns[0] if ind.measure == "nunique" else None
        key = (ind.table, static, as_of, year_col, kind, distinct)
        if key in self._sorted:
            return self._sorted[key]
        m = self.mask(ind.table, static)  # type: ignore[arg-type]
        df = t.df
        # effective day: record date folded with every `col <= $as_of`
        if t.days is not None:
            eff = t.days.copy()
        else:
            eff = np.zeros(len(df), dtype=np.int64)
        for col, op in as_of:
            d = _days(df[col])
            valid = d != _NAT_DAY
            m = m & valid
            d = np.where(valid, d + (1 if op == "lt" else 0), 0)
            eff = np.maximum(eff, d)
        if t.days is not None:
            m = m & (t.days != _NAT_DAY)
        if kind == "Y":
            if t.days is not None:
                bucket = df[schema.TABLES[ind.table].date_column].dt.year.to_numpy()  # type: ignore[index]
            else:
                bucket = df[year_col].to_numpy(dtype=np.int64)
        elif kind == "M":
            dc = df[schema.TABLES[ind.table].date_column]  # type: ignore[index]
            bucket = (dc.dt.year * 12 + dc.dt.month - 1).to_numpy()
        else:
            bucket = np.zeros(len(df), dtype=np.int64)
        idx = np.flatnonzero(m)
        codes = (
            t.codes[idx] if t.codes is not None else np.full(len(idx), self.unassigned, np.int64)
        )
        b = np.asarray(bucket[idx], dtype=np.int64)
        e = eff[idx]
        bmin = int(b.min()) if len(b) else 0
        nb = int(b.max()) - bmin + 1 if len(b) else 1
        if distinct is not None:
            kv = pd.factorize(df[distinct].to_numpy()[idx])[0].astype(np.int64)
            ok = kv >= 0
            idx, codes, b, e, kv = idx[ok], codes[ok], b[ok], e[ok], kv[ok]
            # first effective day per (area, bucket, key) and per (district, bucket, key)
            parts = []
            for area_codes in (codes, np.full(len(idx), self.whole, np.int64)):
                g = area_codes * nb + (b - bmin)
                frame = pd.DataFrame({"g": g, "k": kv, "e": e})
                first = frame.groupby(["g", "k"], sort=False)["e"].min()
                parts.append((first.index.get_level_values("g").to_numpy(), first.to_numpy()))
            g = np.concatenate([p[0] for p in parts])
            e = np.concatenate([p[1] for p in parts])
            keys = (g << _SHIFT) + e
            order = np.argsort(keys, kind="stable")
            result = (keys[order], None, bmin, nb)
        else:
            g = codes * nb + (b - bmin)
            keys = (g << _SHIFT) + e
            order = np.argsort(keys, kind="stable")
            result = (keys[order], idx[order], bmin, nb)
        self._sorted[key] = result
        return result

    def _cum(self, ind: Indicator, kind: str) -> tuple[np.ndarray, np.ndarray, int, int]:
        keys, rows, bmin, nb = self._structure(ind, kind)
        if rows is None or ind.measure == "count":
            cum = np.arange(len(keys) + 1, dtype=np.float64)
        else:
            df = self.table(ind.table).df  # type: ignore[arg-type]
            vals = np.zeros(len(rows), dtype=np.float64)
            for c in ind.columns:
                vals += df[c].to_numpy(dtype=np.float64, na_value=0.0)[rows]
            cum = np.concatenate([[0.0], np.cumsum(vals)])
        return keys, cum, bmin, nb

    # ---------------------------------------------------------------- evaluation
    def base(self, ind: Indicator, as_ofs: Sequence[pd.Timestamp]) -> np.ndarray:
        """Array (slot, as_of, area + district) of one base indicator."""
        n_areas = len(self.areas)
        out = np.full((len(SLOTS), len(as_ofs), n_areas + 1), np.nan)
        if ind.measure == "towns":
            out[:, :, :n_areas] = 1.0
            out[:, :, n_areas] = float(n_areas) if self.by == "town" else np.nan
            if self.by != "town":
                out[:, :, :n_areas] = np.nan
            return out
        if ind.measure == "campaign":
            return self._campaign(ind, as_ofs)
        t = self.table(ind.table)  # type: ignore[arg-type]
        if not t.has_data:
            return out
        spec = schema.TABLES[ind.table]  # type: ignore[index]
        year_table = spec.date_column is None and any(c.uses_year for c in ind.filters)
        for slot in range(len(SLOTS)):
            wins = [_windows(a)[slot] for a in as_ofs]
            if spec.date_column is None:
                if year_table:
                    if wins[0].kind != "Y":
                        continue
                    kind = "Y"
                else:  # snapshot roster: value only
                    if slot != 0:
                        continue
                    kind = "S"
            else:
                kind = wins[0].kind
            keys, cum, bmin, nb = self._cum(ind, kind)
            for j, w in enumerate(wins):
                if not self._covered(t, w):
                    continue
                bucket = 0 if kind == "S" else w.bucket
                end = _day(w.end)
                out[slot, j, :] = self._query(keys, cum, bmin, nb, bucket, end, ind.measure)
        return out

    def _covered(self, t: _Table, w: _Window) -> bool:
        if t.coverage_year is not None:
            return w.current or w.bucket >= t.coverage_year
        if t.coverage_start is None or w.start is None:
            return True
        if w.current:
            return w.end >= t.coverage_start
        return w.start >= t.coverage_start

    def _query(self, keys, cum, bmin, nb, bucket, end, measure) -> np.ndarray:
        n_areas = len(self.areas)
        res = np.zeros(n_areas + 1)
        b = bucket - bmin
        if b < 0 or b >= nb:
            return res
        codes = np.arange(self.n_codes, dtype=np.int64)
        g = codes * nb + b
        lo = np.searchsorted(keys, g << _SHIFT, "left")
        hi = np.searchsorted(keys, (g << _SHIFT) + end, "right")
        vals = cum[hi] - cum[lo]
        res[:n_areas] = vals[:n_areas]
        if measure == "nunique":
            res[n_areas] = vals[self.whole]
        else:
            res[n_areas] = vals[: self.unassigned + 1].sum()
        return res

    def _campaign(self, ind: Indicator, as_ofs: Sequence[pd.Timestamp]) -> np.ndarray:
        n_areas = len(self.areas)
        out = np.full((len(SLOTS), len(as_ofs), n_areas + 1), np.nan)
        t = self.table("campaign_progress")
        df = t.df
        sel = df["item"] == ind.item
        if ind.campaign:
            sel &= df["campaign"] == ind.campaign
        rows = df.loc[sel.to_numpy()]
        if rows.empty:
            return out
        codes = t.codes[sel.to_numpy()] if t.codes is not None else None
        town_null = rows["town"].isna().to_numpy() if "town" in rows else np.ones(len(rows), bool)
        as_of_col = rows["as_of"].to_numpy(dtype="datetime64[ns]")
        values = rows["value"].to_numpy(dtype=np.float64)
        for slot in (0, 2, 3):  # value, prior, prior2: latest record on or before the date
            for j, a in enumerate(as_ofs):
                d = np.datetime64(_windows(a)[slot].end.to_datetime64())
                ok = as_of_col <= d
                if not ok.any():
                    continue
                # district: latest district-wide record, else sum of the towns' latest
                dw = ok & town_null
                if dw.any():
                    sub = np.flatnonzero(dw)
                    out[slot, j, n_areas] = values[sub[np.argmax(as_of_col[sub])]]
                if codes is None:
                    continue
                town_sum, any_town = 0.0, False
                for k in range(n_areas):
                    sub = np.flatnonzero(ok & (codes == k) & ~town_null)
                    if len(sub):
                        out[slot, j, k] = values[sub[np.argmax(as_of_col[sub])]]
                        town_sum += out[slot, j, k]
                        any_town = True
                if not dw.any() and any_town:
                    out[slot, j, n_areas] = town_sum
        return out


# --------------------------------------------------------------------------- public API


def _areas_for(tables, district: str, by: str) -> list[str]:
    if by == "town":
        try:
            areas = config.towns_of(district)
        except KeyError:
            areas = []
        seen = set(areas)
        for name in ("incidents", "inspections", "hazards", "cases", "enterprises", "outreach"):
            df = tables.get(name)
            if df is not None and "town" in df.columns and len(df):
                extra = df.loc[df["district"] == district, "town"].dropna().unique()
                for x in sorted(set(extra) - seen):
                    areas.append(x)
                    seen.add(x)
        return areas
    if by == "industry":
        return list(schema.INDUSTRIES)
    raise ParameterError(f"不支持按“{by}”分组（可用：town、industry）")


def _check_district(tables, district: str) -> None:
    known = set(config.units().get("districts", {}))
    if district in known:
        return
    for df in tables.values():
        if "district" in df.columns and (df["district"] == district).any():
            return
    raise ParameterError(f"未知的区“{district}”（data/config/units.yaml 与数据中均无）")


def compute_panel(
    tables: dict[str, pd.DataFrame],
    district: str,
    as_of_dates: Iterable,
    areas: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
    *,
    by: str = "town",
    ids: Sequence[str] | None = None,
    coverage: dict[str, str | pd.Timestamp] | None = None,
    texts: bool = True,
) -> pd.DataFrame:
    """Indicators for every as-of date × area (the district and its towns) at once.

    ``areas``: names to report besides the district (default: every town of the district,
    or every industry when ``by="industry"``). Returns a long DataFrame with the columns of
    ``compute_indicators`` plus ``as_of`` and ``area`` (the district's own rows have
    ``area == district`` and ``is_district`` True).
    """
    catalogue = catalogue or load_catalogue()
    _check_district(tables, district)
    as_ofs = [parse_as_of(a) for a in as_of_dates]
    all_areas = _areas_for(tables, district, by)
    if areas is not None:
        unknown = [a for a in areas if a not in all_areas and a != district]
        if unknown:
            what = "镇（街道）" if by == "town" else "行业领域"
            raise ParameterError(f"{district}没有{what}“{'、'.join(unknown)}”")
    engine = _Engine(tables, district, catalogue, all_areas, by=by, coverage=coverage)
    order = catalogue.evaluation_order()
    if ids is not None:
        wanted = _with_inputs(catalogue, ids)
        order = [i for i in order if i.id in wanted]
    vals: dict[str, np.ndarray] = {}
    for ind in order:
        if ind.measure == "ratio":
            num, den = vals[ind.numerator], vals[ind.denominator]  # type: ignore[index]
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(den > 0, num / np.where(den > 0, den, 1) * ind.scale, np.nan)
            vals[ind.id] = r
        elif ind.measure == "difference":
            vals[ind.id] = vals[ind.minuend] - vals[ind.subtrahend]  # type: ignore[index]
        else:
            vals[ind.id] = engine.base(ind, as_ofs)
        if ind.scope == "district" or (by != "town" and ind.measure == "towns"):
            vals[ind.id][:, :, : len(all_areas)] = np.nan
    show = [catalogue[i] for i in ids] if ids is not None else list(catalogue)
    # choose the areas to show (district last column of the arrays)
    names = [*all_areas, district]
    pick = list(range(len(names)))
    if areas is not None:
        pick = [names.index(a) if a != district else len(all_areas) for a in areas]
        if len(all_areas) not in pick:
            pick.append(len(all_areas))
    return _assemble(show, vals, as_ofs, names, pick, district, texts)


def _with_inputs(catalogue: Catalogue, ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    stack = list(ids)
    while stack:
        i = stack.pop()
        if i in out:
            continue
        out.add(catalogue[i].id)
        stack.extend(catalogue[i].inputs)
    return out


def _assemble(show, vals, as_ofs, names, pick, district, texts) -> pd.DataFrame:
    n_ind, n_t, n_a = len(show), len(as_ofs), len(pick)
    stack = np.stack([vals[i.id][:, :, pick] for i in show])  # (ind, slot, t, area)
    # rows ordered as_of → area → indicator
    data = {}
    for s, slot in enumerate(SLOTS):
        data[slot] = stack[:, s].transpose(1, 2, 0).reshape(-1)
    n = n_t * n_a * n_ind
    ind_idx = np.tile(np.arange(n_ind), n_t * n_a)
    area_idx = np.tile(np.repeat(np.arange(n_a), n_ind), n_t)
    t_idx = np.repeat(np.arange(n_t), n_a * n_ind)
    meta = pd.DataFrame(
        {
            "id": [i.id for i in show],
            "name_zh": [i.name_zh for i in show],
            "unit": [i.unit for i in show],
            "group": [i.group for i in show],
            "direction": [i.direction for i in show],
            "decimals": [i.decimals for i in show],
            "scope": [i.scope for i in show],
            "period": [i.period for i in show],
            "measure": [i.measure for i in show],
            "note": [i.note for i in show],
        }
    )
    out = meta.iloc[ind_idx].reset_index(drop=True)
    area_names = np.array([names[p] for p in pick], dtype=object)
    out.insert(0, "as_of", pd.to_datetime(np.array([a.to_datetime64() for a in as_ofs]))[t_idx])
    out.insert(1, "area", area_names[area_idx])
    out.insert(2, "is_district", area_names[area_idx] == district)
    for slot in SLOTS:
        out[slot] = data[slot]
    is_rate = out["unit"].isin(["%", "％"]).to_numpy()
    applicable = ~((out["scope"] == "district").to_numpy() & ~out["is_district"].to_numpy())
    out["applicable"] = applicable
    v, p, p2 = (
        out["value"].to_numpy(),
        out["prior_value"].to_numpy(),
        out["prior2_value"].to_numpy(),
    )
    mv, pm, mp = (
        out["month_value"].to_numpy(),
        out["prev_month_value"].to_numpy(),
        out["month_prior_value"].to_numpy(),
    )
    out["yoy_pct"] = np.where(is_rate, np.nan, _pct(v, p))
    out["yoy_pp"] = np.where(is_rate, v - p, np.nan)
    out["yoy2_pct"] = np.where(is_rate, np.nan, _pct(v, p2))
    out["mom_pct"] = np.where(is_rate, np.nan, _pct(mv, pm))
    out["mom_pp"] = np.where(is_rate, mv - pm, np.nan)
    out["month_yoy_pct"] = np.where(is_rate, np.nan, _pct(mv, mp))
    if texts:
        out["value_text"] = [
            format_value(x, u, d) if ok else "不适用"
            for x, u, d, ok in zip(
                out["value"], out["unit"], out["decimals"], applicable, strict=True
            )
        ]
        for col, base, label in (
            ("yoy_text", "prior_value", "同比"),
            ("mom_text", "prev_month_value", "环比"),
        ):
            cur = "value" if col == "yoy_text" else "month_value"
            out[col] = [
                format_change(c, b, u, label=label, verbs=verbs_for(dr)) if ok else "不适用"
                for c, b, u, dr, ok in zip(
                    out[cur], out[base], out["unit"], out["direction"], applicable, strict=True
                )
            ]
        out["month_yoy_text"] = [
            format_change(c, b, u, label="同比", verbs=verbs_for(dr)) if ok else "不适用"
            for c, b, u, dr, ok in zip(
                out["month_value"],
                out["month_prior_value"],
                out["unit"],
                out["direction"],
                applicable,
                strict=True,
            )
        ]
        # snapshots have no comparison period: leave the text empty rather than "无数据"
        snap = (out["period"] == "snapshot").to_numpy()
        for col, base in (
            ("yoy_text", "prior_value"),
            ("mom_text", "prev_month_value"),
            ("month_yoy_text", "month_prior_value"),
        ):
            blank = snap & out[base].isna().to_numpy() & applicable
            out.loc[blank, col] = ""
    assert len(out) == n
    return out


def _pct(cur: np.ndarray, base: np.ndarray) -> np.ndarray:
    # a vanishingly small base gives inf: the honest answer, not a warning
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(base > 0, (cur - base) / np.where(base > 0, base, 1) * 100.0, np.nan)


def compute_indicators(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    unit: str | None = None,
    catalogue: Catalogue | None = None,
    *,
    ids: Sequence[str] | None = None,
    coverage: dict[str, str | pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """One row per indicator for the district (``unit=None``) or one town/street.

    ``period_end``: "YYYY-MM" (the month's last day) or any as-of date ("2020-10-23").

    Columns: as_of, area, is_district, id, name_zh, unit, group, direction, decimals, scope,
    period, measure, note, value (年初至今 or snapshot), month_value (本月), prior_value
    (上年同期), prior2_value (前年同期), prev_month_value (上月), month_prior_value (上年同月),
    applicable (False: district-only indicator asked for a town), yoy_pct (同比 %, counts),
    yoy_pp (同比 百分点, rates), yoy2_pct, mom_pct, mom_pp, month_yoy_pct, value_text,
    yoy_text, mom_text, month_yoy_text. Percentages are unrounded; texts are rounded.
    """
    areas = [unit] if unit else [district]
    df = compute_panel(tables, district, [period_end], areas, catalogue, ids=ids, coverage=coverage)
    want = unit or district
    return df.loc[df["area"] == want].reset_index(drop=True)


def breakdown(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    by: str = "town",
    ids: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
    *,
    wide: bool = False,
    include_total: bool = True,
) -> pd.DataFrame:
    """Indicators by town/street (``by="town"``) or industry (``by="industry"``; tables
    without an industry column take it from the enterprise roster via enterprise_id).

    Long form: one row per (area, indicator) with the compute_indicators columns plus
    ``additive`` and ``share_pct`` (the area's share of the district for additive
    indicators); the district total row is last when ``include_total``. Wide form: areas ×
    indicator ids of ``value``.
    """
    catalogue = catalogue or load_catalogue()
    df = compute_panel(tables, district, [period_end], None, catalogue, by=by, ids=ids)
    add = {i: catalogue.additive(i) for i in df["id"].unique()}
    df["additive"] = df["id"].map(add).astype(bool)
    total = df.loc[df["is_district"], ["id", "value"]].set_index("id")["value"]
    tot = df["id"].map(total).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(
            df["additive"] & (tot > 0), df["value"] / np.where(tot > 0, tot, 1), np.nan
        )
    df["share_pct"] = share * 100.0
    df = df.rename(columns={"area": by}) if by != "area" else df
    if not include_total:
        df = df.loc[~df["is_district"]]
    if wide:
        return (
            df.pivot(index=by, columns="id", values="value")
            .reindex(columns=list(dict.fromkeys(df["id"])))
            .reindex(index=list(dict.fromkeys(df[by])))
        )
    return df.reset_index(drop=True)


def to_display(df: pd.DataFrame) -> pd.DataFrame:
    """The same frame with Chinese column headers (unknown columns keep their names)."""
    mapping = dict(DISPLAY_COLUMNS)
    mapping.update(
        {"town": "镇（街道）", "industry": "行业领域", "additive": "可加总", "is_district": "全区"}
    )
    if "verdict" in df.columns:  # reconcile()
        mapping.update(RECONCILE_DISPLAY)
    if "target_id" in df.columns:  # evaluate_targets()
        mapping.update(TARGET_DISPLAY)
    if "gap_id" in df.columns:  # gaps_register()
        mapping.update(GAP_DISPLAY)
    return df.rename(columns={c: mapping[c] for c in df.columns if c in mapping})


# --------------------------------------------------------------------------- benchmark data


def make_large_tables(
    n_inspections: int = 1_000_000,
    n_hazards: int = 100_000,
    seed: int = 0,
    district: str = "钟楼区",
    n_enterprises: int = 20_000,
) -> dict[str, pd.DataFrame]:
    """A synthetic data set of the contract's shape for benchmarks (2019-01-01..2020-12-31).

    Not for briefings: values are random. Every table of the contract is present."""
    rng = np.random.default_rng(seed)
    towns = np.array(config.towns_of(district), dtype=object)
    depts = np.array(schema.DEPARTMENTS, dtype=object)
    industries = np.array(schema.INDUSTRIES, dtype=object)
    start = np.datetime64("2019-01-01")
    n_days = 731

    def dates(n):
        return pd.to_datetime(start + rng.integers(0, n_days, n).astype("timedelta64[D]"))

    ent_ids = np.array([f"E{i:06d}" for i in range(n_enterprises)], dtype=object)
    ent_town = towns[rng.integers(0, len(towns), n_enterprises)]
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ent_ids,
            "enterprise_name": ent_ids,
            "district": district,
            "town": ent_town,
            "industry": industries[rng.integers(0, len(industries), n_enterprises)],
            "scale": np.where(rng.random(n_enterprises) < 0.1, "规上", "规下"),
            "hazchem": rng.random(n_enterprises) < 0.01,
            "standardization_grade": np.array(schema.STANDARDIZATION_GRADES, dtype=object)[
                rng.integers(0, 4, n_enterprises)
            ],
            "briefed_date": dates(n_enterprises).where(rng.random(n_enterprises) < 0.8),
            "model_enterprise": rng.random(n_enterprises) < 0.005,
        }
    )
    ie = rng.integers(0, n_enterprises, n_inspections)
    inspections = pd.DataFrame(
        {
            "inspection_id": np.arange(n_inspections).astype(str).astype(object),
            "district": district,
            "town": ent_town[ie],
            "date": dates(n_inspections),
            "department": depts[rng.integers(0, len(depts), n_inspections)],
            "enterprise_id": ent_ids[ie],
            "in_plan": rng.random(n_inspections) < 0.3,
            "inspectors": rng.integers(1, 5, n_inspections),
            "experts": rng.integers(0, 2, n_inspections),
        }
    )
    he = rng.integers(0, n_enterprises, n_hazards)
    found = dates(n_hazards)
    fixed = rng.random(n_hazards) < 0.9
    rect = (found + pd.to_timedelta(rng.integers(0, 60, n_hazards), unit="D")).where(fixed)
    hazards = pd.DataFrame(
        {
            "hazard_id": np.arange(n_hazards).astype(str).astype(object),
            "district": district,
            "town": ent_town[he],
            "industry": enterprises["industry"].to_numpy()[he],
            "enterprise_id": ent_ids[he],
            "found_date": found,
            "level": np.where(rng.random(n_hazards) < 0.01, "重大", "一般"),
            "description": None,
            "deadline": found + pd.Timedelta(days=30),
            "status": np.where(fixed, "已整改", "整改中"),
            "rectified_date": rect,
        }
    )
    n_inc = 2000
    incidents = pd.DataFrame(
        {
            "incident_id": np.arange(n_inc).astype(str).astype(object),
            "district": district,
            "town": towns[rng.integers(0, len(towns), n_inc)],
            "date": dates(n_inc),
            "category": np.where(rng.random(n_inc) < 0.5, "生产安全事故", "火灾"),
            "industry": industries[rng.integers(0, len(industries), n_inc)],
            "accident_type": "其他",
            "deaths": rng.integers(0, 2, n_inc),
            "serious_injuries": rng.integers(0, 3, n_inc),
            "injuries": rng.integers(3, 6, n_inc),
            "direct_loss_wan": rng.random(n_inc) * 100,
            "description": None,
        }
    )
    n_cases = 20_000
    ce = rng.integers(0, n_enterprises, n_cases)
    cases = pd.DataFrame(
        {
            "case_id": np.arange(n_cases).astype(str).astype(object),
            "district": district,
            "town": ent_town[ce],
            "department": depts[rng.integers(0, len(depts), n_cases)],
            "enterprise_id": ent_ids[ce],
            "filing_date": dates(n_cases),
            "kind": np.where(rng.random(n_cases) < 0.8, "事前", "事故"),
            "fine_wan": np.round(rng.random(n_cases) * 10, 2),
            "suspension": rng.random(n_cases) < 0.05,
        }
    )
    n_out = 5000
    outreach = pd.DataFrame(
        {
            "event_id": np.arange(n_out).astype(str).astype(object),
            "district": district,
            "town": towns[rng.integers(0, len(towns), n_out)],
            "date": dates(n_out),
            "event_type": np.array(schema.OUTREACH_TYPES, dtype=object)[rng.integers(0, 4, n_out)],
            "audience": np.array(schema.OUTREACH_AUDIENCES, dtype=object)[
                rng.integers(0, 4, n_out)
            ],
            "participants": rng.integers(0, 200, n_out),
            "materials": rng.integers(0, 500, n_out),
        }
    )
    plan_e = rng.choice(n_enterprises, 400, replace=False)
    enforcement_plan = pd.DataFrame(
        {
            "year": np.repeat([2019, 2020], 200),
            "district": district,
            "department": schema.DEPARTMENTS[0],
            "enterprise_id": ent_ids[plan_e],
        }
    )
    media = pd.DataFrame(
        {
            "report_id": ["M1", "M2"],
            "district": district,
            "date": pd.to_datetime(["2020-03-01", "2020-05-01"]),
            "outlet": ["中国应急管理报", "江苏卫视"],
            "title": None,
        }
    )
    meetings = pd.DataFrame(
        {
            "meeting_id": ["H1", "H2"],
            "district": district,
            "date": pd.to_datetime(["2019-03-01", "2020-05-01"]),
            "body": list(schema.MEETING_BODIES),
            "topic": None,
        }
    )
    campaign = pd.DataFrame(
        {
            "item_id": ["C1"],
            "district": district,
            "town": [None],
            "campaign": ["特种设备"],
            "item": ["物流市场叉车整改完成"],
            "value": [129.0],
            "unit": ["台"],
            "as_of": pd.to_datetime(["2020-06-30"]),
            "qualifier": [None],
        }
    )
    return {
        "enterprises": enterprises,
        "incidents": incidents,
        "inspections": inspections,
        "enforcement_plan": enforcement_plan,
        "hazards": hazards,
        "cases": cases,
        "outreach": outreach,
        "media": media,
        "meetings": meetings,
        "campaign_progress": campaign,
    }


def bench_indicators(tables=None, district: str = "钟楼区", year: int = 2020) -> dict:
    """Time ``compute_panel`` for every town and the district × 12 month ends of ``year``.

    Returns {"seconds", "rows", "peak_rss_mb"}; used by benchmarks/bench_indicators.py."""
    import resource
    import time

    tables = make_large_tables() if tables is None else tables
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    t0 = time.perf_counter()
    panel = compute_panel(tables, district, months)
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rows": len(panel), "peak_rss_mb": rss}


__all__ = [
    "SEVERITY_CLASSES",
    "SLOTS",
    "breakdown",
    "bench_indicators",
    "compute_indicators",
    "compute_panel",
    "make_large_tables",
    "parse_as_of",
    "severity_class",
    "shift_months",
    "to_display",
]
