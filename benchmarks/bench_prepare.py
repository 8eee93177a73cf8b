"""Benchmark ``briefing.prepare`` in-process for the sample district (钟楼区), year to date
and month: the median wall-clock and CPU seconds of REPEATS calls after a warm load cache,
and how many indicator engines one call builds. Run `python benchmarks/bench_prepare.py`.
"""

from __future__ import annotations

import statistics
import time

from analysis import briefing
from analysis.indicators import engine

REPEATS = 3
KINDS = ("ytd", "month")


def _engines_built(params) -> int:
    """How many ``Engine`` objects one ``prepare(params)`` constructs."""
    built = 0
    original = engine.Engine.__init__

    def counting(self, *args, **kwargs):
        nonlocal built
        built += 1
        original(self, *args, **kwargs)

    engine.Engine.__init__ = counting
    try:
        briefing.prepare(params)
    finally:
        engine.Engine.__init__ = original
    return built


def _timed(params) -> tuple[list[float], list[float]]:
    """(wall-clock seconds, CPU seconds of this process) of REPEATS calls: on a shared
    machine the CPU time is the steadier of the two."""
    wall, cpu = [], []
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        briefing.prepare(params)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    for kind in KINDS:
        params = briefing.run_params(kind=kind)
        briefing.prepare(params)  # warm: the load cache, the catalogue, the imports
        wall, cpu = _timed(params)
        runs = ", ".join(f"{t:.3f}" for t in wall)
        built = _engines_built(params)
        print(
            f"prepare {kind:>5}: median {statistics.median(wall):.3f} s ({runs}), "
            f"CPU {statistics.median(cpu):.3f} s; engines built: {built}"
        )


if __name__ == "__main__":
    main()
