"""Cells and rows as reports and system exports type them, each told for what it is: a
合计/小计 row under the records, a blank written as NULL or /, an Excel error value carried
into a CSV, a number typed with its unit. ``c`` is the file's problem collector
(inputs.validate.Collector)."""

from __future__ import annotations

import re

import pandas as pd

from analysis.inputs.workbook import ERROR_CELL

# a 合计 / 小计 row under the records (Excel reports often end with one)
TOTAL_WORDS = frozenset(
    w.replace("·", sp) for w in ("合·计", "总·计", "小·计") for sp in ("", " ", "\u3000")
) | frozenset(w + "：" for w in ("合计", "总计", "小计"))
TOTAL_ROW = "这一行是{word}行：数据中只放逐条记录，不放合计、小计行（简报自己合计），请删除此行"
# what systems write for "nothing" in a date, number or yes/no cell (never in a text column,
# where 无 can be a value): read as blank, with one notice per column and placeholder
BLANK_PLACEHOLDERS = ("NULL", "null", "Null", "/", "／", "-", "－", "—", "——", "无", "N/A", "n/a")
# Excel's error values, as a CSV saved from a sheet with a broken formula carries them
EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!")
# a number typed with its unit (3人, 58.19万元): the unit belongs in the header
_WITH_UNIT = re.compile(r"^[+-]?[\d０-９][\d０-９,，.．]*\s*([^\d\s０-９.．,，]{1,4})$")


def total_rows(text: pd.DataFrame, headers: dict[str, str], c) -> pd.Series:
    """Rows holding 合计/总计/小计 in some cell: one problem each (never a dozen “必填项为空”)."""
    found = pd.Series(False, index=text.index)
    for name in text.columns:
        hit = text[name].isin(TOTAL_WORDS) & ~found
        for row in hit.index[hit.to_numpy()].tolist():
            word = text.at[row, name].rstrip("：").replace(" ", "").replace("\u3000", "")
            value = text.at[row, name]
            c.problems.append(c.problem(row, headers[name], value, TOTAL_ROW.format(word=word)))
            c.bad_rows.add(int(row))
        found |= hit
    return found


def placeholders_as_blank(s: pd.Series, empty: pd.Series, header: str, c) -> pd.Series:
    """``empty`` with the cells holding a blank placeholder (NULL, /, 无, …) added, each
    placeholder told once per column as a notice: read as blank, not silently."""
    held = s.isin(BLANK_PLACEHOLDERS) & ~empty
    if not held.any():
        return empty
    for word, n in s[held].value_counts(sort=False).items():
        first = held.index[(held & s.eq(word)).to_numpy()][0]
        why = f"共 {n} 个单元格写作“{word}”，按空白读取（系统导出的“无数据”）"
        c.notices.append(c.problem(first, header, word, why))
    return empty | held


def number_reason(kind: str):
    """“不是有效的整数”, or, for a number typed with its unit, where the unit belongs."""

    def reason(_row, value) -> str:
        unit = _WITH_UNIT.match(str(value))
        if unit:
            return f"数字后带有单位“{unit[1]}”：请只填数字（单位写在表头）"
        return f"不是有效的{kind}"

    return reason


def refuse_excel_errors(s: pd.Series, empty: pd.Series, header: str, c) -> None:
    """One message per error value (#N/A, #DIV/0!, …), not also "not a date"."""
    errors = s.isin(EXCEL_ERRORS) & ~empty
    if errors.any():
        c.cells(errors, header, s, lambda _r, v: ERROR_CELL.format(value=v))
        c.refused.update((int(r), header) for r in errors.index[errors.to_numpy()])
