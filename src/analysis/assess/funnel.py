"""Funnel plots (漏斗图): each town's rate against its exposure, no league table.

Method (Spiegelhalter, "Funnel plots for comparing institutional performance", Stat Med
2005;24:1185–1202):

- the target is the district rate θ = Σ counts / Σ exposures;
- control limits at 95% and 99.8% are exact Poisson quantiles of θ·n, interpolated between
  integers as in the paper's appendix so the funnel is smooth;
- overdispersion: φ is the mean of the squared z-scores z = (y/n − θ)/√(θ/n), winsorised at
  10% at each end; where φ > 1 the limits are widened by √φ about θ (the multiplicative
  approach of §5.2);
- a town outside the 95% limits is "above" or "below" expectation; ``beyond_998`` says it
  is also outside 99.8%. Every other town is within expected variation and is not ranked.

Quantiles come from scipy; nothing here computes a probability by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

LEVELS = (0.95, 0.998)
WINSOR = 0.10


@dataclass(frozen=True)
class FunnelFit:
    """The district rate, the dispersion factor and the table of towns."""

    rate: float  # per `per` units of exposure
    phi: float
    widened: bool
    per: float
    towns: pd.DataFrame


def poisson_limit(mean, probability: float) -> np.ndarray:
    """The interpolated exact Poisson quantile of Spiegelhalter's appendix (count scale).

    >>> float(poisson_limit(10.0, 0.5)) < 10.0 < float(poisson_limit(10.0, 0.975))
    True
    """
    mean = np.asarray(mean, dtype=float)
    quantile = stats.poisson.ppf(probability, mean)
    at = stats.poisson.cdf(quantile, mean)
    below = stats.poisson.cdf(quantile - 1, mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(at > below, (at - probability) / (at - below), 0.0)
    return np.where(mean > 0, np.maximum(quantile - step, 0.0), 0.0)


def overdispersion(counts, exposures, rate: float) -> float:
    """φ: the mean squared (winsorised) z-score of the towns about the district rate."""
    y, n = np.asarray(counts, dtype=float), np.asarray(exposures, dtype=float)
    if rate <= 0 or len(y) < 2:
        return 1.0
    z = (y / n - rate) / np.sqrt(rate / n)
    # clip at the interpolated 10th and 90th percentiles (as FunnelPlotR does), so even a
    # handful of towns has its most extreme z-scores pulled in
    limited = np.clip(z, np.quantile(z, WINSOR), np.quantile(z, 1 - WINSOR))
    return float(np.mean(limited**2))


def limits_at(exposure, rate: float, phi: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits on the rate scale for the given exposures (rate per 1 unit)."""
    n = np.asarray(exposure, dtype=float)
    tail = (1 - level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = poisson_limit(rate * n, tail) / n
        high = poisson_limit(rate * n, 1 - tail) / n
    if phi > 1:
        spread = np.sqrt(phi)
        low = np.maximum(rate - spread * (rate - low), 0.0)
        high = rate + spread * (high - rate)
    return low, high


def _check(frame: pd.DataFrame) -> None:
    values = frame[["count", "exposure"]]
    bad = frame[(values < 0).any(axis=1) | values.isna().any(axis=1)]
    if not bad.empty:
        names = "、".join(str(u) for u in bad["unit"])
        raise ValueError(f"漏斗图数据有误：{names} 的事件数或暴露量为空或为负数")


def fit_funnel(units, counts, exposures, *, per: float = 1.0) -> FunnelFit:
    """Place each unit against the district rate; ``per`` scales rates (100 → 每百家).

    A unit with no exposure keeps its row, with position ``"no_exposure"`` and no limits.
    """
    frame = pd.DataFrame(
        {"unit": list(units), "count": list(counts), "exposure": list(exposures)}, dtype=object
    )
    frame[["count", "exposure"]] = frame[["count", "exposure"]].astype(float)
    _check(frame)
    exposed = frame["exposure"] > 0
    total = frame.loc[exposed, "exposure"].sum()
    rate = frame.loc[exposed, "count"].sum() / total if total > 0 else 0.0
    phi = overdispersion(frame.loc[exposed, "count"], frame.loc[exposed, "exposure"], rate)
    frame["rate"] = np.where(exposed, frame["count"] / frame["exposure"].where(exposed), np.nan)
    for level in LEVELS:
        low, high = limits_at(frame["exposure"].where(exposed), rate, phi, level)
        tag = f"{level * 100:g}".replace(".", "")
        frame[f"lower_{tag}"], frame[f"upper_{tag}"] = low, high
    frame["position"] = np.select(
        [~exposed, frame["rate"] > frame["upper_95"], frame["rate"] < frame["lower_95"]],
        ["no_exposure", "above", "below"],
        "within",
    )
    frame["beyond_998"] = exposed & (
        (frame["rate"] > frame["upper_998"]) | (frame["rate"] < frame["lower_998"])
    )
    for column in ["rate", "lower_95", "upper_95", "lower_998", "upper_998"]:
        frame[column] = frame[column] * per
    return FunnelFit(rate * per, phi, phi > 1, per, frame)


def funnel_curve(fit: FunnelFit, points: int = 200) -> pd.DataFrame:
    """The funnel's limit lines over the exposure range of the towns, for drawing."""
    exposure = fit.towns.loc[fit.towns["exposure"] > 0, "exposure"]
    if exposure.empty:
        return pd.DataFrame(columns=["exposure", "lower_95", "upper_95", "lower_998", "upper_998"])
    grid = np.linspace(max(exposure.min() * 0.8, 1e-9), exposure.max() * 1.1, points)
    curve = pd.DataFrame({"exposure": grid})
    rate = fit.rate / fit.per
    for level in LEVELS:
        low, high = limits_at(grid, rate, fit.phi, level)
        tag = f"{level * 100:g}".replace(".", "")
        curve[f"lower_{tag}"], curve[f"upper_{tag}"] = low * fit.per, high * fit.per
    return curve
