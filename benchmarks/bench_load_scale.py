"""Benchmark loading at scale: a 2,000,000-row incidents CSV (as UTF-8, as GBK the way Excel
saves "CSV" on Chinese Windows, and as UTF-8 with every cell in quotes the way many systems
export) and a 2,000,000-row inspections CSV, each loaded by ``analysis.inputs.load_table`` in
a fresh process, with wall time and peak memory (the process's own high-water mark of
resident memory, VmHWM). Target (issue: data as bureaus export it): at most 15 s and 1 GiB
each.

The same files are loaded by the package of a previous revision (``BASELINE_REV``, before
columnar reading) so the two approaches are printed side by side; that needs git and is
skipped with BENCH_BASELINE=0.

    .venv/bin/python benchmarks/bench_load_scale.py [n_rows]
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.settings import config, places, reference_data

BASELINE_REV = "6406443"  # main before columnar reading
TARGET_SECONDS = 15.0
TARGET_BYTES = 1 << 30
_CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
try:
    from analysis.inputs import load_table, schema
except ImportError:  # a revision before the stage packages
    from analysis import schema
    from analysis.io import load_table
path, table = Path(sys.argv[1]), schema.TABLES[sys.argv[2]]
units = {"districts": {"钟楼区": {"towns": json.loads(sys.argv[3])}}}
start = time.perf_counter()
frame, problems = load_table(path, table, today=date(2021, 1, 15), units=units, column_map={})
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: ru_maxrss keeps the parent's size across fork and exec
status = Path("/proc/self/status").read_text().splitlines()
hwm = [int(line.split()[1]) for line in status if line.startswith("VmHWM:")]
peak = hwm[0] * 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "rows": len(frame),
                  "problems": len(problems)}))
"""


def _write(folder: Path, n: int) -> tuple[dict[str, tuple[str, Path]], list[str]]:
    """{label: (table, file)} and the towns the rows use."""
    rng = np.random.default_rng(0)
    towns = np.array(places.towns_of("钟楼区"), dtype=object)
    days = pd.to_datetime(np.datetime64("2019-01-01") + rng.integers(0, 731, n).astype("m8[D]"))
    dates = days.strftime("%Y-%m-%d")
    ids = pd.Series(np.arange(n)).astype(str)
    incidents = pd.DataFrame(
        {
            "incident_id": "SG" + ids,
            "district": "钟楼区",
            "town": towns[rng.integers(0, len(towns), n)],
            "date": dates,
            "category": np.where(rng.random(n) < 0.5, "生产安全事故", "火灾"),
            "industry": np.array(reference_data.names("industries"), dtype=object)[
                rng.integers(0, 3, n)
            ],
            "accident_type": "车辆伤害",
            "deaths": rng.integers(0, 2, n),
            "serious_injuries": 0,
            "injuries": rng.integers(0, 3, n),
            "direct_loss_wan": np.round(rng.random(n) * 100, 2),
            "description": "叉车在仓库内倒车时碰伤一名装卸工人",
        }
    )
    inspections = pd.DataFrame(
        {
            "inspection_id": "J" + ids,
            "district": "钟楼区",
            "town": towns[rng.integers(0, len(towns), n)],
            "date": dates,
            "department": "区应急管理局",
            "enterprise_id": "E1",
            "in_plan": np.where(rng.random(n) < 0.3, "true", "false"),
            "inspectors": rng.integers(1, 5, n),
            "experts": rng.integers(0, 2, n),
        }
    )
    paths = {}
    variants = (
        ("incidents", incidents, "incidents", {"encoding": "utf-8-sig"}),
        ("incidents, GBK", incidents, "incidents_gbk", {"encoding": "gbk"}),
        ("incidents, quoted", incidents, "incidents_quoted", {"quoting": csv.QUOTE_ALL}),
        ("inspections", inspections, "inspections", {"encoding": "utf-8-sig"}),
    )
    for label, frame, stem, how in variants:
        path = folder / f"{stem}.csv"
        frame.to_csv(path, index=False, **{"encoding": "utf-8-sig", **how})
        paths[label] = (label.split(",")[0], path)
    return paths, list(towns)


def _baseline_src(folder: Path) -> Path | None:
    """The package at BASELINE_REV, unpacked into ``folder`` (None without git)."""
    try:
        archive = subprocess.run(
            ["git", "-C", str(config.PROJ_ROOT), "archive", BASELINE_REV, "src", "data/config"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def _measure(src: Path, path: Path, table: str, towns: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    argv = [sys.executable, "-c", _CHILD, str(path), table, json.dumps(towns)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(label: str, m: dict) -> str:
    return f"  {label:<10} {m['seconds']:6.1f} s  peak {m['peak'] / 2**30:5.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 2_000_000
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        paths, towns = _write(Path(tmp), n)
        use_baseline = os.environ.get("BENCH_BASELINE", "1") != "0"
        baseline = _baseline_src(Path(tmp) / "baseline") if use_baseline else None
        for label, (table, path) in paths.items():
            now = _measure(config.PROJ_ROOT / "src", path, table, towns)
            print(f"{n:,}-row {label} file ({path.stat().st_size / 2**20:.0f} MiB):")
            print(_line("columnar", now))
            if baseline is not None:
                print(_line(f"@{BASELINE_REV}", _measure(baseline, path, table, towns)))
            ok = ok and now["seconds"] <= TARGET_SECONDS and now["peak"] <= TARGET_BYTES
            ok = ok and now["rows"] == n and now["problems"] == 0
    print(f"targets <= {TARGET_SECONDS:.0f} s and <= 1 GiB: {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
