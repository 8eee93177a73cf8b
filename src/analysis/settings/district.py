"""A district's settings: how its briefing words numbers and who issues it
(data/config/defaults.yaml under districts/<district>/district.yaml), every value checked."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from analysis.compare import COMPARISONS
from analysis.errors import ConfigError
from analysis.numbers import ROUNDING_RULES, TextStyle
from analysis.settings import config
from analysis.settings.config import read_on_first_use
from analysis.settings.layout import LAYOUT_KEYS, Layout, checked_layout
from analysis.settings.layout import PARTS as LAYOUT_PARTS
from analysis.settings.text_options import OPTION_KEYS, TextOptions, text_options
from analysis.settings.yaml_files import LineDict, config_fault, line_at, read_yaml

DECIMAL_KEYS = ("同比", "环比")
DISTRIBUTION_KEYS = ("报", "送", "发")
SETTING_KEYS = (
    "rounding",
    "decimals",
    "comparisons",
    "office",
    "first_issue",
    "distribution",
    "signature",
    *OPTION_KEYS,
    "significance_level",
)
# A district's own defaults for a run (district.yaml only; a make variable or CLI option wins;
# without them project.yaml decides): its data folder, latest period and briefing kind.
RUN_KEYS = ("data_dir", "period", "kind")


@dataclass(frozen=True)
class DistrictSettings:
    """How a district's briefing words its numbers and who issues it (defaults.yaml merged
    under districts/<district>/district.yaml)."""

    district: str
    rounding: str  # 四舍五入 / 截尾 / 四舍六入五成双
    change_decimals: int  # 同比 and 比前年
    ring_decimals: int  # 环比
    comparisons: tuple[str, ...]  # shown comparisons, in COMPARISONS order
    office: str  # the issuing office of the header
    first_issue: int  # issue number of January's briefing
    distribution: tuple[tuple[str, str], ...] = field(default=())  # (报/送/发, names)
    signature: str = ""
    significance_level: float = 0.05  # 变化显著 below this p-value (assess.change_marks)
    run_defaults: tuple[tuple[str, str], ...] = field(default=())  # (RUN_KEYS key, value)
    options: TextOptions = field(default=TextOptions())  # small counts, brackets, zeros
    layout: Layout = field(default=Layout())  # 版头, 版记 and the edition split

    def issue_number(self, month: int) -> int:
        return self.first_issue + month - 1

    @property
    def text_style(self):
        """The indicators engine's wording of values and changes for this district."""

        return TextStyle(self.rounding, self.change_decimals, self.ring_decimals)


def district_dir(district: str) -> Path:
    return config.DISTRICTS_DIR / district


def district_file(district: str) -> Path:
    return district_dir(district) / config.DISTRICT_FILE_NAME


def district_year_file(district: str, kind: str, year: int) -> Path:
    """data/config/districts/<district>/<kind>/<year>.yaml (kind: targets / gaps)."""
    return district_dir(district) / kind / f"{int(year)}.yaml"


@read_on_first_use
def district_settings(district: str) -> DistrictSettings:
    """The district's settings: its district.yaml (optional) over defaults.yaml. Every
    value is checked; a bad one raises ConfigError naming the file and the line."""
    defaults = _settings_mapping(
        config.DEFAULTS_FILE, read_yaml(config.DEFAULTS_FILE), SETTING_KEYS + LAYOUT_KEYS
    )
    missing = [k for k in SETTING_KEYS if k not in defaults]
    if missing:
        raise config_fault(config.DEFAULTS_FILE, f"缺少设置：{'、'.join(missing)}")
    path = district_file(district)
    own = (
        _settings_mapping(path, read_yaml(path), SETTING_KEYS + LAYOUT_KEYS + RUN_KEYS)
        if path.is_file()
        else {}
    )
    merged = {k: (own if k in own else defaults)[k] for k in SETTING_KEYS}
    where = {
        k: (path, line_at(own, k)) if k in own else (config.DEFAULTS_FILE, line_at(defaults, k))
        for k in SETTING_KEYS
    }
    settings = _checked_settings(district, merged, where)
    run = []
    for key in RUN_KEYS:
        if key in own:
            if not isinstance(own[key], str) or not own[key].strip():
                reason = f'{key} 应为文字（如 data_dir: data/本区、period: "2024-12"、kind: month）'
                raise config_fault(path, reason, line_at(own, key))
            run.append((key, own[key].strip()))
    return replace(settings, run_defaults=tuple(run), layout=_layout(own, defaults, path))


