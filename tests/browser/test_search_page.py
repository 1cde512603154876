"""Chinese full-text search (gongkai's own bigram index, gongkai/build/searchindex.py) in real Chromium: words in a
document's body, a part of a longer word, results with title / 文号 / date / validity / excerpt, the ranking a
citizen needs (文号 in any spelling, 文号 fragments, 低保 for 最低生活保障), an index of published pages only that is
byte-identical across builds and after an incremental rebuild, and under 150 KB per query at 10,000 documents."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import time
from pathlib import Path

import pytest

from browser import serve
from conftest import BUILD_DATE, REPO, copy_example, run_build, tree_digest
from gongkai.build import search, searchindex
from gongkai.build.pages import SEARCH_URI, SitePlan
from gongkai.build.render import Renderer
from gongkai.load.loader import load_catalogue

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
    # withheld: never in the index
    "2026/test-withheld.md": """\
---
title: 示例市民政局关于鸬鹚巡访内部事项的函
publisher: 示例市民政局
published: 2026-10-10
columns: [bmwj]
disclosure: 依申请公开
---

鸬鹚巡访内部安排。
""",
}


DEEP = "请各街道对鹈鹕湖村的低保边缘家庭逐户复核"  # the hit deep in a long body


def long_body() -> str:
    """A long 汇编 of the example's own documents (real texts, transcribed with their sources in content/), with one
    sentence near its end that nothing else on the site has."""
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in sorted((REPO / "content" / "documents").rglob("*.md"))]
    text = "\n\n".join(b.strip() for b in bodies if b.strip())
    assert len(text) > 6000
    return text + f"\n\n此外，{DEEP}，确保应保尽保。\n\n" + bodies[0].strip()


@pytest.fixture(scope="module")
def search_site(example_site, tmp_path_factory) -> Path:
    """The session's example build (site/ and build cache) with four documents added and built again."""
    root = tmp_path_factory.mktemp("search") / "example"
    shutil.copytree(example_site.parent, root, symlinks=True)
    for rel, text in EXTRA_DOCS.items():
        (root / "content" / "documents" / rel).write_text(text, encoding="utf-8")
    (root / "content" / "documents" / "2026" / "test-long.md").write_text(
        "---\ntitle: 示例市民政局社会救助政策文件汇编\npublisher: 示例市民政局\npublished: 2026-08-01\ncolumns: [gztj]\n---\n\n"
        + long_body(), encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def search_url(search_site):
    with serve(search_site / "site") as url:
        yield url


def run_query(browser, base: str, term: str, more: int = 0) -> tuple[list[dict], int]:
    """Type a query into the search page (and press 显示更多结果 up to `more` times); the results shown and the
    bytes of index files fetched for the page and the query."""
    page = browser.new_page()
    fetched: list[int] = []
    page.on("response", lambda r: fetched.append(len(r.body())) if "/search/index/" in r.url and r.ok else None)
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
        excerpt: (li.querySelector('.gk-result__excerpt') || {textContent: ''}).textContent,
        marked: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")
    results.append({"status": page.inner_text("[data-gk-search-status]")})
    page.close()
    return results, sum(fetched)


def shown(results: list[dict]) -> list[dict]:
    return [r for r in results if "title" in r]


def test_a_word_from_the_body_finds_its_document(browser, search_url):
    results, _ = run_query(browser, search_url, "鸬鹚")
    # the withheld 函 has the word in its title and body: not found
    assert [r["title"] for r in shown(results)] == ["示例市民政局关于做好冬季困难群众走访工作的通知"]
    hit = results[0]
    # title, 文号, date and validity are shown
    assert "文号：示民规〔2026〕9号" in hit["meta"]
    assert "发布日期：2026-10-09" in hit["meta"]
    assert "现行有效" in hit["meta"]
    assert hit["href"] == search_url + "documents/test-body-word.html"
    # an excerpt: the text around the word (here near the start), the word marked where it is
    assert hit["excerpt"].startswith("各区民政局：冬季来临") and "鸬鹚" in hit["marked"]


def test_the_excerpt_is_the_passage_around_a_hit_deep_in_a_long_text(browser, search_url, search_site):
    """鹈鹕湖村 is about 7,000 characters into a long 汇编: the result shows the sentence around it, marked, and loads
    only the text file holding it (not the whole text)."""
    body = long_body()
    assert body.index(DEEP) > 6000
    for query in ("鹈鹕湖村", "鹈鹕湖村 低保边缘"):
        results, fetched = run_query(browser, search_url, query)
        hit = shown(results)[0]
        assert hit["title"] == "示例市民政局社会救助政策文件汇编", (query, results)
        excerpt = hit["excerpt"]
        assert "对鹈鹕湖村的低保边缘家庭逐户复核" in excerpt and excerpt.startswith("……"), excerpt
        assert "鹈鹕湖村" in hit["marked"] and len(excerpt) <= 130
        if " " in query:
            assert any(m.startswith("低保边缘") for m in hit["marked"])  # or its synonym 低保边缘家庭
        # the text of the whole 汇编 is ~20 KB; the query loads the one file of ≤ 10 KB holding the hit
        assert fetched < 40_000, fetched
    index = search_site / "site" / "search" / "index"
    n, _tier, k = searchindex.search_portions(index, "鹈鹕湖村")[0]
    assert k > 0 and DEEP in searchindex.portion(index, n, k) and DEEP not in searchindex.portion(index, n, 0)
    # a word of the title only: the start of the text
    results, _ = run_query(browser, search_url, "汇编")
    hit = next(r for r in shown(results) if r["title"] == "示例市民政局社会救助政策文件汇编")
    assert not hit["excerpt"].startswith("……") and body.startswith(hit["excerpt"].rstrip("…")[:20])


def test_part_of_a_longer_word_finds_it(browser, search_url):
    assert "报告" not in EXTRA_DOCS["2026/test-compound.md"].replace("年度报告", "")
    results, _ = run_query(browser, search_url, "报告", more=5)
    assert "示例市社会福利中心工作情况" in [r["title"] for r in shown(results)]
    results, _ = run_query(browser, search_url, "年度", more=5)
    assert "示例市社会福利中心工作情况" in [r["title"] for r in shown(results)]
    # all of the query's pairs must be there: 度报 is, 度计 is not
    results, _ = run_query(browser, search_url, "年度计划报告")
    assert "示例市社会福利中心工作情况" not in [r["title"] for r in shown(results)]


def test_title_matches_first_then_documents_in_force_then_newest_first(browser, search_url):
    results = shown(run_query(browser, search_url, "通知", more=3)[0])
    in_title = [r for r in results if "通知" in r["title"]]
    assert len(in_title) >= 2 and len(results) > len(in_title)  # 通知 also only in some bodies
    assert results[:len(in_title)] == in_title
    for group in (in_title, results[len(in_title):]):
        docs = [r for r in group if "发布日期：" in r["meta"]]
        # 行政规范性文件 in force first, then other documents, then those no longer in force; each newest first
        rank = [0 if "现行有效" in r["meta"] or "尚未生效" in r["meta"] else 2 if "已失效" in r["meta"] or "已废止" in r["meta"]
                else 1 for r in docs]
        assert rank == sorted(rank), [r["title"] for r in docs]
        for k in set(rank):
            dates = [r["meta"].split("发布日期：")[1][:10] for r, g in zip(docs, rank, strict=True) if g == k]
            assert dates == sorted(dates, reverse=True)


def test_a_single_character_asks_for_two(browser, search_url):
    page = browser.new_page()
    page.goto(search_url + "search/index.html?q=报")
    page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.includes('两个')")
    assert page.locator(".gk-search-results > li").count() == 0
    page.close()


def test_index_files_carry_the_build_version(browser, search_url, search_site):
    """Over http the manifest is asked for afresh and shards/chunks carry its version: no cache mixes two builds."""
    text = (search_site / "site" / "search" / "index" / "manifest.js").read_text(encoding="utf-8")
    version = searchindex._unjs(b"x(0," + text.encode()[len("gkSearchManifest("):])["version"]
    page = browser.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if "/search/index/" in r.url else None)
    page.goto(search_url + "search/index.html?q=鸬鹚")
    page.wait_for_selector(".gk-result")
    page.close()
    assert any("/search/index/s/" in u for u in urls) and any("/search/index/m/" in u for u in urls)
    for u in urls:
        assert ("/manifest.js?v=" in u) or u.endswith("?v=" + version), u


