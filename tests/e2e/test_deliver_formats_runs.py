"""The output formats of the sample briefing (the runs)."""

from __future__ import annotations

import shutil

import pytest

from analysis.deliver import write_formats


def test_a_failing_format_leaves_the_output_folder_untouched(default_params, tmp_path, monkeypatch):
    """The formats are written in the staging folder: when one fails, nothing is promoted."""
    import analysis.run.report
    from analysis.errors import PdfError

    def broken(out_dir, formats, *early):
        (out_dir / "briefing.xlsx").write_bytes(b"half")
        raise PdfError("打印失败")

    monkeypatch.setattr(analysis.run.report, "write_formats", broken)
    with pytest.raises(PdfError):
        analysis.run.report.run_briefing(default_params, out_root=tmp_path, formats=("html", "pdf"))
    out_dir = tmp_path / default_params.output_subdir
    left = list(out_dir.iterdir()) if out_dir.exists() else []
    assert left == [], "a failed run must not leave files behind"


def test_the_run_writes_html_and_xlsx_by_default(built_briefing):
    assert (built_briefing.parent / "briefing.xlsx").exists()
    assert not (built_briefing.parent / "briefing.docx").exists()
    assert not list(built_briefing.parent.glob(".run-*")), "staging folder left behind"


def test_write_formats_writes_only_what_was_asked(built_briefing, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(built_briefing.parent, out)
    for name in ("briefing.xlsx", "briefing.docx"):
        (out / name).unlink(missing_ok=True)
    written = write_formats(out, ("html", "docx"))
    assert [p.name for p in written] == ["briefing.docx"]
    assert not (out / "briefing.xlsx").exists()


@pytest.mark.parametrize("command", ["report", "email", "reports"])
def test_every_command_rejects_an_unknown_format(command, capsys):
    from analysis import cli

    assert cli.main([command, "--formats", "html,word"]) == 2
    assert "不支持的输出格式：word" in capsys.readouterr().err
