"""Small helpers for ad-hoc questions in notebooks/explore.ipynb.

Everything here reuses the loader's validated tables, the indicator catalogue and the
indicator engine, so an exploration and a briefing can never disagree on a number:

- ``catalogue_frame(keyword)``: the catalogue as a table (find an indicator's id);
- ``monthly_series(tables, district, period_end, ids, area)``: a tidy month-by-month
  series of indicators for the district or one town/street;
- ``cumulative_chart_frame(series)``: that series in the shape of
  ``plots.cumulative_monthly``;
- ``records(tables, table, town=…, industry=…, start=…, end=…)``: the underlying rows;
- ``indicator_table(tables, district, period_end, ids, by="town")``: a custom table of
  indicators by town/street or industry;
- ``bar_frame(breakdown_df, ind_id)``: one indicator of a breakdown in the shape of
  ``plots.by_town``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.errors import ParameterError
from analysis.indicators import breakdown, compute_panel, parse_as_of, to_display
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.labels import CATALOGUE_LABELS
from analysis.indicators.model import Catalogue
from analysis.inputs import schema
from analysis.inputs.load import lists_for
from analysis.settings import places

SERIES_COLUMNS = [
    "month",
    "year",
    "month_no",
    "as_of",
    "area",
    "id",
    "name_zh",
    "unit",
    "month_value",
    "value",
    "month_prior_value",
]


def catalogue_frame(keyword: str | None = None, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """The indicator catalogue as a table with Chinese headers; ``keyword`` keeps the
    indicators whose id, name, group or table contains it (e.g. "隐患", "fire")."""
    catalogue = catalogue or load_catalogue()
    rows = [
        {
            "id": i.id,
            "name_zh": i.name_zh,
            "unit": i.unit,
            "group": i.group,
            "table": i.table or "",
            "measure": i.measure,
            "period": i.period,
            "scope": i.scope,
            "note": i.note,
        }
        for i in catalogue
    ]
    df = pd.DataFrame(rows, columns=list(CATALOGUE_LABELS))
    if keyword:
        text = df["id"] + " " + df["name_zh"] + " " + df["group"] + " " + df["table"]
        df = df[text.str.contains(str(keyword), case=False, regex=False)]
    return to_display(df, "catalogue").reset_index(drop=True)


def _months(period_end, start) -> list[str]:
    end = parse_as_of(period_end)
    first = pd.Period(f"{end.year - 1}-01", freq="M") if start is None else pd.Period(start, "M")
    last = pd.Period(end, freq="M")
    if first > last:
        raise ParameterError(f"起始月份“{first}”晚于统计期“{last}”")
    months = [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]
    # the last point is the as-of date itself (a mid-month date stays mid-month)
    return [*months[:-1], end.strftime("%Y-%m-%d")]


def monthly_series(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    ids: Sequence[str],
    area: str | None = None,
    *,
    start: str | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Indicators month by month for the district (``area=None``) or one town/street.

    Months run from ``start`` ("YYYY-MM", default January of the year before
    ``period_end``) to ``period_end``. One row per (month, indicator), columns
    SERIES_COLUMNS: ``month_value`` is the month's own figure (当月), ``value`` the
    year-to-date figure at the month's end (or the snapshot), ``month_prior_value`` the
    same month a year earlier. A month the data do not cover is NaN, not 0.
    """
    if isinstance(ids, str):
        ids = [ids]
    as_ofs = _months(period_end, start)
    areas = [area] if area and area != district else []
    panel = compute_panel(
        tables, district, as_ofs, areas=areas, catalogue=catalogue, ids=list(ids), texts=False
    )
    panel = panel[panel["area"] == (area or district)]
    as_of = pd.to_datetime(panel["as_of"])
    out = pd.DataFrame(
        {
            "month": as_of.dt.strftime("%Y-%m"),
            "year": as_of.dt.year,
            "month_no": as_of.dt.month,
            "as_of": as_of,
            "area": panel["area"],
            "id": panel["id"],
            "name_zh": panel["name_zh"],
            "unit": panel["unit"],
            "month_value": panel["month_value"],
            "value": panel["value"],
            "month_prior_value": panel["month_prior_value"],
        }
    )
    return out[SERIES_COLUMNS].reset_index(drop=True)


def cumulative_chart_frame(series: pd.DataFrame) -> pd.DataFrame:
    """A ``monthly_series`` frame as the input of ``plots.cumulative_monthly`` (columns
    metric, month, year, value = the month's own figure). Rates (unit %) are left out:
    adding up monthly rates means nothing."""
    series = series[~series["unit"].isin(["%", "％"])]
    out = pd.DataFrame(
        {
            "metric": series["name_zh"],
            "month": series["month_no"],
            "year": series["year"],
            "value": series["month_value"],
        }
    )
    return out.dropna(subset=["value"]).reset_index(drop=True)


def series_display(series: pd.DataFrame) -> pd.DataFrame:
    """A ``monthly_series`` frame with Chinese headers."""
    return to_display(series, "explore_series")


