"""axe-core (npm, WCAG 2.1 A and AA rules) reports zero violations on every page type, standard and 长辈版."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from pagetypes import PAGE_TYPES, page_types

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    assert AXE.exists(), "找不到 axe-core：请先运行 npm ci（bash scripts/test.sh 会运行）"
    page.add_script_tag(path=str(AXE))
    # resultTypes: only violations are read, so axe need not build selectors for every passing node (its own advice
    # for speed); every rule still runs on every node
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


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