def test_nothing_found_says_so(browser, search_url):
    page = browser.new_page()
    page.goto(search_url + "search/index.html?q=xyzzyqq")
    page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.includes('没有找到')")
    assert page.locator(".gk-search-results > li").count() == 0
    assert page.inner_text("[data-gk-search-status]").startswith("没有找到与“xyzzyqq”有关的结果")
    page.close()


def test_result_link_opens_the_document(browser, search_url):
    page = browser.new_page()
    page.goto(search_url + "search/index.html?q=鸬鹚")
    page.locator(".gk-result__title").first.click()
    page.wait_for_load_state()
    assert page.locator("h1.gk-doc-title").inner_text() == "示例市民政局关于做好冬季困难群众走访工作的通知"
    page.close()


def index_urls(index: Path) -> list[str]:
    urls: list[str] = []
    for k in range(len(list((index / "m").iterdir()))):
        text = (index / "m" / f"{k}.js").read_text(encoding="utf-8")
        assert text.startswith(f"gkSearchMeta({k},[") and "\\u" not in text
        urls += [m["u"] for m in searchindex._unjs(text.encode())]
    return urls


def test_index_holds_only_published_pages_and_is_byte_identical(search_site, tmp_path):
    """Same input and build date: the same index files, byte for byte (the built index against one written afresh
    in this process; whole builds of the example, index included, are compared in tests/e2e/test_determinism.py)."""
    index = search_site / "site" / "search" / "index"
    cat = load_catalogue(search_site, dt.date.fromisoformat(BUILD_DATE))
    urls = index_urls(index)
    docs = {u for u in urls if u.startswith("documents/")}
    assert docs == {d.href for d in cat.published_documents}
    assert "documents/test-withheld.html" not in docs and "documents/test-body-word.html" in docs
    assert len(urls) == len(set(urls)) == len(docs) + len([u for u in urls if not u.startswith("documents/")]) > len(docs)
    again = tmp_path / "again"
    search.build_index(SitePlan(load_catalogue(search_site, dt.date.fromisoformat(BUILD_DATE)), Renderer(search_site)), again)
    first, second = tree_digest(index), tree_digest(again / search.OUTPUT)
    assert first and first == second
    assert not (search_site / "site" / "pagefind").exists()


