"""The files a build stores in its cache (gongkai/build/cache.py: store, write_atomic). The pages a build writes into its cache are trusted by their stat data at the next build (BuildCache.store dates
each new file just before the build's stamp, before it becomes visible): that build does not read them back, and a
page changed in place in site/ (through the hard link, so its time is now) is still seen and made again — the
site equal, byte for byte, to a cold build's."""

from __future__ import annotations

import builtins
import io
import os
from pathlib import Path

import pytest

from conftest import build_in_process, cold_copy, copy_example, same_site
from gongkai import statcheck
from gongkai.build.cache import BuildCache, write_atomic

ONE_WORKER = {"GONGKAI_WORKERS": "1"}  # every read in this process, where the test sees it


def cached_pages_of_documents(root: Path) -> set[str]:
    """The cache files the site's document pages are hard links of."""
    inodes = {p.stat().st_ino for p in (root / "site" / "documents").glob("*.html")}
    pages = root / ".cache" / "gongkai" / "pages"
    return {os.fspath(p) for p in pages.rglob("*.html") if p.stat().st_ino in inodes}


def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths this process opens from now on."""
    seen: list[str] = []
    real = io.open

    def recording(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            seen.append(os.fspath(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording)
    monkeypatch.setattr(io, "open", recording)
    return seen


def test_the_next_build_does_not_read_the_pages_the_last_one_wrote(tmp_path, monkeypatch):
    root = copy_example(tmp_path / "warm")
    build_in_process(root, extra_env=ONE_WORKER)
    pages = cached_pages_of_documents(root)
    assert len(pages) > 20
    seen = opened(monkeypatch)
    build_in_process(root, extra_env=ONE_WORKER)
    assert sorted(pages & set(seen)) == []
    assert cached_pages_of_documents(root) == pages  # the same files, linked again


def test_a_page_changed_in_place_after_the_build_that_wrote_it_is_made_again(tmp_path):
    """Same size, same inode, its time now (what an editor or a script writing into site/ does)."""
    root = copy_example(tmp_path / "warm")
    build_in_process(root, extra_env=ONE_WORKER)
    page = root / "site" / "documents" / "szmz-2022-2.html"
    data = page.read_bytes()
    changed = data.replace(b"<html", b"<HTML", 1)
    assert changed != data and len(changed) == len(data)
    with open(page, "r+b") as fh:  # in place: the cache's file too (a hard link of it)
        fh.write(changed)
    build_in_process(root, extra_env=ONE_WORKER)
    cold = cold_copy(root, tmp_path / "cold")
    build_in_process(cold, extra_env=ONE_WORKER)
    assert (root / "site" / "documents" / "szmz-2022-2.html").read_bytes() == data
    same_site(root, cold)


def test_without_trusting_stat_data_nothing_is_dated_back_and_every_page_is_hashed(tmp_path):
    """GONGKAI_TRUST_STAT=0: the stored file keeps the time of its writing, is recorded with no stamp, and every
    lookup reads and hashes it — also that of a later build that trusts stat data, until one has verified it."""
    folder = tmp_path / "cache"
    before = statcheck.clock(tmp_path / "clock")
    off = BuildCache(folder, trust_stat=False)
    assert off.clock is None
    key = off.key("page")
    off.record(key, off.store(key, b"<p>x</p>"))
    off.use(key)
    off.finish()
    assert off.page_path(key).stat().st_mtime_ns >= before
    again = BuildCache(folder, trust_stat=False)
    assert again.needs_hashing(key)
    trusted = BuildCache(folder)
    assert trusted.needs_hashing(key)


def test_a_plain_atomic_write_keeps_the_time_of_writing(tmp_path):
    """Only the cache's own files are dated back (store): write_atomic of anything else (memo and index files,
    withdrawn pages, imported documents) leaves the time alone."""
    before = statcheck.clock(tmp_path / "clock")
    st = write_atomic(tmp_path / "a.txt", b"x")
    assert st.st_mtime_ns >= before
    st = write_atomic(tmp_path / "b.txt", b"y", older_than=before)
    assert st.st_mtime_ns == before - 1 and not list(tmp_path.glob(".*.tmp"))
