"""`gongkai inspect` on public participation: the year's 重大行政决策事项目录 published by its deadline (31 March,
上海民政 2022 #51), and each 征求意见 followed by its 意见采纳情况 within the configured working days (#54).

Working days come from gongkai.workdays (法定节假日 and 调休); a year the calendar does not know yet is
counted Monday to Friday and said once in the report.
"""

from __future__ import annotations

import datetime as dt

from gongkai.model import Catalogue, ColumnKind
from gongkai.tools.inspection import SITE_WIDE, Finding, office_of
from gongkai.workdays import WorkCalendar

DECISIONS_FILE = "catalog/decisions.yml"


def check_decisions(cat: Catalogue, today: dt.date, findings: list[Finding], calendar: WorkCalendar) -> None:
    col = cat.first_column(ColumnKind.DECISIONS)
    decisions = cat.decisions
    if col is None and not decisions.years:
        return  # the bureau publishes no 事项目录 here: nothing to hold it to
    office = office_of(col) if col is not None else SITE_WIDE
    href = col.href if col is not None else ""
    month, day = decisions.rules.catalogue_deadline
    years = {y.year: y for y in decisions.years}
    deadline = dt.date(today.year, month, day)
    current = years.get(today.year)
    if today > deadline and (current is None or current.published is None):
        where = f"{DECISIONS_FILE}:{current.line}" if current is not None and current.line else DECISIONS_FILE
        findings.append(Finding("decision_catalogue", office, f"{today.year}年度重大行政决策事项目录",
                                f"应于 {deadline} 前公开 {today.year} 年度重大行政决策事项目录，{DECISIONS_FILE} 中"
                                + ("没有这一年度" if current is None else "这一年度没有写公开日期（published）"), href, where))
    for y in decisions.years:
        due = dt.date(y.year, month, day)
        if y.published is not None and y.published > due and y.published <= today:
            findings.append(Finding("decision_catalogue_late", office, f"{y.year}年度重大行政决策事项目录",
                                    f"{y.published} 公开，晚于期限 {due}（{(y.published - due).days} 天）", href,
                                    f"{DECISIONS_FILE}:{y.line}" if y.line else DECISIONS_FILE))
    limit = decisions.rules.feedback_workdays
    for d in decisions.all:
        c = d.consultation
        if c is None or today <= c.end:
            continue
        due_day = calendar.add_workdays(c.end, limit)
        feedback = [doc for doc in d.stage_documents("feedback") if doc.published <= today]
        where = f"{d.source.file}:{d.line_of('consultation')}"
        if not feedback:
            if today > due_day:
                findings.append(Finding("decision_feedback", d.office, d.name,
                                        f"征求意见已于 {c.end} 截止，应在 {limit} 个工作日内（{due_day} 前）公开意见采纳情况，"
                                        f"已超期 {calendar.workdays_between(due_day, today)} 个工作日：发布后在文件 front matter 中写 "
                                        f"decision: {d.id} 和 stage: 意见反馈", d.href, where))
        elif feedback[0].published > due_day:
            first = feedback[0]
            findings.append(Finding("decision_feedback_late", d.office, d.name,
                                    f"意见采纳情况 {first.published} 公开，晚于期限 {due_day}（征求意见 {c.end} 截止后 {limit} 个工作日），"
                                    f"晚了 {calendar.workdays_between(due_day, first.published)} 个工作日", first.href,
                                    f"{first.source.file}:{first.line_of('published')}"))


def note_assumed_workdays(calendar: WorkCalendar, findings: list[Finding]) -> None:
    """Once, after every working-day check: the years counted Monday to Friday."""
    note = calendar.assumed_note()
    if note:
        findings.append(Finding("workdays_assumed", SITE_WIDE, "工作日计算", note))


def check_messages(cat: Catalogue, today: dt.date, findings: list[Finding], calendar: WorkCalendar) -> None:
    """Every published reply within its limit: reply_workdays, simple_workdays for a 简单问题 (上海民政 2022 #48)."""
    rules = cat.interaction.rules
    col = cat.first_column(ColumnKind.MESSAGES)
    href = col.href if col is not None else ""
    for m in cat.interaction.messages:
        if m.replied is None or m.received > today:
            continue
        limit = rules.simple_workdays if m.simple else rules.reply_workdays
        due = calendar.add_workdays(m.received, limit)
        if m.replied > due:
            kind = "简单问题" if m.simple else "留言"
            findings.append(Finding("message_late", m.office, m.title,
                                    f"{m.received} 来信，{m.replied} 答复，晚于期限 {due}（{kind}应在 {limit} 个工作日内答复），"
                                    f"晚了 {calendar.workdays_between(due, m.replied)} 个工作日",
                                    f"{href}#{m.id}" if href else "", m.location("replied")))
