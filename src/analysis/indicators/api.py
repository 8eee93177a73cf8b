"""Public functions of ``analysis.indicators``: panels, one area's indicators, breakdowns
by town or industry, and the monthly series of the cumulative chart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.engine import Engine
from analysis.indicators.frame import assemble
from analysis.indicators.model import Catalogue
from analysis.indicators.scope import shared
from analysis.inputs import schema
from analysis.numbers import TextStyle
from analysis.periods import (
    is_month_end,
    monthly_as_of_dates,
    parse_as_of,
    shift_months,
)
from analysis.settings import places, reference_data

SERIES_COLUMNS = ["year", "month", "as_of", "area", "id", "name_zh", "unit", "month_value", "value"]


def _areas_for(tables, district: str, by: str) -> list[str]:
    if by == "town":
        try:
            areas = places.towns_of(district)
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
    if by == "industry":  # the shared industries and the district's own additions
        return list(reference_data.names("industries", district))
    raise ParameterError(f"不支持按“{by}”分组（可用：town、industry）")


def _check_district(tables, district: str) -> None:
    known = set(places.units().get("districts", {}))
    if district in known:
        return
    for df in tables.values():
        if "district" in df.columns and (df["district"] == district).any():
            return
    raise ParameterError(f"未知的区“{district}”（data/config/units.yaml 与数据中均无）")


def _with_inputs(catalogue: Catalogue, ids: Sequence[str]) -> set[str]:
    """``ids`` and every indicator a ratio / difference among them is computed from."""
    out: set[str] = set()
    stack = list(ids)
    while stack:
        i = stack.pop()
        if i in out:
            continue
        out.add(catalogue[i].id)
        stack.extend(catalogue[i].inputs)
    return out


def unmarked_ids(tables, district: str, catalogue: Catalogue) -> frozenset[str]:
    """Indicators selecting on an optional column (``Column.optional``, e.g. 统计口径) that
    the district's rows never fill in: the data do not mark it, so they have no value
    (NaN), not zero."""
    filled: dict[tuple[str, str], bool] = {}

    def is_filled(table: str, column: str) -> bool:
        if (table, column) not in filled:
            rows = tables.get(table)
            if rows is not None and "district" in rows.columns:
                rows = rows[rows["district"] == district]
            ok = rows is not None and column in rows.columns and rows[column].notna().any()
            filled[(table, column)] = bool(ok)
        return filled[(table, column)]

    out = set()
    for ind in catalogue:
        spec = schema.TABLES.get(ind.table or "")
        optional = {c.name for c in spec.columns if c.optional} if spec else set()
        wanted = {f.column for f in ind.filters} & optional
        if not all(is_filled(ind.table, c) for c in wanted):
            out.add(ind.id)
    return frozenset(out)


def _evaluate(
    engine: Engine, catalogue, ids, as_ofs, by: str, unmarked: frozenset[str] = frozenset()
) -> dict[str, np.ndarray]:
    """Array (slot, as_of, area + district) of every indicator needed for ``ids``; those
    of ``unmarked`` (``unmarked_ids``) all NaN."""
    order = catalogue.evaluation_order()
    if ids is not None:
        wanted = _with_inputs(catalogue, ids)
        order = [i for i in order if i.id in wanted]
    n_areas = len(engine.areas)
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
        if ind.id in unmarked:
            vals[ind.id] = np.full_like(vals[ind.id], np.nan, dtype=float)
        if ind.scope == "district" or (by != "town" and ind.measure == "towns"):
            vals[ind.id][:, :, :n_areas] = np.nan
    return vals


def _engine(tables, district: str, catalogue: Catalogue, by: str, coverage) -> Engine:
    """The engine of these tables, district and grouping: the open ``shared_engines``
    scope's, else a new one."""

    def build() -> Engine:
        _check_district(tables, district)
        areas = _areas_for(tables, district, by)
        return Engine(tables, district, catalogue, areas, by=by, coverage=coverage)

    return shared(tables, district, by, coverage, build)


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
    style: TextStyle | None = None,
) -> pd.DataFrame:
    """Indicators for every as-of date × area (the district and its towns) at once.

    ``as_of_dates``: any number of periods or dates, each computed as ``compute_indicators``
    would; one call for many dates shares the engine's filtering and sorting, so a caller
    that needs several dates (the monthly chart, the reconciliation of published figures)
    computes them together and picks each with ``indicators_at(panel, as_of, area)``.
    Inside ``shared_engines()`` calls on the same tables share one engine as well.
    ``areas``: names to report besides the district (default: every town of the district,
    or every industry when ``by="industry"``; ``[]`` for the district alone). ``texts``:
    False leaves out the formatted text columns (faster); ``style`` words them (rounding
    rule and decimals of a district, default 四舍五入 to 1 decimal). Returns a long
    DataFrame ordered as_of → area → indicator with the columns of ``compute_indicators``;
    the district's own rows have ``area == district`` and ``is_district`` True.
    """
    catalogue = catalogue or load_catalogue(district=district)
    engine = _engine(tables, district, catalogue, by, coverage)
    as_ofs = [parse_as_of(a) for a in as_of_dates]
    all_areas = engine.areas
    if areas is not None:
        unknown = [a for a in areas if a not in all_areas and a != district]
        if unknown:
            what = "镇（街道）" if by == "town" else "行业领域"
            raise ParameterError(f"{district}没有{what}“{'、'.join(unknown)}”")
    vals = _evaluate(engine, catalogue, ids, as_ofs, by, unmarked_ids(tables, district, catalogue))
    show = [catalogue[i] for i in ids] if ids is not None else list(catalogue)
    # choose the areas to show (district last column of the arrays)
    names = [*all_areas, district]
    pick = list(range(len(names)))
    if areas is not None:
        pick = [names.index(a) if a != district else len(all_areas) for a in areas]
        if len(all_areas) not in pick:
            pick.append(len(all_areas))
    return assemble(show, vals, as_ofs, names, pick, district, texts, style)


