"""The manifest's lines of the search index's files are kept beside the build cache's copy of the index
(gongkai/build/search.py _kept_lines) and used by the manifest (manifest.build `kept`) instead of hashing, sorting
and formatting 17,600 lines (10,000 documents) on every build. Over a history of real builds of the example site —
cold, an edit, a document made long enough to need another text file of the index and short again, an index file
edited in place in site/, the lines of an earlier copy of the index left behind (a build stopped between the index
and its lines), a build without the index, a document removed — each site.manifest.json and site are byte-equal
to a cold build's of the same inputs, and the kept lines really are used. The same history fails when the lines are
used for another copy of the index than the one patched, or without the files this build wrote anew."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_in_process, cold_copy, copy_example, edit, same_site
from gongkai.build import journal, manifest, search, searchindex

EDITED = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
POLICY = "content/documents/2026/szmz-2026-4.md"  # 《示例市困境儿童分类保障办法》
REMOVED = "content/documents/2026/szmz-2026-hydj.md"  # a 会议 notice nothing else names
LONG = "\n\n" + "".join(f"第{n}条　本办法所称困境儿童，是指因家庭经济贫困、自身残疾、缺乏有效监护等原因，"
                         f"面临生存、发展和安全困境的未成年人（{n}）。\n\n" for n in range(400))


class History:
    """Warm builds of one copy of the example site, each compared with a cold build of the same inputs; counts
    the builds whose manifest listed the index by its kept lines and the copies of the index read whole."""

    def __init__(self, root: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch):
        self.root, self.tmp, self.n = root, tmp, 0
        self.used: list[bool] = []  # per warm build: the manifest used the kept lines
        self.read = 0  # copies of the index read and hashed whole (Tree.files)
        real_build, real_files = manifest.build, searchindex.Tree.files
        self.counting = False

        def build(*args, **kwargs):
            out = real_build(*args, **kwargs)
            if self.counting:
                self.used.append(any(isinstance(f, manifest.KeptFolder) for f in out.folders))
            return out

        def files(tree):
            if self.counting:
                self.read += 1
            return real_files(tree)

        monkeypatch.setattr(manifest, "build", build)
        monkeypatch.setattr(searchindex.Tree, "files", files)

    @property
    def lines(self) -> list[Path]:
        """The kept lines' base and journal (gongkai/build/journal.py)."""
        kept = journal.Journal(self.root / ".cache" / "gongkai" / "search", search.LINES)
        return [kept.base_path, kept.journal_path]

    def kept(self) -> list[bytes]:
        return [p.read_bytes() for p in self.lines]

    def put_back(self, earlier: list[bytes]) -> None:
        for path, data in zip(self.lines, earlier, strict=True):
            path.write_bytes(data)

    def build(self, env: dict[str, str] | None = None) -> None:
        self.n += 1
        self.counting = True
        try:
            build_in_process(self.root, extra_env=env)
        finally:
            self.counting = False
        cold = cold_copy(self.root, self.tmp / f"cold-{self.n}")
        build_in_process(cold, extra_env=env)
        try:
            same_site(self.root, cold)
        except AssertionError as exc:
            raise AssertionError(f"build {self.n} differs from a cold build: {exc}") from None
        shutil.rmtree(cold)


