"""Benchmark the batch: every district and town briefing of Jan-Oct 2020 (what `make reports`
plans) with this project's batch runner vs the stock route (papermill CLI then
`jupyter nbconvert --no-input`, one briefing after another), the no-op re-run, and the peak
memory of each (all processes of the run, sampled from /proc).

Targets: the batch <= 80 s on 2 cores; the no-op re-run <= 0.5 s. The stock route takes many
minutes, so by default STOCK_SAMPLE of its runs are timed and scaled up (printed as such);
BENCH_STOCK_SAMPLE=N times N of them (0 or more than the batch: all).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from analysis.run.batch import default_workers, run_batch
from analysis.run.planning import plan
from analysis.settings import config

STOCK_SAMPLE = 10
HTML_ONLY = ("html",)  # what the stock route makes; bench_formats times the other formats
BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(statm.split()[1]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Samples this process tree's total RSS every 50 ms while in the ``with`` block."""

    def __enter__(self):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(os.getpid()))
            self._stop.wait(0.05)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def stock_route(jobs, tmp: Path) -> float:
    notebook = str(config.NOTEBOOKS_DIR / "briefing.ipynb")
    start = time.perf_counter()
    for i, job in enumerate(jobs):
        executed = tmp / f"stock-{i}.ipynb"
        cmd = [str(BIN / "papermill"), notebook, str(executed), "--cwd", "notebooks"]
        cmd += ["-k", "python3"]
        for key, value in job.params.as_notebook_parameters().items():
            if value not in (None, ""):
                cmd += ["-p", key, str(value)]
        subprocess.run(cmd, check=True, capture_output=True, cwd=config.PROJ_ROOT)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def main() -> None:
    jobs = plan()
    sample = int(os.environ.get("BENCH_STOCK_SAMPLE", STOCK_SAMPLE))
    sample = len(jobs) if sample <= 0 or sample > len(jobs) else sample
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with PeakMemory() as mem_batch:
            start = time.perf_counter()
            summary = run_batch(jobs, out_root=tmp / "batch", progress=False, formats=HTML_ONLY)
            batch_s = time.perf_counter() - start
        assert summary.ok, "batch failed"
        # the no-op re-run as an analyst meets it: a fresh `python -m analysis reports`
        start = time.perf_counter()
        again = subprocess.run(
            [sys.executable, "-m", "analysis", "reports", "--out", str(tmp / "batch")]
            + ["--formats", "html"],
            check=True,
            capture_output=True,
            text=True,
            cwd=config.PROJ_ROOT,
        )
        noop_s = time.perf_counter() - start
        assert "新生成 0 份" in again.stdout, again.stdout
        with PeakMemory() as mem_stock:
            stock_s = stock_route(jobs[:sample], tmp) * len(jobs) / sample
    scaled = "" if sample == len(jobs) else f"（按 {sample} 份实测推算）"
    print(f"批量生成 {len(jobs)} 份 HTML 简报（{os.cpu_count()} 核，{default_workers()} 个进程）")
    mb = 2**20
    print(f"  本项目批量（并行、常驻内核）：{batch_s:7.1f} s（目标 ≤ 80 s），", end="")
    print(f"内存峰值 {mem_batch.peak / mb:.0f} MB")
    print(
        f"  常规做法（papermill + nbconvert 逐份）：{stock_s:7.1f} s{scaled}，"
        f"内存峰值 {mem_stock.peak / mb:.0f} MB"
    )
    print(f"  比值：{batch_s / stock_s:.3f}")
    print(f"  无变化时重跑（make reports）：{noop_s:.2f} s（目标 ≤ 0.5 s）")


if __name__ == "__main__":
    main()
