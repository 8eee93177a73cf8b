"""Benchmark one briefing: this project's in-process route vs the stock two-CLI route.

All routes run the same notebook with the same parameters, alternated, in one session:

* ours as `make report` runs it again: the kernel is the spare the previous run left
  (analysis.run.spare; the benchmark waits until it has booted, so that its start never slows
  the route timed next);
* ours without a spare (SPARE_KERNEL=0): a first run, or a run after the code changed;
* ours with public APIs only (BRIEFING_PUBLIC_API=1, no spare);
* the stock papermill + nbconvert CLIs.

Prints the median wall time of each, the ratio (target: ours <= 0.35 x stock) and the HTML
size (target: < 300 KB). A monthly briefing (KIND=month, the 形势分析 notebook) is timed
beside them: it should cost no more than the year-to-date one. Run with `make bench`.
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

from analysis.run import spare, speedups
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


def _time_with_spare(cmd: list[str], env: dict[str, str]) -> float:
    """Time ``cmd`` (which claims the waiting spare), then wait for the spare it leaves."""
    took = _time(cmd, env)
    folders = sorted(spare.waiting(), key=lambda f: f.stat().st_mtime)
    if not folders or not spare.wait_until_booted(folders[-1]):
        raise SystemExit("基准测试：运行后没有留下可用的备用内核")
    return took


def main() -> None:
    params = resolve_params()
    notebook = str(config.NOTEBOOKS_DIR / "briefing.ipynb")
    warm, cold, public, stock, monthly = [], [], [], [], []
    with_spare = os.environ | {f"BRIEFING_{spare.FLAG}": "1"}  # as in a terminal
    no_spare = os.environ | {f"BRIEFING_{spare.FLAG}": "0"}
    public_env = no_spare | {speedups.PUBLIC_API_ENV: "1"}
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
        try:
            _time_with_spare(ours_cmd, with_spare)  # warms the file cache; leaves a spare
            for _ in range(REPEATS):
                warm.append(_time_with_spare(ours_cmd, with_spare))
                cold.append(_time(ours_cmd, no_spare))
                public.append(_time(ours_cmd, public_env))
                stock.append(_time(papermill_cmd) + _time(nbconvert_cmd))
                monthly.append(_time_with_spare(monthly_cmd, with_spare))
        finally:
            spare.stop_all()
        html = tmp / "ours" / params.output_subdir / "briefing.html"
        cells = _cell_seconds(tmp / "ours" / params.output_subdir / "briefing.ipynb")
        size = html.stat().st_size
        stock_size = (tmp / "stock.html").stat().st_size
    o, c, p, s, m = (statistics.median(t) for t in (warm, cold, public, stock, monthly))
    print(f"单份简报（{REPEATS} 次取中位数）")
    print(f"  本项目（再次运行，使用上次留下的备用内核）：{o:6.2f} s")
    print(f"  本项目（首次运行或代码改动后，无备用内核）：{c:6.2f} s")
    print(f"  本项目，只用公开接口（{speedups.PUBLIC_API_ENV}=1，无备用内核）：{p:6.2f} s")
    print(f"  常规做法（papermill CLI + nbconvert CLI）：{s:6.2f} s")
    print(f"  比值：{o / s:.2f}（目标 ≤ 0.35；无备用内核 {c / s:.2f}；只用公开接口 {p / s:.2f}）")
    print(
        f"  其中笔记本各单元格本身：{cells:.2f} s（两种做法相同）；"
        f"其余开销：本项目 {o - cells:.2f} s，常规做法 {s - cells:.2f} s"
    )
    print(f"  月度简报（KIND=month）：{m:6.2f} s（年初至今 {o:.2f} s；目标：不多于年初至今）")
    kb = 1024
    print(f"  HTML 大小：{size / kb:.1f} KB（目标 < 300 KB；常规做法 {stock_size / kb:.1f} KB）")


if __name__ == "__main__":
    main()
