"""The built site references no outside host: every page type opens with all non-localhost requests blocked."""

from __future__ import annotations

import re

import pytest
import yaml

from browser import watch
from conftest import REPO
from pagetypes import PAGE_TYPES, page_types

URL_RE = re.compile(r"""https?://[^\s"'<>)）]+""")
# XML namespaces are names, not requests.
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.sitemaps.org/schemas/sitemap/0.9")


def declared_links() -> set[str]:
    """Addresses an editor declared: link columns, packages' online services, the 依申请 and 留言 platforms of
    site.yml, the online forms of 征求意见 (decisions.yml)."""
    out: set[str] = set()

    def walk(cols):
        for c in cols or []:
            if c.get("url"):
                out.add(c["url"])
            walk(c.get("children"))

    walk(yaml.safe_load((REPO / "catalog" / "columns.yml").read_text(encoding="utf-8"))["columns"])
    for name in ("packages.yml", "decisions.yml"):
        path = REPO / "catalog" / name
        if path.exists():
            out |= set(re.findall(r"https?://[^\s\"'<>)）]+", path.read_text(encoding="utf-8")))
    # site.yml: the marks' links (党政机关网站标识, 我为政府网站找错), 常用服务 given as addresses, the 依申请 and 留言 platforms
    site = yaml.safe_load((REPO / "catalog" / "site.yml").read_text(encoding="utf-8"))
    for mark in (site.get("marks") or {}).values():
        if isinstance(mark, dict) and mark.get("url"):
            out.add(mark["url"])
    out |= {s["url"] for s in (site.get("home") or {}).get("services", []) if s.get("url")}
    out |= {u for u in ((site.get("application") or {}).get("online"), (site.get("interaction") or {}).get("url")) if u}
    return out


def test_no_outside_address_in_built_files(example_site):
    """Only site_url (canonical links), declared external links and XML namespaces may appear in HTML/CSS/JS."""
    site_url = yaml.safe_load((REPO / "catalog" / "site.yml").read_text(encoding="utf-8"))["site_url"]
    allowed = declared_links()
    bad: dict[str, set[str]] = {}
    # Every page, and our own scripts and styles. The theme's minified files carry licence URLs in
    # comments and a URL-parsing placeholder (https://example.com): that they fetch nothing is checked in the browser.
    files = [*example_site.rglob("*.html"), *(example_site / "assets" / "gongkai").rglob("*")]
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace") if path.suffix in (".html", ".css", ".js", ".json") else ""
        for url in URL_RE.findall(text):
            if url.startswith(site_url) or url in allowed or url.startswith(NAMESPACES):
                continue
            bad.setdefault(path.relative_to(example_site).as_posix(), set()).add(url)
    assert bad == {}


def test_no_font_or_script_from_cdn(example_site):
    html = (example_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "unpkg.com" not in html and "cdn.jsdelivr" not in html
    assert "squidfunk.github.io" not in html  # no "Made with" link in the footer


@pytest.mark.parametrize("kind", [*PAGE_TYPES, "package"])
def test_page_type_opens_with_outside_requests_blocked(kind, browser, example_site, example_url):
    url = example_url + page_types(example_site)[kind]
    page = browser.new_page()
    blocked, failed, console_errors = watch(page)
    page.goto(url, wait_until="networkidle")
    if kind == "search":
        page.wait_for_selector(".gk-search-results li")
    assert page.locator("h1").count() >= 1
    assert blocked == []
    assert failed == []
    assert console_errors == []
    page.close()


def test_home_logo_and_drawer_lead_home_from_a_folder(browser, example_site):
    """Opened from disk, the logo and the drawer's title open index.html, not a directory listing."""
    page = browser.new_page(viewport={"width": 375, "height": 700})
    page.goto((example_site / "fdzdgknr" / "zcfg" / "bmwj" / "index.html").as_uri())
    page.locator("a.gk-brand").click()
    page.wait_for_load_state()
    assert page.url == (example_site / "index.html").as_uri()
    page.goto((example_site / "zcwj" / "index.html").as_uri())
    assert page.locator(".md-nav__title a.md-logo").get_attribute("href") == "../index.html"
    page.close()


def test_search_page_from_file_url_finds_a_document(browser, example_site):
    """Opened from disk (no web server): the index is loaded with script tags, so search works and its link opens."""
    page = browser.new_page()
    failed: list[str] = []
    console_errors: list[str] = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    # the site's own files (index scripts included) all load; outside addresses are the test above's business
    page.on("requestfailed", lambda req: failed.append(req.url) if req.url.startswith("file:") else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    page.goto((example_site / "search" / "index.html").as_uri() + "?q=最低生活保障")
    page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.includes('结果')")
    assert "找到" in page.inner_text("[data-gk-search-status]")
    first = page.locator(".gk-result__title").first
    title = first.inner_text()
    assert "最低生活保障" in title
    # excerpts too: the text files around the hits load from disk, the words marked in them
    marked = page.locator(".gk-result__excerpt mark")
    assert marked.count() > 0 and "最低生活保障" in marked.all_inner_texts()
    # a second query typed into the form, from the same file:// page
    page.fill("#gk-search-q", "政府信息公开")
    page.press("#gk-search-q", "Enter")
    page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.includes('政府信息公开')")
    assert page.locator(".gk-result").count() > 0
    page.locator(".gk-result__title").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.locator("h1").count() >= 1
    assert (failed, console_errors) == ([], [])
    page.close()


def test_the_blocking_harness_catches_an_outside_request(browser, example_url):
    """The check is live: a page that asks an outside host for a font is caught."""
    page = browser.new_page()
    blocked, failed, _ = watch(page)
    page.goto(example_url + "index.html", wait_until="networkidle")
    with page.expect_event("requestfailed"):
        page.evaluate("""() => { const l = document.createElement('link'); l.rel = 'stylesheet';
                                 l.href = 'https://fonts.googleapis.com/css?family=Roboto'; document.head.appendChild(l); }""")
    assert blocked == ["https://fonts.googleapis.com/css?family=Roboto"]
    assert failed == blocked
    page.close()
