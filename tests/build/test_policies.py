"""The 政策文件 column (kind policies): two lists, facets, complete without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from conftest import REPO
from gongkai.load.loader import load_catalogue


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, dt.date(2026, 11, 24))


@pytest.fixture(scope="module")
def page(example_site):
    return BeautifulSoup((example_site / "zcwj" / "index.html").read_text(encoding="utf-8"), "lxml")


def _policy_docs(cat):
    return cat.documents_in(next(c for c in cat.columns() if c.kind == "policies"))


def _ids(table) -> list[str]:
    return [a["href"].rsplit("/", 1)[1].removesuffix(".html") for a in table.select("tbody tr td:first-child > a")]


def test_two_separate_lists_hold_every_published_document(cat, page):
    col = next(c for c in cat.columns() if c.kind == "policies")
    docs = cat.documents_in(col)
    normative = _ids(page.select_one("table#gk-normative"))
    others = _ids(page.select_one("table#gk-others"))
    assert normative == [d.id for d in docs if d.normative]  # newest first
    assert others == [d.id for d in docs if not d.normative]
    assert len(normative) >= 5 and len(others) >= 1
    assert page.select_one("#gk-normative-h").get_text().startswith("行政规范性文件")
    assert page.select_one("#gk-others-h").get_text().startswith("其他文件")


def test_rows_carry_title_number_index_publisher_date(cat, page):
    row = page.select_one('tr:has(a[href$="/szmz-2024-3.html"])')
    doc = cat.document("szmz-2024-3")
    assert row.select_one("td > a").get_text() == doc.title
    assert row.select("td")[1].get_text() == "示民规〔2024〕3号"
    assert row.select_one(".gk-i").get_text() == doc.index_no != ""
    assert row.select_one(".gk-p").get_text() == "示例市民政局"
    assert row.select_one("time")["datetime"] == "2024-03-15"
    assert row["data-t"] == "民政、扶贫、救灾\\社会福利"


def test_without_javascript_the_form_is_hidden_and_the_lists_complete(page):
    form = page.select_one("form.gk-pfilter")
    assert form.has_attr("hidden")
    for table in page.select("table.gk-policytable"):
        assert not table.has_attr("hidden")
    # the script is local and relative
    src = page.select_one('script[src$="policies.js"]')["src"]
    assert src == "../assets/gongkai/policies.js"


def test_facet_options(cat, page):
    years = [o["value"] for o in page.select("select[name=year] option") if o["value"]]
    assert years == sorted({str(d.published.year) for d in cat.documents_in(next(c for c in cat.columns() if c.kind == "policies"))}, reverse=True)
    topics = [o["value"] for o in page.select("select[name=topic] option") if o["value"]]
    assert "民政、扶贫、救灾" in topics and "民政、扶贫、救灾\\社会福利" in topics
    assert topics.index("民政、扶贫、救灾") < topics.index("民政、扶贫、救灾\\社会福利")
    states = [o["data-label"] for o in page.select("select[name=validity] option") if o["value"]]
    assert states == ["尚未生效", "现行有效", "已修改", "已失效", "已废止"]
    # the build's counts are in the options (policies.js recounts with the reader's date and the other conditions)
    year_counts = {o["value"]: o.get_text() for o in page.select("select[name=year] option") if o["value"]}
    assert year_counts["2025"] == f"2025 年（{sum(1 for d in _policy_docs(cat) if d.published.year == 2025)}）"
    publishers = [o["value"] for o in page.select("select[name=publisher] option") if o["value"]]
    assert publishers[0] == "示例市民政局"
    for select in page.select("form.gk-pfilter select"):
        assert page.select_one(f'label[for="{select["id"]}"]')  # every control is labelled


def test_interpretation_form_facet_and_row_links(cat, page):
    """Issue 16: the 解读 forms the example has are a filter, and each row links its 解读 by form."""
    docs = _policy_docs(cat)
    options = {o["value"]: o.get_text() for o in page.select("select[name=form] option") if o["value"]}
    with_jd = [d for d in docs if any(j.is_public for j in d.interpretations)]
    forms = {j.form for d in docs for j in d.interpretations if j.is_public and j.form}
    assert forms == {"文字解读", "图解", "视频"}  # the example's 解读 forms (content/documents/2026/*-jd*.md)
    assert options == {"*": f"有政策解读（{len(with_jd)}）", "文字解读": "文字解读（1）", "图解": "图解（1）", "视频": "视频（1）"}
    assert page.select_one('label[for="gk-pf-form"]').get_text() == "政策解读"
    row = page.select_one('tr:has(a[href$="/szmz-2026-4.html"])')
    links = [(a["href"], a["data-form"], a.get_text()) for a in row.select(".gk-jd a")]
    assert links == [("../documents/szmz-2026-4-jd.html", "文字解读", "文字解读"), ("../documents/szmz-2026-4-jd-sp.html", "视频", "视频")]
    # a 解读 without a form is linked too, and counts only for 有政策解读
    row = page.select_one('tr:has(a[href$="/szmz-2024-3.html"])')
    assert [(a["data-form"], a.get_text()) for a in row.select(".gk-jd a")] == [("", "查看")]


def test_a_small_column_keeps_every_row_on_its_one_page(cat, page, example_site):
    docs = _policy_docs(cat)
    assert len(page.select(".gk-policytable tbody tr")) == len(docs)
    assert page.select("[data-gk-pager]") == [] and page.select("script[data-gk-pdata]") == []
    assert not (example_site / "zcwj" / "_rows").exists()
    assert sorted(p.name for p in (example_site / "zcwj").iterdir()) == ["index.html"]


# --- the document page ----------------------------------------------------------------------------------


def _doc(example_site, doc_id):
    return BeautifulSoup((example_site / "documents" / f"{doc_id}.html").read_text(encoding="utf-8"), "lxml")


def _meta(s) -> dict[str, str]:
    cells = s.select("table.gk-docmeta th, table.gk-docmeta td")
    return {cells[i].get_text(strip=True): cells[i + 1].get_text(strip=True) for i in range(0, len(cells) - 1, 2)
            if cells[i].name == "th"}


def test_document_page_metadata_gov_cn_style(cat, example_site):
    doc = cat.document("szmz-2024-3")
    meta = _meta(_doc(example_site, "szmz-2024-3"))
    assert meta["索引号"] == doc.index_no
    assert meta["主题分类"] == "民政、扶贫、救灾\\社会福利"
    assert meta["发布机构"] == "示例市民政局"
    assert meta["成文日期"] == "2024-03-08" and meta["发布日期"] == "2024-03-15"
    assert meta["文号"] == "示民规〔2024〕3号"
    assert meta["有效性"] == "现行有效"
    assert meta["施行日期"] == "2024-04-15" and meta["有效期至"] == "2029-04-14"


def test_default_term_is_shown_as_such(example_site):
    meta = _meta(_doc(example_site, "szmz-2026-2"))
    assert meta["有效期至"].startswith("2028-04-15") and "默认有效期" in meta["有效期至"]


def test_policy_and_interpretation_link_both_ways(example_site):
    policy = _doc(example_site, "szmz-2024-3")
    assert [a["href"] for a in policy.select('section.gk-related[aria-labelledby="gk-rel-jd"] a')] == ["szmz-2024-3-jd.html"]
    jd = _doc(example_site, "szmz-2024-3-jd")
    assert [a["href"] for a in jd.select("section.gk-related a")] == ["szmz-2024-3.html"]


def test_banner_links_the_amending_document(example_site):
    banner = _doc(example_site, "szmz-2021-6").select_one("[data-gk-validity-banner]")
    assert "已修改" in banner.get_text() and "2025-03-01" in banner.get_text()
    assert banner.select_one("a")["href"] == "szmz-2025-1.html"
