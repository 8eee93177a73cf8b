"""A spare kernel for the next `make report`.

Starting a kernel and importing pandas, matplotlib, seaborn and the project into it takes
about 0.9 s, and a run cannot start its first cell before. So when `make report` is done,
it starts one more kernel in the background, which waits (``IDLE_SECONDS``) for the next
run, like Gradle's daemon or Voilà's pre-heated kernels. The next run claims it instead of
starting its own, if the spare was started for the same code, configuration, environment
and day (``spare_key``); otherwise the spare is stopped and a fresh kernel started.

A spare is a fresh kernel that nothing has run in yet, so a briefing made in it is
byte-identical to one made in a kernel started for the run (tests/test_spare.py). Runs in
a terminal use spares (``enabled``); ``SPARE_KERNEL=0`` turns them off, ``=1`` on
elsewhere too; `make clean` stops the waiting ones.

A spare lives in a folder of its own under the temporary folder (its sockets and
connection file), with these marker files:

* ``pid``: the kernel's process;
* ``key``: the spare's ``spare_key`` while it waits. A run claims the spare by renaming it
  to ``claimed-<run's pid>`` (one rename: two runs can never claim the same spare);
* ``booted``: written by the kernel once its imports are done.

The kernel watches its folder (``watch``): it exits when the folder is gone, when it
waited unclaimed for ``IDLE_SECONDS``, or when the run that claimed it has died.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from pathlib import Path

from jupyter_client import KernelManager

from analysis.run.kernel import KERNEL_NAME, kernel_arguments
from analysis.run.speedups import kernel_client_class, kernel_manager_class
from analysis.settings import config

IDLE_SECONDS = 15 * 60
FLAG = "SPARE_KERNEL"  # BRIEFING_SPARE_KERNEL=0 (make report SPARE_KERNEL=0): no spare
# One project's spares: another checkout never claims or stops them.
PREFIX = "briefing-spare-" + hashlib.sha256(str(config.PROJ_ROOT).encode()).hexdigest()[:8] + "-"
# Variables that differ between runs without changing a kernel: make's own, and the run's
# parameters (they reach the notebook as papermill parameters, not through the kernel).
_RUN_SPECIFIC = re.compile(
    r"MAKE.*|MFLAGS|_|SHLVL|OLDPWD|BRIEFING_(DISTRICT|PERIOD|UNIT|DATA_DIR|LENIENT|SEND"
    r"|ALLOW_PARTIAL|FORMATS|KIND|OUT|NAME|TOWNS|SPARE_KERNEL)"
)


def enabled() -> bool:
    """Whether a run claims and leaves spares: BRIEFING_SPARE_KERNEL=1/0 (true/false,
    yes/no) says so; unset or empty, only a run in a terminal does, where an analyst
    runs `make report` again and again (not a script, a scheduled job, CI or the tests,
    which would leave kernels behind). A value that is no switch raises ParameterError."""
    from analysis.settings.params import parse_flag

    chosen = parse_flag(os.environ.get(f"BRIEFING_{FLAG}"), FLAG)
    return sys.stderr.isatty() if chosen is None else chosen


def spare_key() -> str:
    """What a kernel's state at start depends on: the code, configuration and notebooks
    (``code_fingerprint``, which covers the locked environment), the interpreter, the
    environment variables and the day."""
    from analysis.inputs.fingerprint import code_fingerprint

    env = sorted((k, v) for k, v in os.environ.items() if not _RUN_SPECIFIC.fullmatch(k))
    parts = [code_fingerprint(), sys.executable, repr(env), date.today().isoformat()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _folders() -> Iterator[Path]:
    yield from sorted(Path(tempfile.gettempdir()).glob(f"{PREFIX}*"))


def _pid_of(folder: Path) -> int | None:
    try:
        return int((folder / "pid").read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:  # a spare this process started and that has ended: reap it (it is no zombie)
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not this process's child: the usual case, the run that started it is over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop(folder: Path) -> None:
    """Kill a spare's kernel (if it still runs) and remove its folder."""
    pid = _pid_of(folder)
    if _alive(pid):
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def stop_all() -> int:
    """Stop every spare of this project (`make clean`). Returns how many there were."""
    folders = list(_folders())
    for folder in folders:
        _stop(folder)
    return len(folders)


