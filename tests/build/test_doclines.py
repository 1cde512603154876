"""The manifest's lines of the document pages are kept between builds (gongkai/build/doclines.py) and taken over by
the next build when its load's changes follow their token. Over a history of real builds of the example site — an
edit of nothing, a title another page shows (a page changed whose document did not), a withdrawal and its undoing
(a notice at the page's address, merged among the pages), a document added, a document moved to another folder
(the same page, another source file), kept lines of an earlier load left behind, a document removed — each
site.manifest.json and site are byte-equal to a cold build's of the same inputs, and the kept lines really are
used. The same history fails when the lines are taken whatever their token, or without the pages' values checked,
or without the changed documents' pages taken out and put in, or from the base without its journal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_in_process, cold_copy, copy_example, edit, same_site
from gongkai.build import doclines, journal, manifest

POLICY = "content/documents/2023/szmz-2023-5.md"  # its 解读 (szmz-2023-5-jd) shows its title
NOTICE = "content/documents/2026/szmz-2026-hydj.md"  # a 会议 notice nothing else names (recorded in urls.lock.yml)
MOVED = "content/documents/2026/szmz-2026-gzyd.md"
ADDED = "content/documents/2026/szmz-2026-hydj-2.md"
WITHDRAWALS = "catalog/withdrawals.yml"


class History:
    """Warm builds of one copy of the example site, each compared with a cold build of the same inputs; records per
    warm build whether the manifest listed the pages by the lines and whether those were made afresh."""

    def __init__(self, root: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch):
        self.root, self.tmp, self.n = root, tmp, 0
        self.log: list[tuple[bool, bool]] = []  # (used, fresh) per warm build
        self.counting = False
        self.fresh = False
        real_build, real_fresh = manifest.build, doclines.fresh

        def build(*args, **kwargs):
            out = real_build(*args, **kwargs)
            if self.counting and kwargs.get("pages") is not None:
                self.log.append((any(isinstance(f, doclines.DocLines) for f in out.folders), self.fresh))
            return out

        def fresh(*args, **kwargs):
            if self.counting:
                self.fresh = True
            return real_fresh(*args, **kwargs)

        monkeypatch.setattr(manifest, "build", build)
        monkeypatch.setattr(doclines, "fresh", fresh)

    @property
    def store(self) -> journal.Journal:
        return journal.Journal(self.root / ".cache" / "gongkai" / "manifest", doclines.NAME)

    def kept(self) -> list[bytes]:
        return [self.store.base_path.read_bytes(), self.store.journal_path.read_bytes()]

    def put_back(self, earlier: list[bytes]) -> None:
        self.store.base_path.write_bytes(earlier[0])
        self.store.journal_path.write_bytes(earlier[1])

    def build(self) -> tuple[bool, bool]:
        self.n += 1
        self.counting, self.fresh = True, False
        try:
            build_in_process(self.root)
        finally:
            self.counting = False
        cold = cold_copy(self.root, self.tmp / f"cold-{self.n}")
        build_in_process(cold)
        try:
            same_site(self.root, cold)
        except AssertionError as exc:
            raise AssertionError(f"build {self.n} differs from a cold build: {exc}") from None
        shutil.rmtree(cold)
        return self.log[-1]


def history(root: Path, h: History, counts: bool = True) -> None:
    def build(used: bool, fresh: bool) -> None:
        got = h.build()
        if counts:
            assert got == (used, fresh), f"build {h.n}"

    build(True, True)  # cold: every line made
    build(True, False)  # nothing changed: every line taken over
    edit(root / POLICY, "title: 示例市特困人员救助供养实施细则", "title: 示例市特困人员救助供养实施细则（修订）")
    build(True, False)  # its page and its 解读's (which shows the title) made again
    (root / WITHDRAWALS).write_text(
        "withdrawals:\n  - {id: szmz-2026-hydj, date: 2026-11-24, reason: 误发布}\n", encoding="utf-8")
    build(True, False)  # withdrawn: its page out, the notice at its address among the pages
    (root / WITHDRAWALS).write_text("withdrawals: []\n", encoding="utf-8")
    build(True, False)  # and back
    text = (root / NOTICE).read_text(encoding="utf-8")
    (root / ADDED).write_text(text.replace("2026-00023", "2026-00923").replace("元旦", "春节"), encoding="utf-8")
    build(True, False)  # a document added: its page put in
    earlier = h.kept()  # the lines of this load …
    (root / MOVED).rename(root / "content/documents/2025" / Path(MOVED).name)
    build(True, False)  # the same page, from another source file
    h.put_back(earlier)  # … left behind, as if this build had not kept its lines
    edit(root / POLICY, "（修订）", "（再修订）")
    build(True, True)  # lines of another load than the one these changes follow: made afresh
    (root / NOTICE).unlink()
    build(True, False)  # a document removed: its page out, the notice of its removal in


@pytest.fixture
def site(tmp_path) -> Path:
    root = copy_example(tmp_path / "site")
    (root / WITHDRAWALS).write_text("withdrawals: []\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("limit", [journal.LIMIT, 1])
def test_a_history_of_builds_lists_the_pages_as_a_cold_build_does(site, tmp_path, monkeypatch, limit):
    """limit 1: the lines written whole again (a new base) after almost every change, between journals."""
    monkeypatch.setattr(journal, "LIMIT", limit)
    history(site, History(site, tmp_path, monkeypatch))


@pytest.mark.parametrize("blind", ["token", "values", "changes", "journal"])
def test_blind_lines_fail_the_history(site, tmp_path, monkeypatch, blind):
    """Lines taken whatever load they were kept for, or without this build's value of each page, or without the
    pages of the changed documents taken out and put in, or the base without its journal: some manifest differs
    from the cold build's."""
    if blind == "token":  # the kept lines' token read as the one these changes follow, whatever it was
        real_take, real_read = doclines.take, journal.Journal.read

        def take(folder, salt, cat):
            def read(self):
                got = real_read(self)
                return got if got is None else (got[0], (*got[1][:2], cat.changes.since), got[2])

            with pytest.MonkeyPatch.context() as m:
                m.setattr(journal.Journal, "read", read)
                return real_take(folder, salt, cat)

        monkeypatch.setattr(doclines, "take", take)
    elif blind == "values":  # a page's kept value taken for this build's
        real_settle = doclines.DocLines.settle
        monkeypatch.setattr(doclines.DocLines, "settle", lambda self, now, digest: real_settle(
            self, [n if v is None else v for n, v in zip(now, self.values, strict=True)], digest))
    elif blind == "changes":
        monkeypatch.setattr(doclines, "_follow", lambda kept, cat: True)
    else:
        real_read = journal.Journal.read

        def base_only(self):  # (the document lines' journal only: not the search step's)
            got = real_read(self)
            return got if got is None or self.base_path.name != f"{doclines.NAME}.base" else (got[0], got[1], {})

        monkeypatch.setattr(journal.Journal, "read", base_only)
    with pytest.raises(AssertionError, match="differs from a cold build"):
        history(site, History(site, tmp_path, monkeypatch), counts=False)


