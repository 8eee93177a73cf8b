"""The project's private runtime folder: kernel sockets, browser profiles and print work
never go to the shared /tmp, where another local user could plant a file, a FIFO or a
symlink under a name we would use.

``$XDG_RUNTIME_DIR/safety-briefing`` (a per-user tmpfs on systemd machines), else
``$XDG_CACHE_HOME/safety-briefing/run`` (``~/.cache/…``). The folder is created with mode
0700 and used only when it is a real folder (not a symlink) owned by this user; a folder
another user could write into is refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from analysis.errors import OutputError

APP = "safety-briefing"


def _candidates() -> list[Path]:
    found = []
    xdg_runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if xdg_runtime and Path(xdg_runtime).is_absolute() and _private(Path(xdg_runtime)):
        found.append(Path(xdg_runtime) / APP)
    cache = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(cache) if cache and Path(cache).is_absolute() else Path.home() / ".cache"
    found.append(base / APP / "run")
    return found


def _private(folder: Path) -> bool:
    """A real folder (not a symlink) owned by this user that no one else can write into."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def runtime_dir() -> Path:
    """The private runtime folder, created (mode 0700) when missing."""
    folder = _candidates()[0]
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise OutputError(
            f"运行目录 {folder} 不是普通文件夹（可能是符号链接），为安全起见拒绝使用；请删除后重试"
        )
    if info.st_uid != os.getuid():
        raise OutputError(f"运行目录 {folder} 属于其他用户，为安全起见拒绝使用；请删除后重试")
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)  # ours: make it private again
    return folder
