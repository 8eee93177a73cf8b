"""事故等级 (accident severity class) per 国务院令第493号."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators.model import SEVERITY_CLASSES
from analysis.settings import reference_data

# 《生产安全事故报告和调查处理条例》第三条 (data/config/reference.yaml ``severity``): lower
# bounds (inclusive) of deaths, serious injuries (含急性工业中毒) and direct loss in 万元.
SEVERITY_THRESHOLDS = {name: bounds for name, bounds in reference_data.severity_levels() if bounds}


def severity_class(df: pd.DataFrame) -> pd.Series:
    """事故等级 of each incident row (the highest class reached by any of deaths /
    serious_injuries / direct_loss_wan wins), as an ordered categorical aligned to ``df``.

    >>> rows = pd.DataFrame(
    ...     {"deaths": [0, 3, 1], "serious_injuries": [0, 0, 50], "direct_loss_wan": [1.0, 0, 0]}
    ... )
    >>> severity_class(rows).tolist()
    ['一般', '较大', '重大']
    """
    deaths = df["deaths"].to_numpy(dtype="float64")
    serious = df["serious_injuries"].to_numpy(dtype="float64")
    loss = df["direct_loss_wan"].to_numpy(dtype="float64")
    code = np.zeros(len(df), dtype="int8")
    for k, name in enumerate(SEVERITY_CLASSES[1:], 1):
        d, s, money = SEVERITY_THRESHOLDS[name]
        code[(deaths >= d) | (serious >= s) | (loss >= money)] = k
    dtype = pd.CategoricalDtype(list(SEVERITY_CLASSES), ordered=True)
    return pd.Series(pd.Categorical.from_codes(code, dtype=dtype), index=df.index, name="severity")
