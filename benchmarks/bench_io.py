"""Benchmark loading and validation (analysis.inputs): the shipped sample folder, and one
inspections file of N rows (default 200,000) whose last row has a bad cell. Target: the
sample folder under 1 s and the large file under 5 s (CPU time, best of REPEATS).

    .venv/bin/python benchmarks/bench_io.py [n_rows]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.inputs import load_table, load_tables, schema
from analysis.settings import config

REPEATS = 3
TARGET_SAMPLE_SECONDS = 1.0
TARGET_LARGE_SECONDS = 5.0
UNITS = {"districts": {"钟楼区": {"towns": ["邹区镇"]}}}


def _best(run) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def _large_file(folder: Path, n: int) -> Path:
    frame = pd.DataFrame(
        {
            "inspection_id": [f"J{i}" for i in range(n)],
            "district": "钟楼区",
            "town": "邹区镇",
            "date": "2020-03-01",
            "department": "区应急管理局",
            "enterprise_id": "E1",
            "in_plan": "true",
            "inspectors": "2",
            "experts": "0",
        }
    )
    frame.loc[n - 1, "experts"] = "-3"
    path = folder / "inspections.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 200_000
    sample = config.PROJ_ROOT / "data" / "sample"
    sample_s = _best(lambda: load_tables(sample, today=date(2021, 1, 15)))
    with tempfile.TemporaryDirectory() as tmp:
        path = _large_file(Path(tmp), n)
        large_s = _best(
            lambda: load_table(
                path, schema.INSPECTIONS, today=date(2021, 1, 15), units=UNITS, column_map={}
            )
        )
    print(f"sample folder: best {sample_s:.2f} s CPU of {REPEATS} runs")
    print(f"{n:,}-row inspections file: best {large_s:.2f} s CPU of {REPEATS} runs")
    ok = sample_s < TARGET_SAMPLE_SECONDS and large_s < TARGET_LARGE_SECONDS
    print(
        f"targets < {TARGET_SAMPLE_SECONDS:.0f} s / < {TARGET_LARGE_SECONDS:.0f} s: "
        f"{'OK' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
