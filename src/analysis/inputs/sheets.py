"""A workbook as one table: every sheet whose header matches the table, combined.

A workbook with one sheet per town or per year is read whole (duplicate ids across sheets
are then found by the ordinary checks); a notes sheet or an empty sheet is skipped and
reported by name. Row numbers stay the Excel row of their own sheet: rows of sheet k are
indexed ``k * SHEET_ROWS + excel_row``, and ``workbook.sheet_and_row`` gives both back.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import Problem
from analysis.inputs import schema
from analysis.inputs.headers import HEADER_SCAN_ROWS, combine_headers, detect_header, norm_header
from analysis.inputs.read import Raw
from analysis.inputs.workbook import SHEET_ROWS, DamagedWorkbook, Sheet, read_sheets

MERGED_ACROSS = "合并单元格 {ref} 跨越多列，无法确定每一列的值：请取消合并后逐列填写"
MERGED_DOWN = "有 {n} 处上下合并的单元格（如 {ref}），已按合并后显示的值逐行读取"


class _Found:
    def __init__(self, sheet: Sheet, lookup: dict[str, str]):
        self.sheet = sheet
        sample = sheet.rows[: HEADER_SCAN_ROWS + 1]
        self.h, self.two_rows = detect_header(sample, lookup) if sample else (0, False)
        self.headers = combine_headers(sample, self.h, self.two_rows, lookup) if sample else []
        self.keys = [lookup.get(norm_header(h)) for h in self.headers]
        self.score = len({k for k in self.keys if k})


def _skipped(name: str, found: _Found, table: schema.Table) -> Problem:
    why = "没有内容" if not found.sheet.rows else f"表头与“{table.zh}”不符"
    sheet = found.sheet.name
    return Problem(name, None, None, None, f"工作表“{sheet}”未读取：{why}", sheet=sheet)


def _not_found(name: str, sheets: list[_Found], table: schema.Table) -> Problem:
    if not any(f.sheet.rows for f in sheets):
        return Problem(name, None, None, None, "文件为空（工作表中没有内容）")
    names = "、".join(f"“{f.sheet.name}”" for f in sheets)
    sample = "、".join(c.zh for c in table.columns[:4])
    why = (
        f"没有找到“{table.zh}”的表头：已在工作表 {names} 的前 {HEADER_SCAN_ROWS + 1} 行中查找"
        f"（表头应含有 {sample} 等列）。请把数据放在以表头开始的工作表中"
    )
    return Problem(name, None, None, None, why)


def _columns(found: _Found) -> list[str]:
    return [k or h for k, h in zip(found.keys, found.headers, strict=True) if k or h]


def _ref(r1: int, c1: int, r2: int, c2: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(c1 + 1)}{r1}:{get_column_letter(c2 + 1)}{r2}"


def _read_merged(sheet: Sheet, first: int) -> tuple[list[list[str]], dict, list[str]]:
    """The sheet's rows with each block merged down one column (below the header, whose
    first ``first`` rows are left alone) read as Excel shows it: its value on every row.
    Returns (rows, faults of blocks merged across columns, refs of the blocks read down)."""
    blocks = [b for b in sheet.merged if b[0] > first and (b[2] > b[0] or b[3] > b[1])]
    if not blocks:
        return sheet.rows, {}, []
    rows = [list(r) for r in sheet.rows]
    rows.extend([] for _ in range(max(b[2] for b in blocks) - len(rows)))
    faults, down = {}, []
    for r1, c1, r2, c2 in blocks:
        if c1 < c2:
            cells = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
            faults |= {cell: MERGED_ACROSS.format(ref=_ref(r1, c1, r2, c2)) for cell in cells}
            continue
        top = rows[r1 - 1]
        value = top[c1] if c1 < len(top) else ""
        for r in range(r1 + 1, r2 + 1):
            row = rows[r - 1]
            row.extend([""] * (c1 + 1 - len(row)))
            row[c1] = value
        down.append(_ref(r1, c1, r2, c2))
    return rows, faults, down


def _frame(k: int, found: _Found, order: list[str]) -> tuple[pd.DataFrame, dict, set]:
    """Sheet ``k``'s data rows, columns in ``order`` (keys), with its faults and percents."""
    first = found.h + (2 if found.two_rows else 1)
    all_rows, merged_faults, _ = _read_merged(found.sheet, first)
    rows = all_rows[first:]
    width = max([len(found.headers), *map(len, rows)]) if rows else len(found.headers)
    index = pd.RangeIndex(k * SHEET_ROWS + first + 1, k * SHEET_ROWS + first + 1 + len(rows))
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], index=index, dtype=object)
    grid = grid.reindex(columns=range(width), fill_value="")
    keys = [(found.keys[i] or found.headers[i]) if i < len(found.headers) else None
            for i in range(width)]  # fmt: skip
    position = {key: order.index(key) for key in keys if key in order}
    moved = {i: position[key] for i, key in enumerate(keys) if key in position}
    extra = [i for i in range(width) if i not in moved]  # blank trailing columns
    grid = grid[list(moved) + extra].set_axis(
        [moved[i] for i in moved] + list(range(len(order), len(order) + len(extra))), axis=1
    )
    offset = k * SHEET_ROWS

    def at(cells):
        return {(offset + r, moved[c]) for r, c in cells if c in moved and r > first}

    faults = {(offset + r, moved[c]): why
              for (r, c), why in (found.sheet.faults | merged_faults).items()
              if c in moved and r > first}  # fmt: skip
    return grid, faults, at(found.sheet.percent)


