"""重大行政决策 in real Chromium: from the 事项目录 through every stage of a decision and back; the 征求意见 state
follows the reader's clock."""

from __future__ import annotations

import datetime as dt

from pagetypes import PAGE_TYPES


def test_follow_the_timeline_through_every_stage_and_back(browser, example_url):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(example_url + PAGE_TYPES["decisions"])
    page.get_by_role("link", name="制定《示例市困境儿童分类保障办法》").click()
    page.wait_for_load_state()
    assert page.url.endswith("decisions/2026-kjetbz/index.html")
    assert page.locator("h1.gk-title").inner_text() == "制定《示例市困境儿童分类保障办法》"
    stages = page.locator("ol.gk-timeline > li.gk-stage")
    visited = []
    for i in range(stages.count()):
        stage = stages.nth(i)
        label = stage.locator(".gk-stage__label").inner_text()
        links = stage.locator("a")
        if links.count() == 0:
            assert "尚未公开" in label
            continue
        title = links.first.inner_text()
        links.first.click()
        page.wait_for_load_state()
        assert page.locator("h1.gk-doc-title").inner_text() == title
        box = page.locator("aside.gk-decision-box")
        assert box.is_visible()
        visited.append(box.inner_text().split("的「")[1].split("」")[0])
        box.locator("a.gk-decision-link").click()  # back to the decision
        page.wait_for_load_state()
        assert page.url.endswith("decisions/2026-kjetbz/index.html")
    assert visited == ["决策草案", "征求意见", "意见反馈", "列席", "决策文件", "政策解读"]
    # and from the decision up to the 事项目录 through the breadcrumb
    page.locator("nav.gk-breadcrumb a", has_text="重大行政决策事项目录").click()
    page.wait_for_load_state()
    assert page.url.endswith(PAGE_TYPES["decisions"])
    assert errors == []
    page.close()


def state_on(browser, url: str, day: str) -> tuple[str, str]:
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=dt.datetime.fromisoformat(day + "T10:00:00+08:00"))
    page.goto(url)
    el = page.locator("[data-gk-consult]").first
    out = (el.inner_text(), el.get_attribute("data-gk-state") or "")
    context.close()
    return out


def test_open_consultation_closes_with_a_later_clock(browser, example_url):
    notice = example_url + "documents/szmz-2026-yjzj-2.html"
    assert state_on(browser, notice, "2026-11-24") == ("征集中", "open")
    assert state_on(browser, notice, "2026-12-16") == ("征集中", "open")  # the closing day is still open
    assert state_on(browser, notice, "2026-12-17") == ("已截止", "closed")
    assert state_on(browser, notice, "2026-11-10") == ("未开始", "upcoming")
    decision = example_url + "decisions/2026-yljgdj/index.html"
    assert state_on(browser, decision, "2027-01-05") == ("已截止", "closed")


def test_the_state_is_there_without_javascript(browser, example_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url + "documents/szmz-2026-yjzj-2.html")
    assert page.locator("[data-gk-consult]").inner_text() == "征集中"  # as built on 2026-11-24
    context.close()
