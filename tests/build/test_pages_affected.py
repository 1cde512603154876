"""SitePlan.affected_documents: the published documents `Changes.affected` says may differ, found from the changed
documents by their relations (made both ways by the load) instead of asking every published document — the same
set as asking each, for every change of one document of the example bureau (with and without relations) and for
changes of several (leaving out any one kind of relation in it fails this test: checked by hand)."""

from __future__ import annotations

import pytest

from conftest import BUILD_DATE, REPO
from gongkai.build.pages import SitePlan
from gongkai.load.loader import load_catalogue
from gongkai.model import Catalogue, Changes, Document


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    import datetime as dt

    return load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))


def changes_of(docs: list[Document]) -> Changes:
    return Changes(known=True, token="b", since="a", documents=frozenset(d.source.file for d in docs),
                   ids=frozenset(d.id for d in docs))


def asked(cat: Catalogue, changes: Changes) -> set[str]:
    return {d.source.file for d in cat.published_documents if changes.affected(d)}


def found(cat: Catalogue, changes: Changes) -> set[str]:
    return {d.source.file for d in SitePlan(cat, renderer=None).affected_documents(changes)}  # type: ignore[arg-type]


def test_the_same_documents_as_asking_each(cat):
    related = [d for d in cat.documents if d.interprets or d.replaced_by or d.interpretations or d.replaces]
    assert any(d.replaces for d in related) and any(d.interpretations for d in related)
    for doc in cat.documents:
        changes = changes_of([doc])
        assert found(cat, changes) == asked(cat, changes), doc.source.file
    for n in range(0, len(related), 3):
        changes = changes_of(related[n:n + 3])
        assert found(cat, changes) == asked(cat, changes)

