"""`mkdocs serve`'s file watching through the operating system's change notices instead of polling.

MkDocs' server (mkdocs/livereload, 1.6) watches with watchdog's PollingObserver: every 0.5 s it lists and stats
every file under content/ and catalog/ and compares the listing with the last one. At 10,000 documents (11,000
files) one such round costs about 0.3 s of CPU, so the watcher alone keeps a third of a core busy all the time —
and holds Python's lock for most of it, so a rebuild, which runs in the same process, goes at two thirds of its
speed; and a save is noticed only 0.5 s plus one round later.

`take_over` moves what MkDocs watches at on_serve (content/, mkdocs.yml, catalog/, the bureau's overrides/) to
watchdog's native observer (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows): no work while
nothing changes, and a save is noticed at once. A change asks for a rebuild exactly as MkDocs' own watcher does
(the same flag and condition of its server); only reading a file (opened / closed without writing, which the
build itself does) is not a change. Where the native observer cannot be used (another server class, a platform
without one, too few inotify watches, a folder on a network share with GONGKAI_SERVE_POLLING=1) MkDocs' polling
stays as it is. Paths MkDocs watches after on_serve (mkdocs.yml's `watch:`) are polled as before.

The same notices say *which* files changed (ChangeLog): the next rebuild's load then looks at those files instead of
listing and stat'ing every file under content/ again (gongkai/load/treedelta.py). The list is trusted only while
nothing can have been missed: the native observer has run without interruption since the last load took the list,
no folder was created, deleted or moved (the walk decides what a folder holds) and watchdog reported no lost
notices (the kernel's queue overflowing: watchdog logs a warning; any warning from it counts). Otherwise the
rebuild walks content/ as a first build does, once.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("mkdocs.plugins.gongkai")

# what changes a file (or its status, as polling would see it); reading one is not a change
CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})
# How long the server waits, after a change, for the changes to stop before it rebuilds (MkDocs: 0.1 s, made for
# its polling, whose changes arrive in batches every 0.5 s). The system's notices of one save (written, closed,
# or a new file renamed over the old one) arrive within a millisecond or two of each other, so waiting 0.1 s only
# delays the page by 0.1 s. A burst with longer pauses (a git checkout of many files) may now start a rebuild
# before its end: the files changed meanwhile are noted and the next rebuild, which the server starts at once,
# shows them — each rebuild is whole, nothing of it is wrong.
QUIET_S = 0.02


def polling_wanted() -> bool:
    """GONGKAI_SERVE_POLLING=1: keep MkDocs' polling (for folders whose changes the system does not announce, such
    as a network share edited from another machine)."""
    return os.environ.get("GONGKAI_SERVE_POLLING", "").strip() not in ("", "0", "false", "no")


def _takes_over(server: Any) -> bool:
    """Whether server is MkDocs' LiveReloadServer as this module knows it (mkdocs 1.6)."""
    return all(hasattr(server, name) for name in ("_watched_paths", "_watch_refs", "observer", "_rebuild_cond",
                                                   "_want_rebuild"))


class Taken:
    """What a ChangeLog says when a load takes it: the files changed since the last take (absolute paths), the
    folders watched all that time (recursively), and whether the list can be trusted (complete)."""

    __slots__ = ("changed", "folders", "complete")

    def __init__(self, changed: frozenset[str], folders: tuple[str, ...], complete: bool):
        self.changed, self.folders, self.complete = changed, folders, complete

    def covers(self, folder: str) -> bool:
        """Whether every change under folder since the last take is in `changed` (folder: an absolute path)."""
        folder = os.path.abspath(folder)
        return self.complete and any(folder == f or folder.startswith(f.rstrip(os.sep) + os.sep) for f in self.folders)


