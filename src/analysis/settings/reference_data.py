"""Reference data (data/config/reference.yaml): industries (行业领域), departments, incident
categories and the severity classes of accidents; and each district's additions to the
lists of industries and incident categories (data/config/districts/<区>/reference.yaml).

Everything is read on first use, never at import: the data contract names a list
(``Column.vocabulary``) and validation asks ``names(list, district)`` for the rows of each
district, so what one district adds is never accepted for, or shown in, another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.settings import config
from analysis.settings.config import read_on_first_use
from analysis.settings.names import name_problem
from analysis.settings.yaml_files import config_fault, line_at, read_yaml
from analysis.terminal import has_hidden_characters

# The lists of names in reference.yaml a column of the data contract may take its values from.
NAME_LISTS = ("industries", "departments", "incident_categories")
# The lists a district may add to in its own reference.yaml.
DISTRICT_LISTS = ("industries", "incident_categories")
LIST_ZH = {
    "industries": "行业领域",
    "departments": "检查/执法部门",
    "incident_categories": "事故类别",
}
DISTRICT_REFERENCE_FILE_NAME = "reference.yaml"


def _check_name(path: Path, name: Any, line: int | None) -> None:
    if not isinstance(name, str) or not name.strip():
        raise config_fault(path, f"名称“{name}”应为非空文字（缩进不对也会造成此问题）", line)
    if has_hidden_characters(name):
        raise config_fault(path, f"名称“{name!r}”含有控制字符或文字方向控制符", line)


SEVERITY_MEASURES = ("deaths", "serious_injuries", "direct_loss_wan")


@read_on_first_use
def reference() -> dict[str, Any]:
    """Reference data: industries (行业领域), departments, incident categories and the
    severity rules (data/config/reference.yaml), the lists checked."""
    data = read_yaml(config.REFERENCE_FILE)
    if not isinstance(data, dict):
        raise config_fault(config.REFERENCE_FILE, "应为“名称: 列表”的映射")
    for key in NAME_LISTS:
        _check_names(data, key)
    _check_severity(data)
    return data


def _check_names(data: dict, key: str) -> None:
    names = data.get(key)
    if not isinstance(names, list) or not names:
        raise config_fault(
            config.REFERENCE_FILE, f"缺少“{key}:”列表（每行“- 名称”）", line_at(data, key)
        )
    for i, name in enumerate(names):
        _check_name(config.REFERENCE_FILE, name, line_at(names, i))
        if names.index(name) != i:
            raise config_fault(config.REFERENCE_FILE, f"{key} 中“{name}”重复", line_at(names, i))


def _check_severity(data: dict) -> None:
    """severity: classes lowest first; every class but the first gives the lower bounds of
    deaths, serious injuries and direct loss (万元), rising with the class."""
    levels = data.get("severity")
    if not isinstance(levels, list) or len(levels) < 2:
        raise config_fault(
            config.REFERENCE_FILE, "severity 应列出至少两级事故等级", line_at(data, "severity")
        )
    previous = (0, 0, 0)
    for i, level in enumerate(levels):
        line = line_at(levels, i)
        if not isinstance(level, dict):
            raise config_fault(
                config.REFERENCE_FILE, "severity 的每一级应为“name: 等级”及其下限", line
            )
        _check_name(config.REFERENCE_FILE, level.get("name"), line)
        bounds = tuple(level.get(m) for m in SEVERITY_MEASURES)
        if i == 0:
            continue
        ok = all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
        if not ok or any(b <= p for b, p in zip(bounds, previous, strict=True)):
            reason = (
                f"事故等级“{level.get('name')}”应给出 {'、'.join(SEVERITY_MEASURES)} 的下限，"
                "且逐级提高"
            )
            raise config_fault(config.REFERENCE_FILE, reason, line)
        previous = bounds


def severity_levels() -> list[tuple[str, tuple[float, float, float] | None]]:
    """[(class, (deaths, serious injuries, loss 万元) lower bounds or None for the lowest)]."""
    return [
        (lv["name"], None if i == 0 else tuple(float(lv[m]) for m in SEVERITY_MEASURES))
        for i, lv in enumerate(reference()["severity"])
    ]


def district_reference_file(district: str) -> Path:
    """data/config/districts/<区>/reference.yaml: the district's additions."""
    return config.DISTRICTS_DIR / district / DISTRICT_REFERENCE_FILE_NAME


@read_on_first_use
def district_additions(district: str) -> dict[str, tuple[str, ...]]:
    """The names a district adds to each shared list (``DISTRICT_LISTS``), from its own
    reference.yaml (no file: no additions). The file has the shared file's form, with only
    the lists it adds to; a name already shared, repeated, or in an unknown list is refused
    naming the file and the line."""
    if name_problem(district) is not None:
        return {}  # a name that cannot be a folder (e.g. a row's "../x") has no file
    path = district_reference_file(district)
    if not path.is_file():
        return {}
    data = read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        reason = f"应为“列表名: 名称列表”的映射（可用：{'、'.join(DISTRICT_LISTS)}）"
        raise config_fault(path, reason)
    shared = reference()
    added = {}
    for key, names in data.items():
        line = line_at(data, key)
        if key not in DISTRICT_LISTS:
            reason = f"未知的列表“{key}”（本区只能新增：{'、'.join(DISTRICT_LISTS)}）"
            raise config_fault(path, reason, line)
        if not isinstance(names, list) or not names:
            raise config_fault(path, f"“{key}:”下应列出本区新增的名称（每行“- 名称”）", line)
        for i in range(len(names)):
            _check_added_name(path, key, names, i, shared[key])
        added[key] = tuple(names)
    return added


def _check_added_name(path: Path, key: str, names: list, i: int, shared: list) -> None:
    name, line = names[i], line_at(names, i)
    _check_name(path, name, line)
    if name in shared:
        reason = (
            f"{key} 中“{name}”已在共用的 {config.REFERENCE_FILE.name} 中，"
            "各区都可使用，不必在本区重复列出"
        )
        raise config_fault(path, reason, line)
    if names.index(name) != i:
        raise config_fault(path, f"{key} 中“{name}”重复", line)


def names(key: str, district: str | None = None) -> tuple[str, ...]:
    """The names of reference list ``key`` (industries, …) that apply to ``district``: the
    shared list, then the district's additions in its file's order. Without a district:
    the shared list alone."""
    shared = tuple(reference()[key])
    if district is None:
        return shared
    return shared + district_additions(district).get(key, ())
