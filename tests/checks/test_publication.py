"""The publication decision (gongkai/checks/publication.py) for a file that thousands of documents share: every
document's reason recorded once, in order, in time linear in the documents (at 100,000 bench documents the former
list scan took ~20 minutes)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_site, write_document
from gongkai.checks.publication import Reason
from gongkai.load.loader import load_catalogue

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
"""
N = 400


def doc(i: int) -> str:
    # the form attached and linked twice in the body: one attachment reason and one link reason per document
    return (f"---\ntitle: 关于第{i}批补贴发放的通知\npublished: 2026-03-01\ncolumns: [tzgg]\n"
            f"attachments:\n  - title: 申请表\n    file: ../../files/sqb.txt\n---\n\n"
            f"请填写[申请表](../../files/sqb.txt)，或下载[同一份申请表](../../files/sqb.txt)。\n")


def test_a_file_shared_by_many_documents_is_decided_in_linear_time(tmp_path, monkeypatch):
    root = make_site(tmp_path, COLUMNS, {f"2026/d{i:04d}.md": doc(i) for i in range(N)})
    (root / "content" / "files").mkdir()
    (root / "content" / "files" / "sqb.txt").write_text("申请表\n", encoding="utf-8")
    comparisons = [0]
    original = Reason.__eq__

    def counting(self: Reason, other: object) -> bool:
        comparisons[0] += 1
        return original(self, other)

    monkeypatch.setattr(Reason, "__eq__", counting)
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    reasons = cat.publication.reasons["files/sqb.txt"]
    ids = [d.id for d in cat.published_documents]
    assert len(ids) == N
    # each document once as 附件 and once as 链接 (the second link to the same file adds nothing), in document order
    assert [(r.kind, r.source) for r in reasons if r.kind == "attachment"] == [("attachment", i) for i in ids]
    assert [(r.kind, r.source) for r in reasons if r.kind == "link"] == [("link", i) for i in ids]
    assert len(reasons) == 2 * N
    # the list scan compared each new reason with every earlier one: N * (2N) / 2 = 160,000 comparisons at N = 400
    assert comparisons[0] <= 2 * N


# --- the decision kept between loads (publication.KEPT) ------------------------------------------------------------

BUILD = dt.date(2026, 11, 24)


def _doc(body: str = "正文。", extra: str = "") -> str:
    return f"---\ntitle: 关于某事项的通知\npublished: 2026-03-01\ncolumns: [tzgg]\n{extra}---\n\n{body}\n"


def _decision(load) -> tuple:
    """A load's publication decision and its warnings, or the problems it stopped with (in order)."""
    from gongkai.errors import GongkaiError

    try:
        cat = load()
    except GongkaiError as exc:
        return ("stopped", [p.format() for p in exc.problems])
    pub = cat.publication
    return ("loaded", [(path, [(r.kind, r.source, r.label) for r in why]) for path, why in pub.reasons.items()],
            sorted(pub.withheld), list(pub.orphans), [p.format() for p in cat.warnings],
            sorted(pub.links.pages.items()), sorted(pub.links.hidden.items()), sorted(pub.links.files))


def _kept_history(tmp_path) -> list[tuple[str, bool]]:
    """Walk a history of changes; after each, a load through the build cache decides exactly what a cold load
    decides, with the same warnings in the same order. Returns, for each step, whether the kept decision was
    taken over."""
    import os
    import time

    from gongkai.build.cache import BuildCache
    from gongkai.checks import publication

    attach = "attachments:\n  - {title: 申请表, file: ../../files/sqb.txt}\n"
    root = make_site(tmp_path, COLUMNS, {
        "2025/a.md": _doc("见[申请表](../../files/sqb.txt)。", attach),
        "2025/b.md": _doc("正文。"),
        "2026/c.md": _doc("见[说明](../../files/sm.txt)和[附件](../../files/ysq.txt)。"),
        "2026/d.md": _doc("正文。", "attachments:\n  - {title: 依申请, file: ../../files/ysq.txt}\n"
                                   "disclosure: 依申请公开\n"),
        "2026/sub/e.md": _doc("正文。")})
    files = root / "content" / "files"
    files.mkdir()
    for name in ("sqb.txt", "sm.txt", "ysq.txt", "tu.txt"):
        (files / name).write_text(f"{name}\n", encoding="utf-8")
    taken: list[tuple[str, bool]] = []
    step = ""

    def warm():
        cache = BuildCache(root / ".cache" / "gongkai")
        got: list[object] = []
        real = publication._taken_over

        def spy(cat, memo):
            got.append(real(cat, memo))
            return got[-1]
        publication._taken_over = spy  # type: ignore[assignment]
        try:
            with cache.memo() as memo:
                return load_catalogue(root, BUILD, memo)
        finally:
            publication._taken_over = real  # type: ignore[assignment]
            taken.append((step, bool(got) and got[-1] is not None))

    def check(name: str) -> None:
        nonlocal step
        step = name
        time.sleep(0.02)  # (the files written are older than the next stamp: their stat data can vouch for them)
        assert _decision(warm) == _decision(lambda: load_catalogue(root, BUILD)), name

    for name in ("first", "again", "nothing changed"):
        check(name)
    write_document(root, "2025/b.md", _doc("正文，改过。"))
    check("a body edited")
    write_document(root, "2025/b.md", _doc("正文，改过，见[图](../../files/tu.txt)。"))
    check("a link to an orphan added")
    write_document(root, "2025/b.md", _doc("正文，改过，见[图](../../files/tu.txt)。", attach))
    check("an attachment added")
    write_document(root, "2025/b.md", _doc("正文，改过，见[图](../../files/tu.txt)。"))
    check("the attachment taken off")
    write_document(root, "2026/d.md", _doc("正文。", "attachments:\n  - {title: 依申请, file: ../../files/ysq.txt}\n"))
    check("a document's attachment published")
    write_document(root, "2026/d.md", _doc("正文。", "attachments:\n  - {title: 依申请, file: ../../files/ysq.txt}\n"
                                     "disclosure: 依申请公开\n"))
    check("withheld again: the link to it warned")
    write_document(root, "2026/d.md", _doc("见[图](../../files/tu.txt)。",
                                           "attachments:\n  - {title: 依申请, file: ../../files/ysq.txt}\n"
                                           "disclosure: 依申请公开\n"))
    check("an unpublished document links a file: nothing published for it")
    write_document(root, "2025/a.md", _doc("见[申请表](../../files/sqb.txt)。", attach + "id: renamed\n"))
    check("a document's id")
    write_document(root, "2026/sub/e.md", _doc("正文。", "id: e-renamed\n"))
    check("the id of a document that links and attaches nothing: its page's address")
    write_document(root, "2026/c.md", _doc("见[说明](../../files/sm.txt)和[缺](../../files/none.txt)。"))
    check("a link to a missing file: stopped")
    write_document(root, "2026/c.md", _doc("见[说明](../../files/sm.txt)和[附件](../../files/ysq.txt)。\n\n改过。"))
    check("mended")  # (as it was in the last load that did not stop: the one these changes follow)
    write_document(root, "2026/f.md", _doc("见[图](../../files/tu.txt)。"))
    check("a document added")
    (root / "content/documents/2026/f.md").unlink()
    check("and removed")
    (root / "content/documents/2025/b.md").unlink()
    check("a document with a link removed")
    (files / "new.txt").write_text("新\n", encoding="utf-8")
    check("an orphan file added")
    os.utime(root / "content/documents/2026/c.md")
    check("a document touched")
    check("nothing changed at the end")
    return taken


