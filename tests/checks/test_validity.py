"""Validity (有效性): the five labels, the default term, and labels that stay right after the build."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from conftest import make_site
from gongkai.checks.validity import add_years, default_expiry, validity
from gongkai.load.loader import load_catalogue
from gongkai.model import Document, Source

D = dt.date


def mk(**kw) -> Document:
    return Document(id="x", title=kw.pop("title", "办法"), published=D(2024, 1, 1), source=Source("x.md"), **kw)


@pytest.mark.parametrize(("kw", "label"), [
    ({"normative": True, "effective": D(2024, 2, 1), "expires": D(2029, 1, 31)}, "现行有效"),
    ({"normative": True, "effective": D(2027, 1, 1)}, "尚未生效"),
    ({"normative": True, "expires": D(2026, 11, 23)}, "已失效"),
    ({"normative": True, "status": "修改"}, "已修改"),
    ({"normative": True, "status": "废止", "expires": D(2030, 1, 1)}, "已废止"),
    ({"normative": True, "status": "失效"}, "已失效"),
])
def test_five_states(kw, label):
    assert validity(mk(**kw), D(2026, 11, 24)).label == label


def test_boundaries_are_inclusive():
    doc = mk(normative=True, effective=D(2026, 11, 24), expires=D(2026, 11, 24))
    assert validity(doc, D(2026, 11, 24)).label == "现行有效"
    assert validity(doc, D(2026, 11, 23)).label == "尚未生效"
    assert validity(doc, D(2026, 11, 25)).label == "已失效"


def test_plain_documents_carry_no_label():
    assert validity(mk(), D(2026, 11, 24)) is None


def test_default_term():
    assert default_expiry(mk(effective=D(2026, 4, 16)), 5, 2) == (D(2031, 4, 15), 5)
    assert default_expiry(mk(title="补贴暂行办法", effective=D(2026, 4, 16)), 5, 2) == (D(2028, 4, 15), 2)
    assert default_expiry(mk(title="实施细则（试行）"), 5, 2) == (D(2025, 12, 31), 2)  # from 发布日期
    assert add_years(D(2024, 2, 29), 5) == D(2029, 2, 28)


COLUMNS = "columns:\n  - name: 政策文件\n    id: zcwj\n    kind: policies\n"


def test_default_term_is_configurable_and_warned_with_file_and_line(tmp_path):
    site = "name: 测试局\norg_code: 11330100002489999F\nsite_url: https://t.example.gov.cn/\n" \
           "validity:\n  default_term_years: 3\n  provisional_term_years: 1\n"
    make_site(tmp_path, COLUMNS, {
        "a.md": "---\ntitle: 甲办法\npublished: 2024-01-10\ncolumns: [zcwj]\nnormative: true\ndoc_number: 示民规〔2024〕91号\neffective: 2024-02-01\n---\n",
        "b.md": "---\ntitle: 乙暂行办法\npublished: 2024-01-10\ncolumns: [zcwj]\nnormative: true\ndoc_number: 示民规〔2024〕92号\n---\n",
        "c.md": "---\ntitle: 丙办法\npublished: 2024-01-10\ncolumns: [zcwj]\nnormative: true\ndoc_number: 示民规〔2024〕93号\nexpires: 2030-01-01\n---\n",
    }, site_yml=site)
    cat = load_catalogue(tmp_path, D(2026, 11, 24))
    by = {d.id: d for d in cat.documents}
    assert by["a"].expires == D(2027, 1, 31) and by["a"].expires_default
    assert by["b"].expires == D(2025, 1, 9) and by["b"].expires_default
    assert by["c"].expires == D(2030, 1, 1) and not by["c"].expires_default
    warns = {(w.file, w.line, w.field): w.message for w in cat.warnings if w.field == "expires"}
    assert set(warns) == {("content/documents/a.md", 5, "expires"), ("content/documents/b.md", 5, "expires")}
    assert "3 年" in warns[("content/documents/a.md", 5, "expires")]
    assert "暂行" in warns[("content/documents/b.md", 5, "expires")] and "1 年" in warns[("content/documents/b.md", 5, "expires")]
    assert validity(by["b"], cat.build_date).label == "已失效"


# --- the built example: the label in the policies list and on the document page -------------------------

EXAMPLE_STATES = {
    "szmz-2024-3": "现行有效",
    "szmz-2026-4": "尚未生效",   # effective 2027-01-01
    "szmz-2021-6": "已修改",
    "szmz-2022-2": "已失效",     # expires 2024-04-30
    "szmz-2019-4": "已废止",
    "szmz-2026-2": "现行有效",   # default term: 暂行 → 2 years from 2026-04-16
}


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_example_labels_on_document_pages(example_site):
    for doc_id, label in EXAMPLE_STATES.items():
        s = _soup(example_site / "documents" / f"{doc_id}.html")
        meta = s.select_one("table.gk-docmeta")
        assert meta.select_one("[data-gk-validity]").get_text(strip=True) == label, doc_id
        banner = s.select_one("[data-gk-validity-banner]")
        assert banner.select_one("[data-gk-validity-text]").get_text(strip=True) == label, doc_id
    default = _soup(example_site / "documents" / "szmz-2026-2.html")
    assert default.select_one("[data-gk-validity]")["data-expires"] == "2028-04-15"


def test_example_labels_in_the_policies_list(example_site):
    s = _soup(example_site / "zcwj" / "index.html")
    for doc_id, label in EXAMPLE_STATES.items():
        rows = s.select(f'table.gk-policytable tr:has(a[href$="/{doc_id}.html"])')
        assert len(rows) == 1, doc_id
        assert rows[0].select_one("[data-gk-validity]").get_text(strip=True) == label, doc_id


# --- the reader's clock, in real Chromium ------------------------------------------------------------------


def _open_at(browser, url: str, when: str):
    page = browser.new_page()
    page.clock.install(time=dt.datetime.fromisoformat(when + "T10:00:00+08:00"))
    page.goto(url)
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize(("doc_id", "when", "label", "css"), [
    ("szmz-2024-3", "2029-05-01", "已失效", "expired"),     # built as 现行有效, expires 2029-04-14
    ("szmz-2024-3", "2026-11-25", "现行有效", "valid"),
    ("szmz-2026-4", "2027-01-02", "现行有效", "valid"),     # built as 尚未生效
    ("szmz-2026-2", "2028-04-16", "已失效", "expired"),     # default term ends 2028-04-15
    ("szmz-2019-4", "2020-01-01", "已废止", "repealed"),    # a status never depends on the clock
])
def test_label_follows_the_readers_clock(browser, example_site, doc_id, when, label, css):
    page = _open_at(browser, (example_site / "documents" / f"{doc_id}.html").as_uri(), when)
    badge = page.locator("table.gk-docmeta [data-gk-validity]")
    assert badge.inner_text() == label
    assert f"gk-badge--{css}" in badge.get_attribute("class")
    banner = page.locator("[data-gk-validity-banner]")
    assert banner.locator("[data-gk-validity-text]").inner_text() == label
    assert f"gk-banner--{css}" in banner.get_attribute("class")
    page.close()


def test_list_badges_follow_the_readers_clock(browser, example_site):
    page = _open_at(browser, (example_site / "zcwj" / "index.html").as_uri(), "2029-05-01")
    assert page.locator('tr:has(a[href$="/szmz-2024-3.html"]) [data-gk-validity]').inner_text() == "已失效"
    page.close()


def test_replacing_document_links_back_to_what_it_replaced(example_site):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((example_site / "documents" / "szmz-2024-3.html").read_text(encoding="utf-8"), "lxml")
    section = page.find("h2", id="gk-rel-old").parent
    links = {a["href"]: a.get_text(strip=True) for a in section.find_all("a")}
    assert links == {"szmz-2019-4.html": "示例市最低生活保障工作规程"}
    assert section.select_one(".gk-badge").get_text(strip=True) == "已废止"
    amended = BeautifulSoup((example_site / "documents" / "szmz-2025-1.html").read_text(encoding="utf-8"), "lxml")
    assert "szmz-2021-6.html" in [a["href"] for a in amended.find("h2", id="gk-rel-old").parent.find_all("a")]
    plain = BeautifulSoup((example_site / "documents" / "szmz-2023-5.html").read_text(encoding="utf-8"), "lxml")
    assert plain.find("h2", id="gk-rel-old") is None
