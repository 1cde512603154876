"""重大行政决策 pages in the built example: the 事项目录 column, one page per decision with its stages, and the way
back from each stage's document."""

from __future__ import annotations

import posixpath
from pathlib import Path

from bs4 import BeautifulSoup

from pagetypes import PAGE_TYPES

CATALOGUE = PAGE_TYPES["decisions"]
DECISION = PAGE_TYPES["decision"]


def soup_of(site: Path, href: str) -> BeautifulSoup:
    return BeautifulSoup((site / href).read_text(encoding="utf-8"), "lxml")


def resolve(from_href: str, link: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_href), link))


def test_catalogue_lists_each_years_decisions_with_their_progress(example_site):
    page = soup_of(example_site, CATALOGUE)
    (year,) = page.select("section.gk-decision-year")
    assert year["data-year"] == "2026" and "公开日期：2026-03-27" in year.get_text()
    rows = year.select("tbody tr")
    cells = [[c.get_text(strip=True) for c in r.find_all(["th", "td"])] for r in rows]
    assert cells[0] == ["1", "制定《示例市困境儿童分类保障办法》", "示例市民政局儿童福利处",
                        "《国务院关于加强困境儿童保障工作的意见》（国发〔2016〕36号）", "2026年11月", "否", "已完成", "政策解读"]
    assert cells[1][5:] == ["是", "推进中", "征求意见"]
    links = [resolve(CATALOGUE, r.select_one("a")["href"]) for r in rows]
    assert links == ["decisions/2026-kjetbz/index.html", "decisions/2026-yljgdj/index.html"]
    assert all((example_site / href).is_file() for href in links)


def test_decision_page_shows_every_stage_in_order(example_site):
    page = soup_of(example_site, DECISION)
    stages = page.select("ol.gk-timeline > li.gk-stage")
    assert [s["data-stage"] for s in stages] == ["draft", "consultation", "feedback", "attendance", "decision",
                                                 "interpretation", "evaluation"]
    done = {s["data-stage"]: [resolve(DECISION, a["href"]) for a in s.select("a")] for s in stages}
    assert done["consultation"] == ["documents/szmz-2026-yjzj-1.html"]
    assert done["decision"] == ["documents/szmz-2026-4.html"]
    assert done["interpretation"] == ["documents/szmz-2026-4-jd.html", "documents/szmz-2026-4-jd-sp.html"]
    assert done["evaluation"] == [] and "尚未公开" in stages[-1].get_text()
    assert "gk-stage--pending" in stages[-1]["class"] and "gk-stage--done" in stages[0]["class"]
    # the 决策文件's validity badge is there for the reader's clock (gongkai.js)
    assert stages[4].select_one("[data-gk-validity]")["data-effective"] == "2027-01-01"
    # the 征求意见 period and its channels, the state as of the build date
    state = page.select_one(".gk-consultation [data-gk-consult]")
    assert (state["data-start"], state["data-end"], state.get_text()) == ("2026-08-12", "2026-09-11", "已截止")
    channels = [dt.get_text() for dt in page.select(".gk-consult-channels dt")]
    assert channels == ["在线提交", "电子邮件", "信函"]
    assert page.select_one('.gk-consult-channels a[href^="mailto:"]')["href"] == "mailto:etfl@mzj.example.gov.cn"


def test_each_stage_document_links_back_to_its_decision(example_site):
    for doc_id, stage in [("szmz-2026-4-qcsm", "决策草案"), ("szmz-2026-yjzj-1", "征求意见"), ("szmz-2026-yjfk-1", "意见反馈"),
                          ("szmz-2026-lx-1", "列席"), ("szmz-2026-4", "决策文件"), ("szmz-2026-4-jd", "政策解读")]:
        href = f"documents/{doc_id}.html"
        box = soup_of(example_site, href).select_one("aside.gk-decision-box")
        assert box is not None, doc_id
        assert f"「{stage}」阶段" in box.get_text()
        assert resolve(href, box.select_one("a.gk-decision-link")["href"]) == DECISION
    assert soup_of(example_site, "documents/szmz-2024-3.html").select_one("aside.gk-decision-box") is None


def test_an_open_consultation_notice_says_how_to_take_part(example_site):
    page = soup_of(example_site, "documents/szmz-2026-yjzj-2.html")
    state = page.select_one("[data-gk-consult]")
    assert (state["data-end"], state.get_text()) == ("2026-12-16", "征集中")  # open on the build date, 2026-11-24
    assert "https://zwfw.example.gov.cn/yjzj/yljgdj/" in [a["href"] for a in page.select(".gk-consult-channels a")]
    # the other stage documents of a decision show no 参与方式
    assert soup_of(example_site, "documents/szmz-2026-4.html").select_one(".gk-consultation") is None


def test_decision_pages_are_in_the_sitemap(example_site):
    text = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "decisions/2026-kjetbz/" in text and "fdzdgknr/zdjcygk/jcsxml/" in text
