"""A cache of validated tables, keyed by the content of the data files, the code and the day.

Loading and validating the data is the same for every briefing of a batch (and for every
re-run of `make report` on unchanged files), so it is paid once: in memory within a process
(a warm batch kernel), on disk across processes. A stale entry can never be used: the key
covers every input file's bytes, the package code and config, the locked library versions
and the Python version (``code_fingerprint``), the settings validation checks against as
read now (``settings_digest``: the districts and towns, the column map, the reference lists
with every district's additions; a long-lived process such as ``make watch`` forgets them
after an edit, while ``code_fingerprint`` is computed once per process), the strict/lenient
mode and today's date (the contract rejects future dates).

An entry on disk is data only, never code: a zip of Parquet tables (pyarrow) and JSON, with
a manifest of SHA-256 checksums. Nothing is unpickled, so a file planted in outputs/.cache
cannot run anything. An entry that is not a regular file of the current user (a symlink, a
FIFO, another user's file), or is damaged, or does not match its key and checksums, is
discarded with a note and the tables are read again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import sys
import zipfile
from contextlib import suppress
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analysis.atomic import atomic_path
from analysis.errors import Problem
from analysis.inputs.fingerprint import code_fingerprint, data_fingerprint
from analysis.inputs.headers import read_column_map
from analysis.inputs.load import lists_for, load_tables
from analysis.inputs.own_files import NotOwnFile, read_own_file
from analysis.inputs.results import FileInfo, LoadResult
from analysis.settings import config, places
from analysis.settings.yaml_files import shown_path

CACHE_DIR = config.OUTPUTS_DIR / ".cache"
ENTRY_PREFIX, ENTRY_SUFFIX = "tables-", ".zip"
LEGACY_SUFFIX = ".pkl"  # pickled entries of earlier versions: removed, never read
FORMAT = 1
MAX_ENTRIES = 16  # entries kept on disk; the least recently used go first
MAX_ENTRY_BYTES = 1 << 30
_memory: dict[str, LoadResult] = {}


class EntryFault(Exception):
    """Why a cache entry cannot be used (Chinese)."""


def cache_key(data_dir: Path, strict: bool, today: date) -> str:
    parts = [
        data_fingerprint(data_dir),
        code_fingerprint(),
        settings_digest(),
        str(strict),
        today.isoformat(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def settings_digest() -> str:
    """What ``load_tables`` checks the data against, as read now: units.yaml, the column
    map and the reference lists (shared, and what each district adds)."""
    units = places.units()
    text = json.dumps([units, read_column_map()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{text}|{lists_for(units).digest()}".encode()).hexdigest()


def entry_path(key: str, cache_dir: Path | None = None) -> Path:
    return (cache_dir or CACHE_DIR) / f"{ENTRY_PREFIX}{key[:32]}{ENTRY_SUFFIX}"


def load_tables_cached(data_dir: Path, strict: bool = True, today: date | None = None):
    """``io.load_tables`` with a cache; invalid data raise exactly as without it (only
    successful loads are cached)."""
    data_dir = Path(data_dir).resolve()
    today = today or date.today()
    key = cache_key(data_dir, strict, today)
    if key in _memory:
        return _memory[key]
    path = entry_path(key)
    usable = _private_folder(path.parent)
    result = _read_entry(path, key) if usable else None
    if result is None:
        result = load_tables(data_dir, strict=strict, today=today)
        if usable:
            _store(path, key, result)
    _memory[key] = result
    return result


def _note(message: str) -> None:
    print(f"提示：{message}", file=sys.stderr)


def _private_folder(folder: Path) -> bool:
    """The cache folder, made private (0700) when new; False (memory only, with a note)
    when it is a symlink or another user's."""
    with suppress(FileExistsError):
        folder.mkdir(mode=0o700, parents=True)
    try:
        info = os.lstat(folder)
    except OSError:
        return False  # e.g. a read-only outputs folder: only speed is lost
    if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
        return True
    _note(f"表格缓存文件夹 {shown_path(folder)} 不是当前用户自己的文件夹，本次不使用缓存")
    return False


def _read_entry(path: Path, key: str) -> LoadResult | None:
    """The cached result, or None: absent, or discarded (with a note) when unusable."""
    try:
        result = decode_entry(read_own_file(path, MAX_ENTRY_BYTES), key)
    except FileNotFoundError:
        return None
    except (NotOwnFile, EntryFault) as err:
        return _discard(path, str(err))
    with suppress(OSError):
        os.utime(path, follow_symlinks=False)  # recently used: evicted last
    return result


def _discard(path: Path, why: str) -> None:
    _note(f"表格缓存 {shown_path(path)} {why}，已丢弃，正在重新读取数据")
    with suppress(OSError):
        path.unlink()  # a symlink goes, never what it points to


def _store(path: Path, key: str, result: LoadResult) -> None:
    try:
        data = encode_entry(result, key)
    except EntryFault:
        return  # a value the format cannot hold exactly: not cached, only speed is lost
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        evict(path.parent)
    except OSError:
        pass  # a read-only outputs folder only costs speed


def evict(cache_dir: Path, keep: int = MAX_ENTRIES) -> None:
    """Keep the ``keep`` most recently used entries; remove the others and every pickled
    entry of an earlier version (never opened)."""
    entries = []
    for entry in Path(cache_dir).glob(f"{ENTRY_PREFIX}*"):
        if entry.name.endswith(LEGACY_SUFFIX):
            entry.unlink(missing_ok=True)
        elif entry.name.endswith(ENTRY_SUFFIX):
            with suppress(OSError):
                entries.append((entry.lstat().st_mtime_ns, entry.name, entry))
    for *_, entry in sorted(entries, reverse=True)[keep:]:
        entry.unlink(missing_ok=True)


