"""gongkai/mkdocs/servewatch.py on MkDocs' real LiveReloadServer (not listening): the paths it watches move from
polling to the system's change notices, a saved file (also saved by renaming a new file over it) asks for a rebuild
and reading one does not, and GONGKAI_SERVE_POLLING=1 leaves MkDocs' polling as it was. A real `mkdocs serve` with
it: tests/e2e/test_serve.py."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from gongkai.mkdocs.servewatch import QUIET_S, ChangeLog, NativeWatch


def server(tmp_path: Path) -> LiveReloadServer:
    srv = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    (tmp_path / "content" / "documents").mkdir(parents=True)
    (tmp_path / "content" / "documents" / "a.md").write_text("---\ntitle: 甲\n---\n正文\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: 测试\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("不相干\n", encoding="utf-8")
    srv.watch(str(tmp_path / "content"))
    srv.watch(str(tmp_path / "mkdocs.yml"))
    return srv


def asked(srv: LiveReloadServer, within: float) -> bool:
    """Whether a rebuild was asked for within `within` seconds (the flag is then taken back, as the server does)."""
    with srv._rebuild_cond:
        srv._rebuild_cond.wait_for(lambda: srv._want_rebuild, timeout=within)
        found = srv._want_rebuild
        srv._want_rebuild = False
    return found


def test_changes_ask_for_a_rebuild_reading_does_not(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_SERVE_POLLING", raising=False)
    srv = server(tmp_path)
    watch = NativeWatch(srv)
    try:
        taken = watch.take_over()
        assert sorted(taken) == sorted([str(tmp_path / "content"), str(tmp_path / "mkdocs.yml")])
        assert srv._watch_refs == {}  # nothing left for MkDocs' polling observer
        assert set(srv._watched_paths) == set(taken)  # still listed: the server injects livereload while it is
        assert srv.build_delay == QUIET_S < 0.1  # a save's notices come together: no 0.1 s wait for more
        doc = tmp_path / "content" / "documents" / "a.md"
        time.sleep(0.3)
        assert doc.read_text(encoding="utf-8") and not asked(srv, 1.0)  # the build reads every file
        doc.write_text("---\ntitle: 甲\n---\n正文（改）\n", encoding="utf-8")
        assert asked(srv, 5.0)
        (tmp_path / "content" / "documents" / "b.md").write_text("---\ntitle: 乙\n---\n", encoding="utf-8")
        assert asked(srv, 5.0)  # a new file, in a folder too
        time.sleep(0.3)
        asked(srv, 0.1)
        (tmp_path / "other.txt").write_text("仍不相干\n", encoding="utf-8")  # beside mkdocs.yml, not watched
        assert not asked(srv, 1.0)
        saved = tmp_path / ".mkdocs.yml.swp"  # an editor's save: a new file renamed over the old one
        saved.write_text("site_name: 测试（改）\n", encoding="utf-8")
        asked(srv, 0.5)  # (its own name is not mkdocs.yml: whether this asks does not matter)
        os.replace(saved, tmp_path / "mkdocs.yml")
        assert asked(srv, 5.0)
    finally:
        watch.stop()


@pytest.mark.parametrize("value", ["1", "yes"])
def test_polling_kept_when_asked(tmp_path, monkeypatch, value):
    monkeypatch.setenv("GONGKAI_SERVE_POLLING", value)
    srv = server(tmp_path)
    refs = dict(srv._watch_refs)
    assert NativeWatch(srv).take_over() == []
    assert srv._watch_refs == refs and len(refs) == 2
    assert srv.build_delay == 0.1  # MkDocs' own, for its polling's batches


def test_the_watcher_says_which_files_changed(tmp_path, monkeypatch):
    """Its ChangeLog, as the next rebuild's load takes it: the files saved since the last take (an editor's save by
    renaming names both files), complete only while the watcher has run all along since that take, no folder was
    created or removed, and watchdog lost nothing; after it stops, never."""
    monkeypatch.delenv("GONGKAI_SERVE_POLLING", raising=False)
    srv = server(tmp_path)
    changes = ChangeLog()
    content = str(tmp_path / "content")
    assert not changes.take().complete  # nothing watches yet
    watch = NativeWatch(srv, changes)
    try:
        watch.take_over()
        first = changes.take()
        assert not first.complete  # the last take was before the watcher started
        doc = tmp_path / "content" / "documents" / "a.md"
        doc.write_text("---\ntitle: 甲\n---\n正文（改）\n", encoding="utf-8")
        assert asked(srv, 5.0)
        taken = changes.take()
        assert taken.complete and taken.covers(content) and str(doc) in taken.changed
        assert not taken.covers(str(tmp_path / "catalog"))  # (not watched)
        saved = doc.with_name(".a.md.swp")  # an editor's save
        saved.write_text("---\ntitle: 甲\n---\n正文（再改）\n", encoding="utf-8")
        os.replace(saved, doc)
        assert asked(srv, 5.0)
        time.sleep(0.3)
        taken = changes.take()
        assert taken.complete and {str(doc), str(saved)} <= taken.changed
        assert changes.take().changed == frozenset()  # each change is taken once
        (tmp_path / "content" / "documents" / "2027").mkdir()  # a new folder: the walk's to say what it holds
        (tmp_path / "content" / "documents" / "2027" / "b.md").write_text("---\ntitle: 乙\n---\n", encoding="utf-8")
        assert asked(srv, 5.0)
        time.sleep(0.3)
        assert not changes.take().complete
        assert changes.take().complete  # (from that take on, complete again)
        logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; filesystem events were lost")
        assert not changes.take().complete
    finally:
        watch.stop()
    assert not changes.take().complete and not changes.take().complete  # stopped
