"""A rebuild's search step reuses the previous build's document records (gongkai/build/search.py _DocRecords) for
the documents the load says did not change (Catalogue.changes), and its index patch takes those entries as they
were. Over a history of builds of the example site — cold, an edit, a column renamed, another build date, a build
killed after its load, one killed while writing the index, an annual report's narrative edited, a document removed,
a 解读 of another document edited, an index file edited in place in the site (which holds hard links of the build
cache's copy) — every index is byte-equal to one built without any cache from the same model, and the reuse really
happens. The same history fails when the reuse is blind to the token, the context or the changed documents, or
trusts the cached index files without their size or modification time."""

from __future__ import annotations

import datetime as dt
import gc
import os
from operator import attrgetter
from pathlib import Path

import pytest

from conftest import copy_example, edit
from gongkai.build import journal, search, searchindex
from gongkai.build.cache import BuildCache
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 24)
LATER = dt.date(2027, 1, 2)
POLICY = "content/documents/2026/szmz-2026-4.md"  # 《示例市困境儿童分类保障办法》, interpreted by …
JD = "content/documents/2026/szmz-2026-4-jd.md"  # … its 文字解读
EDITED = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
REMOVED = "content/documents/2026/szmz-2026-hydj.md"  # a 会议 notice nothing else names
REPORT = "content/reports/2024.yml"  # the narrative of the 2024 annual report (content/documents/2025/szmz-2024-nb.md)


class History:
    """Builds of one site's search index through its build cache, as `mkdocs build` runs them (a load saved to
    the memo, then build_index into a fresh site folder), each compared with an uncached build of the same model."""

    def __init__(self, root: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch):
        self.root, self.tmp, self.n = root, tmp, 0
        self.reused: list[int] = []  # per build: the records taken over from the previous one
        original = search._records

        def counting(plan, kept):
            out = original(plan, kept)
            self.reused.append(sum(out[1]))
            return out

        monkeypatch.setattr(search, "_records", counting)

    def load(self, day: dt.date = DAY) -> SitePlan:
        cache = BuildCache(self.root / ".cache" / "gongkai")
        with cache.memo() as memo:
            cat = load_catalogue(self.root, day, memo)
        self.cache = cache
        return SitePlan(cat, Renderer(self.root))

    def build(self, day: dt.date = DAY) -> int:
        """One build; its index equal to an uncached one. Returns how many records it reused."""
        plan = self.load(day)
        self.n += 1
        site = self.tmp / f"site-{self.n}"
        search.build_index(plan, site, self.cache)
        reused = self.reused[-1]
        self.published = len(plan.cat.published_documents)
        fresh = self.tmp / f"uncached-{self.n}"
        search.build_index(plan, fresh, None)  # no cache: every record made, the index built from scratch
        assert files(site / search.OUTPUT) == files(fresh / search.OUTPUT), f"the index of build {self.n} differs"
        return reused


def edit_in_place(h: History, same_size: bool) -> None:
    """Edit a file of the last build's index in place, as a hand or a tool in site/ would: the same inode, so the
    build cache's copy (a hard link of it) changes too. same_size: one byte changed, the modification time later;
    else a byte added and the modification time put back (only the size tells)."""
    path = h.tmp / f"site-{h.n}" / search.OUTPUT / "m" / "0.js"  # the 主题服务包: no edit of a document rewrites it
    before = path.stat()
    with open(path, "r+b") as fh:  # (not write_text: that may replace the file)
        data = fh.read()
        fh.seek(0)
        fh.write(data.replace(b"gkSearchMeta(", b"gkSearchMetb(", 1) if same_size else data + b"\n")
    assert path.stat().st_ino == before.st_ino
    later = before.st_mtime_ns + (1_000_000_000 if same_size else 0)
    os.utime(path, ns=(before.st_atime_ns, later))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


ALL = -1  # every record made again


def history(root: Path, h: History, monkeypatch: pytest.MonkeyPatch, counts: bool = True) -> None:
    """The builds, each with the number of document records it must make again (the others reused); those numbers
    are checked only with counts."""

    def build(made: int, day: dt.date = DAY) -> None:
        reused = h.build(day)
        if counts:
            assert (h.published - reused) == (h.published if made == ALL else made), f"build {h.n}: {reused} reused"

    build(ALL)  # cold
    build(0)  # nothing changed: every document record reused
    edit(root / EDITED, "兜底线", "保底线")
    build(1)  # an edit: that one made again
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    build(0)  # a column renamed: its own record changes, no document's
    build(ALL, LATER)  # another build date: validity labels differ (szmz-2026-4 in force from 2027-01-01)
    build(0, LATER)
    edit(root / EDITED, "保底线", "兜住底线")
    h.load(LATER)  # a build killed after its load was saved: no index written with it
    edit(root / POLICY, "title: ", "title: 修订：")
    build(ALL, LATER)  # the changes are relative to the killed build's load: not trusted
    edit(root / EDITED, "兜住底线", "兜牢底线")
    real_save = searchindex._save_state

    def killed(path, state):
        raise KeyboardInterrupt  # killed while the index is written (its files changed, its state not saved)

    monkeypatch.setattr(searchindex, "_save_state", killed)
    with pytest.raises(KeyboardInterrupt):
        search.build_index(h.load(LATER), h.tmp / "killed", h.cache)
    monkeypatch.setattr(searchindex, "_save_state", real_save)
    build(ALL, LATER)
    report = root / REPORT
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("把低保审核确认制度改革作为", "把社会救助审核确认制度改革作为", 1), encoding="utf-8")
    build(ALL, LATER)  # an annual report's narrative is in its document's record
    (root / REMOVED).unlink()
    build(0, LATER)  # a document removed: the others reused
    edit(root / JD, "title: ", "title: 解读：")
    build(1, LATER)  # a 解读 edited: the document it interprets reused
    edit_in_place(h, same_size=True)
    build(0, LATER)  # the cached index is not trusted (its file's mtime differs): made afresh, records reused
    edit(root / EDITED, "兜牢底线", "兜稳底线")
    build(1, LATER)
    edit_in_place(h, same_size=False)
    edit(root / EDITED, "兜稳底线", "兜实底线")
    build(1, LATER)  # (its size differs)