# ---------------------------------------------------------------- the entry format


def encode_entry(result: LoadResult, key: str) -> bytes:
    """A LoadResult as a zip of Parquet tables, result.json and manifest.json (checksums).
    Raises EntryFault for a value the format would not give back exactly."""
    try:
        members = _members(result)
    except EntryFault:
        raise
    except Exception as err:  # noqa: BLE001 - e.g. a column pyarrow cannot write: not cached
        raise EntryFault(f"无法保存（{type(err).__name__}）") from None
    manifest = {
        "format": FORMAT,
        "key": key,
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _members(result: LoadResult) -> dict[str, bytes]:
    members = {f"{name}.parquet": _parquet(frame) for name, frame in result.tables.items()}
    members["rejects.parquet"] = _parquet(result.rejects)
    details = {
        "tables": list(result.tables),
        "missing": {
            name: _missing_markers(frame)
            for name, frame in [*result.tables.items(), ("rejects", result.rejects)]
        },
        "files": [asdict(f) for f in result.files],
        "problems": [asdict(p) for p in result.problems],
        "notices": [asdict(p) for p in result.notices],
        "strict": result.strict,
        "data_dir": str(result.data_dir),
        "synthetic": result.synthetic,
        "manifest": _tagged(result.manifest),
        "today": result.today.isoformat(),
        "coverage": {t: [_tagged(d) for d in span] for t, span in result.coverage.items()},
    }
    members["result.json"] = json.dumps(details, ensure_ascii=False).encode()
    return members


def decode_entry(data: bytes, key: str) -> LoadResult:
    """The LoadResult of an entry made by ``encode_entry`` for ``key``; EntryFault when the
    entry is damaged, of another key or format, or any checksum differs."""
    try:
        members = _checked_members(data, key)
        details = json.loads(members["result.json"])
        tables = {
            name: _frame(members[f"{name}.parquet"], details["missing"][name])
            for name in details["tables"]
        }
        return LoadResult(
            tables=tables,
            files=[_file_info(f) for f in details["files"]],
            problems=[Problem(**p) for p in details["problems"]],
            notices=[Problem(**p) for p in details["notices"]],
            rejects=_frame(members["rejects.parquet"], details["missing"]["rejects"]),
            strict=details["strict"],
            data_dir=Path(details["data_dir"]),
            synthetic=details["synthetic"],
            manifest=_untagged(details["manifest"]),
            today=date.fromisoformat(details["today"]),
            coverage={t: tuple(_untagged(d) for d in s) for t, s in details["coverage"].items()},
        )
    except EntryFault:
        raise
    except Exception as err:  # noqa: BLE001 - any fault of an entry means: read the data again
        raise EntryFault(f"已损坏（{type(err).__name__}）") from None


def _checked_members(data: bytes, key: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if any(info.file_size > len(data) for info in zf.infolist()):
            raise EntryFault("已损坏（成员大小异常）")
        manifest = json.loads(zf.read("manifest.json"))
        if manifest.get("format") != FORMAT or manifest.get("key") != key:
            raise EntryFault("不属于当前的数据和代码")
        members = {}
        for name, digest in manifest["members"].items():
            members[name] = zf.read(name)
            if hashlib.sha256(members[name]).hexdigest() != digest:
                raise EntryFault(f"的校验和不符（{name}）")
    return members


def _parquet(frame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=None), buffer)
    return buffer.getvalue()


def _missing_markers(frame) -> dict[str, str]:
    """Per text column, how its missing values are written (NaN or None): Parquet gives
    back None for both, and a briefing must read the very values it was made from."""
    import pandas as pd

    markers = {}
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.StringDtype):  # pyarrow-backed text: its own NA kind
            nan = series.dtype.na_value is not pd.NA
            markers[str(column)] = f"string:{series.dtype.storage}:{'nan' if nan else 'na'}"
            continue
        if series.dtype != object:
            continue
        kinds = {type(v) for v in series[series.isna()]}
        if kinds == {float}:
            markers[str(column)] = "nan"
        elif len(kinds) > 1 or kinds - {type(None)}:
            raise EntryFault("含有无法原样保存的缺失值")
    return markers


def _frame(data: bytes, markers: dict[str, str]):
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    frame = pq.read_table(io.BytesIO(data)).to_pandas()
    for column in frame.columns:
        marker = markers.get(str(column), "")
        if marker == "nan":
            frame[column] = frame[column].where(frame[column].notna(), np.nan)
        elif marker.startswith("string:"):
            _, storage, na = marker.split(":")
            dtype = pd.StringDtype(storage, na_value=np.nan if na == "nan" else pd.NA)
            frame[column] = frame[column].astype(dtype)
    return frame


def _file_info(d: dict) -> FileInfo:
    """FileInfo's sequences are tuples; JSON gives lists back."""
    return FileInfo(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def _tagged(value: Any) -> Any:
    """JSON for a value read from YAML: dates tagged so that they come back as dates."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        if any(not isinstance(k, str) or k.startswith("$") for k in value):
            raise EntryFault("含有无法原样保存的键")
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise EntryFault(f"含有无法原样保存的值（{type(value).__name__}）")


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        return {k: _untagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    return value
