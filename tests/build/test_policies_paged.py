"""A large 政策文件 column (issue 18): a bounded page, static paged lists and browse pages, rows chunks.

One real `mkdocs build` of 1,300 documents (tests/fixtures/policies_large.py; conftest.large_policy_site). The page
bound at 10,000 documents is checked by tests/browser/test_policies_scale.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fixtures.policies_large import DAY

from gongkai.build.paging import ONE_PAGE_MAX, PAGE_ROWS
from gongkai.build.policies import CHUNK_ROWS
from gongkai.load.loader import load_catalogue

MAX_PAGE = 300_000  # bytes of HTML, whatever the number of documents (issue 18)


@pytest.fixture(scope="module")
def site(large_policy_site) -> Path:
    return large_policy_site / "site"


@pytest.fixture(scope="module")
def docs(large_policy_site):
    cat = load_catalogue(large_policy_site, DAY)
    return cat.documents_in(next(c for c in cat.columns() if c.kind == "policies"))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def _ids(table) -> list[str]:
    return [a["href"].rsplit("/", 1)[1].removesuffix(".html") for a in table.select("tbody tr td:first-child > a")]


def _walk(site: Path, start: str, table_selector: str) -> tuple[list[str], list[str]]:
    """Follow 下一页 from `start` (relative to zcwj/): the ids of the rows in order, and the pages visited."""
    ids: list[str] = []
    pages: list[str] = []
    name: str | None = start
    while name is not None:
        assert name not in pages, f"{name} twice: the pager loops"
        pages.append(name)
        s = _soup(site / "zcwj" / name)
        for table in s.select(table_selector):
            ids += _ids(table)
        nxt = s.select_one(f"{table_selector.split(' ')[0]} [data-gk-pager] a[rel=next]") if "index" in name else \
            s.select_one("[data-gk-pager] a[rel=next]")
        name = nxt["href"] if nxt else None
    return ids, pages


def test_the_column_page_is_small_and_every_page_too(site, docs):
    assert len(docs) > ONE_PAGE_MAX
    index = site / "zcwj" / "index.html"
    assert index.stat().st_size <= MAX_PAGE
    page = _soup(index)
    # the first page of each list, not every row
    assert len(page.select("#gk-normative tbody tr")) == PAGE_ROWS
    assert len(page.select("#gk-others tbody tr")) == PAGE_ROWS
    for p in (site / "zcwj").glob("*.html"):
        assert p.stat().st_size <= MAX_PAGE, p.name


@pytest.mark.parametrize("key", ["normative", "others"])
def test_the_paged_list_reaches_every_document_exactly_once(site, docs, key):
    expected = [d.id for d in docs if d.normative == (key == "normative")]
    ids, pages = _walk(site, "index.html", f'[data-gk-plist="{key}"] table, table#gk-{key}')
    assert ids == expected  # newest first, each once
    assert pages[1:] == [f"{key}-{n}.html" for n in range(2, -(-len(expected) // PAGE_ROWS) + 1)]
    # 上一页 of page 2 leads back to the column page; the pager names where the reader is
    two = _soup(site / "zcwj" / f"{key}-2.html")
    assert two.select_one("[data-gk-pager] a[rel=prev]")["href"] == "index.html"
    assert two.select_one("[data-gk-pager] a[aria-current=page]").get_text() == "2"
    assert "第 2 / " in two.select_one(".gk-pager__where").get_text()


def test_both_walks_together_hold_the_column_exactly_once(site, docs):
    normative, _ = _walk(site, "index.html", '[data-gk-plist="normative"] table, table#gk-normative')
    others, _ = _walk(site, "index.html", '[data-gk-plist="others"] table, table#gk-others')
    assert sorted(normative + others) == sorted(d.id for d in docs)


def _browse_links(page: BeautifulSoup) -> dict[str, list[tuple[str, str]]]:
    """Heading -> [(label, href)] of the 分类浏览 (inside <noscript> on the column page)."""
    out: dict[str, list[tuple[str, str]]] = {}
    nav = page.select_one("nav.gk-pbrowse")
    if nav is None:  # lxml keeps <noscript> content as text: parse it
        ns = next(n for n in page.select("noscript") if "gk-pbrowse" in n.decode_contents())
        nav = BeautifulSoup(ns.decode_contents() if ns.find() else ns.get_text(), "lxml").select_one("nav.gk-pbrowse")
    for h3 in nav.select("h3"):
        out[h3.get_text()] = [(a.get_text(), a["href"]) for a in h3.find_next_sibling("ul").select("a")]
    return out


def test_browse_pages_stand_in_for_the_filters(site, docs):
    links = _browse_links(_soup(site / "zcwj" / "index.html"))
    assert list(links) == ["按发布年份", "按主题分类", "按发布机构", "按政策解读形式"]
    expect = {
        "按发布年份": lambda d, label: f"{d.published.year} 年" == label,
        "按发布机构": lambda d, label: d.publisher == label,
        "按主题分类": lambda d, label: label in d.topic.split("\\"),
    }
    for heading, check in expect.items():
        for label, href in links[heading]:
            ids, _ = _walk(site, href, "table.gk-policytable")
            want = [d for d in docs if check(d, label)]
            # 行政规范性文件 first, then 其他文件, each newest first; each once
            assert ids == [d.id for d in want if d.normative] + [d.id for d in want if not d.normative], (heading, label)


def test_browse_by_interpretation_form(site, docs):
    """Issue 16 without JavaScript: the documents that have a 图解, a 视频 … each on pages of their own."""
    links = dict(_browse_links(_soup(site / "zcwj" / "index.html"))["按政策解读形式"])
    forms = {j.form for d in docs for j in d.interpretations if j.form}
    assert set(links) == {"任一形式"} | forms and "图解" in forms and "视频" in forms
    assert links["图解"] == "form-graphic.html" and links["视频"] == "form-video.html"
    for label, href in links.items():
        ids, _ = _walk(site, href, "table.gk-policytable")
        want = [d for d in docs if d.interpretations and (label == "任一形式" or label in {j.form for j in d.interpretations})]
        assert sorted(ids) == sorted(d.id for d in want), label
    page = _soup(site / "zcwj" / "form-graphic.html")
    for row in page.select("table.gk-policytable tbody tr"):
        assert "图解" in [a["data-form"] for a in row.select(".gk-jd a")]
    assert page.select_one("nav.gk-pbrowse a[aria-current=page]")["href"] == "form-graphic.html"


def test_chunks_hold_every_row_for_policies_js(site, docs):
    page = _soup(site / "zcwj" / "index.html")
    data = json.loads(page.select_one("script[data-gk-pdata]").string)
    assert data["size"] == PAGE_ROWS and re.fullmatch(r"[0-9a-f]{12}", data["version"])
    for key, normative in (("normative", True), ("others", False)):
        info = data["lists"][key]
        expected = [d for d in docs if d.normative == normative]
        assert info["total"] == len(expected) and info["chunk"] == CHUNK_ROWS
        assert len(info["chunks"]) == -(-len(expected) // CHUNK_ROWS) >= 2
        rows = []
        for k, rel in enumerate(info["chunks"]):
            text = (site / "zcwj" / rel).read_text(encoding="utf-8")
            m = re.fullmatch(r'gkPolicyRows\("(\w+)",(\d+),(.*)\);\n', text, re.S)
            assert m and m[1] == key and int(m[2]) == k
            rows += json.loads(m[3])
        assert [r[0] for r in rows] == [d.id for d in expected]
        first = rows[0]
        doc = expected[0]
        assert first[1:4] == [doc.title, doc.doc_number, doc.index_no]
        assert data["publishers"][first[4]] == doc.publisher and data["topics"][first[6]] == doc.topic
        assert first[5] == doc.published.isoformat()
        with_jd = next(r for r, d in zip(rows, expected, strict=True) if d.interpretations)
        assert with_jd[8] and all(len(j) == 2 for j in with_jd[8])


def test_extra_pages_are_whole_pages_of_the_site(site, large_policy_site):
    page = _soup(site / "zcwj" / "year-2015.html")
    assert page.title.get_text().startswith("政策文件：2015 年发布的政策文件")
    assert page.select_one('link[rel=canonical]')["href"] == "https://test.example.gov.cn/zcwj/year-2015.html"
    assert page.select_one('meta[name=ColumnName]')["content"] == "政策文件"
    assert page.select_one("h1").get_text() == page.title.get_text().split(" - ")[0]
    assert page.select_one("header.md-header") and page.select_one("footer")  # the site's frame
    assert [a.get_text() for a in page.select("nav.gk-breadcrumb a")] == ["首页", "政策文件"]
    back = page.select_one(".gk-plist__where a")
    assert back["href"] == "index.html#year=2015"  # with JavaScript: the column page, filtered the same way
    text = (site / "zcwj" / "year-2015.html").read_text(encoding="utf-8")
    assert "GKSHELLTITLE" not in text and "<!--GK:" not in text
    assert not list(site.rglob("__policies_shell__*"))
    # the output manifest gives every extra page and chunk its reason: the column
    entries = json.loads((large_policy_site / "site.manifest.json").read_text(encoding="utf-8"))["entries"]
    kinds = {e["path"]: (e["kind"], e["ref"]) for e in entries}
    assert kinds["zcwj/year-2015.html"] == kinds["zcwj/_rows/normative-1.js"] == kinds["zcwj/others-2.html"] == ("column", "zcwj")
