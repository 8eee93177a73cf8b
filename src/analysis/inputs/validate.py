"""Single-file validation against the data contract, in phases (all vectorised; per-row
Python work happens only for invalid rows):

1. headers → canonical columns (``map_columns``);
2. text cells of the records, blank rows dropped, refused characters (``cell_text``);
3. typed values, required cells, allowed values (reference lists per row's district),
   plausible ranges, unique ids (``type_columns``);
4. district and town against units.yaml, combinations, cross-column rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analysis.errors import Problem
from analysis.inputs import chars, columnar, money, schema
from analysis.inputs.cells import check_percent, report_faults
from analysis.inputs.headers import norm_header
from analysis.inputs.parse import (
    DATE_FORMATS_ZH,
    EARLIEST_DATE,
    empty_frame,
    fmt_num,
    pandas_dtype,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
)
from analysis.inputs.read import Raw
from analysis.inputs.reference_lists import SEPARATOR, ReferenceLists
from analysis.inputs.report_cells import (
    number_reason,
    placeholders_as_blank,
    refuse_excel_errors,
    total_rows,
)
from analysis.inputs.workbook import sheet_and_row


class Collector:
    """Collects problems for one file, and which rows are bad."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.bad_rows: set[int] = set()
        self.refused: set[tuple[int, str]] = set()  # (row, header): reported, not re-checked
        self.sheets: tuple[str, ...] = ()  # a workbook's sheets: rows are sheet-coded
        self.notices: list[Problem] = []  # worth a look, not a problem (see LoadResult)

    def problem(self, row: int, column: str | None, value: str | None, reason: str) -> Problem:
        """A problem at a row index, told as the sheet and Excel row the analyst sees."""
        sheet, shown = sheet_and_row(self.sheets, int(row))
        return Problem(self.name, shown, column, value, reason, sheet=sheet)

    def row_label(self, row: int) -> str:
        """“第 5 行”, or “工作表“2019”第 5 行” in a workbook of several sheets."""
        sheet, shown = sheet_and_row(self.sheets, int(row))
        return f"工作表“{sheet}”第 {shown} 行" if len(self.sheets) > 1 else f"第 {shown} 行"

    def file_problem(self, reason: str, column: str | None = None, value: str | None = None):
        self.problems.append(Problem(self.name, None, column, value, reason))

    def row_problem(self, row: int, reason: str) -> None:
        self.problems.append(self.problem(row, None, None, reason))
        self.bad_rows.add(row)

    def cells(self, mask: pd.Series, header: str, text: pd.Series, reason) -> None:
        """Add one problem per True row of ``mask``; ``reason`` may be a str or a callable."""
        if not mask.any():
            return
        rows = mask.index[mask.to_numpy()]
        values = text.loc[rows]
        for row, value in zip(rows.tolist(), values.tolist(), strict=True):
            if (int(row), header) in self.refused:
                continue
            why = reason(row, value) if callable(reason) else reason
            self.problems.append(self.problem(row, header, value, why))
            self.bad_rows.add(int(row))


@dataclass
class Columns:
    """Where each contract column is in the file, and how its header is written."""

    position: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # canonical → as written
    ignored: list[str] = field(default_factory=list)  # unknown columns (lenient: ignored)
    fatal: bool = False


@dataclass
class Validated:
    """One file after single-file checks (index = row number as the analyst sees it)."""

    frame: pd.DataFrame | None  # typed; None if a file-level problem stops validation
    columns: Columns
    text: pd.DataFrame | None = None  # stripped cell text by canonical column
    fatal: bool = False


def _header_for_matching(header: str, c: Collector, shown: str) -> str:
    """Refuse a header with control/invisible characters (e.g. a doubled BOM), but match
    it without them so the one real problem is not buried under “missing column”."""
    if not chars.FORBIDDEN.search(header):
        return header
    c.file_problem("表头" + chars.reason(header), column=shown)
    return chars.FORBIDDEN.sub("", header)


