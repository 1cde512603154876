"""Gov site conventions on every page: the gov meta tags, the footer from site.yml, the accessibility statement,
and a print stylesheet that prints a document without the navigation."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, REPO
from pagetypes import GOV_TAGS, gov_meta

SITE = yaml.safe_load((REPO / "catalog" / "site.yml").read_text(encoding="utf-8"))


def theme_pages(site: Path) -> list[Path]:
    """Every page rendered in the site's look (not the bare redirect notices for old URLs)."""
    pages = [p for p in sorted(site.rglob("*.html")) if 'class="md-header"' in p.read_text(encoding="utf-8")]
    assert len(pages) > 60
    return pages


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def every_page(example_site) -> dict[Path, dict]:
    """Each themed page parsed once: its gov meta tags and what its footer shows and links."""
    out: dict[Path, dict] = {}
    for path in theme_pages(example_site):
        page = soup(path)
        footer = page.select_one("footer")
        statement = footer.find("a", string="无障碍声明") if footer else None
        out[path] = {"meta": gov_meta(page), "footer": footer.get_text(" ", strip=True) if footer else "",
                     "statement": statement["href"] if statement else None,
                     "links": [a["href"] for a in footer.select("a[href]")] if footer else []}
    return out


def test_every_page_carries_every_gov_meta_tag_once(example_site, every_page):
    for path, facts in every_page.items():
        if path.name == "404.html":
            continue
        meta = facts["meta"]
        where = path.relative_to(example_site).as_posix()
        assert sorted(meta) == sorted(GOV_TAGS), where
        assert all(len(v) == 1 and v[0].strip() for v in meta.values()), (where, meta)
        assert meta["SiteName"] == [SITE["name"]]
        assert meta["SiteDomain"] == [urlsplit(SITE["site_url"]).hostname]
        assert meta["SiteIDCode"] == [SITE["site_id"]]


def test_document_page_meta_describes_the_document(example_site):
    page = soup(example_site / "documents" / "szmz-2024-3.html")
    meta = {k: v[0] for k, v in gov_meta(page).items()}
    assert meta["ArticleTitle"] == "示例市最低生活保障审核确认办法"
    assert meta["PubDate"] == "2024-03-15"
    assert meta["ContentSource"] == "示例市民政局"
    assert meta["ColumnName"] == "部门文件"
    canonical = page.select('link[rel="canonical"]')
    assert [c["href"] for c in canonical] == [SITE["site_url"] + "documents/szmz-2024-3.html"]
    assert page.title.string.startswith("示例市最低生活保障审核确认办法")


def test_column_page_meta_names_the_column(example_site):
    meta = {k: v[0] for k, v in gov_meta(soup(example_site / "zcwj" / "index.html")).items()}
    assert meta["ColumnName"] == meta["ArticleTitle"] == "政策文件"
    assert meta["ColumnType"] == "信息发布"
    assert meta["PubDate"] <= BUILD_DATE
    home = {k: v[0] for k, v in gov_meta(soup(example_site / "index.html")).items()}
    assert home["ColumnName"] == "首页"


def test_footer_on_every_page_has_host_contact_site_code_and_filings(example_site, every_page):
    contact = SITE["contact"]
    for path, facts in every_page.items():
        text = facts["footer"]
        where = path.relative_to(example_site).as_posix()
        for needle in (SITE["host"], contact["phone"], contact["address"], f"网站标识码：{SITE['site_id']}", SITE["icp"], SITE["psb"]):
            assert needle in text, (where, needle)
        assert facts["statement"] is not None, where
        if path.name == "404.html":
            continue  # served at any address: MkDocs writes it with links from the site root
        assert (path.parent / facts["statement"]).resolve() == (example_site / "accessibility" / "index.html").resolve()
        assert not [href for href in facts["links"] if href.startswith("http")], where


def test_accessibility_statement(example_site):
    page = soup(example_site / "accessibility" / "index.html")
    text = page.select_one(".md-content").get_text(" ", strip=True)
    for needle in ("GB/T 37668-2019", "WCAG 2.1 AA", "axe-core", "键盘", "已知局限", "长辈版", "375 像素", "400%",
                   SITE["contact"]["phone"], SITE["contact"]["email"]):
        assert needle in text, needle
    # dated by its own revision, not by the build: the same date whatever GONGKAI_BUILD_DATE says
    date = page.select_one(".gk-statement-date time")["datetime"]
    assert date != BUILD_DATE and date == "2026-12-01"
    # not a column: it is not in the navigation tabs
    assert "无障碍声明" not in page.select_one(".md-tabs").get_text()


@pytest.mark.parametrize("media", ["screen", "print"])
def test_print_stylesheet_drops_navigation_chrome(media, browser, example_url):
    page = browser.new_page()
    page.goto(example_url + "documents/szmz-2024-3.html")
    page.emulate_media(media=media)
    chrome = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".gk-breadcrumb"]
    visible = {sel: page.locator(sel).first.is_visible() for sel in chrome}
    assert page.locator("h1.gk-doc-title").is_visible()
    assert page.locator(".gk-docmeta").is_visible()
    head = page.locator(".gk-print-head")
    if media == "print":
        assert not any(visible.values()), visible
        # the printed page says where it comes from: site name, title, address
        text = head.inner_text()
        assert head.is_visible() and SITE["name"] in text and "示例市最低生活保障审核确认办法" in text
        assert SITE["site_url"] + "documents/szmz-2024-3.html" in text
    else:
        assert visible[".md-header"] and visible[".md-footer"] and not head.is_visible()
    page.close()


def test_every_printed_page_names_site_title_and_address(example_site):
    for rel in ("index.html", "zcwj/index.html", "bzml/index.html", "about/sitemap/index.html"):
        head = soup(example_site / rel).select_one(".gk-print-head").get_text(" ", strip=True)
        assert SITE["site_url"] + rel in head and "示例市民政局" in head, (rel, head)



def test_every_column_page_is_dated_by_its_newest_document(example_site):
    """PubDate of a column page: the newest publication date in it or in any column below it, else the build date
    (meta.latest_date; the plugin finds each column's once per build, children before their parents)."""
    import datetime as dt

    from gongkai.build import meta
    from gongkai.load.loader import load_catalogue

    cat = load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))
    dated: dict[str, int] = {"below": 0, "empty": 0}
    for col in cat.columns():
        page = example_site / col.href
        if not page.is_file():
            continue
        expected = meta.latest_date(cat, col)
        assert gov_meta(soup(page))["PubDate"] == [expected], col.href
        every = [d.published for c in col.walk() for d in cat.documents_in(c)]  # every row, not the first of each
        assert expected == max(every, default=cat.build_date).isoformat(), col.href
        own = max((d.published.isoformat() for d in cat.documents_in(col)), default=None)
        dated["below"] += own != expected and expected != BUILD_DATE
        dated["empty"] += expected == BUILD_DATE
    assert dated["below"] >= 5 and dated["empty"] >= 5  # sections dated by a grandchild's document; empty columns
