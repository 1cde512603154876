"""The cache key of a document page (gongkai/build/cache.py page_key, document_fingerprint; pages.py
document_context, document_links): everything the page shows is in it, so a cached page is never reused after
a change it shows - the document's own fields, what the page shows of other documents (解读, 替代文件, 被替代文件)
and of its columns, the validity the build date gives - while the key is made cheaply enough for every page of
every rebuild. Checked on the example bureau's documents (the model as the build loads it)."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import REPO, make_site
from gongkai.build.cache import FROM_SOURCE, document_fingerprint, page_key
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.links import rewrites
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def plan() -> SitePlan:
    cat = load_catalogue(REPO, DAY)
    return SitePlan(cat, Renderer(REPO))


def changed(value: Any) -> Any:
    """Another value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "改"
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, list):
        return [*value, "x"]
    if value is None:
        return dt.date(2000, 1, 1)
    first = dataclasses.fields(value)[0].name
    return dataclasses.replace(value, **{first: changed(getattr(value, first))})


@contextlib.contextmanager
def mutated(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = obj.__dict__[name] if name in obj.__dict__ else getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def test_every_field_a_document_was_loaded_with_is_in_its_fingerprint(plan):
    doc = plan.cat.document("szmz-2022-2")
    base = document_fingerprint(doc)
    assert doc.source_digest and doc.title in base
    fields = [f.name for f in dataclasses.fields(doc) if f.repr and f.name not in FROM_SOURCE] + ["source_digest"]
    assert {"title", "publisher", "expires", "withdrawn", "embargoed", "attachments", "source"} <= set(fields)
    for name in fields:
        other = copy.copy(doc)
        setattr(other, name, changed(getattr(doc, name)))
        assert document_fingerprint(other) != base, name


def test_text_moved_between_fields_or_holding_the_separator_is_another_fingerprint(plan):
    doc = plan.cat.document("szmz-2022-2")
    pairs = [("ab", ""), ("a", "b"), ("a\x1fb", ""), ("a", "\x1fb"), ("a\x1f", "b")]
    seen = set()
    for index_no, doc_number in pairs:
        other = copy.copy(doc)
        other.index_no, other.doc_number = index_no, doc_number
        seen.add(document_fingerprint(other))
    assert len(seen) == len(pairs)


def key(plan: SitePlan, doc_id: str) -> str:
    doc = plan.cat.document(doc_id)
    return page_key("salt", doc, plan.document_context(doc), {})


SHOWN = ("id", "title", "doc_number", "index_no", "publisher", "published", "status", "disclosure", "normative",
         "effective", "expires", "topic")


@pytest.mark.parametrize(("page", "other"), [
    ("szmz-2026-4", "szmz-2026-4-jd"),  # a policy's 解读 (title, form, its link)
    ("szmz-2026-4-jd", "szmz-2026-4"),  # the policy a 解读 interprets
    ("szmz-2019-4", "szmz-2024-3"),  # the document that replaced it
    ("szmz-2024-3", "szmz-2019-4"),  # the document it replaces (with its validity)
])
def test_what_a_page_shows_of_another_document_is_in_its_key(plan, page, other):
    base = key(plan, page)
    doc = plan.cat.document(other)
    for name in SHOWN:
        with mutated(doc, name, changed(getattr(doc, name))):
            assert key(plan, page) != base, name
    with mutated(doc, "withdrawn", object()):  # no longer public: the link goes
        assert not doc.is_public and key(plan, page) != base
    assert key(plan, page) == base


def test_a_policys_page_key_holds_the_forms_of_its_interpretations(plan):
    jd = plan.cat.document("szmz-2026-4-jd")
    base = key(plan, "szmz-2026-4")
    with mutated(jd, "form", "视频" if jd.form != "视频" else "图解"):
        assert key(plan, "szmz-2026-4") != base


def test_what_a_page_shows_of_its_columns_is_in_its_key(plan):
    doc = plan.cat.document("szmz-2022-2")
    base = key(plan, "szmz-2022-2")
    col = doc.columns[0]
    assert col.parent is not None  # its breadcrumb shows the columns above it too
    for target, name in ((col, "name"), (col, "slug"), (col.parent, "name"), (col.parent, "slug")):
        with mutated(target, name, changed(getattr(target, name))):
            assert key(plan, "szmz-2022-2") != base, (target.name, name)
    assert key(plan, "szmz-2022-2") == base


def test_the_build_date_is_in_the_key_only_through_the_validity_it_gives(plan):
    """A daily rebuild reuses the page while its validity stays; the day its term ends, the page is made again."""
    doc = plan.cat.document("szmz-2024-3")
    assert doc.expires is not None and doc.expires > DAY
    base = key(plan, doc.id)
    with mutated(plan, "today", DAY + dt.timedelta(days=1)):
        assert key(plan, doc.id) == base
    with mutated(plan, "today", doc.expires + dt.timedelta(days=1)):
        assert key(plan, doc.id) != base


def test_relative_links_resolve_per_folder(tmp_path):
    """document_links resolves each target once per (Markdown folder, page folder) in a build: the same text in
    another folder leads elsewhere, as links.rewrites says."""
    head = "---\ntitle: 关于印发{0}年度工作要点的通知\npublished: {0}-03-01\ncolumns: [tzgg]\n---\n\n![工作要点](img/yd.png)\n"
    root = make_site(tmp_path, "columns:\n  - name: 通知公告\n    id: tzgg\n",
                     {"2024/a.md": head.format(2024), "2025/b.md": head.format(2025)})
    for year in ("2024", "2025"):
        (root / "content" / "documents" / year / "img").mkdir()
        (root / "content" / "documents" / year / "img" / "yd.png").write_bytes(b"\x89PNG\r\n\x1a\n" + year.encode())
    cat = load_catalogue(root, DAY)
    plan = SitePlan(cat, Renderer(root))
    urls = []
    for doc in sorted(cat.published_documents, key=lambda d: d.id):
        expected = rewrites("", doc.source.file.removeprefix("content/"), doc.href, plan.links, doc.link_targets())
        assert plan.document_links(doc) == expected and expected
        urls.append(expected["img/yd.png"])
    assert urls == ["2024/img/yd.png", "2025/img/yd.png"]