def indicators_at(panel: pd.DataFrame, as_of, area: str) -> pd.DataFrame:
    """The rows of a ``compute_panel`` frame for one as-of date and area: the same frame
    ``compute_indicators`` returns for them."""
    t = parse_as_of(as_of)
    out = panel.loc[(panel["as_of"] == t) & (panel["area"] == area)].reset_index(drop=True)
    if out.empty:
        raise ParameterError(f"指标面板中没有“{area}”截至{t:%Y-%m-%d}的数据")
    return out


def compute_indicators(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    unit: str | None = None,
    catalogue: Catalogue | None = None,
    *,
    ids: Sequence[str] | None = None,
    coverage: dict[str, str | pd.Timestamp] | None = None,
    style: TextStyle | None = None,
) -> pd.DataFrame:
    """One row per indicator for the district (``unit=None``) or one town/street.

    ``period_end``: "YYYY-MM" (the month's last day) or any as-of date ("2020-10-23").

    Columns: as_of, area, is_district, id, name_zh, unit, group, direction, decimals, scope,
    period, measure, note, value (年初至今 or snapshot), month_value (本月), prior_value
    (上年同期), prior2_value (前年同期), prev_month_value (上月), month_prior_value (上年同月),
    applicable (False: district-only indicator asked for a town), yoy_pct (同比 %, counts),
    yoy_pp (同比 百分点, rates), yoy2_pct, mom_pct, mom_pp, month_yoy_pct, value_text,
    yoy_text, yoy2_text (比前年同期), mom_text, month_yoy_text. Percentages are unrounded;
    texts are rounded under ``style`` (see ``compute_panel``).
    """
    areas = [unit] if unit else [district]
    df = compute_panel(
        tables, district, [period_end], areas, catalogue, ids=ids, coverage=coverage, style=style
    )
    return df.loc[df["area"] == (unit or district)].reset_index(drop=True)


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
    style: TextStyle | None = None,
) -> pd.DataFrame:
    """Indicators by town/street (``by="town"``) or industry (``by="industry"``; tables
    without an industry column take it from the enterprise roster via enterprise_id).

    Long form: one row per (area, indicator) with the compute_indicators columns plus
    ``additive`` and ``share_pct`` (the area's share of the district for additive
    indicators); the district total row is last when ``include_total``. Wide form: areas ×
    indicator ids of ``value``.
    """
    catalogue = catalogue or load_catalogue(district=district)
    df = compute_panel(tables, district, [period_end], None, catalogue, by=by, ids=ids, style=style)
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


