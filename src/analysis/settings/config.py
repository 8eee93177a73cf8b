"""Paths and project settings: the one place that knows where things live.

Every path is anchored at the project root (never the current directory), so the
package works the same from the Makefile, from JupyterLab and from a test. Every YAML
file of the project is read by ``read_yaml`` here, so every configuration fault ends in
one Chinese message naming the file and the line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import ConfigError
from analysis.numbers import TextStyle
from analysis.settings.layout import LAYOUT_KEYS, Layout, checked_layout
from analysis.settings.layout import PARTS as LAYOUT_PARTS
from analysis.settings.text_options import OPTION_KEYS, TextOptions, text_options

_FIRST_USE: list[Callable] = []


def read_on_first_use(func: Callable) -> Callable:
    """Cache what ``func`` reads (configuration, reference data, wording, templates) on its
    first call, never at import; ``forget_settings`` clears every such cache, so that a
    long-lived process (``make watch``, its kernel) reads the files again."""
    cached = cache(func)
    _FIRST_USE.append(cached)
    return cached


def forget_settings() -> None:
    for cached in _FIRST_USE:
        cached.cache_clear()


PROJ_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DATA_DIR = DATA_DIR / "sample"
# An analyst (or a test) may keep the configuration elsewhere: BRIEFING_CONFIG_DIR.
CONFIG_DIR_FROM_ENV = os.environ.get("BRIEFING_CONFIG_DIR") or ""
CONFIG_DIR = Path(CONFIG_DIR_FROM_ENV or DATA_DIR / "config").resolve()
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
OUTPUTS_DIR = PROJ_ROOT / "outputs"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"

PROJECT_FILE = CONFIG_DIR / "project.yaml"
UNITS_FILE = CONFIG_DIR / "units.yaml"
REFERENCE_FILE = CONFIG_DIR / "reference.yaml"
# shared defaults of every district's settings; districts/<district>/district.yaml overrides
DEFAULTS_FILE = CONFIG_DIR / "defaults.yaml"
DISTRICT_FILE_NAME = "district.yaml"
CATALOGUE_FILE = CONFIG_DIR / "catalogue.yaml"
# per district and year: districts/<district>/targets/<year>.yaml, …/gaps/<year>.yaml
DISTRICTS_DIR = CONFIG_DIR / "districts"
COLUMN_MAP_FILE = CONFIG_DIR / "column_map.yaml"
PUBLISHED_FIGURES_FILE = SAMPLE_DATA_DIR / "published_figures.csv"


class LineDict(dict):
    """A YAML mapping that remembers the line (as an editor shows it) of each key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines and refuses duplicate keys (a later key would
    silently replace an earlier one)."""


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_LineLoader on libyaml when PyYAML has it (~10x faster). Its messages differ in
    wording, so a file it refuses is parsed again by _LineLoader for the message."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            duplicate = key in out
        except TypeError:
            raise _YamlFault(line, "键不能是列表或映射") from None
        if duplicate:
            raise _YamlFault(line, f"键“{key}”重复（第 {out.lines[key]} 行已出现）")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _YamlFault(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


# PyYAML's most common complaints, in the words an analyst can act on.
_YAML_PROBLEMS = {
    "found character '\\t'": "含有制表符（TAB），YAML 只能用空格缩进",
    "mapping values are not allowed": "此处不应出现“名称: 值”，多半是缩进不对或冒号后少了空格",
    "could not find expected ':'": "缺少冒号“:”，或上一行的缩进不对",
    "expected <block end>": "缩进不对齐",
    "did not find expected key": "缩进不对齐",
    "did not find expected '-' indicator": "列表项（“- ”）的缩进不对齐",
    "found unexpected end of stream": "引号或括号没有闭合",
    "found undefined alias": "引用了未定义的锚点（*…）",
    "expected ',' or ']'": "方括号 [ … ] 没有闭合，或其中的项之间缺少逗号",
    "expected ',' or '}'": "花括号 { … } 没有闭合，或其中的项之间缺少逗号",
}


def _yaml_reason(err: yaml.YAMLError) -> str:
    problem = str(getattr(err, "problem", "") or err)
    for marker, zh in _YAML_PROBLEMS.items():
        if marker in problem:
            return zh
    return f"YAML 格式错误（{problem}）"


def shown_path(path: str | Path) -> str:
    """A file's path as the analyst finds it: relative to the project folder when inside it
    (data/config/…), else in full; a plain label (no folder) is shown as given."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        return str(path)


def config_fault(path: str | Path, reason: str, line: int | None = None) -> ConfigError:
    """A ConfigError whose message names the file (and line) the analyst must fix."""
    where = f"配置文件 {shown_path(path)}" + (f" 第 {line} 行" if line else "")
    return ConfigError(f"{where}：{reason}")