def history(root: Path, h: History, counts: bool = True, bases: bool = True) -> None:
    """bases: check which builds write the lines whole (journal.LIMIT as it is)."""

    def build(used: bool, read: int, env: dict[str, str] | None = None, base: bool | None = None) -> None:
        """base: whether the lines are kept whole (a new base) rather than as a journal of changes (None: either)."""
        before, was = h.read, h.lines[0].stat() if h.lines[0].exists() else None
        h.build(env)
        if counts:
            assert (h.used[-1], h.read - before) == (used, read), f"build {h.n}"
            if base is not None and bases:
                now = h.lines[0].stat()
                assert (was is None or (now.st_ino, now.st_mtime_ns) != (was.st_ino, was.st_mtime_ns)) == base, \
                    f"build {h.n}: base"

    build(True, 1, base=True)  # cold: the index made afresh, its lines taken once (from the bytes written)
    build(True, 0, base=False)  # nothing changed
    edit(root / EDITED, "兜底线", "保底线")
    build(True, 0, base=False)  # an edit: the lines of the files written anew replace theirs (in the journal)
    (root / POLICY).write_text((root / POLICY).read_text(encoding="utf-8") + LONG, encoding="utf-8")
    build(True, 0, base=False)  # a longer text: a new text file of the index, its line inserted
    (root / POLICY).write_text((root / POLICY).read_text(encoding="utf-8").replace(LONG, ""), encoding="utf-8")
    build(True, 0)  # and removed again (with a small journal limit: a new base)
    edit_in_place(root)
    build(True, 1, base=True)  # the copy of the index not trusted: made afresh (and read for its lines)
    edit(root / EDITED, "保底线", "兜住底线")
    build(True, 0)
    earlier = h.kept()  # the lines of this copy of the index …
    edit(root / POLICY, "title: ", "title: 修订：")
    build(True, 0)
    h.put_back(earlier)  # … left behind as if the build had stopped before it kept its lines
    edit(root / EDITED, "兜住底线", "兜牢底线")
    build(True, 1, base=True)  # lines of another copy than the one patched: the files read
    build(False, 0, {"GONGKAI_SEARCH": "0"})  # no index in the site (its copy in the cache untouched)
    edit(root / EDITED, "兜牢底线", "兜稳底线")
    build(True, 0)  # the index patched from the copy two builds ago: every file put into the site, none claimed
    edit(root / POLICY, "title: 修订：", "title: 再修订：")
    build(True, 0)
    (root / REMOVED).unlink()
    build(True, 1, base=True)  # a document removed: the records renumbered, the index written afresh


def edit_in_place(root: Path) -> None:
    """One byte of an index file in site/ changed in place (the same inode: the build cache's copy changes too)."""
    path = root / "site" / search.OUTPUT / "m" / "0.js"
    st = path.stat()
    with open(path, "r+b") as fh:
        data = fh.read()
        fh.seek(0)
        fh.write(data.replace(b"gkSearchMeta(", b"gkSearchMetb(", 1))
    assert path.stat().st_ino == st.st_ino


@pytest.fixture
def site(tmp_path) -> Path:
    return copy_example(tmp_path / "site")


@pytest.mark.parametrize("limit", [journal.LIMIT, 2])
def test_a_history_of_builds_lists_the_index_as_a_cold_build_does(site, tmp_path, monkeypatch, limit):
    """limit 2: the lines are written whole again (a new base) after almost every change, between journals."""
    bases = limit == journal.LIMIT
    monkeypatch.setattr(journal, "LIMIT", limit)
    history(site, History(site, tmp_path, monkeypatch), bases=bases)


@pytest.mark.parametrize("blind", ["copy", "changes", "journal"])
def test_blind_lines_fail_the_history(site, tmp_path, monkeypatch, blind):
    """Lines used whatever copy of the index they were kept for, or without the lines of the files written anew, or
    the kept base without the changes its journal holds: some manifest differs from the cold build's."""
    real = manifest.KeptFolder.update
    if blind == "copy":
        real_tree = searchindex.Tree
        kept = journal.Journal(site / ".cache" / "gongkai" / "search", search.LINES)

        class Blind(real_tree):  # every patched copy taken for the one the kept lines are of
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.before is not None and kept.journal_path.is_file():
                    from marshal import loads
                    self.before = loads(kept.journal_path.read_bytes())[2][1]

        monkeypatch.setattr(searchindex, "Tree", Blind)
    elif blind == "changes":
        monkeypatch.setattr(manifest.KeptFolder, "update", lambda self, changes: real(self, {}))
    else:
        real_read = journal.Journal.read

        def base_only(self):
            got = real_read(self)
            return got if got is None else (got[0], got[1], {})

        monkeypatch.setattr(journal.Journal, "read", base_only)
    with pytest.raises(AssertionError, match="differs from a cold build"):
        history(site, History(site, tmp_path, monkeypatch), counts=False)