# --------------------------------------------------------------------------- monthly series


def monthly_series_from_panel(
    panel: pd.DataFrame, period_end, area: str, ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """``monthly_series`` from a ``compute_panel`` frame already computed at (at least)
    ``monthly_as_of_dates(period_end)`` for ``area``, so one panel serves the briefing's
    tables and its cumulative chart."""
    end = parse_as_of(period_end)
    rows = panel.loc[panel["area"] == area]
    if ids is not None:
        rows = rows.loc[rows["id"].isin(list(ids))]
    as_of = pd.to_datetime(rows["as_of"])
    missing = [d for d in monthly_as_of_dates(end) if not (as_of == d).any()]
    if missing:
        dates = "、".join(f"{d:%Y-%m-%d}" for d in missing)
        raise ParameterError(f"指标面板缺少“{area}”截至{dates}的数据，无法得到逐月数据")
    month_ends = as_of.map(is_month_end).astype(bool) & (as_of.dt.year == end.year)
    this_year = (as_of == end) | (month_ends & (as_of.dt.month < end.month))
    last_year = rows.loc[month_ends.to_numpy()]
    current = rows.loc[this_year.to_numpy()]
    parts = [
        _series_part(last_year, "month_prior_value", "prior_value", shift=12),
        _series_part(current, "month_value", "value", shift=0),
    ]
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["year", "month"], kind="stable").reset_index(drop=True)


def _series_part(rows: pd.DataFrame, month_col: str, ytd_col: str, shift: int) -> pd.DataFrame:
    as_of = pd.to_datetime(rows["as_of"]).map(lambda t: shift_months(t, shift))
    return pd.DataFrame(
        {
            "year": as_of.dt.year.astype("int64"),
            "month": as_of.dt.month.astype("int64"),
            "as_of": as_of,
            "area": rows["area"],
            "id": rows["id"],
            "name_zh": rows["name_zh"],
            "unit": rows["unit"],
            "month_value": rows[month_col],
            "value": rows[ytd_col],
        },
        columns=SERIES_COLUMNS,
    )


def monthly_series(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    ids: Sequence[str],
    unit: str | None = None,
    catalogue: Catalogue | None = None,
    *,
    coverage: dict[str, str | pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Month by month figures of ``ids`` for the district (``unit=None``) or one town/street:
    this year's months up to the period, and all 12 months of last year, from one panel
    computation. One row per (year, month, indicator), ordered that way, columns
    ``SERIES_COLUMNS``: ``month_value`` is the month's own figure (当月; the last month of
    this year runs to the as-of date), ``value`` the cumulative year-to-date figure at the
    month's end (``as_of``). A month the data do not cover is NaN, never a false 0; rates
    and snapshots are included as computed (a cumulative chart leaves rates out).
    """
    ids = [ids] if isinstance(ids, str) else list(ids)
    panel = compute_panel(
        tables,
        district,
        monthly_as_of_dates(period_end),
        areas=[unit] if unit else [],
        catalogue=catalogue,
        ids=ids,
        coverage=coverage,
        texts=False,
    )
    return monthly_series_from_panel(panel, period_end, unit or district)
