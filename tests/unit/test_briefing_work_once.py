"""A briefing does each thing once: one indicator engine per grouping of the same tables,
and a 形势分析 (KIND=month) makes only its own genre's tables; the year-to-date ones and
the statistics of change are made when first asked for, never refused."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from analysis import briefing
from analysis.assess.evidence import assess_evidence
from analysis.present import evidence_words
from analysis.present import frames as frames_of
from analysis.present.briefing_frames import PERIOD_FRAMES
from analysis.settings import places

D = "钟楼区"


@pytest.fixture
def evidence_made(monkeypatch):
    """How many times a briefing computed its statistics of change."""
    calls: list[str] = []

    def counted(*args, **kwargs):
        calls.append(args[1])
        return assess_evidence(*args, **kwargs)

    monkeypatch.setattr(briefing, "assess_evidence", counted)
    return calls


@pytest.mark.parametrize(
    ("kind", "period"), [("ytd", None), ("month", None), ("quarter", "2020-09")]
)
def test_a_district_briefing_builds_one_engine_per_grouping(kind, period, engines_built):
    brief = briefing.prepare(briefing.run_params(kind=kind, period=period))
    tables = id(brief.loaded.tables)
    assert sorted(engines_built) == [("industry", tables), ("town", tables)]


@pytest.mark.parametrize("kind", ["ytd", "month"])
def test_a_town_briefing_builds_two_engines(kind, engines_built):
    """A town's briefing also breaks its own rows down by industry (its year to date and,
    in a 形势分析, its period): other tables, one engine for all those questions."""
    brief = briefing.prepare(briefing.run_params(kind=kind, unit=places.towns_of(D)[1]))
    counts = Counter(engines_built)
    assert counts[("town", id(brief.loaded.tables))] == 1
    assert sorted(by for by, _ in engines_built) == ["industry", "town"]


def test_a_year_to_date_briefing_makes_every_table_and_its_evidence_once(evidence_made):
    brief = briefing.prepare(briefing.run_params(kind="ytd"))
    assert brief.frames.made() == brief.frames.names()
    assert evidence_made == [D]
    brief.say("control_chart"), brief.say("forecast"), brief.frames.funnel  # noqa: B018
    assert evidence_made == [D]


def test_a_monthly_briefing_makes_only_its_own_tables(evidence_made):
    brief = briefing.prepare(briefing.run_params(kind="month"))
    assert sorted(brief.frames.made()) == sorted(PERIOD_FRAMES)
    assert evidence_made == []
    for name in ("period_accidents", "monthly", "data_quality"):
        assert not getattr(brief.frames, name).empty, name


def test_a_monthly_briefing_still_gives_the_year_to_date_tables_when_asked(evidence_made):
    brief = briefing.prepare(briefing.run_params(kind="month"))
    by_town = brief.frames.by_town
    assert set(places.towns_of(D)) <= set(by_town.iloc[:, 0])
    assert not brief.frames.overview.empty and not brief.frames.highlights.empty
    control, funnel = brief.frames.control, brief.frames.funnel
    assert evidence_made == [D]
    assert not control.empty and not funnel.empty
    # what was made on first use is what the statistics of change give for these figures
    direct = assess_evidence(
        brief.loaded.tables, D, "2020-10", None, brief.indicators, brief.targets,
        frames_of.CUMULATIVE_IDS,
    )  # fmt: skip
    pd.testing.assert_frame_equal(control, evidence_words.control_frame(direct.charts))
    pd.testing.assert_frame_equal(funnel, evidence_words.funnel_frame(direct.funnel))
    assert brief.frames.control is control  # kept, not made again
    brief.say("forecast")
    assert evidence_made == [D]
    assert sorted(brief.frames.made()) == sorted(
        {*PERIOD_FRAMES, "by_town", "overview", "highlights", "control", "funnel"}
    )


def test_an_unknown_table_is_still_an_attribute_error():
    brief = briefing.prepare(briefing.run_params(kind="month"))
    with pytest.raises(AttributeError):
        brief.frames.no_such_table  # noqa: B018