def test_damaged_kept_lines_are_made_again(tmp_path):
    """Kept lines that unmarshal but do not go together (one line fewer than paths: a damaged or foreign cache) are
    made again from the index's files, like any damaged cache — neither an IndexError that stops the build nor a
    manifest short of a line."""
    import hashlib

    tree_dir, state = tmp_path / "tree", tmp_path / "state"
    (tree_dir / "s").mkdir(parents=True)
    state.mkdir()
    (tree_dir / "manifest.js").write_bytes(b"m")
    (tree_dir / "s" / "0.js").write_bytes(b"s0")
    before = b"b" * 16
    paths = [f"{search.OUTPUT}/manifest.js", f"{search.OUTPUT}/s/0.js"]
    expected = manifest.KeptFolder.of(search.OUTPUT + "/", manifest.SEARCH, {
        "manifest.js": (1, hashlib.sha256(b"m").hexdigest()), "s/0.js": (2, hashlib.sha256(b"s0").hexdigest())})
    kept = journal.Journal(state, search.LINES)
    for changes in ({}, {"s/0.js": (2, hashlib.sha256(b"s0").hexdigest())}):
        kept.save((search.LINES_FORMAT, before), None, (("search", "", ""), paths, [1, 2], [expected.lines[0]]))
        tree = searchindex.Tree(tree_dir, [("", ["manifest.js"]), ("s", ["0.js"])], b"a" * 16, before, changes, {})
        folder = search._kept_lines(state, tree)
        assert (folder.paths, folder.sizes, folder.lines) == (expected.paths, expected.sizes, expected.lines)


def test_serve_patches_kept_lines_but_never_reads_the_whole_index(tmp_path, monkeypatch):
    """mkdocs serve writes no manifest (read_all=False): lines that match the copy patched are patched as in a build;
    with none to patch it reads no index file (0.36 s CPU at 10,000 documents on a serve rebuild after a document was
    added or removed) and keeps nothing, so the next `mkdocs build` makes them from the files."""
    import hashlib
    import marshal

    tree_dir, state = tmp_path / "tree", tmp_path / "state"
    (tree_dir / "s").mkdir(parents=True)
    state.mkdir()
    (tree_dir / "manifest.js").write_bytes(b"m")
    (tree_dir / "s" / "0.js").write_bytes(b"s0")
    before, after = b"b" * 16, b"a" * 16
    listing = [("", ["manifest.js"]), ("s", ["0.js"])]
    changed = {"s/0.js": (2, hashlib.sha256(b"s0").hexdigest())}
    read = []
    real = searchindex.Tree.files
    monkeypatch.setattr(searchindex.Tree, "files", lambda tree: read.append(1) or real(tree))

    kept = journal.Journal(state, search.LINES)
    assert search._kept_lines(state, searchindex.Tree(tree_dir, listing, after, before, changed, {}), False) is None
    assert read == [] and not kept.base_path.exists() and not kept.journal_path.exists()
    made = search._kept_lines(state, searchindex.Tree(tree_dir, listing, before, None, {}, {}))  # a build: read
    assert read == [1]
    patched = search._kept_lines(state, searchindex.Tree(tree_dir, listing, after, before, changed, {}), False)
    assert read == [1] and patched is not None and patched.lines == made.lines
    assert marshal.loads(kept.journal_path.read_bytes())[2] == (search.LINES_FORMAT, after)  # for the copy patched


def test_a_cold_build_takes_the_lines_of_the_index_from_the_bytes_it_wrote(tmp_path, monkeypatch):
    """A cold build hashes each index file as it writes it (Tree.hashes), in whichever process made it, instead of
    reading the 17,600 files (151 MB at 10,000 documents) back in one process once the index is made: no index file
    is read for its line, and the manifest is byte-equal to one whose lines were read from the files."""
    real = manifest.hash_file
    read: list[str] = []

    def spy(path):
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(manifest, "hash_file", spy)
    root = copy_example(tmp_path / "hashed")
    build_in_process(root)
    assert [p for p in read if "search/tree/" in p] == []

    def read_back(tree):  # every file of the copy read, as Tree.files did before
        return {rel: spy(tree.folder / rel) for part, mine in tree.names for rel in (f"{part}/{n}" if part else n
                                                                                    for n in mine)}

    monkeypatch.setattr(searchindex.Tree, "files", read_back)
    other = cold_copy(root, tmp_path / "read")
    build_in_process(other)
    assert len([p for p in read if "search/tree/" in p]) > 20
    assert (root / "site.manifest.json").read_bytes() == (other / "site.manifest.json").read_bytes()
