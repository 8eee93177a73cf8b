"""Owned temporary folders of processes that died (a real process is started and killed)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os

from analysis import atomic
from analysis.atomic import owned_folder, remove_abandoned


def _hold_and_die(folder, ready):
    """Lock ``folder`` like owned_folder does, then exit without cleaning up."""
    fd = os.open(folder / atomic.OWNER_LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    ready.set()
    os._exit(0)


def test_owned_folders_of_dead_processes_are_removed(tmp_path):
    with owned_folder("k-", tmp_path) as live:
        (live / "kernel.json").write_text("{}")
        dead = tmp_path / "k-dead"
        dead.mkdir()
        ready = multiprocessing.get_context("fork").Event()
        proc = multiprocessing.get_context("fork").Process(target=_hold_and_die, args=(dead, ready))
        proc.start()
        proc.join()
        assert ready.is_set()
        remove_abandoned("k-", tmp_path)
        assert live.is_dir() and not dead.exists()
    assert not live.exists()
