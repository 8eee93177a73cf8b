"""Chinese text of the briefing, generated from indicator values (never typed in).

The prose itself lives in the Jinja fragments (templates/fragments/*.html.j2); this module
gives them the numbers. Every number a sentence shows comes through ``Figures``, which wraps
it in ``<span class="fig" data-indicator="…">`` so a test can check that each number in the
text equals the one in indicators.csv.
"""

from __future__ import annotations

import math

import pandas as pd
from markupsafe import Markup

from analysis import indicators
from analysis.params import RunParams


def period_label(period: str) -> str:
    """'2020-10' -> '截至2020年10月底'"""
    year, month = period.split("-")
    return f"截至{int(year)}年{int(month)}月底"


def briefing_title(params: RunParams) -> str:
    return f"{params.unit_name}安全生产工作简报（{period_label(params.period)}）"


def area_word(params: RunParams) -> str:
    """全区 / 全镇 / 全街道 — how a bulletin refers to the whole unit."""
    name = params.unit_name
    for suffix in ("街道", "镇", "区"):
        if name.endswith(suffix):
            return f"全{suffix}"
    return "辖区"


class Figures:
    """Access to one unit's indicator values for the templates."""

    def __init__(self, df: pd.DataFrame):
        self._rows = {row["id"]: row for row in df.to_dict("records")}

    def has(self, ind: str) -> bool:
        row = self._rows.get(ind)
        return row is not None and bool(row["applicable"]) and not _missing(row["value"])

    def value(self, ind: str) -> float:
        return float(self._rows[ind]["value"]) if self.has(ind) else math.nan

    def name(self, ind: str) -> str:
        return str(self._rows[ind]["name_zh"])

    def unit(self, ind: str) -> str:
        return str(self._rows[ind]["unit"])

    def text(self, ind: str) -> str:
        """The value as the tables show it, e.g. '9起', '88.5%'."""
        return str(self._rows[ind]["value_text"]) if self.has(ind) else "—"

    def number(self, ind: str) -> str:
        """The value text without its unit, e.g. '9'."""
        text, unit = self.text(ind), self.unit(ind)
        return text[: -len(unit)] if unit and text.endswith(unit) else text

    def change(self, ind: str, kind: str = "yoy") -> str:
        row = self._rows.get(ind)
        text = "" if row is None else row.get(f"{kind}_text")
        return "" if _missing(text) else str(text)

    def fig(self, ind: str) -> Markup:
        """The value for a sentence, marked with its indicator id."""
        return _span(ind, self.text(ind), "value")

    def chg(self, ind: str, kind: str = "yoy") -> Markup:
        return _span(ind, self.change(ind, kind), kind)

    def row(self, ind: str) -> dict:
        return self._rows[ind]

    def ids_in_group(self, group: str) -> list[str]:
        return [i for i, r in self._rows.items() if r["group"] == group and self.has(i)]


def _span(ind: str, text: str, kind: str) -> Markup:
    if not text:
        return Markup("")
    return Markup('<span class="fig" data-indicator="{}" data-kind="{}">{}</span>').format(
        ind, kind, text
    )


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def fmt(value, decimals: int = 0) -> str:
    """A number for a table cell; '—' when missing."""
    if _missing(value):
        return "—"
    return f"{value:,.{decimals}f}"


# ---------------------------------------------------------------- frames for the charts


def monthly_frame(tables, district: str, params: RunParams, ids) -> pd.DataFrame:
    """Each month's own figure this year (to the period) and last year (all 12 months):
    columns metric, month, year, value — the input of plots.cumulative_monthly."""
    end = pd.Timestamp(params.period_end)
    months = [p.strftime("%Y-%m") for p in pd.period_range(f"{end.year - 1}-01", end, freq="M")]
    area = params.unit or district
    panel = indicators.compute_panel(
        tables, district, months, areas=[area] if params.unit else [], ids=list(ids), texts=False
    )
    panel = panel[panel["area"] == area]
    out = pd.DataFrame(
        {
            "id": panel["id"],
            "metric": panel["name_zh"].map(_short_metric),
            "month": panel["as_of"].dt.month,
            "year": panel["as_of"].dt.year,
            "value": panel["month_value"],
        }
    )
    return out.dropna(subset=["value"]).reset_index(drop=True)


def _short_metric(name: str) -> str:
    return {"生产安全事故起数": "事故起数", "生产安全事故死亡人数": "死亡人数"}.get(name, name)


def hazard_chart_frame(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Found vs rectified per town (or industry), from a breakdown's long table."""
    label_col = "town" if "town" in breakdown.columns else "industry"
    parts = breakdown[~breakdown["is_district"]]
    wide = parts.pivot_table(index=label_col, columns="id", values="value", sort=False)
    if not {"hazards_found", "hazards_rectified"} <= set(wide.columns):
        return pd.DataFrame(columns=["label", "found", "rectified"])
    frame = pd.DataFrame(
        {
            "label": wide.index,
            "found": wide["hazards_found"].values,
            "rectified": wide["hazards_rectified"].values,
        }
    )
    return frame[frame["found"] > 0].reset_index(drop=True)


def town_frame(breakdown: pd.DataFrame, ind: str) -> pd.DataFrame:
    rows = breakdown[(breakdown["id"] == ind) & ~breakdown["is_district"]]
    frame = pd.DataFrame({"town": rows["town"], "value": rows["value"]})
    if "prior_value" in rows.columns:
        frame["prior"] = rows["prior_value"]
    return frame.reset_index(drop=True)


def fines_frame(ind: pd.DataFrame) -> pd.DataFrame:
    f = Figures(ind)
    parts = []
    if f.has("pre_accident_fines"):
        parts.append(("事前处罚", f.value("pre_accident_fines")))
    if f.has("accident_fines"):
        parts.append(("事故处罚", f.value("accident_fines")))
    if f.has("fines_all_departments") and f.has("enforcement_fines"):
        others = f.value("fines_all_departments") - f.value("enforcement_fines")
        if others > 0:
            parts.append(("其他部门处罚", round(others, 2)))
    return pd.DataFrame(parts, columns=["kind", "fine_wan"])


def plan_frame(ind: pd.DataFrame, params: RunParams) -> pd.DataFrame:
    """Planned vs inspected enterprises, last year's same period and this year."""
    f = Figures(ind)
    if not (f.has("planned_inspections") and f.has("enforcement_inspected_enterprises")):
        return pd.DataFrame(columns=["label", "planned", "done"])
    planned, done = f.row("planned_inspections"), f.row("enforcement_inspected_enterprises")
    year = params.period_end.year
    rows = []
    if not _missing(planned["prior_value"]) and not _missing(done["prior_value"]):
        rows.append((f"{year - 1}年同期", planned["prior_value"], done["prior_value"]))
    rows.append((f"{year}年", planned["value"], done["value"]))
    return pd.DataFrame(rows, columns=["label", "planned", "done"])


# ---------------------------------------------------------------- gaps and next steps


def group_register(register: pd.DataFrame) -> list[dict]:
    """The gaps register as gap → evidence list → actions, in the report's order."""
    out = []
    for gap_id, rows in register.groupby("gap_id", sort=False):
        first = rows.iloc[0]
        out.append(
            {
                "id": gap_id,
                "seq": first["gap_seq"],
                "title": first["gap_title"],
                "text": first["gap_text"],
                "evidence": [
                    {"text": r["evidence_text"], "status": r["target_status"]}
                    for r in rows.to_dict("records")
                    if not _missing(r["evidence_text"])
                ],
                "actions": first["actions_text"],
            }
        )
    return out
