"""The 政策文件 lists in real headless Chromium: facets, search, shareable URLs, file://."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import REPO
from gongkai.load.loader import load_catalogue


@pytest.fixture(scope="module")
def policy_docs():
    cat = load_catalogue(REPO, dt.date(2026, 11, 24))
    col = next(c for c in cat.columns() if c.kind == "policies")
    return cat.documents_in(col)


@pytest.fixture(scope="module")
def file_url(example_site):
    return (example_site / "zcwj" / "index.html").as_uri()


def _open(browser, url: str, when: str | None = None):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if when:
        page.clock.install(time=dt.datetime.fromisoformat(when + "T10:00:00+08:00"))
    page.goto(url)
    page.wait_for_selector("form.gk-pfilter:not([hidden])")
    page.errors = errors
    return page


def _shown(page) -> dict[str, list[str]]:
    out = {}
    for list_id in ("gk-normative", "gk-others"):
        hrefs = page.eval_on_selector_all(f"#{list_id} tbody tr td:first-child > a", "els => els.map(a => a.getAttribute('href'))")
        out[list_id] = [h.rsplit("/", 1)[1].removesuffix(".html") for h in hrefs]
    return out


def _years(page) -> set[str]:
    return set(page.eval_on_selector_all(".gk-policytable tbody time", "els => els.map(t => t.dateTime.slice(0, 4))"))


def test_filter_by_year_leaves_only_that_year(browser, file_url, policy_docs):
    page = _open(browser, file_url)
    assert len(_years(page)) > 2
    page.select_option("select[name=year]", "2025")
    shown = _shown(page)
    expected = [d.id for d in policy_docs if d.published.year == 2025]
    assert sorted(shown["gk-normative"] + shown["gk-others"]) == sorted(expected)
    assert _years(page) == {"2025"}
    assert "行政规范性文件" in page.inner_text(".gk-pfilter__status")
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("query", ["示民规〔2024〕3号", "示民规[2024]3号", "示民规 2024 3号", "2024〕3"])
def test_search_finds_a_document_by_its_number(browser, file_url, query):
    page = _open(browser, file_url)
    page.fill("#gk-pq", query)
    page.wait_for_function("q => document.querySelector('[data-gk-policies]').dataset.gkReady.includes('q=')", arg=query)
    shown = _shown(page)
    assert shown == {"gk-normative": ["szmz-2024-3"], "gk-others": []}
    assert not page.is_visible("#gk-others")
    assert page.is_visible("text=没有符合条件的其他文件。")
    page.close()


def test_search_by_index_number_and_title(browser, file_url, policy_docs):
    doc = next(d for d in policy_docs if d.id == "szmz-2025-12")
    page = _open(browser, file_url)
    page.fill("#gk-pq", doc.index_no)
    page.wait_for_function("() => document.querySelector('[data-gk-policies]').dataset.gkReady.includes('q=')")
    assert _shown(page) == {"gk-normative": [], "gk-others": ["szmz-2025-12"]}
    page.fill("#gk-pq", "养老")
    page.wait_for_function("() => decodeURIComponent(document.querySelector('[data-gk-policies]').dataset.gkReady).includes('养老')")
    shown = _shown(page)
    assert sorted(shown["gk-normative"] + shown["gk-others"]) == sorted(d.id for d in policy_docs if "养老" in d.title)
    page.close()


def test_a_filter_url_reopens_the_same_view(browser, file_url):
    page = _open(browser, file_url)
    page.select_option("select[name=topic]", "民政、扶贫、救灾\\社会福利")
    page.select_option("select[name=publisher]", "示例市民政局")
    page.fill("#gk-pq", "办法")
    page.wait_for_function("() => document.querySelector('[data-gk-policies]').dataset.gkReady.includes('q=')")
    view, url = _shown(page), page.url
    assert "#" in url and "topic=" in url and "q=" in url
    assert view["gk-normative"]
    page.close()
    again = _open(browser, url)
    assert _shown(again) == view
    assert again.input_value("select[name=topic]") == "民政、扶贫、救灾\\社会福利"
    assert again.input_value("#gk-pq") == "办法"
    # clearing the conditions shows everything again and clears the URL
    again.click("button[type=reset]")
    again.wait_for_function("() => document.querySelector('[data-gk-policies]').dataset.gkReady === ''")
    assert "#" not in again.url.rstrip("#")
    assert len(sum(_shown(again).values(), [])) > len(sum(view.values(), []))
    again.close()


def test_validity_facet_uses_the_readers_date(browser, file_url):
    # on 2029-05-01 the 2024 rules (expires 2029-04-14) have lapsed in the reader's browser
    page = _open(browser, file_url + "#validity=expired", when="2029-05-01")
    shown = _shown(page)
    assert "szmz-2024-3" in shown["gk-normative"] and "szmz-2022-2" in shown["gk-normative"]
    labels = page.eval_on_selector_all("#gk-normative [data-gk-validity]", "els => els.map(e => e.textContent)")
    assert set(labels) == {"已失效"}
    page.close()
    today = _open(browser, file_url + "#validity=expired", when="2026-11-24")
    assert _shown(today)["gk-normative"] == ["szmz-2022-2"]
    today.close()


def test_works_over_http_too(browser, example_url):
    page = _open(browser, example_url + "zcwj/index.html#year=2026")
    assert _years(page) == {"2026"}
    assert page.errors == []
    page.close()


FIRST_ROW = """() => {
    const row = document.querySelector('#gk-normative tbody tr'), first = row.querySelector('a').getClientRects()[0];
    const more = document.getElementById('gk-pfilter-more'), toggle = document.querySelector('.gk-pfilter__toggle');
    return {row: row.getBoundingClientRect().top, title: first.bottom, height: innerHeight,
            facets: !more.hidden && more.getClientRects().length > 0, toggle: toggle.checkVisibility(),
            expanded: toggle.getAttribute('aria-expanded'), search: document.getElementById('gk-pq').checkVisibility()};
}"""


def _toggle_label(page) -> str:
    """「筛选」's visible text (without its visually hidden part)."""
    return page.evaluate("""() => [...document.querySelector('.gk-pfilter__toggle').childNodes]
        .filter(n => !(n.classList && n.classList.contains('gk-visually-hidden'))).map(n => n.textContent).join('')""")


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_on_a_phone_the_facets_fold_and_the_list_starts_on_the_first_screen(browser, example_url, mode):
    """At 375 × 667 the facets in one column filled the first screen (the list began at 1,029 px; 1,415 px in
    长辈版): they fold behind 「筛选」, which says how many are set, the search box stays, and the first row's title
    is on the first screen. At 1280 px the panel is as it was: open, no button."""
    from browser import axe_violations, new_context, placeholder_fit

    ctx = new_context(browser, 375, mode)
    page = ctx.new_page()
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(example_url + "zcwj/index.html")
    page.wait_for_selector("[data-gk-policies][data-gk-ready]")
    m = page.evaluate(FIRST_ROW)
    assert m["row"] < m["height"] and m["title"] <= m["height"], m
    assert (m["facets"], m["toggle"], m["expanded"], m["search"]) == (False, True, "false", True)
    fit = placeholder_fit(page, "#gk-pq")  # beside 「搜索」 and 「筛选」 the long one would be cut: the short one, whole
    assert fit["scroll"] <= fit["client"] and fit["placeholder"] == "标题或文号", fit
    assert axe_violations(page, ("landmark-unique", "region")) == []
    toggle = page.locator(".gk-pfilter__toggle")
    assert _toggle_label(page) == "筛选" and page.get_by_role("button", name="筛选", exact=True).is_visible()
    toggle.focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    assert page.evaluate(FIRST_ROW)["facets"] and toggle.get_attribute("aria-expanded") == "true"
    page.select_option("select[name=year]", "2025")
    page.select_option("select[name=validity]", "valid")
    assert _toggle_label(page) == "筛选（2）"  # what is seen; and what is read out:
    assert page.get_by_role("button", name="筛选 已选 2 项条件", exact=True).is_visible()
    assert axe_violations(page, ("landmark-unique", "region")) == []
    toggle.click()  # folded again: the count stays in sight, the rows are filtered
    assert not page.evaluate(FIRST_ROW)["facets"] and _toggle_label(page) == "筛选（2）"
    assert page.evaluate("location.hash") == "#year=2025&validity=valid"
    # a shared link with conditions opens folded, counting them
    page.goto(example_url + "zcwj/index.html#year=2025")
    page.reload()
    page.wait_for_selector("[data-gk-policies][data-gk-ready]")
    assert _toggle_label(page) == "筛选（1）" and not page.evaluate(FIRST_ROW)["facets"]
    page.locator("button[type=reset]").evaluate("b => b.click()")  # 清除条件 (inside the folded panel)
    page.wait_for_function("document.querySelector('.gk-pfilter__toggle').textContent === '筛选'")
    # turning the phone or widening the window opens the panel and hides the button
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function("!document.querySelector('.gk-pfilter__toggle').checkVisibility()")
    m = page.evaluate(FIRST_ROW)
    assert m["facets"] and m["expanded"] == "true"
    ctx.close()
    wide = new_context(browser, 1280, mode)
    page = wide.new_page()
    page.goto(example_url + "zcwj/index.html")
    page.wait_for_selector("[data-gk-policies][data-gk-ready]")
    m = page.evaluate(FIRST_ROW)
    assert (m["facets"], m["toggle"], m["search"]) == (True, False, True)
    fit = placeholder_fit(page, "#gk-pq")
    assert fit["scroll"] <= fit["client"] and fit["placeholder"] == "输入标题、文号或索引号中的文字", fit
    labels = page.eval_on_selector_all(".gk-pfilter label", "ls => ls.map(l => l.checkVisibility() && l.textContent)")
    assert labels == ["搜索政策文件", "发布机构", "发布年份", "主题分类", "有效性", "政策解读"]
    assert axe_violations(page, ("landmark-unique", "region")) == []
    wide.close()
