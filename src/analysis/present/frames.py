"""Every table the briefing shows, computed once, as plain DataFrames with Chinese columns.

The notebook selects from these frames with pandas, shows them with ``house.table`` and
draws its charts from them; nothing downstream recomputes an indicator or re-reads the
configuration. Numbers in display columns are text made by ``compare.format_value`` /
``compare.format_number`` under the district's rounding rule (the engine's texts follow the
same rule), so every column of a row follows one rounding rule; chart frames keep numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.compare import format_value
from analysis.inputs import schema
from analysis.inputs.results import coverage_of
from analysis.present.punctuation import chinese_punctuation
from analysis.present.wording import Wording

HEADLINE_IDS = ("accidents", "accident_deaths", "fires", "fire_casualties")
OVERVIEW_IDS = (*HEADLINE_IDS, "major_or_above_accidents", "accident_direct_loss")
CUMULATIVE_IDS = ("accidents", "accident_deaths", "fires")
# key-work sections of 二、: frame name -> catalogue group
SECTION_GROUPS = {
    "outreach": "宣传教育",
    "campaigns": "专项整治",
    "enforcement": "执法检查",
    "intrinsic": "本质安全",
}
# the input tables each section's rows come from: a section none of whose tables was
# provided is left out (no heading, no empty table), whatever its figures would say
SECTION_TABLES = {
    "overview": ("incidents",),
    "monthly": ("incidents",),
    "outreach": ("outreach", "enterprises", "media"),
    "campaigns": ("inspections", "hazards", "cases", "campaign_progress"),
    "enforcement": ("enforcement_plan", "inspections", "cases"),
    "intrinsic": ("enterprises", "campaign_progress"),
    "hazards": ("hazards",),
    "inspections": ("enforcement_plan", "inspections"),
    "fines": ("cases",),
    "town_accidents": ("incidents",),
}
NOT_PROVIDED = "未提供"
NOTE_COLUMN = "备注"
SHORT_METRIC = {"生产安全事故起数": "事故起数", "生产安全事故死亡人数": "死亡人数"}

INDICATOR_COLUMNS = ["指标", "本期（累计）", "本月", "上年同期"]
# comparison → (column, text column of the indicator frame), in the order tables show them
COMPARISON_COLUMNS = {
    "同比": ("同比", "yoy_text"),
    "比前年": ("比前年同期", "yoy2_text"),
    "环比": ("环比（本月）", "mom_text"),
}
TARGET_COLUMNS = ["目标", "要求", "实际", "状态", "差距", "说明"]
TOTAL_LABEL = "合计"


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and pd.isna(value))


def _change(text) -> str:
    return "—" if _missing(text) else str(text)


def indicator_table(
    ind: pd.DataFrame,
    ids: Sequence[str],
    rule: str | None = None,
    comparisons: Sequence[str] = ("同比", "环比"),
    notes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per indicator (index 指标编号) with every number rounded under ``rule`` to
    its decimals, and one column per shown comparison (同比, 比前年同期, 环比（本月）).
    ``notes`` (id → text, e.g. 数据截至… of a partial period) adds a 备注 column when one
    of the rows has a note."""
    shown_changes = [COMPARISON_COLUMNS[c] for c in COMPARISON_COLUMNS if c in comparisons]
    rows = ind.set_index("id")
    shown = [
        i
        for i in ids
        if i in rows.index and rows.at[i, "applicable"] and not _missing(rows.at[i, "value"])
    ]
    records = []
    for i in shown:
        r = rows.loc[i]
        decimals = int(r["decimals"])
        records.append(
            [
                r["name_zh"],
                format_value(r["value"], r["unit"], decimals, rule=rule),
                format_value(r["month_value"], r["unit"], decimals, rule=rule),
                format_value(r["prior_value"], r["unit"], decimals, rule=rule),
                *(_change(r[text]) for _, text in shown_changes),
            ]
        )
    columns = [*INDICATOR_COLUMNS, *(column for column, _ in shown_changes)]
    frame = pd.DataFrame(records, columns=columns, index=pd.Index(shown, name="指标编号"))
    notes = notes or {}
    if any(i in notes for i in shown):
        frame[NOTE_COLUMN] = [notes.get(i, "") for i in shown]
    return without_empty_columns(frame)