def test_pages_stand_for_their_lines_only_while_the_site_holds_exactly_them(tmp_path):
    """The pages' lines are written instead of their entries, with the other files under their folder (a notice at
    an old address) merged in where they sort, when every page is claimed or written and nothing there lacks a
    reason; a page missing, a page's path claimed with another reason or written with one, one more claimed file
    there without a reason: not used (the caller builds the manifest again without them). Where used, the bytes are
    those of a manifest listing every page by its reason."""
    import hashlib

    stage, kept_dir = tmp_path / "stage", tmp_path / "kept"
    (stage / "documents").mkdir(parents=True)
    (kept_dir / "documents").mkdir(parents=True)
    (stage / "documents" / "a.html").write_bytes(b"page a")  # rendered this build
    (stage / "documents" / "m.html").write_bytes(b"notice")  # at an old address, between the pages
    (stage / "documents.html").write_bytes(b"after the folder")
    (stage / "about.html").write_bytes(b"before it")

    def value(data: bytes) -> tuple[int, str]:
        return len(data), hashlib.sha256(data).hexdigest()

    known = {"documents/a.html": value(b"page a")}
    pages = {"documents/a.html": "content/documents/a.md", "documents/z.html": "content/documents/z.md"}

    def reasons(with_pages: bool) -> manifest.Reasons:
        r = manifest.Reasons()
        r.add("documents/m.html", manifest.Reason("withdrawal", "m", "catalog/withdrawals.yml"))
        if with_pages:
            for path, source in pages.items():
                r.add(path, manifest.Reason("document", path[10:-5], source))
        return r

    def made(claimed: dict, r: manifest.Reasons | None = None) -> manifest.Manifest:
        lines = doclines.DocLines(journal.Journal(tmp_path, doclines.NAME), sorted(pages),
                                  [pages[p] for p in sorted(pages)], [None] * len(pages), [""] * len(pages), None)
        return manifest.build(stage, r or reasons(False), known=known, claimed=claimed, claimed_dir=kept_dir,
                              pages=lines)

    def listed(claimed: dict, r: manifest.Reasons | None = None) -> bytes:
        return manifest.build(stage, r or reasons(True), known=known, claimed=claimed, claimed_dir=kept_dir).to_bytes()

    claimed = {"documents/z.html": value(b"page z")}
    m = made(claimed)
    assert m.folders and m.to_bytes() == listed(claimed) and m.files == 5
    assert not made({}).folders  # a page missing
    odd = manifest.Reason("content", "", "content/documents/z.html")
    r = reasons(False)
    r.add("documents/z.html", odd)
    assert not made(claimed, r).folders  # a page's path claimed with another reason
    r = reasons(False)
    r.add("documents/a.html", odd)
    assert not made(claimed, r).folders  # written with another reason
    (kept_dir / "documents" / "y.html").write_bytes(b"y")
    more = {**claimed, "documents/y.html": (kept_dir / "documents" / "y.html").stat()}
    assert not made(more).folders  # one more file there without a reason
    r = reasons(False)
    r.add("documents/y.html", manifest.Reason("removed-document", "y", "catalog/urls.lock.yml"))
    m = made(more, r)
    r.exact.update(reasons(True).exact)
    assert m.folders and m.to_bytes() == listed(more, r)  # with its reason: merged among the pages' lines


