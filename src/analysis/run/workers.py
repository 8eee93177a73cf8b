"""The batch's worker processes: each keeps one kernel warm and reuses it, so imports are
paid once per worker, not once per briefing; transient kernel failures are retried on a
fresh kernel."""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from analysis.causes import failure_reason
from analysis.deliver import DEFAULT_FORMATS
from analysis.settings.params import RunParams

TRANSIENT_MARKERS = (
    "Address already in use",
    "Kernel died",
    "DeadKernelError",
    "didn't respond",
    "Kernel didn't respond",
    "kernel_info",
    "Timeout waiting for",
)
MAX_ATTEMPTS = 3


@dataclass
class Outcome:
    params: RunParams
    status: str  # "built" | "up-to-date" | "failed"
    seconds: float = 0.0
    attempts: int = 0
    reason: str = ""
    failed_notebook: str = ""


_worker_kernel = None
_worker_sockets = ExitStack()  # the kernel's owned socket folder, removed with the kernel


def _start_worker_kernel() -> None:
    global _worker_kernel
    from analysis.run.kernel import kernel_sockets, start_kernel

    sockets = _worker_sockets.enter_context(kernel_sockets())
    _worker_kernel = start_kernel(sockets)


def _stop_worker_kernel() -> None:
    global _worker_kernel
    if _worker_kernel is not None:
        try:
            _worker_kernel.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit; the process is ending anyway
            pass
        _worker_kernel = None
    _worker_sockets.close()


def init_worker() -> None:
    """Workers leave Ctrl-C to the main process, which stops the batch (a worker's running
    briefing ends with its kernel's own interruption). A worker ends with the main process
    however it ends (even SIGKILL): the kernel it started watches the worker and follows."""
    import atexit
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent()
    atexit.register(_stop_worker_kernel)


def end_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (prctl
    PR_SET_PDEATHSIG); if the parent is already gone, end now. Elsewhere a no-op."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def is_transient(err: BaseException) -> bool:
    """Kernel start-up and transport hiccups that a retry cures; a notebook error is not one."""
    from analysis.errors import RunFailedError

    if isinstance(err, RunFailedError):
        return False
    text = f"{type(err).__name__}: {err}"
    return any(marker in text for marker in TRANSIENT_MARKERS) or isinstance(
        err, TimeoutError | ConnectionError
    )


def run_job(
    params: RunParams,
    out_root: str,
    fingerprint: str | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> Outcome:
    from analysis.run.kernel import reset_kernel
    from analysis.run.report import FAILED_NOTEBOOK, run_briefing

    start = time.perf_counter()
    last_error: BaseException | None = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            if _worker_kernel is None or not _worker_kernel.is_alive():
                _stop_worker_kernel()
                _start_worker_kernel()
            reset_kernel(_worker_kernel)
            run_briefing(
                params,
                out_root=Path(out_root),
                kernel=_worker_kernel,
                formats=formats,
                fingerprint=fingerprint,
            )
            return Outcome(params, "built", time.perf_counter() - start, attempt)
        except Exception as err:  # noqa: BLE001 - classified below, reported, never swallowed
            last_error = err
            if not is_transient(err):
                break
            _stop_worker_kernel()  # a fresh kernel for the retry
    failed = Path(out_root).joinpath(*params.output_parts, FAILED_NOTEBOOK)
    return Outcome(
        params,
        "failed",
        time.perf_counter() - start,
        attempt,
        reason=failure_reason(last_error),
        failed_notebook=str(failed) if failed.exists() else "",
    )
