"""The pager of a large documents column in real headless Chromium at 375 px (issue 18): from file://, with and
without JavaScript, 下一页/上一页 lead through the pages, nothing sticks out, axe finds nothing.

The site: 350 解读 in 政策解读 (tests/fixtures/column_large.py), just above the paging threshold: 4 pages.
"""

from __future__ import annotations

import pytest
from fixtures.column_large import COLUMNS, DAY, documents

from browser import axe_violations, elder_on, new_context, overflow
from conftest import build_in_process, make_site
from gongkai.build.paging import ONE_PAGE_MAX, PAGE_ROWS

N = 350


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    assert N > ONE_PAGE_MAX
    root = make_site(tmp_path_factory.mktemp("column-pager"), COLUMNS, documents(N))
    build_in_process(root, DAY.isoformat(), {"GONGKAI_SEARCH": "0"})
    return root / "site" / "zcwj" / "zcjd"


@pytest.mark.parametrize(("js", "mode"), [(True, "standard"), (False, "standard"), (True, "elder")],
                         ids=["js", "nojs", "elder"])
def test_the_pager_at_375_px_from_file(browser, folder, js, mode):
    ctx = new_context(browser, 375, mode, java_script_enabled=js)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((folder / "index.html").as_uri())
        assert elder_on(page) == (mode == "elder")
        pages = -(-N // PAGE_ROWS)
        for k in range(1, pages + 1):
            pager = page.locator("nav.gk-pager")
            assert pager.is_visible()
            assert pager.locator(".gk-pager__where").inner_text() == f"第 {k} / {pages} 页"
            assert page.locator("table.gk-doclist tbody tr").count() == min(PAGE_ROWS, N - (k - 1) * PAGE_ROWS)
            o = overflow(page)
            assert o["scrollWidth"] <= o["width"], o
            box = pager.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
            if k < pages:  # the reader taps 下一页
                page.get_by_role("link", name="下一页").click()
                page.wait_for_url(f"**/page-{k + 1}.html")
        page.get_by_role("link", name="上一页").click()
        page.wait_for_url(f"**/page-{pages - 1}.html")
        if js:  # axe runs as a script in the page
            assert axe_violations(page) == []
        assert errors == []
    finally:
        ctx.close()


def test_table_columns_keep_their_alignment(browser, folder):
    """A GFM table's alignment, said once on the table (data-gk-align), still aligns every cell of its column."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto((folder.parent.parent / "documents" / "d00000.html").as_uri())
        table = page.locator(".gk-doc-body table")
        assert table.get_attribute("data-gk-align") == "1c 3r 4r 5r 6r"
        assert page.locator(".gk-doc-body td[align], .gk-doc-body th[align]").count() == 0
        aligns = page.evaluate("""() => [...document.querySelectorAll('.gk-doc-body tr')].map(
            tr => [...tr.children].map(c => getComputedStyle(c).textAlign))""")
        assert aligns == [["center", "left", "right", "right", "right", "right"]] * 4
    finally:
        page.close()
