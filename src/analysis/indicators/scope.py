"""One indicator engine per grouping for the length of a scope.

An ``Engine`` filters each table to the district, evaluates each filter once and sorts the
selected rows once, lazily; the work is kept in the engine. A briefing asks many questions
of the same tables (its indicators, breakdowns, monthly series, reconciliation, control
charts), so ``briefing.prepare`` opens ``shared_engines()`` and every ``compute_panel``
inside it that is given the same tables, district, grouping (by town / by industry) and
coverage uses one engine. A caller that passes other tables (say, one town's rows) gets
an engine of its own.

Outside a scope nothing is kept: each call builds its own engine, as before. The scope
lives in a ``contextvars.ContextVar``, so it ends with its ``with`` block and another
thread does not see it. Inside a scope the tables must not be changed in place: an engine
answers from what it read on first use. The catalogue is not part of the key: what an
engine keeps (the district's rows, filter masks, sorted structures) depends only on the
tables and on the filters an indicator asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import pandas as pd

from analysis.inputs.town_rows import tables_of_town

T = TypeVar("T")

# key → (the engine, the tables' frames: held so that their ids are not reused while the
# scope lives); None: no scope open
_OPEN: ContextVar[dict[tuple, tuple[object, tuple]] | None] = ContextVar(
    "analysis_indicator_engines", default=None
)


@contextmanager
def shared_engines() -> Iterator[None]:
    """Share one engine per (tables, district, grouping, coverage) among the indicator
    functions called inside the block. A block inside another joins the outer scope; the
    engines are dropped when the outermost block ends."""
    if _OPEN.get() is not None:
        yield
        return
    token = _OPEN.set({})
    try:
        yield
    finally:
        _OPEN.reset(token)


def engines_open() -> int | None:
    """How many engines the open scope holds; None outside a scope."""
    engines = _OPEN.get()
    return None if engines is None else sum(1 for key in engines if key[0] != "rows of")


def shared(
    tables: Mapping[str, pd.DataFrame],
    district: str,
    by: str,
    coverage: Mapping | None,
    build: Callable[[], T],
) -> T:
    """The scope's engine for these tables, district, grouping and coverage, made by
    ``build`` on first use; outside a scope, ``build()`` itself."""
    engines = _OPEN.get()
    if engines is None:
        return build()
    key = (district, by, _coverage_key(coverage), tuple((n, id(f)) for n, f in tables.items()))
    if key not in engines:
        engines[key] = (build(), tuple(tables.values()))
    return engines[key][0]  # type: ignore[return-value]


def _coverage_key(coverage: Mapping | None) -> tuple:
    return tuple(sorted((str(k), pd.Timestamp(v)) for k, v in (coverage or {}).items()))


def town_tables(tables: Mapping[str, pd.DataFrame], town: str | None) -> dict[str, pd.DataFrame]:
    """``tables_of_town``, made once per scope for the same tables and town, so that every
    question about one town's rows (its industries, its period tables) shares one engine."""
    engines = _OPEN.get()
    if engines is None:
        return tables_of_town(tables, town)
    key = ("rows of", town, tuple((n, id(f)) for n, f in tables.items()))
    if key not in engines:
        engines[key] = (tables_of_town(tables, town), tuple(tables.values()))
    return engines[key][0]  # type: ignore[return-value]
