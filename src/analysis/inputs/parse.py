"""Typed parsing of text cells (vectorised): numbers, integers, yes/no values and dates,
and the contract's pandas dtypes."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from analysis.inputs import columnar, schema

EARLIEST_DATE = pd.Timestamp("2000-01-01")
DATE_FORMATS_ZH = "YYYY-MM-DD、YYYY/MM/DD、YYYY.MM.DD、YYYYMMDD 或 YYYY年M月D日，可带时刻如 14:30"

_TRUE = {"true", "1", "是", "y", "yes", "t", "√", "1.0"}
_FALSE = {"false", "0", "否", "n", "no", "f", "×", "0.0"}
# a time of day after the date (2020-10-25 14:30, 2020/10/25 14:30:05, 2020年10月25日 8时):
# the contract has no time column, so the date is taken and the time set aside
_TIME = (
    r"(?:(?:\s+|T)(?:[01]?\d|2[0-3])(?:[:：][0-5]\d(?:[:：][0-5]\d(?:\.\d+)?)?|时(?:[0-5]?\d分)?))?"
)
_DATE_PATTERNS = (
    re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$"),
    re.compile(rf"^(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}}){_TIME}$"),
    re.compile(rf"^(?P<y>\d{{4}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日{_TIME}$"),
    re.compile(rf"^(?P<y>\d{{4}})\.(?P<m>\d{{1,2}})\.(?P<d>\d{{1,2}}){_TIME}$"),
    re.compile(rf"^(?P<y>(?:19|20)\d{{2}})(?P<m>\d{{2}})(?P<d>\d{{2}}){_TIME}$"),  # 20201025
)
# "1,200" or "1，200.5": separators only between groups of three digits ("1,2,3" is no number)
_GROUPED = r"[+-]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?"


def pandas_dtype(col: schema.Column) -> str:
    if col.dtype == "int":
        return "Int64" if col.nullable else "int64"
    if col.dtype == "float":
        return "float64"
    if col.dtype == "date":
        return "datetime64[ns]"
    if col.dtype == "bool":
        return "boolean" if col.nullable else "bool"
    return columnar.TEXT_DTYPE  # pyarrow-backed text, missing = NaN (pandas 3's default str)


def empty_frame(table: schema.Table) -> pd.DataFrame:
    """An empty frame with the contract's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=pandas_dtype(c)) for c in table.columns})


def finalise(frame: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """Cast to the contract's dtypes (rows with problems already removed, so every int is
    within its column's range and the cast cannot wrap around)."""
    out = {}
    for col in table.columns:
        s = frame[col.name]
        if col.dtype == "str":  # text from a workbook becomes columnar like a CSV's
            out[col.name] = (
                s.array if s.dtype == columnar.TEXT_DTYPE else s.astype(columnar.TEXT_DTYPE).array
            )
        else:
            out[col.name] = s.astype(pandas_dtype(col)).array
    return pd.DataFrame(out, copy=False)  # arrays: a fresh RangeIndex, nothing copied


def to_number(text: pd.Series, empty: pd.Series) -> pd.Series:
    """Numbers as float64 (NaN = empty or not a number); thousands separators allowed.

    float64 never wraps around: a 20-digit integer becomes a huge float that the range
    check rejects, never a negative int64."""
    num = columnar.to_float(text, empty)
    if num is None:
        num = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
    retry = ~empty & num.isna()
    if retry.any():  # only the few failures get the slower clean-up
        shown = halfwidth(text[retry])  # full-width digits (１２．５) are the same number
        num.loc[shown.index] = pd.to_numeric(shown, errors="coerce").astype("float64")
        grouped = shown[num.loc[shown.index].isna()]
        grouped = grouped[grouped.str.fullmatch(_GROUPED)]
        cleaned = grouped.str.replace(r"[,，]", "", regex=True)
        num.loc[cleaned.index] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    return num


def halfwidth(text: pd.Series) -> pd.Series:
    """Cells as their half-width (NFKC) forms, spaces trimmed: ``１２．５`` → ``12.5``,
    ``２０２０－１０－２５`` → ``2020-10-25`` (Chinese input methods type full-width forms)."""
    return text.map(lambda x: unicodedata.normalize("NFKC", x).strip(), na_action="ignore")


def parse_int(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    num = to_number(text, empty)
    bad = ~empty & (num.isna() | np.isinf(num) | (num % 1 != 0))
    return num.where(~bad), bad


def parse_float(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    num = to_number(text, empty)
    bad = ~empty & (num.isna() | np.isinf(num))
    return num.where(~bad), bad


def parse_bool(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    low = text.str.lower()
    is_true = low.isin(_TRUE)
    is_false = low.isin(_FALSE)
    bad = ~empty & ~is_true & ~is_false
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    out[is_true] = True
    out[is_false] = False
    return out, bad


def parse_date(text: pd.Series, empty: pd.Series, excel: bool) -> tuple[pd.Series, pd.Series]:
    # the common case first, in C: YYYY-MM-DD (an Excel date cell is rendered like that)
    out = columnar.to_date(text, empty)
    if out is None:
        out = pd.to_datetime(text.where(~empty), format="%Y-%m-%d", errors="coerce")
    todo = ~empty & out.isna()
    if todo.any():
        sub = halfwidth(text[todo])
        for pattern in _DATE_PATTERNS:
            parts = sub.str.extract(pattern)
            hit = parts["y"].notna()
            if hit.any():
                p = parts[hit].astype(int)
                parsed = pd.to_datetime(
                    dict(year=p["y"], month=p["m"], day=p["d"]), errors="coerce"
                )
                out.loc[parsed.index] = parsed
        if excel:  # an Excel serial day number in a cell not formatted as a date
            serial = pd.to_numeric(sub, errors="coerce")
            ok = serial.between(36526, 73051) & out[todo].isna()  # 2000-01-01 .. 2099-12-31
            if ok.any():
                out.loc[ok[ok].index] = pd.Timestamp("1899-12-30") + pd.to_timedelta(
                    serial[ok].astype(int), unit="D"
                )
    bad = ~empty & out.isna()
    return out.astype("datetime64[ns]"), bad


def fmt_num(x: Any) -> str:
    """A contract bound as written in messages and the data dictionary: 0, 2000, 0.5."""
    return str(int(x)) if float(x).is_integer() else str(x)
