"""`make watch`: one kernel, a re-render with a line of its own after every save, Ctrl-C to
end (through the command line, on a copy of the configuration)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from analysis.settings import config


def _line_with(process: subprocess.Popen, text: str) -> str:
    for line in process.stdout:
        if text in line:
            return line
    raise AssertionError(f"watch ended without “{text}”: {process.stderr.read()}")


def test_saving_the_wording_renders_the_briefing_again(tmp_path, runtime_home):
    settings = tmp_path / "config"
    shutil.copytree(config.CONFIG_DIR, settings)
    env = os.environ | {"BRIEFING_CONFIG_DIR": str(settings), "XDG_RUNTIME_DIR": str(runtime_home)}
    out = tmp_path / "out"
    watch = subprocess.Popen(
        [sys.executable, "-m", "analysis", "watch", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=config.PROJ_ROOT,
    )
    try:
        first = _line_with(watch, "已重新生成")
        html = out / "钟楼区" / "2020-10" / "briefing.html"
        assert "共发生各类生产安全事故" in html.read_text(encoding="utf-8")
        wording = settings / "wording.yaml"
        text = wording.read_text(encoding="utf-8")
        wording.write_text(text.replace("共发生各类生产安全事故", "共发生生产安全事故"), "utf-8")
        second = _line_with(watch, "已重新生成")
        assert "用时" in first and "用时" in second
        assert "共发生生产安全事故" in html.read_text(encoding="utf-8")
    finally:
        watch.send_signal(signal.SIGINT)
        out_text, err = watch.communicate()
    assert watch.returncode == 0, err
    assert "已结束监视" in out_text
