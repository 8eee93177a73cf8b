"""The statistics of change as the briefing shows them: the control chart's and the funnel
plot's frames (Chinese columns, ready for seaborn) and their one-sentence readings, and
the year-end forecast sentence. Every word comes from the wording file's labels."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.assess.evidence import ControlChart, Evidence, TargetForecast
from analysis.assess.funnel import FunnelFit, funnel_curve
from analysis.assess.process_limits import special_causes
from analysis.compare import format_number, format_value
from analysis.numbers import decimals_of
from analysis.present.wording import Wording

RECENT_MONTHS = 3  # a special cause is news when it reaches into the last three months
RULE_ORDER = ("outside", "shift", "trend", "two_of_three")
CONTROL_COLUMNS = ["指标", "月份", "数值", "均值", "上限", "下限", "特殊原因"]
FUNNEL_COLUMNS = ["镇（街道）", "企业数", "事故起数", "每百家企业事故起数", "位置"]
CURVE_COLUMNS = ["企业数", "95%下限", "95%上限", "99.8%下限", "99.8%上限", "全区平均"]
POSITIONS = {"above": "高于预期", "below": "低于预期", "within": "在预期范围内"}


def month_label(t) -> str:
    """'2019年11月'."""
    t = pd.Timestamp(t)
    return f"{t.year}年{t.month}月"


def chance_text(p: float) -> str:
    """A probability as a bulletin would say it.

    >>> chance_text(0.8588), chance_text(0.9991), chance_text(0.001)
    ('约86%', '大于99%', '小于1%')
    """
    if p > 0.99:
        return "大于99%"
    if p < 0.01:
        return "小于1%"
    return f"约{format_number(p * 100, 0)}%"


def control_frame(charts: Sequence[ControlChart]) -> pd.DataFrame:
    """One row per month and indicator: the value, the centre line, the limits (empty when
    there are too few months) and the value again where it is a special cause."""
    parts = []
    for chart in charts:
        months = chart.months
        special = pd.Series(False, index=months.index)
        if chart.limits is not None:
            marks = special_causes(months["value"], chart.limits)["special"]
            special = pd.Series(marks.to_numpy(), index=months.index)
        lim = chart.limits
        parts.append(
            pd.DataFrame(
                {
                    "指标": chart.name,
                    "月份": pd.to_datetime(months["as_of"]),
                    "数值": months["value"].astype(float),
                    "均值": lim.centre if lim else math.nan,
                    "上限": lim.upper if lim else math.nan,
                    "下限": lim.lower if lim else math.nan,
                    "特殊原因": months["value"].where(special).astype(float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CONTROL_COLUMNS)


def _latest_episode(chart: ControlChart):
    last = len(chart.months) - 1
    recent = [e for e in chart.episodes if e.end > last - RECENT_MONTHS]
    if not recent:
        return None
    return sorted(recent, key=lambda e: (-e.end, RULE_ORDER.index(e.rule), e.start))[0]


def _chart_clause(chart: ControlChart, words: Wording) -> str:
    if chart.limits is None:
        return words.label("control_too_few", {"指标": chart.name, "月数": len(chart.months)})
    episode = _latest_episode(chart)
    if episode is None:
        return words.label("control_common", {"指标": chart.name})
    better = (episode.side == "low") == chart.lower_is_better
    run = episode.rule in ("shift", "trend")
    verdict = ("control_better_" if better else "control_worse_") + ("run" if run else "point")
    start = month_label(chart.months["as_of"].iloc[episode.start])
    context = {
        "指标": chart.name,
        "起": start,
        "月数": episode.length,
        "判断": words.label(verdict),
    }
    return words.label(f"control_{episode.rule}_{episode.side}", context)


def control_sentence(charts: Sequence[ControlChart], words: Wording) -> str:
    """The control chart read in one sentence, a clause per indicator."""
    clauses = []
    for chart in charts:
        clause = _chart_clause(chart, words)
        if chart.assurance and chart.monthly_target is not None:
            number = format_value(chart.monthly_target, chart.unit, 1)
            key = f"control_assurance_{chart.assurance}"
            clause += "，" + words.label(key, {"控制数": number})
        clauses.append(clause)
    return "；".join(c for c in clauses if c) + "。" if clauses else ""


def funnel_frame(fit: FunnelFit | None) -> pd.DataFrame:
    if fit is None:
        return pd.DataFrame(columns=FUNNEL_COLUMNS)
    towns = fit.towns[fit.towns["position"] != "no_exposure"]
    return pd.DataFrame(
        {
            "镇（街道）": towns["unit"].astype(str),
            "企业数": towns["exposure"],
            "事故起数": towns["count"],
            "每百家企业事故起数": towns["rate"],
            "位置": towns["position"].map(POSITIONS),
        }
    ).reset_index(drop=True)


def funnel_curve_frame(fit: FunnelFit | None) -> pd.DataFrame:
    if fit is None:
        return pd.DataFrame(columns=CURVE_COLUMNS)
    curve = funnel_curve(fit)
    curve["rate"] = fit.rate
    columns = ["exposure", "lower_95", "upper_95", "lower_998", "upper_998", "rate"]
    return curve[columns].set_axis(CURVE_COLUMNS, axis=1)


def funnel_sentence(fit: FunnelFit | None, words: Wording) -> str:
    """Names only the towns outside the 95% limits; the rest are not ranked."""
    if fit is None:
        return ""
    towns = fit.towns[fit.towns["position"] != "no_exposure"]
    rate = words.label("funnel_rate", {"比率": format_number(fit.rate, 2)})
    if fit.widened:
        rate += words.label("funnel_widened")
    named = {p: "、".join(towns.loc[towns["position"] == p, "unit"]) for p in ("above", "below")}
    clauses = [rate]
    for position, names in named.items():
        if names:
            clauses.append(words.label(f"funnel_{position}", {"镇街": names}))
    rest = int((towns["position"] == "within").sum())
    if len(clauses) == 1:
        clauses.append(words.label("funnel_none"))
    elif rest:
        clauses.append(words.label("funnel_rest", {"个数": rest}))
    return "；".join(clauses) + "。"


def forecast_sentence(
    forecasts: Sequence[TargetForecast], words: Wording, names: Mapping[str, str]
) -> str:
    """'按目前水平，全年预计生产安全事故起数9—14起，实现“…”目标的可能性大于99%。'"""
    clauses = []
    for f in forecasts:
        span = f"{f.forecast.low}—{f.forecast.high}{f.unit}"
        if f.forecast.low == f.forecast.high:
            span = f"{f.forecast.low}{f.unit}"
        context = {
            "指标": names.get(f.indicator, f.indicator),
            "区间": span,
            "目标": f.target_name,
            "可能性": chance_text(f.probability),
        }
        clauses.append(words.label("forecast", context))
    return "；".join(clauses) + "。" if clauses else ""


def forecast_notes(
    targets: pd.DataFrame, forecasts: Sequence[TargetForecast], words: Wording
) -> pd.DataFrame:
    """``targets`` with the 说明 (``status_note``) of each open year-end count number (a
    ``value`` target judged against 序时进度, not yet met or broken) replaced by its
    forecast: '预计全年9至14起，不超过12起的概率约86%'. Other targets keep their notes."""
    by_target = {f.target_id: f for f in forecasts}
    if targets.empty or not by_target:
        return targets
    out = targets.copy()
    for k, t in zip(out.index, out.to_dict("records"), strict=True):
        f = by_target.get(t["target_id"])
        if f is None or t["measure"] != "value" or t["pace"] != "linear" or _decided(t):
            continue
        low, high = f.forecast.low, f.forecast.high
        span = f"{low}{f.unit}" if low == high else f"{low}至{high}{f.unit}"
        bound = format_number(t["target"], decimals_of(t["target"]))
        context = {"区间": span, "目标值": f"{bound}{f.unit}", "可能性": chance_text(f.probability)}
        out.at[k, "status_note"] = words.label(f"target_forecast_{t['op']}", context)
    return out


def _decided(target: Mapping) -> bool:
    """A cap already exceeded or a floor already reached: the year's outcome is known."""
    actual, bound = float(target["actual"]), float(target["target"])
    if math.isnan(actual):
        return True
    return actual > bound if target["op"] == "le" else actual >= bound


