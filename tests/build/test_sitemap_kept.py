"""The documents' sitemap entries taken over from the last finished build (gongkai/build/sitemap.py Documents): a
rebuild that changed no document's address, date or publication uses the entries, sorted and grouped, as the build
before left them, and makes them afresh otherwise.

A history of real `mkdocs build`s of the example bureau, each followed by a build without the cache (GONGKAI_CACHE=0)
of the same inputs into another folder (test_keys_delta.check_same_as_uncached: the site and its manifest byte for
byte); once with one sitemap.xml, once split into an index of parts (lowered limits). The same history with the
take-over blind to the changed documents' entries, or to the load's token, must fail."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from test_keys_delta import DOC, build, build_failing_after_the_load, check_same_as_uncached
from test_sitemap import add_document

from conftest import copy_example, edit
from gongkai.build import sitemap

QUIET = "content/documents/2023/szf-2023-18.md"  # a document nothing else names


def history(tmp_path: Path, monkeypatch, urls: int | None) -> list[bool]:
    """The steps' builds; returns, for each build with the cache after the first two, whether it took the entries
    over. urls: the lowered limit of addresses per sitemap file (an index of parts), None: the protocol's."""
    if urls is not None:
        monkeypatch.setattr(sitemap, "write", functools.partial(sitemap.write, limits=sitemap.Limits(urls=urls)))
    taken: list[bool] = []
    made = sitemap.Documents.__init__

    def spy(self, plan, cache=None):
        made(self, plan, cache)
        if cache is not None and cache.enabled:
            taken.append(self._by_file is not None)

    monkeypatch.setattr(sitemap.Documents, "__init__", spy)
    root = copy_example(tmp_path / "site")
    out = tmp_path / "uncached"

    def step() -> str:
        build(root)
        files = check_same_as_uncached(root, out)
        return b"".join(v for k, v in sorted(files.items()) if k.startswith("sitemap") and k.endswith(".xml")).decode("utf-8")

    build(root)
    build(root)  # the entries kept with this build's load token
    taken.clear()
    step()  # nothing changed
    edit(root / DOC, "制定本办法。", "制定本办法。本办法由示例市民政局负责解释。")  # the body: no entry changes
    step()
    edit(root / DOC, "published: 2022-04-11", "published: 2022-04-12")  # its date: its lastmod, its place by date
    assert "2022-04-12" in step()
    edit(root / DOC, "published: 2022-04-12", "published: 2022-04-13")
    build_failing_after_the_load(root, monkeypatch)  # it saw the edit: the next build's changes do not hold it
    assert "2022-04-13" in step()
    add_document(root, "szmz-2026-xz", "2026-11-23")  # a new document
    assert "szmz-2026-xz" in step()
    (root / "content/documents/2026/szmz-2026-xz.md").unlink()  # removed again
    assert "szmz-2026-xz" not in step()
    edit(root / QUIET, "published: 2023-11-28", "published: 2023-11-28\ndisclosure: 依申请公开")  # no longer published
    assert "szf-2023-18.html" not in step()
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")  # not a document
    step()
    return taken


@pytest.mark.parametrize("urls", [None, 20], ids=["one file", "index"])
def test_entries_are_taken_over_only_where_they_hold(tmp_path, monkeypatch, urls):
    taken = history(tmp_path, monkeypatch, urls)
    # nothing changed, the body: taken over; every later step changes an entry, follows a failed build, or changes
    # more than documents
    assert taken == [True, True, False, False, False, False, False, False]


def test_entries_blind_to_the_changed_documents_fail(tmp_path, monkeypatch):
    """Taken over whenever the load follows: the new date is missed (the cached sitemap.xml of the build before)."""
    monkeypatch.setattr(sitemap.Documents, "_same", lambda self, before: True)
    with pytest.raises(AssertionError, match=r"differ from an uncached build: .*sitemap\.xml"):
        history(tmp_path, monkeypatch, None)


def test_entries_blind_to_the_loads_token_fail(tmp_path, monkeypatch):
    """Taken over whatever load they were kept from: after the failed build, the date it saw is missed."""
    real = sitemap.Documents.__init__

    def blind(self, plan, cache=None):
        changes = plan.cat.changes
        kept = cache.state(sitemap.STATE) if cache is not None and cache.enabled else None
        if kept is not None and changes.known and kept[0] != changes.since:
            cache._states[sitemap.STATE] = (changes.since, *kept[1:])  # (as if kept by the load these follow)
        real(self, plan, cache)

    monkeypatch.setattr(sitemap.Documents, "__init__", blind)
    with pytest.raises(AssertionError, match=r"differ from an uncached build: .*sitemap\.xml"):
        history(tmp_path, monkeypatch, 20)


def test_entries_are_trusted_by_the_export_rows_rule(tmp_path, monkeypatch):
    """The take-over asks exports.trusted (the load's token followed, nothing but documents changed), the rule the
    export rows' digests are kept by, not a copy of it: with that rule saying no, a body edit makes them again."""
    from gongkai.build import exports

    taken: list[bool] = []
    made = sitemap.Documents.__init__

    def spy(self, plan, cache=None):
        made(self, plan, cache)
        taken.append(self._by_file is not None)

    monkeypatch.setattr(sitemap.Documents, "__init__", spy)
    root = copy_example(tmp_path / "site")
    build(root)
    build(root)
    edit(root / DOC, "制定本办法。", "制定本办法。本办法由示例市民政局负责解释。")
    monkeypatch.setattr(exports, "trusted", lambda kept, changes: False)
    build(root)
    assert taken == [False, True, False]
