"""The 标准目录 page of the example (bzml/index.html): the column table, each column's 公开事项 with every field
as catalog/columns.yml writes it, the whole catalogue as CSV and .xlsx downloads, and a phone's width without
sideways scrolling. (axe in both modes: tests/browser/test_a11y.py, page type "catalogue".)"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, REPO
from gongkai.build import catalogue_export
from gongkai.load.loader import load_catalogue

PAGE = "bzml/index.html"
# the example's 最低生活保障 公开事项, written out from catalog/columns.yml (not from the template)
DIBAO = [
    ("政策法规文件", [
        ("公开内容（要素）", "《国务院关于进一步加强和改进最低生活保障工作的意见》、《最低生活保障审核审批办法（试行）》、各地配套政策法规文件"),
        ("公开依据", "《中华人民共和国政府信息公开条例》及相关规定"),
        ("公开时限", "制定或获取信息之日起10个工作日内"),
        ("公开主体", "示例市民政局"),
        ("公开渠道和载体", "政府网站、公开查阅点、政务服务中心"),
        ("公开对象", "全社会"), ("公开方式", "主动公开"), ("公开层级", "市级、县级"),
        ("对应标准事项", "shjz-03 社会救助：最低生活保障 / 政策法规文件"),
    ]),
    ("办事指南", [
        ("公开内容（要素）", "办理事项、办理条件、最低生活保障标准、申请材料、办理流程、办理时间、地点、联系方式"),
        ("公开依据", "《国务院关于进一步加强和改进最低生活保障工作的意见》、各地相关政策法规文件"),
        ("公开时限", "制定或获取信息之日起10个工作日内"),
        ("公开主体", "示例市民政局"),
        ("公开渠道和载体", "政府网站、政务服务中心、便民服务站"),
        ("公开对象", "全社会"), ("公开方式", "主动公开"), ("公开层级", "市级、县级"),
        ("对应标准事项", "shjz-04 社会救助：最低生活保障 / 办事指南"),
    ]),
]


@pytest.fixture(scope="module")
def soup(example_site):
    return BeautifulSoup((example_site / PAGE).read_text(encoding="utf-8"), "html.parser").select_one(".md-content")


def test_items_grouped_by_column_with_every_field(soup):
    sections = soup.select("section.gk-items")
    assert [s["data-path"] for s in sections] == ["zdlyxxgk/shjzhshfl/zdshbz", "zdlyxxgk/shjzhshfl/tkryjzgy"]
    dibao = sections[0]
    assert dibao.h3.get_text() == "重点领域信息公开 / 社会救助和社会福利 / 最低生活保障"
    assert dibao.h3.a["href"] == "../zdlyxxgk/shjzhshfl/zdshbz/index.html"
    got = [(item.h4.get_text(), [(dt_.get_text(), dt_.find_next_sibling("dd").get_text()) for dt_ in item.select("dt")])
           for item in dibao.select(".gk-item")]
    assert got == DIBAO
    assert soup.find(id="sx-zdlyxxgk-shjzhshfl-zdshbz") is dibao  # an address to cite a column's 公开事项 by
    # headings in order: h1, the 第二十条 h2, a h2 per declared standard, the 公开事项 h2, a h3 per column, a h4 per item
    assert [h.name for h in soup.find_all(["h1", "h2", "h3", "h4"])][:8] == ["h1", "h2", "h2", "h2", "h2", "h3", "h4", "h4"]


def test_downloads_hold_the_whole_catalogue(example_site, soup):
    links = {a.get_text(): a["href"] for a in soup.select(".gk-catalogue-downloads a")}
    assert links == {"Excel 表格（.xlsx）": "../data/catalogue.xlsx", "CSV 文件（.csv）": "../data/catalogue.csv"}
    raw = (example_site / "data" / "catalogue.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == catalogue_export.HEADER
    table_rows = soup.select("table.gk-catalogue tbody tr")
    assert len(rows) - 1 == len(table_rows) + 3 - 2  # one row per 公开事项: 2 and 1 instead of one row each
    dibao = [r for r in rows if r[3] == "最低生活保障"]
    assert [(r[1], r[2], r[4], r[5], r[6], r[11], r[15], r[16]) for r in dibao] == [
        ("重点领域信息公开", "社会救助和社会福利", "每月更新", "社会救助处", "政策法规文件", "政府网站、公开查阅点、政务服务中心",
         "shjz-03 社会救助：最低生活保障 / 政策法规文件",
         "https://mzj.example.gov.cn/zfxxgk/zdlyxxgk/shjzhshfl/zdshbz/index.html"),
        ("重点领域信息公开", "社会救助和社会福利", "每月更新", "社会救助处", "办事指南", "政府网站、政务服务中心、便民服务站",
         "shjz-04 社会救助：最低生活保障 / 办事指南",
         "https://mzj.example.gov.cn/zfxxgk/zdlyxxgk/shjzhshfl/zdshbz/index.html")]
    # 对应标准事项: a column without 公开事项 names what the column implements; several items in one cell
    by_column = {r[3]: r[15] for r in rows[1:] if not r[6]}
    assert by_column["临时救助"] == "shjz-11 社会救助：临时救助 / 政策法规文件"
    assert by_column["救助对象公示"] == "；".join([
        "shjz-05 社会救助：最低生活保障 / 审核信息", "shjz-06 社会救助：最低生活保障 / 审批信息",
        "shjz-09 社会救助：特困人员救助供养 / 审核信息", "shjz-10 社会救助：特困人员救助供养 / 审批信息",
        "shjz-13 社会救助：临时救助 / 审核审批信息"])
    # every item the example implements is named somewhere (养老机构投资指南 is declared 不涉及)
    cat = load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))
    named = {ref for r in rows[1:] for ref in re.findall(r"\b[a-z]+-\d{2}\b", r[15])}
    assert named == {i.id for std in cat.standards for i in std.items} - {"ylfw-03"}
    ws = openpyxl.load_workbook(example_site / "data" / "catalogue.xlsx").active
    values = [[("" if v is None else str(v)) for v in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "示例市民政局政府信息公开标准目录"
    assert values[1:] == rows  # the same table in both files


def test_xlsx_bytes_depend_on_the_build_date_only():
    import time
    import zipfile

    cat = load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))
    rows = catalogue_export.catalogue_rows(cat)
    one = catalogue_export.catalogue_xlsx(rows, "目录", dt.date(2026, 11, 24))
    time.sleep(1.1)  # the wall clock moves on: nothing of it may reach the file
    assert one == catalogue_export.catalogue_xlsx(rows, "目录", dt.date(2026, 11, 24))
    core = zipfile.ZipFile(io.BytesIO(one)).read("docProps/core.xml").decode()
    assert "2026-11-24T00:00:00Z</dcterms:modified>" in core and "2026-11-24T00:00:00Z</dcterms:created>" in core
    assert one != catalogue_export.catalogue_xlsx(rows, "目录", dt.date(2026, 11, 25))


@pytest.mark.parametrize("elder", [False, True])
def test_phone_width_no_sideways_scroll(browser, example_url, elder):
    ctx = browser.new_context(viewport={"width": 375, "height": 700})
    if elder:
        ctx.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    page = ctx.new_page()
    page.goto(example_url + PAGE)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    boxes = page.evaluate("""() => [...document.querySelectorAll('.gk-item, .gk-item dd')].map(e => {
        const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, scroll: e.scrollWidth > e.clientWidth}; })""")
    assert len(boxes) == 3 + 3 * 9  # three 公开事项, eight fields and the standard item each
    assert all(b["left"] >= 0 and b["right"] <= 375 and not b["scroll"] for b in boxes)
    # the 第二十条 table fits too: its text wraps instead of widening the table
    art20 = page.evaluate("""() => { const t = document.querySelector('table.gk-art20'); const r = t.getBoundingClientRect();
        return {right: r.right, wide: t.scrollWidth > t.parentElement.clientWidth}; }""")
    assert art20["right"] <= 375 and not art20["wide"]
    # and so do the tables of the declared standards
    standards = page.evaluate("""() => [...document.querySelectorAll('table.gk-standard')].map(t => {
        const r = t.getBoundingClientRect(); return {right: r.right, wide: t.scrollWidth > t.parentElement.clientWidth}; })""")
    assert len(standards) == 2 and all(t["right"] <= 375 and not t["wide"] for t in standards)
    ctx.close()


def test_article_20_table(soup):
    rows = [(tr.th.get_text(), tr.select("td")[1].get_text()) for tr in soup.select("table.gk-art20:not(.gk-standard) tbody tr")]
    assert len(rows) == 15
    assert rows[0] == ("第二十条第（一）项", "部门文件、政策文件")
    assert rows[7] == ("第二十条第（八）项", "本机关不涉及：本机关无行政事业性收费项目")
    assert rows[10] == ("第二十条第（十一）项", "社会救助和社会福利、最低生活保障、养老服务")
    assert rows[14] == ("第二十条第（十五）项", "婚姻登记、区划地名")
    links = soup.select("table.gk-art20:not(.gk-standard) tbody tr")[11].select("a")
    assert [(a.get_text(), a["href"]) for a in links] == [("应急管理", "../fdzdgknr/yjgl/index.html")]


def test_the_declared_standards_item_by_item(soup):
    """site.yml declares 社会救助 and 养老服务: each standard's items with the columns that implement them."""
    tables = soup.select("table.gk-standard")
    assert [t["data-domain"] for t in tables] == ["社会救助", "养老服务"]
    heading = tables[0].find_previous_sibling("h2")
    assert heading.get_text() == "社会救助领域基层政务公开标准目录落实情况"
    assert "民办函〔2019〕52号" in heading.find_next_sibling("p").get_text()
    rows = {tr["data-item"]: (tr.select("td")[0].get_text(), [(a.get_text(), a["href"]) for a in tr.select("a")])
            for t in tables for tr in t.select("tbody tr")}
    assert len(rows) == 19
    assert rows["shjz-05"] == ("最低生活保障 / 审核信息", [("救助对象公示", "../zdlyxxgk/shjzhshfl/jzdxgs/index.html")])
    assert rows["shjz-01"] == ("综合业务 / 政策法规文件", [("上级文件", "../fdzdgknr/zcfg/sjwj/index.html")])
    assert rows["ylfw-06"] == ("养老服务业务办理 / 老年人补贴", [("主题服务包", "../zdlyxxgk/ztfwb/index.html")])
    assert all(links for item, (_, links) in rows.items() if item != "ylfw-03")
    ylfw03 = tables[1].select_one("tr[data-item=ylfw-03] td:last-child").get_text()
    assert ylfw03.startswith("本机关不涉及：养老机构投资指南由省民政厅统一公布")
    # the partial 养老服务 table says so
    assert "本表列出该标准目录中的 6 项，完整事项以原文件为准" in tables[1].find_previous_sibling("p").get_text()
