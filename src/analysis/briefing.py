"""The briefing's table of contents: load → validate → compute → every frame the briefing
shows (``brief.frames``) → write the CSVs. The notebook selects from the frames, shows them
with ``house.table``, draws its charts from them and gets each section's sentences from
``brief.say(section)``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from analysis import __version__, folder, indicators
from analysis.assess import gaps, targets
from analysis.assess.evidence import Evidence, assess_evidence
from analysis.assess.period_reconciliation import reconcile_period
from analysis.assess.provisional import provisional_ids
from analysis.compare import format_number
from analysis.deliver.csv_tables import write_csv
from analysis.deliver.editions import section_metadata
from analysis.indicators.catalogue import load_catalogue
from analysis.indicators.unit_breakdowns import unit_breakdowns
from analysis.inputs import LoadResult
from analysis.inputs.cache import load_tables_cached
from analysis.inputs.fingerprint import code_fingerprint
from analysis.present import evidence_words
from analysis.present import frames as frames_of
from analysis.present.briefing_frames import Frames, changes_worded, genre_frames
from analysis.present.coverage_marks import briefing_marks
from analysis.present.masthead import imprint_html, masthead_html
from analysis.present.period_frames import PeriodParts, prepare_period
from analysis.present.render import render
from analysis.present.titles import area_word, briefing_title, period_label
from analysis.present.wording import Figures, Wording, load_wording
from analysis.settings.district import DistrictSettings, check_sections, district_settings
from analysis.settings.params import PERIOD_GENRE_KINDS, RunParams, resolve_params
from analysis.settings.yaml_files import shown_path

run_params = resolve_params

APPENDIX_PARTS = (
    "by_town",
    "by_industry",
    "reconciliation",
    "evidence",
    "data_quality",
    "provenance",
)
# a 形势分析's appendix (核对 only when the period has published figures; 统计方法说明 of
# its marks only, it has no charts or forecast)
PERIOD_APPENDIX_PARTS = ("reconciliation", "evidence", "data_quality", "provenance")
# the statistics of change: section → what brief.say() reads out (present.evidence_words)
EVIDENCE_SECTIONS = ("control_chart", "funnel", "double_decline", "forecast")
# the numbered chapters (一、二、…) in briefing order; one without content is left out
CHAPTERS = ("overview", "key_work", "targets", "next_steps")
# the chapters of a month's, quarter's or half's 形势分析 (notebooks/monthly.ipynb)
PERIOD_CHAPTERS = ("accidents", "other_disasters", "measures")
# paragraph → the period table it describes (形势分析 only)
PERIOD_PARAGRAPHS = {name: name for name in ("period_accidents", "period_fires", "period_other")}
CHAPTER_NUMBERS = "一二三四五六七八九十"
APPENDIX_HEADING = "附件"  # brief.say("appendix"): the heading of the appended tables
VERDICTS = ("一致", "不一致", "无法重算")
DECLARED_VERDICTS = ("无法同比", "无法环比")  # named in the summary only when there are any


@dataclass
class Briefing:
    """Everything a briefing shows, computed once by ``prepare``."""

    params: RunParams
    settings: DistrictSettings
    loaded: LoadResult
    indicators: pd.DataFrame
    targets: pd.DataFrame
    gap_register: pd.DataFrame
    reconciliation: pd.DataFrame
    by_town: pd.DataFrame
    by_industry: pd.DataFrame
    code_version: str
    words: Wording
    figures: Figures
    sources: dict[str, set[str]]  # id → the input tables the indicator is computed from
    # id → 数据截至… for indicators whose tables stop before an allowed partial period
    coverage_notes: dict[str, str]
    period: PeriodParts | None  # a 形势分析's own figures and tables (None: ytd / year)
    extracted: date | None = None  # the declared extraction date (DATA_AS_OF / MANIFEST.yaml)
    # the tables as shown, made by ``prepare`` from the fields above and the briefing's context
    frames: Frames = field(init=False)

    @cached_property
    def evidence(self) -> Evidence:
        """Control charts, funnel and forecasts (``assess.evidence``), made on first use:
        a 形势分析 shows none of them."""
        p = self.params
        with indicators.shared_engines():
            return assess_evidence(
                self.loaded.tables,
                p.district,
                p.period,
                p.unit or None,
                self.indicators,
                self.targets,
                frames_of.CUMULATIVE_IDS,
            )

    @property
    def title(self) -> str:
        return briefing_title(self.params)

    @property
    def is_district(self) -> bool:
        return not self.params.unit

    @property
    def context(self) -> dict[str, str]:
        """Names a sentence may use besides indicator ids."""
        unit, end = self.params.unit_name, self.params.period_end
        return {
            "期间": period_label(self.params.period, self.params.kind),
            "截至": f"截至{end.month}月{end.day}日",
            "单位": unit,
            "全域": area_word(unit),
            "区": self.params.district,
        }

    def label(self, key: str) -> str:
        """A title or caption from the wording file, e.g. ``brief.label("hazards_chart")``."""
        return self.words.label(key, self.context)

    def header(self) -> HTML:
        """The 版头 (masthead), the issue's title, the synthetic-data banner and the
        lenient-mode rejects notice."""
        html = masthead_html(
            self.params, self.settings, self.loaded.synthetic, self.loaded.n_rejected
        )
        return HTML(html, metadata=section_metadata("header"))

    def say(self, section: str) -> HTML:
        """A section's words from the wording file: a paragraph (overview, outreach, …),
        本期要点 (highlights), the gaps, the next steps, an appendix part or the 版记
        (footer). The output names its section, which decides its edition
        (:mod:`analysis.deliver.editions`)."""
        return HTML(self._said(section), metadata=section_metadata(section))

    def _said(self, section: str) -> str:
        if section in self.words.paragraphs:
            return self._paragraph(section)
        if section == "highlights":
            points = self.frames.highlights["要点"].tolist()
            return render("highlights.html.j2", title=self.label("highlights"), points=points)
        if section in ("gaps", "next_steps"):
            frame = getattr(self.frames, section)
            if frame.empty:
                return ""
            rows = frame.to_dict("records")
            return render(f"{section}.html.j2", rows=rows, labels=self.words.labels)
        if section == "targets":
            if self.frames.targets.empty:
                return ""
            return render("note.html.j2", text=self.label("targets_note"))
        if section in EVIDENCE_SECTIONS:
            return self._evidence_words(section)
        if section in APPENDIX_PARTS:
            return self._appendix(section)
        if section == "vintage":
            return self._vintage()
        if section == "appendix":
            return render("heading.html.j2", text=APPENDIX_HEADING)
        if section == "footer":
            return imprint_html(self.params, self.settings)
        raise KeyError(f"简报没有“{section}”这一段；可用：{', '.join(self.sections())}")

    def _vintage(self) -> str:
        """以上数据截至…，可能因事故迟报、核销等原因有所变动 (only when the extraction
        date is declared)."""
        if self.extracted is None:
            return ""
        day = self.extracted
        text = self._words("vintage", {"提取日期": f"{day.year}年{day.month}月{day.day}日"})
        return render("note.html.j2", text=text)

    def heading(self, chapter: str) -> HTML:
        """A chapter's numbered heading, e.g. ``brief.heading("targets")`` → 三、差距与不足;
        empty when the chapter has nothing to show (chapters after it move up a number)."""
        if chapter not in (*CHAPTERS, *PERIOD_CHAPTERS):
            known = "、".join((*CHAPTERS, *PERIOD_CHAPTERS))
            raise KeyError(f"简报没有“{chapter}”这一章；可用：{known}")
        shown, marker = self.chapters(), section_metadata(chapter)
        if chapter not in shown:
            return HTML("", metadata=marker)
        number = CHAPTER_NUMBERS[shown.index(chapter)]
        text = f"{number}、{self.label(chapter + '_heading')}"
        return HTML(render("heading.html.j2", text=text), metadata=marker)

    def chapters(self) -> list[str]:
        """The chapters this briefing shows: without targets or gaps for the district and
        year, no 差距 chapter; without next steps, no 下一步 chapter."""
        f = self.frames
        if self.period is not None:
            content = {
                "accidents": True,
                "other_disasters": self.period.recorded("period_fires")
                or self.period.recorded("period_other"),
                "measures": not f.next_steps.empty,
            }
            return [c for c in PERIOD_CHAPTERS if content[c]]
        content = {
            "overview": True,
            "key_work": any(
                not getattr(f, name).empty for name in (*frames_of.SECTION_GROUPS, "hazards")
            ),
            "targets": not (f.targets.empty and f.gaps.empty),
            "next_steps": not f.next_steps.empty,
        }
        return [c for c in CHAPTERS if content[c]]

    def _evidence_words(self, section: str) -> str:
        """A statistic's reading (control chart, funnel, 双下降, forecast): not a narrative
        paragraph, its numbers are the charts' and the forecast's, not the indicator table's."""
        names = dict(zip(self.indicators["id"], self.indicators["name_zh"], strict=True))
        text = evidence_words.reading(section, self.evidence, self.words, names)
        return render("reading.html.j2", id=section, text=text) if text else ""

    def known_sections(self) -> list[str]:
        """Every section name an ``editions`` setting may route: chapters and paragraphs."""
        return ["header", *CHAPTERS, *PERIOD_CHAPTERS, *self.sections()]

    def sections(self) -> list[str]:
        fixed = ["highlights", "targets", "gaps", "next_steps", *EVIDENCE_SECTIONS]
        fixed += ["appendix", *APPENDIX_PARTS, "vintage", "footer"]
        return [*self.words.paragraphs, *fixed]

    def _words(self, key: str, extra: dict | None = None):
        sentences = self.words.appendix.get(key, ())
        return self.words.render(sentences, self.figures, self.context | (extra or {}))

    def _paragraph(self, section: str) -> str:
        table = getattr(self.frames, section, None)
        if section in frames_of.SECTION_GROUPS and (table is None or table.empty):
            return ""
        figures = self.figures
        if section in PERIOD_PARAGRAPHS:
            # a kind the district records is said even when its table would be all zeros
            if self.period is None or not self.period.recorded(section):
                return ""
            figures = self.period.figures
        text = self.words.render(self.words.paragraphs[section], figures, self.context)
        if not text:
            return ""
        heading = self.words.labels.get(section, "") if section != "overview" else ""
        return render("paragraph.html.j2", id=section, heading=heading, text=text)

    def _appendix(self, part: str) -> str:
        parts = PERIOD_APPENDIX_PARTS if self.period is not None else APPENDIX_PARTS
        shown = [p for p in parts if p != "by_town" or self.is_district]
        if self.period is not None and self.reconciliation.empty:
            shown.remove("reconciliation")
        if part not in shown:
            return ""
        text = ""
        if part == "reconciliation":
            text = self._reconciliation_words()
        elif part == "data_quality":
            text = self._words("data_quality", self._quality_context())
        elif part == "provenance":
            text = self._provenance_words()
        elif part == "evidence":
            level = format_number(self.settings.significance_level, 3).rstrip("0").rstrip(".")
            text = self._words("evidence", {"显著性水平": level})
            if self.period is None:  # 本期要点, charts and forecast: the ytd genre's
                text += self._words("evidence_charts")
        heading = f"附{shown.index(part) + 1} {self.label(part + '_heading')}"
        return render("appendix.html.j2", id=part, heading=heading, text=text)

    def _reconciliation_words(self):
        recon = self.reconciliation
        if recon.empty or "verdict" not in recon.columns:
            return self._words("no_reconciliation")
        counts = recon["verdict"].value_counts()
        extra = {"核对数": format_number(len(recon))}
        extra |= {v: format_number(int(counts.get(v, 0))) for v in VERDICTS}
        extra |= {
            v: format_number(int(counts[v])) if counts.get(v) else "" for v in DECLARED_VERDICTS
        }
        return self._words("reconciliation", extra)

    def _quality_context(self) -> dict[str, str]:
        return {
            "校验模式": self.label("strict" if self.params.strict else "lenient"),
            "剔除行数": format_number(self.loaded.n_rejected),
            "统计截止": f"{self.params.period_end:%Y-%m-%d}",
            "未读取项数": format_number(len(notices)) if (notices := self.loaded.notices) else "",
        }

    def _provenance_words(self):
        """Parameters and program version: the analyst edition's, never the leaders'."""
        params = "；".join(f"{k} {v}" for k, v in self.provenance_params().items())
        text = self._words("footer", {"参数": params, "程序版本": self.code_version})
        return text + self._words("synthetic") if self.loaded.synthetic else text

    def provenance_params(self) -> dict[str, str]:
        return {
            "区": self.params.district,
            "镇/街道": self.params.unit or self.label("whole_district"),
            "期间": self.params.period,
            "数据目录": shown_path(Path(self.params.data_dir).resolve()),
            "校验模式": self.label("strict" if self.params.strict else "lenient"),
        }

    def summary(self) -> dict:
        """Headline figures and target status, for outputs/index.html."""
        status = self.targets["status"].value_counts() if len(self.targets) else {}
        headline = []
        for i in frames_of.HEADLINE_IDS:
            if not self.figures.has(i):
                continue
            row = self.figures.row(i)
            text, unit = self.figures.text(i), str(row["unit"])
            number = text[: -len(unit)] if unit and text.endswith(unit) else text
            change = self.figures.change(i)
            headline.append(
                {"name": row["name_zh"], "value": number, "unit": unit, "change": change}
            )
        return {
            "title": self.title,
            "synthetic": self.loaded.synthetic,
            "headline": headline,
            "targets": {k: int(status.get(k, 0)) for k in ("达标", "预警", "未达标")},
        }

    def _targets_noted(self) -> pd.DataFrame:
        """The targets; in the year-to-date genre a year-end control number's 说明 is its
        forecast (a 形势分析 shows no targets and computes no forecast)."""
        if self.period is not None:
            return self.targets
        return evidence_words.forecast_notes(self.targets, self.evidence.forecasts, self.words)

    def write_outputs(self, output_dir: Path) -> list[Path]:
        """indicators.csv, gaps.csv, gap_register.csv, reconciliation.csv, breakdowns,
        data_quality.csv, rejects.csv (lenient runs) as UTF-8 with BOM for Excel, and
        summary.json."""
        output_dir.mkdir(parents=True, exist_ok=True)
        frames = {
            folder.INDICATORS_CSV: self.indicators,
            folder.GAPS_CSV: self._targets_noted(),
            folder.GAP_REGISTER_CSV: self.gap_register,
            folder.RECONCILIATION_CSV: self.reconciliation,
            folder.BY_TOWN_CSV: self.by_town,
            folder.BY_INDUSTRY_CSV: self.by_industry,
        }
        written = []
        for name, frame in frames.items():
            written.append(write_csv(indicators.to_display(frame), output_dir / name))
        # the per-file data quality table (headers already Chinese), for the workbook
        quality = output_dir / folder.DATA_QUALITY_CSV
        written.append(write_csv(self.frames.data_quality, quality))
        if len(self.frames.data_notices):
            notices = output_dir / folder.DATA_NOTICES_CSV
            written.append(write_csv(self.frames.data_notices, notices))
        if len(self.loaded.rejects):
            written.append(self.loaded.write_rejects(output_dir / folder.REJECTS_CSV))
        summary = output_dir / folder.SUMMARY
        summary.write_text(
            json.dumps(self.summary(), ensure_ascii=False, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        written.append(summary)
        return written


def code_version() -> str:
    """Package version plus a short hash of the code, config and notebook that made it."""
    return f"{__version__}+{code_fingerprint()[:10]}"


# ---------------------------------------------------------------- the table of contents


def prepare(params: RunParams, output_dir: str | Path | None = None) -> Briefing:
    """Load and validate the data, compute every frame the briefing's genre shows (the
    others on first access), and (when ``output_dir`` is given) write the tables as CSV
    beside the briefing. One indicator engine per grouping answers all its questions."""
    with indicators.shared_engines():
        brief = _computed(params)
        for name in genre_frames(params.kind):  # the genre's tables now, in the engines' scope
            getattr(brief.frames, name)
    check_sections(brief.settings.layout, brief.known_sections())
    if output_dir:
        brief.write_outputs(Path(output_dir))
    return brief


def _computed(params: RunParams) -> Briefing:
    loaded = load_tables_cached(params.data_dir, strict=params.strict)
    tables, district, unit, end = loaded.tables, params.district, params.unit or None, params.period
    settings = district_settings(district)
    style = settings.text_style
    words = load_wording(district=district)
    catalogue = load_catalogue(district=district)
    ind = indicators.compute_indicators(tables, district, end, unit, style=style)
    ind = ind[~ind["id"].isin(indicators.unmarked_ids(tables, district, catalogue))]  # no 口径
    marks, extracted = briefing_marks(loaded, params, settings, list(ind["id"]))
    shown = changes_worded(settings, words, catalogue, marks)
    ind = shown(ind)
    sources = frames_of.indicator_tables(catalogue, list(ind["id"]))
    notes = frames_of.coverage_notes(sources, params.coverage)
    for i in provisional_ids(tables, district, params.period_end, unit, ind):  # 初步
        notes[i] = "，".join(filter(None, (notes.get(i), words.label("provisional"))))
    year = params.period_end.year
    goals = targets.evaluate_targets(
        ind, targets.load_targets(district, year), period_end=end, style=style, catalogue=catalogue
    )
    gap_config = gaps.load_gaps(district, year)  # read once; register and next steps share it
    register = gaps.gaps_register(
        ind, gap_config, targets_df=goals, rule=style.rule, catalogue=catalogue
    )
    by_town, by_industry = map(shown, unit_breakdowns(tables, params, style))
    brief = Briefing(
        params=params,
        settings=settings,
        loaded=loaded,
        indicators=ind,
        targets=goals,
        gap_register=register,
        reconciliation=reconcile_period(tables, params, ind),
        by_town=by_town,
        by_industry=by_industry,
        code_version=code_version(),
        words=words,
        figures=Figures(ind.to_dict("records"), settings.comparisons, notes),
        sources=sources,
        coverage_notes=notes,
        period=prepare_period(tables, params, settings, notes, marks)
        if params.kind in PERIOD_GENRE_KINDS
        else None,
        extracted=extracted,
    )
    series = indicators.monthly_series(tables, district, end, frames_of.CUMULATIVE_IDS, unit)
    brief.frames = Frames(brief, series, gap_config.actions)
    return brief
