"""Which rows of a table a town's (镇/街道's) briefing is about: the rows whose 镇/街道 is the
town. A table without a town column (meetings, media, …) is shared by every town, so all of
its rows count. The one definition the indicators, the frames, the run plan and explore use."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

TOWN_COLUMN = "town"


def rows_of_town(frame: pd.DataFrame, town: str | None) -> pd.DataFrame:
    """``frame``'s rows of ``town``; every row when ``town`` is None or empty (the district)
    or when the table has no town column.

    >>> df = pd.DataFrame({"town": ["甲镇", "乙街道", "甲镇"], "n": [1, 2, 3]})
    >>> rows_of_town(df, "甲镇")["n"].tolist()
    [1, 3]
    >>> len(rows_of_town(df.drop(columns="town"), "甲镇"))
    3
    """
    if not town or TOWN_COLUMN not in frame.columns:
        return frame
    return frame[frame[TOWN_COLUMN] == town]


def tables_of_town(tables: Mapping[str, pd.DataFrame], town: str | None) -> dict[str, pd.DataFrame]:
    """Every table restricted to ``town``'s rows (see ``rows_of_town``)."""
    return {name: rows_of_town(frame, town) for name, frame in tables.items()}