def map_columns(raw: Raw, table: schema.Table, c: Collector, lookup: dict[str, str]) -> Columns:
    cols = Columns()
    data = raw.data

    def blank_column(i: int) -> bool:
        return len(data) == 0 or not data[i].astype(str).str.strip().ne("").any()

    for i, header in enumerate(raw.headers):
        shown = chars.visible(header) or f"第 {i + 1} 列（无表头）"
        matched = _header_for_matching(header, c, shown)
        cols.fatal = cols.fatal or matched != header
        canonical = lookup.get(norm_header(matched))
        if canonical is None:
            if header == "" and blank_column(i):
                continue  # an empty trailing column from Excel
            if header == "":
                c.file_problem("该列有数据但没有表头", column=shown)
                cols.fatal = True
            else:
                c.file_problem(f"未知列：不在“{table.zh}”（{table.name}）的数据约定中", shown)
                cols.ignored.append(header)
            continue
        if canonical in cols.position:
            first = raw.headers[cols.position[canonical]]
            c.file_problem(f"与列“{first}”重复，二者都对应字段“{canonical}”", column=shown)
            cols.fatal = True
            continue
        cols.position[canonical] = i
        cols.headers[canonical] = header
    for col in table.columns:
        if col.name not in cols.position and not col.optional:
            c.file_problem(f"缺少列“{col.zh}”（{col.name}）", column=col.zh)
            cols.fatal = True
    return cols


