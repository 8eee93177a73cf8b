"""Atomic outputs: a reader (or a failed run) never sees a half-written file or a folder
that mixes two runs.

``atomic_path``/``write_atomic`` replace one file in one step. ``OutputSlot`` replaces a
briefing's whole folder: the new set is built in a staging folder under
``<out_root>/.runs/`` and swapped in with two renames (old folder out, new folder in),
under a lock that serialises swaps. A run killed at any point leaves either the old or
the new folder in place plus a journal; the next run finishes or discards the swap and
removes the leftovers (staging folders of runs that are still alive are left alone).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from analysis import folder
from analysis.errors import OutputError

RUNS_DIR = ".runs"  # under the output root: staging folders, journals and the swap lock
SWAP_LOCK = "swap.lock"


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``. When the block succeeds, the temporary file
    replaces ``path`` in one step; when it fails, it is removed and ``path`` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` (text is written as UTF-8) to ``path`` atomically."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


# ------------------------------------------------------------------ folder swaps


@contextmanager
def _locked(path: Path, blocking: bool = True) -> Iterator[bool]:
    """An exclusive lock on ``path`` (released by the OS if the process dies)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


@contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block ends: a swap is never cut in half."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (ValueError, OSError):  # not the main thread of the interpreter
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _carried(out_dir: Path) -> list[Path]:
    """Entries of a briefing folder that are not the run's own outputs."""
    if not out_dir.is_dir():
        return []
    return sorted(
        p
        for p in out_dir.iterdir()
        if not p.name.startswith(".")
        and p.name not in folder.PRODUCED_NAMES
        and not (p.suffix.lower() in folder.PRODUCED_SUFFIXES and p.is_file())
    )


