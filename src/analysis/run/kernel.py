"""The Jupyter kernel a briefing runs in. Kept free of heavy imports so the kernel can be
started first and boot while the caller imports papermill and nbconvert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jupyter_client import KernelManager

from analysis.atomic import owned_folder
from analysis.run.speedups import KERNEL_PRELOAD, kernel_client_class, kernel_manager_class
from analysis.settings import config

KERNEL_NAME = "python3"  # ipykernel's native kernel: the interpreter running this code
# Sockets and connection file of a kernel; a killed run's folder is removed by the next run.
KERNEL_FOLDER_PREFIX = "briefing-kernel-"


def start_kernel(socket_dir: Path) -> KernelManager:
    """Start a kernel talking over Unix sockets in a private folder: no TCP ports to collide
    on when several briefings run in parallel, and nothing reachable from the network."""
    manager = kernel_manager_class()
    km = manager(
        kernel_name=KERNEL_NAME,
        client_class=kernel_client_class(),
        transport="ipc",
        ip=str(socket_dir / "k"),
        connection_file=str(socket_dir / "kernel.json"),  # removed with the folder
    )
    km.start_kernel(cwd=str(config.NOTEBOOKS_DIR), extra_arguments=kernel_arguments())
    return km


def kernel_arguments(*exec_lines: str) -> list[str]:
    """The kernel's options: import the project while booting (then run ``exec_lines``),
    and keep the IPython history in memory, as nbclient does for kernels it starts (not in
    the analyst's history file, which parallel batch kernels would contend for)."""
    lines = [KERNEL_PRELOAD, *exec_lines]
    return [f"--IPKernelApp.exec_lines={lines!r}", "--HistoryManager.hist_file=:memory:"]


def stop_kernel(km: KernelManager) -> None:
    if km.has_kernel:
        km.shutdown_kernel(now=True)


@contextmanager
def running_kernel(spare: KernelManager | None = None) -> Iterator[KernelManager]:
    """A kernel for the duration of a ``with`` block, stopped afterwards: ``spare`` (an
    already running kernel, see analysis.run.spare) if given, else one started now."""
    if spare is not None:
        try:
            yield spare
        finally:
            stop_kernel(spare)
        return
    with owned_folder(KERNEL_FOLDER_PREFIX) as sockets:
        km = start_kernel(sockets)
        try:
            yield km
        finally:
            stop_kernel(km)


def reset_kernel(km: KernelManager, timeout: float = 60) -> None:
    """Clear the user namespace of a reused kernel (imported modules stay warm) so every run
    starts from the same state as a fresh kernel."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(
            "get_ipython().reset(new_session=True, aggressive=False)", timeout=timeout
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content']}")
    finally:
        kc.stop_channels()
