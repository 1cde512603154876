"""gongkai/build/cache.py `code_key`: the digest of gongkai's own files kept in the cache folder by their stat; it
must be the digest of the files as they are now, whatever changed since it was kept."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from gongkai import statcheck
from gongkai.build import cache


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A small stand-in for gongkai's folder (code, a template, a font) and a cache folder; folder_digest counted."""
    pkg = tmp_path / "pkg"
    (pkg / "build" / "templates").mkdir(parents=True)
    (pkg / "__pycache__").mkdir()
    (pkg / "a.py").write_text("A = 1\n")
    (pkg / "build" / "templates" / "page.html").write_text("<p>{{ x }}</p>\n")
    (pkg / "build" / "font.ttf").write_bytes(b"\0" * 1000)
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"not hashed")
    monkeypatch.setattr(cache, "PACKAGE_DIR", pkg)
    calls: list[int] = []
    real = cache.folder_digest

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "folder_digest", counted)
    folder = tmp_path / "cache"
    folder.mkdir()
    return pkg, folder, calls


def build_key(folder: Path) -> str:
    """As a build takes it: a stamp first, then the key (BuildCache)."""
    return cache.code_key(folder, statcheck.clock(folder))


def hashed() -> str:
    return cache.code_key()  # (no folder: always hashed)


def past(path: Path) -> None:
    """The file dated a second back (older than any stamp from now on), as a file written long ago is."""
    t = time.time_ns() - 1_000_000_000
    os.utime(path, ns=(t, t))


def settle(pkg: Path, folder: Path) -> None:
    """Every file of pkg as written long ago: dated back, and the file system's clock past their change times (the
    utime itself sets those to now, in the clock's current tick)."""
    files = [f for f in pkg.rglob("*") if f.is_file()]
    for f in files:
        past(f)
    newest = max(f.stat().st_ctime_ns for f in files)
    while statcheck.clock(folder) <= newest:
        time.sleep(0.001)


def test_the_kept_digest_is_used_while_no_file_changed(package):
    pkg, folder, calls = package
    settle(pkg, folder)
    first = build_key(folder)
    assert first == hashed() and (folder / cache.CODE_FILE).is_file()
    calls.clear()
    assert build_key(folder) == first and build_key(folder) == first
    assert calls == []  # read from the kept file, nothing hashed


@pytest.mark.parametrize("change", ["edit", "same size, time put back", "new file", "removed", "renamed"])
def test_any_change_to_a_file_gives_the_key_of_the_files_now(package, change):
    """Each change (a key kept by names only, or by size and modification time only, keeps the old key for one of
    them and fails here)."""
    pkg, folder, calls = package
    settle(pkg, folder)
    before = build_key(folder)
    target = pkg / "a.py"
    if change == "edit":
        target.write_text("A = 22\n")
    elif change == "same size, time put back":
        st = target.stat()
        target.write_text("A = 2\n")  # same size
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # only the change time (ctime) tells
    elif change == "new file":
        (pkg / "build" / "b.py").write_text("B = 1\n")
    elif change == "removed":
        (pkg / "build" / "font.ttf").unlink()
    else:
        target.rename(pkg / "c.py")
    calls.clear()
    after = build_key(folder)
    assert after == hashed() != before
    assert calls  # hashed again


def test_a_file_changed_within_the_stamps_tick_is_not_trusted(package, monkeypatch):
    """racy-git: a file whose time is not older than the stamp the kept digest was made after may have changed
    after it was read, within the same tick of the file system's clock, with nothing in its stat to tell. Here it is
    written after the stamp, and its bytes then differ from what was hashed without any stat changing (simulated: the
    digest of the files now is another); the kept digest is refused (a rule that only compares the stat fails here)."""
    pkg, folder, calls = package
    settle(pkg, folder)
    stamp = statcheck.clock(folder)
    (pkg / "a.py").write_text("A = 3\n")  # after the stamp: a time not older than it
    kept = cache.code_key(folder, stamp)
    monkeypatch.setattr(cache, "folder_digest", lambda *args, **kwargs: "the files' bytes now")
    assert cache.code_key(folder, statcheck.clock(folder)) == "the files' bytes now" != kept


def test_other_versions_give_another_key(package, monkeypatch):
    pkg, folder, calls = package
    settle(pkg, folder)
    before = build_key(folder)
    monkeypatch.setattr(cache, "VERSION", cache.VERSION + 1)
    after = build_key(folder)
    assert after != before and after == hashed()


def test_a_damaged_kept_file_or_no_stamp_is_hashed(package):
    pkg, folder, calls = package
    settle(pkg, folder)
    first = build_key(folder)
    for data in (b"", b"garbage", b"\xe9\x03\x00\x00\x00"):
        (folder / cache.CODE_FILE).write_bytes(data)
        calls.clear()
        assert build_key(folder) == first and calls
    calls.clear()
    assert cache.code_key(folder, None) == first and calls  # GONGKAI_TRUST_STAT=0: no stamp, always hashed


def test_a_build_cache_takes_its_key_after_its_stamp(package):
    pkg, folder, calls = package
    settle(pkg, folder)
    one = cache.BuildCache(folder)
    calls.clear()
    two = cache.BuildCache(folder)
    assert one.code == two.code == hashed() and calls == [1]  # (the one call: hashed() itself)
    assert cache.BuildCache(folder, trust_stat=False).code == one.code


def test_files_on_another_file_system_than_the_cache_are_hashed(package, monkeypatch):
    """The stamp is the time of the cache folder's file system; gongkai's files on another one (a shared folder, a
    USB disk, a network share: a coarser or lagging clock) may be edited after the stamp and still be dated before
    it, with the same stat as before when edited within their own tick (simulated: the digest of the files now is
    another while no stat changed). Their kept digest is not trusted (a rule that compares times across file
    systems keeps the old key and fails here)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == package[0].stat().st_dev:
        pytest.skip("no second file system to put the cache folder on")
    pkg, _, calls = package
    folder = Path(tempfile.mkdtemp(dir=shm))
    try:
        settle(pkg, folder)
        kept = build_key(folder)
        monkeypatch.setattr(cache, "folder_digest", lambda *args, **kwargs: "the files' bytes now")
        assert build_key(folder) == "the files' bytes now" != kept
    finally:
        shutil.rmtree(folder)