def _swap(entry: Path, target: Path) -> None:
    """Finish a swap journaled in ``entry``: ``target`` out to ``entry/old``, its carried
    entries (town folders, an analyst's notes) into the new set, the new set in. Safe to
    repeat after an interruption. All or nothing: when a step fails, what was moved goes
    back where it was and the error is raised; nothing of ``target`` is ever deleted."""
    new, old = entry / "set", entry / "old"
    if new.is_dir():
        if target.is_dir() and not old.exists():
            os.rename(target, old)  # fails first (e.g. a read-only folder): nothing moved
        moved: list[str] = []
        try:
            for item in _carried(old):
                if not (new / item.name).exists():
                    os.rename(item, new / item.name)
                    moved.append(item.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(new, target)
        except BaseException:
            _undo_swap(entry, target, moved)
            raise
    if old.exists() and _carried(old):  # never delete what the new set did not take over
        raise OutputError(f"输出位置 {target} 的原有内容仍在 {old}，请手工移回")
    shutil.rmtree(entry, ignore_errors=True)


def _undo_swap(entry: Path, target: Path, moved: list[str]) -> None:
    """Put a half-done swap back: carried entries into the old set, the old set in place."""
    new, old = entry / "set", entry / "old"
    with suppress(OSError):
        for name in moved:
            os.rename(new / name, old / name)
        if old.is_dir() and not target.exists():
            os.rename(old, target)


def _journal(entry: Path) -> Path:
    return entry.with_suffix(".json")


def _finish_or_discard(entry: Path) -> None:
    """A dead run's entry: complete its journaled swap, or drop its unfinished staging."""
    journal = _journal(entry)
    try:
        target = Path(json.loads(journal.read_text(encoding="utf-8"))["target"])
    except (OSError, ValueError, KeyError):
        target = None
    if target is not None and entry.is_dir():
        try:
            _swap(entry, target)
        except (OSError, OutputError):
            return  # kept whole for a later run (or for the analyst): nothing is deleted
    shutil.rmtree(entry, ignore_errors=True)
    journal.unlink(missing_ok=True)
    entry.with_suffix(".lock").unlink(missing_ok=True)


def recover(out_root: Path) -> None:
    """Clean up after runs that were killed: finish their interrupted swaps, remove their
    staging folders. Runs still alive hold their lock and are left alone."""
    runs = Path(out_root) / RUNS_DIR
    if runs.is_dir():
        with _locked(runs / SWAP_LOCK):
            _recover_locked(runs)


def _recover_locked(runs: Path) -> None:
    for partial in runs.glob(".*.tmp"):  # a journal half-written when its run was killed
        partial.unlink(missing_ok=True)
    for lock in sorted(runs.glob("run-*.lock")):
        with _locked(lock, blocking=False) as dead:
            if dead:
                _finish_or_discard(lock.with_suffix(""))
    for entry in runs.glob("run-*"):  # staging without a lock file: its run died early
        if entry.is_dir() and not entry.with_suffix(".lock").exists():
            shutil.rmtree(entry, ignore_errors=True)


def check_folder(out_dir: Path) -> None:
    """``out_dir`` and its parents are folders (or do not exist yet)."""
    for place in (out_dir, *out_dir.parents):
        if place.exists() and not place.is_dir():
            raise OutputError(f"输出位置 {place} 是一个文件，不是文件夹；请改名或删除后重试")


def _check_target(out_dir: Path, names: list[str]) -> None:
    check_folder(out_dir)
    for name in names:
        existing = out_dir / name
        if existing.is_dir() and not existing.is_symlink():
            raise OutputError(
                f"输出位置 {existing} 是一个文件夹，无法写入同名文件；"
                "请改名或删除后重试。原有输出未被改动。"
            )


class OutputSlot:
    """The new set of files for one output folder, published all at once.

    ``with OutputSlot(out_root, out_dir) as slot:`` write into ``slot.staging``, then call
    ``slot.publish()``. Leaving the block without publishing discards the staging folder."""

    def __init__(self, out_root: Path, out_dir: Path):
        self.runs = Path(out_root) / RUNS_DIR
        self.out_dir = Path(out_dir)
        self._lock_fd: int | None = None
        self.entry: Path | None = None

    @property
    def staging(self) -> Path:
        return self.entry / "set"

    def __enter__(self) -> OutputSlot:
        self.runs.mkdir(parents=True, exist_ok=True)
        with _locked(self.runs / SWAP_LOCK):
            _recover_locked(self.runs)
            self.entry = Path(tempfile.mkdtemp(prefix="run-", dir=self.runs))
            self._lock_fd = os.open(self.entry.with_suffix(".lock"), os.O_RDWR | os.O_CREAT)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self.staging.mkdir()
        return self

    def publish(self) -> None:
        """Swap the staged set in place of the output folder, in one locked step."""
        names = sorted(p.name for p in self.staging.iterdir())
        with _no_interrupt(), _locked(self.runs / SWAP_LOCK):
            _check_target(self.out_dir, names)
            journal = {"target": str(self.out_dir.resolve())}
            write_atomic(_journal(self.entry), json.dumps(journal, ensure_ascii=False))
            _swap(self.entry, self.out_dir)
            _journal(self.entry).unlink(missing_ok=True)

    def __exit__(self, *exc) -> None:
        if (self.entry / "old").exists():  # a swap that could not be undone: keep it all
            os.close(self._lock_fd)
            return
        shutil.rmtree(self.entry, ignore_errors=True)
        _journal(self.entry).unlink(missing_ok=True)
        self.entry.with_suffix(".lock").unlink(missing_ok=True)
        os.close(self._lock_fd)


# ------------------------------------------------------------------ owned temporary folders

OWNER_LOCK = ".owner.lock"


@contextmanager
def owned_folder(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A temporary folder, locked by this process while the block runs and removed after
    it; ``remove_abandoned`` removes the ones whose process was killed."""
    parent = Path(parent or tempfile.gettempdir())
    remove_abandoned(prefix, parent)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    fd = os.open(folder / OWNER_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def remove_abandoned(prefix: str, parent: Path | None = None) -> None:
    """Remove ``owned_folder`` folders whose owner died (its lock is free)."""
    parent = Path(parent or tempfile.gettempdir())
    for owned in parent.glob(f"{prefix}*"):
        lock = owned / OWNER_LOCK
        if not lock.is_file():
            continue  # just being created, or not ours
        with suppress(OSError), _locked(lock, blocking=False) as dead:
            if dead:
                shutil.rmtree(owned, ignore_errors=True)
