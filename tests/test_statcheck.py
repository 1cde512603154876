"""Trusting stat data the way git's index does (gongkai/statcheck.py): the racy-timestamp guard, and the stamp
coming from the file system's own clock."""

from __future__ import annotations

import os
import time

from gongkai import statcheck
from gongkai.build.cache import date_before


def fake_stat(mtime: int, ctime: int, size: int = 10, ino: int = 7, dev: int = 1) -> os.stat_result:
    # st_mode, st_ino, st_dev, st_nlink, st_uid, st_gid, st_size, st_atime, st_mtime, st_ctime; then the
    # float times and the *_ns fields (the structure's hidden fields, in this order)
    fields = (0o100644, ino, dev, 1, 0, 0, size, 0, mtime // 10**9, ctime // 10**9,
              0.0, mtime / 1e9, ctime / 1e9, 0, mtime, ctime)
    return os.stat_result(fields)


def test_a_file_older_than_the_stamp_with_the_recorded_stat_is_trusted():
    st = fake_stat(mtime=1_000, ctime=1_000)
    assert statcheck.unchanged(statcheck.signature(st), 2_000, st)


def test_a_file_as_new_as_the_stamp_is_racy_and_not_trusted():
    """Written within the stamp's tick: a change made in that same tick keeps every stat field."""
    st = fake_stat(mtime=2_000, ctime=1_000)
    assert not statcheck.unchanged(statcheck.signature(st), 2_000, st)
    st = fake_stat(mtime=1_000, ctime=2_000)
    assert not statcheck.unchanged(statcheck.signature(st), 2_000, st)
    assert statcheck.unchanged(statcheck.signature(st, ctime=False), 2_000, st, ctime=False)


def test_any_field_that_differs_is_a_change():
    st = fake_stat(mtime=1_000, ctime=1_000)
    recorded = statcheck.signature(st)
    for other in (fake_stat(1_001, 1_000), fake_stat(1_000, 1_001), fake_stat(1_000, 1_000, size=11),
                  fake_stat(1_000, 1_000, ino=8), fake_stat(1_000, 1_000, dev=2)):
        assert not statcheck.unchanged(recorded, 2_000, other)


def test_a_file_written_after_the_clock_is_never_older_than_it(tmp_path):
    stamp = statcheck.clock(tmp_path / "cache")
    f = tmp_path / "new.txt"
    f.write_text("x", encoding="utf-8")
    assert f.stat().st_mtime_ns >= stamp
    assert not statcheck.unchanged(statcheck.signature(f.stat()), stamp, f.stat())


def test_the_switch(monkeypatch):
    monkeypatch.delenv(statcheck.ENV, raising=False)
    assert statcheck.enabled()
    for off in ("0", "false", "no"):
        monkeypatch.setenv(statcheck.ENV, off)
        assert not statcheck.enabled()


def test_hash_record_trusts_exactly_the_signature_before_the_stamp():
    """HashRecord.get (written out for speed) agrees with `unchanged`: every field of the signature counts, the
    change time only when asked (ctime=True: a source file; output files are hard-linked, which changes it), and
    nothing as new as the stamp of the build that hashed it."""

    from gongkai.statcheck import HashRecord

    def st(dev=1, ino=2, size=3, mtime=100, ctime=100):
        return os.stat_result((0o100644, ino, dev, 1, 0, 0, size, 0, mtime // 10**9, ctime // 10**9),
                              {"st_mtime_ns": mtime, "st_ctime_ns": ctime})

    base = st()
    for ctime in (False, True):
        rec = HashRecord({}, 1000)
        rec.put(base, "sha", ctime=ctime)
        old = dict(rec.new)
        assert HashRecord(old, 2000).get(base, ctime=ctime) == "sha"
        for other in (st(dev=9), st(size=4), st(mtime=101), st(ctime=101)):
            got = HashRecord(old, 2000).get(other, ctime=ctime)
            expected = statcheck.unchanged(old[1, 2][0], old[1, 2][2], other, ctime=ctime)
            assert (got == "sha") == expected
        assert HashRecord(old, 2000).get(st(ctime=101), ctime=True) is None
        assert HashRecord(old, 2000).get(st(ctime=101), ctime=False) == ("sha" if not ctime else None)
        late = {(1, 2): (old[1, 2][0], "sha", 100)}  # hashed at a stamp no newer than the file: racy, never trusted
        assert HashRecord(late, 2000).get(base, ctime=ctime) is None
    assert HashRecord({(1, 2): (statcheck.signature(base), "sha", 1000)}, None).get(base) is None  # trust off


def coarse_clock(monkeypatch, tick_ns: int) -> None:
    """The file system stamps a file it touches with a clock of tick_ns resolution (FAT: 2 s): os.utime(path) with no
    time given sets the time now, rounded down to the tick."""
    real = os.utime

    def utime(path, times=None, *, ns=None, **kwargs):
        if times is None and ns is None:
            now = time.time_ns() // tick_ns * tick_ns
            return real(path, ns=(now, now), **kwargs)
        return real(path, times, ns=ns, **kwargs) if ns is None else real(path, ns=ns, **kwargs)

    monkeypatch.setattr(os, "utime", utime)


def test_a_stamp_is_never_the_last_one_again_on_a_coarse_clock(tmp_path, monkeypatch):
    """Two stamps within one tick of a coarse file clock: the second waits for the next tick (not much longer)."""
    tick = 200_000_000  # 0.2 s
    coarse_clock(monkeypatch, tick)
    started = time.monotonic()
    stamps = [statcheck.clock(tmp_path) for _ in range(3)]
    assert stamps[0] < stamps[1] < stamps[2] and all(s % tick == 0 for s in stamps)
    assert time.monotonic() - started < 3 * 0.2 + 0.5


def test_a_file_dated_by_a_later_stamp_does_not_pass_for_one_an_earlier_stamp_dated(tmp_path, monkeypatch):
    """A file gongkai writes is dated 1 ns before its stamp (cache.date_before) and recorded with it. Rewritten at the
    same path (same size, same inode: a replaced file whose inode number was reused) and dated by the next stamp
    taken within the same tick of a coarse clock, it must not match what was recorded for the first."""
    coarse_clock(monkeypatch, 200_000_000)
    path = tmp_path / "page.html"
    first = statcheck.clock(tmp_path)
    path.write_bytes(b"<p>A</p>\n")
    date_before(path, first)
    recorded = statcheck.signature(os.stat(path), ctime=False)
    second = statcheck.clock(tmp_path)  # the next build's stamp, within the same tick
    path.write_bytes(b"<p>B</p>\n")
    date_before(path, second)
    assert not statcheck.unchanged(recorded, first, os.stat(path), ctime=False)


def test_a_stamp_on_a_fine_clock_costs_no_wait(tmp_path, monkeypatch):
    slept: list[float] = []
    real = time.sleep
    monkeypatch.setattr(time, "sleep", lambda s: slept.append(s) or real(s))
    for _ in range(20):
        statcheck.clock(tmp_path)
    assert sum(slept) < 0.2  # at most a few ticks of the kernel's file clock (milliseconds), when two stamps met one
