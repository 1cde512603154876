"""What a process keeps of one load for the next (gongkai/load/kept.py, load/treedelta.py, load/doccache.py's
templates), as `mkdocs serve` uses it: after every change of a history of edits, a load that starts from the last
load's walk of content/ and the files the watcher saw change — not walking content/ and not decoding the unchanged
documents' records again — makes exactly the model, report and walk a cold load makes; and a list that misses a
change makes these checks fail."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from test_doccache import ATTACHMENT, DAY, DOC, picture, report

from conftest import copy_example, edit
from gongkai import statcheck
from gongkai.build.cache import BuildCache
from gongkai.errors import GongkaiError, Problems
from gongkai.load import doccache, treedelta
from gongkai.load.contenttree import ContentTree, scan_content
from gongkai.load.kept import Kept
from gongkai.load.loader import load_catalogue

POLICY = "content/documents/2026/szmz-2026-4.md"  # 《示例市困境儿童分类保障办法》, interpreted by …
JD = "content/documents/2026/szmz-2026-4-jd.md"  # … its 文字解读
OTHER = "content/documents/2021/szmz-2021-6.md"  # 示例市养老机构等级评定管理办法


def view(tree: ContentTree) -> tuple:
    """A walk as plain values: its files in order, refused paths, links, each file's stat signature."""
    return (list(tree.files.items()), sorted(tree.refused), dict(tree.links),
            [(rel, statcheck.signature(st)) for rel, st in tree.stats.items()])


class Serving:
    """Loads as `mkdocs serve` makes them: the build cache of the last load in memory, what it kept (Kept), and the
    files changed since, as the watcher notes them (every change below goes through `changed`)."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root = root
        self.kept = Kept()
        self.cache: BuildCache | None = None
        self.noted: set[str] = set()
        self.copies = 0  # documents made from a kept template instead of decoding their record
        real = doccache.copy

        def counting(template):
            self.copies += 1
            return real(template)

        monkeypatch.setattr(doccache, "copy", counting)

    def changed(self, *rels: str) -> None:
        self.noted.update(os.fspath(self.root / rel) for rel in rels)

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")
        self.changed(rel)

    def edit(self, rel: str, old: str, new: str) -> None:
        edit(self.root / rel, old, new)
        self.changed(rel)

    def load(self, day: dt.date = DAY, vouched: bool = True):
        """A load as serve's next rebuild makes it (vouched False: the watcher cannot vouch for its list)."""
        self.kept.learn(frozenset(self.noted) if vouched else None)
        self.noted = set()
        cache = BuildCache(self.root / ".cache" / "gongkai", self.cache)
        with cache.memo() as memo:
            cat = load_catalogue(self.root, day, memo, None, None, self.kept)
        self.cache = cache
        return cat

    def check(self, day: dt.date = DAY, rescanned: bool = True):
        """The next load is a cold load's model, report and walk; and it did start from what was kept."""
        before, copies = self.kept.rescanned, self.copies
        cat = self.load(day)
        cold = load_catalogue(self.root, day)
        assert picture(cat) == picture(cold)
        assert report(cat) == report(cold)
        assert view(cat.content_tree) == view(cold.content_tree)
        assert self.kept.rescanned == before + rescanned  # content/ not walked
        assert self.copies > copies  # unchanged documents copied from what the last load decoded
        return cat


@pytest.fixture
def serving(tmp_path, monkeypatch) -> Serving:
    root = copy_example(tmp_path / "site")
    (root / ATTACHMENT).write_text("临时救助申请表\n", encoding="utf-8")
    edit(root / DOC, "expires: 2024-04-30\n",
         "expires: 2024-04-30\nattachments:\n  - {title: 临时救助申请表, file: ../../files/lsjz-shenqing.txt}\n")
    s = Serving(root, monkeypatch)
    s.load()  # the first build walks (nothing kept)
    assert s.kept.rescanned == 0
    s.load()
    return s


