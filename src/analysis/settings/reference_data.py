"""Reference data (data/config/reference.yaml): industries (行业领域), departments, incident
categories and the severity classes of accidents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.settings import config
from analysis.settings.config import read_on_first_use
from analysis.settings.yaml_files import config_fault, line_at, read_yaml
from analysis.terminal import has_hidden_characters


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
    for key in ("industries", "departments", "incident_categories"):
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
