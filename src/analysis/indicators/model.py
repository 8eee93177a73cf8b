"""What the catalogue is made of: a filter condition, an indicator, the catalogue itself,
and the vocabulary of the columns a filter may use. Read from data/config/catalogue.yaml by
analysis.indicators.catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.errors import ConfigError
from analysis.inputs import schema
from analysis.settings import reference_data

AS_OF = "$as_of"
YEAR = "$year"
# Columns computed by the engine from the record (never typed in), by table.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {"incidents": ("severity",)}


def severity_classes() -> tuple[str, ...]:
    """事故等级 per 国务院令第493号, lowest first (reference.yaml ``severity``, read on first
    use; the rules: analysis.indicators.severity)."""
    return tuple(name for name, _ in reference_data.severity_levels())


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


def allowed_values(
    table: schema.Table, column: str, district: str | None = None
) -> tuple[str, tuple | None] | None:
    """(dtype, allowed values or None) of a column a filter may use, or None when the table
    has no such column. The one place the catalogue learns a column's vocabulary: the data
    contract's (``schema.allowed_for``: a reference list with ``district``'s additions, or
    the shared list) and DERIVED_COLUMNS.

    >>> allowed_values(schema.TABLES["incidents"], "severity")
    ('str', ('一般', '较大', '重大', '特别重大'))
    >>> allowed_values(schema.TABLES["incidents"], "deaths")
    ('int', None)
    """
    if column in DERIVED_COLUMNS.get(table.name, ()):  # severity, the one derived column
        return "str", severity_classes()
    if column in table.column_names:
        col = table.column(column)
        return col.dtype, schema.allowed_for(col, district)
    return None