@pytest.fixture
def site(tmp_path) -> Path:
    return copy_example(tmp_path / "site")


@pytest.mark.parametrize("limit", [journal.LIMIT, 1])
def test_a_history_of_rebuilds_gives_the_uncached_index(site, tmp_path, monkeypatch, limit):
    """limit 1: the records are kept whole (a new base) whenever more than one changed, else as a journal."""
    monkeypatch.setattr(journal, "LIMIT", limit)
    history(site, History(site, tmp_path, monkeypatch), monkeypatch)


@pytest.mark.parametrize("blind", ["token", "context", "changes", "size", "mtime", "journal"])
def test_blind_reuse_fails_the_history(site, tmp_path, monkeypatch, blind):
    """The history above can fail: reused without checking the load's token, or the build date and annual reports,
    or which documents changed, or with the cached index's files trusted by their inode and only one of size and
    modification time, or the kept records' base without its journal, some index differs from the uncached one."""
    if blind == "token":
        monkeypatch.setattr(search._DocRecords, "usable", lambda self, plan: self.context == self.context_of(plan))
    elif blind == "context":
        monkeypatch.setattr(search._DocRecords, "usable",
                            lambda self, plan: self.token == plan.cat.changes.since and plan.cat.changes.known)
    elif blind == "changes":
        monkeypatch.setattr(search, "_unchanged", lambda changes, doc: True)
    elif blind == "journal":  # the kept base without the records its journal holds (made again since)
        real_read = journal.Journal.read

        def base_only(self):
            got = real_read(self)
            return got if got is None else (got[0], got[1], {})

        monkeypatch.setattr(journal.Journal, "read", base_only)
    else:  # the cached index's files trusted without their size or their modification time
        monkeypatch.setattr(searchindex, "_IDENTITY", attrgetter("st_dev", "st_ino", "st_mtime_ns" if blind == "size" else "st_size"))
    with pytest.raises(AssertionError, match="the index of build"):
        history(site, History(site, tmp_path, monkeypatch), monkeypatch, counts=False)


def test_a_document_removed_and_another_added_in_one_rebuild_leave_no_kept_record_behind(site, tmp_path, monkeypatch):
    """As many documents published as before, one of them new: the count of kept records reused or made again is one
    short of those kept, so the removed document's record is dropped (journal: removed) and the new one's kept — the
    kept records are exactly the published documents'. (A test of the count `_records` compares: with the drop left
    out, the removed document's record stays.)"""
    h = History(site, tmp_path, monkeypatch)
    h.build()
    h.build()
    text = (site / REMOVED).read_text(encoding="utf-8")
    (site / REMOVED).unlink()
    added = REMOVED.replace("hydj", "hydj2")
    (site / added).write_text(text.replace("2026-00023", "2026-00923"), encoding="utf-8")
    assert h.build() == h.published - 1  # (the new one made, the others reused)
    kept = search._DocRecords.read(site / ".cache" / "gongkai" / "search", h.cache.code)
    assert kept is not None and kept.since  # (a journal of changes, not a new base)
    assert kept.since.get(REMOVED, ...) is None and added in kept.since
    published = {d.source.file for d in h.load().cat.published_documents}
    assert added in kept.docs and REMOVED not in kept.docs and set(kept.docs) <= published


def test_the_collector_rests_while_the_index_is_written_and_runs_again_after(site, tmp_path, monkeypatch):
    """searchindex.write (a rebuild's stat of every file of the cached index, 17,000 at 10,000 documents) runs with
    the garbage collector paused, as the records before it do: it makes thousands of objects that are no garbage,
    and the collector walked the heap meanwhile (~12 ms of a one-document rebuild). Paused only meanwhile: on again
    once the index is written, also when the write fails."""
    h = History(site, tmp_path, monkeypatch)
    plan = h.load()
    real_write = searchindex.write
    seen: list[bool] = []

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_write(*args, **kwargs)

    monkeypatch.setattr(searchindex, "write", watched)
    assert gc.isenabled()
    search.build_index(plan, tmp_path / "one", h.cache)
    search.build_index(plan, tmp_path / "two", h.cache)  # (the rebuild: the cached index's files stat'ed)
    assert seen == [False, False] and gc.isenabled()

    def failing(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(searchindex, "write", failing)
    with pytest.raises(OSError):
        search.build_index(plan, tmp_path / "three", h.cache)
    assert gc.isenabled()
