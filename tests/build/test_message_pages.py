"""留言选登 built from the example's 12345 export: the page shows the agreed rows masked, the export stays out."""

from __future__ import annotations

from bs4 import BeautifulSoup


def page(site, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def test_the_export_rows_are_on_the_page_masked_and_newest_first(example_site):
    doc = page(example_site, "hdhy/lyxd/index.html")
    items = doc.select("li.gk-message")
    ids = [li["id"] for li in items]
    assert ids == ["2026-003", "gd2026110300562", "2026-002", "gd2026101500088", "gd2026100800417", "2026-001"]
    row = doc.select_one("#gd2026101500088")
    meta = row.select_one(".gk-message__meta").get_text(" ", strip=True)
    assert "2026-10-15" in meta and "留言人：李*英" in meta and "类型：咨询" in meta
    assert "我的电话138****8102" in row.select_one(".gk-message__question").get_text()
    reply = row.select_one(".gk-message__reply").get_text(" ", strip=True)
    assert "示例市民政局社会救助处" in reply and "2026-10-21" in reply
    assert doc.select_one(".gk-count").get_text(strip=True) == "共 6 条"


def test_nothing_of_the_export_that_is_not_published_reaches_the_site(example_site):
    assert not [p for p in example_site.rglob("*") if "12345" in p.name or p.parent.name == "messages"]
    for p in example_site.rglob("*"):
        if p.is_file() and p.suffix in (".html", ".json", ".js", ".xml", ".txt", ".csv"):
            text = p.read_text(encoding="utf-8", errors="replace")
            for secret in ("13800138102", "李秀英", "赵敏", "排队两个多小时", "GD2026102200231"):
                assert secret not in text, (p, secret)


def test_a_search_index_file_holds_a_message_of_the_export(example_site):
    blob = "".join(p.read_text(encoding="utf-8") for p in sorted((example_site / "search" / "index").rglob("*.js")))
    assert "lyxd/index.html#gd2026100800417" in blob and "lyxd/index.html#gd2026102200231" not in blob
