"""The indicator catalogue (data/config/catalogue.yaml): parsing and validation.

An analyst adds an indicator by editing the YAML file, never the code. Every problem in
the file is reported at once, in Chinese, as a ``ConfigError``. The file format is
documented at the top of catalogue.yaml.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config, schema
from analysis.errors import ConfigError

MEASURES = ("count", "sum", "nunique", "ratio", "difference", "campaign", "towns")
BASE_MEASURES = ("count", "sum", "nunique")
DERIVED_MEASURES = ("ratio", "difference")
OPS = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "notnull", "isnull")
PERIODS = ("ytd", "snapshot")
DIRECTIONS = ("lower_better", "higher_better", "neutral")
SCOPES = ("town", "district")
GROUPS = ("总体情况", "宣传教育", "专项整治", "执法检查", "本质安全")
AS_OF = "$as_of"
YEAR = "$year"
TOKENS = {"$enforcement_department": lambda: config.reference()["enforcement_department"]}

# Columns computed by the engine from the record (never typed in).
DERIVED_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "incidents": {"severity": ("一般", "较大", "重大", "特别重大")},
}
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


@dataclass(frozen=True)
class Condition:
    column: str
    op: str
    value: Any = None

    @property
    def uses_as_of(self) -> bool:
        return self.value == AS_OF

    @property
    def uses_year(self) -> bool:
        return self.value == YEAR


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    unit: str
    group: str
    measure: str
    table: str | None = None
    columns: tuple[str, ...] = ()
    filters: tuple[Condition, ...] = ()
    period: str = "ytd"
    direction: str = "neutral"
    decimals: int = 0
    scope: str = "town"
    note: str = ""
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 100.0
    minuend: str | None = None
    subtrahend: str | None = None
    campaign: str | None = None
    item: str | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        """Ids of the indicators a ratio / difference is computed from."""
        if self.measure == "ratio":
            return (self.numerator, self.denominator)  # type: ignore[return-value]
        if self.measure == "difference":
            return (self.minuend, self.subtrahend)  # type: ignore[return-value]
        return ()

    @property
    def is_rate(self) -> bool:
        return self.unit in ("%", "％")


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    source: str = "catalogue.yaml"
    by_id: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({i.id: i for i in self.indicators})

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self.by_id[key]
        except KeyError:
            raise ConfigError(f"指标目录中没有编号为“{key}”的指标") from None

    def __contains__(self, key: object) -> bool:
        return key in self.by_id

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def additive(self, ind_id: str) -> bool:
        """Whether town values of the indicator add up to the district value by construction
        (counts, sums and differences of such). Distinct counts, ratios and campaign items
        are not additive in general."""
        ind = self[ind_id]
        if ind.measure in ("count", "sum"):
            return True
        if ind.measure == "difference":
            return all(self.additive(i) for i in ind.inputs)
        return False

    def evaluation_order(self) -> list[Indicator]:
        """Indicators with every ratio / difference after the indicators it uses."""
        done: dict[str, None] = {}

        def visit(ind: Indicator) -> None:
            if ind.id in done:
                return
            for dep in ind.inputs:
                visit(self.by_id[dep])
            done[ind.id] = None

        for ind in self.indicators:
            visit(ind)
        return [self.by_id[i] for i in done]


# --------------------------------------------------------------------------- parsing


def _condition_list(ind_id: str, raw: Any, problems: list[str]) -> list[Condition]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        problems.append(f"指标“{ind_id}”：filters 应为“列: 条件”的映射")
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


def _substitute(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_substitute(v) for v in value)
    if isinstance(value, str) and value in TOKENS:
        return TOKENS[value]()
    return value


def _check_conditions(ind: Indicator, table: schema.Table, problems: list[str]) -> None:
    derived = DERIVED_COLUMNS.get(table.name, {})
    for c in ind.filters:
        where = f"指标“{ind.id}”的筛选条件“{c.column}”"
        if c.op not in OPS:
            problems.append(f"{where}：未知的比较方式“{c.op}”（可用：{'、'.join(OPS)}）")
            continue
        if c.column in derived:
            allowed: tuple[str, ...] | None = derived[c.column]
            dtype = "str"
        elif c.column in table.column_names:
            col = table.column(c.column)
            allowed, dtype = col.allowed, col.dtype
        else:
            problems.append(f"{where}：表“{table.name}”（{table.zh}）中没有列“{c.column}”")
            continue
        if c.uses_as_of:
            if c.op not in ("le", "lt"):
                problems.append(f"{where}：$as_of 只能与 le 或 lt 连用")
            elif dtype != "date":
                problems.append(f"{where}：$as_of 只能用于日期列")
            continue
        if c.uses_year:
            if table.date_column is not None or c.op != "eq" or dtype != "int":
                problems.append(f"{where}：$year 只能用于无日期列的表的整数年度列，且为 eq")
            continue
        if c.op in ("notnull", "isnull"):
            continue
        values = c.value if isinstance(c.value, tuple) else (c.value,)
        if c.op in ("in", "not_in") and not isinstance(c.value, tuple):
            problems.append(f"{where}：{c.op} 需要一个列表")
        if isinstance(c.value, tuple) and c.op not in ("in", "not_in"):
            problems.append(f"{where}：{c.op} 不能与列表连用")
        if allowed is not None:
            bad = [str(v) for v in values if v not in allowed]
            if bad:
                problems.append(
                    f"{where}：取值“{'、'.join(bad)}”不在允许范围内（{'、'.join(allowed)}）"
                )
        if dtype == "bool" and any(not isinstance(v, bool) for v in values):
            problems.append(f"{where}：是否型列的取值应为 true 或 false")
        if dtype in ("int", "float") and any(
            isinstance(v, bool) or not isinstance(v, int | float) for v in values
        ):
            problems.append(f"{where}：数值列的取值应为数字")


def parse_catalogue(data: Any, source: str = "catalogue.yaml") -> Catalogue:
    """Build and validate a catalogue from parsed YAML; raise ConfigError listing every
    problem found."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise ConfigError(f"指标目录 {source} 格式错误：顶层应有 indicators 列表")
    inds: list[Indicator] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["indicators"], 1):
        if not isinstance(raw, dict):
            problems.append(f"指标目录第{n}条不是“键: 值”的映射")
            continue
        ind_id = str(raw.get("id") or "")
        if not ind_id:
            problems.append(f"指标目录第{n}条缺少 id")
            continue
        if not _ID_RE.match(ind_id):
            problems.append(f"指标编号“{ind_id}”应为小写英文、数字和下划线（snake_case）")
        if ind_id in seen:
            problems.append(f"指标编号“{ind_id}”重复")
        seen.add(ind_id)
        unknown = sorted(set(raw) - _KNOWN_KEYS)
        if unknown:
            problems.append(f"指标“{ind_id}”：未知的字段“{'、'.join(unknown)}”")
        for key in ("name", "unit", "group", "measure"):
            if not raw.get(key) and raw.get(key) != 0:
                problems.append(f"指标“{ind_id}”缺少字段“{key}”")
        measure = str(raw.get("measure") or "")
        if measure and measure not in MEASURES:
            problems.append(
                f"指标“{ind_id}”：未知的计算方式“{measure}”（可用：{'、'.join(MEASURES)}）"
            )
        group = str(raw.get("group") or "")
        if group and group not in GROUPS:
            problems.append(f"指标“{ind_id}”：未知的栏目“{group}”（可用：{'、'.join(GROUPS)}）")
        direction = str(raw.get("direction") or "neutral")
        if direction not in DIRECTIONS:
            problems.append(
                f"指标“{ind_id}”：未知的方向“{direction}”（可用：{'、'.join(DIRECTIONS)}）"
            )
        scope = str(raw.get("scope") or "town")
        if scope not in SCOPES:
            problems.append(f"指标“{ind_id}”：未知的范围“{scope}”（可用：{'、'.join(SCOPES)}）")
        unit = str(raw.get("unit") or "")
        default_dec = 1 if unit in ("%", "％") else 0
        try:
            decimals = int(raw.get("decimals", default_dec))
            if decimals < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"指标“{ind_id}”：decimals 应为非负整数")
            decimals = default_dec
        col = raw.get("column")
        columns = (
            tuple(str(c) for c in col) if isinstance(col, list) else ((str(col),) if col else ())
        )
        conditions = _condition_list(ind_id, raw.get("filters"), problems)
        try:
            scale = float(raw.get("scale", 100))
        except (TypeError, ValueError):
            problems.append(f"指标“{ind_id}”：scale 应为数字")
            scale = 100.0
        ind = Indicator(
            id=ind_id,
            name_zh=str(raw.get("name") or ind_id),
            unit=unit,
            group=group,
            measure=measure,
            table=str(raw["table"]) if raw.get("table") else None,
            columns=columns,
            filters=tuple(Condition(c.column, c.op, _substitute(c.value)) for c in conditions),
            period=str(raw.get("period") or ("snapshot" if measure == "campaign" else "ytd")),
            direction=direction,
            decimals=decimals,
            scope=scope,
            note=str(raw.get("note") or ""),
            numerator=raw.get("numerator"),
            denominator=raw.get("denominator"),
            scale=scale,
            minuend=raw.get("minuend"),
            subtrahend=raw.get("subtrahend"),
            campaign=raw.get("campaign"),
            item=raw.get("item"),
        )
        _check_indicator(ind, problems)
        inds.append(ind)

    ids = {i.id for i in inds}
    by_id = {i.id: i for i in inds}
    for ind in inds:
        for ref in ind.inputs:
            if ref is not None and ref not in ids:
                kind = "比率" if ind.measure == "ratio" else "差值"
                problems.append(f"指标“{ind.id}”：{kind}引用了不存在的指标“{ref}”")
    problems.extend(_cycles(by_id))
    if problems:
        raise ConfigError(
            f"指标目录 {source} 有 {len(problems)} 处问题：\n"
            + "\n".join(f"  {k}. {p}" for k, p in enumerate(problems, 1))
        )
    # ratio / difference indicators take the period of their inputs (snapshot if any is)
    cat = Catalogue(tuple(inds), source=source)
    period: dict[str, str] = {}
    for ind in cat.evaluation_order():
        if ind.inputs:
            period[ind.id] = (
                "snapshot" if any(period[i] == "snapshot" for i in ind.inputs) else "ytd"
            )
        else:
            period[ind.id] = ind.period
    return Catalogue(
        tuple(dataclasses.replace(i, period=period[i.id]) for i in inds), source=source
    )


