"""XmR process-behaviour charts (控制图) with the NHS England "Making Data Count" rules.

- Limits: mean ± 2.66 × the average moving range; a lower limit below 0 is drawn at 0 for
  counts (the rules still use the unfloored value, as the published method does).
- Special causes:
  ``outside``: a point beyond a limit;
  ``shift``: 7 points in a row on one side of the mean (a point on the mean ends a run);
  ``trend``: 7 points in a row each higher (or each lower) than the one before (a repeat
  ends a run);
  ``two_of_three``: 2 of 3 consecutive points beyond two-thirds of the distance to a limit,
  on the same side.
- Fewer than 12 points: no limits are drawn; callers say so instead.
- Assurance: a target inside the limits is met or missed by chance.

Everything here is plain arithmetic on the series; the reading in words is made where the
briefing's wording lives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

SCALING = 2.66
MIN_POINTS = 12
RUN_LENGTH = 7
RULES = ("outside", "shift", "trend", "two_of_three")


@dataclass(frozen=True)
class XmRLimits:
    centre: float
    average_moving_range: float
    upper: float
    lower: float  # floored at 0 for counts
    lower_unfloored: float

    @property
    def near_upper(self) -> float:
        """Two-thirds of the way from the centre to the upper limit."""
        return self.centre + 2 / 3 * (self.upper - self.centre)

    @property
    def near_lower(self) -> float:
        return self.centre - 2 / 3 * (self.centre - self.lower_unfloored)


@dataclass(frozen=True)
class Episode:
    """A stretch of special-cause points found by one rule (positions are 0-based)."""

    rule: str
    start: int
    end: int
    side: str  # "high" (above the mean / rising) or "low" (below / falling)

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def _values(values) -> np.ndarray:
    array = np.asarray(list(values), dtype=float)
    if array.ndim != 1 or np.isnan(array).any():
        raise ValueError("控制图的数据应为一列数值，且不能有缺失值")
    return array


def xmr_limits(values, *, counts: bool = True) -> XmRLimits:
    """Centre line and natural process limits of an XmR chart.

    >>> xmr_limits([10, 50, 40, 30])
    XmRLimits(centre=32.5, average_moving_range=20.0, upper=85.7, lower=0.0, lower_unfloored=-20.7)
    """
    array = _values(values)
    if len(array) < 2:
        raise ValueError("控制图至少需要2个点才能计算移动极差")
    centre = float(array.mean())
    moving = float(np.abs(np.diff(array)).mean())
    upper = round(centre + SCALING * moving, 10)
    lower = round(centre - SCALING * moving, 10)
    floored = max(lower, 0.0) if counts else lower
    return XmRLimits(centre, moving, upper, floored, lower)


def enough_points(values) -> bool:
    """Making Data Count draws limits from 12 points or more."""
    return len(list(values)) >= MIN_POINTS


def _runs(signs: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, end, sign) of each maximal run of equal non-zero signs."""
    runs, start = [], 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0:
                runs.append((start, i - 1, int(signs[start])))
            start = i
    return runs


def _side(sign: int) -> str:
    return "high" if sign > 0 else "low"


def _shift_episodes(array: np.ndarray, limits: XmRLimits) -> list[Episode]:
    signs = np.sign(np.round(array - limits.centre, 10))
    return [
        Episode("shift", s, e, _side(sign))
        for s, e, sign in _runs(signs)
        if e - s + 1 >= RUN_LENGTH
    ]


def _trend_episodes(array: np.ndarray) -> list[Episode]:
    steps = np.sign(np.round(np.diff(array), 10))
    # a run of k equal steps spans k + 1 points
    return [
        Episode("trend", s, e + 1, _side(sign))
        for s, e, sign in _runs(steps)
        if e - s + 2 >= RUN_LENGTH
    ]


def _outside_episodes(array: np.ndarray, limits: XmRLimits) -> list[Episode]:
    found = []
    for i, value in enumerate(array):
        if value > limits.upper:
            found.append(Episode("outside", i, i, "high"))
        elif value < limits.lower:
            found.append(Episode("outside", i, i, "low"))
    return found


def _two_of_three_episodes(array: np.ndarray, limits: XmRLimits) -> list[Episode]:
    found: dict[tuple[int, str], Episode] = {}
    for side, beyond in (("high", array > limits.near_upper), ("low", array < limits.near_lower)):
        for start in range(max(len(array) - 2, 0)):
            window = beyond[start : start + 3]
            if window.sum() >= 2:
                hits = [start + k for k in range(3) if window[k]]
                found[(hits[0], side)] = Episode("two_of_three", hits[0], hits[-1], side)
    return sorted(found.values(), key=lambda e: (e.start, e.side))


def special_cause_episodes(values, limits: XmRLimits | None = None) -> list[Episode]:
    """All special-cause episodes of the series, in order of where they start."""
    array = _values(values)
    limits = limits or xmr_limits(array)
    found = (
        _outside_episodes(array, limits)
        + _shift_episodes(array, limits)
        + _trend_episodes(array)
        + _two_of_three_episodes(array, limits)
    )
    return sorted(found, key=lambda e: (e.start, RULES.index(e.rule)))


def special_causes(values, limits: XmRLimits | None = None) -> pd.DataFrame:
    """One row per point: the value and a True/False column per rule, plus ``special``.

    >>> special_causes([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9])["outside"].tolist()[-1]
    True
    """
    array = _values(values)
    limits = limits or xmr_limits(array)
    frame = pd.DataFrame({"value": array})
    for rule in RULES:
        frame[rule] = False
    for episode in special_cause_episodes(array, limits):
        frame.loc[episode.start : episode.end, episode.rule] = True
    # two_of_three marks only the points beyond two-thirds, not one lying between them
    beyond = (frame["value"] > limits.near_upper) | (frame["value"] < limits.near_lower)
    frame["two_of_three"] &= beyond
    frame["special"] = frame[list(RULES)].any(axis=1)
    return frame


def assurance(limits: XmRLimits, target: float, *, lower_is_better: bool = True) -> str:
    """Where a monthly target lies against the limits.

    ``"chance"``: inside the limits, so meeting it some months and missing it others is
    common-cause variation; ``"pass"``: the process consistently meets it; ``"fail"``: it
    consistently misses it.

    >>> assurance(xmr_limits([10, 50, 40, 30]), 40)
    'chance'
    """
    if math.isnan(float(target)):
        raise ValueError("控制目标值不能为空")
    if limits.lower_unfloored <= target <= limits.upper:
        return "chance"
    above = target > limits.upper
    return "pass" if above == lower_is_better else "fail"
