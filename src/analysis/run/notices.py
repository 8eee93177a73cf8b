"""The loader's notices (entries of the data folder and sheets not read, values worth a
look) as the command line prints them: after one briefing (``make report``), and once per
data folder after a batch (``make reports``: its briefings share the folder, and its
notices are the folder's, not each briefing's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.errors import AnalysisError


def data_notes(params) -> list[str]:
    """The notices of ``params``' data folder, each worded as a problem is (file, sheet,
    row, column, why and what to do); the tables come from the cache the run has filled."""
    from analysis.inputs.cache import load_tables_cached

    loaded = load_tables_cached(params.data_dir, strict=params.strict)
    return [str(problem) for problem in loaded.notices]


def notes_once(params_list: Iterable, notes_of: Callable = data_notes) -> list[str]:
    """``notes_of`` for each data folder of ``params_list`` once, in the order of first use.

    A folder whose data cannot be loaded has no notes here: its briefings failed and the
    batch summary gives the reason."""
    seen: set[Path] = set()
    notes: list[str] = []
    for params in params_list:
        folder = Path(params.data_dir).resolve()
        if folder in seen:
            continue
        seen.add(folder)
        try:
            notes.extend(notes_of(params))
        except AnalysisError:
            continue
    return notes


def batch_notes(outcomes: Iterable, notes_of: Callable = data_notes) -> list[str]:
    """The notices of the data folders of the briefings a batch made or tried to make. A
    briefing that was up to date is left out: the run that made it said its notices, and a
    re-run that rebuilds nothing need not read the data again to repeat them."""
    return notes_once((o.params for o in outcomes if o.status != "up-to-date"), notes_of)
