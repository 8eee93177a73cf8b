"""The shared-engine scope: inside ``shared_engines()`` one engine per (tables, district,
grouping, coverage) answers every question, with the same answers as a fresh engine; other
tables get their own; outside it nothing is kept."""

from __future__ import annotations

import threading
from collections import Counter

import pandas as pd
import pytest

from analysis.indicators import (
    breakdown,
    compute_indicators,
    compute_panel,
    monthly_series,
    period_breakdown,
    period_indicators,
    shared_engines,
)
from analysis.indicators.scope import engines_open
from analysis.inputs.cache import load_tables_cached
from analysis.settings import places
from analysis.settings.params import resolve_params

D = "钟楼区"
DATES = ["2019-12", "2020-06", "2020-10", "2020-10-17"]


@pytest.fixture(scope="module")
def tables():
    """The shipped sample data (synthetic), as a briefing reads it."""
    return load_tables_cached(resolve_params().data_dir).tables


def _questions(tables) -> list:
    """What a briefing asks: one area, breakdowns both ways, a monthly series, a month's
    and a quarter's figures, and panels at several dates (each a call to make)."""
    return [
        lambda: compute_indicators(tables, D, "2020-10"),
        lambda: breakdown(tables, D, "2020-10", by="town"),
        lambda: breakdown(tables, D, "2020-10", by="industry", ids=["accidents", "fires"]),
        lambda: monthly_series(tables, D, "2020-10", ["accidents", "fires"]),
        lambda: period_indicators(tables, D, "2020-10", "month", ids=["accidents"]),
        lambda: period_breakdown(tables, D, "2020-09", "quarter", None, by="industry"),
        lambda: compute_panel(tables, D, DATES, texts=False),
        lambda: compute_panel(tables, D, DATES, by="industry", ids=["accidents", "fires"]),
    ]


def _ask(questions) -> list[pd.DataFrame]:
    return [question() for question in questions]


def test_one_engine_per_grouping_inside_a_scope(tables, engines_built):
    with shared_engines():
        _ask(_questions(tables))
        assert engines_open() == 2
    assert sorted(engines_built) == sorted([("town", id(tables)), ("industry", id(tables))])


def test_outside_a_scope_every_call_builds_its_own_and_nothing_is_kept(tables, engines_built):
    _ask(_questions(tables))
    _ask(_questions(tables))
    assert engines_open() is None
    # one per call: five by town and three by industry, each asked twice
    assert Counter(engines_built) == {("town", id(tables)): 10, ("industry", id(tables)): 6}


def test_the_answers_are_the_same_with_and_without_a_scope(tables):
    alone = _ask(_questions(tables))
    with shared_engines():
        _ask(reversed(_questions(tables)))  # the engines warmed by the questions backwards
        shared = _ask(_questions(tables))
    for expected, got in zip(alone, shared, strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_other_tables_get_their_own_engine_and_their_own_answers(tables, engines_built):
    """A town's own rows (a town briefing's industry breakdown) and a table replaced by
    fewer rows are other tables: neither may be answered from the district's engine."""
    towns = places.towns_of(D)
    incidents = tables["incidents"]
    variants = [{**tables, "incidents": incidents.iloc[: len(incidents) // 2]}]
    variants += [
        {n: (df[df["town"] == town] if "town" in df.columns else df) for n, df in tables.items()}
        for town in towns[:3]
    ]
    expected = [breakdown(t, D, "2020-10", by="industry") for t in variants]
    engines_built.clear()
    with shared_engines():
        breakdown(tables, D, "2020-10", by="industry")
        got = [breakdown(t, D, "2020-10", by="industry") for t in variants]
        # asked again, each variant is answered by its own engine
        again = [breakdown(t, D, "2020-10", by="industry") for t in variants]
    assert len(engines_built) == 1 + len(variants)
    for e, g, a in zip(expected, got, again, strict=True):
        pd.testing.assert_frame_equal(g, e)
        pd.testing.assert_frame_equal(a, e)


def test_a_different_coverage_or_district_is_another_engine(tables, engines_built):
    with shared_engines():
        compute_indicators(tables, D, "2020-10")
        late = compute_indicators(tables, D, "2020-10", coverage={"incidents": "2020-07-01"})
        assert engines_open() == 2
    pd.testing.assert_frame_equal(
        late, compute_indicators(tables, D, "2020-10", coverage={"incidents": "2020-07-01"})
    )


def test_a_scope_inside_a_scope_joins_it_and_the_scope_ends_with_its_block(tables, engines_built):
    with shared_engines():
        compute_indicators(tables, D, "2020-10")
        with shared_engines():
            compute_indicators(tables, D, "2020-09")
            assert engines_open() == 1
        assert engines_open() == 1  # the inner block did not drop the outer's engines
    assert engines_open() is None
    compute_indicators(tables, D, "2020-10")
    assert len(engines_built) == 2


def test_a_thread_does_not_see_the_scope_of_another(tables):
    seen = []
    with shared_engines():
        compute_indicators(tables, D, "2020-10")
        worker = threading.Thread(target=lambda: seen.append(engines_open()))
        worker.start()
        worker.join()
    assert seen == [None]


def test_an_error_inside_a_scope_keeps_nothing_and_still_raises(tables, engines_built):
    from analysis.errors import ParameterError

    with shared_engines():
        for _ in range(2):
            with pytest.raises(ParameterError, match="未知的区"):
                compute_indicators(tables, "不存在区", "2020-10")
        assert engines_open() == 0
    assert engines_open() is None
