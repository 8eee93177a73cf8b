"""The indicator catalogue (data/config/catalogue.yaml): parsing and validation.

An analyst adds an indicator by editing the YAML file, never the code. The file is read
when first needed (never at import), and every problem in it is reported at once, in
Chinese, as a ``ConfigError`` naming the file and the line of each problem. The file
format is documented at the top of catalogue.yaml.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from analysis.indicators.model import Catalogue, Condition, Indicator, allowed_values
from analysis.inputs import schema
from analysis.settings import config, reference_data
from analysis.settings.yaml_files import ConfigProblems, read_yaml

MEASURES = ("count", "sum", "nunique", "ratio", "difference", "campaign", "towns")
DERIVED_MEASURES = ("ratio", "difference")
OPS = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "notnull", "isnull")
PERIODS = ("ytd", "snapshot")
DIRECTIONS = ("lower_better", "higher_better", "neutral")
SCOPES = ("town", "district")
GROUPS = ("总体情况", "宣传教育", "专项整治", "执法检查", "本质安全")
# token in a filter value → the key of data/config/reference.yaml it stands for
TOKENS = {"$enforcement_department": "enforcement_department"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_KNOWN_KEYS = {
    "id",
    "name",
    "unit",
    "group",
    "table",
    "measure",
    "column",
    "filters",
    "period",
    "direction",
    "decimals",
    "scope",
    "note",
    "numerator",
    "denominator",
    "scale",
    "minuend",
    "subtrahend",
    "campaign",
    "item",
}


# --------------------------------------------------------------------------- parsing


def _condition_list(raw: Any, problems: ConfigProblems, at: tuple) -> list[Condition]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        problems.add(f"指标“{at[-1]}”：filters 应为“列: 条件”的映射", (*at, "filters"))
        return []
    out: list[Condition] = []
    for col, cond in raw.items():
        col = str(col)
        if isinstance(cond, dict):
            for op, value in cond.items():
                out.append(Condition(col, str(op), _freeze(value)))
        elif isinstance(cond, list):
            out.append(Condition(col, "in", _freeze(cond)))
        else:
            out.append(Condition(col, "eq", cond))
    return out


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _substitute(value: Any, ind_id: str, problems: ConfigProblems, at: tuple) -> Any:
    """``value`` with every token replaced by its value in reference.yaml."""
    if isinstance(value, tuple):
        return tuple(_substitute(v, ind_id, problems, at) for v in value)
    if isinstance(value, str) and value in TOKENS:
        reference = reference_data.reference() or {}
        if TOKENS[value] not in reference:
            name = config.REFERENCE_FILE.name
            problems.add(f"指标“{ind_id}”：{value} 需要 {name} 中的“{TOKENS[value]}”", at)
            return value
        return reference[TOKENS[value]]
    return value


def _check_token(c: Condition, dtype: str, table: schema.Table, where: str) -> str | None:
    """The problem of a condition using $as_of / $year, if any."""
    if c.uses_as_of:
        if c.op not in ("le", "lt"):
            return f"{where}：$as_of 只能与 le 或 lt 连用"
        if dtype != "date":
            return f"{where}：$as_of 只能用于日期列"
    elif table.date_column is not None or c.op != "eq" or dtype != "int":
        return f"{where}：$year 只能用于无日期列的表的整数年度列，且为 eq"
    return None


def _check_values(c: Condition, dtype: str, allowed, where: str) -> list[str]:
    """Problems of the literal value(s) of a condition."""
    found = []
    values = c.value if isinstance(c.value, tuple) else (c.value,)
    if c.op in ("in", "not_in") and not isinstance(c.value, tuple):
        found.append(f"{where}：{c.op} 需要一个列表")
    if isinstance(c.value, tuple) and c.op not in ("in", "not_in"):
        found.append(f"{where}：{c.op} 不能与列表连用")
    if allowed is not None:
        bad = [str(v) for v in values if v not in allowed]
        if bad:
            found.append(f"{where}：取值“{'、'.join(bad)}”不在允许范围内（{'、'.join(allowed)}）")
    if dtype == "bool" and any(not isinstance(v, bool) for v in values):
        found.append(f"{where}：是否型列的取值应为 true 或 false")
    if dtype in ("int", "float") and any(
        isinstance(v, bool) or not isinstance(v, int | float) for v in values
    ):
        found.append(f"{where}：数值列的取值应为数字")
    return found


def _check_conditions(ind: Indicator, table: schema.Table, problems: ConfigProblems, at: tuple,
                      district: str | None = None):  # fmt: skip
    for c in ind.filters:
        where = f"指标“{ind.id}”的筛选条件“{c.column}”"
        path = (*at, "filters", c.column)
        if c.op not in OPS:
            problems.add(f"{where}：未知的比较方式“{c.op}”（可用：{'、'.join(OPS)}）", path)
            continue
        domain = allowed_values(table, c.column, district)
        if domain is None:
            problems.add(f"{where}：表“{table.name}”（{table.zh}）中没有列“{c.column}”", path)
            continue
        dtype, allowed = domain
        if c.uses_as_of or c.uses_year:
            found = [p for p in [_check_token(c, dtype, table, where)] if p]
        elif c.op in ("notnull", "isnull"):
            found = []
        else:
            found = _check_values(c, dtype, allowed, where)
        for p in found:
            problems.add(p, path)


def _check_fields(ind_id: str, raw: dict, problems: ConfigProblems, at: tuple) -> None:
    """Unknown and missing fields, and values outside the fixed vocabularies."""
    unknown = sorted(set(map(str, raw)) - _KNOWN_KEYS)
    if unknown:
        problems.add(f"指标“{ind_id}”：未知的字段“{'、'.join(unknown)}”", (*at, unknown[0]))
    for key in ("name", "unit", "group", "measure"):
        if not raw.get(key) and raw.get(key) != 0:
            problems.add(f"指标“{ind_id}”缺少字段“{key}”", at)
    choices = (
        ("measure", "", MEASURES, "计算方式"),
        ("group", "", GROUPS, "栏目"),
        ("direction", "neutral", DIRECTIONS, "方向"),
        ("scope", "town", SCOPES, "范围"),
    )
    for key, default, allowed, zh in choices:
        value = str(raw.get(key) or default)
        if value and value not in allowed:
            problems.add(
                f"指标“{ind_id}”：未知的{zh}“{value}”（可用：{'、'.join(allowed)}）", (*at, key)
            )


def _number(raw: dict, key: str, default, kind, message: str, problems, at) -> Any:
    try:
        value = kind(raw.get(key, default))
        if kind is int and value < 0:
            raise ValueError
        return value
    except (TypeError, ValueError):
        problems.add(message, (*at, key))
        return default


def _parse_indicator(raw: dict, ind_id: str, problems: ConfigProblems, at: tuple) -> Indicator:
    _check_fields(ind_id, raw, problems, at)
    measure = str(raw.get("measure") or "")
    unit = str(raw.get("unit") or "")
    default_dec = 1 if unit in ("%", "％") else 0
    decimals = _number(
        raw, "decimals", default_dec, int, f"指标“{ind_id}”：decimals 应为非负整数", problems, at
    )
    scale = _number(raw, "scale", 100.0, float, f"指标“{ind_id}”：scale 应为数字", problems, at)
    col = raw.get("column")
    columns = tuple(str(c) for c in col) if isinstance(col, list) else ((str(col),) if col else ())
    conditions = _condition_list(raw.get("filters"), problems, at)
    return Indicator(
        id=ind_id,
        name_zh=str(raw.get("name") or ind_id),
        unit=unit,
        group=str(raw.get("group") or ""),
        measure=measure,
        table=str(raw["table"]) if raw.get("table") else None,
        columns=columns,
        filters=tuple(
            Condition(
                c.column, c.op, _substitute(c.value, ind_id, problems, (*at, "filters", c.column))
            )
            for c in conditions
        ),
        period=str(raw.get("period") or ("snapshot" if measure == "campaign" else "ytd")),
        direction=str(raw.get("direction") or "neutral"),
        decimals=decimals,
        scope=str(raw.get("scope") or "town"),
        note=str(raw.get("note") or ""),
        numerator=raw.get("numerator"),
        denominator=raw.get("denominator"),
        scale=float(scale),
        minuend=raw.get("minuend"),
        subtrahend=raw.get("subtrahend"),
        campaign=raw.get("campaign"),
        item=raw.get("item"),
    )


def _indicators(
    data: dict, problems: ConfigProblems, district: str | None = None
) -> tuple[list[Indicator], dict[str, tuple]]:
    """Every well-formed indicator, and the YAML path of each by id; filter values checked
    against the lists that apply to ``district`` (None: the shared lists)."""
    inds: list[Indicator] = []
    paths: dict[str, tuple] = {}
    for k, raw in enumerate(data["indicators"]):
        at = ("indicators", k)
        if not isinstance(raw, dict):
            problems.add(f"指标目录第{k + 1}条不是“键: 值”的映射", at)
            continue
        ind_id = str(raw.get("id") or "")
        if not ind_id:
            problems.add(f"指标目录第{k + 1}条缺少 id", at)
            continue
        if not _ID_RE.match(ind_id):
            problems.add(f"指标编号“{ind_id}”应为小写英文、数字和下划线（snake_case）", (*at, "id"))
        if ind_id in paths:
            problems.add(f"指标编号“{ind_id}”重复", (*at, "id"))
        paths.setdefault(ind_id, at)
        ind = _parse_indicator(raw, ind_id, problems, at)
        _check_indicator(ind, problems, at, district)
        inds.append(ind)
    return inds, paths


def parse_catalogue(
    data: Any, path: str | Path = "catalogue.yaml", district: str | None = None
) -> Catalogue:
    """Build and validate a catalogue from YAML data (``read_yaml`` of ``path``, whose
    lines the problems then name); raise ConfigError listing every problem found. A
    filter's industry or category may be one ``district`` added (reference_data)."""
    problems = ConfigProblems(path, data)
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        problems.add("顶层应有 indicators 列表", ("indicators",))
        problems.raise_any()
    inds, paths = _indicators(data, problems, district)
    by_id = {i.id: i for i in inds}
    for ind in inds:
        names = (
            ("numerator", "denominator") if ind.measure == "ratio" else ("minuend", "subtrahend")
        )
        for key, ref in zip(names, ind.inputs, strict=False):
            if ref is not None and ref not in by_id:
                kind = "比率" if ind.measure == "ratio" else "差值"
                problems.add(
                    f"指标“{ind.id}”：{kind}引用了不存在的指标“{ref}”", (*paths[ind.id], key)
                )
    for cycle in _cycles(by_id):
        problems.add(f"指标之间存在循环引用：{' → '.join(cycle)}", paths[cycle[0]])
    problems.raise_any()
    return _inherit_periods(Catalogue(tuple(inds)))


