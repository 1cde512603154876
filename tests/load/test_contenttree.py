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
