"""Knowing that a file is unchanged from its stat data, without reading it, the way git's index does.

A rebuild after editing one document would otherwise read and hash every other document, every cached page and
every output file only to learn that they did not change. Like git (Documentation/technical/racy-git.txt), a
file whose (device, inode, size, modification time[, change time]) are those recorded when its contents were last
read is taken to be unchanged — with git's guard against "racily clean" entries: a file's recorded time must be
strictly older than a time stamp taken *before* its contents were read (or written). A change made after that
moment gives the file a modification time at least as new as the stamp, so a file that was changed within the same
tick of the file system's clock as the reading is never trusted: it is read and hashed again, and from then on its
time is older than the new stamp.

The stamp comes from the file system itself (the time it writes on a file it touches, `clock`), not from
time.time_ns(): the kernel stamps files with a coarser clock that can lag the precise one. Two stamps of a folder
are never alike (see `clock`: where file times are coarse, two builds within one tick would share one).

Turned off with GONGKAI_TRUST_STAT=0: then every file is read and hashed as before (the same output, slower).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from gongkai.memo import MISSING

ENV = "GONGKAI_TRUST_STAT"
CLOCK_WAIT_S = 3.0  # at most, for the file system's clock to move past the last stamp (FAT: 2 s ticks)

# (device, inode, size, mtime_ns, ctime_ns or 0): what a file's stat says of its identity and contents
Signature = tuple[int, int, int, int, int]


def enabled() -> bool:
    """Whether stat data may be trusted (GONGKAI_TRUST_STAT=0, false or no: never)."""
    return os.environ.get(ENV, "").strip().lower() not in ("0", "false", "no")


def signature(st: os.stat_result, ctime: bool = True) -> Signature:
    """ctime=False for files this build hard-links (cached pages, output files): a new link changes an inode's
    ctime, so it says nothing about the contents (git's core.trustctime=false, for the same reason)."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns if ctime else 0


def clock(folder: Path) -> int:
    """The file system's time now, as it stamps the files of folder: the time of a file touched for the purpose.

    Never the stamp the last call for folder returned (that file's time until it is touched): on a file system
    with 1 or 2 s timestamps (FAT, some network shares), or within one tick of the kernel's file clock, two builds
    (or a build's two stamps) would otherwise get the same one. A file gongkai writes is dated just before its
    stamp (cache.date_before) so that its recorded stat vouches for it: with a repeated stamp, a file written by
    the later build at the same path — same size, an inode number the system reused — would get the very time an
    earlier build recorded for its own file, and pass for it. So when the touched file shows the last stamp again,
    this waits for the file system's clock to move on (a tick: milliseconds here, up to 2 s where timestamps are
    that coarse, and only then); a clock that does not move within CLOCK_WAIT_S gives its stamp as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clock"
    try:
        last = path.stat().st_mtime_ns
    except FileNotFoundError:
        last = None
    waited, pause = 0.0, 0.001
    while True:
        path.touch()
        os.utime(path)  # touch() of an existing file may leave its time alone on some systems
        now = path.stat().st_mtime_ns
        if now != last or waited >= CLOCK_WAIT_S:
            return now
        time.sleep(pause)
        waited += pause
        pause = min(pause * 2, 0.1)


def unchanged(recorded: Signature, verified_at: int, st: os.stat_result, ctime: bool = True) -> bool:
    """A file is what it was when it was read at verified_at (a `clock` stamp taken before reading it): the same
    signature, and a modification (and change) time strictly older than that stamp (the racy-git guard)."""
    return (signature(st, ctime) == recorded and st.st_mtime_ns < verified_at
            and (not ctime or st.st_ctime_ns < verified_at))


def sha256_of(path: str | os.PathLike[str], name: str, memo: Any) -> str:
    """The SHA-256 of an input file (name: its path from the site's root, e.g. content/files/a.pdf): the one the
    memo recorded when the file's stat vouches for it (key ("source.stat", name), as load/doccache.py records
    documents), else read, hashed and recorded with the stat taken after reading (memo.clock, the build's stamp,
    was taken before). OSError: the file cannot be read."""
    clock = getattr(memo, "clock", None)
    if clock is not None:
        hit = memo.get(("source.stat", name))
        if hit is not MISSING:
            try:
                st = os.stat(path)
            except OSError:
                pass
            else:
                if unchanged(hit[0], hit[2], st):
                    return str(hit[1])
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
        st = os.fstat(fh.fileno())
    if clock is not None:
        memo.put(("source.stat", name), (signature(st), digest, clock))
    return digest


class HashRecord:
    """SHA-256 of files by their stat signature: those of the last build (`old`) and of this one (`new`).

    Keyed by (device, inode) so that a file hard-linked into a new folder on every build keeps its entry.
    ctime=True for a file nothing links (a source file MkDocs would copy, gongkai/build/cache.py put_copy): its
    change time counts too, so a change that puts the modification time back is still seen."""

    def __init__(self, old: dict[tuple[int, int], tuple[Signature, str, int]], clock_ns: int | None):
        self.old = old
        self.new: dict[tuple[int, int], tuple[Signature, str, int]] = {}
        self.clock = clock_ns  # None: trust nothing (and remember nothing)
        self.trusted = 0

    def get(self, st: os.stat_result, ctime: bool = False) -> str | None:
        """The recorded SHA-256 of the file with this stat, if it is known unchanged."""
        if self.clock is None:
            return None
        hit = self.old.get((st.st_dev, st.st_ino))
        if hit is None:
            return None
        # unchanged(hit[0], hit[2], st, ctime), written out: this runs for every file of a large site's output
        recorded, _sha, at = hit
        mtime = st.st_mtime_ns
        if (mtime >= at or recorded[2] != st.st_size or recorded[3] != mtime or recorded[0] != st.st_dev
                or recorded[4] != (st.st_ctime_ns if ctime else 0) or (ctime and st.st_ctime_ns >= at)):
            return None
        self.new[st.st_dev, st.st_ino] = hit
        self.trusted += 1
        return hit[1]

    def put(self, st: os.stat_result, sha256: str, ctime: bool = False, at: int | None = None) -> None:
        """The file with this stat was hashed in this build. at: a `clock` stamp taken before the file was read
        (default: the build's, taken when it began); a later one lets the next build trust a file this build wrote
        before that stamp — racy-git's rule asks only that the stamp be older than the reading."""
        if self.clock is not None:
            self.new[st.st_dev, st.st_ino] = (signature(st, ctime=ctime), sha256, self.clock if at is None else at)