def _inherit_periods(cat: Catalogue) -> Catalogue:
    """Ratio / difference indicators take the period of their inputs (snapshot if any is)."""
    period: dict[str, str] = {}
    for ind in cat.evaluation_order():
        if ind.inputs:
            snapshot = any(period[i] == "snapshot" for i in ind.inputs)
            period[ind.id] = "snapshot" if snapshot else "ytd"
        else:
            period[ind.id] = ind.period
    return Catalogue(tuple(dataclasses.replace(i, period=period[i.id]) for i in cat))


def _check_indicator(
    ind: Indicator, problems: ConfigProblems, at: tuple, district: str | None = None
) -> None:
    m = ind.measure
    if m not in MEASURES or m == "towns":
        return
    if m in DERIVED_MEASURES:
        names = ("numerator", "denominator") if m == "ratio" else ("minuend", "subtrahend")
        for key, ref in zip(names, ind.inputs, strict=True):
            if not ref:
                problems.add(f"指标“{ind.id}”：计算方式 {m} 需要字段“{key}”", at)
        if ind.table or ind.filters:
            problems.add(f"指标“{ind.id}”：计算方式 {m} 不应填写 table 或 filters", at)
        return
    if ind.table is None:
        problems.add(f"指标“{ind.id}”缺少字段“table”", at)
        return
    table = schema.TABLES.get(ind.table)
    if table is None or ind.table == "published_figures":
        known = "、".join(schema.TABLES)
        problems.add(f"指标“{ind.id}”：未知的表“{ind.table}”（可用：{known}）", (*at, "table"))
        return
    if ind.period not in PERIODS:
        problems.add(
            f"指标“{ind.id}”：未知的统计期“{ind.period}”（可用：{'、'.join(PERIODS)}）",
            (*at, "period"),
        )
    if m == "campaign" or ind.table == "campaign_progress":
        _check_campaign(ind, problems, at)
        return
    if m in ("sum", "nunique"):
        _check_columns(ind, table, problems, at)
    _check_conditions(ind, table, problems, at, district)
    _check_period_and_scope(ind, table, problems, at)


