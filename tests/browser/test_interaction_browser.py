"""互动回应 in real Chromium: a word only in an FAQ answer is found by the site search and leads to the answer;
留言选登 and the FAQ fit a 375 px phone in both modes; 「我要留言」 on a policy page. (axe and offline: the shared
page-type tests, tests/pagetypes.py.)"""

from __future__ import annotations

import pytest

from pagetypes import PAGE_TYPES


def test_a_word_only_in_an_faq_answer_is_found(browser, example_url, example_site):
    word = "家庭养老床位"  # only in the answer of catalog/faq.yml's yl-1
    hits = [p for p in example_site.rglob("*.html") if word in p.read_text(encoding="utf-8")]
    assert [p.relative_to(example_site).as_posix() for p in hits] == [PAGE_TYPES["faq"]]
    page = browser.new_page()
    page.goto(example_url + "search/index.html?q=" + word)
    page.wait_for_selector(".gk-search-results > li")
    first = page.locator(".gk-search-results > li").first
    assert "老人行动不便，能在家里享受养老机构的专业照护吗？" in first.inner_text()
    first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(PAGE_TYPES["faq"] + "#yl-1")
    assert page.locator("dt#yl-1").is_visible()
    page.close()


def test_a_published_letter_is_found_by_its_reply(browser, example_url):
    page = browser.new_page()
    page.goto(example_url + "search/index.html?q=儿童督导员")
    page.wait_for_selector(".gk-search-results > li")
    links = page.eval_on_selector_all(".gk-search-results > li a", "as => as.map(a => a.getAttribute('href'))")
    assert any(h.endswith("hdhy/lyxd/index.html#2026-003") for h in links), links
    page.close()


def test_a_letter_from_the_12345_export_is_found_by_its_reply(browser, example_url):
    page = browser.new_page()
    page.goto(example_url + "search/index.html?q=高龄津贴")
    page.wait_for_selector(".gk-search-results > li")
    links = page.eval_on_selector_all(".gk-search-results > li a", "as => as.map(a => a.getAttribute('href'))")
    assert any(h.endswith("hdhy/lyxd/index.html#gd2026100800417") for h in links), links
    page.close()


@pytest.mark.parametrize("elder", [False, True])
@pytest.mark.parametrize("kind", ["messages", "faq", "decision", "application", "statistics"])
def test_phone_width_without_sideways_scrolling(browser, example_url, kind, elder):
    ctx = browser.new_context(viewport={"width": 375, "height": 700})
    if elder:
        ctx.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    page = ctx.new_page()
    page.goto(example_url + PAGE_TYPES[kind])
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    ctx.close()


def test_ask_link_on_a_policy_page_only(browser, example_url):
    page = browser.new_page()
    page.goto(example_url + "documents/szmz-2024-3.html")  # a 行政规范性文件
    link = page.locator("aside.gk-ask a.gk-ask__link")
    assert link.inner_text() == "我要留言" and link.get_attribute("href") == "https://zwfw.example.gov.cn/hdjl/"
    page.locator("aside.gk-ask a", has_text="常见问题").click()
    page.wait_for_load_state()
    assert page.url.endswith(PAGE_TYPES["faq"])
    page.goto(example_url + "documents/szmz-2026-rs-1.html")  # 人事信息: not a policy
    assert page.locator("aside.gk-ask").count() == 0
    page.close()
