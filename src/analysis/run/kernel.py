"""The Jupyter kernel a briefing runs in, started with jupyter_client's public API. Kept free
of heavy imports so the kernel can be started first and boot while the caller imports
papermill and nbconvert."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from jupyter_client import KernelManager

from analysis.atomic import owned_folder
from analysis.errors import OutputError, ParameterError
from analysis.settings import config
from analysis.settings.runtime import runtime_dir

KERNEL_NAME = "python3"  # ipykernel's native kernel: the interpreter running this code
# Sockets and connection file of a kernel, in the private runtime folder; a killed run's
# folder is removed by the next run.
KERNEL_FOLDER_PREFIX = "kernel-"
SOCKET_PATH_LIMIT = 100  # bytes: a Unix socket's path (sun_path) holds 108 at most
# The notebook imports the same modules, so this changes timing only, never results.
KERNEL_PRELOAD = "import analysis.briefing, analysis.house, seaborn"


def start_kernel(socket_dir: Path) -> KernelManager:
    """Start a kernel talking over Unix sockets in a private folder: no TCP ports to collide
    on when several briefings run in parallel, and nothing reachable from the network."""
    if len(os.fsencode(socket_dir / "k-00000")) > SOCKET_PATH_LIMIT:
        raise OutputError(
            f"运行目录 {socket_dir.parent} 的路径太长，内核的通信文件放不下（上限约 100 个字节）；"
            "请把环境变量 XDG_RUNTIME_DIR 或 XDG_CACHE_HOME 设为较短的路径"
        )
    km = KernelManager(
        kernel_name=KERNEL_NAME,
        # nbclient awaits the client's messages: with an asynchronous client a cell's time
        # limit and a dead kernel are noticed while the kernel is busy or gone (a blocking
        # client would hold the event loop in a read that never returns)
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
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
    """Stop the kernel and wait for its process to end."""
    if km.has_kernel:
        km.shutdown_kernel(now=True)


def kernel_sockets() -> AbstractContextManager[Path]:
    """A private folder for one kernel's sockets, under the runtime folder."""
    return owned_folder(KERNEL_FOLDER_PREFIX, runtime_dir())


@contextmanager
def running_kernel() -> Iterator[KernelManager]:
    """A kernel for the duration of a ``with`` block, stopped afterwards."""
    with kernel_sockets() as sockets:
        km = start_kernel(sockets)
        try:
            yield km
        finally:
            stop_kernel(km)


def reset_kernel(km: KernelManager, timeout: float = 60, exec_after: str = "") -> None:
    """Clear the user namespace of a reused kernel (imported modules stay warm) so every run
    starts from the same state as a fresh kernel; then run ``exec_after``."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        code = "get_ipython().reset(new_session=True, aggressive=False)"
        reply = kc.execute_interactive(f"{code}\n{exec_after}", timeout=timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel reset failed: {reply['content']}")
    finally:
        kc.stop_channels()


DEFAULT_CELL_TIMEOUT = 600  # seconds; the sample's slowest cell takes about one


def cell_timeout() -> int:
    """Each cell's time limit: BRIEFING_CELL_TIMEOUT (make … CELL_TIMEOUT=, --cell-timeout),
    else 600 s. A cell that never ends must not hang a scheduled run for ever."""
    text = os.environ.get("BRIEFING_CELL_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_CELL_TIMEOUT
    if not text.isdigit() or int(text) < 1:
        raise ParameterError(f"参数有误：CELL_TIMEOUT=“{text}”无效，应为正整数（秒）")
    return int(text)
