"""gongkai/model.py: the catalogue's lookups by column and id."""

from __future__ import annotations

import copy
import datetime as dt

from conftest import make_site
from gongkai.load.loader import load_catalogue
from gongkai.model import SORT_KEY, Source

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
  - name: 工作动态
    id: gzdt
    kind: documents
"""


def _doc(day: str, columns: str, extra: str = "") -> str:
    return f"---\ntitle: 关于某事项的通知\npublished: {day}\ncolumns: [{columns}]\n{extra}---\n\n正文。\n"


def test_index_by_column_newest_first_and_by_id_first_wins(tmp_path):
    root = make_site(tmp_path, COLUMNS, {
        "2025/a.md": _doc("2025-05-01", "tzgg"), "2025/b.md": _doc("2025-07-01", "tzgg, gzdt"),
        "2026/c.md": _doc("2026-01-01", "gzdt"), "2026/d.md": _doc("2026-02-01", "tzgg", "disclosure: 依申请公开\n"),
        "2026/e.md": _doc("2025-07-01", "gzdt")})
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    first = cat.documents[0]
    twin = copy.copy(first)
    twin.source = Source("content/documents/2026/zz.md")
    cat.documents = [*cat.documents, twin]  # (a new list: the index is made again)
    assert cat.document(first.id) is first
    assert cat.document("nothing") is None
    public = [d for d in cat.documents if d.is_public]
    assert cat.published_documents == public
    for col in cat.columns():
        assert cat.documents_in(col) == sorted([d for d in public if col in d.columns], key=SORT_KEY, reverse=True)
    assert [d.source.file[-4:] for d in cat.documents_in(cat.columns_of(cat.roots[0].kind)[1])] == \
        ["c.md", "e.md", "b.md"]