def _layout(own: dict, defaults: dict, path: Path) -> Layout:
    """The 版头 and edition settings: the district's, else defaults.yaml's, else built in."""
    value = {
        k: (own if k in own else defaults)[k] for k in LAYOUT_KEYS if k in own or k in defaults
    }

    def where(key: str) -> tuple[Path, int | None]:
        if key in own:
            return path, line_at(own, key)
        return config.DEFAULTS_FILE, line_at(defaults, key) if key in defaults else None

    def fault(key: str, reason: str) -> ConfigError:
        file, line = where(key)
        return config_fault(file, f"{key} {reason}", line)

    return checked_layout(value, fault, where)


def _settings_mapping(path: Path, data: Any, allowed: tuple[str, ...]) -> dict:
    if data is None:
        return LineDict()
    if not isinstance(data, dict):
        raise config_fault(path, "应为“名称: 值”的设置（rounding、decimals、office 等）")
    unknown = [k for k in data if k not in allowed]
    if unknown:
        known = "、".join(allowed)
        raise config_fault(
            path, f"未知的设置“{unknown[0]}”（可用：{known}）", line_at(data, unknown[0])
        )
    return data


def _checked_settings(district: str, value: dict, where: dict) -> DistrictSettings:
    def fault(key: str, reason: str) -> ConfigError:
        return config_fault(where[key][0], f"{key} {reason}", where[key][1])

    if value["rounding"] not in ROUNDING_RULES:
        raise fault("rounding", f"应为{'、'.join(ROUNDING_RULES)}之一，实际为“{value['rounding']}”")
    decimals = value["decimals"]
    if not isinstance(decimals, dict) or set(decimals) != set(DECIMAL_KEYS):
        raise fault("decimals", f"应分别给出{'、'.join(DECIMAL_KEYS)}的小数位数")
    for key in DECIMAL_KEYS:
        if not _is_int(decimals[key]) or not 0 <= decimals[key] <= 4:
            raise fault("decimals", f"中{key}的小数位数应为 0 到 4 的整数，实际为“{decimals[key]}”")
    shown = value["comparisons"]
    if not isinstance(shown, list) or any(c not in COMPARISONS for c in shown):
        raise fault(
            "comparisons", f"应为{'、'.join(COMPARISONS)}中的若干项（列表），实际为“{shown}”"
        )
    office = value["office"]
    if not isinstance(office, str) or not office.strip():
        raise fault("office", "应为发文单位名称（可含 {区}）")
    if not _is_int(value["first_issue"]) or value["first_issue"] < 1:
        raise fault("first_issue", f"应为正整数，实际为“{value['first_issue']}”")
    signature = value["signature"] or ""
    if not isinstance(signature, str):
        raise fault("signature", "应为落款文字")
    level = value["significance_level"]
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 0.5:
        raise fault("significance_level", f"应为 0 与 0.5 之间的小数（如 0.05），实际为“{level}”")
    return DistrictSettings(
        district=district,
        rounding=value["rounding"],
        change_decimals=decimals["同比"],
        ring_decimals=decimals["环比"],
        comparisons=tuple(c for c in COMPARISONS if c in shown),
        office=office.strip().replace("{区}", district),
        first_issue=value["first_issue"],
        distribution=_distribution(value["distribution"], fault),
        signature=signature.strip(),
        options=text_options(value, fault),
        significance_level=float(level),
    )


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _distribution(value: Any, fault) -> tuple[tuple[str, str], ...]:
    """报 / 送 / 发 lines in 公文 order; each a unit name or a list of names."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise fault("distribution", "应为“报/送/发: 单位”的映射")
    unknown = [k for k in value if k not in DISTRIBUTION_KEYS]
    if unknown:
        raise fault("distribution", f"含未知项“{'、'.join(map(str, unknown))}”，只能是 报、送、发")
    lines = []
    for key in DISTRIBUTION_KEYS:
        if key not in value:
            continue
        names = value[key]
        if isinstance(names, str) and names.strip():
            lines.append((key, names.strip()))
        elif (
            isinstance(names, list)
            and names
            and all(isinstance(n, str) and n.strip() for n in names)
        ):
            lines.append((key, "，".join(n.strip() for n in names)))
        else:
            raise fault("distribution", f"中{key}应为单位名称或名称列表，实际为“{names}”")
    return tuple(lines)


def check_sections(layout: Layout, known: list[str]) -> None:
    """Refuse an ``editions`` entry that names no section of the briefing (a typo would
    otherwise leave a checking table in what leaders receive)."""

    def names_a_part(entry: str) -> bool:
        section, _, part = entry.rpartition(".")
        return section in known and part in LAYOUT_PARTS

    unknown = [s for s in layout.analyst_sections if s not in known and not names_a_part(s)]
    if unknown:
        path, line = layout.editions_source
        reason = f"editions 中的节“{'、'.join(unknown)}”不存在；可用：{'、'.join(known)}"
        raise config_fault(path, reason, line)
