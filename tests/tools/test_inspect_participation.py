"""`gongkai inspect` on 重大行政决策: the year's 事项目录 by 31 March, 意见采纳情况 within the working days after the
征求意见 closes (gongkai.workdays: 国庆 and 调休 counted)."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from conftest import BUILD_DATE, REPO, make_site
from gongkai.load.loader import load_catalogue
from gongkai.tools.inspection import format_text, inspect

DAY = dt.date.fromisoformat(BUILD_DATE)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, DAY)


def kinds(report, prefix="decision") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report.findings:
        if f.kind.startswith(prefix):
            out.setdefault(f.kind, []).append(f.subject)
    return out


def test_example_is_in_order_on_its_build_date(cat):
    # the second decision's 征求意见 runs until 2026-12-16: no feedback is due yet
    assert kinds(inspect(cat, DAY)) == {}


def test_a_later_day_flags_the_missing_feedback(cat):
    report = inspect(cat, dt.date(2027, 2, 10))
    assert kinds(report) == {"decision_feedback": ["修订《示例市养老机构等级评定管理办法》"]}
    (f,) = [f for f in report.findings if f.kind == "decision_feedback"]
    # 30 working days after 2026-12-16, counted Monday to Friday (2027's 放假安排 is not in the calendar yet)
    assert "2027-01-27 前" in f.message and f.href == "decisions/2026-yljgdj/index.html"
    line = (REPO / "catalog" / "decisions.yml").read_text(encoding="utf-8").split("\n").index("        consultation:", 30) + 1
    assert f.source == f"catalog/decisions.yml:{line}" and f.office == "示例市民政局养老服务处"
    assert "意见采纳情况未按期公开" in format_text(report)
    # the year counted Monday to Friday is said, once
    (note,) = [x.message for x in report.findings if x.kind == "workdays_assumed"]
    assert "2027年" in note and "周一至周五" in note


def test_a_day_before_the_deadline_flags_nothing(cat):
    assert kinds(inspect(cat, dt.date(2027, 1, 27))) == {}
    assert kinds(inspect(cat, dt.date(2027, 1, 28))) == {"decision_feedback": ["修订《示例市养老机构等级评定管理办法》"]}


def test_after_31_march_the_new_years_catalogue_is_due(cat):
    assert "decision_catalogue" not in kinds(inspect(cat, dt.date(2027, 3, 31)))
    found = kinds(inspect(cat, dt.date(2027, 4, 1)))
    assert found["decision_catalogue"] == ["2027年度重大行政决策事项目录"]


COLUMNS = """\
columns:
  - name: 意见征集
    id: yjzj
    kind: documents
    office: 法规科
  - name: 事项目录
    id: jcsxml
    kind: decisions
    office: 法规科
