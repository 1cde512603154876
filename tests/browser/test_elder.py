"""长辈版: a visible header toggle on every page, larger text, remembered across pages and visits, switchable back;
keyboard-only use reaches the search box, the toggle and the policy filters."""

from __future__ import annotations

import pytest

from browser import elder_on, font_px, new_context, placeholder_fit
from pagetypes import page_types


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    yield ctx
    ctx.close()


def test_every_page_type_has_the_toggle_in_its_header(example_site):
    for kind, href in page_types(example_site).items():
        if kind == "notfound":  # 404.html: a page of its own, no header (tests/test_citizen.py)
            continue
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


@pytest.mark.parametrize("width", [375, 320])
@pytest.mark.parametrize("elder", [False, True])
def test_phone_width_keeps_the_header_on_screen_without_sideways_scrolling(browser, example_site, example_url, elder, width):
    """The header's controls stay on screen and no page type scrolls sideways (the 长辈版 policies list was
    613 px wide at 375, the search box 446 px, the 标准目录 20,544 px tall with one character a line)."""
    ctx = new_context(browser, width, "elder" if elder else "standard")
    page = ctx.new_page()
    for kind, href in page_types(example_site).items():
        page.goto(example_url + href, wait_until="networkidle")
        for control in () if kind == "notfound" else ("[data-gk-elder-toggle]", "[data-gk-menu]", "#gk-header-q", ".gk-header-search__button"):
            box = page.locator(control).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (kind, control, box)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width, kind
        if kind == "catalogue":
            # a card per column, not a character per line: the page is not much taller than the number of rows
            rows = page.locator("table.gk-catalogue tbody tr").count()
            # the table's own height: the 公开事项 and 第二十条 sections below it are more than one row a column
            height = page.evaluate("document.querySelector('table.gk-catalogue').getBoundingClientRect().height")
            assert height < rows * (190 if elder else 120), (height, rows)
        if kind in ("policies", "documents"):
            # titles use the width: a card's title is as wide as the list, not squeezed into a column
            widths = page.eval_on_selector_all(".gk-doclist td.gk-col-title", "els => els.map(e => e.getBoundingClientRect().width)")
            assert widths and min(widths) > width * 0.8, (kind, widths[:3])
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


# --- narrow widths: the drawer of columns (issue 17) ----------------------------------------------------------


@pytest.mark.parametrize("width, elder", [(375, False), (375, True), (320, True)])
def test_menu_button_opens_the_drawer_from_the_keyboard(browser, example_url, width, elder):
    ctx = new_context(browser, width, "elder" if elder else "standard")
    page = ctx.new_page()
    page.goto(example_url + "fdzdgknr/zcfg/bmwj/index.html", wait_until="networkidle")
    button = page.locator("[data-gk-menu]")
    assert button.evaluate("e => e.tagName") == "BUTTON" and button.is_visible()
    assert button.get_attribute("aria-expanded") == "false" and button.get_attribute("aria-controls") == "gk-drawer"
    drawer_links = page.locator("#gk-drawer a[href]")
    assert drawer_links.count() > 5
    # closed: the drawer's links are neither visible nor in the Tab order
    assert page.evaluate("document.getElementById('gk-drawer').inert")
    path = focus_path(page, 12)
    assert "gk-header-q" in path and not any(p in ("机构职能", "部门文件") for p in path)
    # Tab reaches the button; Enter opens the drawer and moves the focus into it
    page.keyboard.press("Shift+Tab")
    while page.evaluate("!document.activeElement.hasAttribute('data-gk-menu')"):
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)  # the drawer slides in
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("!!document.activeElement.closest('#gk-drawer')")
    box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
    assert box["left"] >= 0 and box["right"] <= width
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#gk-drawer')")
    # Escape closes it and gives the focus back to the button
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.hasAttribute('data-gk-menu')")
    assert page.evaluate("document.getElementById('gk-drawer').inert")
    ctx.close()


def test_without_javascript_the_closed_drawer_takes_no_tab_stop(browser, example_url):
    """No script: the <label> still opens the drawer for a mouse or a finger; closed, its links are hidden, not only
    moved off screen, so Tab never lands on them."""
    ctx = browser.new_context(viewport={"width": 375, "height": 700}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(example_url + "fdzdgknr/index.html")
    assert not page.locator("[data-gk-menu]").is_visible() and page.locator(".gk-menu-label").is_visible()
    texts = []
    for _ in range(15):
        page.keyboard.press("Tab")
        texts.append(page.evaluate("document.activeElement.closest('#gk-drawer') ? 'drawer' : document.activeElement.textContent.trim().slice(0, 10)"))
    assert "drawer" not in texts and "搜索" in texts
    page.locator(".gk-menu-label").click()
    page.wait_for_timeout(300)
    assert page.locator("#gk-drawer a[href*='zcfg']").first.is_visible()
    ctx.close()


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_the_header_search_placeholder_is_shown_whole(browser, example_url, mode):
    """At 375 px in 长辈版 the box showed 「搜索文件、文」: now the whole placeholder fits at 1280 and 375 px, and at
    320 px (400 % zoom) 长辈版 shows the short one, whole; switching the mode or the width refits it."""
    seen = {}
    for width in (1280, 375, 320):
        ctx = new_context(browser, width, mode)
        page = ctx.new_page()
        page.goto(example_url + "zcwj/index.html")
        m = placeholder_fit(page, "#gk-header-q")
        assert m["scroll"] <= m["client"], (width, m)
        seen[width] = m["placeholder"]
        ctx.close()
    full = "搜索文件、文号"
    assert seen == {1280: full, 375: full, 320: full if mode == "standard" else "文件、文号"}
    # the reader switches 长辈版 on or off at 320 px, or turns the phone: the placeholder follows
    ctx = new_context(browser, 320, mode)
    page = ctx.new_page()
    page.goto(example_url + "index.html")
    page.locator("[data-gk-elder-toggle]").click()
    m = placeholder_fit(page, "#gk-header-q")
    assert m["scroll"] <= m["client"] and m["placeholder"] == ("文件、文号" if mode == "standard" else full)
    page.set_viewport_size({"width": 667, "height": 375})
    page.wait_for_function("document.getElementById('gk-header-q').placeholder === '搜索文件、文号'")
    ctx.close()
