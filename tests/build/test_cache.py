"""The build cache's finished files (gongkai/build/cache.py): a cached page is reused without reading it only when
its stat data vouches for it (gongkai/statcheck.py): a page changed in place, even keeping its size and time, is
never taken for the one recorded while its time is not older than the stamp of its last verification."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gongkai.build.cache import UNSWEPT, BuildCache
from gongkai.memo import MISSING

PAGE = b"<p>\xe7\xa4\xba\xe4\xbe\x8b\xe5\xb8\x82\xe6\xb0\x91\xe6\x94\xbf\xe5\xb1\x80</p>\n"  # 示例市民政局
INPUTS = ("documents/szmz-2022-2.html", "v1")


def build(folder: Path, site: Path, trust: bool = True) -> tuple[BuildCache, bool]:
    """One build's use of the cache: the page put into a fresh site folder; True if it came from the cache."""
    cache = BuildCache(folder, trust_stat=trust)
    site.mkdir(parents=True, exist_ok=True)
    target = site / "page.html"
    target.unlink(missing_ok=True)
    hit = cache.put(target, lambda: PAGE, *INPUTS)
    cache.finish()
    return cache, hit


def stored(cache: BuildCache) -> Path:
    return cache.page_path(cache.key(*INPUTS))


def change_in_place(path: Path, data: bytes) -> None:
    """New bytes of the same length in the same file (same inode), its modification time put back."""
    st = path.stat()
    assert len(data) == st.st_size and data != path.read_bytes()
    with open(path, "r+b") as fh:
        fh.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns


def test_a_page_written_by_the_last_build_is_trusted_by_its_stat(tmp_path):
    """store dated the new file just before the build's stamp before renaming it into place: the next build links
    it without reading it (before 2026-12-02 every page a build wrote was read and hashed again by the next)."""
    folder = tmp_path / "cache"
    first, hit = build(folder, tmp_path / "site1")
    assert not hit and first.clock is not None
    assert stored(first).stat().st_mtime_ns == first.clock - 1
    cache = BuildCache(folder)
    site = tmp_path / "site2"
    site.mkdir()
    key = cache.key(*INPUTS)
    assert not cache.needs_hashing(key)
    assert cache.put(site / "page.html", lambda: b"not made", *INPUTS)
    assert cache.rehashed == []  # not read: its stat vouched for it
    cache.finish()
    assert (site / "page.html").read_bytes() == PAGE


def test_a_page_written_by_the_last_build_and_changed_in_place_is_seen(tmp_path):
    """The same size, in the same file (through the site's hard link): its time is now, not older than the stamp
    of the build that wrote it, so the next build hashes it, refuses it and makes the page again."""
    folder = tmp_path / "cache"
    build(folder, tmp_path / "site1")
    linked = tmp_path / "site1" / "page.html"
    with open(linked, "r+b") as fh:
        fh.write(PAGE.replace(b"<p>", b"<b>"))
    cache, hit = build(folder, tmp_path / "site2")
    assert not hit  # the changed file was hashed and refused: made again
    assert (tmp_path / "site2" / "page.html").read_bytes() == PAGE
    assert stored(cache).read_bytes() == PAGE


def test_a_page_changed_in_place_with_its_written_time_put_back_is_not_seen(tmp_path):
    """What the stat data cannot tell (git cannot either): a change keeping size, inode and the very time the
    build gave the file. Recorded here so that nobody takes it for a guarantee; GONGKAI_TRUST_STAT=0 sees it."""
    folder = tmp_path / "cache"
    cache, _ = build(folder, tmp_path / "site1")
    change_in_place(stored(cache), PAGE.replace(b"<p>", b"<b>"))
    _, hit = build(folder, tmp_path / "site2")
    assert hit and (tmp_path / "site2" / "page.html").read_bytes() != PAGE
    _, hit = build(folder, tmp_path / "site3", trust=False)
    assert not hit and (tmp_path / "site3" / "page.html").read_bytes() == PAGE


def test_a_verified_page_is_trusted_by_its_stat(tmp_path):
    folder = tmp_path / "cache"
    build(folder, tmp_path / "site1")
    cache, hit = build(folder, tmp_path / "site2")  # hashed once, then vouched for by its stat
    assert hit and cache.rehashed == []  # finish() moved them into the index
    again = BuildCache(folder)
    key = again.key(*INPUTS)
    assert again.lookup(key) is not None and again.rehashed == []  # not read: trusted
    assert (tmp_path / "site2" / "page.html").read_bytes() == PAGE
    # GONGKAI_TRUST_STAT=0: read and hashed every time
    off = BuildCache(folder, trust_stat=False)
    assert off.lookup(key) is not None and off.clock is None


