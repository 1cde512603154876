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
"""

from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger("mkdocs.plugins.gongkai")

# what changes a file (or its status, as polling would see it); reading one is not a change
CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})


def polling_wanted() -> bool:
    """GONGKAI_SERVE_POLLING=1: keep MkDocs' polling (for folders whose changes the system does not announce, such
    as a network share edited from another machine)."""
    return os.environ.get("GONGKAI_SERVE_POLLING", "").strip() not in ("", "0", "false", "no")


def _takes_over(server: Any) -> bool:
    """Whether server is MkDocs' LiveReloadServer as this module knows it (mkdocs 1.6)."""
    return all(hasattr(server, name) for name in ("_watched_paths", "_watch_refs", "observer", "_rebuild_cond",
                                                   "_want_rebuild"))


class NativeWatch:
    """The native observer that watches in MkDocs' place; `stop` when serve stops."""

    def __init__(self, server: Any):
        from watchdog.observers import Observer

        self.server = server
        self.observer = Observer()
        self.paths: list[str] = []

    def _handler(self, only: str | None) -> Any:
        from watchdog.events import FileSystemEventHandler

        server = self.server

        class Changed(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.is_directory or event.event_type not in CHANGES:
                    return
                if only is not None and only not in (os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")):
                    return
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
        return paths

    def stop(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=10)
