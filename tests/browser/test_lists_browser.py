"""Published lists in real headless Chromium: hidden by the reader's date after the 公示期 in a page built before
it, the filter over a 1,000-row list from file://, cards at 375 px."""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.lists.shapes import BIG_ROWS, make_big_site

from browser import axe_violations, watch
from conftest import run_build
from pagetypes import PAGE_TYPES

LIST = PAGE_TYPES["list"]
COLUMN = PAGE_TYPES["lists"]


def _open(browser, url: str, when: str | None = None, **ctx):
    context = browser.new_context(**ctx)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if when:
        page.clock.install(time=dt.datetime.fromisoformat(when + "T10:00:00+08:00"))
    page.goto(url)
    page.wait_for_load_state("load")
    page.errors = errors
    return page


def test_in_its_period_the_list_is_shown(browser, example_site):
    page = _open(browser, (example_site / LIST).as_uri(), "2026-11-27")
    assert page.locator("table.gk-datatable tbody tr").count() == 50
    assert page.locator("[data-gk-ended]").is_hidden()
    assert page.errors == []


def test_after_its_period_a_page_built_before_hides_the_list(browser, example_site):
    page = _open(browser, (example_site / LIST).as_uri(), "2026-11-28")
    assert page.locator("[data-gk-ended]").is_visible()
    assert "公示期已于 2026-11-27 结束" in page.inner_text("[data-gk-ended]")
    assert page.locator("table.gk-datatable").count() == 0  # removed, not only out of sight
    assert "330102" not in page.inner_text("body")
    page2 = _open(browser, (example_site / LIST.replace("index.html", "page-2.html")).as_uri(), "2026-12-01")
    assert page2.locator("table.gk-datatable").count() == 0
    column = _open(browser, (example_site / COLUMN).as_uri(), "2026-11-28")
    assert column.locator("ul.gk-lists li").count() == 0
    assert column.locator("[data-gk-lists-none]").is_visible()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    root = make_big_site(tmp_path_factory.mktemp("biglist"))
    result = run_build(root, "2026-11-24")
    assert result.returncode == 0, result.stderr
    return root / "site" / "jzdxgs" / "dibao-big" / "index.html"


def _rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("table.gk-datatable tbody tr",
                                     "rs => rs.map(r => Array.from(r.cells).map(c => c.textContent))")


def test_the_filter_searches_the_whole_list_from_file_urls(browser, big):
    page = _open(browser, big.as_uri(), "2026-11-24")
    page.wait_for_selector("form.gk-lfilter:not([hidden])")
    assert len(_rows(page)) == 50
    page.select_option("#gk-lf-2", "南湖镇北山村")
    rows = _rows(page)
    expected = sum(1 for n in range(BIG_ROWS) if n % 3 == 2)
    assert all(r[3] == "南湖镇北山村" for r in rows) and len(rows) == 50
    assert f"共 {expected} 条符合条件" in page.inner_text("[data-gk-list-status]")
    assert page.locator("[data-gk-pager]").is_hidden()
    # the rows come from the whole list: past the first static page (row 999 is the last of 北山村)
    page.get_by_role("button", name="下一页").click()
    page.fill("#gk-lq", "北山")
    assert "共 333 条" in page.inner_text("[data-gk-list-status]")
    page.select_option("#gk-lf-2", "")
    page.fill("#gk-lq", "")
    assert len(_rows(page)) == 50 and page.locator("[data-gk-pager]").is_visible()
    page.fill("#gk-lq", "没有这个地址")
    assert page.locator("[data-gk-list-none]").is_visible()
    assert page.errors == []


def test_the_filter_finds_the_last_rows(browser, big):
    page = _open(browser, big.as_uri(), "2026-11-24")
    page.wait_for_selector("form.gk-lfilter:not([hidden])")
    page.select_option("#gk-lf-2", "南湖镇北山村")
    for _ in range(6):
        page.get_by_role("button", name="下一页").click()
    rows = _rows(page)
    assert rows[-1][0] == str(BIG_ROWS - 1)  # 序号 999: the second-to-last row of the list, on its 7th page
    assert page.errors == []


def test_cards_at_phone_width(browser, example_site, example_url):
    page = browser.new_context(viewport={"width": 375, "height": 700}).new_page()
    page.clock.install(time=dt.datetime.fromisoformat("2026-11-24T10:00:00+08:00"))
    blocked, failed, console = watch(page)  # before the first request: nothing of an earlier load is cut off
    page.goto(example_url + LIST, wait_until="networkidle")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert page.eval_on_selector("table.gk-datatable tbody tr", "r => getComputedStyle(r).display") == "block"
    label = page.eval_on_selector("table.gk-datatable tbody td", "td => getComputedStyle(td, '::before').content")
    assert label == '"序号"'
    assert page.locator("table.gk-datatable thead").bounding_box()["height"] <= 1
    assert (blocked, failed, console) == ([], [], [])
    assert axe_violations(page) == []


def test_penalty_records_past_their_term_leave_the_page_and_the_filter(browser, big):
    url = (big.parent.parent.parent / "sgs" / "xzcf" / "index.html").as_uri()
    page = _open(browser, url, "2026-11-30")
    assert [r[1] for r in _rows(page)] == ["示民罚〔2023〕9号", "示民罚〔2026〕3号"]
    page = _open(browser, url, "2026-12-01")  # the 2023-12-01 decision's 36 months are over
    assert [r[1] for r in _rows(page)] == ["示民罚〔2026〕3号"]
    page.wait_for_selector("form.gk-lfilter:not([hidden])")
    page.select_option("#gk-lf-2", "警告")
    assert _rows(page) == [] and page.locator("[data-gk-list-none]").is_visible()
    page.select_option("#gk-lf-2", "")
    page.select_option("#gk-lf-6", "2026-03")  # a date field filters by month
    assert [r[1] for r in _rows(page)] == ["示民罚〔2026〕3号"]
    assert page.errors == []
