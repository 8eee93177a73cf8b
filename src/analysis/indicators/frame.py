"""The long indicator frame: engine arrays → one row per as-of date × area × indicator,
with the changes (同比/环比) and, optionally, their Chinese texts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.compare import format_change, format_value, verbs_for
from analysis.indicators.engine import SLOTS
from analysis.numbers import TextStyle

META_COLUMNS = (
    "id",
    "name_zh",
    "unit",
    "group",
    "direction",
    "decimals",
    "scope",
    "period",
    "measure",
    "note",
)
# (text column, current slot, base slot, label)
CHANGE_TEXTS = (
    ("yoy_text", "value", "prior_value", "同比"),
    ("yoy2_text", "value", "prior2_value", "比前年"),
    ("mom_text", "month_value", "prev_month_value", "环比"),
    ("month_yoy_text", "month_value", "month_prior_value", "同比"),
)


def assemble(
    show, vals, as_ofs, names, pick, district, texts: bool, style: TextStyle | None = None
) -> pd.DataFrame:
    """Rows ordered as_of → area → indicator for the indicators ``show``, the areas
    ``names[pick]`` and the dates ``as_ofs``; ``vals[id]`` is (slot, as_of, area)."""
    n_ind, n_t, n_a = len(show), len(as_ofs), len(pick)
    stack = np.stack([vals[i.id][:, :, pick] for i in show])  # (ind, slot, t, area)
    ind_idx = np.tile(np.arange(n_ind), n_t * n_a)
    area_idx = np.tile(np.repeat(np.arange(n_a), n_ind), n_t)
    t_idx = np.repeat(np.arange(n_t), n_a * n_ind)
    meta = pd.DataFrame({col: [getattr(i, col) for i in show] for col in META_COLUMNS})
    out = meta.iloc[ind_idx].reset_index(drop=True)
    area_names = np.array([names[p] for p in pick], dtype=object)
    # one resolution whatever the inputs' ("2020-10" and "2020-10-23" parse to different ones)
    dates = pd.DatetimeIndex([a.as_unit("ns") for a in as_ofs], dtype="datetime64[ns]")
    out.insert(0, "as_of", dates[t_idx])
    out.insert(1, "area", area_names[area_idx])
    out.insert(2, "is_district", area_names[area_idx] == district)
    for s, slot in enumerate(SLOTS):
        out[slot] = stack[:, s].transpose(1, 2, 0).reshape(-1)
    out["applicable"] = ~((out["scope"] == "district").to_numpy() & ~out["is_district"].to_numpy())
    _add_changes(out)
    if texts:
        _add_texts(out, style or TextStyle())
    return out


def _add_changes(out: pd.DataFrame) -> None:
    """Unrounded changes: percent for counts, percentage points for rates."""
    is_rate = out["unit"].isin(["%", "％"]).to_numpy()
    v, p, p2 = (out[c].to_numpy() for c in ("value", "prior_value", "prior2_value"))
    mv, pm, mp = (
        out[c].to_numpy() for c in ("month_value", "prev_month_value", "month_prior_value")
    )
    out["yoy_pct"] = np.where(is_rate, np.nan, _pct(v, p))
    out["yoy_pp"] = np.where(is_rate, v - p, np.nan)
    out["yoy2_pct"] = np.where(is_rate, np.nan, _pct(v, p2))
    out["mom_pct"] = np.where(is_rate, np.nan, _pct(mv, pm))
    out["mom_pp"] = np.where(is_rate, mv - pm, np.nan)
    out["month_yoy_pct"] = np.where(is_rate, np.nan, _pct(mv, mp))


def _add_texts(out: pd.DataFrame, style: TextStyle) -> None:
    applicable = out["applicable"].to_numpy()
    out["value_text"] = [
        format_value(x, u, d, rule=style.rule) if ok else "不适用"
        for x, u, d, ok in zip(out["value"], out["unit"], out["decimals"], applicable, strict=True)
    ]
    # snapshots have no comparison period: leave the text empty rather than "无数据"
    snap = (out["period"] == "snapshot").to_numpy()
    for col, cur, base, label in CHANGE_TEXTS:
        digits = style.decimals(label)
        out[col] = [
            format_change(
                c, b, u, label=label, verbs=verbs_for(dr), ndigits=digits, rule=style.rule
            )
            if ok
            else "不适用"
            for c, b, u, dr, ok in zip(
                out[cur], out[base], out["unit"], out["direction"], applicable, strict=True
            )
        ]
        blank = snap & out[base].isna().to_numpy() & applicable
        out.loc[blank, col] = ""


def _pct(cur: np.ndarray, base: np.ndarray) -> np.ndarray:
    # a vanishingly small base gives inf: the honest answer, not a warning
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(base > 0, (cur - base) / np.where(base > 0, base, 1) * 100.0, np.nan)
