"""The pipeline end to end: papermill + nbconvert in one process, atomic and deterministic."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from analysis.errors import OutputError, RunFailedError
from analysis.run.report import BRIEFING_NOTEBOOK, FAILED_NOTEBOOK, run_briefing
from analysis.settings import config
from analysis.settings.params import resolve_params


def test_briefing_is_a_self_contained_chinese_page(built_briefing):
    html = built_briefing.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    assert re.search(r'<meta charset="utf-8"\s*/?>', html)
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == "钟楼区安全生产工作简报（截至2020年10月底）"
    assert "<script" not in html.lower()
    fetched = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, flags=re.I)
    assert fetched == []
    assert "@import" not in html and "url(" not in html


def test_no_xml_style_self_closing_tags(built_briefing):
    # "<a … />" is an open link in HTML: the rest of the page would become one link
    html = built_briefing.read_text(encoding="utf-8")
    assert not re.search(r"<(?:a|div|span|p|section|table|h\d)\b[^>]*/>", html)


def test_briefing_shows_no_code_prompts_or_streams(built_briefing):
    html = built_briefing.read_text(encoding="utf-8")
    assert "briefing.run_params" not in html  # code cells are not shown
    assert "In&nbsp;[" not in html and "jp-InputPrompt" not in html
    assert "Traceback" not in html and "Warning" not in html


def test_outputs_sit_beside_the_briefing(built_briefing):
    out_dir = built_briefing.parent
    assert out_dir.parts[-2:] == ("钟楼区", "2020-10")
    executed = json.loads((out_dir / "briefing.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["parameters"]["period"] == "2020-10"
    assert not list(out_dir.glob(".run-*")), "staging folder left behind"


def test_two_runs_give_identical_bytes(built_briefing, tmp_path, default_params):
    again = run_briefing(default_params, out_root=tmp_path)
    assert again.read_bytes() == built_briefing.read_bytes()


def _broken_notebook(tmp_path):
    nb = json.loads(BRIEFING_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "boom",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["raise ValueError('故意制造的失败')"],
        }
    )
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def test_failed_run_keeps_the_last_good_briefing(tmp_path, default_params):
    good = run_briefing(default_params, out_root=tmp_path)
    before = good.read_bytes()
    with pytest.raises(RunFailedError) as info:
        run_briefing(default_params, out_root=tmp_path, notebook=_broken_notebook(tmp_path))
    message = str(info.value)
    assert re.search(r"第 \d+ 个代码单元格（raise ValueError\(.故意制造的失败.\)）出错", message)
    assert "上一次成功生成的简报未被改动" in message
    assert good.read_bytes() == before
    failed = good.parent / FAILED_NOTEBOOK
    assert failed.exists()
    assert "故意制造的失败" in failed.read_text(encoding="utf-8")


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=config.PROJ_ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--period", "2020-13"], "期间“2020-13”格式不正确"),
        (["--period", "20-10"], "格式不正确"),
        (["--period", "2099-01"], "尚未结束"),
        (["--period", "1999-12"], "早于 2000 年"),
        (["--unit", "不存在街道"], "“不存在街道”不是钟楼区的镇/街道"),
        (["--district", "火星区"], "未知的区“火星区”"),
    ],
)
def test_broken_parameter_gives_chinese_message_and_nonzero_exit(args, expected, tmp_path):
    result = _cli("report", "--out", str(tmp_path), *args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.startswith("错误：参数有误")
    assert not any(tmp_path.iterdir()), "nothing may be written for invalid parameters"


def test_parameters_are_also_validated_inside_the_notebook(tmp_path, default_params):
    bad = default_params.__class__(**{**default_params.__dict__, "period": "2020-13"})
    with pytest.raises(RunFailedError) as info:
        run_briefing(bad, out_root=tmp_path)
    assert "ParameterError" in str(info.value) and "格式不正确" in str(info.value)


def test_town_briefing_goes_to_its_own_folder(tmp_path):
    params = resolve_params(period="2020-09", unit="邹区镇")
    path = run_briefing(params, out_root=tmp_path)
    assert path.parent == tmp_path / "钟楼区" / "2020-09" / "邹区镇"
    assert "<title>邹区镇安全生产工作简报（截至2020年9月底）</title>" in path.read_text("utf-8")


def test_a_folder_named_briefing_html_stops_the_run_and_nothing_is_replaced(tmp_path):
    params = resolve_params(period="2020-09", unit="邹区镇")
    out_dir = tmp_path / params.output_subdir
    out_dir.mkdir(parents=True)
    (out_dir / "indicators.csv").write_text("previous", encoding="utf-8")
    (out_dir / "briefing.html").mkdir()
    with pytest.raises(OutputError, match="briefing.html 是一个文件夹"):
        run_briefing(params, out_root=tmp_path)
    assert sorted(p.name for p in out_dir.iterdir()) == ["briefing.html", "indicators.csv"]
    assert (out_dir / "indicators.csv").read_text(encoding="utf-8") == "previous"


def test_a_district_rebuild_keeps_its_towns_folders(tmp_path, default_params):
    town = tmp_path / default_params.output_subdir / "邹区镇"
    town.mkdir(parents=True)
    (town / "briefing.html").write_text("town briefing", encoding="utf-8")
    run_briefing(default_params, out_root=tmp_path)
    assert (town / "briefing.html").read_text(encoding="utf-8") == "town briefing"


def test_an_allowed_partial_period_states_the_coverage_in_the_header(tmp_path):
    from analysis.assess.coverage import Coverage
    from analysis.inputs.cache import load_tables_cached

    params = resolve_params(period="2020-12", allow_partial=True)
    params = Coverage.of(load_tables_cached(params.data_dir)).apply(params)
    html = run_briefing(params, out_root=tmp_path).read_text(encoding="utf-8")
    start = html.index('<header class="masthead">')
    header = html[start : html.index("<section", start)]  # the 版头 and the notices under it
    assert "数据范围：" in header and "事故与火灾截至2020年10月25日" in header
