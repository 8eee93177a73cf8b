"""Content hashes that decide when something must be recomputed: the code (package, config,
notebook), the environment (locked library versions, Python version) and the data files.
Used by the table cache, the batch runner and provenance."""

from __future__ import annotations

import hashlib
import os
import platform
import stat
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


def _entry_digest(path: Path) -> bytes:
    """What an entry of the data folder is: the bytes of a table's file or a marker file;
    the size of any other regular file (it is only named in a notice, never read);
    otherwise its kind (a folder, FIFO, device or broken link is never opened)."""
    from analysis.inputs.discover import MARKER_FILES, table_of

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return f"kind:{stat.S_IFMT(info.st_mode)}".encode()
        if path.name in MARKER_FILES or table_of(path.name) is not None:
            return hashlib.sha256(path.read_bytes()).digest()
        return f"other:{info.st_size}".encode()
    except OSError as exc:
        target = os.readlink(path) if path.is_symlink() else ""
        return f"unreadable:{exc.errno}:{target}".encode("utf-8", "surrogateescape")


def rows_digest(frame) -> bytes:
    """A digest of a DataFrame's rows (values only, not the index): the unit of "this
    town's data" for the batch runner's fingerprints and a town briefing's provenance."""
    import pandas as pd  # here, so the batch's no-op path never imports pandas

    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).digest()


def data_fingerprint(data_dir: Path) -> str:
    """The data folder's full listing: every entry's name and what it is (see
    ``_entry_digest``), not only the files a load read. A table file that appears, a
    folder or FIFO put in a file's place, a copy "cases (1).csv" or a note all change it,
    so no cache or plan made without them is reused."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    try:
        names = sorted(os.listdir(data_dir))
    except OSError as exc:
        return f"unlistable:{exc.errno}"
    for name in names:
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(_entry_digest(data_dir / name))
    return h.hexdigest()