def test_a_rebuild_patches_the_index_to_the_same_bytes_as_a_cold_build(search_site, tmp_path):
    """Editing one document re-tokenises only it and rewrites only the shards it touches; the files are the same
    as a build from scratch (words removed, words added, a word only that document had)."""
    plan = SitePlan(load_catalogue(search_site, dt.date.fromisoformat(BUILD_DATE)), Renderer(search_site))
    entries = search.records(plan)
    state = tmp_path / "state"
    first = searchindex.write(entries, tmp_path / "warm", state)
    assert first.patched == -1
    manifest_before = (tmp_path / "warm" / "manifest.js").read_bytes()
    i = next(n for n, e in enumerate(entries) if e.meta["u"] == "documents/test-body-word.html")
    entries[i].raw = entries[i].raw_text.replace("鸬鹚", "鹪鹩") + " 新增词语ZQ9"
    # a real edit changes the source file, whose digest stands for the text in a rebuild's comparison
    entries[i].digest = entries[i].digest + "（已修改）" if entries[i].digest else ""
    entries[i + 1].title += "（修订）"
    second = searchindex.write(entries, tmp_path / "warm", state)
    # the records of the changed ones' groups are laid out again (their texts' files move)
    assert 2 <= second.patched <= 2 * searchindex.CHUNK
    searchindex.write(entries, tmp_path / "cold")
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold")
    assert (tmp_path / "warm" / "manifest.js").read_bytes() != manifest_before  # a new version for browsers
    assert searchindex.search(tmp_path / "warm", "鸬鹚") == []
    assert searchindex.search(tmp_path / "warm", "鹪鹩") == [(i, 2)]
    assert searchindex.search(tmp_path / "warm", "zq9") == [(i, 2)]
    assert searchindex.portion(tmp_path / "warm", i, 0).startswith("各区民政局：冬季来临")
    # the cache keeps exactly what was written, for the next rebuild
    assert tree_digest(state / "tree") == tree_digest(tmp_path / "warm")


