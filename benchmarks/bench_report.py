"""Benchmark one briefing: this project's in-process route vs the stock two-CLI route.

All routes run the same notebook with the same parameters, alternated, in one session:

* ours, as `make report` runs it (a kernel started for the run, public APIs only);
* the stock papermill + nbconvert CLIs;
* a re-render of `make watch` after wording.yaml is saved (its kernel kept between renders).

Prints the median wall time of each, the ratio and the HTML size (target: < 300 KB). A
monthly briefing (KIND=month, the 形势分析 notebook) is timed beside them: it should cost no
more than the year-to-date one. Run with `make bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.settings import config
from analysis.settings.params import resolve_params

REPEATS = 5
BIN = Path(sys.executable).parent


def _time(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=config.PROJ_ROOT, env=env)
    return time.perf_counter() - start


def _cell_seconds(executed: Path) -> float:
    """The time the notebook's cells took (papermill's per-cell durations)."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    return sum(c["metadata"].get("papermill", {}).get("duration") or 0 for c in cells)


def _watch_rerender(tmp: Path, rounds: int) -> list[float]:
    """Seconds from saving wording.yaml to `make watch`'s line for the re-render."""
    wording = config.CONFIG_DIR / "wording.yaml"
    cmd = [sys.executable, "-m", "analysis", "watch", "--out", str(tmp / "watch")]
    watch = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=config.PROJ_ROOT)
    took = []
    try:
        _line_with(watch, "已重新生成")  # the first render
        for _ in range(rounds):
            start = time.perf_counter()
            os.utime(wording)  # a save that changes nothing but the time
            _line_with(watch, "已重新生成")
            took.append(time.perf_counter() - start)
    finally:
        watch.terminate()
        watch.wait()
    return took


def _line_with(process: subprocess.Popen, text: str) -> str:
    for line in process.stdout:
        if text in line:
            return line
    raise SystemExit(f"基准测试：make watch 没有输出“{text}”就结束了")


def main() -> None:
    params = resolve_params()
    notebook = str(config.NOTEBOOKS_DIR / "briefing.ipynb")
    ours, stock, monthly = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours_cmd = [sys.executable, "-m", "analysis", "report", "--out", str(tmp / "ours")]
        monthly_cmd = [*ours_cmd, "--kind", "month"]
        executed = str(tmp / "stock.ipynb")
        # -k python3: the interpreter's own kernel, as the project's runs use (the notebook
        # names the kernel `make lab` registers, which a bare environment may lack)
        papermill_cmd = [str(BIN / "papermill"), notebook, executed, "--cwd", "notebooks"]
        papermill_cmd += ["-k", "python3"]
        for key, value in params.as_notebook_parameters().items():
            if value not in (None, ""):
                papermill_cmd += ["-p", key, str(value)]
        nbconvert_cmd = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", executed]
        _time(ours_cmd)  # warms the file cache
        for _ in range(REPEATS):
            ours.append(_time(ours_cmd))
            stock.append(_time(papermill_cmd) + _time(nbconvert_cmd))
            monthly.append(_time(monthly_cmd))
        rerender = _watch_rerender(tmp, REPEATS)
        html = tmp / "ours" / params.output_subdir / "briefing.html"
        cells = _cell_seconds(tmp / "ours" / params.output_subdir / "briefing.ipynb")
        size = html.stat().st_size
        stock_size = (tmp / "stock.html").stat().st_size
    o, s, m, w = (statistics.median(t) for t in (ours, stock, monthly, rerender))
    print(f"单份简报（{REPEATS} 次取中位数）")
    print(f"  本项目（make report，只用公开接口，运行结束不留进程）：{o:6.2f} s")
    print(f"  常规做法（papermill CLI + nbconvert CLI）：{s:6.2f} s")
    print(f"  比值：{o / s:.2f}")
    print(f"  make watch 保存 wording.yaml 后重新生成：{w:6.2f} s（内核保留；比值 {w / s:.2f}）")
    print(
        f"  其中笔记本各单元格本身：{cells:.2f} s（两种做法相同）；"
        f"其余开销：本项目 {o - cells:.2f} s，常规做法 {s - cells:.2f} s"
    )
    print(f"  月度简报（KIND=month）：{m:6.2f} s（年初至今 {o:.2f} s；目标：不多于年初至今）")
    kb = 1024
    print(f"  HTML 大小：{size / kb:.1f} KB（目标 < 300 KB；常规做法 {stock_size / kb:.1f} KB）")


if __name__ == "__main__":
    main()
