"""A year-end control number's 说明 in the targets table is its forecast ('预计全年9至14起，
不超过12起的概率约86%'), not the bare 序时进度 line; every other target keeps its note."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.assess.evidence import target_forecasts
from analysis.assess.targets import evaluate_targets, parse_targets
from analysis.indicators import parse_as_of
from analysis.present import frames as frames_of
from analysis.present.evidence_words import forecast_notes
from analysis.present.wording import load_wording

WORDS = load_wording()
THIS_YEAR = [2, 2, 0, 1, 0, 1, 1, 0, 1, 1]  # 9 accidents by October: the known answer
LAST_YEAR = [5, 6, 8, 5, 5, 5, 6, 6, 7, 7, 3, 3]  # 66


def _indicators(as_of: str, accidents: float, deaths: float = 3) -> pd.DataFrame:
    rows = [("accidents", "起", accidents, 66.0), ("accident_deaths", "人", deaths, 3.0)]
    return pd.DataFrame(
        {
            "as_of": parse_as_of(as_of),
            "id": [r[0] for r in rows],
            "unit": [r[1] for r in rows],
            "value": [r[2] for r in rows],
            "prior_value": [r[3] for r in rows],
            "yoy_pct": [(r[2] - r[3]) / r[3] * 100 for r in rows],
            "yoy_pp": float("nan"),
            "applicable": True,
            "yoy_text": "",
        }
    )


def _counts(this_year) -> pd.DataFrame:
    values = LAST_YEAR + list(this_year)
    return pd.DataFrame(
        {
            "as_of": pd.date_range("2019-01-31", periods=len(values), freq="ME"),
            "id": "accidents",
            "unit": "起",
            "value": [float(v) for v in values],
        }
    )


def _target(tid, indicator, op, target, measure="value", pace="linear"):
    return {
        "id": tid,
        "name": tid,
        "indicator": indicator,
        "op": op,
        "target": target,
        "measure": measure,
        "pace": pace,
    }


def _noted(ind, counts, *items, as_of="2020-10"):
    goals = evaluate_targets(ind, parse_targets({"year": 2020, "targets": list(items)}))
    forecasts = target_forecasts(goals, ind, counts, as_of)
    return goals.set_index("target_id"), forecast_notes(goals, forecasts, WORDS)


def test_a_year_end_cap_shows_its_forecast_instead_of_the_pace_line():
    ind = _indicators("2020-10", 9)
    items = (_target("cap", "accidents", "le", 12), _target("tight", "accidents", "le", 10))
    goals, noted = _noted(ind, _counts(THIS_YEAR), *items)
    # 9 by October: on pace for 12 (no note), behind the pace of 10 (序时进度 line)
    assert goals.at["cap", "status_note"] == ""
    assert "序时进度" in goals.at["tight", "status_note"]
    noted = noted.set_index("target_id")
    assert noted.at["cap", "status_note"] == "预计全年9至14起，不超过12起的概率约86%"
    tight = noted.at["tight", "status_note"]
    assert tight.startswith("预计全年9至14起，不超过10起的概率约") and "序时进度" not in tight
    assert (noted["status"] == goals["status"]).all()  # the status stays the pace's
    shown = frames_of.targets_frame(noted.reset_index())
    assert shown.at["cap", "说明"] == "预计全年9至14起，不超过12起的概率约86%"


def test_other_targets_keep_their_notes():
    ind = _indicators("2020-10", 9)
    items = (
        _target("down", "accidents", "le", -20, measure="yoy_pct", pace="none"),  # a forecast
        _target("deaths", "accident_deaths", "le", 2),  # a cap already exceeded: decided
        _target("many", "accidents", "ge", 5),  # a floor already reached
        _target("each", "accidents", "le", 12, pace="none"),  # must hold at every date
    )
    goals, noted = _noted(ind, _counts(THIS_YEAR), *items)
    noted = noted.set_index("target_id")
    for tid in ("down", "deaths", "many", "each"):
        assert noted.at[tid, "status_note"] == goals.at[tid, "status_note"], tid
        assert "预计全年" not in noted.at[tid, "status_note"]


def test_without_a_forecast_nothing_changes():
    ind = _indicators("2020-12", 9)
    goals, noted = _noted(
        ind, _counts(THIS_YEAR + [0, 0]), _target("cap", "accidents", "le", 12), as_of="2020-12"
    )
    pd.testing.assert_frame_equal(noted.set_index("target_id"), goals)
    empty = evaluate_targets(ind, {"year": 2020, "targets": []})
    assert forecast_notes(empty, [], WORDS).empty


@pytest.mark.parametrize("op, words", [("le", "不超过"), ("ge", "不少于")])
def test_the_words_come_from_the_wording_file(op, words):
    ind = _indicators("2020-10", 9)
    target = 12 if op == "le" else 15
    _, noted = _noted(ind, _counts(THIS_YEAR), _target("t", "accidents", op, target))
    note = noted.set_index("target_id").at["t", "status_note"]
    assert note.startswith("预计全年9至14起，") and f"{words}{target}起的概率" in note
