"""Coverage of the declared national 标准目录 in `gongkai inspect`: the example item by item, then the same after
removing one column and one document; lateness against an item's 公开时限 in working days; the report's outputs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import BUILD_DATE, MINIMAL_SITE_YML, REPO, copy_example, make_site
from gongkai.load.loader import load_catalogue
from gongkai.tools import inspection

D = dt.date
TODAY = D.fromisoformat(BUILD_DATE)

# the example bureau: item -> (state, implementing columns)
EXAMPLE = {
    "shjz-01": ("ok", ["fdzdgknr/zcfg/sjwj"]),
    "shjz-02": ("ok", ["zdlyxxgk/ztfwb"]),
    "shjz-03": ("ok", ["zdlyxxgk/shjzhshfl/zdshbz"]),
    "shjz-04": ("ok", ["zdlyxxgk/shjzhshfl/zdshbz"]),
    "shjz-05": ("ok", ["zdlyxxgk/shjzhshfl/jzdxgs"]),
    "shjz-06": ("ok", ["zdlyxxgk/shjzhshfl/jzdxgs"]),
    "shjz-07": ("ok", ["zdlyxxgk/shjzhshfl/tkryjzgy"]),
    "shjz-08": ("ok", ["zdlyxxgk/ztfwb"]),
    "shjz-09": ("ok", ["zdlyxxgk/shjzhshfl/jzdxgs"]),
    "shjz-10": ("ok", ["zdlyxxgk/shjzhshfl/jzdxgs"]),
    "shjz-11": ("ok", ["zdlyxxgk/shjzhshfl/lsjz"]),
    "shjz-12": ("ok", ["zdlyxxgk/ztfwb"]),
    "shjz-13": ("ok", ["zdlyxxgk/shjzhshfl/jzdxgs"]),
    "ylfw-01": ("ok", ["zdlyxxgk/ylfw/ylzc"]),
    "ylfw-02": ("ok", ["zdlyxxgk/ylfw/ylzc"]),
    "ylfw-03": ("na", []),
    "ylfw-04": ("ok", ["zdlyxxgk/ylfw/yljgml"]),
    "ylfw-05": ("ok", ["zdlyxxgk/ylfw/ylzc"]),
    "ylfw-06": ("ok", ["zdlyxxgk/ztfwb"]),
}


def states(report) -> dict[str, tuple[str, list[str]]]:
    return {i.id: (i.state, i.columns) for d in report.coverage for i in d.items}


def percents(report) -> dict[str, tuple[int, int, float]]:
    return {d.domain: (d.implemented, d.applicable, d.percent) for d in report.coverage}


def standard_findings(report) -> list[tuple[str, str, str]]:
    return [(f.kind, f.office, f.subject) for f in report.findings if f.kind.startswith("standard_")]


def test_the_example_implements_every_item_of_both_standards():
    report = inspection.inspect(load_catalogue(REPO, TODAY), TODAY)
    assert states(report) == EXAMPLE
    assert percents(report) == {"社会救助": (13, 13, 100.0), "养老服务": (5, 5, 100.0)}
    assert standard_findings(report) == []
    yl = report.coverage[1]
    assert not yl.complete and "未能核对" in yl.note
    assert yl.items[2].reason.startswith("养老机构投资指南由省民政厅统一公布")


def test_removing_a_column_and_a_document_drops_exactly_their_items(tmp_path: Path):
    root = copy_example(tmp_path / "site")
    columns = root / "catalog" / "columns.yml"
    text = columns.read_text(encoding="utf-8")
    # the 临时救助 column goes; its one document stays in the other two columns it was in
    text, n = re.subn(r"          - name: 临时救助\n            kind: documents\n            frequency: 每月更新\n"
                      r"            office: 社会救助处\n            implements: \[shjz-11\]\n", "", text)
    assert n == 1
    columns.write_text(text, encoding="utf-8")
    doc = root / "content" / "documents" / "2022" / "szmz-2022-2.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("columns: [bmwj, lsjz, zcwj]", "columns: [bmwj, zcwj]"),
                   encoding="utf-8")
    # the one document of 养老机构名录 goes (and the list that cited it no longer does)
    (root / "content" / "documents" / "2026" / "szmz-2026-yljg-3.md").unlink()
    lists = root / "catalog" / "lists.yml"
    lists.write_text(lists.read_text(encoding="utf-8").replace("    document: szmz-2026-yljg-3\n", ""), encoding="utf-8")

    report = inspection.inspect(load_catalogue(root, TODAY), TODAY)
    assert states(report) == EXAMPLE | {"shjz-11": ("missing", []), "ylfw-04": ("empty", ["zdlyxxgk/ylfw/yljgml"])}
    assert percents(report) == {"社会救助": (12, 13, 92.3), "养老服务": (4, 5, 80.0)}
    assert standard_findings(report) == [
        ("standard_missing", "未指定科室", "社会救助：临时救助 / 政策法规文件（shjz-11）"),
        ("standard_empty", "养老服务处", "养老服务：养老服务业务办理 / 养老机构备案（ylfw-04）"),
    ]
    text_report = inspection.format_text(report)
    assert "【社会救助】社会救助领域基层政务公开标准目录（民办函〔2019〕52号）：12/13 项已落实（92.3%）" in text_report
    assert "shjz-11 临时救助 / 政策法规文件｜未落实（没有对应栏目）｜—｜—" in text_report
    soup = BeautifulSoup(inspection.format_html(report), "html.parser")
    rows = {tr["data-item"]: tr["data-state"] for tr in soup.select("table.coverage tr[data-item]")}
    assert rows == {k: v[0] for k, v in EXAMPLE.items()} | {"shjz-11": "missing", "ylfw-04": "empty"}
    by_office = report.to_json()["offices"]
    assert [f["subject"] for f in by_office["养老服务处"] if f["kind"] == "standard_empty"] == [
        "养老服务：养老服务业务办理 / 养老机构备案（ylfw-04）"]


COLUMNS = """\
columns:
  - name: 社会救助
    office: 社会救助科
    children:
      - name: 临时救助
        kind: documents
        frequency: 及时更新
        implements: [shjz-11]
      - name: 最低生活保障
        kind: documents
        frequency: 及时更新
        items:
          - name: 政策法规文件
            implements: [shjz-03]
