"""The annual report page (example: documents/szmz-2025-nb.html from content/reports/2025.yml): the three statutory
tables laid out as 国办公开办函〔2021〕30号 prints them, compared cell by cell; headers tied to every number; no
sideways page scroll at 375 px; print CSS for A4. (axe in both modes: tests/browser/test_a11y.py, page type "report".)"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

REPORT = "documents/szmz-2025-nb.html"

# The expected layout, written out from the 30号 format (not from the code that renders it): each row is a list of
# (tag, text, colspan, rowspan); numbers are the example's 2025 report.
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PART2 = [
    [("th", "第二十条第（一）项", 4, 1)],
    [("th", "信息内容", 1, 1), ("th", "本年制发件数", 1, 1), ("th", "本年废止件数", 1, 1), ("th", "现行有效件数", 1, 1)],
    [("th", "规章", 1, 1), ("td", "0", 1, 1), ("td", "0", 1, 1), ("td", "0", 1, 1)],
    [("th", "行政规范性文件", 1, 1), ("td", "2", 1, 1), ("td", "0", 1, 1), ("td", "4", 1, 1)],
    [("th", "第二十条第（五）项", 4, 1)],
    [("th", "信息内容", 1, 1), ("th", "本年处理决定数量", 3, 1)],
    [("th", "行政许可", 1, 1), ("td", "38", 3, 1)],
    [("th", "第二十条第（六）项", 4, 1)],
    [("th", "信息内容", 1, 1), ("th", "本年处理决定数量", 3, 1)],
    [("th", "行政处罚", 1, 1), ("td", "1", 3, 1)],
    [("th", "行政强制", 1, 1), ("td", "0", 3, 1)],
    [("th", "第二十条第（八）项", 4, 1)],
    [("th", "信息内容", 1, 1), ("th", "本年收费金额（单位：万元）", 3, 1)],
    [("th", "行政事业性收费", 1, 1), ("td", "0", 3, 1)],
]


def nums(*values: int) -> list[tuple]:
    return [("td", str(v), 1, 1) for v in values]


PART3 = [
    [("td", NOTE, 3, 3), ("th", "申请人情况", 7, 1)],
    [("th", "自然人", 1, 2), ("th", "法人或其他组织", 5, 1), ("th", "总计", 1, 2)],
    [("th", t, 1, 1) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    [("th", "一、本年新收政府信息公开申请数量", 3, 1), *nums(23, 4, 0, 0, 1, 0, 28)],
    [("th", "二、上年结转政府信息公开申请数量", 3, 1), *nums(1, 0, 0, 0, 0, 0, 1)],
    [("th", "三、本年度办理结果", 1, 22), ("th", "（一）予以公开", 2, 1), *nums(10, 2, 0, 0, 0, 0, 12)],
    [("th", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1), *nums(4, 1, 0, 0, 0, 0, 5)],
    [("th", "（三）不予公开", 1, 8), ("th", "1.属于国家秘密", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "2.其他法律行政法规禁止公开", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "3.危及“三安全一稳定”", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "4.保护第三方合法权益", 1, 1), *nums(1, 0, 0, 0, 0, 0, 1)],
    [("th", "5.属于三类内部事务信息", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "6.属于四类过程性信息", 1, 1), *nums(1, 0, 0, 0, 0, 0, 1)],
    [("th", "7.属于行政执法案卷", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "8.属于行政查询事项", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "（四）无法提供", 1, 3), ("th", "1.本机关不掌握相关政府信息", 1, 1), *nums(3, 0, 0, 0, 1, 0, 4)],
    [("th", "2.没有现成信息需要另行制作", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "3.补正后申请内容仍不明确", 1, 1), *nums(1, 0, 0, 0, 0, 0, 1)],
    [("th", "（五）不予处理", 1, 5), ("th", "1.信访举报投诉类申请", 1, 1), *nums(1, 0, 0, 0, 0, 0, 1)],
    [("th", "2.重复申请", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "3.要求提供公开出版物", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "4.无正当理由大量反复申请", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "5.要求行政机关确认或重新出具已获取信息", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "（六）其他处理", 1, 3),
     ("th", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1, 1), *nums(0, 0, 0, 0, 0, 0, 0)],
    [("th", "3.其他", 1, 1), *nums(1, 0, 0, 0, 0, 0, 1)],
    [("th", "（七）总计", 2, 1), *nums(22, 3, 0, 0, 1, 0, 26)],
    [("th", "四、结转下年度继续办理", 3, 1), *nums(2, 1, 0, 0, 0, 0, 3)],
]
OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
PART4 = [
    [("th", "行政复议", 5, 1), ("th", "行政诉讼", 10, 1)],
    [*(("th", o, 1, 2) for o in OUTCOMES), ("th", "未经复议直接起诉", 5, 1), ("th", "复议后起诉", 5, 1)],
    [("th", o, 1, 1) for o in OUTCOMES * 2],
    nums(1, 0, 0, 1, 2, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0),
]


def layout(table) -> list[list[tuple]]:
    return [[(c.name, c.get_text(strip=True), int(c.get("colspan", 1)), int(c.get("rowspan", 1)))
             for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]


@pytest.fixture(scope="module")
def soup(example_site):
    return BeautifulSoup((example_site / REPORT).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize(("table_id", "caption", "expected"), [
    ("gk-nb2", "二、主动公开政府信息情况", PART2),
    ("gk-nb3", "三、收到和处理政府信息公开申请情况", PART3),
    ("gk-nb4", "四、政府信息公开行政复议、行政诉讼情况", PART4),
])
def test_tables_cell_by_cell(soup, table_id, caption, expected):
    table = soup.find("table", id=table_id)
    assert table.caption.get_text(strip=True) == caption
    assert layout(table) == expected


def test_six_parts_in_order_with_the_narrative(soup):
    section = soup.find("section", class_="gk-nb")
    assert [h.get_text(strip=True) for h in section.find_all("h2")] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert "新收申请28件" in section.get_text()
    assert section.find("strong").get_text() == "主动公开。"  # Markdown rendered


def test_every_number_names_existing_headers(soup):
    """Each data cell lists the header cells that describe it, and each of those exists in the same table; each
    number has at least two (its column group and column; in parts 二 and 三 also its row)."""
    for table in soup.find_all("table", class_="gk-nb-table"):
        ids = {th["id"] for th in table.find_all("th") if th.get("id")}
        for td in table.find_all("td", class_="gk-num"):
            refs = list(td["headers"])  # bs4 splits the multi-valued attribute
            assert set(refs) <= ids, (table["id"], refs)
            texts = [table.find(id=r).get_text(strip=True) for r in refs]
            assert len(texts) >= 2
    td = soup.find("table", id="gk-nb3").find_all("td", class_="gk-num")[1]  # 本年新收, 商业企业
    names = [soup.find(id=r).get_text(strip=True) for r in td["headers"]]
    assert names == ["申请人情况", "法人或其他组织", "商业企业", "一、本年新收政府信息公开申请数量"]


def test_an_ordinary_document_has_no_report(example_site):
    html = (example_site / "documents/szmz-2024-3.html").read_text(encoding="utf-8")
    assert "gk-nb-table" not in html


@pytest.mark.parametrize("elder", [False, True])
def test_phone_width_no_sideways_page_scroll(browser, example_url, elder):
    """At 375 px the page does not scroll sideways; the wide tables scroll inside their own focusable region."""
    ctx = browser.new_context(viewport={"width": 375, "height": 700})
    if elder:
        ctx.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    page = ctx.new_page()
    page.goto(example_url + REPORT)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    regions = page.evaluate("""() => [...document.querySelectorAll('.gk-nb-scroll')].map(r => ({
        right: r.getBoundingClientRect().right, scroll: r.scrollWidth > r.clientWidth, tab: r.tabIndex}))""")
    assert len(regions) == 3
    assert all(r["right"] <= 375 and r["tab"] == 0 for r in regions)
    assert regions[2]["scroll"]  # part 四's 15 columns do not fit a phone: they scroll in their region
    ctx.close()


def test_print_layout_a4(browser, example_url):
    """Printed: no navigation, the tables unclipped (no scroll region) within the A4 page width."""
    page = browser.new_page()
    page.goto(example_url + REPORT)
    page.emulate_media(media="print")
    got = page.evaluate("""() => ({
        nav: getComputedStyle(document.querySelector('.md-header')).display,
        overflow: getComputedStyle(document.querySelector('.gk-nb-scroll')).overflowX,
        widest: Math.max(...[...document.querySelectorAll('.gk-nb-table')].map(t => t.scrollWidth)),
        body: document.querySelector('.md-content').clientWidth})""")
    assert got["nav"] == "none" and got["overflow"] == "visible"
    assert got["widest"] <= got["body"]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()


def test_report_numbers_exported(example_site):
    """data/reports.json and data/reports.csv: the published reports' numbers under the format's labels."""
    import csv
    import io
    import json

    data = json.loads((example_site / "data" / "reports.json").read_text(encoding="utf-8"))
    assert [r["年度"] for r in data] == [2023, 2024, 2025]
    assert data[2]["三、收到和处理政府信息公开申请情况"]["四、结转下年度继续办理"]["总计"] == 3
    assert data[1]["二、主动公开政府信息情况"]["第二十条第（一）项 行政规范性文件"] == {
        "本年制发件数": 1, "本年废止件数": 1, "现行有效件数": 3}
    text = (example_site / "data" / "reports.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["年度", "部分", "行", "列", "数值"] and len(rows) == 1 + 3 * 200
    assert ["2024", "三、收到和处理政府信息公开申请情况", "二、上年结转政府信息公开申请数量", "总计", "2"] in rows