# --- 10,000 documents -------------------------------------------------------------------------------------

N_DOCS = 10_000
MAX_QUERY_BYTES = 150_000  # issue 17: still ≤ 150 KB per query (a page of results, excerpts included) at 10,000 documents


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
    generate(root, N_DOCS, profile="uniform")  # the ~2,500-character bodies these figures were measured on
    cat = load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
    plan = SitePlan(cat, Renderer(root))
    site = root / "site"
    stats = search.build_index(plan, site)
    print(f"\nindex of {stats.records} records: {stats.seconds:.1f} s, {stats.files} files, {stats.bytes / 1e6:.1f} MB")
    shutil.copytree(REPO / "gongkai" / "mkdocs" / "theme" / "assets" / "gongkai", site / "assets" / "gongkai")
    search_plan = next(p for p in plan.plans() if p.src_uri == SEARCH_URI)
    (site / "search" / "index.html").write_text(
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>站内搜索</title></head><body>'
        f'<main class="md-content">{plan.render(search_plan)}</main>'
        f'<script src="../assets/gongkai/gongkai.js"></script></body></html>', encoding="utf-8")
    return site


def test_a_query_at_10000_documents_transfers_under_150_kb(browser, big_site):
    # every published document has its record (the synthetic bureau withholds a few: 依申请公开, 不予公开)
    index = big_site / "search" / "index"
    assert len([u for u in index_urls(index) if u.startswith("documents/")]) >= N_DOCS * 0.95
    with serve(big_site) as url:
        for term in ("最低生活保障", "低保", "养老补贴", "养老机构", "殡葬", "2024", "示民规〔2024〕3号", "低保 申请"):
            started = time.perf_counter()
            results, fetched = run_query(browser, url, term)
            expected = searchindex.search(index, term)  # the page finds what the Python reader finds, in its order
            print(f"{term}: {len(expected)} found, {len(shown(results))} shown, {fetched} bytes, "
                  f"{time.perf_counter() - started:.1f} s with page load")
            assert expected and f"找到 {len(expected)} 条" in results[-1]["status"], (term, results[-1])
            first = [searchindex.meta(index, n)["t"] for n, _ in expected[:10]]
            assert [r["title"] for r in shown(results)] == first, term
            # every document found has its excerpt (the passage around the words, from the one text file loaded)
            # and the words marked (the synthetic columns have no text of their own)
            for r in shown(results):
                if "/documents/" in r["href"]:
                    assert r["excerpt"] and (r["marked"] or term.startswith("示民规")), (term, r)
            assert 0 < fetched < MAX_QUERY_BYTES, (term, fetched)
        # the next page: ten more
        results, _ = run_query(browser, url, "殡葬", more=1)
        assert len(shown(results)) == 20


# --- ranking: how citizens search (issue 17) ------------------------------------------------------------

# query -> the page that must come first (or be in the top 3: "top3:")
RANKING = {
    # a 文号 written three ways, and the example: 〔2025〕3号 must not come first
    "示民规〔2024〕3号": "documents/szmz-2024-3.html",
    "示民规[2024]3号": "documents/szmz-2024-3.html",
    "示民规 2024 3号": "documents/szmz-2024-3.html",
    "示民规（2024）3号": "documents/szmz-2024-3.html",
    "示民规〔2025〕3号": "documents/szmz-2025-3.html",
    # fragments of a 文号
    "2024〕3": "top3:documents/szmz-2024-3.html",
    "〔2024〕3号": "top3:documents/szmz-2024-3.html",
    "2024〕": "top3:documents/szmz-2024-3.html",
    # the word citizens use: the column that lists every 低保 document, then the 办法 in force
    "低保": "zdlyxxgk/shjzhshfl/zdshbz/index.html",
    # a vague word: the 一件事 service package, then the 办法
    "养老补贴": "packages/jjylfw/index.html",
    # a phrase only in one document's body
    "鸬鹚巡访": "documents/test-body-word.html",
    "应帮尽帮": "documents/test-body-word.html",
}


