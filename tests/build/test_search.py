"""gongkai.build.search: the text of a Markdown body that the index reads (plain_text), on the example's real pages."""

from __future__ import annotations

from pathlib import Path

from gongkai.build import search

REPO = Path(__file__).resolve().parents[2]


def test_plain_text_of_a_real_page_with_a_heading_and_a_table():
    body = (REPO / "content" / "pages" / "jgld.md").read_text(encoding="utf-8")  # the example's 机构领导 page
    assert search.plain_text(body) == (
        "机构领导 职务 分工 局长 主持全面工作 副局长 分管社会救助处、儿童福利处、计划财务科 副局长 分管养老服务处、社会事务处 "
        "副局长 分管政策法规科、区划地名处、社会组织管理局 领导简历以市人民政府门户网站公布为准。")


def test_plain_text_drops_markers_at_line_starts_only():
    body = ("## 一、认定条件\n\n同时具备无劳动能力的老年人。\n\n"  # 示民规〔2023〕5号 (content/documents/2023/szmz-2023-5.md)
            "1. 申请：向乡镇人民政府（街道办事处）提出\n2) 审核\n   - 入户调查\n-\n  - 民主评议\n"
            "> 引用：见[《特困人员认定办法》](https://www.mca.gov.cn/)和![流程图](img/a.png)\n"
            "!!! note \"提示\"\n    材料一式两份\n\n---\n\n|:--|--:|\n| 共 2024 户 | *合计* |\n"
            "第3-5条不变，a|b 与 2024-2025 年度 #7 号 1. 不是列表")
    assert search.plain_text(body) == (
        "一、认定条件 同时具备无劳动能力的老年人。 申请：向乡镇人民政府（街道办事处）提出 审核 入户调查 民主评议 "
        "引用：见《特困人员认定办法》和流程图 note \"提示\" 材料一式两份 共 2024 户 合计 "
        "第3-5条不变，a b 与 2024-2025 年度 #7 号 1. 不是列表")


def test_plain_text_keeps_the_text_of_links_and_images_and_drops_an_image_s_mark_only():
    """The link pattern starts at the bracket; an image's "!" is dropped from the text before the match, and only
    that one: a "!" of the text, or one inside the match before, stays (as the former (?:!\\[|\\[) pattern did)."""
    cases = {
        "见![示意图](img/a.png)与[办事指南](../guide.html)。": "见示意图与办事指南。",
        "!![x](y)": "!x",  # one "!" belongs to the image, the other is text
        "[a [b](c)": "a [b",  # the first bracket that can start a link
        "![x](y!)![z](w)": "xz",  # the first match ends with ")": the second image's "!" is its own
        "感叹！[z](w)!": "感叹！z!",
        "[未闭合](x": "[未闭合](x",
        "![空]()": "空",
    }
    assert {md: search.plain_text(md) for md in cases} == cases
