"""Run parameters of a briefing: defaults from data/config/project.yaml, validated up front.

papermill only warns about unknown parameters and its CLI turns ``0042`` into ``42``, so
every entry point (the CLI, the notebook's first cell, the batch runner) validates here,
before any heavy work, and reports problems in Chinese.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from analysis.errors import ParameterError
from analysis.settings import config

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 2000


@dataclass(frozen=True)
class RunParams:
    district: str
    period: str  # "YYYY-MM": the reporting period ends at this month's last day
    unit: str  # "" = the whole district, else a town/street (镇/街道)
    data_dir: Path
    strict: bool
    issue_number: int | None = None
    allow_partial: bool = False  # the analyst allowed a period past the data (ALLOW_PARTIAL=1)
    # (table, last record date "YYYY-MM-DD") of each year-to-date table whose data stop
    # before the period's month: set only for an allowed partial period.
    coverage: tuple[tuple[str, str], ...] = ()
    # month | quarter | half | ytd (年初至今, the default) | year: what the period covers
    kind: str = "ytd"

    @property
    def period_end(self) -> date:
        return _month_end(self.period)

    @property
    def unit_name(self) -> str:
        """The unit a briefing is about: the district, or the town/street."""
        return self.unit or self.district

    @property
    def output_subdir(self) -> Path:
        """outputs/<district>/<period>[-<kind>][/<unit>] (no suffix for ytd, the default)"""
        folder = self.period if self.kind == "ytd" else f"{self.period}-{self.kind}"
        sub = Path(self.district) / folder
        return sub / self.unit if self.unit else sub

    @property
    def notebook(self) -> Path:
        """The notebook that is this briefing's analysis: the 形势分析 genre (monthly.ipynb)
        for a month, quarter or half; briefing.ipynb for year to date and the full year."""
        name = PERIOD_NOTEBOOK if self.kind in PERIOD_GENRE_KINDS else YEAR_NOTEBOOK
        return config.NOTEBOOKS_DIR / name

    @property
    def partial_tables(self) -> frozenset[str]:
        """Tables (schema names) whose figures this period are incomplete."""
        return frozenset(table for table, _ in self.coverage)

    def as_notebook_parameters(self) -> dict:
        d = asdict(self)
        d["data_dir"] = str(self.data_dir)
        d["coverage"] = [list(pair) for pair in self.coverage] or None
        return d


FLAG_TRUE = frozenset({"1", "true", "yes"})
FLAG_FALSE = frozenset({"0", "false", "no"})


def parse_flag(value: bool | str | None, name: str) -> bool | None:
    """A yes/no switch: 1/0/true/false/yes/no in any case; None or "" = not given (None).
    Anything else raises ParameterError, so LENIENT=0 can never mean "on"."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in FLAG_TRUE:
        return True
    if text in FLAG_FALSE:
        return False
    raise ParameterError(f"参数有误：{name}=“{value}”无效，应为 1/0、true/false 或 yes/no")


def _flag(value: bool | str | None, name: str, problems: list[str]) -> bool | None:
    try:
        return parse_flag(value, name)
    except ParameterError:
        problems.append(f"{name} 参数“{value}”无效，应为 true 或 false")
        return None


