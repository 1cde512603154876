"""Every page type, at a desktop width (1280 px), a phone's (375 px) and 400 % zoom (320 CSS px), in the standard
layout and in 长辈版: axe-core finds no WCAG 2.1 A/AA violation and no landmark-unique / region finding; the page
never scrolls sideways (WCAG 1.4.10); Tab reaches every link, button and field, each shows a focus ring, and the
focus never lands on something the reader cannot see (WCAG 2.1.1, 2.4.7)."""

from __future__ import annotations

import json

import pytest

from browser import MODES, WIDTHS, axe_violations, new_context, overflow, tab_walk
from pagetypes import PAGE_TYPES, page_types

BEST_PRACTICE = ("landmark-unique", "region")  # one of each landmark, all content in landmarks


@pytest.fixture(scope="module")
def contexts(browser):
    made = {(w, m): new_context(browser, px, m) for w, px in WIDTHS.items() for m in MODES}
    yield made
    for ctx in made.values():
        ctx.close()


def open_page(contexts, width: str, mode: str, url: str, kind: str):
    page = contexts[width, mode].new_page()
    page.goto(url, wait_until="networkidle")
    if kind == "search":
        page.wait_for_selector(".gk-search-results li")
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')") == (mode == "elder")
    return page


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("kind", [*PAGE_TYPES, "package"])
def test_page_type_is_accessible_at_every_width(kind, width, mode, contexts, example_site, example_url):
    page = open_page(contexts, width, mode, example_url + page_types(example_site)[kind], kind)
    problems: dict[str, object] = {}
    wide = overflow(page)
    if wide["scrollWidth"] > wide["width"]:
        problems["sideways scrolling"] = wide
    # axe first, on the page as it opened: the Tab walk scrolls it, and Material then fades the tabs out
    violations = axe_violations(page, BEST_PRACTICE)
    if violations:
        problems["axe"] = violations
    stops, missed = tab_walk(page)
    if missed:
        problems["not reached by Tab"] = missed[:8]
    unseen = [s["html"] for s in stops if not s["seen"]]
    if unseen:
        problems["focus on something not visible"] = unseen[:8]
    no_ring = [s["html"] for s in stops if s["seen"] and not s["ring"]]
    if no_ring:
        problems["focus without a visible ring"] = no_ring[:8]
    page.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_axe_finds_a_real_violation(contexts, example_url):
    """The checker is live: an image without alt text on a real page is reported."""
    page = contexts["desktop", "standard"].new_page()
    page.goto(example_url + "index.html")
    page.evaluate("""() => { const i = document.createElement('img'); i.src = 'files/marks/logo.svg';
                             document.querySelector('.md-content__inner').appendChild(i); }""")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]
    page.close()


def test_the_width_checks_catch_what_they_look_for(contexts, example_url):
    """The checks are live: a line that does not wrap scrolls the page sideways, a link moved off screen takes focus unseen,
    a focus ring taken away is noticed, a link made unreachable is missed."""
    page = contexts["phone", "standard"].new_page()
    page.goto(example_url + "index.html", wait_until="networkidle")
    page.evaluate("""() => {
        const c = document.querySelector('.md-content__inner');
        c.insertAdjacentHTML('beforeend', '<p style="white-space:nowrap">' + '很长的一行文字'.repeat(20) + '</p>'
            + '<a href="#x" id="gk-test-off" style="position:absolute;left:-999px">看不见的链接</a>'
            + '<a href="#y" id="gk-test-noring" style="outline:none!important;box-shadow:none!important">没有焦点框</a>'
            + '<a href="#z" id="gk-test-skip" tabindex="-1">Tab 跳过的链接</a>');
    }""")
    assert overflow(page)["scrollWidth"] > 375
    stops, missed = tab_walk(page)
    assert any("gk-test-off" in s["html"] and not s["seen"] for s in stops)
    assert any("gk-test-noring" in s["html"] and s["seen"] and not s["ring"] for s in stops)
    assert missed == []
    # a link the keyboard cannot reach (a click handler on a <span> made to look like one is the usual case:
    # here a link whose Tab stop a script takes away after the page looked for it)
    page.evaluate("""() => { const e = document.getElementById('gk-test-skip'); e.tabIndex = 0;
                             new MutationObserver(() => {}).observe(e, {attributes: true}); }""")
    page.evaluate("""() => { document.addEventListener('focusin', ev => {
                             if (ev.target.id === 'gk-test-noring') document.getElementById('gk-test-skip').tabIndex = -1; }); }""")
    stops, missed = tab_walk(page)
    assert any("gk-test-skip" in m for m in missed)
    page.close()
