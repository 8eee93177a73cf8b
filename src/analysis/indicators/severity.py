"""事故等级 (accident severity class) per 国务院令第493号."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.indicators.model import severity_classes
from analysis.settings import reference_data


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
    # 《生产安全事故报告和调查处理条例》第三条 (data/config/reference.yaml ``severity``): lower
    # bounds (inclusive) of deaths, serious injuries (含急性工业中毒) and direct loss in 万元
    levels = reference_data.severity_levels()
    for k, (_name, (d, s, money)) in enumerate(levels[1:], 1):
        code[(deaths >= d) | (serious >= s) | (loss >= money)] = k
    dtype = pd.CategoricalDtype(list(severity_classes()), ordered=True)
    return pd.Series(pd.Categorical.from_codes(code, dtype=dtype), index=df.index, name="severity")