def line_at(data: Any, *at: Any) -> int | None:
    """The line of the key or item at data path ``at`` (keys and list positions from the
    top) in data read by ``read_yaml``, else of its nearest ancestor that has one; None for
    data not read from a file.

    >>> doc = parse_yaml("a:\\n  - x\\n  - y: 1\\n", "example.yaml")
    >>> line_at(doc, "a", 1, "y"), line_at(doc, "a", 1, "no_such_key"), line_at({"a": 1}, "a")
    (3, 3, None)
    """
    found = None
    for key in at:
        lines = getattr(data, "lines", None)
        if isinstance(lines, dict) and key in lines:
            found = lines[key]
        elif isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
            found = lines[key]
        else:
            break
        data = data[key]
    return found


class ConfigProblems:
    """The problems found in one configuration file, each with the line of the offending key
    or item; ``raise_any`` reports them all at once as one ConfigError."""

    def __init__(self, path: str | Path, data: Any = None):
        self.path = path
        self.data = data
        self.found: list[tuple[int | None, str]] = []

    def add(self, reason: str, at: tuple = ()) -> None:
        """Record ``reason`` at data path ``at`` (see ``line_at``)."""
        self.found.append((line_at(self.data, *at), reason))

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise config_fault(self.path, self.found[0][1], self.found[0][0])
        if self.found:
            in_file_order = sorted(self.found, key=lambda found: found[0] or 1 << 30)
            items = (f"第 {line} 行：{why}" if line else why for line, why in in_file_order)
            numbered = "\n".join(f"  {k}. {item}" for k, item in enumerate(items, 1))
            head = f"配置文件 {shown_path(self.path)} 有 {len(self.found)} 处问题"
            raise ConfigError(f"{head}：\n{numbered}")