def start(key: str) -> Path | None:
    """Start a spare kernel in the background, unless one of ``key`` is waiting already;
    waiting spares of another key and dead ones are stopped. Returns the new spare's
    folder (None: none started)."""
    for folder in _folders():
        if (folder / "key").is_file() and _alive(_pid_of(folder)):
            with suppress(OSError):
                if (folder / "key").read_text() == key:
                    return None
            _stop(folder)
        elif not _in_use(folder):
            _stop(folder)
    from jupyter_client.connect import write_connection_file

    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    connection, _ = write_connection_file(
        str(folder / "kernel.json"), transport="ipc", ip=str(folder / "k")
    )
    watch_line = f"__import__('analysis.run.spare').spare.watch({str(folder)!r}, {IDLE_SECONDS})"
    # the command a kernel started for a run has (its kernelspec), plus the watch
    launcher = KernelManager(kernel_name=KERNEL_NAME, connection_file=connection)
    argv = launcher.format_kernel_cmd(extra_arguments=kernel_arguments(watch_line))
    env = {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"}  # outlives this run
    kernel = subprocess.Popen(
        argv,
        cwd=config.NOTEBOOKS_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in the terminal is for the run, not the spare
    )
    (folder / "pid").write_text(str(kernel.pid))
    (folder / "key.new").write_text(key)
    os.replace(folder / "key.new", folder / "key")  # last, whole: only now can a run claim it
    return folder


def _in_use(folder: Path) -> bool:
    """A folder without a waiting spare is in use while its claimant lives, and for a
    moment after it was made (another run may be starting a spare in it)."""
    if any(folder.glob("claimed-*")):
        return _claimant_alive(folder) and _alive(_pid_of(folder))
    with suppress(OSError):
        return time.time() - folder.stat().st_mtime < 10
    return False


def claim(key: str):
    """A waiting spare of ``key``, claimed for this process, as a kernel manager that
    papermill can use (None: no such spare). Spares of another key are stopped."""
    for folder in _folders():
        mine = folder / f"claimed-{os.getpid()}"
        try:
            os.rename(folder / "key", mine)
        except OSError:
            continue  # being made, claimed by another run, or retiring
        if mine.read_text() == key and _alive(_pid_of(folder)):
            return SpareKernelManager(folder)
        _stop(folder)
    return None


class SpareKernelManager(kernel_manager_class()):
    """A kernel manager for a claimed spare: a kernel this process did not start, so it
    is reached through its connection file and its process id."""

    def __init__(self, folder: Path):
        super().__init__(kernel_name=KERNEL_NAME, client_class=kernel_client_class())
        self.load_connection_file(str(folder / "kernel.json"))
        self.folder = folder
        self.pid = _pid_of(folder)

    @property
    def has_kernel(self) -> bool:
        return _alive(self.pid)

    def is_alive(self) -> bool:
        return _alive(self.pid)

    def interrupt_kernel(self) -> None:
        if _alive(self.pid):
            os.kill(self.pid, signal.SIGINT)

    def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        _stop(self.folder)


def waiting() -> list[Path]:
    """The folders of this project's spares that wait to be claimed."""
    return [f for f in _folders() if (f / "key").is_file() and _alive(_pid_of(f))]


def wait_until_booted(folder: Path, timeout: float = 30) -> bool:
    """Whether the spare in ``folder`` finished its imports within ``timeout`` seconds
    (benchmarks wait for it, so that its start does not slow the route timed next)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (folder / "booted").exists():
            return True
        if not _alive(_pid_of(folder)):
            return False
        time.sleep(0.02)
    return False


# ---------------------------------------------------------------- inside the spare


def watch(folder: str, idle_seconds: float) -> None:
    """Run in the spare kernel at start, after its imports: mark it booted and watch its
    folder from a background thread."""
    path = Path(folder)
    threading.Thread(
        target=_watch, args=(path, idle_seconds), daemon=True, name="spare-watch"
    ).start()
    with suppress(OSError):  # a folder removed meanwhile: the watch ends the kernel
        (path / "booted").touch()


def _watch(folder: Path, idle_seconds: float, poll: float = 1.0) -> None:
    deadline = time.monotonic() + idle_seconds
    while True:
        time.sleep(poll)
        if (folder / "key").exists():
            if time.monotonic() < deadline:
                continue
            try:  # retire: the same one-rename step as a claim, so only one of them wins
                os.rename(folder / "key", folder / "retired")
            except OSError:
                continue
        elif _claimant_alive(folder) and folder.exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(0)


def _claimant_alive(folder: Path) -> bool:
    for marker in folder.glob("claimed-*"):
        with suppress(ValueError):
            return _alive(int(marker.name.removeprefix("claimed-")))
    return False