# what a cell says when its row has no figure for the column
NO_DATA_TEXTS = frozenset({"—", "", "上年同期无数据", "上月无数据", "前年同期无数据"})


def without_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns that have no figure in any row (every cell a dash or
    “…无数据”): a column of dashes says nothing. The first column always stays.

    >>> without_empty_columns(pd.DataFrame({"指标": ["a"], "本期": ["9起"], "上年同期": ["—"]}))
      指标  本期
    0  a  9起
    """
    if frame.empty:
        return frame
    empty = [
        c for c in frame.columns[1:] if frame[c].astype(str).str.strip().isin(NO_DATA_TEXTS).all()
    ]
    return frame.drop(columns=empty)


def group_ids(ind: pd.DataFrame, group: str) -> list[str]:
    return list(ind.loc[ind["group"] == group, "id"])


def provided_only(frames: dict[str, pd.DataFrame], provided: set[str]) -> dict:
    """``frames`` with every section whose tables (SECTION_TABLES) were all absent emptied."""
    return {
        name: frame.iloc[0:0]
        if name in SECTION_TABLES and not set(SECTION_TABLES[name]) & provided
        else frame
        for name, frame in frames.items()
    }


def indicator_tables(catalogue, ids: Sequence[str]) -> dict[str, set[str]]:
    """The input tables each indicator is computed from (through its ratio/difference inputs)."""

    def tables(i: str) -> set[str]:
        ind = catalogue[i]
        own = {ind.table} if ind.table else set()
        return own.union(*(tables(x) for x in ind.inputs))

    return {i: tables(i) for i in ids}


def coverage_notes(sources: Mapping[str, set[str]], coverage: Sequence[tuple[str, str]]):
    """id → "数据截至X年X月X日" for every indicator computed from a table whose data stop
    before the period (an allowed partial period's ``RunParams.coverage``)."""
    last = dict(coverage)
    notes = {}
    for i, tables in sources.items():
        ends = sorted(last[t] for t in tables if t in last)
        if ends:
            year, month, day = (int(x) for x in ends[0].split("-"))
            notes[i] = f"数据截至{year}年{month}月{day}日"
    return notes


# ---------------------------------------------------------------- chart frames


def monthly_frame(series: pd.DataFrame, year: int, words: Wording) -> pd.DataFrame:
    """Each month's figure and its running total, this year to the period's month and last
    year for all twelve months (``indicators.monthly_series``): columns 指标, 年份, 月, 本月,
    累计 (the engine's year-to-date value at the month's end)."""
    frame = pd.DataFrame(
        {
            "指标": series["name_zh"].map(lambda n: SHORT_METRIC.get(n, n)),
            "年份": series["year"],
            "月": series["month"].astype(int),
            "本月": series["month_value"],
            "累计": series["value"],
        }
    ).reset_index(drop=True)
    labels = {year - 1: words.label("last_year", {"上年": year - 1})}
    labels[year] = words.label("this_year", {"本年": year})
    frame["年份"] = frame["年份"].map(labels)
    return frame


def hazards_frame(breakdown: pd.DataFrame, label: str, words: Wording) -> pd.DataFrame:
    """Hazards found and rectified per town (or industry): columns <label>, 类别, 数量, 整改率."""
    col = "town" if "town" in breakdown.columns else "industry"
    parts = breakdown[~breakdown["is_district"]]
    wide = parts.pivot_table(index=col, columns="id", values="value", sort=False)
    if not {"hazards_found", "hazards_rectified"} <= set(wide.columns):
        return pd.DataFrame(columns=[label, "类别", "数量"])
    wide = wide[wide["hazards_found"] > 0]
    found = pd.DataFrame(
        {label: wide.index, "类别": words.label("found"), "数量": wide["hazards_found"].values}
    )
    done = pd.DataFrame(
        {
            label: wide.index,
            "类别": words.label("rectified"),
            "数量": wide["hazards_rectified"].values,
        }
    )
    return pd.concat([found, done], ignore_index=True)


def inspections_frame(ind: pd.DataFrame, year: int, words: Wording) -> pd.DataFrame:
    """Planned vs inspected enterprises, last year's same period and this year: columns
    期间, 类别, 企业数."""
    rows = ind.set_index("id")
    ids = ("planned_inspections", "enforcement_inspected_enterprises")
    if not all(i in rows.index and rows.at[i, "applicable"] for i in ids):
        return pd.DataFrame(columns=["期间", "类别", "企业数"])
    kinds = (words.label("planned"), words.label("done"))
    out = []
    prior = words.label("last_year_same_period", {"上年": year - 1})
    for period, column in (
        (prior, "prior_value"),
        (words.label("this_year", {"本年": year}), "value"),
    ):
        values = [rows.at[i, column] for i in ids]
        if not any(_missing(v) for v in values):
            out += [(period, k, float(v)) for k, v in zip(kinds, values, strict=True)]
    return pd.DataFrame(out, columns=["期间", "类别", "企业数"])


def fines_frame(ind: pd.DataFrame, words: Wording) -> pd.DataFrame:
    """Fines by kind of case in 万元: columns 类别, 金额（万元）."""
    rows = ind.set_index("id")

    def value(i: str) -> float | None:
        ok = i in rows.index and rows.at[i, "applicable"] and not _missing(rows.at[i, "value"])
        return float(rows.at[i, "value"]) if ok else None

    parts = [
        (words.label(k), value(k))
        for k in ("pre_accident_fines", "accident_fines")
        if value(k) is not None
    ]
    total, own = value("fines_all_departments"), value("enforcement_fines")
    if total is not None and own is not None and total - own > 0:
        parts.append((words.label("other_fines"), round(total - own, 2)))
    return pd.DataFrame(parts, columns=["类别", "金额（万元）"])


def town_accidents_frame(by_town: pd.DataFrame, words: Wording) -> pd.DataFrame:
    """Accidents per town, last year's and this period (the reference first, as in every
    chart): columns 镇（街道）, 期间, 事故起数."""
    rows = by_town[(by_town["id"] == "accidents") & ~by_town["is_district"]]
    current = pd.DataFrame(
        {"镇（街道）": rows["town"], "期间": words.label("current"), "事故起数": rows["value"]}
    )
    prior = pd.DataFrame(
        {"镇（街道）": rows["town"], "期间": words.label("prior"), "事故起数": rows["prior_value"]}
    )
    return pd.concat([prior, current], ignore_index=True)


# ---------------------------------------------------------------- targets, gaps, next steps


def targets_frame(targets: pd.DataFrame) -> pd.DataFrame:
    """Targets by severity: 目标, 要求, 实际, 状态, 差距, 说明 (index 目标编号)."""
    frame = pd.DataFrame(
        {
            "目标": targets["name"],
            "要求": targets["target_text"],
            "实际": targets["actual_text"],
            "状态": targets["status"],
            "差距": targets["gap_text"],
            "说明": targets["status_note"],
        }
    )
    frame.index = pd.Index(targets["target_id"], name="目标编号")
    return frame.fillna("")


def gaps_frame(register: pd.DataFrame) -> pd.DataFrame:
    """The gaps register as one row per gap: 序号, 差距, 说明, 数据佐证, 对应举措."""
    out = []
    for gap_id, rows in register.groupby("gap_id", sort=False):
        first = rows.iloc[0]
        evidence = [
            f"{r['evidence_text']}（{r['target_status']}）"
            if r["target_status"]
            else r["evidence_text"]
            for r in rows.to_dict("records")
            if not _missing(r["evidence_text"])
        ]
        out.append(
            {
                "差距编号": gap_id,
                "序号": first["gap_seq"],
                "差距": chinese_punctuation(first["gap_title"]),
                "说明": chinese_punctuation(first["gap_text"]),
                "数据佐证": "；".join(evidence),
                "对应举措": chinese_punctuation(first["actions_text"]),
            }
        )
    columns = ["差距编号", "序号", "差距", "说明", "数据佐证", "对应举措"]
    return pd.DataFrame(out, columns=columns).set_index("差距编号")


def next_steps_frame(register: pd.DataFrame, actions) -> pd.DataFrame:
    """Each next step (``actions`` of the gaps configuration prepare read once) with the gaps
    of the register it answers: 序号, 举措, 说明, 针对差距."""
    answered: dict[str, list[str]] = {}
    for _, rows in register.groupby("gap_id", sort=False):
        first = rows.iloc[0]
        for action_id in str(first["action_ids"]).split(","):
            answered.setdefault(action_id, []).append(f"{first['gap_seq']}是{first['gap_title']}")
    frame = pd.DataFrame(
        [
            (
                a.id,
                a.seq,
                chinese_punctuation(a.title),
                chinese_punctuation(a.text),
                "；".join(answered.get(a.id, [])),
            )
            for a in actions
        ],
        columns=["举措编号", "序号", "举措", "说明", "针对差距"],
    )
    return frame.set_index("举措编号")


# ---------------------------------------------------------------- appendix


def breakdown_table(df: pd.DataFrame, label_col: str, label: str) -> pd.DataFrame:
    """A breakdown as one row per town (or industry) and one column per indicator, the
    whole unit's row last, labelled 合计."""
    if df.empty:
        return pd.DataFrame(columns=[label])
    names = dict(zip(df["id"], df["name_zh"], strict=False))
    labels = df[label_col].where(~df["is_district"], TOTAL_LABEL)
    wide = df.assign(_label=labels).pivot_table(
        index="_label", columns="id", values="value_text", aggfunc="first", sort=False
    )
    wide = wide.reindex(columns=list(dict.fromkeys(df["id"]))).fillna("—")
    order = [x for x in wide.index if x != TOTAL_LABEL] + [TOTAL_LABEL]
    wide = wide.reindex([x for x in order if x in wide.index])
    wide.columns = [names[i] for i in wide.columns]
    return wide.rename_axis(label).reset_index()


def reconciliation_frame(recon: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "sentence": "原文",
        "published_text": "发布值",
        "recomputed_text": "重算值",
        "verdict": "结论",
        "note": "说明",
    }
    if recon.empty:
        return pd.DataFrame(columns=list(columns.values()))
    return recon[list(columns)].rename(columns=columns).fillna("")


def data_quality_frame(loaded, unit_rows, unit: str) -> pd.DataFrame:
    """Per table of the data contract: its file, rows used (a town's own rows in a town
    briefing), rows rejected, the dates its records span (the table's coverage) and the
    encoding; a table without a file is listed as 未提供. A town briefing shows nothing that
    depends on other towns' rows, so the batch need not rebuild it when only they change."""
    rows_column = "本镇（街道）行数" if unit else "读取行数"
    out = []
    for fi in loaded.files:
        name, table = fi.table, schema.TABLES[fi.table]
        frame = unit_rows(name)
        first, last = (None, None)
        if table.date_column:
            first, last = coverage_of(frame, table.date_column) if unit else loaded.coverage[name]
        span = f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}" if first else ""
        used = len(frame) if unit else fi.rows_read
        out.append([fi.name, table.zh, used, fi.rows_rejected, span, fi.encoding or "xlsx"])
    provided = {fi.table for fi in loaded.files}
    for name, table in schema.TABLES.items():
        if name not in provided:
            out.append([NOT_PROVIDED, table.zh, "—", "—", NOT_PROVIDED, "—"])
    columns = ["文件", "内容", rows_column, "剔除行数", "记录日期范围", "编码"]
    return pd.DataFrame(out, columns=columns)


NOTICE_COLUMNS = ["文件", "工作表", "位置", "说明"]


def data_notices_frame(notices) -> pd.DataFrame:
    """The loader's notices (``LoadResult.notices``), one row each: entries of the data
    folder and sheets of a workbook that were not read, and values worth a look, with why
    and what to do. Empty (nothing shown) when there are none."""
    rows = []
    for notice in notices:
        where = [f"第 {notice.row} 行"] if notice.row is not None else []
        where += [f"列“{notice.column}”"] if notice.column else []
        where += [f"值“{notice.value}”"] if notice.value is not None else []
        place = "，".join(where) or "—"
        rows.append([notice.file, notice.sheet or "—", place, notice.reason])
    return pd.DataFrame(rows, columns=NOTICE_COLUMNS)


def provenance_frame(files: Sequence[tuple[str, str]], unit: str) -> pd.DataFrame:
    header = "本镇（街道）记录的 SHA-256" if unit else "SHA-256"
    return pd.DataFrame(
        [(name, f"{sha[:16]}…") for name, sha in files], columns=["输入文件", header]
    )
