"""Benchmark one briefing: this project's in-process route vs the stock two-CLI route.

All routes run the same notebook with the same parameters, alternated, in one session: ours
with the speed-ups of analysis.speedups, ours with public APIs only (BRIEFING_PUBLIC_API=1),
and the stock papermill + nbconvert CLIs. Prints the median wall time of each, the ratio
(target: ours <= 0.35 x stock) and the HTML size (target: < 300 KB). A monthly briefing
(KIND=month, the 形势分析 notebook) is timed beside them: it should cost no more than the
year-to-date one. Run with `make bench`.
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

from analysis import config, speedups
from analysis.params import resolve_params

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


def main() -> None:
    params = resolve_params()
    notebook = str(config.NOTEBOOKS_DIR / "briefing.ipynb")
    ours, public, stock, monthly = [], [], [], []
    public_env = os.environ | {speedups.PUBLIC_API_ENV: "1"}
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
        _time(ours_cmd)  # warm the file cache once for both routes
        for _ in range(REPEATS):
            ours.append(_time(ours_cmd))
            public.append(_time(ours_cmd, public_env))
            stock.append(_time(papermill_cmd) + _time(nbconvert_cmd))
            monthly.append(_time(monthly_cmd))
        html = tmp / "ours" / params.output_subdir / "briefing.html"
        cells = _cell_seconds(tmp / "ours" / params.output_subdir / "briefing.ipynb")
        size = html.stat().st_size
        stock_size = (tmp / "stock.html").stat().st_size
    o, p, s, m = (statistics.median(t) for t in (ours, public, stock, monthly))
    print(f"单份简报（{REPEATS} 次取中位数）")
    print(f"  本项目（进程内 papermill + nbconvert）：{o:6.2f} s")
    print(f"  本项目，只用公开接口（{speedups.PUBLIC_API_ENV}=1）：{p:6.2f} s")
    print(f"  常规做法（papermill CLI + nbconvert CLI）：{s:6.2f} s")
    print(f"  比值：{o / s:.2f}（目标 ≤ 0.35；只用公开接口 {p / s:.2f}）")
    print(
        f"  其中笔记本各单元格本身：{cells:.2f} s（两种做法相同）；"
        f"其余开销：本项目 {o - cells:.2f} s，常规做法 {s - cells:.2f} s"
    )
    print(f"  月度简报（KIND=month）：{m:6.2f} s（年初至今 {o:.2f} s；目标：不多于年初至今）")
    kb = 1024
    print(f"  HTML 大小：{size / kb:.1f} KB（目标 < 300 KB；常规做法 {stock_size / kb:.1f} KB）")


if __name__ == "__main__":
    main()
