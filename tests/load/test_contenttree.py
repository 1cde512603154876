"""The walk of content/ (gongkai/load/contenttree.py) with the last walk's listing of each folder, as a build's load
makes it (load/treedelta.py keeps the listing in the memo): after every change of a history, the walk that takes
the names of unchanged folders from the listing is the walk without one — the same files in the same order, the
same stats, refused entries, links and errors — and only the folders that changed are listed again. A walk that
trusts a listing against its rule (the folder's stat, the stamp, each file still a plain file) fails here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_example
from gongkai import statcheck
from gongkai.errors import Problems
from gongkai.load import contenttree, treedelta
from gongkai.load.contenttree import scan_content

DOCS = "content/documents"


def view(tree: contenttree.ContentTree, problems: Problems) -> tuple:
    """A walk as plain values: files in order, each file's stat signature, refused paths, links, the errors."""
    return (list(tree.files.items()), [(rel, statcheck.signature(st)) for rel, st in tree.stats.items()],
            sorted(tree.refused), dict(tree.links), [(p.file, p.message) for p in problems.items])


class Memo:
    """The build's memo as the walk sees it: its clock stamp (taken anew for each build) and its values."""

    def __init__(self, root: Path):
        self.root = root
        self.values: dict[Any, Any] = {}
        self.clock: int | None = None

    def get(self, key: Any) -> Any:
        return self.values.get(key)

    def put(self, key: Any, value: Any) -> None:
        self.values[key] = value


class Walks:
    """Walks of one site, each checked against a walk without a listing; `listed` are the folders each one listed."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root = root
        self.memo = Memo(root)
        self.listed: list[str] = []
        real = os.scandir
        content = os.fspath(root / "content")

        def scandir(path: Any = ".") -> Any:
            name = path if isinstance(path, str) else ""  # (a descriptor: shutil's, not the walk's)
            if name.startswith(content):
                self.listed.append(name[len(content):].lstrip("/"))
            return real(path)

        monkeypatch.setattr(contenttree.os, "scandir", scandir)

    def walk(self) -> list[str]:
        """A build's walk (a new stamp, the memo's listing), equal to the walk without one; the folders it listed."""
        self.memo.clock = statcheck.clock(self.root / ".cache" / "gongkai")
        self.listed = []
        problems = Problems()
        tree = treedelta.scan(self.root, problems, None, self.memo)
        listed = list(self.listed)  # (before the walk without a listing, below)
        cold = Problems()
        assert view(tree, problems) == view(scan_content(self.root, cold), cold)
        return sorted(listed)


@pytest.fixture
def walks(tmp_path, monkeypatch):
    return Walks(copy_example(tmp_path / "site"), monkeypatch)


def test_a_history_of_changes(walks, tmp_path):
    root = walks.root
    everything = walks.walk()
    assert "documents/2022" in everything and "" in everything  # the first walk lists every folder
    assert walks.walk() == []  # nothing changed: no folder listed, each file lstat'ed
    doc = root / DOCS / "2022" / sorted(os.listdir(root / DOCS / "2022"))[0]
    with open(doc, "a", encoding="utf-8") as fh:  # edited in place: its folder is as it was
        fh.write("\n补充。\n")
    assert walks.walk() == []
    (root / DOCS / "2022" / "new.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert walks.walk() == ["documents/2022"]  # a file came
    (root / DOCS / "2022" / "new.md").unlink()
    assert walks.walk() == ["documents/2022"]  # and went
    outside = tmp_path / "elsewhere.md"
    os.link(doc, outside)  # a hard link made outside content/: only the file's link count says so
    assert walks.walk() == ["documents/2022"]  # (with the walk's error about it)
    assert walks.walk() == ["documents/2022"]  # a folder with such a file is listed every time
    outside.unlink()
    assert walks.walk() == ["documents/2022"]
    assert walks.walk() == []
    link = root / DOCS / "2022" / "link.md"
    link.symlink_to(doc)
    assert walks.walk() == ["documents/2022"]
    assert walks.walk() == ["documents/2022"]  # (a link: looked at again every time)
    link.unlink()
    assert walks.walk() == ["documents/2022"]
    renamed = doc.with_name("renamed.md")
    doc.rename(renamed)
    assert walks.walk() == ["documents/2022"]
    renamed.unlink()
    (renamed.parent / "sub").mkdir()  # a file replaced by a folder, the folder holding a file
    (renamed.parent / "sub" / "x.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert walks.walk() == ["documents/2022", "documents/2022/sub"]
    assert walks.walk() == []
    shutil.rmtree(renamed.parent / "sub")
    assert walks.walk() == ["documents/2022"]
    (root / "content/files/linked").symlink_to(root / DOCS / "2022", target_is_directory=True)
    assert "files" in walks.walk()  # a link to a folder: what lies under it is the walk's (never from a listing)
    assert walks.walk() == ["files", "files/linked"]


def test_a_listing_is_not_trusted_within_its_stamps_tick(walks):
    """A folder changed at or after the stamp taken before it was listed (the same tick of a coarse clock: its stat
    may not show a later change) is listed again, though its stat is the one recorded."""
    walks.walk()
    value = walks.memo.values[treedelta.LISTING]
    fmt, listing = treedelta.marshal.loads(value)
    folder = "documents/2022"
    signature, _stamp, files, folders = listing[folder]
    listing[folder] = (signature, signature[3], files, folders)  # as if stamped in the tick it was last changed
    walks.memo.values[treedelta.LISTING] = treedelta.marshal.dumps((fmt, listing))
    assert walks.walk() == [folder]
    assert walks.walk() == []


def test_no_stamp_no_listing(walks):
    """Without a stamp (GONGKAI_TRUST_STAT=0) no folder's names are taken from a listing, and none is kept."""
    walks.walk()
    kept = dict(walks.memo.values)
    walks.memo.clock = None
    problems = Problems()
    walks.listed = []
    tree = treedelta.scan(walks.root, problems, None, walks.memo)
    assert tree.listing is None and "documents/2022" in walks.listed and walks.memo.values == kept


