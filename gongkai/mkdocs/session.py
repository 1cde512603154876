"""What `mkdocs serve` keeps in its process from one rebuild to the next.

MkDocs serve builds the whole site again after every save, in the same process and with the same plugin instance
(gongkai/mkdocs/plugin.py). A rebuild must write exactly what a first build of the same files writes
(tests/mkdocs/test_serve_rebuilds.py), so nothing here is a result trusted because it was right last time; it is
what the last build would otherwise read back from .cache/gongkai/ or compute again unchanged:

- the build cache (gongkai/build/cache.py): the index of finished files, the memo (parsed YAML, scans, the loaded
  documents' records) and the output hashes — kept in memory instead of unpickled on every save;
- writing them back to .cache/gongkai/ is left out of the rebuild: it is done in a background thread once the
  rebuild has switched the site (the browser reloads meanwhile) and the next rebuild waits for it to end; the build
  lock is held until it has, so no other build of the site reads a half-saved cache. Serve stopping (on_shutdown)
  waits for it too. A serve killed before the save keeps the cache of an earlier save: slower, never wrong (every
  cached file is checked before it is used). After a rebuild that failed, the next one reads the cache back from
  the folder (`failed`): what the failed one changed in memory was never saved;
- gongkai's own code key (cache.code_key: a SHA-256 of gongkai's code, templates and fonts, ~8 MB), hashed again
  only when one of its files' size or time changed;
- what the last load can give the next (gongkai/load/kept.py): its walk of content/, which the next load updates
  from the files the watcher saw change (servewatch.ChangeLog, gongkai/load/treedelta.py) instead of listing and
  stat'ing every file again, and the documents' records as it decoded them;
- the cyclic garbage collector's work: the model of a 10,000-document site is millions of objects; left alone the
  collector walks all of them (and the last build's model, garbage now) in the middle of the next rebuild, two or
  three times (~1 s at 10,000 documents). What a build leaves in memory is frozen (gc.freeze: never walked while
  serve waits and the next build runs), the collector is off until the new model is loaded and frozen too, and the
  garbage is collected once the next build's site is switched, in the same background step — after a short pause
  (SETTLE_S) in which the reloading browser fetches the page, since the collector holds Python's lock while it
  runs; a save meanwhile ends the pause at once;
- the last rebuild's model (the plugin's catalogue, plans, pages, nav …: `retire`), dropped in that same background
  step instead of object by object in the middle of the next rebuild, where its attributes are replaced (~0.05 s
  CPU at 10,000 documents: freeing a few million objects); after a rebuild that failed or serves its list of input
  errors, in a background step of its own (`stopped`): no build uses it any more;
- the listing of the previous tree kept beside serve's site folder (gongkai/build/staging.py: Recycled), made in
  that background step instead of at the start of the next rebuild (~0.04 s at 10,000 documents, 37,000 files);
  the rebuild uses it only while none of the tree's folders changed since (their stat, statcheck's rule).

State is this explicit object, held by the plugin and passed where it is needed; nothing is a module global.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from gongkai import statcheck
from gongkai.build import cache as build_cache
from gongkai.build import staging
from gongkai.load.kept import Kept
from gongkai.mkdocs.servewatch import ChangeLog

log = logging.getLogger("mkdocs.plugins.gongkai")
SETTLE_S = 0.5  # after a rebuild: the browser's reload first, then the cache's save and the garbage collection


class ServeSession:
    """One `mkdocs serve`: created at on_startup, closed at on_shutdown."""

    def __init__(self) -> None:
        self.cache: build_cache.BuildCache | None = None  # the last build's cache (index, memo, output hashes)
        self._code: tuple[tuple, str] | None = None  # (code_signature, code_key)
        self._saver: threading.Thread | None = None
        self._hurry = threading.Event()  # a rebuild is waiting for the save: no more pause
        self.save_error: BaseException | None = None  # the last background save's failure (logged)
        self.changes = ChangeLog()  # the files the watcher saw change (servewatch.NativeWatch notes them)
        self.kept = Kept()  # what the last load gives the next
        # the tree kept beside serve's site folder, listed once the last rebuild was served (staging.list_ahead)
        self.listing: staging.Listing | None = None
        self.retired: list[object] = []  # the last rebuild's model, dropped once this one is served (retire)

    # --- before a build

    def code_key(self) -> str:
        """cache.code_key(), hashed again only when a file of gongkai changed (its size, time or inode)."""
        signature = build_cache.code_signature()
        if self._code is None or self._code[0] != signature:
            self._code = (signature, build_cache.code_key())
        return self._code[1]

    def begin(self) -> None:
        """A build starts: the last one's background save is finished first (it holds the build lock and writes
        from the cache this build is about to take over); what is in memory now is frozen for the collector, which
        stays off until the model is loaded and frozen too (loaded): loading makes as many objects as the last model
        had, and the collector would walk them all once it is back on."""
        self.wait()
        self.retired.clear()  # (a build that ended with neither built() nor stopped() left them)
        gc.freeze()
        gc.disable()

    def retire(self, held: object) -> None:
        """What the plugin held of the last rebuild (its attributes, before this rebuild replaces them): kept alive
        until this rebuild is served, then dropped in the background step (built), not one by one mid-rebuild."""
        self.retired.append(held)

    def load_kept(self, root: Path) -> Kept:
        """Before a load: what the last one kept, with the files changed since when the watcher vouches for its list
        of content/ (and stat data may be trusted at all: GONGKAI_TRUST_STAT=0 trusts neither)."""
        taken = self.changes.take()
        complete = taken.covers(os.fspath(root / "content")) and statcheck.enabled()
        self.kept.learn(taken.changed if complete else None)
        return self.kept

    def kept_listing(self) -> staging.Listing | None:
        """The listing of the kept tree made after the last rebuild (for Recycled.register, which trusts it only
        while none of the tree's folders changed since); each listing is handed out once."""
        listing, self.listing = self.listing, None
        return listing

    def loaded(self) -> None:
        """The model is loaded and frozen (plugin.on_config), or the build stopped before: the collector runs again."""
        gc.enable()

    def kept_cache(self, folder: Path | None) -> build_cache.BuildCache | None:
        """The last build's cache, for BuildCache(previous=…), when it is of the same folder."""
        kept = self.cache
        if kept is None or kept.folder != folder:
            return None
        return kept

    # --- after a build

    def built(self, cache: build_cache.BuildCache, release: Callable[[], None], final: Path | None = None) -> None:
        """The site is switched: keep this build's cache; write what it has not written yet, list the tree kept
        beside final (serve's site folder) for the next build, collect the garbage of the build before, then call
        release (the build lock) — in a background thread."""
        self.cache = cache
        self.listing = None
        self._hurry.clear()

        def save() -> None:
            try:
                self._hurry.wait(SETTLE_S)
                cache.save_deferred()
            except BaseException as exc:  # a full disk: the next build reads an older cache, never a wrong one
                self.save_error = exc
                log.warning(f"gongkai: 生成缓存未能写入 {cache.folder}：{exc}（不影响预览；下次生成会慢一些）")
            finally:
                try:
                    self.retired.clear()  # the rebuild before this one: its model freed here, off the page's path
                    if final is not None and cache.clock is not None and cache.folder is not None:
                        try:  # (stat data trusted: the next build checks the listing by its folders' stat)
                            self.listing = staging.list_ahead(final, statcheck.clock(cache.folder))
                        except OSError:
                            self.listing = None  # the next build lists the tree itself
                    gc.unfreeze()  # the last build's model is garbage now, this build's is what the next one finds
                    gc.collect()
                    gc.freeze()  # what is left lives until the next build: no collection walks it meanwhile
                finally:
                    release()

        self._saver = threading.Thread(target=save, name="gongkai-serve-save", daemon=True)
        self._saver.start()

    def wait(self) -> None:
        """The last build's save finished (at once: no pause)."""
        saver = self._saver
        if saver is not None:
            self._hurry.set()
            saver.join()
            self._saver = None

    def failed(self) -> None:
        """A build stopped with an error. Its cache shared the kept one's index and memo in memory and may have
        changed them — finish() drops the entries it did not use, whose files only its own save (never run now)
        would have deleted, so they would be left in the folder unindexed, unknown to the next sweep. The next build
        reads the cache back from the folder instead: it holds what the last complete save wrote, and a file a
        failed build stored there left the UNSWEPT mark, which has the next sweep list every folder."""
        self.wait()
        self.cache = None
        self.stopped()

    def stopped(self) -> None:
        """A rebuild ended without a site switched (it failed, or serve shows its list of input errors): no build
        will use what the plugin held of the rebuild before it (retire), so that is dropped now, not at the next
        begin() — serve may wait a long time for the fix, and would hold two models meanwhile. In the background
        after the pause, as after a rebuild that was served (built)."""
        self.wait()
        self._hurry.clear()

        def drop() -> None:
            self._hurry.wait(SETTLE_S)
            self.retired.clear()
            gc.unfreeze()  # (the caller unfroze already: the rebuild's frozen model is garbage or the plugin's)
            gc.collect()
            gc.freeze()

        self._saver = threading.Thread(target=drop, name="gongkai-serve-drop", daemon=True)
        self._saver.start()

    def close(self) -> None:
        """Serve stops: the last save is finished (Ctrl+C does not lose it)."""
        self.wait()
