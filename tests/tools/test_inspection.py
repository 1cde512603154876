"""The rules of gongkai.tools.inspection one by one, on small catalogues loaded in process (no build, no CLI).

The whole report on a built site and the `gongkai inspect` command are tests/cli/test_inspect.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_SITE_YML, make_site
from gongkai.load.loader import load_catalogue
from gongkai.tools import inspection
from gongkai.tools.inspection import NO_OFFICE, SITE_WIDE, Finding

D = dt.date
DAY = D(2026, 3, 15)


def doc(title: str, published: str, columns: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\npublished: {published}\ncolumns: [{columns}]\n{extra}---\n\n正文。\n"


def catalogue(tmp_path: Path, columns: str, documents: dict[str, str] | None = None, pages: dict[str, str] | None = None,
              site_extra: str = "", day: dt.date = DAY):
    make_site(tmp_path, columns, documents or {}, site_yml=MINIMAL_SITE_YML + site_extra, pages=pages)
    return load_catalogue(tmp_path, day)


def col(cat, path: str):
    return next(c for c in cat.columns() if c.path == path)


def kinds(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.kind, f.office, f.subject) for f in findings]


COLUMNS = """\
columns:
  - name: 法定主动公开内容
    office: 办公室
    children:
      - name: 通知公告
        kind: documents
        frequency: 及时更新
      - name: 统计数据
        kind: documents
        frequency: 每月更新
        office: 统计科
      - name: 机构简介
        kind: page
        page: pages/jgjj.md
        frequency: 每年更新
      - name: 领导信息
        kind: page
        page: pages/ldxx.md
        frequency: 长期公开
  - name: 其他
    kind: documents
    frequency: 每年更新
