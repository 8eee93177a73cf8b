"""Benchmark the indicator engine: 1,000,000 inspections and 100,000 hazards (synthetic),
every indicator of the catalogue for the district and each town × the 12 month ends of
2020. Target: under 3 s wall time on 2 cores.

Prints generation time, engine wall time (best of REPEATS), rows produced, the time of one
monthly series (the briefing's cumulative chart), and peak memory (tracemalloc peak of the
engine run, and the process's max RSS).

    .venv/bin/python benchmarks/bench_indicators.py [n_inspections] [n_hazards]
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

from large_tables import make_large_tables

from analysis.indicators import compute_panel, monthly_series

REPEATS = 3
TARGET_SECONDS = 3.0
CHART_IDS = ["hazards_found", "hazards_rectified", "accidents"]  # a cumulative chart


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    n_insp = int(argv[0]) if argv else 1_000_000
    n_haz = int(argv[1]) if len(argv) > 1 else 100_000
    t0 = time.perf_counter()
    tables = make_large_tables(n_inspections=n_insp, n_hazards=n_haz, seed=1)
    gen = time.perf_counter() - t0
    months = [f"2020-{m:02d}" for m in range(1, 13)]
    times = []
    rows = 0
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        panel = compute_panel(tables, "钟楼区", months)
        times.append(time.perf_counter() - t0)
        rows = len(panel)
    tracemalloc.start()
    compute_panel(tables, "钟楼区", months)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t0 = time.perf_counter()
    monthly_series(tables, "钟楼区", "2020-10", CHART_IDS)
    chart = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = min(times)
    print(f"data: {n_insp:,} inspections, {n_haz:,} hazards (generated in {gen:.1f} s)")
    print(f"engine: best {best:.2f} s of {REPEATS} runs ({', '.join(f'{t:.2f}' for t in times)})")
    print(f"rows: {rows:,} (indicators × (towns + district) × 12 months)")
    print(f"monthly series ({len(CHART_IDS)} indicators, 22 months, one panel): {chart:.2f} s")
    print(f"peak memory: tracemalloc {peak / 2**20:.0f} MB, max RSS {rss:.0f} MB")
    ok = best < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:.0f} s: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