def _coverage(value: Sequence | None, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """(table, last date) pairs; the table names are checked against the data contract
    where the coverage is worded (``assess.coverage.coverage_note``)."""
    pairs = []
    for item in value or ():
        try:
            table, last = (str(x) for x in item)
            date.fromisoformat(last)
        except (TypeError, ValueError):
            problems.append(f"coverage 参数“{item}”无效，应为（表名，年-月-日）")
            continue
        if not table.isidentifier():
            problems.append(f"coverage 参数中的表“{table}”不存在")
        pairs.append((table, last))
    return tuple(pairs)


def _month_end(period: str) -> date:
    year, month = (int(x) for x in period.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def _text(value, default) -> str:
    if value is None:
        return str(default)
    return str(value).strip()


def resolve_params(
    district: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    data_dir: str | Path | None = None,
    strict: bool | str | None = None,
    issue_number: int | str | None = None,
    allow_partial: bool | str | None = None,
    coverage: Sequence | None = None,
    today: date | None = None,
    kind: str | None = None,
) -> RunParams:
    """Fill defaults from project.yaml and validate; raise ParameterError (Chinese) if invalid."""
    defaults = config.project_settings()
    district = _text(district, defaults["district"])
    districts = config.units()["districts"]
    if district in districts:  # the district's own data folder, period and kind come next
        defaults = {**defaults, **dict(config.district_settings(district).run_defaults)}
    period = _text(period, defaults["period"])
    unit = _text(unit, defaults.get("unit") or "")
    problems: list[str] = []

    if district not in districts:
        known = "、".join(districts)
        problems.append(f"未知的区“{district}”，已配置的区：{known}（见 data/config/units.yaml）")
    elif unit and unit != district and unit not in config.towns_of(district):
        towns = "、".join(config.towns_of(district))
        problems.append(f"“{unit}”不是{district}的镇/街道，可选：{towns}")
    if unit == district:
        unit = ""

    m = _PERIOD_RE.match(period)
    if not m or not 1 <= int(m.group(2)) <= 12:
        problems.append(f"期间“{period}”格式不正确，应为“年-月”，例如 2020-10")
    else:
        today = date.today() if today is None else today
        end = _month_end(period)
        if int(m.group(1)) < EARLIEST_YEAR:
            problems.append(f"期间“{period}”早于 {EARLIEST_YEAR} 年，超出可统计范围")
        elif end > today:
            problems.append(f"期间“{period}”尚未结束（今天是 {today:%Y-%m-%d}），无法出具简报")

    data_path = Path(_text(data_dir, defaults["data_dir"]))
    if not data_path.is_absolute():
        data_path = config.PROJ_ROOT / data_path
    if not data_path.is_dir():
        problems.append(f"数据目录不存在：{data_path}")

    strict_value = _flag(strict, "strict", problems)
    if strict_value is None:  # not given: project.yaml decides; strict if it says nothing
        strict_value = _flag(defaults.get("strict"), "project.yaml 的 strict", problems)
    partial = bool(_flag(allow_partial, "allow_partial", problems))
    pairs = _coverage(coverage, problems)
    if pairs and not partial:
        problems.append("coverage 只能与 allow_partial=True 一起使用")

    # By default the issue number (期号) counts months from the district's first_issue.
    number = None
    if issue_number is not None and str(issue_number).strip() != "":
        if not str(issue_number).strip().isdigit():
            problems.append(f"期号“{issue_number}”无效，应为正整数")
        else:
            number = int(str(issue_number).strip())
    elif m and district in districts:
        number = config.district_settings(district).issue_number(int(m.group(2)))

    kind = _text(kind, "") or defaults.get("kind") or "ytd"
    if m:
        problems += kind_problems(kind, int(m.group(2)))

    if problems:
        raise ParameterError("参数有误：" + "；".join(problems))
    strict_value = True if strict_value is None else strict_value
    return RunParams(district, period, unit, data_path, strict_value, number, partial, pairs, kind)


KINDS = {"month": "本月", "quarter": "季度", "half": "半年", "ytd": "年初至今", "year": "全年"}
# months a period of each kind spans, ending at the period's month (ytd: from January)
KIND_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
PERIOD_GENRE_KINDS = ("month", "quarter", "half")  # briefings of the 形势分析 genre
YEAR_NOTEBOOK, PERIOD_NOTEBOOK = "briefing.ipynb", "monthly.ipynb"
BRIEFING_NOTEBOOKS = (YEAR_NOTEBOOK, PERIOD_NOTEBOOK)  # what a briefing's fingerprint covers


def kind_problems(kind: str, month: int) -> list[str]:
    """Why ``kind`` does not fit a period ending in ``month`` (a quarter ends in 3, 6, 9 or
    12, a half in 6 or 12, a year in 12); [] when it fits."""
    if kind not in KINDS:
        known = "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        return [f"简报类型“{kind}”无效，可用：{known}"]
    span = KIND_MONTHS.get(kind)
    if span and month % span:
        ends = "、".join(f"{m}月" for m in range(span, 13, span))
        return [f"{KINDS[kind]}简报的期间应以{ends}结束，实际为{month}月"]
    return []
