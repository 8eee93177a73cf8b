"""Every value the workbook shows goes through here: text a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``, tab, CR) is stored as text, whatever it is (a cell,
a header, a sheet name); codes get their Chinese words; numbers get a display format.
"""

from __future__ import annotations

import re

from analysis.indicators.labels import BOOLEAN_LABELS, VALUE_LABELS
from analysis.safe_cells import FORMULA_STARTS

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FULL_WIDTH = {"=": "＝", "+": "＋", "-": "－", "@": "＠"}
MAX_SHEET_TITLE = 31
INTEGER_FORMAT = "#,##0"


def text_value(value: str) -> str:
    """CSV text as the workbook shows it: the ``'`` that protects a formula-like value in
    the CSV is dropped, because the cell is stored as text anyway."""
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def put_text(cell, text: str) -> None:
    """Store ``text`` so that no spreadsheet reads it as a formula.

    >>> from openpyxl import Workbook
    >>> cell = Workbook().active["A1"]
    >>> put_text(cell, "=1+2镇"); (cell.value, cell.data_type)
    ('=1+2镇', 's')
    """
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True


def sheet_title(name: str) -> str:
    """A valid sheet name that cannot read as a formula (a leading ``=`` ``+`` ``-`` ``@``
    becomes its full-width form; ``[]:*?/\\`` and control characters are dropped).

    >>> sheet_title("=HYPERLINK(1)")
    '＝HYPERLINK(1)'
    """
    cleaned = _SHEET_FORBIDDEN.sub("", name).strip().strip("'") or "表"
    if cleaned[0] in _FULL_WIDTH:
        cleaned = _FULL_WIDTH[cleaned[0]] + cleaned[1:]
    return cleaned[:MAX_SHEET_TITLE]


def label(header: str, raw: str) -> str:
    """The Chinese word for a code in column ``header`` (the code itself when unknown).

    >>> label("方向", "lower_better"), label("统计期", "ytd"), label("全区", "True")
    ('越低越好', '年初至今', '是')
    """
    if raw in BOOLEAN_LABELS:
        return BOOLEAN_LABELS[raw]
    return VALUE_LABELS.get(header, {}).get(raw, raw)


def decimals_format(decimals: int) -> str:
    """The number format showing ``decimals`` places (none: an integer).

    >>> decimals_format(0), decimals_format(2)
    ('#,##0', '#,##0.00')
    """
    return INTEGER_FORMAT if decimals <= 0 else "#,##0." + "0" * decimals
