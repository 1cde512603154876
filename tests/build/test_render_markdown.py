"""The Markdown engine (gongkai/build/render.py): CommonMark + GFM through cmark-gfm, for every body the bureau writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer, render_markdown
from gongkai.build.sanitize import sanitize_html
from gongkai.load.loader import load_catalogue
from gongkai.model import ColumnKind

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "markdown" / "report-2012.md"


def picture(html: str) -> dict:
    """What a reader gets from a body: its text, its headings, its tables cell by cell, its links, its emphasis."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        "text": " ".join(soup.get_text(" ").split()),
        "headings": [(h.name, h.get("id"), h.get_text(" ", strip=True)) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])],
        "tables": [[[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in t.find_all("tr")]
                   for t in soup.find_all("table")],
        "links": [(a.get("href"), a.get_text(" ", strip=True)) for a in soup.find_all("a")],
        "images": [(i.get("src"), i.get("alt")) for i in soup.find_all("img")],
        "strong": [b.get_text() for b in soup.find_all(["strong", "em", "del"])],
        "lists": [[li.get_text(" ", strip=True) for li in ul.find_all("li", recursive=False)] for ul in soup.find_all(["ul", "ol"])],
    }


def python_markdown(text: str) -> str:
    """The engine before cmark-gfm, configured as the example's mkdocs.yml configured it."""
    md = markdown.Markdown(extensions=["tables", "toc", "attr_list", "admonition"])
    return sanitize_html(md.convert(text))


def example_bodies() -> list[tuple[str, str]]:
    cat = load_catalogue(REPO, dt.date(2026, 11, 24))
    bodies = [(f"documents: {d.id}", d.body) for d in cat.documents]
    bodies += [(f"pages/{name}", page.body) for name, page in cat.pages.items()]
    if cat.guide is not None:
        bodies.append(("guide.md", cat.guide.body))
    for rep in cat.reports:
        bodies += [(f"reports/{rep.year}.{k}", getattr(rep, k)) for k in ("overview", "problems", "other_matters")]
    return bodies


def test_example_content_renders_as_with_python_markdown():
    """Every body of the example bureau gives the same text, headings (with their ids), tables, links and emphasis."""
    bodies = example_bodies()
    assert len(bodies) > 40 and any("|" in b for _, b in bodies)  # documents, pages, the guide, reports; tables
    for name, body in bodies:
        assert picture(render_markdown(body).html) == picture(python_markdown(body)), name


