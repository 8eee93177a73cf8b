"""A cache of validated tables, keyed by the content of the data files, the code and the day.

Loading and validating the data is the same for every briefing of a batch (and for every
re-run of `make report` on unchanged files), so it is paid once: in memory within a process
(a warm batch kernel), on disk across processes. A stale entry can never be used: the key
covers every input file's bytes, the package code and config, the locked library versions
and the Python version (``code_fingerprint``), the strict/lenient mode and today's date (the
contract rejects future dates).
"""

from __future__ import annotations

import hashlib
import pickle
from contextlib import suppress
from datetime import date
from pathlib import Path

from analysis.atomic import atomic_path
from analysis.inputs.fingerprint import code_fingerprint, data_fingerprint
from analysis.inputs.load import load_tables
from analysis.inputs.results import LoadResult
from analysis.settings import config

CACHE_DIR = config.OUTPUTS_DIR / ".cache"
MAX_ENTRIES = 16  # tables-*.pkl files kept on disk; the least recently used go first
_memory: dict[str, LoadResult] = {}


def cache_key(data_dir: Path, strict: bool, today: date) -> str:
    parts = [data_fingerprint(data_dir), code_fingerprint(), str(strict), today.isoformat()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def load_tables_cached(data_dir: Path, strict: bool = True, today: date | None = None):
    """``io.load_tables`` with a cache; invalid data raise exactly as without it (only
    successful loads are cached)."""
    data_dir = Path(data_dir).resolve()
    today = today or date.today()
    key = cache_key(data_dir, strict, today)
    if key in _memory:
        return _memory[key]
    path = CACHE_DIR / f"tables-{key[:32]}.pkl"
    result = None
    if path.exists():
        try:
            with open(path, "rb") as fh:
                result = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            result = None
        with suppress(OSError):
            path.touch()  # recently used: evicted last
    if result is None:
        result = load_tables(data_dir, strict=strict, today=today)
        _store(path, result)
    _memory[key] = result
    return result


def _store(path: Path, result: LoadResult) -> None:
    try:
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        evict(path.parent)
    except OSError:
        pass  # a read-only outputs folder only costs speed


def evict(cache_dir: Path, keep: int = MAX_ENTRIES) -> None:
    """Keep the ``keep`` most recently used cache files; remove the others."""
    entries = []
    for entry in cache_dir.glob("tables-*.pkl"):
        with suppress(OSError):
            entries.append((entry.stat().st_mtime_ns, entry.name, entry))
    for *_, entry in sorted(entries, reverse=True)[keep:]:
        entry.unlink(missing_ok=True)