def _check_campaign(ind: Indicator, problems: ConfigProblems, at: tuple) -> None:
    if ind.measure != "campaign":
        problems.add(f"指标“{ind.id}”：表 campaign_progress 只能用计算方式 campaign", at)
        return
    if ind.table != "campaign_progress":
        problems.add(f"指标“{ind.id}”：计算方式 campaign 只能用于表 campaign_progress", at)
    if not ind.item:
        problems.add(f"指标“{ind.id}”：计算方式 campaign 需要字段“item”", at)
    if ind.period != "snapshot":
        problems.add(f"指标“{ind.id}”：专项整治台账数的统计期应为 snapshot", (*at, "period"))


def _check_columns(
    ind: Indicator, table: schema.Table, problems: ConfigProblems, at: tuple
) -> None:
    where = (*at, "column")
    if not ind.columns:
        problems.add(f"指标“{ind.id}”：计算方式 {ind.measure} 需要字段“column”", at)
    if ind.measure == "nunique" and len(ind.columns) > 1:
        problems.add(f"指标“{ind.id}”：nunique 只能用一列", where)
    for c in ind.columns:
        if c not in table.column_names:
            problems.add(f"指标“{ind.id}”：表“{table.name}”（{table.zh}）中没有列“{c}”", where)
        elif ind.measure == "sum" and table.column(c).dtype not in ("int", "float"):
            problems.add(f"指标“{ind.id}”：列“{c}”不是数值列，不能求和", where)


