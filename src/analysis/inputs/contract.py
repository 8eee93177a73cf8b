"""The shape of the data contract (analysis.inputs.schema): a column, a cross-column rule,
a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from analysis.settings.reference_data import NAME_LISTS

DType = Literal["str", "int", "float", "date", "bool"]
# Numbers are parsed as float64 and range-checked before any cast to int64, so a bound above
# 2**53 could let an inexact or overflowing value through.
MAX_EXACT_INTEGER = 2**53


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    dtype: DType
    nullable: bool = False
    allowed: tuple[str, ...] | None = None  # a fixed list of values
    # or: the values are a list of the reference data (reference.yaml ``industries``, …),
    # read when data are validated and resolved per district (the row's ``district``):
    # analysis.inputs.schema.allowed_for
    vocabulary: str | None = None
    minimum: float | None = None  # plausible range of a number (both bounds inclusive)
    maximum: float | None = None
    unique: bool = False
    ref: str | None = None  # "table.column" that must contain this value
    aliases: tuple[str, ...] = ()
    doc: str = ""
    future_ok: bool = False  # a date that may lie after today (e.g. a deadline)
    # a money column's unit (万元): a file's header must state its unit or declare it
    # (analysis.inputs.money); values in 元 are converted, an unknown unit is refused
    unit: str | None = None
    # a column a file may leave out altogether (a marking only some districts keep, e.g.
    # 统计口径): absent, it is read as never filled in; only with nullable=True
    optional: bool = False

    def __post_init__(self) -> None:
        if self.vocabulary is not None and (
            self.vocabulary not in NAME_LISTS or self.allowed is not None or self.dtype != "str"
        ):
            raise ValueError(f"{self.name}: a vocabulary is one of {NAME_LISTS}, for text only")
        numeric = self.dtype in ("int", "float")
        if self.optional and not self.nullable:
            raise ValueError(f"{self.name}: an optional column must be nullable")
        if numeric != (self.minimum is not None and self.maximum is not None):
            raise ValueError(f"{self.name}: a number column needs minimum and maximum, no other")
        if numeric and not self.minimum <= self.maximum <= MAX_EXACT_INTEGER:
            raise ValueError(f"{self.name}: the range must be ordered and exact in float64")


RuleKind = Literal["not_before", "not_less", "iff_present"]


@dataclass(frozen=True)
class Rule:
    """A cross-column rule checked row by row (vectorised) by the loader.

    - ``not_before``: date ``column`` is not before date ``other`` (when both are present);
    - ``not_less``: number ``column`` >= number ``other``;
    - ``iff_present``: ``other`` == ``value`` exactly when ``column`` is filled in.
    """

    kind: RuleKind
    column: str
    other: str
    zh: str  # the rule in Chinese, used in messages and the data dictionary
    value: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    columns: tuple[Column, ...]
    date_column: str | None = None  # the date used for period filters
    doc: str = ""
    unique_together: tuple[tuple[str, ...], ...] = field(default=())
    rules: tuple[Rule, ...] = ()
    required: bool = False  # the file must exist and have at least one data row
    # A column naming the kind of each record (incidents' 类别). A kind with no record in
    # the district's data is not provided: its indicators have no value (not zero), as
    # for an absent table; a district that records no 火警 gets no "火警0起".
    kind_column: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_column_names(self) -> list[str]:
        """The columns every file of the table has (all but the optional ones)."""
        return [c.name for c in self.columns if not c.optional]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def district_column() -> Column:
    """The district column every table has."""
    return Column("district", "区", "str", aliases=("所属区", "区县"))
