"""Batch briefings: the district and every town/street, for every month of the year to the
configured period — incremental, parallel, with retries of transient kernel failures.

Only the briefings whose fingerprint changed are built (the plan and its fingerprints:
``analysis.run.planning``); each worker process keeps one kernel warm and reuses it
(``analysis.run.workers``).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from analysis.deliver import DEFAULT_FORMATS
from analysis.run.planning import Job, stored_fingerprint
from analysis.run.workers import Outcome, init_worker, run_job
from analysis.settings import config


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self) -> bool:
        return not self.by_status("failed")


def default_workers() -> int:
    """One worker more than cores: a worker waits while its kernel runs the notebook and
    its kernel waits while the worker exports, so one extra keeps both cores busy
    (measured on 2 cores: 90 briefings in 83 s with 3 workers, 96 s with 2, 86 s with 4)."""
    return (os.cpu_count() or 1) + 1


def run_batch(
    jobs: list[Job],
    out_root: Path = config.OUTPUTS_DIR,
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> Summary:
    """Build the briefings whose fingerprint changed, in parallel; never raises for one
    failed briefing — the summary lists it with its reason."""
    start = time.perf_counter()
    summary = Summary()
    todo = []
    for job in jobs:
        out_dir = job.params.folder_in(out_root)
        fresh = all((out_dir / f"briefing.{f}").exists() for f in formats) and (
            stored_fingerprint(out_dir) == job.fingerprint
        )
        if fresh and not force:
            summary.outcomes.append(Outcome(job.params, "up-to-date"))
        else:
            todo.append(job)
    if todo:
        workers = max(1, min(workers or default_workers(), len(todo)))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker) as pool:
            futures = [
                pool.submit(run_job, j.params, str(out_root), j.fingerprint, formats) for j in todo
            ]
            bar = _progress(len(futures), progress)
            try:
                for future in as_completed(futures):
                    summary.outcomes.append(future.result())
                    bar.update(1)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            finally:
                bar.close()
    summary.seconds = time.perf_counter() - start
    order = {j.params: i for i, j in enumerate(jobs)}
    summary.outcomes.sort(key=lambda o: order[o.params])
    return summary


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="生成简报", unit="份", disable=not enabled, ascii=True)


def describe(summary: Summary) -> str:
    """The end-of-run summary, in Chinese."""
    built, fresh, failed = (summary.by_status(s) for s in ("built", "up-to-date", "failed"))
    lines = [
        f"共 {len(summary.outcomes)} 份简报：新生成 {len(built)} 份，无需重建 {len(fresh)} 份，"
        f"失败 {len(failed)} 份；用时 {summary.seconds:.1f} 秒。"
    ]
    if not built and not failed:
        lines.append("所有简报均为最新，无需重建。")
    for o in failed:
        lines.append(f"  失败：{o.params.unit_name} {o.params.period}（尝试 {o.attempts} 次）")
        lines.append(f"    原因：{o.reason.splitlines()[0] if o.reason else '未知'}")
        if o.failed_notebook:
            lines.append(f"    失败的笔记本：{o.failed_notebook}")
    return "\n".join(lines)