def test_a_page_claimed_with_another_reason_is_not_hidden_by_a_stray_claim(tmp_path):
    """A page's path claimed with a reason of another kind, and one more claimed file under the pages' folder without
    a reason: the two counts (pages claimed, unreasoned claims there) agree, but the lines must not be used — they
    would list that path twice and leave the other file out."""
    import hashlib

    stage, kept_dir = tmp_path / "stage", tmp_path / "kept"
    (stage / "documents").mkdir(parents=True)
    (kept_dir / "documents").mkdir(parents=True)
    (stage / "documents" / "a.html").write_bytes(b"page a")
    (kept_dir / "documents" / "y.html").write_bytes(b"y")

    def value(data: bytes) -> tuple[int, str]:
        return len(data), hashlib.sha256(data).hexdigest()

    pages = {"documents/a.html": "content/documents/a.md", "documents/z.html": "content/documents/z.md"}
    lines = doclines.DocLines(journal.Journal(tmp_path, doclines.NAME), sorted(pages), [pages[p] for p in sorted(pages)],
                              [None] * len(pages), [""] * len(pages), None)
    r = manifest.Reasons()
    r.add("documents/z.html", manifest.Reason("content", "", "content/documents/z.html"))
    claimed = {"documents/z.html": value(b"page z"), "documents/y.html": (kept_dir / "documents" / "y.html").stat()}
    m = manifest.build(stage, r, known={"documents/a.html": value(b"page a")}, claimed=claimed, claimed_dir=kept_dir,
                       pages=lines)
    assert not m.folders