def _read_text(path: Path) -> str:
    if not CONFIG_DIR.is_dir() and path.is_relative_to(CONFIG_DIR):
        check_config_dir()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise config_fault(path, "文件不存在") from None
    except IsADirectoryError:
        raise config_fault(path, "应为文件，实际是文件夹") from None
    except PermissionError:
        raise config_fault(path, "没有读取权限") from None
    except OSError as err:
        raise config_fault(path, f"无法读取（{err.strerror}）") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise config_fault(
            path, "不是 UTF-8 编码（可能以 GBK 保存），请用“UTF-8”编码另存", line
        ) from None


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file (UTF-8, with or without BOM). Mappings and lists come back as
    LineDict/LineList, which remember their lines for validation messages. Any fault
    raises ConfigError naming the file and, for a syntax error, the line."""
    return parse_yaml(_read_text(Path(path)), path)


def parse_yaml(text: str, path: str | Path) -> Any:
    """``read_yaml`` of text already read from ``path`` (named in the messages)."""
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader subclass
    except (_YamlFault, yaml.YAMLError):
        pass
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except _YamlFault as err:
        raise config_fault(path, err.reason, err.line) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise config_fault(path, _yaml_reason(err), line) from None


def check_config_dir() -> None:
    """The configuration folder exists (BRIEFING_CONFIG_DIR may point elsewhere)."""
    if CONFIG_DIR.is_dir():
        return
    origin = "（由环境变量 BRIEFING_CONFIG_DIR 指定）" if CONFIG_DIR_FROM_ENV else ""
    kind = "不是文件夹" if CONFIG_DIR.exists() else "不存在"
    raise ConfigError(f"配置目录 {CONFIG_DIR}{origin}{kind}")


@read_on_first_use
def project_settings() -> dict[str, Any]:
    """Defaults for a run: district, period end, data folder (data/config/project.yaml)."""
    data = read_yaml(PROJECT_FILE)
    if not isinstance(data, dict):
        raise config_fault(PROJECT_FILE, "应为“名称: 值”的设置（district、period、data_dir 等）")
    missing = [k for k in ("district", "period", "data_dir") if data.get(k) in (None, "")]
    if missing:
        raise config_fault(PROJECT_FILE, f"缺少设置：{'、'.join(missing)}")
    return data


@read_on_first_use
def units() -> dict[str, Any]:
    """Districts and their towns/streets (data/config/units.yaml), structure checked."""
    data = read_yaml(UNITS_FILE)
    validate_units(data, UNITS_FILE)
    return data


def validate_units(data: Any, path: Path) -> None:
    """units.yaml is ``districts: {区: {towns: [镇/街道, …]}}``; names are unique text."""
    if data is None:
        raise config_fault(path, "文件为空，应列出各区及其镇/街道（districts: …）")
    districts = data.get("districts") if isinstance(data, dict) else None
    if not isinstance(districts, dict) or not districts:
        line = line_at(data, "districts")
        raise config_fault(path, "顶层应为“districts:”，其下按区列出镇/街道", line)
    seen: dict[str, str] = {}
    for district, spec in districts.items():
        line = line_at(districts, district)
        _check_folder_name(path, district, line)
        towns = spec.get("towns") if isinstance(spec, dict) else None
        if not isinstance(towns, list) or not towns:
            raise config_fault(
                path, f"区“{district}”下应有“towns:”列表（每行“- 镇/街道”），请检查缩进", line
            )
        for i, town in enumerate(towns):
            town_line = line_at(towns, i) or line
            _check_folder_name(path, town, town_line)
            if town in seen:
                reason = f"镇/街道“{town}”重复（已在{seen[town]}下列出）"
                raise config_fault(path, reason, town_line)
            seen[town] = f"区“{district}”"


def _check_folder_name(path: Path, name: Any, line: int | None) -> None:
    """A district or town name becomes a folder of every briefing (settings/names.py)."""
    from analysis.settings.names import name_problem

    problem = name_problem(name)
    if problem:
        raise config_fault(path, f"名称“{name}”{problem}", line)


def _check_name(path: Path, name: Any, line: int | None) -> None:
    from analysis.terminal import has_hidden_characters

    if not isinstance(name, str) or not name.strip():
        raise config_fault(path, f"名称“{name}”应为非空文字（缩进不对也会造成此问题）", line)
    if has_hidden_characters(name):
        raise config_fault(path, f"名称“{name!r}”含有控制字符或文字方向控制符", line)


SEVERITY_MEASURES = ("deaths", "serious_injuries", "direct_loss_wan")


@read_on_first_use
def reference() -> dict[str, Any]:
    """Reference data: industries (行业领域), departments, incident categories and the
    severity rules (data/config/reference.yaml), the lists checked."""
    data = read_yaml(REFERENCE_FILE)
    if not isinstance(data, dict):
        raise config_fault(REFERENCE_FILE, "应为“名称: 列表”的映射")
    for key in ("industries", "departments", "incident_categories"):
        _check_names(data, key)
    _check_severity(data)
    return data


def _check_names(data: dict, key: str) -> None:
    names = data.get(key)
    if not isinstance(names, list) or not names:
        raise config_fault(REFERENCE_FILE, f"缺少“{key}:”列表（每行“- 名称”）", line_at(data, key))
    for i, name in enumerate(names):
        _check_name(REFERENCE_FILE, name, line_at(names, i))
        if names.index(name) != i:
            raise config_fault(REFERENCE_FILE, f"{key} 中“{name}”重复", line_at(names, i))


def _check_severity(data: dict) -> None:
    """severity: classes lowest first; every class but the first gives the lower bounds of
    deaths, serious injuries and direct loss (万元), rising with the class."""
    levels = data.get("severity")
    if not isinstance(levels, list) or len(levels) < 2:
        raise config_fault(
            REFERENCE_FILE, "severity 应列出至少两级事故等级", line_at(data, "severity")
        )
    previous = (0, 0, 0)
    for i, level in enumerate(levels):
        line = line_at(levels, i)
        if not isinstance(level, dict):
            raise config_fault(REFERENCE_FILE, "severity 的每一级应为“name: 等级”及其下限", line)
        _check_name(REFERENCE_FILE, level.get("name"), line)
        bounds = tuple(level.get(m) for m in SEVERITY_MEASURES)
        if i == 0:
            continue
        ok = all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
        if not ok or any(b <= p for b, p in zip(bounds, previous, strict=True)):
            reason = (
                f"事故等级“{level.get('name')}”应给出 {'、'.join(SEVERITY_MEASURES)} 的下限，"
                "且逐级提高"
            )
            raise config_fault(REFERENCE_FILE, reason, line)
        previous = bounds


def severity_levels() -> list[tuple[str, tuple[float, float, float] | None]]:
    """[(class, (deaths, serious injuries, loss 万元) lower bounds or None for the lowest)]."""
    return [
        (lv["name"], None if i == 0 else tuple(float(lv[m]) for m in SEVERITY_MEASURES))
        for i, lv in enumerate(reference()["severity"])
    ]


def towns_of(district: str) -> list[str]:
    """Towns/streets (镇/街道) of a district, in the configured order."""
    return list(units()["districts"][district]["towns"])


# ---------------------------------------------------------------- district settings

ROUNDING_RULES = ("四舍五入", "截尾", "四舍六入五成双")
COMPARISONS = ("同比", "比前年", "环比")
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
    return DISTRICTS_DIR / district


def district_file(district: str) -> Path:
    return district_dir(district) / DISTRICT_FILE_NAME


def district_year_file(district: str, kind: str, year: int) -> Path:
    """data/config/districts/<district>/<kind>/<year>.yaml (kind: targets / gaps)."""
    return district_dir(district) / kind / f"{int(year)}.yaml"


@read_on_first_use
def district_settings(district: str) -> DistrictSettings:
    """The district's settings: its district.yaml (optional) over defaults.yaml. Every
    value is checked; a bad one raises ConfigError naming the file and the line."""
    defaults = _settings_mapping(
        DEFAULTS_FILE, read_yaml(DEFAULTS_FILE), SETTING_KEYS + LAYOUT_KEYS
    )
    missing = [k for k in SETTING_KEYS if k not in defaults]
    if missing:
        raise config_fault(DEFAULTS_FILE, f"缺少设置：{'、'.join(missing)}")
    path = district_file(district)
    own = (
        _settings_mapping(path, read_yaml(path), SETTING_KEYS + LAYOUT_KEYS + RUN_KEYS)
        if path.is_file()
        else {}
    )
    merged = {k: (own if k in own else defaults)[k] for k in SETTING_KEYS}
    where = {
        k: (path, line_at(own, k)) if k in own else (DEFAULTS_FILE, line_at(defaults, k))
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
        return DEFAULTS_FILE, line_at(defaults, key) if key in defaults else None

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
