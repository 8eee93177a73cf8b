"""The table cache holds data, never code (issue class 4): Parquet in a zip with checksums.
A planted pickle, a symlink, a FIFO, another user's file or a damaged entry is discarded with
a note and the tables are read again; what a briefing reads from the cache is exactly what
it would have read from the files."""

from __future__ import annotations

import functools
import io
import os
import pickle
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sample_copies import sample_with_bad_date

from analysis.inputs import cache
from analysis.inputs.load import load_tables
from analysis.settings import config

TODAY = date(2026, 12, 1)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "outputs" / ".cache"
    monkeypatch.setattr(cache, "CACHE_DIR", folder)
    monkeypatch.setattr(cache, "_memory", {})
    return folder


@pytest.fixture
def lenient_data(tmp_path):
    """The sample data with rows the lenient mode rejects (problems and rejects non-empty)."""
    return sample_with_bad_date(tmp_path / "data")


def assert_same_result(got, expected):
    assert list(got.tables) == list(expected.tables)
    for name in expected.tables:
        _assert_same_frame(got.tables[name], expected.tables[name])
    _assert_same_frame(got.rejects, expected.rejects)
    for attr in ("files", "problems", "strict", "data_dir", "synthetic", "manifest", "today"):
        assert getattr(got, attr) == getattr(expected, attr), attr
    assert got.coverage == expected.coverage


def _assert_same_frame(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    for column in expected.columns:  # NaN stays NaN, None stays None
        assert got[column].map(type).tolist() == expected[column].map(type).tolist(), column


# (strict mode refuses the lenient folder's data, and only successful loads are cached)
@pytest.mark.parametrize(
    "folder, strict",
    [("sample", True), ("sample", False), ("sample_city", True), ("sample_city", False),
     ("lenient", False)],
)  # fmt: skip
def test_an_entry_gives_back_exactly_what_was_loaded(folder, strict, lenient_data):
    data = lenient_data if folder == "lenient" else config.DATA_DIR / folder
    loaded = load_tables(data, strict=strict, today=TODAY)
    if folder == "lenient":
        assert loaded.problems and len(loaded.rejects)
    entry = cache.encode_entry(loaded, "k" * 64)
    assert_same_result(cache.decode_entry(entry, "k" * 64), loaded)


class _CreatesAFile:
    """Unpickling this creates a file: proof that a planted pickle ran code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _key_and_entry(data_dir: Path, strict: bool = True) -> tuple[str, Path]:
    key = cache.cache_key(data_dir.resolve(), strict, TODAY)
    return key, cache.entry_path(key)


def test_a_planted_pickle_never_runs(cache_dir, tmp_path, capsys):
    marker = tmp_path / "pwned"
    key, entry = _key_and_entry(config.SAMPLE_DATA_DIR)
    cache_dir.mkdir(parents=True)
    payload = pickle.dumps(_CreatesAFile(marker))
    # where earlier versions looked, and where this one looks
    entry.with_name(f"tables-{key[:32]}.pkl").write_bytes(payload)
    entry.write_bytes(payload)

    result = cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)

    assert not marker.exists()
    assert_same_result(result, _sample())
    assert "表格缓存" in capsys.readouterr().err
    assert not list(cache_dir.glob("*.pkl")), "old pickles are removed, unread"
    assert zipfile.is_zipfile(entry), "rebuilt as data"


@functools.cache
def _sample():
    return load_tables(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)


def _valid_entry(key: str) -> bytes:
    return cache.encode_entry(_sample(), key)


def _flip_one_byte_of_a_table(data: bytes) -> bytes:
    start = data.index(b"PAR1", 200) + 40  # inside the first Parquet member
    return data[:start] + bytes([data[start] ^ 0xFF]) + data[start + 1 :]


def _with_manifest_key(data: bytes, key: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "manifest.json":
                body = body.replace(body[body.index(b'"key"') + 8 :][:64], key.encode())
            dst.writestr(info.filename, body)
    return out.getvalue()


DAMAGE = {
    "truncated": lambda data, key: data[: len(data) // 2],
    "empty": lambda data, key: b"",
    "a table changed": lambda data, key: _flip_one_byte_of_a_table(data),
    "another key's entry": lambda data, key: _valid_entry("0" * 64),
    "manifest of another key": lambda data, key: _with_manifest_key(data, "0" * 64),
    "not a zip": lambda data, key: b"\x80\x04\x95 junk",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_is_discarded_and_rebuilt_with_a_note(cache_dir, capsys, damage):
    key, entry = _key_and_entry(config.SAMPLE_DATA_DIR)
    cache_dir.mkdir(parents=True)
    entry.write_bytes(DAMAGE[damage](_valid_entry(key), key))

    result = cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)

    assert_same_result(result, _sample())
    note = capsys.readouterr().err
    assert "提示：表格缓存" in note and "已丢弃，正在重新读取数据" in note
    assert_same_result(cache.decode_entry(entry.read_bytes(), key), result)


def test_a_symlink_entry_is_removed_and_its_target_left_alone(cache_dir, tmp_path, capsys):
    key, entry = _key_and_entry(config.SAMPLE_DATA_DIR)
    cache_dir.mkdir(parents=True)
    target = tmp_path / "elsewhere.zip"
    target.write_bytes(_valid_entry(key))  # even a valid entry is not taken through a link
    before = target.read_bytes()
    entry.symlink_to(target)

    cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)

    assert "是符号链接" in capsys.readouterr().err
    assert not entry.is_symlink() and zipfile.is_zipfile(entry)
    assert target.read_bytes() == before


def test_a_fifo_entry_never_blocks(cache_dir, capsys):
    key, entry = _key_and_entry(config.SAMPLE_DATA_DIR)
    cache_dir.mkdir(parents=True)
    os.mkfifo(entry)
    cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)
    assert "不是普通文件" in capsys.readouterr().err
    assert zipfile.is_zipfile(entry)


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
def test_another_users_entry_is_not_trusted(cache_dir, capsys):
    key, entry = _key_and_entry(config.SAMPLE_DATA_DIR)
    cache_dir.mkdir(parents=True)
    entry.write_bytes(_valid_entry(key))
    os.chown(entry, 65534, 65534)
    cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)
    assert "不是当前用户写入的" in capsys.readouterr().err
    assert entry.stat().st_uid == os.getuid()


def test_a_symlinked_cache_folder_is_not_used(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / ".cache"
    link.symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.setattr(cache, "CACHE_DIR", link)
    monkeypatch.setattr(cache, "_memory", {})
    cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)
    assert "不是当前用户自己的文件夹" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_a_new_cache_folder_is_private(cache_dir):
    cache.load_tables_cached(config.SAMPLE_DATA_DIR, strict=True, today=TODAY)
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert [p.suffix for p in cache_dir.iterdir()] == [".zip"]
