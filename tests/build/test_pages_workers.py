"""Document pages rendered by several processes (gongkai/build/publish.py, issue 18): the build's own process
renders beside its forked workers instead of waiting for them, so N cores fork N - 1 processes (each forked process
copies the pages of the model it touches). The pages are the same bytes whoever renders them.

In this process, on 300 generated 解读 (tests/fixtures/column_large.py), without MkDocs: the shell is a minimal
frame with the marks a Material-rendered shell carries.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from fixtures.column_large import COLUMNS, DAY, documents

from conftest import make_site
from gongkai.build import publish
from gongkai.build.pages import CONTENT_MARK, HEAD_MARK, NOH1_MARK, TITLE_MARK, SitePlan
from gongkai.build.render import Renderer
from gongkai.load.loader import load_catalogue

N = 300  # above publish.PARALLEL_MIN_PAGES: large enough to be rendered by several processes
SHELL = (f"<!doctype html>\n<html>\n  <head>\n    {HEAD_MARK}\n    <title>{TITLE_MARK}</title>\n  </head>\n  <body>\n"
         f"    <h1>{TITLE_MARK}</h1>\n    {CONTENT_MARK}{NOH1_MARK}\n  </body>\n</html>\n")
_real_head = publish.document_head


def _head_noting_the_process(site, doc):
    """publish.document_head, noting which process rendered the page (forked workers inherit the patch)."""
    with open(os.environ["GK_TEST_RENDERERS"], "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return _real_head(site, doc)


@pytest.fixture(autouse=True)
def _no_other_threads(monkeypatch):
    """publish forks no worker while another thread runs (a fork copies no thread but may copy a lock one holds): a
    thread an earlier test in this process left running (an open browser, a server) would make these tests see no
    fork. Threads that are just ending get a moment; one still running fails here, named, not as a missing fork.

    Except watchdog's inotify reader (InotifyFD): the library keeps one per process for the rest of its life once
    anything watched files (the serve tests in this xdist worker). A forked renderer never touches inotify or its
    lock, so for these tests publish is told of the threads without it."""
    deadline = time.monotonic() + 5
    while (others := [t for t in threading.enumerate() if t is not threading.main_thread()
                      and type(t).__name__ != "InotifyFD"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not others, f"threads left running by an earlier test: {[t.name for t in others]}"
    lasting = sum(type(t).__name__ == "InotifyFD" for t in threading.enumerate())
    if lasting:
        real = threading.active_count
        monkeypatch.setattr(threading, "active_count", lambda: real() - lasting)


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> SitePlan:
    root = make_site(tmp_path_factory.mktemp("workers"), COLUMNS, documents(N))
    cat = load_catalogue(root, DAY)
    return SitePlan(cat, Renderer(root))


def _write(plan: SitePlan, out: Path, workers: str, monkeypatch) -> tuple[dict[str, bytes], list[int]]:
    noted = out.parent / f"{out.name}.pids"
    monkeypatch.setenv("GONGKAI_WORKERS", workers)
    monkeypatch.setenv("GK_TEST_RENDERERS", str(noted))
    monkeypatch.setattr(publish, "document_head", _head_noting_the_process)
    digests: dict[str, tuple[int, str]] = {}
    counts = publish.write_documents(plan, SHELL, out, None, digests)
    assert counts["rendered"] == counts["pages"] == len(plan.cat.published_documents) == len(digests)
    pages = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}
    return pages, [int(line) for line in noted.read_text(encoding="utf-8").split()]


def test_this_process_renders_beside_one_worker_on_two_cores(plan, tmp_path, monkeypatch):
    alone, by_one = _write(plan, tmp_path / "one", "1", monkeypatch)
    shared, by_two = _write(plan, tmp_path / "two", "2", monkeypatch)
    assert len(alone) == len(plan.cat.published_documents) >= publish.PARALLEL_MIN_PAGES
    assert shared == alone  # the same bytes, whoever rendered them
    assert set(by_one) == {os.getpid()}
    # two processes rendered: this one and exactly one forked worker; each page once
    assert len(set(by_two)) == 2 and os.getpid() in by_two and len(by_two) == len(alone)
    mine = by_two.count(os.getpid())
    assert 0 < mine < len(alone)


def test_a_rebuild_forks_only_for_many_pages_to_hash_or_to_render(plan, tmp_path, monkeypatch):
    """With the build cache, the keys are made and the cached pages linked in this process: a worker is forked to
    render many pages (the cold build) or to read and hash many cached pages (when no stat data vouches for them:
    GONGKAI_TRUST_STAT=0; a page a build stores is vouched for from the next build on), and for nothing else - not to render the one page an edit changed. Every build
    writes the bytes a build without the cache writes."""
    from gongkai.build.cache import BuildCache

    monkeypatch.setenv("GONGKAI_WORKERS", "2")
    forks: list[str] = []
    real = publish.mp.get_context
    monkeypatch.setattr(publish.mp, "get_context", lambda method: forks.append(method) or real(method))
    pages_n = len(plan.cat.published_documents)  # N and the fixture's own documents
    cold = publish.write_documents(plan, SHELL, tmp_path / "plain")
    assert cold["rendered"] == pages_n and forks == ["fork"]
    expected = {str(p.relative_to(tmp_path / "plain")): p.read_bytes() for p in (tmp_path / "plain").rglob("*.html")}

    def build(name: str, trust: bool = True) -> tuple[dict[str, int], int, dict[str, bytes]]:
        before = len(forks)
        cache = BuildCache(tmp_path / "cache", trust_stat=trust)
        out = tmp_path / name
        counts = publish.write_documents(plan, SHELL, out, cache)
        cache.finish()
        return counts, len(forks) - before, {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.html")}

    counts, forked, pages = build("first")  # everything rendered, on two cores
    assert (counts["rendered"], forked, pages) == (pages_n, 1, expected)
    counts, forked, pages = build("second")  # vouched for by their stat (stored dated before the first's stamp)
    assert (counts["cached"], forked, pages) == (pages_n, 0, expected)
    counts, forked, pages = build("third", trust=False)  # GONGKAI_TRUST_STAT=0: read and hashed on two cores
    assert (counts["cached"], forked, pages) == (pages_n, 1, expected)
    doc = plan.cat.published_documents[N // 2]
    monkeypatch.setattr(doc, "title", doc.title + "（修订）")
    counts, forked, pages = build("edited")  # one page rendered, here
    assert (counts["rendered"], counts["cached"], forked) == (1, pages_n - 1, 0)
    assert {rel for rel in expected if pages[rel] != expected[rel]} == {doc.href}
    assert "（修订）" in pages[doc.href].decode("utf-8")