def test_a_folder_whose_time_a_tool_put_back(walks, tmp_path):
    """rsync -t, tar x, unzip and touch -r put a folder's modification time back after changing its entries, and mv
    keeps the older time of a folder moved in from elsewhere: only the folder's change time (which no tool sets, and
    which the listing's stat signature holds) says the folder changed. Its size says nothing (a block of entries).
    (A folder changed within the tick of the next stamp is listed once more after that: the racy-git guard.)"""
    root = walks.root
    walks.walk()
    folder = root / DOCS / "2022"
    was = os.lstat(folder)
    (folder / "came.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")  # a file came, the time put back
    os.utime(folder, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert os.lstat(folder).st_mtime_ns == was.st_mtime_ns and os.lstat(folder).st_size == was.st_size
    assert "documents/2022" in walks.walk()
    docs = root / DOCS
    elsewhere = tmp_path / "2001"  # a folder made long ago elsewhere, moved in; its new parent's time put back
    elsewhere.mkdir()
    (elsewhere / "old.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    for path in (elsewhere / "old.md", elsewhere):
        os.utime(path, ns=(10**18, 10**18))
    was = os.lstat(docs)
    elsewhere.rename(docs / "2001")
    os.utime(docs, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert {"documents", "documents/2001"} <= set(walks.walk())
    copy = tmp_path / "copy"  # a folder replaced by a copy with the same names and times (cp -a, then mv)
    shutil.copytree(folder, copy)
    shutil.copystat(folder, copy)
    was = os.lstat(docs)
    shutil.rmtree(folder)
    copy.rename(folder)
    os.utime(docs, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert {"documents", "documents/2022"} <= set(walks.walk())
    walks.walk()
    assert walks.walk() == []


def test_a_random_history(tmp_path, monkeypatch):
    """Random changes between walks, none waiting for the clock (files and folders made, removed, renamed, moved in
    from outside content/ with old times, hard links made and dropped, links to folders, each folder's time put back
    half the time): every walk is the walk without a listing (Walks.walk compares them)."""
    import random

    root = tmp_path / "site"
    content, outside = root / "content", tmp_path / "outside"
    content.mkdir(parents=True)
    outside.mkdir()
    walks = Walks(root, monkeypatch)
    rnd = random.Random(14)
    names = ["a", "b", ".h", "Z", "文", "a b", "a-b", "1", "10"]

    def folders() -> list[Path]:
        return [Path(d) for d, _, _ in os.walk(content)]

    def plain_files() -> list[Path]:
        return [Path(d) / f for d, _, fs in os.walk(content) for f in fs if not (Path(d) / f).is_symlink()]

    for step in range(150):
        for _ in range(rnd.randint(0, 3)):
            op, where, files = rnd.randrange(8), rnd.choice(folders()), plain_files()
            was = os.lstat(where)
            try:
                if op == 0:
                    (where / f"{rnd.choice(names)}.md").write_text(str(step), encoding="utf-8")
                elif op == 1 and files:
                    rnd.choice(files).unlink()
                elif op == 2:
                    (where / rnd.choice(names)).mkdir()
                elif op == 3 and files:
                    rnd.choice(files).rename(rnd.choice(folders()) / f"{rnd.choice(names)}.md")
                elif op == 4:
                    made = outside / f"made{step}"
                    made.mkdir()
                    (made / "x.md").write_text("x", encoding="utf-8")
                    for path in (made / "x.md", made):
                        os.utime(path, ns=(10**18, 10**18))
                    made.rename(where / rnd.choice(names))
                elif op == 5 and where != content:
                    where.rename(outside / f"moved{step}")
                    if rnd.random() < 0.5:
                        (outside / f"moved{step}").rename(rnd.choice(folders()) / rnd.choice(names))
                elif op == 6 and files:
                    if rnd.random() < 0.5:
                        os.link(rnd.choice(files), outside / f"link{step}")
                    else:
                        for link in outside.glob("link*"):
                            link.unlink()
                elif op == 7 and rnd.random() < 0.3:
                    (where / f"{rnd.choice(names)}-to").symlink_to(rnd.choice(folders()), target_is_directory=True)
                if rnd.random() < 0.5 and where.exists():  # rsync -t, tar x …
                    os.utime(where, ns=(was.st_atime_ns, was.st_mtime_ns))
            except OSError:
                pass  # (a name already taken, a folder moved into itself …)
        walks.walk()
