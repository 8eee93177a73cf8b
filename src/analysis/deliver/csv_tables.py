"""The briefing folder's CSV tables (indicators.csv, gaps.csv, …) as Excel opens them: UTF-8
with a BOM, every cell neutralised (no formula runs when a leader opens one), written whole."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.atomic import atomic_path
from analysis.safe_cells import neutralise_frame


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        neutralise_frame(df).to_csv(
            tmp, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.6g"
        )
    return path
