"""Content hashes that decide when something must be recomputed: the code (package, config,
notebook), the environment (locked library versions, Python version) and the data files.
Used by the table cache, the batch runner and provenance."""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from analysis.settings import config

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# The libraries a briefing is made with (the dev set only adds test tools).
RUNTIME_LOCK = config.PROJ_ROOT / "requirements" / "runtime.lock"


def hash_files(paths: Iterable[Path], root: Path = config.PROJ_ROOT) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = path.name
        h.update(name.encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def environment_fingerprint() -> str:
    """The runtime lock file and the Python version: after an upgrade of either, every
    briefing and cached table counts as stale."""
    h = hashlib.sha256(platform.python_version().encode())
    h.update(hashlib.sha256(RUNTIME_LOCK.read_bytes()).digest())
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """Everything in the package, the config folder and the briefing notebooks (year to date
    and 形势分析), plus the environment they run in (``environment_fingerprint``)."""
    from analysis.settings.params import BRIEFING_NOTEBOOKS

    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files += [p for p in config.CONFIG_DIR.rglob("*") if p.is_file()]
    files += [config.NOTEBOOKS_DIR / name for name in BRIEFING_NOTEBOOKS]
    return hashlib.sha256(f"{hash_files(files)}|{environment_fingerprint()}".encode()).hexdigest()


def data_files(data_dir: Path) -> list[Path]:
    """The input files of a data folder (tables and the files that label them)."""
    return sorted(
        p
        for p in Path(data_dir).iterdir()
        if p.is_file() and (p.suffix.lower() in {".csv", ".xlsx"} or p.name in _MARKERS)
    )


_MARKERS = {"SYNTHETIC", "MANIFEST.yaml"}


def rows_digest(frame) -> bytes:
    """A digest of a DataFrame's rows (values only, not the index): the unit of "this
    town's data" for the batch runner's fingerprints and a town briefing's provenance."""
    import pandas as pd  # here, so the batch's no-op path never imports pandas

    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).digest()


def data_fingerprint(data_dir: Path) -> str:
    return hash_files(data_files(data_dir), root=Path(data_dir))
