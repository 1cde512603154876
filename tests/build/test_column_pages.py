"""A large documents column (issue 18): bounded pages, a static pager, every document once; the document pages'
frame without Material's indentation.

One real MkDocs build, in this process, of 1,200 解读 in a plain documents column beside a small column
(tests/fixtures/column_large.py); the pager at 375 px is checked in tests/browser/test_column_pages_browser.py.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fixtures.column_large import COLUMNS, DAY, SMALL, documents

from conftest import REPO, build_in_process, make_site
from gongkai.build.paging import ONE_PAGE_MAX, PAGE_ROWS
from gongkai.load.loader import load_catalogue

N = 1200
MAX_PAGE = 300_000  # bytes of HTML, whatever the number of documents (issue 18)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("column-large"), COLUMNS, documents(N))
    build_in_process(root, DAY.isoformat(), {"GONGKAI_SEARCH": "0"})
    return root


@pytest.fixture(scope="module")
def site(root) -> Path:
    return root / "site"


@pytest.fixture(scope="module")
def expected(root) -> dict[str, list[str]]:
    """Column id -> its published documents' ids, newest first (the model's order)."""
    cat = load_catalogue(root, DAY)
    return {c.id: [d.id for d in cat.documents_in(c)] for c in cat.columns() if c.kind == "documents"}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def _ids(s: BeautifulSoup) -> list[str]:
    return [a["href"].rsplit("/", 1)[1].removesuffix(".html") for a in s.select("table.gk-doclist tbody td.gk-col-title > a")]


def test_every_page_of_the_large_column_is_bounded(site, expected):
    assert len(expected["zcjd"]) == N > ONE_PAGE_MAX
    pages = sorted((site / "zcwj" / "zcjd").glob("*.html"))
    assert [p.name for p in pages] == ["index.html"] + sorted(f"page-{n}.html" for n in range(2, N // PAGE_ROWS + 1))
    for p in pages:
        assert p.stat().st_size <= MAX_PAGE, p.name
    # the column page shows the newest PAGE_ROWS, not all 1,200 (the whole list was ~420 KB here)
    assert _ids(_soup(pages[0])) == expected["zcjd"][:PAGE_ROWS]


def test_next_links_reach_every_document_exactly_once_and_prev_leads_back(site, expected):
    folder = site / "zcwj" / "zcjd"
    seen: list[str] = []
    visited: list[str] = []
    name: str | None = "index.html"
    total = -(-N // PAGE_ROWS)
    while name is not None:
        assert name not in visited, f"{name} twice: the pager loops"
        visited.append(name)
        s = _soup(folder / name)
        k = len(visited)
        seen += _ids(s)
        pager = s.select_one("nav.gk-pager[data-gk-pager]")
        assert pager["aria-label"] == "政策解读分页"
        assert pager.select_one(".gk-pager__where").get_text() == f"第 {k} / {total} 页"
        assert pager.select_one("a[aria-current=page]").get_text() == str(k)
        prev = pager.select_one("a[rel=prev]")
        assert (prev["href"] if prev else None) == (None if k == 1 else "index.html" if k == 2 else f"page-{k - 1}.html")
        first = (k - 1) * PAGE_ROWS + 1
        assert s.select_one("p.gk-count").get_text() == f"共 {N} 条，本页为第 {first}–{min(k * PAGE_ROWS, N)} 条"
        if k > 1:  # a page of its own: title, heading and breadcrumb say which page, its address is canonical
            assert s.title.get_text().startswith(f"政策解读（第 {k} 页） - ")
            assert s.select_one("h1.gk-title").get_text() == f"政策解读（第 {k} 页）"
            assert s.select_one("nav.gk-breadcrumb [aria-current=page]").get_text() == f"第 {k} 页"
            assert s.select_one("link[rel=canonical]")["href"].endswith(f"/zcwj/zcjd/page-{k}.html")
            assert s.select_one('meta[name="ColumnName"]')["content"] == "政策解读"
        nxt = pager.select_one("a[rel=next]")
        name = nxt["href"] if nxt else None
    assert visited == ["index.html"] + [f"page-{n}.html" for n in range(2, total + 1)]
    assert seen == expected["zcjd"]  # newest first, each document once
    # every row links a document page that exists
    assert all((site / "documents" / f"{i}.html").is_file() for i in seen)


def test_the_pages_are_the_same_bytes_in_another_build(root, site, tmp_path):
    """Deterministic: a second build (documents from the cache this time) writes every page of the column alike."""
    other = tmp_path / "again"
    build_in_process(root, DAY.isoformat(), {"GONGKAI_SEARCH": "0"}, site_dir=other)
    first = {p.name: p.read_bytes() for p in (site / "zcwj" / "zcjd").glob("*.html")}
    assert len(first) == -(-N // PAGE_ROWS)
    assert {p.name: p.read_bytes() for p in (other / "zcwj" / "zcjd").glob("*.html")} == first


def test_a_small_column_is_not_paged(site, expected):
    assert len(expected["tzgg"]) == SMALL
    folder = site / "zcwj" / "tzgg"
    assert sorted(p.name for p in folder.glob("*.html")) == ["index.html"]
    s = _soup(folder / "index.html")
    assert _ids(s) == expected["tzgg"]
    assert s.select_one("p.gk-count").get_text() == f"共 {SMALL} 条"
    assert s.select_one("[data-gk-pager]") is None


def test_the_pages_are_in_the_output_manifest_and_no_shell_is_left(root, site):
    entries = {e["path"]: e for e in json.loads((root / "site.manifest.json").read_text(encoding="utf-8"))["entries"]}
    for n in range(2, -(-N // PAGE_ROWS) + 1):
        e = entries[f"zcwj/zcjd/page-{n}.html"]
        assert (e["kind"], e["ref"], e["source"]) == ("column", "zcwj/zcjd", "catalog/columns.yml"), e
    assert not list(site.rglob("__*shell__*"))


def test_document_pages_carry_no_indentation_outside_the_body(site):
    page = next((site / "documents").glob("*.html")).read_text(encoding="utf-8")
    # the document itself (gongkai's document.html with the body) is filled in as rendered: the rest is the frame
    own = re.search(r'<div class="gk-document-page">.*<p class="gk-doc-columns">.*?</p>\n</article>\n</div>', page, re.S)
    assert own
    frame = page[:own.start()] + page[own.end():]
    frame = re.sub(r"<script\b.*?</script>", "", frame, flags=re.S)
    assert not re.search(r"\n[ \t]+", frame)  # Material indents every line of its frame
    assert len(frame.encode()) < 12_000  # 16.7 KB with the indentation (scripts/pagebytes.py)
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert config["translations"]["clipboard.copy"] == "复制"


def test_pagebytes_accounts_for_every_byte_of_a_document_page(site):
    """scripts/pagebytes.py: the regions add up to the page, the body is the body, the chrome is the rest."""
    spec = importlib.util.spec_from_file_location("gongkai_pagebytes", REPO / "scripts" / "pagebytes.py")
    assert spec and spec.loader
    pagebytes = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = pagebytes  # its dataclasses look their module up
    spec.loader.exec_module(pagebytes)
    path = site / "documents" / "d00000.html"  # the one with a table
    text = path.read_text(encoding="utf-8")
    b = pagebytes.breakdown(text)
    assert sum(b.regions.values()) == b.total == path.stat().st_size
    body = re.search(r'<div class="gk-doc-body">.*?</table>\n</div>', text, re.S)
    assert body and b.regions["body"] == len(body.group().encode())
    assert b.regions["frame (wrappers, whitespace)"] > 0 and b.regions["footer"] > 0 and b.regions["head"] > 0
    assert b.extra["body: text (white space not counted)"] == len(re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body.group())).encode())
    r = pagebytes.report(sorted((site / "documents").glob("*.html")))
    assert r.pages == N + SMALL and r.max_page.endswith("d00000.html")
