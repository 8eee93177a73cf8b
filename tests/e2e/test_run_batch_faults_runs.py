"""Faults of a batch that ended in a traceback or raw English (the runs)."""

from __future__ import annotations

from analysis.errors import RunFailedError


def test_a_single_run_that_hits_a_full_disk_says_so_first(monkeypatch, capsys):
    from analysis import cli

    def full(args):
        raise RunFailedError(
            "简报生成失败：单元格 [7] 出错（OSError）：[Errno 28] No space left on device"
        )

    monkeypatch.setattr(cli, "cmd_report", full)
    assert cli.main(["report"]) == 1
    assert capsys.readouterr().err.startswith("错误：磁盘空间不足")
