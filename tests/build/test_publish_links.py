"""The cached document pages a rebuild links or claims (publish.write_documents through BuildCache.link_many): a
cached file is trusted by its stat only under `_lookup`'s rule — the same size and modification time as recorded,
the same file (device and inode), and a time older than the stamp it was recorded with. link_many writes that rule
out in its loop (every page passes there on every rebuild); a history of real builds with the cached file replaced
or changed in the ways only the inode or only the stamp reveals, each compared with a build without the cache. A
loop that skips either comparison publishes the changed file and fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import build_in_process, cold_copy, copy_example, edit, same_site
from gongkai.build import cache as cache_module

ONE_WORKER = {"GONGKAI_WORKERS": "1", "GONGKAI_SEARCH": "0"}
DOC = "content/documents/2022/szmz-2022-2.md"
PAGE = "documents/szmz-2022-2.html"


def cached_file(root: Path) -> Path:
    """The cache's file the site's page is a hard link of."""
    st = (root / "site" / PAGE).stat()
    found = [p for p in (root / ".cache" / "gongkai" / "pages").rglob("*.html") if p.stat().st_ino == st.st_ino]
    assert len(found) == 1
    return found[0]


def same_size_other_bytes(data: bytes) -> bytes:
    changed = data.replace(b"<html", b"<HTML", 1)
    assert changed != data and len(changed) == len(data)
    return changed


def check(root: Path, tmp_path: Path, name: str) -> None:
    cold = cold_copy(root, tmp_path / name)
    build_in_process(cold, extra_env=ONE_WORKER)
    same_site(root, cold)


def test_a_cached_page_replaced_by_another_file_of_the_same_size_and_time_is_not_published(tmp_path):
    root = copy_example(tmp_path / "site")
    build_in_process(root, extra_env=ONE_WORKER)
    build_in_process(root, extra_env=ONE_WORKER)
    path = cached_file(root)
    st = path.stat()
    data = path.read_bytes()
    replacement = path.with_name("replacement.tmp")
    replacement.write_bytes(same_size_other_bytes(data))
    os.utime(replacement, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(replacement, path)  # a new inode with the recorded size and time: only the inode tells
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    build_in_process(root, extra_env=ONE_WORKER)
    assert (root / "site" / PAGE).read_bytes() == data
    check(root, tmp_path, "cold")


def test_a_page_changed_in_the_tick_it_was_written_in_is_not_trusted_by_its_stat(tmp_path, monkeypatch):
    """Where a stored page cannot be dated before the build's stamp (utime refused), its time is not older than
    the stamp: a later change of the same size with that time put back is seen only by hashing it."""
    root = copy_example(tmp_path / "site")
    build_in_process(root, extra_env=ONE_WORKER)
    edit(root / DOC, "临时救助", "临时性救助")
    with monkeypatch.context() as m:
        m.setattr(cache_module, "date_before", lambda path, stamp: None)
        build_in_process(root, extra_env=ONE_WORKER)
    path = cached_file(root)
    st = path.stat()
    data = path.read_bytes()
    with open(root / "site" / PAGE, "r+b") as fh:  # in place: the cache's file too (a hard link of it)
        fh.write(same_size_other_bytes(data))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the recorded time put back: only the stamp tells
    build_in_process(root, extra_env=ONE_WORKER)
    assert (root / "site" / PAGE).read_bytes() == data
    check(root, tmp_path, "cold")


@pytest.fixture(autouse=True)
def _trusting_stat(monkeypatch):
    monkeypatch.delenv("GONGKAI_TRUST_STAT", raising=False)
