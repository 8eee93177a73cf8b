"""Files the project wrote for itself in outputs/ (the table cache, the batch's plans and data
fingerprints) are read only when they are still what it wrote: a regular file of the
current user, opened without following a symlink or blocking on a FIFO. Another user's
file, a planted link or a pipe is refused with the reason in Chinese."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BYTES = 1 << 30


class NotOwnFile(Exception):
    """``path`` is not a regular file of the current user (the reason in Chinese)."""


def read_own_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``; FileNotFoundError when it is absent, NotOwnFile when it is
    a symlink, a FIFO or device, another user's file, or larger than ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as err:
        why = "是符号链接" if err.errno == errno.ELOOP else f"无法读取（{err.strerror}）"
        raise NotOwnFile(why) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotOwnFile("不是普通文件")
        if info.st_uid != os.getuid():
            raise NotOwnFile("不是当前用户写入的")
        if info.st_size > limit:
            raise NotOwnFile("大小异常")
        return fh.read()
