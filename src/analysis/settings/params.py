"""Run parameters of a briefing: defaults from data/config/project.yaml, validated up front.

papermill only warns about unknown parameters and its CLI turns ``0042`` into ``42``, so
every entry point (the CLI, the notebook's first cell, the batch runner) validates here,
before any heavy work, and reports problems in Chinese.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError
from analysis.settings import config, places
from analysis.settings.config import read_on_first_use
from analysis.settings.district import district_settings
from analysis.settings.yaml_files import config_fault, read_yaml

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
    # the declared date the data were extracted ("YYYY-MM-DD", DATA_AS_OF); "" = not declared
    # here (the data folder's MANIFEST.yaml may declare it, see assess.vintage)
    data_as_of: str = ""
    issued: str = ""  # 印发日期 "YYYY-MM-DD" (ISSUED=); "" = the day of the run (run_date)

    @property
    def issued_date(self) -> date:
        """The 印发日期 the 版头 and 版记 show: ISSUED=, else the day of the run."""
        return date.fromisoformat(self.issued) if self.issued else run_date()

    @property
    def period_end(self) -> date:
        return _month_end(self.period)

    @property
    def unit_name(self) -> str:
        """The unit a briefing is about: the district, or the town/street."""
        return self.unit or self.district

    @property
    def output_parts(self) -> tuple[str, ...]:
        """(district, period[-kind][, unit]): the folder names of this briefing (no kind
        suffix for ytd, the default)."""
        folder = self.period if self.kind == "ytd" else f"{self.period}-{self.kind}"
        return (self.district, folder, self.unit) if self.unit else (self.district, folder)

    @property
    def output_subdir(self) -> Path:
        """<district>/<period>[-<kind>][/<unit>] (relative; see ``folder_in``)"""
        return Path(*self.output_parts)

    def folder_in(self, out_root: str | Path) -> Path:
        """This briefing's folder under ``out_root``, checked to stay inside it."""
        from analysis.settings.names import briefing_folder

        return briefing_folder(out_root, self.output_parts)

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


def run_date() -> date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` (UTC) for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def _issued(value: str | date | None, end: date | None, problems: list[str]) -> str:
    """ISSUED= as "YYYY-MM-DD" ("" = not given); a 简报 is issued after its period ends."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        issued = date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError
    except ValueError:
        problems.append(f"印发日期“{text}”格式不正确，应为“年-月-日”，例如 2020-11-05")
        return ""
    if end is not None and issued <= end:
        problems.append(f"印发日期{text}应在统计期末（{end:%Y-%m-%d}）之后")
    return issued.isoformat()


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


@read_on_first_use
def project_settings() -> dict[str, Any]:
    """Defaults for a run: district, period end, data folder (data/config/project.yaml)."""
    data = read_yaml(config.PROJECT_FILE)
    if not isinstance(data, dict):
        reason = "应为“名称: 值”的设置（district、period、data_dir 等）"
        raise config_fault(config.PROJECT_FILE, reason)
    missing = [k for k in ("district", "period", "data_dir") if data.get(k) in (None, "")]
    if missing:
        raise config_fault(config.PROJECT_FILE, f"缺少设置：{'、'.join(missing)}")
    return data


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
    data_as_of: str | date | None = None,
    issued: str | date | None = None,
) -> RunParams:
    """Fill defaults from project.yaml and validate; raise ParameterError (Chinese) if invalid."""
    defaults = project_settings()
    district = _text(district, defaults["district"])
    districts = places.units()["districts"]
    if district in districts:  # the district's own data folder, period and kind come next
        defaults = {**defaults, **dict(district_settings(district).run_defaults)}
    period = _text(period, defaults["period"])
    problems: list[str] = []
    unit = _unit(district, _text(unit, defaults.get("unit") or ""), districts, problems)
    m = _period_match(period, today, problems)
    data_path = _data_path(_text(data_dir, defaults["data_dir"]), problems)

    strict_value = _flag(strict, "strict", problems)
    if strict_value is None:  # not given: project.yaml decides; strict if it says nothing
        strict_value = _flag(defaults.get("strict"), "project.yaml 的 strict", problems)
    partial = bool(_flag(allow_partial, "allow_partial", problems))
    pairs = _coverage(coverage, problems)
    if pairs and not partial:
        problems.append("coverage 只能与 allow_partial=True 一起使用")
    number = _issue_number(issue_number, m, district in districts and district, problems)

    kind = _text(kind, "") or defaults.get("kind") or "ytd"
    if m:
        problems += kind_problems(kind, int(m.group(2)))
    valid_period = bool(m) and 1 <= int(m.group(2)) <= 12
    issued_text = _issued(issued, _month_end(period) if valid_period else None, problems)

    as_of = _data_as_of(data_as_of, today or date.today(), problems)
    if problems:
        raise ParameterError("参数有误：" + "；".join(problems))
    strict_value = True if strict_value is None else strict_value
    return RunParams(
        district,
        period,
        unit,
        data_path,
        strict_value,
        number,
        partial,
        pairs,
        kind,
        data_as_of=as_of,
        issued=issued_text,
    )


def _unit(district: str, unit: str, districts: dict, problems: list[str]) -> str:
    """The town/street asked for ("" = the whole district), checked against units.yaml."""
    if district not in districts:
        known = "、".join(districts)
        problems.append(f"未知的区“{district}”，已配置的区：{known}（见 data/config/units.yaml）")
    elif unit and unit != district and unit not in places.towns_of(district):
        towns = "、".join(places.towns_of(district))
        problems.append(f"“{unit}”不是{district}的镇/街道，可选：{towns}")
    return "" if unit == district else unit


def _period_match(period: str, today: date | None, problems: list[str]) -> re.Match | None:
    """The "YYYY-MM" match of ``period`` (None if malformed); the period must have ended."""
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
    return m


def _data_path(text: str, problems: list[str]) -> Path:
    """The data folder; a relative one is anchored at the project root."""
    data_path = Path(text)
    if not data_path.is_absolute():
        data_path = config.PROJ_ROOT / data_path
    if not data_path.is_dir():
        problems.append(f"数据目录不存在：{data_path}")
    return data_path


def _issue_number(
    value: int | str | None, m: re.Match | None, district: str | bool, problems: list[str]
) -> int | None:
    """期号 as given; by default the months counted from the district's first_issue."""
    if value is not None and str(value).strip() != "":
        if not str(value).strip().isdigit():
            problems.append(f"期号“{value}”无效，应为正整数")
            return None
        return int(str(value).strip())
    if m and district:
        return district_settings(district).issue_number(int(m.group(2)))
    return None


def _data_as_of(value, today: date, problems: list[str]) -> str:
    """DATA_AS_OF as "YYYY-MM-DD" ("" when not given); not after today."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        problems.append(
            f"数据提取日期 DATA_AS_OF“{text}”格式不正确，应为“年-月-日”，例如 2021-12-05"
        )
        return ""
    if day > today:
        problems.append(f"数据提取日期 DATA_AS_OF“{text}”晚于今天（{today:%Y-%m-%d}）")
    return day.isoformat()


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
