"""长辈版: a visible header toggle on every page, larger text, remembered across pages and visits, switchable back;
keyboard-only use reaches the search box, the toggle and the policy filters."""

from __future__ import annotations

import pytest

from browser import elder_on, font_px
from pagetypes import page_types


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    yield ctx
    ctx.close()


def test_every_page_type_has_the_toggle_in_its_header(example_site):
    for kind, href in page_types(example_site).items():
        html = (example_site / href.split("?")[0]).read_text(encoding="utf-8")
        header = html[html.index("<header"):html.index("</header>")]
        assert "data-gk-elder-toggle" in header and "长辈版" in header, kind


def test_elder_mode_persists_across_pages_and_visits(context, example_url):
    page = context.new_page()
    page.goto(example_url + "index.html")
    toggle = page.locator("[data-gk-elder-toggle]")
    assert toggle.is_visible() and toggle.inner_text().strip() == "长辈版"
    assert not elder_on(page)
    standard_px = font_px(page)
    assert standard_px < 20

    toggle.click()
    assert elder_on(page)
    assert font_px(page) >= 20
    assert toggle.inner_text().strip() == "退出长辈版"

    # another page, reached by a link
    page.locator(".md-content a[href*='documents/']").first.click()
    page.wait_for_load_state()
    assert "/documents/" in page.url
    assert elder_on(page)
    assert font_px(page, ".gk-doc-body p") >= 20
    assert font_px(page, ".gk-docmeta td") >= 20
    box = page.locator("[data-gk-elder-toggle]").bounding_box()
    assert box["height"] >= 44  # larger click target

    # a later visit, in a new tab of the same browser profile
    later = context.new_page()
    later.goto(example_url + "zcwj/index.html")
    assert elder_on(later)
    assert font_px(later, ".md-content__inner p, .md-content__inner td") >= 20

    # switch back: stays off on the next page too
    later.locator("[data-gk-elder-toggle]").click()
    assert not elder_on(later)
    later.goto(example_url + "index.html")
    assert not elder_on(later)
    assert font_px(later) == standard_px
    page.close()
    later.close()


def test_elder_mode_is_applied_before_first_paint(context, example_url):
    """The class is on <html> before <body> exists: no flash of the standard layout."""
    context.add_init_script("""
        localStorage.setItem('gongkai.elder', '1');
        window.__gkAtBody = null;
        new MutationObserver((_, obs) => {
          if (document.body && window.__gkAtBody === null) {
            window.__gkAtBody = document.documentElement.classList.contains('gk-elder');
            obs.disconnect();
          }
        }).observe(document, {childList: true, subtree: true});
    """)
    page = context.new_page()
    page.goto(example_url + "documents/szmz-2024-3.html")
    assert page.evaluate("window.__gkAtBody") is True
    page.close()


def focus_path(page, presses: int = 60) -> list[str]:
    """Tab through the page from the top; the id, data-attribute or text of each focused element."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("""() => { const e = document.activeElement;
            return e.id || (e.hasAttribute('data-gk-elder-toggle') ? 'elder-toggle' : '') || e.textContent.trim().slice(0, 20); }"""))
    return seen


def test_keyboard_reaches_skip_link_search_box_and_toggle(context, example_url):
    page = context.new_page()
    page.goto(example_url + "index.html")
    path = focus_path(page, 8)
    assert path[0] == "跳到正文"
    assert "gk-header-q" in path and "elder-toggle" in path
    # the focused control shows a visible focus ring
    page.focus("#gk-header-q")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    # the toggle works from the keyboard, and the search box submits with Enter
    while page.evaluate("!document.activeElement.hasAttribute('data-gk-elder-toggle')"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert elder_on(page)
    page.keyboard.press("Space")
    assert not elder_on(page)
    page.focus("#gk-header-q")
    page.keyboard.type("年度报告")
    page.keyboard.press("Enter")
    page.wait_for_selector(".gk-search-results li")
    assert "search/index.html" in page.url
    page.close()


def test_keyboard_reaches_the_policy_filters(context, example_url):
    page = context.new_page()
    page.goto(example_url + "zcwj/index.html", wait_until="networkidle")
    path = focus_path(page, 80)
    assert "gk-pq" in path, path
    assert any(p.startswith("gk-pf-") for p in path), path
    page.close()


def test_skip_link_moves_to_the_content(context, example_url):
    page = context.new_page()
    page.goto(example_url + "fdzdgknr/index.html")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("!!document.activeElement.closest('.md-content')")
    assert inside
    page.close()


@pytest.mark.parametrize("elder", [False, True])
def test_phone_width_keeps_the_toggle_on_screen_without_sideways_scrolling(browser, example_url, elder):
    ctx = browser.new_context(viewport={"width": 375, "height": 700})
    if elder:
        ctx.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    page = ctx.new_page()
    page.goto(example_url + "documents/szmz-2024-3.html")
    box = page.locator("[data-gk-elder-toggle]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    ctx.close()


def test_elder_mode_also_persists_when_browsing_from_file_urls(context, example_site):
    page = context.new_page()
    page.goto((example_site / "index.html").as_uri())
    page.locator("[data-gk-elder-toggle]").click()
    page.locator(".md-content a[href*='documents/']").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "/documents/" in page.url
    assert elder_on(page)
    assert font_px(page, ".gk-doc-body p") >= 20
    page.close()
