"""briefing.xlsx read back with openpyxl: sheets, Chinese headers, frozen header row, widths,
number formats (integers for counts, each indicator's decimals), Chinese words for codes,
print setup, formula-like text stored as text anywhere, byte-identical reruns, synthetic
label."""

from __future__ import annotations
