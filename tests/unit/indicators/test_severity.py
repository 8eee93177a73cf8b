"""事故等级 (analysis.indicators.severity) at every threshold of 国务院令第493号."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.indicators import severity_class


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "expected"),
    [
        (0, 0, 0.0, "一般"),
        (2, 9, 999.99, "一般"),
        (3, 0, 0.0, "较大"),  # bounds are inclusive (以上含本数)
        (9, 0, 0.0, "较大"),
        (10, 0, 0.0, "重大"),
        (29, 0, 0.0, "重大"),
        (30, 0, 0.0, "特别重大"),
        (0, 10, 0.0, "较大"),
        (0, 49, 0.0, "较大"),
        (0, 50, 0.0, "重大"),
        (0, 99, 0.0, "重大"),
        (0, 100, 0.0, "特别重大"),
        (0, 0, 1000.0, "较大"),
        (0, 0, 4999.99, "较大"),
        (0, 0, 5000.0, "重大"),
        (0, 0, 10000.0, "特别重大"),
        (3, 0, 5000.0, "重大"),  # the highest class reached wins
        (1, 100, 0.0, "特别重大"),
    ],
)
def test_severity_class_boundaries(deaths, serious, loss, expected):
    df = pd.DataFrame(
        {"deaths": [deaths], "serious_injuries": [serious], "direct_loss_wan": [loss]}
    )
    assert severity_class(df).iloc[0] == expected


def test_severity_class_is_ordered_and_aligned():
    df = pd.DataFrame(
        {"deaths": [0, 3], "serious_injuries": [0, 0], "direct_loss_wan": [0.0, 0.0]},
        index=[10, 20],
    )
    s = severity_class(df)
    assert list(s.index) == [10, 20]
    assert s.loc[20] > s.loc[10]
