"""axe-core (npm, WCAG 2.1 A and AA rules) reports zero violations on every page type, standard and 长辈版."""

from __future__ import annotations

import json

import pytest

from browser import axe_violations
from pagetypes import PAGE_TYPES, page_types


@pytest.fixture(scope="module")
def contexts(browser):
    standard = browser.new_context()
    elder = browser.new_context()
    elder.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    yield {"standard": standard, "elder": elder}
    standard.close()
    elder.close()


@pytest.mark.parametrize("mode", ["standard", "elder"])
@pytest.mark.parametrize("kind", [*PAGE_TYPES, "package"])
def test_no_wcag21_aa_violations(kind, mode, contexts, example_site, example_url):
    page = contexts[mode].new_page()
    page.goto(example_url + page_types(example_site)[kind], wait_until="networkidle")
    if kind == "search":
        page.wait_for_selector(".gk-search-results li")
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')") == (mode == "elder")
    violations = axe_violations(page)
    page.close()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_axe_finds_a_real_violation(contexts, example_url):
    """The checker is live: an image without alt text on a real page is reported."""
    page = contexts["standard"].new_page()
    page.goto(example_url + "index.html")
    page.evaluate("""() => { const i = document.createElement('img'); i.src = 'assets/images/favicon.png';
                             document.querySelector('.md-content__inner').appendChild(i); }""")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]
    page.close()