def test_chinese_run_in_headings_tables_and_links():
    """Real report text: bold run-in headings end in Chinese punctuation and run on without a space."""
    html = render_markdown(FIXTURE.read_text(encoding="utf-8")).html
    got = picture(html)
    assert got["strong"] == ["（一）注重重点推进，深化公开内容。", "（二）注重开拓创新，力求稳中有进。", "不再", "15000多册", "百分之十二"]
    assert "**" not in got["text"] and "\u2058" not in html  # no delimiter left over, no marker left in
    assert got["headings"][1:] == [("h2", "_1", "一、概述"), ("h2", "_2", "二、主动公开政府信息情况"),
                                   ("h2", "_3", "三、存在的主要问题和改进措施")]
    assert got["tables"] == [[["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "2", "0", "31"],
                              ["行政规范性文件", "15", "4", "126"]]]
    soup = BeautifulSoup(html, "html.parser")
    # the columns' alignment (:--- ---: ---: ---:), said once on the table: left is every cell's default
    assert soup.table["data-gk-align"] == "2r 3r 4r" and not soup.select("[align]")
    # a bare address in Chinese text ends before the Chinese punctuation that follows it
    assert got["links"] == [("http://www.np.gov.cn/", "http://www.np.gov.cn/")]
    assert "）政府信息公开专栏下载。" in got["text"]
    assert got["lists"] == [["公开内容还不够全面；", "解读回应还不够及时。"], ["完善制度；", "加强培训。"]]


@pytest.mark.parametrize(("source", "links"), [
    ("电话或邮箱xxgk@np.gov.cn）。", [("mailto:xxgk@np.gov.cn", "xxgk@np.gov.cn")]),
    ("见 www.gov.cn。", [("http://www.gov.cn", "www.gov.cn")]),
    ("见 https://www.gov.cn/zhengce/?a=1&b=2，", [("https://www.gov.cn/zhengce/?a=1&b=2", "https://www.gov.cn/zhengce/?a=1&b=2")]),
    ("[www.gov.cn中国政府网](https://www.gov.cn/)", [("https://www.gov.cn/", "www.gov.cn中国政府网")]),
])
def test_bare_addresses_in_chinese_text(source, links):
    assert picture(render_markdown(source).html)["links"] == links


def test_emphasis_markers_never_reach_code():
    html = render_markdown("代码 `a。**b` 与 **第一条。**本办法").html
    assert "<code>a。**b</code>" in html and "<strong>第一条。</strong>本办法" in html


def test_raw_html_is_sanitized_and_headings_get_unique_ids():
    html = render_markdown('## 附则\n\n## 附则\n\n### Scope of work\n\n<p onclick="x()" align="center">居中</p>'
                           '<script>alert(1)</script>\n\n<table><tr><td rowspan="2">合并</td></tr></table>').html
    soup = BeautifulSoup(html, "html.parser")
    assert [h.get("id") for h in soup.find_all(["h2", "h3"])] == ["_1", "_2", "scope-of-work"]
    assert soup.find("p", align="center") and not soup.find("p", onclick=True)
    assert "alert" not in html and soup.find("td", rowspan="2")


def test_page_column_and_document_render_the_same_body():
    """A body renders the same whichever page kind holds it; the guide's headings feed the page's 目录."""
    cat = load_catalogue(REPO, dt.date(2026, 11, 24))
    plan = SitePlan(cat, Renderer(REPO))
    guide = next(c for c in cat.columns() if c.kind is ColumnKind.GUIDE)
    body = plan.body(plan.column_plan(guide))
    assert body.html == Renderer(REPO).markdown(plan.column_plan(guide).markdown)
    tokens = body.toc_tokens()
    assert tokens[0]["name"] == "一、主动公开" and [c["id"] for c in tokens[0]["children"]] == ["_2", "_3", "_4"]
    page_html = plan.render(plan.column_plan(guide), body)
    assert body.html in page_html


TRICKY = [
    "[a](javascript:alert(1)) [b](JavaScript:x) [c](data:text/html,x) [d](ftp://x) [e](foo:bar) [f](/x/y:z)",
    "[g](x?y=a:b) [h](tel:12345) [m](mailto:a@b.cn) [r](../files/a.pdf#p=2) [v](vbscript:x) [w](#a:b)",
    '"引号" &amp; &#123; &copy; ![图](x.png "说明") www.gov.cn',
    "```js\nx<y\n```\n\n    缩进代码\n\n> 引用\n\n---\n\n第一行  \n第二行",
    "<b>原始 HTML</b> 与 [链接](https://www.gov.cn/)",
]


@pytest.mark.parametrize("source", [b for _, b in example_bodies()] + [FIXTURE.read_text(encoding="utf-8")] + TRICKY)
def test_sanitizer_is_skipped_only_where_it_changes_nothing(source):
    """clean() leaves out the HTML5 sanitizer for bodies without raw HTML: its result must be the sanitizer's."""
    import cmarkgfm

    from gongkai.build import render

    marked = render.cjk_emphasis(source)
    out = cmarkgfm.markdown_to_html_with_extensions(marked, options=render._OPTIONS, extensions=render._EXTENSIONS)
    out = out.replace(render._MARK, "").strip()
    assert render.clean(source, out) == sanitize_html(out)


def test_a_gfm_table_says_its_alignment_once():
    """cmark-gfm's align="…" on every cell becomes one data-gk-align on the table (gongkai.css aligns the columns),
    without the line breaks around rows: the same cells and text, about a sixth fewer bytes for tables of amounts."""
    from gongkai.build.render import ALIGN_COLUMNS

    md = "| 序号 | 名称 | 金额 | 状态 |\n|:---:|:---|---:|---|\n| 1 | 桥头镇 | 106140 | 已发放 |\n| 2 | 桥下镇 | 127260 | |\n"
    out = render_markdown(md).html
    assert out == ('<table data-gk-align="1c 3r">\n<thead><tr><th>序号</th>\n<th>名称</th>\n<th>金额</th>\n<th>状态</th>\n</tr></thead>'
                   "<tbody><tr><td>1</td>\n<td>桥头镇</td>\n<td>106140</td>\n<td>已发放</td>\n</tr>"
                   "<tr><td>2</td>\n<td>桥下镇</td>\n<td>127260</td>\n<td></td>\n</tr></tbody></table>")
    # a program reading the text still finds the cells apart
    assert BeautifulSoup(out, "html.parser").get_text().split() == \
        ["序号", "名称", "金额", "状态", "1", "桥头镇", "106140", "已发放", "2", "桥下镇", "127260"]
    # no alignment: no attribute
    assert render_markdown("| a | b |\n|---|---|\n| x | y |\n").html.startswith("<table>\n<thead><tr><th>a</th>\n<th>b")
    # columns beyond ALIGN_COLUMNS keep their own attribute (gongkai.css has rules for the first ALIGN_COLUMNS)
    wide = ALIGN_COLUMNS + 2
    md = "|" + "|".join(f" h{k} " for k in range(wide)) + "|\n|" + "|".join(["---:"] * wide) + "|\n|" + "|".join(["1"] * wide) + "|\n"
    soup = BeautifulSoup(render_markdown(md).html, "html.parser")
    assert soup.table["data-gk-align"] == " ".join(f"{k}r" for k in range(1, ALIGN_COLUMNS + 1))
    assert [td.get("align") for td in soup.select("td")] == [None] * ALIGN_COLUMNS + ["right"] * 2
    # a table written in HTML is left as written
    raw = '<table>\n<thead>\n<tr>\n<th align="right" colspan="2">合计</th>\n</tr>\n</thead>\n</table>'
    assert render_markdown(raw).html == raw


TABLES = [
    # cmark-gfm's own tables: aligned, plain, a short row (padded) and a long row (cut), an empty cell, inline HTML
    "| 序号 | 名称 | 金额 |\n|:---:|:---|---:|\n| 1 | 桥头镇 | 106140 |\n| 2 | 桥下镇 |\n| 3 | a | b | c |\n",
    "| a | b |\n|---|---|\n| x | y |\n| `<td align=\"left\">` | <b>粗</b> |\n",
    "| 名称 | 说明 |\n|---:|:---:|\n| 见 www.gov.cn 。 | **加粗**文字 |\n",
    "|" + "|".join(f" h{k} " for k in range(18)) + "|\n|" + "|".join(["---:"] * 18) + "|\n|" + "|".join(["1"] * 18) + "|\n",
    # written in HTML: rows of different lengths, alignments that change within a column, an unclosed row
    '<table>\n<thead>\n<tr>\n<th align="right">a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align="right">1</td>\n'
    '</tr>\n<tr>\n<td align="right">2</td>\n<td>3</td>\n<td align="right">4</td>\n</tr>\n</tbody>\n</table>',
    '<table>\n<thead>\n<tr>\n<th align="right">a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n'
    '<td>2</td>\n</tr>\n</tbody>\n</table>',
    '<table>\n<thead>\n<tr>\n<th align="center">a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align="center">1\n'
    '<tr>\n<td align="center">2</td>\n</tr>\n</tbody>\n</table>',
]


@pytest.mark.parametrize("source", TABLES + [FIXTURE.read_text(encoding="utf-8")])
def test_the_quick_table_path_gives_what_the_cell_by_cell_path_gives(source):
    """_compact_table decides cmark-gfm's shape with one scan; its output must be that of the loop over every cell
    (which decides the same for any table, cmark-gfm's or written in HTML)."""
    import cmarkgfm

    from gongkai.build import render

    out = cmarkgfm.markdown_to_html_with_extensions(source, options=render._OPTIONS, extensions=render._EXTENSIONS)
    out = render.clean(source, out.strip())
    found = list(render._GFM_TABLE.finditer(out))
    assert found or "<table" not in out
    for m in found:
        assert render._compact_table(m) == render._compact_table_cells(m.group(0))


def test_a_large_gfm_table_takes_the_quick_path(monkeypatch):
    """A 200-row table of amounts (the 公示 lists bureaus publish) is compacted without the loop over its cells."""
    from gongkai.build import render

    def loop(table: str) -> str:
        raise AssertionError("the cell-by-cell loop ran")

    md = "| 序号 | 姓名 | 金额 |\n|:---:|---|---:|\n" + "".join(f"| {k} | 张{k} | {k * 100} |\n" for k in range(200))
    monkeypatch.setattr(render, "_compact_table_cells", loop)
    soup = BeautifulSoup(render_markdown(md).html, "html.parser")
    assert soup.table["data-gk-align"] == "1c 3r" and not soup.select("[align]") and len(soup.select("tbody tr")) == 200
