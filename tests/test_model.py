"""gongkai/model.py: the catalogue's lookups by column and id; Changes' rule for trusting a kept result."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

from conftest import make_site
from gongkai.load.loader import load_catalogue
from gongkai.model import SORT_KEY, Changes, Source

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


# the changes of a rebuild after editing one document's body: relative to load "t1", this load "t2"
EDITED = Changes(known=True, token="t2", since="t1", documents=frozenset({"content/documents/2026/a.md"}))


def test_a_kept_result_is_kept_by_the_load_it_follows_when_only_documents_changed():
    """Changes.keeps, each of its conditions alone: the result kept by load t1 holds after a document edit; not one
    kept by another load (a killed build's, an older one), nor after another input changed or another build date,
    nor when nothing is known of the previous load (first build, no snapshot)."""
    assert EDITED.keeps("t1")
    assert not EDITED.keeps("t0")  # kept by another load than the one these changes are relative to
    assert not EDITED.keeps("")  # kept by no load
    assert not dataclasses.replace(EDITED, inputs=frozenset({"catalog/columns.yml"})).keeps("t1")
    assert not dataclasses.replace(EDITED, build_date=True).keeps("t1")
    assert not dataclasses.replace(EDITED, known=False).keeps("t1")
    assert not dataclasses.replace(EDITED, known=False).follows("t1")  # (follows alone, as some steps ask it)
    assert not Changes(known=True, token="t2").keeps("")  # (a known load relative to none: no token follows)
