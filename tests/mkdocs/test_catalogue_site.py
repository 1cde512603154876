"""The built example site: a page for every column, the nav is the catalogue, documents listed in their columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from gongkai.load.loader import load_catalogue


@pytest.fixture(scope="module")
def cat():
    import datetime as dt

    return load_catalogue(REPO, dt.date(2026, 11, 24))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_example_is_big_enough(cat):
    columns = list(cat.columns())
    assert len(columns) >= 40
    assert max(c.level for c in columns) == 3
    docs = cat.published_documents
    assert len(docs) >= 30
    assert len({c.id for d in docs for c in d.columns}) >= 5
    assert sum(1 for d in docs if len(d.columns) > 1) >= 5


def test_every_column_has_a_page_titled_with_its_name(cat, example_site):
    for col in cat.columns():
        page = example_site / col.href
        assert page.is_file(), col.href
        s = soup(page)
        assert s.select_one("h1.gk-title").get_text(strip=True) == col.name
        assert s.title.get_text().startswith(col.name)


def test_column_urls_are_pinyin_initials(cat):
    paths = {c.name: c.path for c in cat.columns()}
    assert paths["法定主动公开内容"] == "fdzdgknr"
    assert paths["机构职能"] == "fdzdgknr/jgzn"
    assert paths["规范性文件备案信息"] == "fdzdgknr/zcfg/baxx"  # explicit id wins


def _nav_tree(ul) -> list:
    """Read Material's primary nav (<ul class=md-nav__list>) into [(title, [children])]."""
    out = []
    for li in ul.find_all("li", class_="md-nav__item", recursive=False):
        label = li.find(["a", "label"], class_="md-nav__link", recursive=False)
        if label is None:
            label = li.find(class_="md-nav__link")
        title = label.get_text(" ", strip=True)
        # child columns are in a nested <nav class="md-nav">; the page's own table of contents
        # (md-nav--secondary) is not part of the site navigation
        subnav = next((n for n in li.find_all("nav", class_="md-nav", recursive=False)
                       if "md-nav--secondary" not in n["class"]), None)
        sub = subnav.find("ul", class_="md-nav__list", recursive=False) if subnav else None
        out.append((title, _nav_tree(sub) if sub else []))
    return out


def test_navigation_is_exactly_the_catalogue_tree(cat, example_site):
    # The catalogue table page is not pruned below the top level, so read a column page of each branch:
    # with navigation.prune only the active branch is expanded; check each first-level branch on its own page.
    for root in cat.roots:
        s = soup(example_site / root.href)
        primary = s.select_one("nav.md-nav--primary > ul.md-nav__list")
        tree = _nav_tree(primary)
        assert [t for t, _ in tree] == [r.name for r in cat.roots]
        branch = dict(tree)[root.name]
        expected = [c.name for c in root.children]
        assert [t for t, _ in branch] == expected
        for child_title, _grand in branch:
            child = next(c for c in root.children if c.name == child_title)
            if child.children:
                # a third level is rendered on the second-level page (prune keeps the active path)
                s2 = soup(example_site / child.href)
                tree2 = dict(_nav_tree(s2.select_one("nav.md-nav--primary > ul.md-nav__list")))
                grand2 = dict(tree2[root.name])[child.name]
                assert [t for t, _ in grand2] == [g.name for g in child.children]


def test_documents_are_not_in_the_navigation(cat, example_site):
    titles = {d.title for d in cat.published_documents}
    for page in [example_site / "index.html", example_site / cat.published_documents[0].href]:
        nav = soup(page).select_one("nav.md-nav--primary")
        assert nav is not None
        assert not any(a.get_text(strip=True) in titles for a in nav.find_all("a"))


def test_every_document_has_one_page_listed_in_each_of_its_columns(cat, example_site):
    pages = sorted(p.name for p in (example_site / "documents").glob("*.html"))
    assert pages == sorted(f"{d.id}.html" for d in cat.published_documents)
    links: dict[str, list[str]] = {}  # each column page parsed once, not once per document in it
    for doc in cat.published_documents:
        page = soup(example_site / doc.href)
        assert page.select_one("h1.gk-doc-title").get_text(strip=True) == doc.title
        for col in doc.columns:
            if col.href not in links:
                links[col.href] = [a["href"] for a in soup(example_site / col.href).select("main a")]
            target = "../" * (col.href.count("/")) + doc.href
            assert target in links[col.href], (doc.id, col.path)


def test_documents_list_newest_first_with_number_and_date(cat, example_site):
    col = next(c for c in cat.columns() if c.name == "部门文件")
    rows = soup(example_site / col.href).select("table.gk-doclist tbody tr")
    dates = [r.select("td")[-1].get_text(strip=True) for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert len(rows) == len(cat.documents_in(col))
    first = cat.documents_in(col)[0]
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert cells[0].startswith(first.title) and cells[1] == first.doc_number and cells[2] == first.published.isoformat()


def test_section_lists_children_and_link_and_page_kinds(cat, example_site):
    sec = next(c for c in cat.columns() if c.name == "法定主动公开内容")
    names = [a.get_text(strip=True) for a in soup(example_site / sec.href).select("a.gk-child__name")]
    assert names == [c.name for c in sec.children]
    link = next(c for c in cat.columns() if c.kind == "link")
    a = soup(example_site / link.href).select_one("p.gk-link a")
    assert a["href"] == link.url
    page = next(c for c in cat.columns() if c.name == "机构简介")
    text = soup(example_site / page.href).select_one(".gk-page-body").get_text()
    assert "贯彻执行国家和省有关民政工作" in text


def test_reports_grouped_by_year(cat, example_site):
    col = next(c for c in cat.columns() if c.kind == "reports")
    headings = [h.get_text(strip=True) for h in soup(example_site / col.href).select(".gk-report-year h2")]
    assert headings == ["2025 年度", "2024 年度", "2023 年度"]


def test_catalogue_table_lists_every_column(cat, example_site):
    rows = soup(example_site / "bzml/index.html").select("table.gk-catalogue tbody tr")
    cols = list(cat.columns())
    assert len(rows) == len(cols)
    for row, col in zip(rows, cols, strict=True):
        cells = [td.get_text(strip=True) for td in row.select("td")]
        chain = [a.name for a in col.ancestors] + [col.name]
        assert cells[1:4] == chain + [""] * (3 - len(chain))
        assert cells[4] == col.frequency and cells[5] == col.office
