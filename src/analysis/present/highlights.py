"""本期要点: three to six short points for a leader, chosen from the data.

The headline figures, the targets' standing, the worst gap, what needs a leader's
attention and the change the data support most, in that order of priority; the wording of
each kind of point is in the wording file (``highlights``).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from analysis.compare import format_number
from analysis.present.largest_change import largest_change
from analysis.present.wording import Figures, Wording

MAX_POINTS = 6
COLUMNS = ["类别", "指标编号", "要点"]


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
    ind: pd.DataFrame,
    targets: pd.DataFrame,
    figures: Figures,
    words: Wording,
    context: dict,
    provided_ids=None,
) -> pd.DataFrame:
    """One row per point: 类别 (kind), 指标编号 (the indicator it is about, if one), 要点
    (the sentence as HTML, its numbers marked with their indicators). ``provided_ids``:
    the indicators whose tables were provided (default: all); only those can be named."""
    candidates: dict[str, tuple[str, dict]] = {
        "headline": ("accidents", {}),
        **_target_points(targets, figures),
        "major_accidents": ("major_or_above_accidents", {}),
        "major_hazards": ("major_hazards_open", {}),
    }
    changed = largest_change(ind, ind["id"] if provided_ids is None else provided_ids)
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
