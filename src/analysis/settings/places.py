"""The districts and their towns/streets (data/config/units.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.settings import config
from analysis.settings.config import read_on_first_use
from analysis.settings.names import name_problem
from analysis.settings.yaml_files import config_fault, line_at, read_yaml


@read_on_first_use
def units() -> dict[str, Any]:
    """Districts and their towns/streets (data/config/units.yaml), structure checked."""
    data = read_yaml(config.UNITS_FILE)
    validate_units(data, config.UNITS_FILE)
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
    problem = name_problem(name)
    if problem:
        raise config_fault(path, f"名称“{name}”{problem}", line)


def towns_of(district: str) -> list[str]:
    """Towns/streets (镇/街道) of a district, in the configured order."""
    return list(units()["districts"][district]["towns"])
