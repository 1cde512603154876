"""Document bodies are not held for the whole build (gongkai/model.py `_from_source`, load/doccache.py): a document
loaded afresh lets go of its body once loaded and of its front matter after the privacy gate, and every later step
(document page, search record) reads the body from the file when it needs it and keeps nothing. At 100,000
realistic documents the bodies alone are over a GB; the pages and the index must not change because of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import build_in_process, cold_copy, copy_example, same_site
from gongkai.build import publish, search
from gongkai.build.cache import BuildCache
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 24)


def held(docs) -> list[str]:
    """The documents that hold their body or front matter in memory."""
    return [d.source.file for d in docs if {"_body", "_front_matter"} & d.__dict__.keys()]


def test_a_cold_load_through_the_cache_holds_no_text(tmp_path):
    """The first load of a site (nothing remembered yet) gives the same bodies and front matter as a load without
    the cache, read from the files when asked, and keeps none of them, before or after they are read."""
    root = copy_example(tmp_path / "site")
    plain = {d.source.file: (d.body, repr(d.front_matter)) for d in load_catalogue(root, DAY).documents}
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        cat = load_catalogue(root, DAY, memo)
    assert len(cat.documents) > 20 and held(cat.documents) == []
    assert {d.source.file: (d.body, repr(d.front_matter)) for d in cat.documents} == plain
    assert held(cat.documents) == []
    edited = cat.documents[0]
    edited.body = "改过的正文。\n"  # a step that sets a body keeps what it set
    assert edited.body == "改过的正文。\n"


def test_the_memo_holds_no_front_matter_of_documents(tmp_path):
    """A document's cache record stands for its parsed front matter: the memo keeps no parsed tree of it (at
    100,000 documents ~370 MB held by every cold build and read back by the next one, only to be dropped), while
    the catalogue files' parsed YAML is still remembered. A body edit keeping the front matter loads the same."""
    from conftest import edit
    from gongkai.load.yamlsrc import split_front_matter

    root = copy_example(tmp_path / "site")
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        cat = load_catalogue(root, DAY, memo)
    texts = {split_front_matter((root / d.source.file).read_text(encoding="utf-8"))[0] for d in cat.documents}
    parsed = [k for k in cache._memo if isinstance(k, tuple) and len(k) == 2 and isinstance(k[0], int)]  # load_yaml
    assert parsed and not [k for k in parsed if k[1] in texts]
    doc = cat.documents[0]
    edit(root / doc.source.file, doc.body[:8], doc.body[:8] + "（修订）")
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        warm = load_catalogue(root, DAY, memo)
    plain = load_catalogue(root, DAY)
    assert [(repr(d), d.body, repr(d.front_matter)) for d in warm.documents] == \
        [(repr(d), d.body, repr(d.front_matter)) for d in plain.documents]


def test_search_records_know_their_length_without_reading(tmp_path, monkeypatch):
    """A document's search record tells its text's length without reading the file (the cold index splits its
    work by it), the same length as the text it reads; reading it keeps nothing. The annual reports' records add
    their narrative (content/reports/)."""
    from conftest import opened_documents

    root = copy_example(tmp_path / "site")
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        cat = load_catalogue(root, DAY, memo)
        plan = SitePlan(cat, Renderer(root))
    seen = opened_documents(monkeypatch)
    records = [search.document_record(plan, d) for d in cat.published_documents]
    lengths = [r.length for r in records]
    assert seen == []
    assert any(plan.report_of(d) is not None and plan.report_of(d).narrative for d in cat.published_documents)
    assert lengths == [len(r.raw_text) for r in records]
    assert all(callable(r.raw) for r in records) and held(cat.documents) == []
    assert len(seen) == len(records)


def test_a_cold_build_reads_bodies_when_needed_and_makes_the_same_site(tmp_path, monkeypatch):
    """A cold `mkdocs build`: no document holds its text when the pages and the search index are made (the forked
    workers and this process read each body from its file), and the site is byte for byte the one a build that
    keeps every body makes (without the cache, documents are loaded as they always were)."""
    root = copy_example(tmp_path / "site")
    kept = cold_copy(root, tmp_path / "kept")
    counts: dict[str, list[str]] = {}

    def spying(name, real):
        def step(plan, *args, **kwargs):
            counts[name] = held(plan.cat.documents)
            return real(plan, *args, **kwargs)
        return step

    monkeypatch.setattr(publish, "write_documents", spying("documents", publish.write_documents))
    monkeypatch.setattr(search, "build_index", spying("search", search.build_index))
    config = build_in_process(root, extra_env={"GONGKAI_WORKERS": "2"})
    assert counts == {"documents": [], "search": []}
    assert held(config.plugins["gongkai"].cat.documents) == []
    build_in_process(kept, extra_env={"GONGKAI_CACHE": "0"})
    files = same_site(root, kept)
    assert any(name.startswith("documents/") for name in files)


def test_a_file_changed_during_a_cold_build_stops_it(tmp_path):
    """The body read again must be the one loaded: a file saved after it was loaded stops the build, naming it,
    as for a document reused from the cache."""
    from gongkai.errors import GongkaiError
    from gongkai.load.doccache import CHANGED_WHILE_BUILDING

    root = copy_example(tmp_path / "site")
    cache = BuildCache(root / ".cache" / "gongkai")
    with cache.memo() as memo:
        cat = load_catalogue(root, DAY, memo)
    doc = cat.documents[0]
    path = Path(root / doc.source.file)
    path.write_text(path.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    try:
        _ = doc.body
    except GongkaiError as exc:
        assert [(p.file, p.message) for p in exc.problems] == [(doc.source.file, CHANGED_WHILE_BUILDING)]
    else:
        raise AssertionError("a changed file was read as the loaded body")
