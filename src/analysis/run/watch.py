"""``make watch``: the analyst's repeat loop in the foreground. One kernel is kept in its
own process; the briefing is made again whenever the notebook, the wording, the
configuration or the data change, with one line per re-render; Ctrl-C ends it.

A change to the project's code restarts the kernel (imported modules cannot be reloaded
safely); anything else only resets the kernel's namespace and forgets the settings read so
far, in the kernel and here, so that every re-render reads the files afresh."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from analysis.errors import AnalysisError
from analysis.run.kernel import kernel_sockets, reset_kernel, start_kernel, stop_kernel
from analysis.settings import config
from analysis.settings.params import RunParams

PACKAGE_DIR = Path(__file__).resolve().parents[1]
FORGET_IN_KERNEL = "from analysis.settings.config import forget_settings; forget_settings()"


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def snapshot(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Each file's modification time and size: what a save changes."""
    seen = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue  # removed while we looked: the next look sees it gone
        seen[str(path)] = (info.st_mtime_ns, info.st_size)
    return seen


def watched(params: RunParams) -> tuple[dict, dict]:
    """(inputs, code): the notebook, configuration and data; and the package's code."""
    inputs = [params.notebook, *_files(config.CONFIG_DIR), *_files(Path(params.data_dir))]
    return snapshot(inputs), snapshot(_files(PACKAGE_DIR))


def watch(
    params: RunParams,
    render: Callable[[object], Path],
    say: Callable[[str], None],
    pause: float = 0.3,
    rounds: int | None = None,
) -> None:
    """Re-render with ``render(kernel)`` on every change until Ctrl-C (or ``rounds``
    re-renders, for tests)."""
    with kernel_sockets() as sockets:
        kernel = start_kernel(sockets)
        try:
            _loop(params, kernel, sockets, render, say, pause, rounds)
        finally:
            stop_kernel(kernel)


def _loop(params, kernel, sockets, render, say, pause, rounds) -> None:
    inputs, code = {}, None
    done = 0
    while rounds is None or done < rounds:
        now_inputs, now_code = watched(params)
        if now_inputs == inputs and now_code == code:
            time.sleep(pause)
            continue
        if code is not None and now_code != code:
            stop_kernel(kernel)
            kernel = start_kernel(sockets)
            say("代码已改动，已重新启动内核。")
        elif code is not None:
            reset_kernel(kernel, exec_after=FORGET_IN_KERNEL)
        inputs, code = now_inputs, now_code
        config.forget_settings()
        _render_once(render, kernel, say)
        done += 1


def _render_once(render, kernel, say) -> None:
    started = time.perf_counter()
    stamp = datetime.now().strftime("%H:%M:%S")
    try:
        path = render(kernel)
    except AnalysisError as err:
        say(f"[{stamp}] 生成失败：{str(err).splitlines()[0]}（改正后保存即可重试）")
        return
    say(f"[{stamp}] 已重新生成 {path}（用时 {time.perf_counter() - started:.1f} 秒）")