def test_a_history_of_edits(serving):
    s, root = serving, serving.root
    s.check()  # nothing changed
    s.edit(DOC, "title: ", "title: 修订：")  # a document's title and body
    s.write(DOC, (root / DOC).read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n")
    # a new 解读 of the policy, in an existing folder (its place in the walk's order), and the policy it interprets
    new = "content/documents/2026/szmz-2026-4-jd2.md"
    s.write(new, (root / JD).read_text(encoding="utf-8").replace("《示例市困境儿童分类保障办法》政策解读", "办法问答", 1)
            .replace("index_no: 11330100002489999F/2026-00033\n", "").replace("form: 文字解读", "form: 问答"))
    assert s.check().changes.documents == {DOC, new, POLICY}
    # an editor's save: a new file written beside it, then renamed over it (both names are noted)
    swap = DOC.replace("szmz-2022-2.md", ".szmz-2022-2.md.swp")
    s.write(swap, (root / DOC).read_text(encoding="utf-8").replace("修订：", "再次修订：", 1))
    os.replace(root / swap, root / DOC)
    s.changed(swap, DOC)
    (root / JD).unlink()  # a document deleted
    s.changed(JD)
    moved = "content/documents/2021/szmz-2021-6b.md"  # a file renamed into another folder
    shutil.move(root / OTHER, root / moved)
    s.changed(OTHER, moved)
    s.write(ATTACHMENT, "临时救助申请表（2025 年修订）\n")  # an attachment
    cat = s.check()
    assert "再次修订" in next(d.title for d in cat.documents if d.source.file == DOC)
    assert cat.changes.removed == {JD, OTHER} and ATTACHMENT in cat.changes.inputs
    s.edit("catalog/columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")  # not under content/
    s.write("catalog/withdrawals.yml", "withdrawals:\n  - id: szmz-2026-4\n    date: 2026-11-20\n    reason: 已被替代\n")
    s.check(dt.date(2026, 12, 1))  # and another build date


def test_a_failed_load_leaves_its_changes_to_the_next(serving):
    """A load that stops with an error keeps nothing; the files it was told of are still looked at by the next load,
    together with the ones changed since — else a document that is still broken would be taken from the record
    of the load before."""
    s, root = serving, serving.root
    good = (root / DOC).read_text(encoding="utf-8")
    s.write(DOC, good.replace("title: ", "title:\n  - 列表\n", 1))
    with pytest.raises(GongkaiError, match="szmz-2022-2"):
        s.load()
    s.edit(JD, "title: ", "title: 修订：")  # another document; the broken one untouched since
    with pytest.raises(GongkaiError, match="szmz-2022-2"):
        s.load()
    s.write(DOC, good)
    s.check()


def test_a_list_the_watcher_cannot_vouch_for_is_not_used(serving):
    """A new folder (the watcher says its list is incomplete): content/ walked again, once."""
    s, root = serving, serving.root
    (root / "content/documents/2027").mkdir()
    moved = "content/documents/2027/szmz-2022-2.md"
    shutil.move(root / DOC, root / moved)
    s.load(vouched=False)
    assert s.kept.rescanned == 1  # (the fixture's second load, and none now)
    s.edit(moved, "title: ", "title: 修订：")
    s.check()


def test_a_missed_change_fails_these_checks(serving):
    """The checks above can fail: a saved document the list does not name is not seen by the next load."""
    s = serving
    edit(s.root / DOC, "title: ", "title: 修订：")  # (not noted)
    # the old record taken for the new file: a model that differs, or a body that no longer matches its digest
    with pytest.raises((AssertionError, GongkaiError)):
        s.check()


def test_rescan_gives_up_where_only_a_walk_can_say(tmp_path):
    root = copy_example(tmp_path / "site")
    base = scan_content(root, Problems())
    doc = root / DOC
    assert treedelta.rescan(root, base, [os.fspath(doc)]) is not None
    assert treedelta.rescan(root, base, [os.fspath(doc.parent)]) is None  # a folder
    gone = root / "content/documents/2019"
    shutil.rmtree(gone)
    assert treedelta.rescan(root, base, [os.fspath(gone)]) is None  # a folder went
    link = root / "content/documents/2022/link.md"
    link.symlink_to(doc)
    assert treedelta.rescan(root, base, [os.fspath(link)]) is None  # a link: the walk resolves it
    walked = scan_content(root, Problems())
    assert treedelta.rescan(root, walked, [os.fspath(doc)]) is None  # a tree with a link
    link.unlink()
    hard = root / "content/documents/2022/hard.md"
    os.link(doc, hard)
    assert treedelta.rescan(root, base, [os.fspath(hard)]) is None  # a hard link: the walk's error
    problems = Problems()
    scan_content(root, problems)
    assert problems.items  # (which the walk reports)


def test_walk_order():
    """Each folder's files by name, then its folders by name, each listed whole: scan_content's order."""
    rels = ["b.md", "a/z.md", "a/b/y.md", "a/b/x.md", "c.md", "a/a.md", "d/e.md"]
    assert sorted(rels, key=treedelta.walk_order) == ["b.md", "c.md", "a/a.md", "a/z.md", "a/b/x.md", "a/b/y.md",
                                                      "d/e.md"]
