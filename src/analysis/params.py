"""Run parameters of a briefing: defaults from data/config/project.yaml, validated up front.

papermill only warns about unknown parameters and its CLI turns ``0042`` into ``42``, so
every entry point (the CLI, the notebook's first cell, the batch runner) validates here,
before any heavy work, and reports problems in Chinese.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from analysis import config
from analysis.errors import ParameterError

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

    @property
    def period_end(self) -> date:
        return _month_end(self.period)

    @property
    def unit_name(self) -> str:
        """The unit a briefing is about: the district, or the town/street."""
        return self.unit or self.district

    @property
    def output_subdir(self) -> Path:
        """outputs/<district>/<period>[/<unit>]"""
        sub = Path(self.district) / self.period
        return sub / self.unit if self.unit else sub

    def as_notebook_parameters(self) -> dict:
        d = asdict(self)
        d["data_dir"] = str(self.data_dir)
        return d


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
    today: date | None = None,
) -> RunParams:
    """Fill defaults from project.yaml and validate; raise ParameterError (Chinese) if invalid."""
    defaults = config.project_settings()
    district = _text(district, defaults["district"])
    period = _text(period, defaults["period"])
    unit = _text(unit, defaults.get("unit") or "")
    problems: list[str] = []

    districts = config.units()["districts"]
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

    strict_value = defaults.get("strict", True) if strict is None else strict
    if isinstance(strict_value, str):
        lowered = strict_value.strip().lower()
        if lowered not in {"true", "false", "1", "0", "yes", "no"}:
            problems.append(f"strict 参数“{strict_value}”无效，应为 true 或 false")
        strict_value = lowered in {"true", "1", "yes"}

    # A monthly briefing: by default the issue number (期号) is the month of the period.
    number = None
    if issue_number is not None and str(issue_number).strip() != "":
        if not str(issue_number).strip().isdigit():
            problems.append(f"期号“{issue_number}”无效，应为正整数")
        else:
            number = int(str(issue_number).strip())
    elif m:
        number = int(m.group(2))

    if problems:
        raise ParameterError("参数有误：" + "；".join(problems))
    return RunParams(district, period, unit, data_path, bool(strict_value), number)