class ChangeLog:
    """The files the native observer saw change, collected for the next load (thread-safe: the observer's thread
    notes, the build's thread takes). Before the observer runs, and after anything it may have missed, a take
    says so (Taken.complete False) until the next take."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed: set[str] = set()
        self._folders: tuple[str, ...] = ()
        self._intact = False  # since the last take: watched all along, nothing missed
        self._running = False
        self._alive: Callable[[], bool] = lambda: False

    def start(self, folders: list[str], alive: Callable[[], bool]) -> None:
        """The observer runs now, watching these folders recursively (alive: whether it still does): what changes
        from now on is noted (the next take still says incomplete: the last one was before this start)."""
        with self._lock:
            self._folders = tuple(os.path.abspath(f) for f in folders)
            self._running = True
            self._alive = alive

    def stop(self) -> None:
        with self._lock:
            self._running = self._intact = False

    def lose(self) -> None:
        """Something may have changed without a notice (a folder's change, lost notices): until the next take."""
        with self._lock:
            self._intact = False

    def note(self, *paths: str) -> None:
        with self._lock:
            self._changed.update(paths)

    def take(self) -> Taken:
        """The changes since the last take, and from now on a new list."""
        alive = self._alive()  # (outside the lock: the observer's thread may be waiting for it)
        with self._lock:
            running = self._running and alive
            taken = Taken(frozenset(self._changed), self._folders, self._intact and running)
            self._changed = set()
            self._intact = running
        return taken


class _LostNotices(logging.Handler):
    """watchdog's warnings (e.g. "Inotify queue overflowed; filesystem events were lost"): the list of changes is
    no longer complete."""

    def __init__(self, log: ChangeLog):
        super().__init__(logging.WARNING)
        self.changes = log

    def emit(self, record: logging.LogRecord) -> None:
        self.changes.lose()


class NativeWatch:
    """The native observer that watches in MkDocs' place; `stop` when serve stops. changes: where it notes which
    files changed (the serve session's, gongkai/mkdocs/session.py)."""

    def __init__(self, server: Any, changes: ChangeLog | None = None):
        from watchdog.observers import Observer

        self.server = server
        self.observer = Observer()
        self.paths: list[str] = []
        self.changes = changes
        self._lost: _LostNotices | None = None

    def _handler(self, only: str | None) -> Any:
        from watchdog.events import FileSystemEventHandler

        server = self.server
        changes = self.changes

        class Changed(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.event_type not in CHANGES:
                    return
                paths = [os.fsdecode(event.src_path)]
                if getattr(event, "dest_path", ""):
                    paths.append(os.fsdecode(event.dest_path))
                if event.is_directory:
                    # a folder created, deleted or moved (or its permissions): what it holds is the walk's to say.
                    # (A folder "modified" only says that a file in it was added or removed: that file's own
                    # notice names it.)
                    if changes is not None and event.event_type != "modified" and only is None:
                        changes.lose()
                    return
                if only is not None and only not in paths:
                    return
                if changes is not None:  # noted before the rebuild is asked for: the rebuild's load takes it
                    changes.note(*paths)
                with server._rebuild_cond:  # what MkDocs' own watcher does on a change (LiveReloadServer.watch)
                    server._want_rebuild = True
                    server._rebuild_cond.notify_all()

        return Changed()

    def take_over(self) -> list[str]:
        """Watch every path MkDocs watches now with the native observer instead of polling; the paths taken over
        (none: MkDocs keeps polling)."""
        from watchdog.observers.polling import PollingObserver

        if not _takes_over(self.server) or self.observer.__class__ is PollingObserver or polling_wanted():
            return []
        paths = [p for p in self.server._watched_paths if os.path.exists(p)]
        try:
            for path in paths:
                if os.path.isdir(path):
                    self.observer.schedule(self._handler(None), path, recursive=True)
                else:  # a file (mkdocs.yml): its folder, since editors save by writing a new file and renaming it
                    self.observer.schedule(self._handler(os.path.abspath(path)), os.path.dirname(os.path.abspath(path)))
            self.observer.start()
        except OSError as exc:  # e.g. the system's limit of inotify watches
            log.info(f"gongkai: 无法使用系统的文件改动通知（{exc}），改回每 0.5 秒检查一次文件")
            self.observer.unschedule_all()
            return []
        for path in paths:
            # off MkDocs' polling observer, but still in its list: the server adds the livereload script to pages
            # and names the watched paths only while that list is not empty
            ref = self.server._watch_refs.pop(path, None)
            if ref is not None:
                self.server.observer.unschedule(ref)
        self.paths = paths
        self.server.build_delay = min(getattr(self.server, "build_delay", QUIET_S), QUIET_S)
        if self.changes is not None and logging.getLogger("watchdog").isEnabledFor(logging.WARNING):
            # (a lost notice is known only from watchdog's warning: with its warnings off, the list is never trusted)
            self._lost = _LostNotices(self.changes)
            logging.getLogger("watchdog").addHandler(self._lost)
            self.changes.start([p for p in paths if os.path.isdir(p)], self.alive)
        return paths

    def alive(self) -> bool:
        """Whether the observer and every one of its emitters still run (an emitter that died notices nothing)."""
        return self.observer.is_alive() and all(e.is_alive() for e in self.observer.emitters)

    def stop(self) -> None:
        if self.changes is not None:
            self.changes.stop()
        if self._lost is not None:
            logging.getLogger("watchdog").removeHandler(self._lost)
            self._lost = None
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=10)
