"""The briefing's table of contents: load → validate → compute → write, then one method per
section that the notebook displays. Notebooks call this module and hold no logic."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from analysis import __version__, config, gaps, indicators, narrative, reconcile, schema
from analysis import plots as charts
from analysis.atomic import atomic_path
from analysis.cache import load_tables_cached
from analysis.fingerprint import code_fingerprint, rows_digest
from analysis.io import LoadResult
from analysis.params import RunParams, resolve_params
from analysis.render import render
from analysis.safe_cells import neutralise_frame

run_params = resolve_params

HEADLINE_IDS = ("accidents", "accident_deaths", "fires", "fire_casualties")
OVERVIEW_IDS = (*HEADLINE_IDS, "major_or_above_accidents", "accident_direct_loss")
TOWN_IDS = (
    "accidents",
    "accident_deaths",
    "fires",
    "hazards_found",
    "hazards_rectified",
    "major_hazards_found",
    "hazard_rectification_rate",
    "inspection_visits",
    "enforcement_cases",
    "enforcement_fines",
)
INDUSTRY_IDS = (
    "accidents",
    "fires",
    "hazards_found",
    "hazards_rectified",
    "major_hazards_found",
    "inspection_visits",
)
CUMULATIVE_IDS = ("accidents", "accident_deaths", "fires")
SECTION_GROUPS = ("宣传教育", "专项整治", "执法检查", "本质安全")


@dataclass
class Briefing:
    """Everything a briefing shows, computed once by ``prepare``."""

    params: RunParams
    loaded: LoadResult
    indicators: pd.DataFrame
    targets: pd.DataFrame
    gap_register: pd.DataFrame
    reconciliation: pd.DataFrame
    by_town: pd.DataFrame
    by_industry: pd.DataFrame
    monthly: pd.DataFrame
    code_version: str

    # ------------------------------------------------------------ helpers

    @property
    def title(self) -> str:
        return narrative.briefing_title(self.params)

    @property
    def figures(self) -> narrative.Figures:
        return narrative.Figures(self.indicators)

    def _render(self, template: str, **extra) -> HTML:
        return HTML(render(template, b=self, f=self.figures, n=narrative, **extra))

    def _chart(self, fig, alt: str) -> HTML:
        return HTML(charts.figure_html(fig, alt))

    # ------------------------------------------------------------ sections

    def header(self) -> HTML:
        """Title, issue line, synthetic-data banner and lenient-mode rejects notice."""
        return self._render("header.html.j2")

    def overview(self) -> HTML:
        """一、总体情况: the headline paragraph and its table."""
        return self._render("overview.html.j2", ids=OVERVIEW_IDS)

    def cumulative_chart(self) -> HTML:
        df = self.monthly[self.monthly["id"].isin(CUMULATIVE_IDS)]
        fig = charts.cumulative_monthly(
            df,
            year=self.params.period_end.year,
            through_month=self.params.period_end.month,
            title=f"{self.params.unit_name}事故、死亡、火灾逐月累计（今年与去年同期）",
        )
        return self._chart(fig, "逐月累计事故起数、死亡人数和火灾起数，今年与去年对比")

    def key_work(self) -> HTML:
        """二、重点工作: one paragraph and one table per group of the catalogue."""
        return self._render("key_work.html.j2", groups=SECTION_GROUPS)

    def hazards_chart(self) -> HTML:
        ind = self.by_town if self.is_district else self.by_industry
        return self._chart(
            charts.hazards_found_vs_rectified(
                narrative.hazard_chart_frame(ind), title="隐患排查与整改情况"
            ),
            "各镇（街道）或行业隐患发现数与已整改数",
        )

    def enforcement_chart(self) -> HTML:
        fig = charts.fines_by_kind(narrative.fines_frame(self.indicators), title="处罚金额构成")
        return self._chart(fig, "事前、事故处罚金额及其他部门处罚金额")

    def inspections_chart(self) -> HTML:
        fig = charts.inspections_planned_vs_done(
            narrative.plan_frame(self.indicators, self.params), title="年度执法计划与实际检查"
        )
        return self._chart(fig, "年度执法计划检查企业数与实际检查企业数，今年与去年")

    def gaps(self) -> HTML:
        """三、差距与不足: targets with status and gaps in natural units; the qualitative gaps."""
        return self._render("gaps.html.j2", registers=narrative.group_register(self.gap_register))

    def next_steps(self) -> HTML:
        """四、下一步建议: the next steps, each tied to the gaps it answers."""
        return self._render("next_steps.html.j2", steps=narrative.next_steps(self.gap_register))

    def town_chart(self) -> HTML:
        if not self.is_district:
            return HTML("")
        df = narrative.town_frame(self.by_town, "accidents")
        fig = charts.by_town(df, title="各镇（街道）生产安全事故起数", unit="起")
        return self._chart(fig, "各镇（街道）生产安全事故起数，本期与去年同期")

    def appendix(self) -> HTML:
        """附: breakdowns, reconciliation, data quality, provenance."""
        return self._render("appendix.html.j2")

    # ------------------------------------------------------------ facts for templates

    @property
    def is_district(self) -> bool:
        return not self.params.unit

    def unit_rows(self, table: str) -> pd.DataFrame:
        """A table's rows this briefing is about: all of them for the district, the town's own
        for a town/street briefing (tables without a town column are shared)."""
        frame = self.loaded.tables[table]
        if self.params.unit and "town" in frame.columns:
            return frame[frame["town"] == self.params.unit]
        return frame

    def data_quality(self) -> list[dict]:
        """Per input file: rows used (a town's own rows in a town briefing), rows rejected,
        encoding, and the dates the records span. A town briefing shows nothing that depends
        on other towns' rows, so the batch need not rebuild it when only they change."""
        out = []
        for fi in self.loaded.files:
            table = schema.TABLES[fi.table]
            frame = self.unit_rows(fi.table)
            span = ""
            if table.date_column and len(frame):
                dates = frame[table.date_column].dropna()
                if len(dates):
                    span = f"{dates.min():%Y-%m-%d} 至 {dates.max():%Y-%m-%d}"
            out.append(
                {
                    "name": fi.name,
                    "table": table.zh,
                    "rows": len(frame) if self.params.unit else fi.rows_read,
                    "rejected": fi.rows_rejected,
                    "encoding": fi.encoding or "xlsx",
                    "span": span,
                }
            )
        return out

    def provenance(self) -> dict:
        """Input fingerprints (the files' SHA-256 for the district; for a town, a SHA-256 of
        its own rows of each table), code version and parameters."""
        if self.params.unit:
            files = [
                (f.name, rows_digest(self.unit_rows(f.table)).hex()) for f in self.loaded.files
            ]
        else:
            files = [(f.name, f.sha256) for f in self.loaded.files]
        return {
            "files": files,
            "version": __version__,
            "code": self.code_version,
            "params": {
                "区": self.params.district,
                "镇/街道": self.params.unit or "（全区）",
                "期间": self.params.period,
                "数据目录": _display_path(self.params.data_dir),
                "校验模式": "严格" if self.params.strict else "宽松（剔除无效行）",
            },
        }

    def summary(self) -> dict:
        """Headline figures and target status, for outputs/index.html."""
        fig = self.figures
        status = self.targets["status"].value_counts() if len(self.targets) else {}
        return {
            "title": self.title,
            "synthetic": self.loaded.synthetic,
            "headline": [
                {
                    "name": fig.name(i),
                    "value": fig.number(i),
                    "unit": fig.unit(i),
                    "change": fig.change(i),
                }
                for i in HEADLINE_IDS
                if fig.has(i)
            ],
            "targets": {k: int(status.get(k, 0)) for k in ("达标", "预警", "未达标")},
        }

    # ------------------------------------------------------------ files

    def write_outputs(self, output_dir: Path) -> list[Path]:
        """indicators.csv, gaps.csv, gap_register.csv, reconciliation.csv, breakdowns,
        rejects.csv (lenient runs) as UTF-8 with BOM for Excel, and summary.json."""
        output_dir.mkdir(parents=True, exist_ok=True)
        frames = {
            "indicators.csv": self.indicators,
            "gaps.csv": self.targets,
            "gap_register.csv": self.gap_register,
            "reconciliation.csv": self.reconciliation,
            "by_town.csv": self.by_town,
            "by_industry.csv": self.by_industry,
        }
        written = []
        for name, frame in frames.items():
            written.append(_write_csv(indicators.to_display(frame), output_dir / name))
        if len(self.loaded.rejects):
            written.append(self.loaded.write_rejects(output_dir / "rejects.csv"))
        summary = output_dir / "summary.json"
        summary.write_text(
            json.dumps(self.summary(), ensure_ascii=False, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        written.append(summary)
        return written


def _display_path(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(config.PROJ_ROOT).as_posix()
    except ValueError:
        return str(path)


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    """CSV with a UTF-8 BOM so that Excel opens the Chinese text correctly."""
    with atomic_path(path) as tmp:
        neutralise_frame(df).to_csv(
            tmp, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.6g"
        )
    return path


def code_version() -> str:
    """Package version plus a short hash of the code, config and notebook that made it."""
    return f"{__version__}+{code_fingerprint()[:10]}"


def prepare(params: RunParams, output_dir: str | Path | None = None) -> Briefing:
    """Load and validate the data, compute every table the briefing shows, and (when
    ``output_dir`` is given) write them as CSV beside the briefing."""
    loaded = load_tables_cached(params.data_dir, strict=params.strict)
    tables = loaded.tables
    district, unit, end = params.district, params.unit or None, params.period
    ind = indicators.compute_indicators(tables, district, end, unit)
    targets = gaps.evaluate_targets(ind, period_end=end)
    register = gaps.gaps_register(ind, targets_df=targets)
    by_town = indicators.breakdown(tables, district, end, by="town", ids=list(TOWN_IDS))
    by_industry = indicators.breakdown(tables, district, end, by="industry", ids=list(INDUSTRY_IDS))
    if unit:
        by_industry = _industry_for_town(tables, district, end, unit)
    monthly = narrative.monthly_frame(tables, district, params, CUMULATIVE_IDS)
    recon = _reconciliation(tables, params, ind)
    briefing = Briefing(
        params=params,
        loaded=loaded,
        indicators=ind,
        targets=targets,
        gap_register=register,
        reconciliation=recon,
        by_town=by_town,
        by_industry=by_industry,
        monthly=monthly,
        code_version=code_version(),
    )
    if output_dir:
        briefing.write_outputs(Path(output_dir))
    return briefing


def _industry_for_town(tables, district, end, unit) -> pd.DataFrame:
    """Industry breakdown restricted to one town's rows."""
    local = {
        name: (df[df["town"] == unit] if "town" in df.columns else df)
        for name, df in tables.items()
    }
    out = indicators.breakdown(local, district, end, by="industry", ids=list(INDUSTRY_IDS))
    return out.replace({"industry": {district: unit}})


def _reconciliation(tables, params: RunParams, ind: pd.DataFrame) -> pd.DataFrame:
    """Published figures of this district whose as-of date falls in the period's month."""
    published = tables.get("published_figures")
    if params.unit or published is None or published.empty:
        return pd.DataFrame(columns=["figure_id"])
    as_of = pd.to_datetime(published["as_of"])
    in_month = as_of.dt.to_period("M") == pd.Period(params.period, freq="M")
    mine = published[in_month & (published["district"] == params.district)]
    if mine.empty:
        return pd.DataFrame(columns=["figure_id"])
    return reconcile.reconcile(tables, mine, district=params.district, computed=ind)
