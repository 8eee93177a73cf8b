"""Header matching: canonical names, Chinese names, aliases and data/config/column_map.yaml,
and detection of a title row or a two-row (merged group) header above the data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from analysis.inputs import money, schema
from analysis.settings import config
from analysis.settings.yaml_files import config_fault, line_at, read_yaml

HEADER_SCAN_ROWS = 50  # rows above the header an export may have (titles, notes)
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "　": " ", "：": ":", "／": "/"})


def norm_header(value: Any) -> str:
    """Normalise a header for matching: full-width → half-width, no spaces, case-folded."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).translate(_FULLWIDTH)
    return re.sub(r"\s+", "", text).casefold()


def read_column_map(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Read data/config/column_map.yaml → {"common": {header: column}, table: {...}}; a fault
    raises ConfigError naming the file and the line."""
    path = config.COLUMN_MAP_FILE if path is None else Path(path)
    if not path.exists():
        return {}
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise config_fault(path, "应为“表名: {表头: 列名}”的映射", line_at(data, 0))
    out: dict[str, dict[str, str]] = {}
    for section, mapping in data.items():
        if mapping is None:
            continue
        line = line_at(data, section)
        if section == "units":
            out["units"] = _money_units(path, data, mapping)
            continue
        if section != "common" and section not in schema.TABLES:
            raise config_fault(path, f"未知的表“{section}”（可用 common 或表名）", line)
        if not isinstance(mapping, dict):
            raise config_fault(path, f"“{section}”下应为“表头: 列名”的映射", line)
        for header, column in mapping.items():
            if section != "common" and column not in schema.TABLES[section].column_names:
                reason = f"表“{section}”没有列“{column}”（表头“{header}”的映射目标）"
                raise config_fault(path, reason, line_at(data, section, header))
        out[str(section)] = {str(k): str(v) for k, v in mapping.items()}
    return out


def _money_units(path: Path, data: dict, mapping: object) -> dict[str, str]:
    """The ``units`` section: {unit-less money header: 元 | 万元 | …}."""
    line = line_at(data, "units")
    if not isinstance(mapping, dict):
        raise config_fault(path, "“units”下应为“表头: 单位”的映射（如 直接经济损失: 元）", line)
    for header, unit in mapping.items():
        if str(unit) not in money.MONEY_UNITS:
            allowed = "、".join(money.MONEY_UNITS)
            reason = f"表头“{header}”的单位“{unit}”无法识别（可用：{allowed}）"
            raise config_fault(path, reason, line_at(data, "units", header))
    return {str(k): str(v) for k, v in mapping.items()}


def header_lookup(table: schema.Table, column_map: dict | None = None) -> dict[str, str]:
    """Normalised header → canonical column name, for one table."""
    lookup: dict[str, str] = {}
    column_map = read_column_map() if column_map is None else column_map
    names = set(table.column_names)
    for header, column in (column_map.get("common") or {}).items():
        if column in names:
            lookup[norm_header(header)] = column
    for col in table.columns:
        with_units = money.headers_with_units(col) if col.unit else []
        for header in (*with_units, *col.aliases, col.zh, col.name):
            lookup[norm_header(header)] = col.name
    for header, column in (column_map.get(table.name) or {}).items():
        lookup[norm_header(header)] = column
    return lookup


def detect_header(rows: list[list[str]], lookup: dict[str, str]) -> tuple[int, bool]:
    """Return (0-based index of the header row, True if the next row holds sub-headers)."""
    scores = [sum(1 for c in row if norm_header(c) in lookup) for row in rows]
    if not scores or max(scores) == 0:
        return 0, False
    h = scores.index(max(scores))
    two_rows = False
    if h + 1 < len(rows) and scores[h + 1] > 0:
        below = rows[h + 1]
        head = rows[h]
        # sub-headers sit under empty/unknown cells of the header row (a merged group cell)
        two_rows = all(
            i >= len(head) or norm_header(head[i]) not in lookup
            for i, cell in enumerate(below)
            if norm_header(cell) in lookup
        )
    return h, two_rows


def combine_headers(rows: list[list[str]], h: int, two_rows: bool, lookup) -> list[str]:
    """The header cells (stripped), with sub-headers filled in under a merged group cell."""
    head = list(rows[h])
    if two_rows:
        below = rows[h + 1]
        width = max(len(head), len(below))
        head += [""] * (width - len(head))
        for i, cell in enumerate(below):
            if norm_header(cell) in lookup:
                head[i] = cell
    return [str(c).strip() for c in head]
