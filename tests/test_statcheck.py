"""Trusting stat data the way git's index does (gongkai/statcheck.py): the racy-timestamp guard, and the stamp
coming from the file system's own clock."""

from __future__ import annotations

import os

from gongkai import statcheck


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
