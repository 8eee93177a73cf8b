"""Cells a workbook shows differently from what it stores: error values, formulas never
calculated, and percent-formatted numbers (read as shown, 90% → 90, and allowed only where
the indicator is in %)."""

from __future__ import annotations

import pandas as pd

from analysis.inputs import chars

PERCENT_UNITS = ("%", "％", "百分")
# columns whose unit is given row by row in the table's ``unit`` column
_UNIT_VALUED = ("value", "prior_value")


def _label(headers: list[str], position: int) -> tuple[str, str]:
    header = headers[position] if position < len(headers) else ""
    return header, chars.visible(header) or f"第 {position + 1} 列（无表头）"


def report_faults(raw, position: dict[str, int], text: pd.DataFrame, c) -> None:
    """Error cells and uncalculated formulas of the contract's columns, with their reason;
    the cell is not checked again (it is not “empty”)."""
    mapped = set(position.values())
    for (row, col), why in sorted(raw.faults.items()):
        if col not in mapped or row not in text.index:
            continue
        header, label = _label(raw.headers, col)
        c.problems.append(c.problem(row, label, str(raw.data.at[row, col]), why))
        c.bad_rows.add(row)
        c.refused.add((row, header))


def _percent_reason(name: str, row: int, shown: str, text: pd.DataFrame) -> str | None:
    if name in _UNIT_VALUED and "unit" in text:
        unit = text.at[row, "unit"]
        if any(mark in unit for mark in PERCENT_UNITS):
            return None
        return f"单元格显示为百分比（{shown}%），但本行单位为“{unit}”：请核对单位或单元格格式"
    return (
        f"单元格格式为百分比（显示为 {shown}%），但该列不以 % 计："
        "请把单元格格式改为“常规”或“数值”后核对数值"
    )


def check_percent(raw, position: dict[str, int], text: pd.DataFrame, c) -> None:
    """A percent-formatted cell is right only where the indicator is in %."""
    names = {col: name for name, col in position.items()}
    for row, col in sorted(raw.percent):
        name = names.get(col)
        if name is None or row not in text.index:
            continue
        header, label = _label(raw.headers, col)
        if (row, header) in c.refused:
            continue
        why = _percent_reason(name, row, text.at[row, name], text)
        if why is not None:
            c.problems.append(c.problem(row, label, text.at[row, name], why))
            c.bad_rows.add(row)
            c.refused.add((row, header))