def _check_indicator(ind: Indicator, problems: list[str]) -> None:
    m = ind.measure
    if m not in MEASURES:
        return
    if m in DERIVED_MEASURES:
        names = ("numerator", "denominator") if m == "ratio" else ("minuend", "subtrahend")
        for key, ref in zip(names, ind.inputs, strict=True):
            if not ref:
                problems.append(f"指标“{ind.id}”：计算方式 {m} 需要字段“{key}”")
        if ind.table or ind.filters:
            problems.append(f"指标“{ind.id}”：计算方式 {m} 不应填写 table 或 filters")
        return
    if m == "towns":
        return
    if ind.table is None:
        problems.append(f"指标“{ind.id}”缺少字段“table”")
        return
    table = schema.TABLES.get(ind.table)
    if table is None or ind.table == "published_figures":
        problems.append(
            f"指标“{ind.id}”：未知的表“{ind.table}”（可用：{'、'.join(schema.TABLES)}）"
        )
        return
    if ind.period not in PERIODS:
        problems.append(f"指标“{ind.id}”：未知的统计期“{ind.period}”（可用：{'、'.join(PERIODS)}）")
    if m == "campaign":
        if ind.table != "campaign_progress":
            problems.append(f"指标“{ind.id}”：计算方式 campaign 只能用于表 campaign_progress")
        if not ind.item:
            problems.append(f"指标“{ind.id}”：计算方式 campaign 需要字段“item”")
        if ind.period != "snapshot":
            problems.append(f"指标“{ind.id}”：专项整治台账数的统计期应为 snapshot")
        return
    if ind.table == "campaign_progress":
        problems.append(f"指标“{ind.id}”：表 campaign_progress 只能用计算方式 campaign")
        return
    if m in ("sum", "nunique"):
        if not ind.columns:
            problems.append(f"指标“{ind.id}”：计算方式 {m} 需要字段“column”")
        if m == "nunique" and len(ind.columns) > 1:
            problems.append(f"指标“{ind.id}”：nunique 只能用一列")
        for c in ind.columns:
            if c not in table.column_names:
                problems.append(f"指标“{ind.id}”：表“{table.name}”（{table.zh}）中没有列“{c}”")
            elif m == "sum" and table.column(c).dtype not in ("int", "float"):
                problems.append(f"指标“{ind.id}”：列“{c}”不是数值列，不能求和")
    _check_conditions(ind, table, problems)
    dated = table.date_column is not None
    has_year = any(c.uses_year for c in ind.filters)
    if dated and ind.period != "ytd":
        problems.append(
            f"指标“{ind.id}”：表“{table.name}”按日期统计，统计期应为 ytd（年初至统计日）"
        )
    if not dated and ind.period == "ytd" and not has_year:
        problems.append(
            f"指标“{ind.id}”：表“{table.name}”没有日期列，统计期应为 snapshot，"
            "或用 $year 按年度筛选"
        )
    if ind.scope == "town" and "town" not in table.column_names:
        problems.append(f"指标“{ind.id}”：表“{table.name}”没有镇（街道）列，scope 应为 district")


def _cycles(by_id: dict[str, Indicator]) -> list[str]:
    problems: list[str] = []
    state: dict[str, int] = {}

    def visit(i: str, path: list[str]) -> None:
        if state.get(i) == 2 or i not in by_id:
            return
        if state.get(i) == 1:
            problems.append(f"指标之间存在循环引用：{' → '.join([*path, i])}")
            return
        state[i] = 1
        for dep in by_id[i].inputs:
            if dep:
                visit(dep, [*path, i])
        state[i] = 2

    for i in by_id:
        visit(i, [])
    return problems


_CACHE: dict[tuple[str, float], Catalogue] = {}


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate data/config/catalogue.yaml (or ``path``); cached per file version."""
    path = Path(path) if path is not None else config.CATALOGUE_FILE
    if not path.is_file():
        raise ConfigError(f"找不到指标目录文件 {path}")
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _CACHE:
        try:
            data = config.read_yaml(path)
        except Exception as exc:  # noqa: BLE001 — YAML syntax errors, shown to the analyst
            raise ConfigError(f"指标目录 {path.name} 不是有效的 YAML：{exc}") from exc
        _CACHE[key] = parse_catalogue(data, source=path.name)
    return _CACHE[key]