def first_hrefs(results: list[dict], base: str) -> list[str]:
    return [r["href"].removeprefix(base) for r in shown(results)]


@pytest.mark.parametrize("query", list(RANKING))
def test_citizen_queries_find_the_expected_page_first(browser, search_url, query):
    want = RANKING[query]
    results, _ = run_query(browser, search_url, query)
    hrefs = first_hrefs(results, search_url)
    if want.startswith("top3:"):
        assert want[5:] in hrefs[:3], (query, hrefs[:5])
    else:
        assert hrefs and hrefs[0] == want, (query, hrefs[:5])


def test_low_income_finds_the_regulations_and_says_which_words_it_also_used(browser, search_url):
    results, _ = run_query(browser, search_url, "低保")
    docs = [r for r in shown(results) if "/documents/" in r["href"]]  # (留言选登 entries have a date too)
    # the 最低生活保障 办法 in force is the first document; the repealed 规程 comes after everything in force
    assert docs[0]["href"] == search_url + "documents/szmz-2024-3.html"
    assert "最低生活保障" in docs[0]["marked"]
    # among those with the word in their title, the repealed 规程 comes after every one in force
    titled = [r for r in docs if "最低生活保障" in r["title"] or "低保" in r["title"]]
    repealed = [i for i, r in enumerate(titled) if "已废止" in r["meta"]]
    assert repealed and all("已废止" in r["meta"] or "已失效" in r["meta"] for r in titled[repealed[0]:])
    page = browser.new_page()
    page.goto(search_url + "search/index.html?q=低保")
    page.wait_for_selector(".gk-result")
    assert "最低生活保障" in page.inner_text("[data-gk-search-note]")
    page.close()


def test_a_number_is_looked_up_whole(browser, search_url, search_site):
    """"2024〕3" used to match every document ("20", "02", "24" are in every 索引号 and date)."""
    results, _ = run_query(browser, search_url, "2024〕3")
    cat = load_catalogue(search_site, dt.date.fromisoformat(BUILD_DATE))
    with_2024 = [d for d in cat.published_documents if "2024" in "".join((d.title, d.doc_number, d.index_no, d.body))]
    assert 0 < len(shown(results)) <= len(with_2024) < len(cat.published_documents)
    assert f"找到 {len(shown(results))} 条" in results[-1]["status"]


def test_builtin_synonyms_are_real_terms_and_site_yml_adds_its_own(tmp_path):
    builtin = search.synonym_table(load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE)).site)
    # the terms of 《社会救助暂行办法》 and 国发〔2015〕52号 are there, both ways
    assert "最低生活保障" in builtin["低保"] and "低保" in builtin["最低生活保障"]
    assert "特困人员救助供养" in builtin["五保"] and "残疾人两项补贴" in builtin["两项补贴"]
    # one-way: 养老补贴 also searches the formal names, a formal name does not search its siblings
    assert {"养老服务补贴", "高龄津贴"} <= set(builtin["养老补贴"]) and "高龄津贴" not in builtin.get("养老服务补贴", [])
    root = copy_example(tmp_path / "site")
    site_yml = root / "catalog" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    text = text[:text.index("\nsearch:\n")]  # the example's own search section, replaced
    site_yml.write_text(text + "\nsearch:\n  builtin_synonyms: false\n"
                        "  synonyms:\n    - [敬老卡, 老年优待证]\n  related:\n    坐车: [敬老卡]\n", encoding="utf-8")
    own = search.synonym_table(load_catalogue(root, dt.date.fromisoformat(BUILD_DATE)).site)
    assert own == {"敬老卡": ["老年优待证"], "老年优待证": ["敬老卡"], "坐车": ["敬老卡"]}
