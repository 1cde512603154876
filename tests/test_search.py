"""Chinese full-text search (Pagefind extended) in real Chromium: words in a document's body, a part of a longer
word, results with title / 文号 / date / validity, a byte-identical index, and under 1 MB per query at 10,000 documents."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import time
from pathlib import Path

import pytest

from browser import serve
from conftest import BUILD_DATE, REPO, copy_example, run_build, tree_digest
from gongkai import search
from gongkai.loader import load_catalogue
from gongkai.pages import SEARCH_URI, SitePlan
from gongkai.render import Renderer

# Two documents only this test adds: a rare body word, and 报告 only inside 年度报告.
EXTRA_DOCS = {
    "2026/test-body-word.md": """\
---
title: 示例市民政局关于做好冬季困难群众走访工作的通知
doc_number: 示民规〔2026〕9号
publisher: 示例市民政局
published: 2026-10-09
columns: [bmwj, zcwj]
normative: true
effective: 2026-10-09
---

各区民政局：冬季来临，请组织鸬鹚巡访小组走访困难群众，做到应帮尽帮。
""",
    "2026/test-compound.md": """\
---
title: 示例市社会福利中心工作情况
publisher: 示例市民政局
published: 2026-09-30
columns: [gztj]
---

本中心已完成年度报告的编制工作。
""",
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("search"))
    for rel, text in EXTRA_DOCS.items():
        (root / "content" / "documents" / rel).write_text(text, encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def search_url(search_site):
    with serve(search_site / "site") as url:
        yield url


def run_query(browser, base: str, term: str, more: int = 0) -> tuple[list[dict], int]:
    """Type a query into the search page (and press 显示更多结果 up to `more` times); the results shown and the
    bytes Pagefind fetched for the page and the query."""
    page = browser.new_page()
    fetched: list[int] = []
    page.on("response", lambda r: fetched.append(len(r.body())) if "/pagefind/" in r.url and r.ok else None)
    page.goto(base + "search/index.html", wait_until="networkidle")
    page.fill("#gk-search-q", term)
    started = time.perf_counter()
    page.press("#gk-search-q", "Enter")
    page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.includes('结果')")
    print(f"\n{term}: first results shown {time.perf_counter() - started:.2f} s after Enter")
    page.wait_for_load_state("networkidle")
    for _ in range(more):
        if not page.locator("[data-gk-search-more]").is_visible():
            break
        shown = page.locator(".gk-search-results > li").count()
        page.click("[data-gk-search-more]")
        page.wait_for_function(f"document.querySelectorAll('.gk-search-results > li').length > {shown}")
    results = page.eval_on_selector_all(".gk-search-results > li", """els => els.map(li => ({
        title: li.querySelector('.gk-result__title').textContent,
        href: li.querySelector('.gk-result__title').href,
        meta: li.querySelector('.gk-result__meta').textContent,
        excerpt: li.querySelector('.gk-result__excerpt').innerHTML}))""")
    page.close()
    return results, sum(fetched)


def test_a_word_from_the_body_finds_its_document(browser, search_url):
    results, _ = run_query(browser, search_url, "鸬鹚")
    assert [r["title"] for r in results] == ["示例市民政局关于做好冬季困难群众走访工作的通知"]
    hit = results[0]
    assert "<mark>鸬鹚</mark>" in hit["excerpt"]
    # title, 文号, date and validity are shown
    assert "文号：示民规〔2026〕9号" in hit["meta"]
    assert "发布日期：2026-10-09" in hit["meta"]
    assert "现行有效" in hit["meta"]
    assert hit["href"] == search_url + "documents/test-body-word.html"


def test_part_of_a_longer_word_finds_it(browser, search_url):
    assert "报告" not in EXTRA_DOCS["2026/test-compound.md"].replace("年度报告", "")
    results, _ = run_query(browser, search_url, "报告", more=5)
    assert "示例市社会福利中心工作情况" in [r["title"] for r in results]
    results, _ = run_query(browser, search_url, "年度", more=5)
    assert "示例市社会福利中心工作情况" in [r["title"] for r in results]


def test_nothing_found_says_so(browser, search_url):
    page = browser.new_page()
    page.goto(search_url + "search/index.html?q=xyzzyqq")
    page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.includes('没有找到')")
    assert page.locator(".gk-search-results > li").count() == 0
    page.close()


def test_result_link_opens_the_document(browser, search_url):
    page = browser.new_page()
    page.goto(search_url + "search/index.html?q=鸬鹚")
    page.locator(".gk-result__title").first.click()
    page.wait_for_load_state()
    assert page.locator("h1.gk-doc-title").inner_text() == "示例市民政局关于做好冬季困难群众走访工作的通知"
    page.close()


def test_index_holds_only_published_pages_and_is_byte_identical(search_site, tmp_path):
    """Same input and build date: the same index files, byte for byte (no Pagefind filters: see gongkai/search.py)."""
    again = tmp_path / "again"
    shutil.copytree(search_site, again, ignore=shutil.ignore_patterns("site"))
    assert run_build(again).returncode == 0
    first, second = tree_digest(search_site / "site" / "pagefind"), tree_digest(again / "site" / "pagefind")
    assert first and first == second
    assert not any(name.startswith("pagefind-ui") for name in first)


# --- 10,000 documents -------------------------------------------------------------------------------------

N_DOCS = 10_000
MAX_QUERY_BYTES = 1_000_000


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """A synthetic bureau of 10,000 documents (~2,500 characters each; scripts/bench.py) with its real search index.

    The index and the search page come from the same core functions `mkdocs build` calls (search.build_index,
    the search.html template, assets/gongkai/); the 10,000 document pages and the theme around them, which take
    minutes to write and add nothing to what a query transfers, are left out to keep CI fast.
    """
    sys.path.insert(0, str(REPO / "scripts"))
    from bench import generate

    root = tmp_path_factory.mktemp("big")
    generate(root, N_DOCS)
    cat = load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
    plan = SitePlan(cat, Renderer(root))
    site = root / "site"
    stats = search.build_index(plan, site)
    print(f"\nindex of {stats.records} records: {stats.seconds:.0f} s, {stats.files} files, {stats.bytes / 1e6:.1f} MB")
    shutil.copytree(REPO / "gongkai" / "assets", site / "assets" / "gongkai")
    search_plan = next(p for p in plan.plans() if p.src_uri == SEARCH_URI)
    (site / "search").mkdir()
    (site / "search" / "index.html").write_text(
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>站内搜索</title></head><body>'
        f'<main class="md-content">{plan.render(search_plan)}</main>'
        f'<script src="../assets/gongkai/gongkai.js"></script></body></html>', encoding="utf-8")
    return site


def test_a_query_at_10000_documents_transfers_under_1_mb(browser, big_site):
    # every published document has its record (the synthetic bureau withholds a few: 依申请公开, 不予公开)
    assert len(list((big_site / "pagefind" / "fragment").iterdir())) >= N_DOCS * 0.95
    with serve(big_site) as url:
        for term in ("最低生活保障", "养老机构", "殡葬"):
            started = time.perf_counter()
            results, fetched = run_query(browser, url, term)
            print(f"{term}: {len(results)} shown, {fetched} bytes, {time.perf_counter() - started:.1f} s with page load")
            assert results, term
            assert 0 < fetched < MAX_QUERY_BYTES, (term, fetched)