def test_kept_decision_follows_the_changes_and_equals_a_cold_load(tmp_path):
    """publication.KEPT: after every step of a history the warm load's decision and warnings are a cold load's, and
    the kept decision is really taken over when only documents changed and no changed document's footprint did."""
    taken = _kept_history(tmp_path)
    assert [name for name, used in taken if used] == [
        "again", "nothing changed", "a body edited", "an unpublished document links a file: nothing published for it",
        "the id of a document that links and attaches nothing: its page's address",
        "mended", "a document touched", "nothing changed at the end"]


@pytest.mark.parametrize("blind", ["footprint", "count", "inputs", "pages"])
def test_kept_decision_blind_to_a_change_fails_the_history(tmp_path, monkeypatch, blind):
    """The history above can fail: a decision taken over whatever the changed documents' footprints, with a
    document added (and another removed) or with other inputs changed, or with the LinkMap's entries of the changed
    documents as they were, differs from a cold load's."""
    from gongkai.checks import publication
    from gongkai.model import Changes

    if blind == "footprint":
        monkeypatch.setattr(publication, "footprint", lambda doc: None)
    elif blind == "pages":  # the LinkMap's entries of the changed documents not made again
        real_pages = publication.document_pages
        monkeypatch.setattr(publication, "document_pages",
                            lambda cat, docs=None: real_pages(cat) if docs is None else ({}, {}))
    elif blind == "count":
        monkeypatch.setattr(publication, "_same_documents", lambda cat, count: True)
    else:
        monkeypatch.setattr(Changes, "only_documents", property(lambda self: self.known))
    with pytest.raises(AssertionError):
        _kept_history(tmp_path)


def test_a_kept_reason_is_a_reason():
    from gongkai.checks.publication import _reason

    made = _reason("link", "d1", "d1")
    assert made == Reason("link", "d1", "d1") and hash(made) == hash(Reason("link", "d1", "d1"))
    assert str(made) == str(Reason("link", "d1", "d1")) and repr(made) == repr(Reason("link", "d1", "d1"))
    with pytest.raises(AttributeError):
        made.kind = "asset"  # type: ignore[misc]


def test_kept_decision_not_taken_over_when_a_withdrawn_document_goes_and_another_comes(tmp_path):
    """A withdrawn document (no entry in the snapshot) deleted while another document is added: as many documents
    as before, and the withdrawn one must still count as removed — else the kept decision keeps its attachment
    withheld, where a cold load finds it an orphan and warns."""
    import time

    from gongkai.build.cache import BuildCache

    attach = "attachments:\n  - {title: 附件, file: ../../files/x.txt}\n"
    root = make_site(tmp_path, COLUMNS, {"2026/a.md": _doc(), "2026/x.md": _doc("正文。", attach)})
    (root / "content" / "files").mkdir()
    (root / "content" / "files" / "x.txt").write_text("x\n", encoding="utf-8")
    (root / "catalog" / "withdrawals.yml").write_text(
        "withdrawals:\n  - {id: x, date: 2026-11-20, reason: 误发布}\n", encoding="utf-8")

    def warm():
        with BuildCache(root / ".cache" / "gongkai").memo() as memo:
            return load_catalogue(root, BUILD, memo)

    for _ in range(2):
        time.sleep(0.02)
        assert _decision(warm) == _decision(lambda: load_catalogue(root, BUILD))
    (root / "content" / "documents" / "2026" / "x.md").unlink()
    write_document(root, "2026/x2.md", _doc("更正后的正文。"))  # (published again under a new id)
    time.sleep(0.02)
    cold = _decision(lambda: load_catalogue(root, BUILD))
    assert "files/x.txt" in cold[3]  # an orphan now
    assert _decision(warm) == cold
