"""Benchmark ``briefing.prepare`` in-process for the sample district (钟楼区), year to date
and month: the median of REPEATS timed calls after a warm load cache, and how many indicator
engines one call builds. Run with `python benchmarks/bench_prepare.py`.
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


def _median_seconds(params) -> tuple[float, list[float]]:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        briefing.prepare(params)
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    for kind in KINDS:
        params = briefing.run_params(kind=kind)
        briefing.prepare(params)  # warm: the load cache, the catalogue, the imports
        median, times = _median_seconds(params)
        runs = ", ".join(f"{t:.3f}" for t in times)
        built = _engines_built(params)
        print(f"prepare {kind:>5}: median {median:.3f} s ({runs}); engines built: {built}")


if __name__ == "__main__":
    main()