"""
PAGES = {"pages/jgjj.md": "本局简介。\n", "pages/ldxx.md": "局长：张三。\n"}


def test_office_falls_back_to_the_parent_then_to_none(tmp_path):
    cat = catalogue(tmp_path, COLUMNS, pages=PAGES)
    assert inspection.office_of(col(cat, "fdzdgknr/tzgg")) == "办公室"  # from 法定主动公开内容
    assert inspection.office_of(col(cat, "fdzdgknr/tjsj")) == "统计科"
    assert inspection.office_of(col(cat, "qt")) == NO_OFFICE
    assert inspection.office_of(None) == NO_OFFICE
    assert col(cat, "fdzdgknr/tjsj").trail_text() == "法定主动公开内容 / 统计数据"


@pytest.mark.parametrize("published, today, overdue", [
    ("2026-02-15", DAY, 0),  # 每月更新: due one month later, 2026-03-15, which is today
    ("2026-02-14", DAY, 1),
    ("2025-12-01", DAY, 73),  # due 2026-01-01
])
def test_a_documents_column_is_overdue_after_its_frequency(tmp_path, published, today, overdue):
    cat = catalogue(tmp_path, COLUMNS, {"a.md": doc("统计", published, "tjsj")}, PAGES)
    s = inspection.column_status(cat, col(cat, "fdzdgknr/tjsj"), today)
    assert (s.last_update, s.documents, s.empty, s.period, s.overdue_days) == (D.fromisoformat(published), 1, False, "1个月", overdue)
    findings: list[Finding] = []
    inspection.check_columns(cat, today, findings)
    mine = [f for f in findings if f.subject == "法定主动公开内容 / 统计数据"]
    if overdue:
        [f] = mine
        assert (f.kind, f.office, f.href, f.source) == ("overdue", "统计科", "fdzdgknr/tjsj/index.html", "catalog/columns.yml:8")
        assert f.message == (f"最近更新 {published}，更新频率「每月更新」（最长 1个月 更新一次，应于 {s.due} 前更新），"
                             f"已超期 {overdue} 天")
    else:
        assert mine == []


def test_an_event_driven_column_has_no_period_but_a_notice_column_has_the_19_limit(tmp_path):
    # 及时更新 is not "every 30 days": nothing new may have happened; but 通知公告 is a 19号 class: 6 months
    cat = catalogue(tmp_path, COLUMNS, {"a.md": doc("通知", "2025-09-14", "tzgg")}, PAGES)
    s = inspection.column_status(cat, col(cat, "fdzdgknr/tzgg"), DAY)
    assert (s.period, s.due, s.overdue_days, s.klass, s.stale_days) == ("", None, 0, "通知公告", 1)
    s = inspection.column_status(cat, col(cat, "fdzdgknr/tzgg"), D(2026, 3, 14))
    assert s.stale_days == 0  # 2025-09-14 + 6 months = 2026-03-14


def test_withheld_documents_do_not_count_as_updates(tmp_path):
    cat = catalogue(tmp_path, COLUMNS, {"a.md": doc("内部", "2026-03-10", "tjsj", "disclosure: 依申请公开\n")}, PAGES)
    s = inspection.column_status(cat, col(cat, "fdzdgknr/tjsj"), DAY)
    assert s.empty and s.last_update is None and s.documents == 0


def test_empty_columns_pages_without_dates_and_columns_with_no_period(tmp_path):
    pages = {"pages/jgjj.md": "   \n", "pages/ldxx.md": "局长：张三。\n"}
    cat = catalogue(tmp_path, COLUMNS, {"a.md": doc("通知", "2026-03-01", "tzgg")}, pages)
    findings: list[Finding] = []
    statuses = {s.path: s for s in inspection.check_columns(cat, DAY, findings)}
    assert statuses["fdzdgknr"].period == ""  # a section is judged by its children
    assert statuses["fdzdgknr/ldxx"].period == "" and not statuses["fdzdgknr/ldxx"].empty  # 长期公开
    assert kinds(findings) == [("empty", "统计科", "法定主动公开内容 / 统计数据"), ("empty", "办公室", "法定主动公开内容 / 机构简介"),
                               ("empty", NO_OFFICE, "其他")]
    # with text but no `updated:` the page cannot be judged: it says so and where to write the date
    cat = catalogue(tmp_path / "b", COLUMNS, {"a.md": doc("通知", "2026-03-01", "tzgg")}, PAGES)
    findings = []
    inspection.check_columns(cat, DAY, findings)
    [no_date] = [f for f in findings if f.kind == "no_date"]
    assert no_date.subject == "法定主动公开内容 / 机构简介" and no_date.source == "content/pages/jgjj.md"
    assert "updated: YYYY-MM-DD" in no_date.message


def test_a_dated_page_is_judged_by_its_updated_date(tmp_path):
    pages = {**PAGES, "pages/jgjj.md": "---\nupdated: 2025-01-01\n---\n\n本局简介。\n"}
    cat = catalogue(tmp_path, COLUMNS, {"a.md": doc("通知", "2026-03-01", "tzgg")}, pages)
    s = inspection.column_status(cat, col(cat, "fdzdgknr/jgjj"), DAY)
    assert (s.last_update, s.period, s.due, s.overdue_days) == (D(2025, 1, 1), "1年", D(2026, 1, 1), (DAY - D(2026, 1, 1)).days)


POLICY_COLUMNS = """\
columns:
  - name: 政策文件
    kind: policies
    office: 法规科
  - name: 通知公告
    kind: documents
  - name: 工作动态
    kind: documents
  - name: 上级文件
    kind: page
    page: pages/sjwj.md