def test_a_changed_page_with_a_new_time_is_seen(tmp_path):
    folder = tmp_path / "cache"
    build(folder, tmp_path / "site1")
    cache, _ = build(folder, tmp_path / "site2")
    path = stored(cache)
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.write(PAGE.replace(b"<p>", b"<i>"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    cache, hit = build(folder, tmp_path / "site3")
    assert not hit and (tmp_path / "site3" / "page.html").read_bytes() == PAGE


def test_a_racy_verified_page_is_hashed_again(tmp_path):
    """A page whose time is not older than the stamp of the build that verified it (here: set ahead of it) may
    have been changed within that same tick: it is hashed on every lookup, so an in-place change keeping its size
    and time is seen."""
    folder = tmp_path / "cache"
    cache, _ = build(folder, tmp_path / "site1")
    path = stored(cache)
    ahead = path.stat().st_mtime_ns + 3600 * 10**9
    os.utime(path, ns=(ahead, ahead))
    cache.record(cache.key(*INPUTS), path)  # the index knows the file with that time
    cache.finish()
    cache, hit = build(folder, tmp_path / "site2")  # hashed and verified, its time ahead of the stamp
    assert hit and cache.clock is not None and ahead >= cache.clock
    change_in_place(path, PAGE.replace(b"<p>", b"<u>"))
    cache, hit = build(folder, tmp_path / "site3")
    assert not hit and (tmp_path / "site3" / "page.html").read_bytes() == PAGE


def test_the_memo_is_loaded_with_the_collector_paused_and_restored(tmp_path, monkeypatch):
    """Memo files are unpickled without the garbage collector walking the heap (most of their load time at 10,000
    documents); its state is restored afterwards, also when it was off and when a file is damaged."""
    import gc
    import pickle

    cache = BuildCache(tmp_path / "c")
    with cache.memo() as memo:
        assert memo is not None
        for i in range(200):
            memo.put(("doc", i), {"title": f"文件{i}", "n": [i] * 3})
    (tmp_path / "c" / "memo" / "00.pickle").write_bytes(b"damaged")
    seen = []
    real = pickle.load

    def recording(fh):
        seen.append(gc.isenabled())
        return real(fh)

    monkeypatch.setattr(pickle, "load", recording)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            again = BuildCache(tmp_path / "c")
            with again.memo() as memo:
                assert memo is not None
                found = [memo.get(("doc", i)) for i in range(200)]
            assert gc.isenabled() == enabled
        finally:
            gc.enable()
        assert sum(f == {"title": f"文件{i}", "n": [i] * 3} for i, f in enumerate(found)) >= 150  # all but file 00's
    assert seen and not any(seen)


def test_deferred_saves_write_what_a_build_writes_once_asked(tmp_path):
    """mkdocs serve defers the cache's own files (gongkai/mkdocs/session.py): until save_deferred nothing of the
    memo, index or output hashes is written and no unused cached file is deleted; then the folder holds what a
    build writing them at once leaves, and a later build (a new process) reads it back."""
    def one_build(folder: Path, defer: bool, previous: BuildCache | None = None) -> BuildCache:
        cache = BuildCache(folder, previous, defer_saves=defer)
        with cache.memo() as memo:
            assert memo is not None
            memo.put(("doc", "新"), {"title": "示例市临时救助实施办法"})
        site = folder.parent / "site"
        site.mkdir(exist_ok=True)
        (site / "page.html").unlink(missing_ok=True)
        cache.put(site / "page.html", lambda: PAGE, *INPUTS)
        cache.finish()
        return cache

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    at_once, deferred = tmp_path / "a" / "cache", tmp_path / "b" / "cache"
    for folder in (at_once, deferred):  # an earlier build: its page and memo entry are not used by the next one
        first = BuildCache(folder)
        with first.memo() as memo:
            assert memo is not None
            memo.put(("doc", "旧"), {"title": "已废止的办法"})
        first.record("zz-old", first.store("zz-old", b"<p>old</p>"))
        first.use("zz-old")
        first.finish()
    one_build(at_once, defer=False)
    before = files(deferred)
    cache = one_build(deferred, defer=True, previous=None)
    now = files(deferred)
    assert all(now.get(k) == v for k, v in before.items())  # nothing rewritten, nothing deleted yet
    page = cache.page_path(cache.key(*INPUTS)).relative_to(deferred).as_posix()
    assert [k for k in now if k not in before] == [page, UNSWEPT]  # the page stored, the sweep still to do
    cache.save_deferred()
    assert files(deferred).keys() == files(at_once).keys()
    assert not (deferred / "pages" / "zz").exists() or not any((deferred / "pages" / "zz").iterdir())
    again = BuildCache(deferred)
    with again.memo() as memo:
        assert memo is not None
        assert memo.get(("doc", "新")) == {"title": "示例市临时救助实施办法"}
        assert memo.get(("doc", "旧")) is MISSING  # not used by the last build: dropped
    assert again.lookup(again.key(*INPUTS)) is not None


def test_the_sweep_lists_the_dropped_entries_folders_unless_a_build_stopped_after_storing(tmp_path):
    """finish deletes the cached files the index no longer holds. After a build that followed a finished one, those
    are the entries it dropped: only their folders are listed (a garbage file elsewhere, which no build leaves, is
    not seen). A build that stopped after storing a file (killed, failed) leaves the UNSWEPT mark, and an index of
    another gongkai is not read: then the next finish lists every folder."""
    folder = tmp_path / "cache"
    pages = folder / "pages"

    def build(keys: list[str], code: str = "v1", finish: bool = True) -> None:
        cache = BuildCache(folder, code=code)
        for key in keys:
            if cache.lookup(key) is None:
                cache.record(key, cache.store(key, f"<p>{key}</p>".encode()))
            cache.use(key)
        if finish:
            cache.finish()

    def left() -> list[str]:
        return sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*") if p.is_file())

    build(["aa1", "bb1"])
    assert left() == ["aa/aa1.html", "bb/bb1.html"] and not (folder / UNSWEPT).exists()
    (pages / "bb" / "bb9.html").write_bytes(b"not a build's")
    build(["bb1"])  # drops aa1: folder aa listed, bb not
    assert left() == ["bb/bb1.html", "bb/bb9.html"] and not (folder / UNSWEPT).exists()

    build(["bb1", "cc1"], finish=False)  # killed after storing cc1
    assert (folder / UNSWEPT).exists()
    (pages / "dd").mkdir()
    (pages / "dd" / ".dd1.html.99.tmp").write_bytes(b"half")  # what a write killed midway leaves
    build(["bb1"])
    assert left() == ["bb/bb1.html"] and not (folder / UNSWEPT).exists()

    (pages / "bb" / "bb9.html").write_bytes(b"not a build's")
    build(["ee1"], code="v2")  # another gongkai: the index of v1 is not read
    assert left() == ["ee/ee1.html"]

    build(["ee1", "ff1"])
    shutil.rmtree(pages / "ff")  # removed by hand while the index still holds ff1
    build(["ee1"])  # drops ff1: its folder is gone, nothing to list (this build and the next must not fail)
    build(["ee1"])
    assert left() == ["ee/ee1.html"] and not (folder / UNSWEPT).exists()


class Odd(str):
    """A str subclass (as Markup is): not a value marshal writes."""


def test_the_index_and_the_states_are_marshalled_and_read_back_as_kept(tmp_path):
    """The index of finished files and the steps' states are written with marshal (each build rewrites them: 2.7 MB
    at 10,000 documents) — a state marshal cannot write with pickle, told apart by its first byte — and read back
    equal, tuples as tuples; the files of gongkai before them (pages.pickle, states.pickle) are deleted."""
    import marshal

    from gongkai.build.cache import FORMER, INDEX, STATES, decode_kept, encode_kept

    folder = tmp_path / "cache"
    folder.mkdir()
    for name in FORMER:
        (folder / name).write_bytes(b"\x80old")
    first = BuildCache(folder)
    assert not any((folder / name).exists() for name in FORMER)
    state = ("token", "salt", {"content/documents/a.md": "k1", "content/documents/b.md": "k2"}, [1, (2, b"\x00")])
    first.keep_state("plain", state)
    first.keep_state("odd", (Odd("x"),))
    (tmp_path / "site").mkdir()
    first.put(tmp_path / "site" / "page.html", lambda: PAGE, *INPUTS)
    first.finish()
    raw = (folder / STATES).read_bytes()
    assert raw[:1] == b"\x80"  # (the odd state: pickled whole)
    index = (folder / INDEX).read_bytes()
    assert index[:1] != b"\x80" and marshal.loads(index)["items"] == first._index
    again = BuildCache(folder)
    assert again.state("plain") == state and type(again.state("plain")[3][1]) is tuple
    assert again.state("odd") == ("x",) and type(again.state("odd")[0]) is Odd
    assert again._index == first._index and again.lookup(again.key(*INPUTS)) is not None
    for value in ({"a": (1, "二", b"3", None, True, 1.5, frozenset({"x"}))}, [Odd("y")]):
        assert decode_kept(encode_kept(value, marshal.version)) == value
