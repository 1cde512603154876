"""Removing a superseded tree without making the build wait for it.

A build that rewrote most of the site (a new gongkai, a renamed column) supersedes a kept tree of tens of thousands
of files (28,600 at 10,000 documents, 160,000 and more at 100,000). Deleting them one by one took 3.6 s at 10,000
documents on a disk mounted with `discard` (every freed block is trimmed; 30-60 s when the machine is busy), 20 s at
100,000 — after the new site was in place, but before `mkdocs build` returned. Renaming the tree aside takes one system call; its files are then deleted by a
process of its own (`rm -rf`) while the clerk goes on.

That process is detached (a new session, started by a shell that exits at once, so no zombie is left behind and
Ctrl+C or a closed terminal does not reach it; no input, no output) and holds an exclusive flock on the tree's top
folder for as long as it runs: the kernel drops the lock when it exits, however it ends. The next build's
staging.remove_stale, under the build lock, leaves a tree alone while its remover holds it (two removers never
delete the same files) and finishes whatever a killed remover left. A small tree is removed at once: starting a
process would cost more than deleting it. Where processes cannot be forked (Windows) or flock is missing,
everything is removed at once, as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from gongkai.fsutil import remove_path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

# from this many entries (files and folders) on, a tree is removed in the background; a smaller one (the example
# site: 400) is removed at once, as before — about 0.15 s at most on this disk, and no process is left running
DETACH_MIN = 1000
COMMAND = ("rm", "-rf", "--")  # the remover; the tree's path is appended
# the shell starts the remover in the background and exits: the remover is nobody's child (no zombie); the held
# lock's descriptor stays open in it until it ends
_SHELL = '"$@" </dev/null >/dev/null 2>&1 &'


def supported() -> bool:
    """Whether a tree can be removed by a detached process here (fork, flock and a POSIX shell)."""
    return fcntl is not None and hasattr(os, "fork") and shutil.which("sh") is not None


def small(path: str | os.PathLike[str]) -> bool:
    """Whether the tree at path has fewer than DETACH_MIN entries (a file or link: True). Stops counting there."""
    limit = DETACH_MIN
    p = os.fspath(path)
    if not os.path.isdir(p) or os.path.islink(p):
        return True
    seen = 0
    stack = [p]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    seen += 1
                    if seen >= limit:
                        return False
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return True


def hold(path: str | os.PathLike[str]) -> int | None:
    """An open descriptor of the folder at path holding its exclusive lock; None when a remover holds it (or it is
    gone). OSError: it cannot be opened otherwise."""
    assert fcntl is not None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


def remove(path: str | os.PathLike[str], held: int | None = None) -> bool:
    """Remove the folder at path in a detached process (see the module's docstring); True when that process was
    started, False when path was removed here instead (not supported, or the process could not be started).

    path must be a name no build writes to (a stale name, staging.stale_paths) and be used only under the build
    lock. held: the descriptor from `hold`, handed over (closed here either way); else the lock is taken here — the
    caller has just renamed the tree there, so nobody else holds it."""
    if not supported():
        if held is not None:
            os.close(held)
        remove_path(path)
        return False
    fd = hold(path) if held is None else held
    if fd is None:  # gone, or (not under the build lock) another remover's
        return True
    try:
        proc = subprocess.Popen(["sh", "-c", _SHELL, "gongkai-remove", *COMMAND, os.path.abspath(path)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                pass_fds=(fd,), start_new_session=True)
        started = proc.wait() == 0
    except OSError:
        started = False
    finally:
        os.close(fd)
    if not started:
        remove_path(path)
    return started


def wait(path: str | os.PathLike[str]) -> None:
    """Until no remover holds the folder at path (tests; nothing in a build waits for a remover)."""
    assert fcntl is not None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


def tidy(path: str | os.PathLike[str], aside: Path | None = None, held: int | None = None) -> None:
    """Remove path: at once when it is small (or `remove` is not supported here), else in the background — renamed
    to aside first when given (a fresh stale name beside it; path itself is a name builds use). held: as for
    `remove`. Under the build lock."""
    if not os.path.lexists(path):
        if held is not None:
            os.close(held)
        return
    if small(path) or not supported():
        if held is not None:
            os.close(held)
        remove_path(path)
        return
    if aside is not None:
        os.rename(path, aside)
        path = aside
    remove(path, held)