"""


def test_19_classes_by_declaration_kind_and_name_or_as_configured(tmp_path):
    cat = catalogue(tmp_path, POLICY_COLUMNS, pages={"pages/sjwj.md": "x\n"})
    findings: list[Finding] = []
    policy = inspection.configured_policy_columns(cat, findings)
    # kind policies, names of notices and news; a page is not a list of documents
    assert {c.path: inspection.column_class(c, policy) for c in cat.columns()} == {
        "zcwj": "政策文件", "tzgg": "通知公告", "gzdt": "动态要闻", "sjwj": "其他"}
    cat = catalogue(tmp_path / "b", POLICY_COLUMNS.replace("  - name: 通知公告\n", "  - name: 通知公告\n    inspect_as: 其他\n"),
                    pages={"pages/sjwj.md": "x\n"}, site_extra="inspection:\n  policy_columns: [gzdt, /zcwj/, nosuch]\n")
    policy = inspection.configured_policy_columns(cat, findings)
    assert policy == {"gzdt", "zcwj"}
    assert {c.path: inspection.column_class(c, policy) for c in cat.columns()} == {
        "zcwj": "政策文件", "tzgg": "其他", "gzdt": "政策文件", "sjwj": "其他"}
    assert [(f.kind, f.office, f.subject, f.source) for f in findings] == [("rule", SITE_WIDE, "nosuch", "catalog/site.yml")]
    assert "「nosuch」不存在" in findings[0].message


def test_news_stale_after_two_weeks_notices_after_six_months(tmp_path):
    docs = {"a.md": doc("办法", "2025-09-15", "zcwj"), "b.md": doc("通知", "2025-09-14", "tzgg"),
            "c.md": doc("动态", "2026-03-01", "gzdt")}
    cat = catalogue(tmp_path, POLICY_COLUMNS, docs, {"pages/sjwj.md": "x\n"})
    findings: list[Finding] = []
    inspection.check_columns(cat, DAY, findings)
    # 2025-09-15 + 6 months is today: not yet; 2026-03-01 + 14 days is today: not yet
    assert kinds(findings) == [("policy_stale", NO_OFFICE, "通知公告")]
    assert findings[0].message == "通知公告类栏目，最近更新 2025-09-14，超过 6 个月未更新（已超 1 天）"
    findings = []
    inspection.check_columns(cat, DAY + dt.timedelta(days=1), findings)
    assert sorted(kinds(findings)) == [("news_stale", NO_OFFICE, "工作动态"), ("policy_stale", NO_OFFICE, "通知公告"),
                                       ("policy_stale", "法规科", "政策文件")]


NORMATIVE = """\
columns:
  - name: 政策文件
    kind: policies
    office: 法规科
  - name: 政策解读
    kind: documents
