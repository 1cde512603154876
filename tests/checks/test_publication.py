"""The publication decision (gongkai/checks/publication.py) for a file that thousands of documents share: every
document's reason recorded once, in order, in time linear in the documents (at 100,000 bench documents the former
list scan took ~20 minutes)."""

from __future__ import annotations

import datetime as dt

from conftest import make_site
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