def _check_period_and_scope(ind: Indicator, table: schema.Table, problems, at) -> None:
    dated = table.date_column is not None
    has_year = any(c.uses_year for c in ind.filters)
    if dated and ind.period != "ytd":
        problems.add(
            f"指标“{ind.id}”：表“{table.name}”按日期统计，统计期应为 ytd（年初至统计日）",
            (*at, "period"),
        )
    if not dated and ind.period == "ytd" and not has_year:
        problems.add(
            f"指标“{ind.id}”：表“{table.name}”没有日期列，统计期应为 snapshot，"
            "或用 $year 按年度筛选",
            (*at, "period"),
        )
    if ind.scope == "town" and "town" not in table.column_names:
        problems.add(
            f"指标“{ind.id}”：表“{table.name}”没有镇（街道）列，scope 应为 district",
            (*at, "scope"),
        )


def _cycles(by_id: dict[str, Indicator]) -> list[list[str]]:
    """Each reference cycle among ratio / difference indicators, as a path of ids."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(i: str, path: list[str]) -> None:
        if state.get(i) == 2 or i not in by_id:
            return
        if state.get(i) == 1:
            cycles.append([*path, i])
            return
        state[i] = 1
        for dep in by_id[i].inputs:
            if dep:
                visit(dep, [*path, i])
        state[i] = 2

    for i in by_id:
        visit(i, [])
    return cycles


# --------------------------------------------------------------------------- loading


_CACHE: dict[tuple, Catalogue] = {}


def load_catalogue(path: str | Path | None = None, district: str | None = None) -> Catalogue:
    """Read and validate data/config/catalogue.yaml (or ``path``); cached per file version.
    With ``district``: plus that district's own entries (districts/<区>/catalogue.yaml,
    ``indicators.overlay``), which no other district sees. The key includes the reference
    lists the filters were checked against (the district's additions with ``district``)."""
    path = Path(path) if path is not None else config.CATALOGUE_FILE
    stat = path.stat() if path.is_file() else None
    key = (str(path.resolve()), stat.st_mtime if stat else 0.0, _lists_key(None))
    if stat is None or key not in _CACHE:  # read_yaml names a missing or unreadable file
        _CACHE[key] = parse_catalogue(read_yaml(path), path)
    if district is None:
        return _CACHE[key]
    from analysis.indicators.overlay import district_catalogue_file, overlay_indicators

    own = district_catalogue_file(district)
    if not own.is_file():
        return _CACHE[key]
    own_key = (*key, str(own), own.stat().st_mtime, _lists_key(district))
    if own_key not in _CACHE:  # a fault of the district's entries names its own file
        merged = overlay_indicators(read_yaml(path), read_yaml(own), own)
        _CACHE[own_key] = parse_catalogue(merged, own, district)
    return _CACHE[own_key]


def _lists_key(district: str | None) -> tuple:
    """The reference lists a catalogue's filters are checked against, for its cache key."""
    return tuple(reference_data.names(k, district) for k in reference_data.NAME_LISTS)