"""


def test_documents_expired_expiring_and_without_interpretation(tmp_path):
    docs = {
        "expired.md": doc("到期办法", "2021-01-01", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕91号\nexpires: 2026-03-14\n"),
        "marked.md": doc("已废止办法", "2021-01-01", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕92号\nexpires: 2026-01-01\nstatus: 废止\n"),
        "soon.md": doc("将到期办法", "2022-01-01", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕93号\nexpires: 2026-09-15\n"),
        "later.md": doc("远期办法", "2022-01-01", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕94号\nexpires: 2026-09-16\n"),
        "later-jd.md": doc("远期办法解读", "2022-01-02", "zcjd", "interprets: later\n"),
        "plain.md": doc("普通通知", "2022-01-01", "zcwj"),
    }
    cat = catalogue(tmp_path, NORMATIVE, docs)
    findings: list[Finding] = []
    inspection.check_documents(cat, DAY, findings)
    assert kinds(findings) == [("expired", "法规科", "到期办法"), ("expiring", "法规科", "将到期办法"),
                               ("no_interpretation", "法规科", "将到期办法")]
    expired, expiring, _ = findings
    assert "有效期至 2026-03-14，已经到期" in expired.message and expired.href == "documents/expired.html"
    assert expired.source == "content/documents/expired.md:2"  # the front matter's first line
    assert expiring.message.startswith("有效期至 2026-09-15，184 天后到期")
    # an expired document needs no interpretation finding: it is reported as expired
    assert "到期办法" not in [f.subject for f in findings if f.kind == "no_interpretation"]


def test_guide_due_after_its_period(tmp_path):
    columns = "columns:\n  - name: 政府信息公开指南\n    kind: guide\n    office: 办公室\n"
    guide = {"guide.md": "---\nrevised: 2025-03-15\n---\n\n指南。\n"}
    cat = catalogue(tmp_path, columns, pages=guide)
    findings: list[Finding] = []
    inspection.check_guide(cat, D(2026, 3, 14), findings)
    assert [f for f in findings if f.kind == "guide_stale"] == []
    inspection.check_guide(cat, DAY, findings)
    findings = [f for f in findings if f.kind == "guide_stale"]  # (this site also lacks a contact block)
    assert kinds(findings) == [("guide_stale", "办公室", "政府信息公开指南")]
    assert findings[0].message == "上次修订于 2025-03-15，已约 12 个月未修订（要求 12 个月内核对修订）"
    assert findings[0].source == "content/guide.md" and findings[0].href == "zfxxgkzn/index.html"


REPORTS = "columns:\n  - name: 政府信息公开年报\n    kind: reports\n    office: 办公室\n"


@pytest.mark.parametrize("today, docs, found", [
    (D(2026, 1, 31), {}, False),  # the deadline day itself
    (D(2026, 2, 1), {}, True),
    (D(2026, 2, 1), {"nb.md": doc("2025年年报", "2026-01-20", "zfxxgknb", "year: 2025\n")}, False),
    (D(2026, 2, 1), {"nb.md": doc("年报", "2026-01-20", "zfxxgknb")}, False),  # no year: the year before publishing
    (D(2026, 2, 1), {"nb.md": doc("年报", "2025-01-20", "zfxxgknb")}, True),  # the report of 2024
])
def test_annual_report_after_the_deadline(tmp_path, today, docs, found):
    cat = catalogue(tmp_path, REPORTS, docs)
    findings: list[Finding] = []
    inspection.check_annual_report(cat, today, findings)
    assert kinds(findings) == ([("annual_report", "办公室", "2025年度报告")] if found else [])
    if found:
        assert "应于 2026-01-31 前公布 2025 年政府信息公开工作年度报告" in findings[0].message
        # a new bureau's clerk is told the command that starts one
        assert "可先用 gongkai report new 2025 生成骨架 content/reports/2025.yml" in findings[0].message


def test_annual_report_without_a_reports_column_and_with_a_later_deadline(tmp_path):
    cat = catalogue(tmp_path, "columns:\n  - name: 通知\n    kind: documents\n", site_extra="inspection:\n  report_deadline: 03-31\n")
    findings: list[Finding] = []
    inspection.check_annual_report(cat, D(2026, 3, 31), findings)
    assert findings == []
    inspection.check_annual_report(cat, D(2026, 4, 1), findings)
    assert kinds(findings) == [("annual_report", SITE_WIDE, "2025年度报告")] and "kind: reports" in findings[0].message


# --- links in the built HTML -----------------------------------------------------------------------


def test_link_ok():
    files = {"index.html", "a/index.html", "a/b.html", "img/x.png"}
    assert inspection._link_ok("a", "b.html", files)
    assert inspection._link_ok("a", "../index.html", files)
    assert inspection._link_ok("a", "./", files) and inspection._link_ok("", "a/", files) and inspection._link_ok("", "a", files)
    assert inspection._link_ok("a/c", "/img/x.png", files)  # site-absolute
    assert not inspection._link_ok("a", "c.html", files)
    assert not inspection._link_ok("", "../index.html", files)  # leaves the site


def test_check_links_reports_each_broken_page_once_for_its_office(tmp_path):
    cat = catalogue(tmp_path / "src", COLUMNS, {"a.md": doc("通知", "2026-03-01", "tzgg")}, PAGES)
    site = tmp_path / "site"
    pages = {
        "index.html": '<a href="fdzdgknr/tzgg/index.html">x</a><a href="https://www.gov.cn/">外</a><a href="#top">锚</a>'
                      '<a href="mailto:a@b.cn">信</a><img src="//cdn.example/x.png">',
        "fdzdgknr/tzgg/index.html": '<a href="../../documents/a.html?x=1#p">文</a> <a href=\'../jgjj/\'>简介</a>'
                                    '<a href="../../nosuch.html">断</a><link href="../../nosuch.css">',
        "documents/a.html": '<img src="../files/%E9%99%84%E4%BB%B6.pdf"><a href="../fdzdgknr/tzgg/index.html">回</a>',
        "fdzdgknr/jgjj/index.html": "",
        "files/附件.pdf": "",
        "assets/x.html": '<a href="broken.html">主题文件不查</a>',
        "loose.html": '<a href="gone/">?</a>',
    }
    for rel, text in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    findings: list[Finding] = []
    assert inspection.check_links(cat, site, findings) == 5  # assets/ and 404.html are not checked
    assert [(f.kind, f.office, f.subject, f.href, f.message) for f in findings] == [
        ("broken_link", "办公室", "法定主动公开内容 / 通知公告", "fdzdgknr/tzgg/index.html", "链接目标不存在：../../nosuch.css、../../nosuch.html"),
        ("broken_link", SITE_WIDE, "loose.html", "loose.html", "链接目标不存在：gone/"),
    ]


# --- the report ----------------------------------------------------------------------------------


def test_thresholds_and_verdict(tmp_path):
    cat = catalogue(tmp_path, COLUMNS, {"a.md": doc("通知", "2026-03-01", "tzgg")}, PAGES,
                    site_extra="inspection:\n  empty_limit: 2\n  home_stale_days: 13\n")
    report = inspection.inspect(cat, DAY)
    verdicts = {t.key: (t.failed, t.value) for t in report.thresholds}
    assert verdicts == {"home": (True, "最近发布 2026-03-01（14 天前）"), "stale": (False, "0 个栏目未按期更新"),
                        "overdue": (False, "0 个"), "empty": (True, "2 个")}
    assert not report.passed and report.links_checked == 0 and "gongkai build" in report.link_note
    assert "home_stale" in [f.kind for f in report.findings]


def test_findings_are_grouped_site_wide_first_then_by_pinyin_then_no_office():
    report = inspection.Report("局", DAY, [], [
        Finding("empty", NO_OFFICE, "丙", ""), Finding("overdue", "综合科", "乙", ""), Finding("empty", "综合科", "甲", ""),
        Finding("home_stale", SITE_WIDE, "首页", ""), Finding("overdue", "办公室", "丁", "")], [])
    groups = report.by_office()
    assert list(groups) == [SITE_WIDE, "办公室", "综合科", NO_OFFICE]
    assert [f.subject for f in groups["综合科"]] == ["乙", "甲"]  # by kind (overdue before empty), then page, subject
    assert report.passed  # no thresholds failed


def test_text_and_html_output_escape_and_agree(tmp_path):
    cat = catalogue(tmp_path, COLUMNS.replace("office: 统计科", 'office: "统计科<i>"'),
                    {"a.md": doc("通知", "2026-03-01", "tzgg")}, PAGES)
    report = inspection.inspect(cat, DAY)
    text = inspection.format_text(report)
    assert "结论：合格" in text and "【统计科<i>】（1 项）" in text
    assert "  法定主动公开内容 / 统计数据｜每月更新｜统计科<i>｜—｜空白\n" in text
    page = inspection.format_html(report)
    assert "统计科<i>" not in page and "统计科&lt;i&gt;" in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find(id="verdict").get_text() == "合格"
    assert [t["data-office"] for t in soup.select("table.office")] == [o for o in report.by_office()]
    data = report.to_json()
    assert data["today"] == "2026-03-15" and data["verdict"] == "合格"
    assert data["offices"]["统计科<i>"][0]["label"] == "空白栏目"


# --- working days: Art. 26 and 三同步 ---------------------------------------------------------------

TIMELY = """\
columns:
  - name: 部门文件
    kind: documents
    frequency: 及时更新
    office: 办公室
  - name: 公示
    kind: documents
    frequency: 信息形成或者变更之日起5个工作日内