"""


def site(tmp_path, feedback_published: str, catalogue_published: str = "2026-03-20", workdays: int = 20):
    docs = {
        "a.md": "---\ntitle: 公告\npublished: 2026-09-01\ncolumns: [yjzj]\ndecision: jia\nstage: 征求意见\n---\n正文\n",
        "b.md": f"---\ntitle: 采纳情况\npublished: {feedback_published}\ncolumns: [yjzj]\ndecision: jia\nstage: 意见反馈\n---\n正文\n",
    }
    root = make_site(tmp_path, COLUMNS, docs)
    (root / "catalog" / "decisions.yml").write_text(textwrap.dedent(f"""\
        rules:
          feedback_workdays: {workdays}
        years:
          - year: 2026
            published: {catalogue_published}
            decisions:
              - id: jia
                name: 甲决策
                office: 甲处
                basis: 某条例
                planned: 2026年12月
                consultation: {{start: 2026-09-01, end: 2026-09-25, email: yj@example.gov.cn}}
        """), encoding="utf-8")
    return load_catalogue(root, DAY)


def test_national_day_is_not_a_working_day(tmp_path):
    # closes Friday 2026-09-25; 20 working days later, with 国庆 1–7 October off and the 调休 Saturdays worked
    from gongkai.workdays import WorkCalendar

    due = WorkCalendar().add_workdays(dt.date(2026, 9, 25), 20)
    assert due > dt.date(2026, 10, 23)  # Monday to Friday would give 2026-10-23
    on_time = site(tmp_path / "a", due.isoformat())
    assert kinds(inspect(on_time, DAY)) == {}
    late = site(tmp_path / "b", (due + dt.timedelta(days=1)).isoformat())
    report = inspect(late, DAY)
    assert kinds(report) == {"decision_feedback_late": ["甲决策"]}
    (f,) = [f for f in report.findings if f.kind == "decision_feedback_late"]
    assert f.source == "content/documents/b.md:3"  # its published: line and str(due) in f.message


def test_a_late_catalogue_is_flagged(tmp_path):
    report = inspect(site(tmp_path, "2026-10-09", catalogue_published="2026-04-15", workdays=30), DAY)
    assert kinds(report) == {"decision_catalogue_late": ["2026年度重大行政决策事项目录"]}
    (f,) = [f for f in report.findings if f.kind == "decision_catalogue_late"]
    assert "15 天" in f.message and f.office == "法规科" and f.source == "catalog/decisions.yml:4"


# --- 留言选登: replies within 5 working days, a 简单问题 within 1 -----------------------------------------------


def messages_site(tmp_path, rows: str):
    root = make_site(tmp_path, "columns:\n  - name: 留言选登\n    id: lyxd\n    kind: messages\n    office: 办公室\n")
    (root / "catalog" / "messages.yml").write_text("messages:\n" + textwrap.dedent(rows), encoding="utf-8")
    return load_catalogue(root, DAY)


def test_example_replies_are_in_time(cat):
    assert kinds(inspect(cat, DAY), "message") == {}


def test_late_replies_are_flagged_in_working_days(tmp_path):
    cat = messages_site(tmp_path, """\
        - {id: a, received: 2026-09-25, title: 国庆前来信, question: 问, replied: 2026-10-09, office: 甲处, answer: 答}
        - {id: b, received: 2026-09-25, title: 国庆前来信晚了, question: 问, replied: 2026-10-13, office: 甲处, answer: 答}
        - {id: c, received: 2026-11-02, title: 简单问题, question: 问, replied: 2026-11-04, office: 乙处, answer: 答, simple: true}
        - {id: d, received: 2026-11-02, title: 简单问题及时, question: 问, replied: 2026-11-03, office: 乙处, answer: 答, simple: true}
        """)
    report = inspect(cat, DAY)
    # 2026-09-25 (Fri) + 5 working days, 国庆 off: later than Monday to Friday would give (2026-10-02)
    from gongkai.workdays import WorkCalendar

    due = WorkCalendar().add_workdays(dt.date(2026, 9, 25), 5)
    assert due > dt.date(2026, 10, 2)
    assert kinds(report, "message") == {"message_late": ["简单问题", "国庆前来信晚了"]}  # newest letter first
    late = {f.subject: f for f in report.findings if f.kind == "message_late"}
    assert f"晚于期限 {due}" in late["国庆前来信晚了"].message and late["简单问题"].office == "乙处"
    assert late["简单问题"].href == "lyxd/index.html#c" and late["简单问题"].source == "catalog/messages.yml:4"


def test_a_late_reply_of_an_export_is_located_at_its_cell(tmp_path):
    root = make_site(tmp_path, "columns:\n  - name: 留言选登\n    id: lyxd\n    kind: messages\n    office: 办公室\n")
    (root / "catalog" / "messages.yml").write_text("spreadsheets:\n  - file: messages/x.csv\n", encoding="utf-8")
    (root / "content" / "messages").mkdir(parents=True)
    (root / "content" / "messages" / "x.csv").write_text(
        "工单编号,来电时间,标题,诉求内容,承办单位,办结时间,答复内容\n"
        "GD1,2026-11-02 09:00:00,按时,问,甲处,2026-11-06 17:00:00,答\n"
        "GD2,2026-11-02 09:10:00,晚了,问,甲处,2026-11-12 10:00:00,答\n", encoding="utf-8")
    report = inspect(load_catalogue(root, DAY), DAY)
    (late,) = [f for f in report.findings if f.kind == "message_late"]
    assert (late.subject, late.href) == ("晚了", "lyxd/index.html#gd2")
    assert late.source == "content/messages/x.csv 工作表 CSV 第 3 行 办结时间 列"


def test_the_statistics_column_is_dated_by_its_newest_published_report():
    from gongkai.tools.inspection import column_status

    DAY = dt.date.fromisoformat(BUILD_DATE)
    cat = load_catalogue(REPO, DAY)
    col = next(c for c in cat.columns() if c.path == "ysqgk/ysqtj")
    s = column_status(cat, col, DAY)
    assert (s.last_update, s.empty, s.overdue_days) == (cat.document("szmz-2025-nb").published, False, 0)
