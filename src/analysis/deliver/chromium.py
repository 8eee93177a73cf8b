"""One headless Chromium per process, printing pages to PDF over the DevTools protocol.

Starting Chromium costs most of a second, so the browser is started once (on the first
print, or early by :func:`warm`) and kept for the rest of the process: a batch worker pays
it once, not once per briefing. It is driven through ``--remote-debugging-pipe``, the
DevTools transport Puppeteer and Playwright use (NUL-terminated JSON messages on file
descriptors 3 and 4): no network port is opened, and Chromium exits by itself when this
process, and with it the pipe, goes away. Only these public protocol commands are used
(``Target.createTarget``/``attachToTarget``/``closeTarget``, ``Page.navigate``,
``Page.printToPDF``, and ``Emulation.setScriptExecutionDisabled``: pages print with
JavaScript disabled), so no client library is needed.
"""

from __future__ import annotations

import atexit
import base64
import fcntl
import json
import os
import select
import shutil
import tempfile
import threading
import time
from pathlib import Path

from analysis.errors import BrowserError
from analysis.settings.runtime import runtime_dir

ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)
FIRST_FREE_FD = 10  # our pipe ends are kept above 3 and 4, the child's DevTools descriptors
STDERR_FILE = "chromium.log"


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are numbered FIRST_FREE_FD or higher (and closed on exec)."""
    ends = os.pipe()
    high = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, FIRST_FREE_FD) for fd in ends)
    for fd in ends:
        os.close(fd)
    return high


class Browser:
    """A headless Chromium child process and its DevTools pipe."""

    def __init__(self, executable: str, env: dict[str, str]):
        self.executable, self.env = executable, dict(env)
        self.profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=runtime_dir()))
        # a home of its own: no user font, font setting or cache changes what it prints
        home = {"HOME": str(self.profile)} | {
            f"XDG_{kind}_HOME": str(self.profile / kind.lower())
            for kind in ("CONFIG", "CACHE", "DATA")
        }
        commands_in, commands_out = _high_pipe()  # we write, Chromium reads fd 3
        replies_in, replies_out = _high_pipe()  # Chromium writes fd 4, we read
        log = os.open(self.profile / STDERR_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
        argv = [executable, *ARGS, f"--user-data-dir={self.profile / 'profile'}", "about:blank"]
        try:
            self.pid = os.posix_spawn(
                executable,
                argv,
                self.env | home,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, commands_in, 3),
                    (os.POSIX_SPAWN_DUP2, replies_out, 4),
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, log, 1),
                    (os.POSIX_SPAWN_DUP2, log, 2),
                ],
            )
        except OSError as exc:
            for fd in (commands_out, replies_in):
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise BrowserError(f"无法启动 Chromium（{executable}）：{exc}") from None
        finally:
            for fd in (commands_in, replies_out, log):
                os.close(fd)
        self.commands, self.replies = commands_out, replies_in
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.commands, data) :]
        except OSError:  # the pipe is closed: Chromium has exited
            raise BrowserError(f"Chromium 意外退出：{self.last_log_line()}") from None
        return self.next_id

    def _receive(self, deadline: float) -> dict:
        """The next message from Chromium, or :class:`BrowserError` at ``deadline``."""
        while b"\0" not in self.buffer:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([self.replies], [], [], wait)[0]:
                raise BrowserError("Chromium 在规定时间内没有完成 PDF 打印")
            chunk = os.read(self.replies, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium 意外退出：{self.last_log_line()}")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, params=None, session=None, *, deadline: float) -> dict:
        """Send a command and wait for its result (events that arrive meanwhile are kept)."""
        sent = self._send(method, params, session)
        while True:
            message = self._receive(deadline)
            if message.get("id") == sent:
                if "error" in message:
                    raise BrowserError(
                        f"Chromium 拒绝了 {method}：{message['error'].get('message')}"
                    )
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, method: str, session: str, deadline: float) -> dict:
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._receive(deadline))

    def print_pdf(self, url: str, options: dict, timeout: float) -> bytes:
        """Open ``url`` in a new tab, wait for its load event and print it."""
        deadline = time.monotonic() + timeout
        target = self.call("Target.createTarget", {"url": "about:blank"}, deadline=deadline)
        target_id = target["targetId"]
        try:
            attached = self.call(
                "Target.attachToTarget", {"targetId": target_id, "flatten": True}, deadline=deadline
            )
            session = attached["sessionId"]
            # a briefing needs no script: none runs, whatever the page carries
            disable = {"value": True}
            self.call("Emulation.setScriptExecutionDisabled", disable, session, deadline=deadline)
            self.call("Page.enable", session=session, deadline=deadline)
            opened = self.call("Page.navigate", {"url": url}, session, deadline=deadline)
            if opened.get("errorText"):
                raise BrowserError(f"Chromium 打不开 {url}：{opened['errorText']}")
            self.wait_event("Page.loadEventFired", session, deadline)
            printed = self.call("Page.printToPDF", options, session, deadline=deadline)
            return base64.b64decode(printed["data"])
        finally:
            self.events.clear()
            self.call("Target.closeTarget", {"targetId": target_id}, deadline=deadline + 5)

    def last_log_line(self) -> str:
        """Chromium's last complaint, for an error message (D-Bus noise of a server without
        a desktop session left out)."""
        try:
            lines = (self.profile / STDERR_FILE).read_text("utf-8", "replace").splitlines()
        except OSError:
            return ""
        lines = [line.strip() for line in lines if line.strip() and "dbus" not in line]
        return lines[-1] if lines else "（无输出）"

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:  # already reaped
            return False

    def close(self) -> None:
        """Close the pipe (Chromium then exits), reap the process, remove the profile."""
        for fd in (self.commands, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            for _ in range(50):
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    break
                time.sleep(0.1)
            else:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)


_lock = threading.Lock()
_browser: Browser | None = None


def shared_browser(executable: str, env: dict[str, str]) -> Browser:
    """This process's browser, started on first use (or again if it has died, or was
    started with another program or environment: what it prints depends on them)."""
    global _browser
    if _browser is not None and (
        not _browser.alive() or (_browser.executable, _browser.env) != (executable, env)
    ):
        _browser.close()
        _browser = None
    if _browser is None:
        _browser = Browser(executable, env)
    return _browser


def warm(executable: str, env: dict[str, str]) -> None:
    """Start this process's browser now, so that the first print does not wait for it."""
    with _lock:
        shared_browser(executable, env)


def print_pdf(executable: str, env: dict[str, str], url: str, options: dict, timeout: float):
    """Print ``url`` with this process's shared browser (one print at a time)."""
    with _lock:
        browser = shared_browser(executable, env)
        try:
            return browser.print_pdf(url, options, timeout)
        except BrowserError:
            close_shared()  # a browser that failed once is not trusted with the next print
            raise


@atexit.register
def close_shared() -> None:
    """Stop this process's browser (also run at exit)."""
    global _browser
    if _browser is not None:
        _browser.close()
        _browser = None
