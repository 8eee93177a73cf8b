"""Copies of the shipped sample data for the tests, with one known fault."""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis.settings import config


def sample_with_bad_date(folder: Path) -> Path:
    """``folder``: a copy of the sample data with one invalid date (line 4 of
    incidents.csv: month 13), which strict mode refuses and lenient mode rejects."""
    shutil.copytree(config.SAMPLE_DATA_DIR, folder)
    path = folder / "incidents.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",2019-01-06,", ",2019-13-06,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return folder
