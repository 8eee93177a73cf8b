"""Files present are never treated as absent (analysis.inputs.load), and each dated table's
coverage (first and last record date) is part of the LoadResult."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from test_load import BASE, NO_MAP, TODAY, UNITS, assert_problem, make_dir, only, strict_problems

from analysis.errors import DataValidationError
from analysis.inputs import load_table, load_tables, path_problem, schema


def load(data_dir: Path, strict: bool = True):
    return load_tables(data_dir, strict=strict, today=TODAY, units=UNITS, column_map=NO_MAP)


@pytest.mark.parametrize("name", ["incidents.CSV", "Incidents.Csv", "INCIDENTS.csv"])
def test_data_file_names_match_case_insensitively(tmp_path, name):
    make_dir(tmp_path)
    (tmp_path / "incidents.csv").rename(tmp_path / name)
    result = load(tmp_path)
    assert result.file("incidents").name == name
    assert result.tables["incidents"]["incident_id"].tolist() == ["SG1", "HZ1"]


def test_upper_case_xlsx_extension_is_read_as_excel(tmp_path):
    make_dir(tmp_path, cases=None)
    wb = openpyxl.Workbook()
    for row in BASE["cases"]:
        wb.active.append(row)
    wb.save(tmp_path / "cases.XLSX")
    result = load(tmp_path)
    assert result.file("cases").encoding is None  # read as a workbook, not as text
    assert result.tables["cases"]["fine_wan"].tolist() == [2.5, 30.0]


def test_two_candidate_files_are_both_named(tmp_path):
    make_dir(tmp_path)
    (tmp_path / "incidents.XLSX").write_bytes(b"")
    p = only(strict_problems(tmp_path))
    assert "incidents.csv" in p.reason and "incidents.XLSX" in p.reason
    assert "只保留一个" in p.reason


def _refused(tmp_path: Path, table: str) -> str:
    with pytest.raises(DataValidationError) as info:
        load(tmp_path, strict=False)  # refused in lenient mode too: never an empty table
    p = only(info.value.problems)
    assert p.file == str(tmp_path / f"{table}.csv")
    assert "缺少" not in p.reason and str(tmp_path / f"{table}.csv") in p.reason
    return p.reason


def test_folder_in_place_of_a_required_file(tmp_path):
    make_dir(tmp_path, incidents=None)
    (tmp_path / "incidents.csv").mkdir()
    assert "是一个文件夹" in _refused(tmp_path, "incidents")


def test_folder_in_place_of_an_optional_file_is_not_an_absent_table(tmp_path):
    make_dir(tmp_path)
    (tmp_path / "media.csv").mkdir()
    assert "是一个文件夹" in _refused(tmp_path, "media")


def test_fifo_in_place_of_a_file_is_refused_without_blocking(tmp_path):
    make_dir(tmp_path, hazards=None)
    os.mkfifo(tmp_path / "hazards.csv")  # opening it for reading would wait forever
    assert "命名管道" in _refused(tmp_path, "hazards")


def test_device_in_place_of_a_file(tmp_path):
    make_dir(tmp_path, cases=None)
    (tmp_path / "cases.csv").symlink_to("/dev/null")
    assert "设备文件" in _refused(tmp_path, "cases")


def test_symlink_loop(tmp_path):
    make_dir(tmp_path, inspections=None)
    (tmp_path / "inspections.csv").symlink_to(tmp_path / "loop.csv")
    (tmp_path / "loop.csv").symlink_to(tmp_path / "inspections.csv")
    assert "循环的符号链接" in _refused(tmp_path, "inspections")


def test_broken_symlink(tmp_path):
    make_dir(tmp_path, enterprises=None)
    (tmp_path / "enterprises.csv").symlink_to(tmp_path / "moved-away.csv")
    assert "指向不存在文件" in _refused(tmp_path, "enterprises")


def test_symlink_to_a_regular_file_is_read(tmp_path):
    make_dir(tmp_path)
    (tmp_path / "incidents.csv").rename(tmp_path / "real.txt")
    (tmp_path / "incidents.csv").symlink_to(tmp_path / "real.txt")
    assert load(tmp_path).file("incidents").rows_read == 2


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    make_dir(tmp_path)
    locked = tmp_path / "cases.csv"
    read_bytes = Path.read_bytes

    def deny(self: Path) -> bytes:  # chmod 000 does not stop root, so deny like the OS would
        if self == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert "没有读取权限" in _refused(tmp_path, "cases")
    _, problems = load_table(locked, schema.CASES, today=TODAY, units=UNITS, column_map=NO_MAP)
    assert_problem(only(problems), str(locked), None, None, "没有读取权限")


def test_data_dir_that_is_a_file(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(DataValidationError, match="数据目录不是文件夹"):
        load(path)


def test_path_problem_is_none_for_a_regular_file(tmp_path):
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    assert path_problem(tmp_path / "a.csv") is None
    assert path_problem(tmp_path / "b.csv") == "文件不存在"


# --------------------------------------------------------------------------- coverage


def test_coverage_is_first_and_last_date_of_each_dated_table(tmp_path):
    make_dir(tmp_path)
    result = load(tmp_path)
    dated = {t.name for t in schema.TABLES.values() if t.date_column}
    assert set(result.coverage) == dated
    assert result.coverage["incidents"] == (date(2020, 3, 4), date(2020, 4, 5))
    assert result.coverage["hazards"] == (date(2020, 3, 1), date(2020, 10, 1))
    assert result.last_date("cases") == date(2020, 7, 1)
    assert result.coverage["media"] == (None, None)  # no file: no rows, no coverage
    with pytest.raises(KeyError):
        result.last_date("enterprises")  # not a dated table


def test_coverage_counts_only_the_rows_kept(tmp_path):
    cases = [list(r) for r in BASE["cases"]]
    cases[2][cases[0].index("kind")] = "其他"  # the July case is rejected in lenient mode
    make_dir(tmp_path, cases=cases)
    result = load(tmp_path, strict=False)
    assert result.coverage["cases"] == (date(2020, 6, 1), date(2020, 6, 1))


def test_data_dir_that_is_missing_a_loop_or_unreadable(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    with pytest.raises(DataValidationError, match="数据目录不存在"):
        load(tmp_path / "nowhere")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(DataValidationError, match="数据目录是循环的符号链接"):
        load(tmp_path / "a")
    data_dir = make_dir(tmp_path / "data")

    def deny(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "listdir", deny)
    with pytest.raises(DataValidationError, match="数据目录没有读取权限") as info:
        load(data_dir)
    assert info.value.problems[0].file == str(data_dir)
