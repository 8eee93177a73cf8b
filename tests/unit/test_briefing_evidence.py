"""A town's small change is worded as an absolute difference and never headlined."""

from __future__ import annotations

import re

import pytest
from scipy import stats

from analysis import briefing
from analysis.settings import places


@pytest.mark.parametrize("town", places.towns_of("钟楼区")[:4])
def test_a_towns_small_change_is_absolute_and_not_headlined(town):
    brief = briefing.prepare(briefing.run_params(unit=town))
    row = brief.indicators.set_index("id").loc["accidents"]
    now, before = int(row["value"]), int(row["prior_value"])
    points = [re.sub(r"<[^>]+>", "", str(p)) for p in brief.frames.highlights["要点"]]
    change = next((p for p in points if p.startswith("变化最明显")), "")
    if now == before:
        assert row["yoy_text"] == "同比持平"
    elif before and stats.binomtest(now, now + before).pvalue >= 0.05:
        diff = abs(now - before)
        word = "增加" if now > before else "减少"
        assert row["yoy_text"] == f"同比{word}{diff}起（属正常波动）"
        assert "%" not in row["yoy_text"]
        assert row["name_zh"] not in change  # never the headlined change
    # whatever is headlined as the change is marked significant
    assert not change or "（变化显著）" in change