"""


def doc(title: str, written: str, published: str, columns: str) -> str:
    return f"---\ntitle: {title}\nwritten: {written}\npublished: {published}\ncolumns: [{columns}]\n---\n\n正文。\n"


def test_documents_later_than_the_items_limit_in_working_days(tmp_path: Path):
    # 公开时限「制定或获取信息之日起10个工作日内」: 成文 2026-09-25 (中秋, a Friday off); 国庆 1–7 October, with
    # the adjusted working Saturday 10 October: the 10th working day after is 2026-10-15 (Mon–Fri alone: 10-09)
    make_site(tmp_path, COLUMNS, {
        "a.md": doc("按时", "2026-09-25", "2026-10-15", "lsjz"),
        "b.md": doc("晚了", "2026-09-25", "2026-10-16", "lsjz"),
        "c.md": doc("去年的晚了不算本期", "2025-03-02", "2025-06-01", "lsjz"),
    }, site_yml=MINIMAL_SITE_YML + "standards: [社会救助]\n")
    cat = load_catalogue(tmp_path, D(2026, 11, 1))
    report = inspection.inspect(cat, D(2026, 11, 1))
    late = {i.id: [(d.title, d.due) for d in i.late] for d in report.coverage for i in d.items if i.late}
    assert late == {"shjz-11": [("晚了", D(2026, 10, 15))]}
    got = states(report)
    assert got["shjz-11"] == ("late", ["shjz/lsjz"]) and got["shjz-03"] == ("empty", ["shjz/zdshbz"])
    assert got["shjz-01"] == ("missing", [])
    assert percents(report)["社会救助"] == (1, 13, 7.7)  # a late item is there: it counts as implemented
    assert ("standard_late", "社会救助科", "社会救助：临时救助 / 政策法规文件（shjz-11）") in standard_findings(report)


def test_no_declared_standard_no_section():
    cat = load_catalogue(REPO, TODAY)
    cat.standards = []
    report = inspection.inspect(cat, TODAY)
    assert report.coverage == [] and "五、基层政务公开标准目录" not in inspection.format_text(report)