def _mismatch(name: str, found: _Found, first: _Found) -> Problem | None:
    have, want = set(_columns(found)), set(_columns(first))
    if have == want:
        return None
    missing = "、".join(sorted(want - have)) or "无"
    extra = "、".join(sorted(have - want)) or "无"
    why = (
        f"工作表“{found.sheet.name}”的列与工作表“{first.sheet.name}”不一致"
        f"（缺少：{missing}；多出：{extra}），无法合并：请统一各工作表的表头"
    )
    return Problem(name, None, None, None, why, sheet=found.sheet.name)


def read_workbook(
    data: bytes, table: schema.Table, name: str, lookup: dict[str, str]
) -> tuple[Raw | None, list[Problem], list[Problem]]:
    """(Raw of the combined matching sheets or None, problems, notices about skipped sheets)."""
    try:
        sheets = [_Found(s, lookup) for s in read_sheets(data)]
    except DamagedWorkbook as exc:
        return None, [Problem(name, None, None, None, str(exc))], []
    needed = max(1, (len(table.columns) + 1) // 2)
    chosen = [f for f in sheets if f.score >= needed]
    if not chosen:
        best = max((f.score for f in sheets), default=0)
        chosen = [next(f for f in sheets if f.score == best)] if best else []
    if not chosen:
        return None, [_not_found(name, sheets, table)], []
    notices = [_skipped(name, f, table) for f in sheets if f not in chosen]
    notices += [n for f in chosen if (n := _merged_notice(name, f)) is not None]
    problems = [p for f in chosen[1:] if (p := _mismatch(name, f, chosen[0])) is not None]
    if problems:
        return None, problems, notices
    order = _columns(chosen[0])
    parts = [_frame(k, f, order) for k, f in enumerate(sheets) if f in chosen]
    frame = pd.concat([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
    first = chosen[0]
    header_rows = (first.h + 1, first.h + 2) if first.two_rows else (first.h + 1,)
    frame = frame.reindex(columns=range(int(max(frame.columns, default=-1)) + 1)).fillna("")
    headers = _ordered_headers(first, order)
    headers += [""] * (frame.shape[1] - len(headers))  # unnamed columns: checked, not lost
    raw = Raw(headers, frame, header_rows, None)
    raw.faults = {k: v for p in parts for k, v in p[1].items()}
    raw.percent = set().union(*(p[2] for p in parts))
    raw.sheets = tuple(f.sheet.name for f in sheets)
    return raw, [], notices


def _merged_notice(name: str, found: _Found) -> Problem | None:
    _, _, down = _read_merged(found.sheet, found.h + (2 if found.two_rows else 1))
    if not down:
        return None
    why = MERGED_DOWN.format(n=len(down), ref=down[0])
    return Problem(name, None, None, None, why, sheet=found.sheet.name)


def _ordered_headers(first: _Found, order: list[str]) -> list[str]:
    """The first chosen sheet's headers as written, in the combined column order."""
    written = {(k or h): h for k, h in zip(first.keys, first.headers, strict=True) if k or h}
    return [written[key] for key in order]
