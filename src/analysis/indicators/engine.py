"""The engine behind ``analysis.indicators``: comparison windows, district-filtered tables
and the sorted cumulative structures that answer every window with two searchsorted calls.

Internal to the package; call the functions of ``analysis.indicators`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.indicators.model import DERIVED_COLUMNS, Catalogue, Condition, Indicator
from analysis.indicators.severity import severity_class
from analysis.inputs import schema
from analysis.periods import NAT_DAY, day_number, day_numbers, shift_months

SLOTS = (
    "value",
    "month_value",
    "prior_value",
    "prior2_value",
    "prev_month_value",
    "month_prior_value",
)
_SHIFT = 22  # bits of the effective-day part of a sort key (~11,000 years)


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


@dataclass
class _Table:
    name: str
    df: pd.DataFrame
    codes: np.ndarray | None  # area code per row; None if the table has no `by` column
    days: np.ndarray | None  # date column as day numbers
    coverage_start: pd.Timestamp | None  # 1 January of the year of the earliest record
    coverage_year: int | None  # tables keyed by a year column
    has_data: bool
    kinds: frozenset = frozenset()  # the kinds recorded (schema.Table.kind_column)

    def records(self, ind: Indicator, kind_column: str | None) -> bool:
        """Whether the data record the kind(s) ``ind`` selects; True when it selects none."""
        for c in ind.filters:
            if c.column == kind_column and c.op in ("eq", "in"):
                wanted = c.value if isinstance(c.value, tuple) else (c.value,)
                if not self.kinds.intersection(wanted):
                    return False
        return True


class Engine:
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
        self._cums: dict[tuple, tuple[np.ndarray, np.ndarray, int, int]] = {}
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
        absent = [c for c in spec.columns if c.optional and c.name not in df.columns]
        if absent:  # a table built without an optional column (统计口径): never filled in
            df = df.assign(**{c.name: pd.Series(pd.NA, index=df.index, dtype=object)
                              for c in absent})  # fmt: skip
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
            days = day_numbers(df[spec.date_column])
            if cov_start is None and len(full):
                first = full[spec.date_column].min()
                if pd.notna(first):
                    cov_start = pd.Timestamp(first.year, 1, 1)
        elif "year" in df.columns and len(full):
            cov_year = int(full["year"].min()) if cov_start is None else cov_start.year
        kinds = frozenset(df[spec.kind_column].dropna()) if spec.kind_column else frozenset()
        t = _Table(name, df, codes, days, cov_start, cov_year, len(full) > 0, kinds)
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
        m, eff = _effective_days(t, m, as_of)
        bucket = _buckets(t, ind.table, kind, year_col)  # type: ignore[arg-type]
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
            keys = self._first_days(codes[ok], b[ok] - bmin, e[ok], kv[ok], nb)
            order = np.argsort(keys, kind="stable")
            result = (keys[order], None, bmin, nb)
        else:
            g = codes * nb + (b - bmin)
            keys = (g << _SHIFT) + e
            order = np.argsort(keys, kind="stable")
            result = (keys[order], idx[order], bmin, nb)
        self._sorted[key] = result
        return result

    def _first_days(self, codes, offsets, e, kv, nb: int) -> np.ndarray:
        """Sort keys of the first effective day per (area, bucket, distinct value) and per
        (district, bucket, distinct value)."""
        parts = []
        for area_codes in (codes, np.full(len(codes), self.whole, np.int64)):
            g = area_codes * nb + offsets
            frame = pd.DataFrame({"g": g, "k": kv, "e": e})
            first = frame.groupby(["g", "k"], sort=False)["e"].min()
            parts.append((first.index.get_level_values("g").to_numpy(), first.to_numpy()))
        g = np.concatenate([p[0] for p in parts])
        e = np.concatenate([p[1] for p in parts])
        return (g << _SHIFT) + e

    def _cum(self, ind: Indicator, kind: str) -> tuple[np.ndarray, np.ndarray, int, int]:
        """(sort keys, cumulated values, first bucket, buckets), kept for every indicator
        with the same table, filters, measure and columns."""
        key = (ind.table, ind.filters, ind.measure, ind.columns, kind)
        if key not in self._cums:
            self._cums[key] = self._cumulated(ind, kind)
        return self._cums[key]

    def _cumulated(self, ind: Indicator, kind: str) -> tuple[np.ndarray, np.ndarray, int, int]:
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
        spec = schema.TABLES[ind.table]  # type: ignore[index]
        if not t.has_data or not t.records(ind, spec.kind_column):
            return out  # no such table, or a kind of record it never has: not provided
        year_table = spec.date_column is None and any(c.uses_year for c in ind.filters)
        windows = [_windows(a) for a in as_ofs]
        for slot in range(len(SLOTS)):
            wins = [w[slot] for w in windows]
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
                end = day_number(w.end)
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


def _effective_days(t: _Table, m: np.ndarray, as_of: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(mask, effective day): the record date folded with every `col <= $as_of` (a record
    missing such a date, or its own date, is masked out)."""
    df = t.df
    if t.days is not None:
        eff = t.days.copy()
    else:
        eff = np.zeros(len(df), dtype=np.int64)
    for col, op in as_of:
        d = day_numbers(df[col])
        valid = d != NAT_DAY
        m = m & valid
        d = np.where(valid, d + (1 if op == "lt" else 0), 0)
        eff = np.maximum(eff, d)
    if t.days is not None:
        m = m & (t.days != NAT_DAY)
    return m, eff


def _buckets(t: _Table, table: str, kind: str, year_col: str | None) -> np.ndarray:
    """Each record's bucket: its year ("Y"), its month number ("M"), else 0."""
    df = t.df
    if kind == "Y":
        if t.days is not None:
            return df[schema.TABLES[table].date_column].dt.year.to_numpy()
        return df[year_col].to_numpy(dtype=np.int64)
    if kind == "M":
        dc = df[schema.TABLES[table].date_column]
        return (dc.dt.year * 12 + dc.dt.month - 1).to_numpy()
    return np.zeros(len(df), dtype=np.int64)
