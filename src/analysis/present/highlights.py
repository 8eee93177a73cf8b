"""本期要点: three to six short points for a leader, chosen from the data.

The headline figures, the targets' standing, the worst gap, what needs a leader's
attention and the change the data support most, in that order of priority; the wording of
each kind of point is in the wording file (``highlights``).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from analysis.assess.change_marks import SIGNIFICANT, evidence_strength
from analysis.compare import format_number
from analysis.present.wording import Figures, Wording

MAX_POINTS = 6
HEADLINE_IDS = ("accidents", "accident_deaths", "fires")
COLUMNS = ["类别", "指标编号", "要点"]


def largest_change(ind: pd.DataFrame) -> str | None:
    """The counted indicator (besides the headline ones) whose 同比 change the evidence
    supports most: among the changes marked 变化显著, the one whose exact 95% interval
    guarantees the largest change (``evidence_strength``), not the largest percentage. A
    change that may be noise, or one never tested, is never chosen."""
    if "yoy_signal" not in ind.columns:
        return None
    rows = ind[
        ind["applicable"] & (ind["yoy_signal"] == SIGNIFICANT) & ~ind["id"].isin(HEADLINE_IDS)
    ]
    strength = pd.Series([evidence_strength(r) for r in rows.to_dict("records")], rows.index)
    strength = strength.dropna()
    if strength.empty or strength.max() <= 0:
        return None
    return str(rows.loc[strength.idxmax(), "id"])


def _target_points(targets: pd.DataFrame, figures: Figures) -> dict[str, tuple[str, dict]]:
    """Context of the targets' points: counts, the worst unmet target, the lagging ones."""
    if targets.empty:
        return {}
    counts = targets["status"].value_counts()
    points = {
        "targets": (
            "",
            {"目标数": format_number(len(targets))}
            | {s: format_number(int(counts.get(s, 0))) for s in ("达标", "预警", "未达标")},
        )
    }
    unmet = targets[targets["status"] == "未达标"]
    if len(unmet):
        worst = unmet.iloc[0]  # targets come sorted by severity
        ind = str(worst["indicator_id"])
        actual = figures.span(ind) if figures.known(ind) else None
        gap = Markup('<span class="fig" data-indicator="{}" data-kind="gap">{}</span>').format(
            ind, worst["gap_text"]
        )
        points["worst_gap"] = (
            ind,
            {"目标": worst["name"], "实际": actual or worst["actual_text"], "差距": gap},
        )
    lagging = targets.loc[targets["status"] == "预警", "name"]
    if len(lagging):
        points["warning"] = ("", {"目标": "、".join(lagging)})
    return points


def highlights_frame(
    ind: pd.DataFrame, targets: pd.DataFrame, figures: Figures, words: Wording, context: dict
) -> pd.DataFrame:
    """One row per point: 类别 (kind), 指标编号 (the indicator it is about, if one), 要点
    (the sentence as HTML, its numbers marked with their indicators)."""
    candidates: dict[str, tuple[str, dict]] = {
        "headline": ("accidents", {}),
        **_target_points(targets, figures),
        "major_accidents": ("major_or_above_accidents", {}),
        "major_hazards": ("major_hazards_open", {}),
    }
    changed = largest_change(ind)
    if changed:
        name = str(ind.loc[ind["id"] == changed, "name_zh"].iloc[0])
        candidates["change"] = (
            changed,
            {"指标": name, "本期": figures.span(changed), "变化": figures.span(changed, "yoy")},
        )
    order = ("headline", "targets", "worst_gap", "major_accidents", "major_hazards", "change")
    points: list[tuple[str, str, Markup]] = []
    for kind in (*order, "warning"):
        if kind not in candidates or len(points) >= MAX_POINTS:
            continue
        ind_id, extra = candidates[kind]
        text = words.render(words.highlights.get(kind, ()), figures, context | extra)
        if text:
            points.append((kind, ind_id, text))
    return pd.DataFrame(points, columns=COLUMNS)