def reading(section: str, evidence: Evidence, words: Wording, names: Mapping[str, str]) -> str:
    """The sentence of a statistic the briefing reads out: ``control_chart``, ``funnel``,
    ``double_decline`` or ``forecast`` (``names``: indicator id → its Chinese name)."""
    if section == "control_chart":
        return control_sentence(evidence.charts, words)
    if section == "funnel":
        return funnel_sentence(evidence.funnel, words)
    if section == "double_decline":
        return double_decline_sentence(evidence.double_decline, words)
    if section == "forecast":
        return forecast_sentence(evidence.forecasts, words, names)
    raise KeyError(f"没有“{section}”这一统计解读")


def double_decline_sentence(counts: tuple[int, int] | None, words: Wording) -> str:
    """'全区8个镇（街道）中3个事故起数和死亡人数“双下降”。'"""
    if not counts:
        return ""
    towns, both = counts
    return words.label("double_decline", {"镇街数": towns, "双下降数": both}) + "。"


# the control indicators bureaus are judged by (catalogue; from the optional denominators)
CONTROL_INDICATOR_IDS = (
    "deaths_per_gdp",
    "industrial_deaths_per_100k_workers",
    "road_deaths_per_10k_vehicles",
    "fire_deaths_per_100k_population",
)


def _pace_text(target: Mapping, ind: pd.DataFrame) -> str:
    """'≤0.0067人/亿元': where a linear target should stand by now (序时进度)."""
    required = target.get("pace_required")
    if target.get("pace") != "linear" or required is None or pd.isna(required):
        return "—"
    row = ind.set_index("id").loc[target["indicator_id"]]
    sign = "≤" if target["op"] == "le" else "≥"
    return f"{sign}{format_value(required, str(row['unit']), int(row['decimals']))}"


def control_indicator_frame(
    table: pd.DataFrame, targets: pd.DataFrame, ind: pd.DataFrame
) -> pd.DataFrame:
    """The control indicators' table (本期 with its unit, 同比) with each one's target, where
    it should stand by now (序时进度) and its standing; 未设目标 without a target."""
    if table.empty:
        return table
    frame = table.copy()
    rows = {t["indicator_id"]: t for t in targets.to_dict("records")} if len(targets) else {}
    frame["控制指标"] = [rows[i]["target_text"] if i in rows else "未设目标" for i in frame.index]
    frame["序时进度"] = [_pace_text(rows[i], ind) if i in rows else "—" for i in frame.index]
    frame["状态"] = [rows[i]["status"] if i in rows else "" for i in frame.index]
    return frame
