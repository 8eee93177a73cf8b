"""Money columns: the unit each file's header states or a declaration gives, never assumed.

A money column of the contract is kept in 万元 (``Column.unit``). A header that writes its
unit (直接经济损失（元）) is converted; the canonical English name (direct_loss_wan) is 万元;
a header without a unit (直接经济损失, or a bureau's own header mapped in column_map.yaml)
is read only if its unit is declared, in data/config/column_map.yaml or the data folder's
MANIFEST.yaml::

    units:
      直接经济损失: 元

Otherwise the file is refused: losses exported in 元 and read as 万元 made every accident
较大 or worse.
"""

from __future__ import annotations

import re

from analysis.inputs import schema
from analysis.settings import reference_data

MONEY_UNITS = {"元": 1.0, "千元": 1e3, "万元": 1e4, "百万元": 1e6, "亿元": 1e8}
_UNIT_AT_END = re.compile(r"[(（]\s*([^()（）]+?)\s*[)）]\s*$")
DECLARE_HINT = "或在 data/config/column_map.yaml（或数据目录的 MANIFEST.yaml）的 units 下声明单位"


def base_names(col: schema.Column) -> list[str]:
    """The column's Chinese name and aliases without a unit in brackets."""
    names = [_UNIT_AT_END.sub("", n).strip() for n in (col.zh, *col.aliases)]
    return list(dict.fromkeys(n for n in names if n))


def headers_with_units(col: schema.Column) -> list[str]:
    """Every base name with every known unit: 直接经济损失（元）, 罚款金额(千元), …"""
    return [f"{base}（{unit}）" for base in base_names(col) for unit in MONEY_UNITS]


def _key(header: str) -> str:
    return re.sub(r"\s+", "", header.replace("(", "（").replace(")", "）"))


def factor(
    col: schema.Column, header: str, declared: dict[str, str]
) -> tuple[float | None, str | None]:
    """(multiplier from the file's unit to the column's unit, None) or (None, why not)."""
    target = MONEY_UNITS[col.unit]
    if header.strip().casefold() == col.name.casefold():
        return 1.0, None
    match = _UNIT_AT_END.search(header)
    unit = match.group(1) if match else {_key(k): v for k, v in declared.items()}.get(_key(header))
    if unit is None:
        why = (
            f"表头“{header}”没有写明金额单位，无法确定是元还是万元：请把表头改为"
            f"“{base_names(col)[0]}（万元）”或“{base_names(col)[0]}（元）”，{DECLARE_HINT}"
        )
        return None, why
    if unit not in MONEY_UNITS:
        allowed = "、".join(MONEY_UNITS)
        return None, f"金额单位“{unit}”无法换算为{col.unit}（可用：{allowed}）"
    return MONEY_UNITS[unit] / target, None


def read_declarations(*sources: dict | None) -> dict[str, str]:
    """The ``units`` mapping (header → unit) of column_map and MANIFEST, later ones winning."""
    out: dict[str, str] = {}
    for source in sources:
        units = (source or {}).get("units")
        if isinstance(units, dict):
            out.update({str(k): str(v) for k, v in units.items()})
    return out


# ------------------------------------------------------------------ plausibility


def _thresholds() -> dict[str, tuple[float, float, float]]:
    return {name: tuple(bounds) for name, bounds in reference_data.severity_levels() if bounds}


def loss_only_class(typed: dict):
    """(class name reached by the loss alone where casualties stay 一般, else "";
    True where that class is the highest, 特别重大: implausible for a unit mistake check),
    two Series aligned to the typed columns."""
    import numpy as np  # here: header matching imports this module and stays light
    import pandas as pd

    loss = typed["direct_loss_wan"].to_numpy(dtype="float64")
    deaths = typed["deaths"].to_numpy(dtype="float64")
    serious = typed["serious_injuries"].to_numpy(dtype="float64")
    names = np.full(len(loss), "", dtype=object)
    levels = list(_thresholds().items())
    first_deaths, first_serious, _ = levels[0][1]
    by_casualties = (np.nan_to_num(deaths) >= first_deaths) | (
        np.nan_to_num(serious) >= first_serious
    )
    for name, (_, _, money) in levels:
        names[(loss >= money) & ~by_casualties] = name
    index = typed["direct_loss_wan"].index
    top = levels[-1][0]
    return pd.Series(names, index=index), pd.Series(names == top, index=index)
