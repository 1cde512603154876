"""One build at a time per site: an exclusive lock on .cache/gongkai/build.lock, held from before the first byte is
written (the cache's YAML memo, the staging folder) until site/ has been replaced or the build has failed.

Three builds started at once (a scheduled build, a manual one, `mkdocs serve`) used to share one staging folder
and left a site missing whole folders. With the lock they run one after another; each still stages in its own
folder, so a build killed while holding the lock leaves nothing another build will read.

fcntl.flock, not fcntl.lockf: a flock lock belongs to the open file, which the worker processes forked by
publish.write_documents share. If the build is killed, its orphaned workers keep the lock until they have exited,
so the next build never cleans up a staging folder (or writes a cache entry) that they are still writing. The
kernel drops the lock when the last process holding the file exits, however it ends: no stale lock files.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from collections.abc import Callable
from pathlib import Path

LOCK_NAME = "build.lock"
WAITING = "另一个生成正在进行……"


class LockBusy(Exception):
    """Another build holds the lock and the caller asked not to wait."""

    def __init__(self, holder: str):
        self.holder = holder
        super().__init__(holder)


class BuildLock:
    """The lock of one site folder (its .cache/gongkai/). Not re-entrant: acquire once, release once."""

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock. When another build holds it: call on_wait with a Chinese line naming that build, then
        wait for it to finish (wait=True) or raise LockBusy (wait=False)."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._holder(fd)
                if on_wait is not None:
                    on_wait(waiting_message(holder, wait))
                if not wait:
                    raise LockBusy(holder) from None
                fcntl.flock(fd, fcntl.LOCK_EX)
            # who holds it, for the message of a build that has to wait (the lock itself is the flock)
            stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"进程 {os.getpid()}（{socket.gethostname()}），开始于 {stamp}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Let the next build go (closing the file drops the lock; the file stays for the next build)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.ftruncate(fd, 0)
            finally:
                os.close(fd)

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            return os.pread(fd, 400, 0).decode("utf-8", "replace").strip()
        except OSError:
            return ""


def waiting_message(holder: str, wait: bool) -> str:
    who = f"（{holder}）" if holder else ""
    if wait:
        return f"{WAITING}{who}等待它结束后再生成。"
    return f"另一个生成正在进行{who}，本次生成已放弃（GONGKAI_LOCK_WAIT=0）。"