def _industry_of_rows(tables: dict[str, pd.DataFrame], df: pd.DataFrame) -> pd.Series:
    if "industry" in df.columns:
        return df["industry"]
    if "enterprise_id" in df.columns:
        roster = tables["enterprises"].drop_duplicates("enterprise_id")
        return df["enterprise_id"].map(roster.set_index("enterprise_id")["industry"])
    return pd.Series(pd.NA, index=df.index, dtype=object)


def _check_industry(industry: str, district: str | None) -> None:
    """``industry`` applies to ``district`` (shared, or the district's own addition); without
    a district, to one of the configured districts. Else a ParameterError that names the
    district whose addition it is, if any."""
    lists = lists_for(places.units())
    districts = [district] if district is not None else sorted(lists.districts)
    usable = list(lists.shared["industries"])
    for d in districts:
        usable += [x for x in lists.allowed("industries", d) if x not in usable]
    if industry in usable:
        return
    why = f"未知的行业领域“{industry}”（{district or '各区'}可用：{'、'.join(usable)}）"
    owners = lists.owners("industries", industry)
    if owners:
        why += f"；“{industry}”是{'、'.join(owners)}新增的行业领域，只适用于{'、'.join(owners)}"
    raise ParameterError(why)


def records(
    tables: dict[str, pd.DataFrame],
    table: str,
    *,
    district: str | None = None,
    town: str | None = None,
    industry: str | None = None,
    start=None,
    end=None,
    chinese_headers: bool = True,
) -> pd.DataFrame:
    """The rows of one table behind the figures, filtered by district, town/street,
    industry (tables without an industry column take it from the enterprise roster through
    the enterprise id) and date (``start`` .. ``end`` inclusive, on the table's date
    column; ``end`` may be a period such as "2020-10"). Sorted by date; Chinese headers
    unless ``chinese_headers=False``."""
    if table not in schema.TABLES or table not in tables:
        known = "、".join(t for t in schema.TABLES if t in tables)
        raise ParameterError(f"没有数据表“{table}”（可用：{known}）")
    spec = schema.TABLES[table]
    df = tables[table]
    keep = pd.Series(True, index=df.index)
    if district is not None and "district" in df.columns:
        keep &= df["district"] == district
    if town is not None:
        if "town" not in df.columns:
            raise ParameterError(f"数据表“{table}”（{spec.zh}）没有镇/街道列")
        keep &= df["town"] == town
    if industry is not None:
        _check_industry(industry, district)
        keep &= (_industry_of_rows(tables, df) == industry).fillna(False).astype(bool)
    if (start is not None or end is not None) and spec.date_column is None:
        raise ParameterError(f"数据表“{table}”（{spec.zh}）没有日期列，不能按日期筛选")
    if start is not None:
        keep &= df[spec.date_column] >= pd.Timestamp(start)
    if end is not None:
        keep &= df[spec.date_column] <= parse_as_of(end)
    out = df.loc[keep]
    if spec.date_column is not None:
        out = out.sort_values(spec.date_column, kind="stable")
    out = out.reset_index(drop=True)
    if chinese_headers:
        out = out.rename(columns={c.name: c.zh for c in spec.columns})
    return out


def indicator_table(
    tables: dict[str, pd.DataFrame],
    district: str,
    period_end,
    ids: Sequence[str],
    *,
    by: str = "town",
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """A custom table: rows = towns/streets (``by="town"``) or industries
    (``by="industry"``) plus the district total (last row), columns = the indicators
    ``ids`` headed “名称（单位）”, values rounded to each indicator's decimals.
    District-only indicators are empty for the towns."""
    catalogue = catalogue or load_catalogue(district=district)
    if isinstance(ids, str):
        ids = [ids]
    long = breakdown(tables, district, period_end, by=by, ids=list(ids), catalogue=catalogue)
    order = list(dict.fromkeys(long[by]))  # configured order, the district total last
    wide = long.pivot(index=by, columns="id", values="value").reindex(index=order, columns=ids)
    for i in ids:
        decimals = catalogue[i].decimals
        rounded = wide[i].astype(float).round(decimals)
        wide[i] = rounded.astype("Int64") if decimals == 0 else rounded
    wide.columns = [f"{catalogue[i].name_zh}（{catalogue[i].unit}）" for i in ids]
    wide.index.name = "镇（街道）" if by == "town" else "行业领域"
    return wide


def bar_frame(breakdown_df: pd.DataFrame, ind_id: str) -> pd.DataFrame:
    """One indicator of a long ``indicators.breakdown`` frame (by town or by industry),
    without the district total, as the input of ``plots.by_town`` (columns town, value,
    prior = the same period last year)."""
    label = "town" if "town" in breakdown_df.columns else "industry"
    rows = breakdown_df[(breakdown_df["id"] == ind_id) & ~breakdown_df["is_district"]]
    if rows.empty:
        raise ParameterError(f"分组表中没有指标“{ind_id}”")
    return pd.DataFrame(
        {"town": rows[label], "value": rows["value"], "prior": rows["prior_value"]}
    ).reset_index(drop=True)