def cell_text(raw: Raw, cols: Columns, c: Collector) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(stripped text, empty mask) of the contract's columns, blank rows dropped; cells of
    any column holding refused characters are reported with the characters made visible."""
    data = raw.data
    stripped = {i: data[i] if raw.trimmed else data[i].str.strip() for i in data.columns}
    empty = {i: s.eq("") for i, s in stripped.items()}
    blank = pd.Series(np.logical_and.reduce([e.to_numpy() for e in empty.values()]), data.index)
    if raw.may_hold_forbidden:
        _refuse_characters(raw, blank, c)
    text = pd.DataFrame({name: stripped[i] for name, i in cols.position.items()})
    empties = pd.DataFrame({name: empty[i] for name, i in cols.position.items()})
    if blank.any():
        text, empties = text.loc[~blank], empties.loc[~blank]
    totals = total_rows(text, cols.headers, c)
    if totals.any():
        text, empties = text.loc[~totals], empties.loc[~totals]
    return text, empties


def _refuse_characters(raw: Raw, blank: pd.Series, c: Collector) -> None:
    data = raw.data
    for i in data.columns:
        header = raw.headers[i] if i < len(raw.headers) else ""
        refused = ~blank & chars.has_forbidden(data[i])
        if refused.any():
            shown = data[i][refused].map(chars.visible)
            label = chars.visible(header) or f"第 {i + 1} 列（无表头）"
            c.cells(refused, label, shown, lambda r, _v, cells=data[i]: chars.reason(cells.loc[r]))
            c.refused.update((int(r), header) for r in refused.index[refused.to_numpy()])


def _range_reason(col: schema.Column) -> str:
    low, high = fmt_num(col.minimum), fmt_num(col.maximum)
    return f"超出合理范围（应在 {low} 至 {high} 之间）"


def _type_column(
    col: schema.Column, s: pd.Series, empty: pd.Series, header: str, c: Collector, ctx
) -> pd.Series:
    """Parse one column to its type, reporting every cell that breaks the contract."""
    today, excel, factors, lists, districts = ctx
    refuse_excel_errors(s, empty, header, c)
    if col.dtype != "str":
        empty = placeholders_as_blank(s, empty, header, c)
    if not col.nullable:
        c.cells(empty, header, s, "必填项为空")
    if col.dtype == "str":
        value = s.where(~empty) if empty.any() else s  # where() would copy every cell
        if col.allowed is not None:
            why = f"取值不在允许范围内（允许：{'、'.join(col.allowed)}）"
            c.cells(~empty & ~s.isin(col.allowed), header, s, why)
        elif col.vocabulary is not None:
            _check_reference_list(col.vocabulary, s, empty, header, c, (lists, districts))
    elif col.dtype in ("int", "float"):
        if col.dtype == "int":
            value, bad = parse_int(s, empty)
            c.cells(bad, header, s, number_reason("整数"))
        else:
            value, bad = parse_float(s, empty)
            c.cells(bad, header, s, number_reason("数字"))
            if factors.get(col.name, 1.0) != 1.0:  # a money column in another unit
                value = value * factors[col.name]
        low_reason = "不能为负数" if col.minimum == 0 else _range_reason(col)
        c.cells(value < col.minimum, header, s, low_reason)
        c.cells(value > col.maximum, header, s, _range_reason(col))
    elif col.dtype == "bool":
        value, bad = parse_bool(s, empty)
        c.cells(bad, header, s, "不是有效的是/否值（可填：是、否、true、false、1、0）")
    elif col.dtype == "date":
        value, bad = parse_date(s, empty, excel)
        c.cells(bad, header, s, f"日期无法识别（应为 {DATE_FORMATS_ZH}）")
        c.cells(value < EARLIEST_DATE, header, s, "日期早于 2000-01-01，不在可统计范围内")
        if not col.future_ok:
            late = value > pd.Timestamp(today)
            c.cells(late, header, s, f"日期晚于今天（{today:%Y-%m-%d}），不能是未来日期")
    else:  # pragma: no cover — the contract only has the types above
        raise ValueError(col.dtype)
    if col.unique and not columnar.all_distinct(s[~empty] if empty.any() else s):
        dup = ~empty & s.duplicated(keep="first")
        if dup.any():
            first_row = s[~empty].drop_duplicates(keep="first")
            first_of = pd.Series(first_row.index, index=first_row.to_numpy())
            c.cells(
                dup, header, s, lambda _r, v, fo=first_of: f"编号重复（与{c.row_label(fo[v])}相同）"
            )
    return value


def _check_reference_list(key: str, s, empty, header: str, c: Collector, where) -> None:
    """Each value in reference list ``key`` as it applies to its row's district: the shared
    names, or one the row's own district added (a "district␟value" key per cell, as for
    towns, so a name another district added is refused)."""
    lists, districts = where
    known = s.isin(lists.shared[key])
    pairs = lists.district_pairs(key)
    if pairs and districts is not None:
        known |= (districts + SEPARATOR + s).isin(pairs)

    def reason(row: int, value: str) -> str:
        return lists.reason(key, None if districts is None else districts.loc[row], value)

    c.cells(~empty & ~known, header, s, reason)


def type_columns(
    text: pd.DataFrame, empties: pd.DataFrame, table: schema.Table, cols: Columns, c, ctx
) -> dict[str, pd.Series]:
    """Each column typed; an optional column the file leaves out is all missing."""
    return {
        col.name: _type_column(
            col, text[col.name], empties[col.name], cols.headers[col.name], c, ctx
        )
        if col.name in cols.position
        else pd.Series(pd.NA, index=text.index, dtype=pandas_dtype(col))
        for col in table.columns
    }


def check_units(text: pd.DataFrame, cols: Columns, c: Collector, units: dict) -> None:
    """District and town against data/config/units.yaml."""
    districts = units.get("districts") or {}
    town_owner = {t: d for d, spec in districts.items() for t in (spec or {}).get("towns", [])}
    if "district" in text:
        d = text["district"]
        c.cells(
            d.ne("") & ~d.isin(list(districts)),
            cols.headers["district"],
            d,
            lambda _r, v: f"区“{v}”未在 data/config/units.yaml 中配置",
        )
    if "town" in text and "district" in text:
        t, d = text["town"], text["district"]
        pairs = [f"{owner}\x1f{town}" for town, owner in town_owner.items()]
        # one column of "district␟town" keys: no Python object per cell in a large table
        wrong = t.ne("") & d.isin(list(districts)) & ~(d + "\x1f" + t).isin(pairs)

        def town_reason(row: int, v: str) -> str:
            owner = town_owner.get(v)
            district = d.loc[row]
            if owner is not None:
                return f"“{v}”属于{owner}，不属于{district}"
            return f"“{v}”不是{district}的镇/街道（见 data/config/units.yaml）"

        c.cells(wrong, cols.headers["town"], t, town_reason)


def check_combinations(text: pd.DataFrame, table: schema.Table, cols: Columns, c) -> None:
    for combo in table.unique_together:
        sub = text[list(combo)]
        dup = sub.duplicated(keep="first") & sub.ne("").all(axis=1)
        if not dup.any():
            continue
        names = "、".join(table.column(n).zh for n in combo)
        shown = sub[dup].astype(str).agg(" / ".join, axis=1)  # only the rows reported
        c.cells(dup, cols.headers[combo[-1]], shown, f"（{names}）组合重复")


def check_rules(typed: dict, text: pd.DataFrame, table: schema.Table, cols: Columns, c) -> None:
    headers = cols.headers
    for rule in table.rules:
        a, b = typed[rule.column], typed[rule.other]
        header = headers[rule.column]
        if rule.kind in ("not_before", "not_less"):
            bad = (a.notna() & b.notna() & (a < b)).fillna(False).astype(bool)
        elif rule.kind == "iff_present":
            bad = (b.notna() & (a.notna() != b.eq(rule.value))).fillna(False).astype(bool)
        else:  # pragma: no cover
            raise ValueError(rule.kind)
        if not bad.any():
            continue
        mine, other = text.loc[bad, rule.column], text.loc[bad, rule.other]  # reported rows
        if rule.kind == "iff_present":
            shown = other + "；" + header + "：" + mine
        else:
            shown = mine + "（" + headers[rule.other] + "：" + other + "）"
        c.cells(bad, header, shown, rule.zh)


def money_factors(
    table: schema.Table, cols: Columns, c: Collector, declared: dict[str, str] | None
) -> dict[str, float] | None:
    """Each money column's multiplier to 万元 (from its header or a declaration); None
    after a file problem for a header whose unit is neither written nor declared."""
    factors, ok = {}, True
    for col in table.columns:
        if col.unit and col.name in cols.headers:
            header = cols.headers[col.name]
            factors[col.name], why = money.factor(col, header, declared or {})
            if why is not None:
                c.file_problem(why, column=header)
                ok = False
    return factors if ok else None


def check_loss(typed: dict, text: pd.DataFrame, cols: Columns, c: Collector) -> None:
    """A loss that alone makes an accident 特别重大 while nobody died is implausible (a unit
    mistake); one that alone makes it 较大 or 重大 is noted, so no 等级 rises silently."""
    if not {"direct_loss_wan", "deaths", "serious_injuries"} <= set(typed):
        return
    level, top = money.loss_only_class(typed)
    header, shown = cols.headers["direct_loss_wan"], text["direct_loss_wan"]
    why = (
        "直接经济损失单独使本起事故达到“{}”等级，而死亡、重伤人数都在“一般”范围："
        "金额不合理，请核对金额单位（元还是万元）"
    )
    c.cells(top, header, shown, lambda r, _v: why.format(level.loc[r]))
    for row in level.index[(level.ne("") & ~top).to_numpy()].tolist():
        reason = (
            f"事故等级仅由直接经济损失推导为“{level.loc[row]}”（死亡、重伤人数在“一般”范围）："
            "请核对金额单位"
        )
        c.notices.append(c.problem(row, header, shown.loc[row], reason))


def check_scope(text: pd.DataFrame, cols: Columns, c: Collector) -> None:
    """统计口径 splits 生产安全事故 only: a 口径 on a row of another category (火灾, 道路交通
    事故) is not counted in the split, and the analyst is told so, once for the file."""
    if not {"statistical_scope", "category"} <= set(cols.position):
        return
    other = text["statistical_scope"].ne("") & text["category"].ne("生产安全事故")
    if other.any():
        first = other.index[other.to_numpy()][0]
        kinds = "、".join(sorted(set(text.loc[other, "category"]) - {""}))
        why = (
            f"共 {int(other.sum())} 行类别为“{kinds}”却填了统计口径：分口径统计只计类别为"
            "“生产安全事故”的行，这些行的口径未计入（若是生产经营性火灾等，请把类别填为生产安全事故）"
        )
        header = cols.headers["statistical_scope"]
        c.notices.append(c.problem(first, header, text.at[first, "statistical_scope"], why))


def validate(
    raw: Raw,
    table: schema.Table,
    c: Collector,
    lookup: dict[str, str],
    *,
    today: date,
    units: dict,
    excel: bool,
    money_units: dict[str, str] | None = None,
    lists: ReferenceLists,
) -> Validated:
    """All single-file checks; problems go to ``c``, the typed rows come back."""
    cols = map_columns(raw, table, c, lookup)
    if cols.fatal:
        return Validated(None, cols, fatal=True)
    for row, why in raw.malformed.items():
        c.row_problem(row, why)
    text, empties = cell_text(raw, cols, c)
    if text.empty:
        if table.required and not raw.malformed:
            c.file_problem(f"文件只有表头，没有数据行（“{table.zh}”是必需的表）")
            return Validated(None, cols, text, fatal=True)
        return Validated(empty_frame(table).set_axis(pd.RangeIndex(0, 0)), cols, text)
    report_faults(raw, cols.position, text, c)
    check_percent(raw, cols.position, text, c)
    factors = money_factors(table, cols, c, money_units)
    if factors is None:
        return Validated(None, cols, text, fatal=True)
    districts = text["district"] if "district" in text else None
    ctx = (today, excel, factors, lists, districts)
    typed = type_columns(text, empties, table, cols, c, ctx)
    check_units(text, cols, c, units)
    check_combinations(text, table, cols, c)
    check_rules(typed, text, table, cols, c)
    check_loss(typed, text, cols, c)
    check_scope(text, cols, c)
    return Validated(pd.DataFrame(typed, index=text.index, copy=False), cols, text)
