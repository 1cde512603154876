"""Coverage of the declared national 标准目录 in `gongkai inspect`: the example item by item, then the same after
removing one column and one document; lateness against an item's 公开时限 in working days; the report's outputs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_DATE, MINIMAL_SITE_YML, REPO, copy_example, make_site
from gongkai.frequency import parse_schedule
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
    # the 临时救助 column goes; its two documents stay in the other columns they were in
    text, n = re.subn(r"          - name: 临时救助\n            kind: documents\n            frequency: 每月更新\n"
                      r"            office: 社会救助处\n            implements: \[shjz-11\]\n", "", text)
    assert n == 1
    columns.write_text(text, encoding="utf-8")
    for name, before, after in (("2022/szmz-2022-2.md", "[bmwj, lsjz, zcwj]", "[bmwj, zcwj]"),
                                ("2024/mzb-2018-23.md", "[sjwj, lsjz]", "[sjwj]")):
        doc = root / "content" / "documents" / name
        doc.write_text(doc.read_text(encoding="utf-8").replace(f"columns: {before}", f"columns: {after}"), encoding="utf-8")
    # the one document of 养老机构名录 goes (and the list that cited it no longer does)
    (root / "content" / "documents" / "2026" / "szmz-2026-yljg-3.md").unlink()
    lists = root / "catalog" / "lists.yml"
    lists.write_text(lists.read_text(encoding="utf-8").replace("    document: szmz-2026-yljg-3\n", ""), encoding="utf-8")

    report = inspection.inspect(load_catalogue(root, TODAY), TODAY)
    assert states(report) == EXAMPLE | {"shjz-11": ("missing", []), "ylfw-04": ("empty", ["zdlyxxgk/ylfw/yljgml"])}
    assert percents(report) == {"社会救助": (12, 13, 92.3), "养老服务": (4, 5, 80.0)}
    assert standard_findings(report) == [("standard_missing", "未指定科室", "社会救助：临时救助 / 政策法规文件（shjz-11）")]
    # ylfw-04's empty column is one finding, 空白栏目 (the 19号 indicator), naming the item; not a second one
    [blank] = [f for f in report.findings if f.href == "zdlyxxgk/ylfw/yljgml/index.html"]
    assert (blank.kind, blank.office) == ("empty", "养老服务处")
    assert "（空白栏目，它落实的标准目录事项 ylfw-04 因此也没有内容）" in blank.message
    text_report = inspection.format_text(report)
    assert "【社会救助】社会救助领域基层政务公开标准目录（民办函〔2019〕52号）：12/13 项已落实（92.3%）" in text_report
    assert "shjz-11 临时救助 / 政策法规文件｜未落实（没有对应栏目）｜—｜—" in text_report
    soup = BeautifulSoup(inspection.format_html(report), "html.parser")
    rows = {tr["data-item"]: tr["data-state"] for tr in soup.select("table.coverage tr[data-item]")}
    assert rows == {k: v[0] for k, v in EXAMPLE.items()} | {"shjz-11": "missing", "ylfw-04": "empty"}
    assert "ylfw-04 养老服务业务办理 / 养老机构备案｜栏目无内容｜zdlyxxgk/ylfw/yljgml｜养老服务处" in text_report


def test_a_column_with_only_expired_documents_has_no_content_in_force(tmp_path: Path):
    """临时救助 holds the 2022 试行 rules (expired 2024-04-30) and the 民政部 意见 the bureau reposted: without the
    repost it shows nothing in force — not 已落实, and not 栏目无内容 either: it has content, none of it valid."""
    root = copy_example(tmp_path / "site")
    doc = root / "content" / "documents" / "2024" / "mzb-2018-23.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("columns: [sjwj, lsjz]", "columns: [sjwj]"), encoding="utf-8")
    report = inspection.inspect(load_catalogue(root, TODAY), TODAY)
    assert states(report) == EXAMPLE | {"shjz-11": ("void", ["zdlyxxgk/shjzhshfl/lsjz"])}
    assert percents(report)["社会救助"] == (12, 13, 92.3)
    assert standard_findings(report) == [("standard_void", "社会救助处", "社会救助：临时救助 / 政策法规文件（shjz-11）")]
    assert "shjz-11 临时救助 / 政策法规文件｜栏目只有已失效、已废止的信息｜zdlyxxgk/shjzhshfl/lsjz｜社会救助处" in \
        inspection.format_text(report)
    # a repealed (废止) document is no content in force either; an amended (修改) one still is
    old = root / "content" / "documents" / "2022" / "szmz-2022-2.md"
    text = old.read_text(encoding="utf-8").replace("expires: 2024-04-30\n", "")
    for status, state in (("废止", "void"), ("修改", "ok")):
        old.write_text(text.replace("normative: true\n", f"normative: true\nstatus: {status}\nstatus_date: 2024-05-01\n"),
                       encoding="utf-8")
        assert states(inspection.inspect(load_catalogue(root, TODAY), TODAY))["shjz-11"][0] == state, status


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


# periodic 公开时限 as real tables write them: 「每20个工作日更新」 (汕头市民政局's 养老机构备案信息 row,
# hellobeijing.org/cy/ztzl/zwgksxbzml/ylfw/index), 「每年1月31日前」 (《政府信息公开条例》第五十条's annual report),
# 「每季度结束后15个工作日内」 and 「每季度更新」; judged on 2026-11-01 against the newest document of 临时救助
PERIODIC = [
    # 20 working days after 09-25 (中秋 off; 国庆 1–7 off, Saturday 10-10 worked) is 10-29: stale since
    ("每20个工作日更新", ["2026-09-25"], ("stale", D(2026, 10, 29), D(2026, 9, 25))),
    ("每20个工作日更新", ["2026-09-25", "2026-10-20"], ("ok", None, D(2026, 10, 20))),  # due 11-17
    # due each 31 January: the content of 2026 was due 2026-01-31 and nothing came after the 2025 one
    ("每年1月31日前", ["2025-01-20"], ("stale", D(2026, 1, 31), D(2025, 1, 20))),
    ("每年1月31日前", ["2025-01-20", "2026-01-28"], ("ok", None, D(2026, 1, 28))),
    # the third quarter's content was due 15 working days after 09-30, across 国庆: 10-27
    ("每季度结束后15个工作日内", ["2026-07-20"], ("stale", D(2026, 10, 27), D(2026, 7, 20))),
    ("每季度结束后15个工作日内", ["2026-07-20", "2026-10-26"], ("ok", None, D(2026, 10, 26))),
    ("每季度更新", ["2026-07-31"], ("stale", D(2026, 10, 31), D(2026, 7, 31))),
    ("每季度更新", ["2026-08-01"], ("ok", None, D(2026, 8, 1))),
]


@pytest.mark.parametrize("deadline, published, expected", PERIODIC)
def test_periodic_limits_find_content_older_than_the_period_allows(tmp_path: Path, deadline, published, expected):
    make_site(tmp_path, COLUMNS, {f"d{n}.md": doc(f"第{n}份", day, day, "lsjz") for n, day in enumerate(published)},
              site_yml=MINIMAL_SITE_YML + "standards: [社会救助]\n")
    cat = load_catalogue(tmp_path, D(2026, 11, 1))
    item = cat.standards[0].item("shjz-11")
    item.deadline, item.schedule = deadline, parse_schedule(deadline)
    report = inspection.inspect(cat, D(2026, 11, 1))
    got = next(i for d in report.coverage for i in d.items if i.id == "shjz-11")
    assert (got.state, got.due, got.last_update) == expected
    assert percents(report)["社会救助"] == (1, 13, 7.7)  # stale content is there: it counts as implemented
    stale = [f for f in report.findings if f.kind == "standard_stale"]
    if expected[0] == "stale":
        assert [(f.office, f.subject) for f in stale] == [("社会救助科", "社会救助：临时救助 / 政策法规文件（shjz-11）")]
        assert f"最近更新 {expected[2]}；公开时限「{deadline}」要求 {expected[1]} 前有新的内容" == stale[0].message
        assert "shjz-11 临时救助 / 政策法规文件｜超过公开时限未更新｜shjz/lsjz" in inspection.format_text(report)
        item = next(i for d in report.to_json()["coverage"] for i in d["items"] if i["id"] == "shjz-11")
        assert (item["state"], item["due"], item["last_update"]) == ("stale", str(expected[1]), str(expected[2]))
        soup = BeautifulSoup(inspection.format_html(report), "html.parser")
        assert soup.select_one('table.coverage tr[data-item="shjz-11"]')["data-state"] == "stale"
    else:
        assert stale == []


def test_no_declared_standard_no_section():
    cat = load_catalogue(REPO, TODAY)
    cat.standards = []
    report = inspection.inspect(cat, TODAY)
    assert report.coverage == [] and "五、基层政务公开标准目录" not in inspection.format_text(report)


def test_a_partial_standard_tells_the_clerk_what_to_do():
    """The report's 注意 under a standard gongkai ships in part was its transcription note (which county's copy showed
    which row, `source.searched`, `rows`): words for gongkai's maintainers. A clerk reads what is missing, what the
    percentage then means and what to do; the transcription note stays in the JSON report."""
    report = inspection.inspect(load_catalogue(REPO, TODAY), TODAY)
    yl = report.coverage[1]
    assert yl.domain == "养老服务" and not yl.complete
    assert yl.note.startswith("gongkai 随附的这份标准目录不完整：只收录了原表的 6 项")
    assert "覆盖率只按这 6 项计算" in yl.note and "不写 implements" in yl.note
    assert "请对照原件《民政部办公厅关于印发社会救助和养老服务领域基层政务公开标准指引的通知》（民办函〔2019〕52号）" in yl.note
    assert not any(word in yl.note for word in ("副本", "source.searched", "rows", "转录"))
    assert "云阳县" in yl.transcription and "source.searched" in yl.transcription
    text = inspection.format_text(report)
    assert f"  注意：{yl.note}\n" in text and "source.searched" not in text
    assert "source.searched" not in inspection.format_html(report)
    assert report.coverage[0].note == report.coverage[0].transcription == ""  # 社会救助 is whole
