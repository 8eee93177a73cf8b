"""The loader's notices on the command line (analysis.run.notices): ``make reports`` prints
a data folder's notices once, however many briefings share it, worded as ``make report``
words them."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

from analysis.errors import DataValidationError, Problem
from analysis.inputs import cache
from analysis.run.notices import batch_notes, data_notes, notes_once
from analysis.settings import config


def params(folder, unit="", strict=True):
    return SimpleNamespace(data_dir=folder, unit=unit, strict=strict)


def test_a_batch_gives_each_folders_notes_once_in_order(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    calls = []

    def notes_of(p):
        calls.append(p.data_dir)
        return [f"{p.data_dir.name} 的提示"]

    jobs = [params(first, u) for u in ("", "邹区镇", "北港街道")] + [params(second)]
    jobs.append(params(tmp_path / "b" / ".." / "a", "西林街道"))  # the same folder, spelt otherwise
    assert notes_once(jobs, notes_of) == ["a 的提示", "b 的提示"]
    assert calls == [first, second]


def test_a_folder_that_cannot_be_loaded_adds_no_notes(tmp_path):
    def notes_of(p):
        if p.data_dir.name == "bad":
            raise DataValidationError([Problem("x.csv", None, None, None, "坏")])
        return ["好"]

    jobs = [params(tmp_path / "bad"), params(tmp_path / "good")]
    assert notes_once(jobs, notes_of) == ["好"]


def test_a_batch_prints_the_same_words_as_a_single_report(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cache, "_memory", {})
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "notes.docx").write_bytes(b"x")
    (data / "~$incidents.xlsx").write_bytes(b"x")
    one = data_notes(params(data))
    assert [n.split("：")[0] for n in one] == ["文件 notes.docx", "文件 ~$incidents.xlsx"]
    towns = [params(data, u) for u in ("", "邹区镇", "北港街道", "西林街道")]
    assert notes_once(towns) == one


def test_the_sample_folder_has_no_notes(tmp_path, monkeypatch):
    """MANIFEST.yaml and SYNTHETIC are the folder's own files, not entries left unread."""
    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(cache, "_memory", {})
    assert {"MANIFEST.yaml", "SYNTHETIC"} <= {p.name for p in config.SAMPLE_DATA_DIR.iterdir()}
    assert notes_once([params(config.SAMPLE_DATA_DIR)]) == []


def test_a_rerun_that_rebuilds_nothing_reads_no_data_for_notices(tmp_path):
    calls = []

    def notes_of(p):
        calls.append(p.unit)
        return ["提示"]

    def outcome(status, unit):
        return SimpleNamespace(status=status, params=params(tmp_path / "a", unit))

    fresh = [outcome("up-to-date", u) for u in ("", "邹区镇")]
    assert batch_notes(fresh, notes_of) == [] and calls == []
    assert batch_notes([*fresh, outcome("built", "北港街道")], notes_of) == ["提示"]
    assert batch_notes([outcome("failed", "西林街道")], notes_of) == ["提示"]
    assert calls == ["北港街道", "西林街道"]