"""


@pytest.mark.parametrize("published, late", [("2025-10-30", None), ("2025-10-31", 1), ("2025-11-04", 3)])
def test_art26_counts_working_days_across_national_day_and_its_adjusted_weekends(tmp_path, published, late):
    # 成文 Friday 2025-09-26. 2025's 放假安排: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked (调休).
    # The 20th working day after it is 2025-10-30 (Monday to Friday alone would give 2025-10-24).
    docs = {"a.md": doc("关于印发某办法的通知", published, "bmwj", "written: 2025-09-26\n")}
    cat = catalogue(tmp_path, TIMELY, docs, day=D(2025, 12, 1))
    report = inspection.inspect(cat, D(2025, 12, 1))
    found = [f for f in report.findings if f.kind == "art26_late"]
    if late is None:
        assert found == []
    else:
        [f] = found
        assert (f.office, f.subject, f.href) == ("办公室", "关于印发某办法的通知", "documents/a.html")
        assert f.message == (f"成文 2025-09-26，{published} 发布；应在 20个工作日内（2025-10-30 前）公开，"
                             f"晚了 {late}个工作日（《政府信息公开条例》第二十六条）")
    assert report.notes == []  # 2025 is in the packaged calendar


def test_a_column_stating_its_own_limit_judges_its_documents_by_it(tmp_path):
    # 5 working days after Thursday 2025-09-25: 09-26, 09-28 (调休 Sunday), 09-29, 09-30, 10-09
    docs = {"a.md": doc("公示一", "2025-10-09", "gs", "written: 2025-09-25\n"),
            "b.md": doc("公示二", "2025-10-10", "gs", "written: 2025-09-25\n")}
    report = inspection.inspect(catalogue(tmp_path, TIMELY, docs, day=D(2025, 12, 1)), D(2025, 12, 1))
    assert [(f.subject, f.message.split("；")[1]) for f in report.findings if f.kind == "art26_late"] == [
        ("公示二", "应在 5个工作日内（2025-10-09 前）公开，晚了 1个工作日（《政府信息公开条例》第二十六条）")]


def test_an_items_deadline_judges_the_documents_of_its_column(tmp_path):
    # 最低生活保障's 公开事项 say 10 working days (制定或获取信息之日起10个工作日内): shorter than Art. 26's 20
    cols = TIMELY + ("  - name: 最低生活保障\n    kind: documents\n    frequency: 每月更新\n    items:\n"
                     "      - name: 审核信息\n        deadline: 制定或获取信息之日起10个工作日内\n")
    # 10 working days after Friday 2025-09-26: 09-28 (调休), 09-29, 09-30, 10-09, 10-10, 10-11 (调休), 10-13 .. 10-16
    docs = {"a.md": doc("低保审核名单", "2025-10-17", "zdshbz", "written: 2025-09-26\n"),
            "b.md": doc("低保审核名单（二）", "2025-10-16", "zdshbz", "written: 2025-09-26\n")}
    report = inspection.inspect(catalogue(tmp_path, cols, docs, day=D(2025, 12, 1)), D(2025, 12, 1))
    assert [(f.subject, f.message.split("；")[1]) for f in report.findings if f.kind == "art26_late"] == [
        ("低保审核名单", "应在 10个工作日内（2025-10-16 前）公开，晚了 1个工作日（《政府信息公开条例》第二十六条）")]


def test_lateness_is_listed_for_the_period_only(tmp_path):
    docs = {"a.md": doc("旧文", "2024-06-30", "bmwj", "written: 2024-01-02\n")}
    cat = catalogue(tmp_path, TIMELY, docs, day=D(2025, 12, 1))
    assert [f for f in inspection.inspect(cat, D(2025, 12, 1)).findings if f.kind == "art26_late"] == []
    found = inspection.inspect(cat, D(2025, 12, 1), since=D(2024, 1, 1)).findings
    assert [f.subject for f in found if f.kind == "art26_late"] == ["旧文"]


def test_a_year_past_the_package_is_assumed_and_said_until_the_bureau_adds_it(tmp_path):
    docs = {"a.md": doc("远期文件", "2099-02-02", "bmwj", "written: 2099-01-02\n")}
    cat = catalogue(tmp_path, TIMELY, docs, day=D(2099, 3, 1))
    report = inspection.inspect(cat, D(2099, 3, 1))
    # Monday to Friday: 20 working days after Friday 2099-01-02 is Friday 2099-01-30
    [f] = [f for f in report.findings if f.kind == "art26_late"]
    assert "（2099-01-30 前）" in f.message and "晚了 1个工作日" in f.message
    [note] = report.notes
    assert "2099年" in note and "周一至周五" in note
    assert "注意：" + note in inspection.format_text(report)
    # the bureau writes the year's 放假安排 in site.yml: 01-26..01-30 off, Saturday 01-31 worked
    extra = "calendar:\n  holidays: [2099-01-26~2099-01-30]\n  workdays: [2099-01-31]\n"
    cat = catalogue(tmp_path / "b", TIMELY, docs, site_extra=extra, day=D(2099, 3, 1))
    report = inspection.inspect(cat, D(2099, 3, 1))
    assert report.notes == []
    assert [f for f in report.findings if f.kind == "art26_late"] == []  # due 2099-02-05 now


def test_interpretations_published_later_than_the_site_allows(tmp_path):
    cols = NORMATIVE
    docs = {"p.md": doc("办法", "2026-03-02", "zcwj", "normative: true\ndoc_number: 示民规〔2024〕95号\n"),
            "j.md": doc("解读", "2026-03-04", "zcjd", "interprets: p\n")}
    report = inspection.inspect(catalogue(tmp_path, cols, docs), DAY)
    [f] = [f for f in report.findings if f.kind == "interpretation_late"]
    assert f.message == "解读「办法」（2026-03-02 发布），解读 2026-03-04 才发布，晚了 2 个工作日；应与政策文件同步发布（三同步）"
    report = inspection.inspect(catalogue(tmp_path / "b", cols, docs, site_extra="inspection:\n  interpretation_workdays: 2\n"), DAY)
    assert [f for f in report.findings if f.kind == "interpretation_late"] == []


# --- the example bureau, aged --------------------------------------------------------------------


def test_the_example_passes_on_its_build_date_and_fails_each_rule_when_it_falls_due():
    from conftest import BUILD_DATE, REPO

    cat = load_catalogue(REPO, D.fromisoformat(BUILD_DATE))

    def failed(day: dt.date) -> dict[str, bool]:
        return {t.key: t.failed for t in inspection.inspect(cat, day).thresholds}

    ok = {"home": False, "stale": False, "overdue": False, "empty": False}
    assert failed(D(2026, 11, 24)) == ok
    report = inspection.inspect(cat, D(2026, 11, 24))
    assert [f.subject for f in report.findings if f.kind in ("news_stale", "policy_stale")] == ["法定主动公开内容 / 政策法规 / 上级文件"]
    # the newest document is of 2026-11-21: the home page fails on the 15th day
    assert failed(D(2026, 12, 5)) == ok
    assert failed(D(2026, 12, 6)) == ok | {"home": True}
    # the 10th column past its own 更新频率 on 2027-01-11 (the 公示名单 and 名录 columns count too)
    assert failed(D(2027, 1, 10)) == ok | {"home": True}
    assert failed(D(2027, 1, 11)) == ok | {"home": True, "overdue": True}
    overdue = [f.subject for f in inspection.inspect(cat, D(2027, 1, 11)).findings if f.kind == "overdue"]
    assert len(overdue) == 10 and "法定主动公开内容 / 财政资金 / 专项资金管理和使用情况" in overdue
    # the policy columns: 部门文件 and 政策文件 (newest 2026-11-10) join 上级文件 on 2027-05-11, three of the five
    # 19号 counts; with no 动态要闻 column the example cannot fail this rule before other rules, but a stricter site can
    def stale(day: dt.date) -> list[str]:
        return [f.subject for f in inspection.inspect(cat, day).findings if f.kind in ("news_stale", "policy_stale")]

    assert stale(D(2027, 5, 10)) == ["法定主动公开内容 / 政策法规 / 上级文件"]
    assert stale(D(2027, 5, 11)) == ["法定主动公开内容 / 政策法规 / 部门文件", "法定主动公开内容 / 政策法规 / 上级文件", "政策文件"]
    assert next(t for t in inspection.inspect(cat, D(2027, 5, 11)).thresholds if t.key == "stale").value == "3 个栏目未按期更新"
    cat.site.inspection.stale_limit = 3  # as a province may set it
    assert failed(D(2027, 5, 10))["stale"] is False and failed(D(2027, 5, 11))["stale"] is True


def test_a_blank_column_says_how_it_gets_content(tmp_path):
    """A new site lists dozens of 空白栏目 that said only 「栏目没有任何内容」: each now says, for its kind, where its
    content is written; a column carrying out a standard item is not told to be deleted without declaring it 不涉及."""
    columns = ("columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n    office: 办公室\n"
               "  - name: 常见问题\n    id: cjwt\n    kind: faq\n    office: 办公室\n"
               "  - name: 留言选登\n    id: lyxd\n    kind: messages\n    office: 办公室\n"
               "  - name: 低保办事指南\n    id: dbbszn\n    kind: documents\n    office: 救助股\n    implements: [shjz-04]\n")
    cat = catalogue(tmp_path, columns, site_extra="standards: [社会救助]\n")
    findings: list[Finding] = []
    inspection.check_columns(cat, DAY, findings)
    said = {f.subject: f.message for f in findings if f.kind == "empty"}
    assert said["通知公告"] == ("栏目没有任何内容（空白栏目）；请在 content/documents/ 中发布文件（front matter 写 columns: [tzgg]）；"
                            "本机关没有这类信息的，可从 catalog/columns.yml 中删去本栏目")
    assert said["常见问题"].endswith("请在 catalog/faq.yml 中填写常见问题和解答")
    assert "catalog/messages.yml" in said["留言选登"]
    assert said["低保办事指南"].endswith("本机关不涉及这一标准事项的，从 catalog/columns.yml 中删去本栏目，并在 catalog/site.yml 的 "
                                   "standards_not_applicable 中写明理由（如 shjz-04: 理由）")
