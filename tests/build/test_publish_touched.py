"""publish.touched: which document pages a change of documents may reach (their kept keys are not taken over).

In-process, on small stand-ins for documents: the rule is checked against a plain reading of it (every document
asked every question), including the case the build history of test_keys_delta.py does not walk — a 解读 whose body
links to the changed document, shown on the page of the document it interprets (PageSite.media_of). Leaving out
that case, or the links, fails."""

from __future__ import annotations

import posixpath
from types import SimpleNamespace

import pytest

from gongkai.build import publish
from gongkai.links import Target
from gongkai.model import Changes, Source


def doc(name: str, links: tuple[str, ...] = (), form: str = "", public: bool = True) -> SimpleNamespace:
    targets = [Target(t, 0, len(t)) for t in links]
    return SimpleNamespace(source=Source(f"content/documents/2025/{name}.md"), id=name, form=form, is_public=public,
                           interpretations=[], replaces=[], interprets="", replaced_by="",
                           link_targets=lambda: list(targets), link_target_tuple=lambda: tuple(targets))


def plainly(changes: Changes, docs: list) -> frozenset[str]:
    """The rule read plainly: every document asked whether it changed, relates to a change, links to a changed file
    or shows a 解读 that does."""
    names = frozenset(posixpath.basename(f) for f in (*changes.documents, *changes.removed))
    out = set(changes.documents)
    for d in docs:
        if changes.affected(d) or publish._links_to(d.link_targets(), names) or any(
                publish._links_to(j.link_targets(), names) for j in d.interpretations if j.is_public and j.form):
            out.add(d.source.file)
    return frozenset(out)


def corpus() -> dict[str, SimpleNamespace]:
    docs = {n: doc(n) for n in ("policy", "other", "target", "plain")}
    docs["linker"] = doc("linker", ("../2025/target.md",))
    docs["figure"] = doc("figure", ("target.md",), form="图解")  # a 解读 whose picture the policy shows
    docs["text"] = doc("text", ("target.md",))  # a 解读 without a form: no picture on the policy's page
    docs["policy"].interpretations = [docs["figure"]]
    docs["other"].interpretations = [docs["text"]]
    docs["figure"].interprets = docs["text"].interprets = "policy"
    return docs


@pytest.mark.parametrize("changed", ["target", "plain", "figure", "policy"])
def test_touched_is_what_the_plain_rule_says(changed):
    docs = corpus()
    changes = Changes(known=True, token="b", since="a", documents=frozenset({docs[changed].source.file}),
                      ids=frozenset({changed}))
    listed = list(docs.values())
    assert publish.touched(changes, listed) == plainly(changes, listed)


def test_a_change_reaches_the_pages_linking_it_and_the_page_showing_a_linking_picture():
    docs = corpus()
    changes = Changes(known=True, token="b", since="a", documents=frozenset({docs["target"].source.file}),
                      ids=frozenset({"target"}))
    found = {posixpath.basename(f)[:-3] for f in publish.touched(changes, list(docs.values()))}
    assert found == {"target", "linker", "figure", "text", "policy"}  # not "other": its 解读 has no picture


def test_reached_from_the_plan_is_what_asking_each_document_says():
    """publish.reached with SitePlan.affected_documents (the changed documents and their relations) is
    Changes.reached of the published documents, for each document of the example bureau changed alone and for one
    removed; without a plan's help it is Changes.reached itself."""
    import datetime as dt

    from conftest import BUILD_DATE, REPO
    from gongkai.build.pages import SitePlan
    from gongkai.load.loader import load_catalogue

    cat = load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))
    plan = SitePlan(cat, renderer=None)  # type: ignore[arg-type]
    published = cat.published_documents
    for d in cat.documents:
        changes = Changes(known=True, token="b", since="a", documents=frozenset({d.source.file}), ids=frozenset({d.id}))
        assert publish.reached(changes, published, plan.affected_documents) == changes.reached(published), d.id
    gone = Changes(known=True, token="b", since="a", removed=frozenset({"content/documents/2025/x.md"}),
                   removed_ids=frozenset({published[0].interprets or "x"}))
    assert publish.reached(gone, published, plan.affected_documents) == gone.reached(published)
    unknown = Changes()
    assert publish.reached(unknown, published, plan.affected_documents) == unknown.reached(published)
