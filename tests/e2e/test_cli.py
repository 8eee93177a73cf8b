"""The command line and the Makefile's run targets: values are never run by a shell, switches
mean what they say, faults end in one clean Chinese line, a stale briefing is never mailed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.settings import config
from analysis.terminal import for_terminal


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(extra)
    return env


def _cli(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env=_env(**env),
        cwd=config.PROJ_ROOT,
        timeout=180,
    )


def _make(target: str, *assignments: str):
    """``make <target>`` with the test's interpreter as the environment's Python."""
    return subprocess.run(
        ["make", "-s", target, f"PY={sys.executable}", "STAMP=", *assignments],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=config.PROJ_ROOT,
        timeout=180,
    )


def test_no_make_value_is_run_by_a_shell(tmp_path):
    marks = [tmp_path / f"pwned{i}" for i in range(5)]
    payload = (
        f"`touch {marks[0]}`$(touch {marks[1]});touch {marks[2]}|"
        f"$(shell touch {marks[3]})$$(shell touch {marks[4]})"
    )
    result = _make("report", f"UNIT={payload}")
    assert [m for m in marks if m.exists()] == []
    assert result.returncode != 0
    assert "不是钟楼区的镇/街道" in result.stderr
    assert f"“{payload[:30]}" in result.stderr  # shown literally, not interpreted


@pytest.mark.parametrize(
    ("target", "assignment"),
    [
        ("report", "LENIENT=2"),
        ("report", "ALLOW_PARTIAL=on"),
        ("email", "SEND=maybe"),
        ("email", "LENIENT=nein"),
        ("reports", "LENIENT=-1"),
        ("reports", "ALLOW_PARTIAL=y"),
    ],
)
def test_a_bad_switch_value_is_an_error(target, assignment):
    result = _make(target, assignment)
    name, value = assignment.split("=")
    assert result.returncode != 0
    assert f"错误：参数有误：{name}=“{value}”无效，应为 1/0、true/false 或 yes/no" in result.stderr


@pytest.fixture
def bad_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    path = data / "incidents.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",2019-01-06,", ",2019-13-06,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return data


def test_lenient_0_is_strict(bad_data, tmp_path):
    result = _cli("report", "--out", str(tmp_path / "out"), BRIEFING_LENIENT="0",
                  BRIEFING_DATA_DIR=str(bad_data))  # fmt: skip
    assert result.returncode == 1
    assert "输入数据未通过校验" in result.stderr and "incidents.csv，第 4 行" in result.stderr
    assert not (tmp_path / "out" / "钟楼区").exists()


def test_send_0_does_not_send(tmp_path):
    # with SEND on, the missing SMTP settings would stop the run
    result = _cli("email", "--out", str(tmp_path), BRIEFING_SEND="0")
    assert result.returncode == 0, result.stderr
    assert "邮件已写出" in result.stdout and "并已发送" not in result.stdout


def test_email_rebuilds_a_briefing_that_no_longer_matches_its_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    args = ("--out", str(tmp_path / "out"), "--data-dir", str(data), "--unit", "北港街道")
    assert _cli("report", *args).returncode == 0
    html = tmp_path / "out" / "钟楼区" / "2020-10" / "北港街道" / "briefing.html"
    built = html.stat().st_mtime_ns

    fresh = _cli("email", *args)
    assert fresh.returncode == 0, fresh.stderr
    assert "重新生成" not in fresh.stdout and html.stat().st_mtime_ns == built

    incidents = data / "incidents.csv"
    lines = incidents.read_text(encoding="utf-8-sig").splitlines()
    town = lines[0].split(",").index("town")
    kept = [lines[0]] + [r for r in lines[1:] if r.split(",")[town] != "北港街道"]
    incidents.write_text("\n".join(kept) + "\n", encoding="utf-8-sig")
    stale = _cli("email", *args)
    assert stale.returncode == 0, stale.stderr
    assert "与当前的数据、配置、参数或代码不一致，正在重新生成" in stale.stdout
    assert html.stat().st_mtime_ns != built


def test_output_path_that_is_a_file(tmp_path):
    (tmp_path / "out").write_text("not a folder")
    result = _cli("report", "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        result.stderr
        == f"错误：输出位置 {tmp_path / 'out'} 是一个文件，不是文件夹；请改名或删除后重试\n"
    )


def test_out_that_cannot_be_created(tmp_path):
    result = _cli("report", "--out", "/proc/无法创建/out")
    assert result.returncode == 1
    assert result.stderr.startswith("错误：无法创建输出目录 /proc/无法创建/out：")
    assert len(result.stderr.splitlines()) == 1


def test_terminal_messages_show_escapes_visibly_and_shorten_long_values():
    shown = for_terminal("值“\x1b[31m红\x1b[0m\x1b]0;title\x07\x00\u202e21\u200b”，原因")
    assert shown == "值“红\\x00U+202E21U+200B”，原因"
    long_value = for_terminal(f"“{'长' * 500}”：原因")
    assert long_value == f"“{'长' * 60}……（共 500 字）”：原因"
    long_line = for_terminal("长" * 5000)
    assert len(long_line) < 1100 and long_line.endswith("（此行共 5000 字，已截断）")


def test_cli_errors_go_through_the_terminal_filter(tmp_path):
    result = _cli("report", "--out", str(tmp_path), "--unit", "\x1b[2J镇\u202e" + "x" * 2000)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "U+202E" in result.stderr
    assert "（共 2002 字）" in result.stderr and "不是钟楼区的镇/街道" in result.stderr
    assert not any(Path(tmp_path).iterdir())


def test_make_district_refuses_an_existing_district_in_chinese():
    before = config.UNITS_FILE.read_bytes()
    result = _make("district", "NAME=钟楼区", "TOWNS=甲镇")
    assert result.returncode != 0
    assert "区“钟楼区”已存在" in result.stderr and "未做任何修改" in result.stderr
    assert config.UNITS_FILE.read_bytes() == before


def test_make_report_refuses_a_kind_that_does_not_fit_the_period():
    result = _make("report", "KIND=quarter", "PERIOD=2020-10")
    assert result.returncode == 2
    assert "季度简报的期间应以3月、6月、9月、12月结束，实际为10月" in result.stderr
