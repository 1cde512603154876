"""The inspection report (gongkai inspect): what an inspector following 国办秘函〔2019〕19号 would find.

For each column its last update (newest published document, a page's `updated` date, the guide's revision
date) against the period of its 更新频率 (an event-driven 及时更新 has none: its documents are judged by
《条例》 Art. 26 instead, 20 working days from 成文 to 发布); the 19号 classes — 动态要闻 columns not updated in
2 weeks, 通知公告/政策文件 columns not updated in 6 months, counted together — empty columns, and the home
page, each against the checklist's count, with a verdict; normative documents expiring soon or expired but not marked; normative documents
without a 政策解读; broken internal links in the built site; the guide's revision age; the previous year's
annual report after its deadline. Every finding belongs to a 负责科室, so each office reads its own list.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import urllib.parse
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from pypinyin import lazy_pinyin

from gongkai.checks.guide import add_months, missing_contact, stale_since
from gongkai.checks.validity import validity
from gongkai.frequency import ART26_WORKDAYS, Interval
from gongkai.load.columns import column_index
from gongkai.model import Catalogue, Column, ColumnKind, Document
from gongkai.tools.coverage import DomainCoverage, coverage
from gongkai.workdays import WorkCalendar

SITE_WIDE = "全站"
NO_OFFICE = "未指定科室"
KIND_LABELS = {
    "overdue": "超期未更新",
    "empty": "空白栏目",
    "news_stale": "动态要闻类栏目超过期限未更新",
    "policy_stale": "通知公告、政策文件类栏目超过期限未更新",
    "art26_late": "未在规定时限内公开",
    "interpretation_late": "政策解读未同步发布",
    "annual_report": "年度报告未按期公布",
    "annual_report_late": "年度报告逾期公布",
    "annual_report_duplicate": "同一年度有多份年度报告",
    "annual_report_copied": "年度报告内容与上年雷同",
    "expired": "规范性文件已到期未标注",
    "expiring": "规范性文件即将到期",
    "no_interpretation": "规范性文件没有政策解读",
    "broken_link": "站内链接失效",
    "guide_stale": "公开指南超期未修订",
    "guide_contact": "公开指南联系方式不全",
    "home_stale": "首页超期未更新",
    "no_date": "未注明更新日期",
    "rule": "检查规则有误",
    "list_ended": "名单公示期已结束仍在内容中",
    "list_no_period": "名单未写公示期",
    "standard_missing": "标准目录事项未落实",
    "standard_late": "标准目录事项信息超过公开时限",
    "standard_stale": "标准目录事项超过公开时限未更新",
    "standard_void": "标准目录事项只有已失效、已废止的信息",
}
# 19号's column classes inferred from names where columns.yml does not declare `inspect_as`
CLASS_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("动态要闻", ("动态", "要闻", "新闻", "工作信息")),
    ("通知公告", ("通知", "公告", "公示")),
    ("人事", ("人事", "招聘", "招考", "任免")),
    ("规划计划", ("规划", "计划")),
)
NOT_POLICY = ("解读", "清理", "备案", "立改废", "征集", "反馈")  # 政策解读, 规范性文件清理结果 …: not a policy list
# 公众参与 (gongkai/tools/inspect_participation.py): 重大行政决策, 互动回应
KIND_LABELS.update({
    "decision_catalogue": "重大行政决策事项目录未按期公开",
    "decision_catalogue_late": "重大行政决策事项目录逾期公开",
    "decision_feedback": "意见采纳情况未按期公开",
    "decision_feedback_late": "意见采纳情况逾期公开",
    "message_late": "留言答复超期",
    "workdays_assumed": "工作日按周一至周五推算",
})


@dataclass
class Finding:
    kind: str
    office: str
    subject: str  # column trail or document title
    message: str
    href: str = ""  # site-relative page it concerns
    source: str = ""  # file:line to edit

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class ColumnStatus:
    path: str
    trail: str
    kind: ColumnKind
    frequency: str
    office: str
    href: str
    last_update: dt.date | None
    documents: int
    empty: bool
    period: str  # the longest gap its 更新频率 allows (「3个月」), "" when none (event-driven, 长期, sections)
    due: dt.date | None  # the next update is due by this day
    overdue_days: int  # 0 when not overdue
    klass: str = "其他"  # 19号 class: 动态要闻, 通知公告, 政策文件, 人事, 规划计划, 其他
    stale_days: int = 0  # days past its 19号 class limit (动态要闻 2 weeks, 通知公告/政策文件 6 months)


@dataclass
class Threshold:
    key: str
    title: str
    value: str
    rule: str
    failed: bool


@dataclass
class WithdrawalRow:
    """One entry of catalog/withdrawals.yml in the report (the title left out when it was personal data)."""

    date: dt.date
    id: str
    title: str
    index_no: str
    reason: str
    by: str
    personal_data: bool


@dataclass
class Report:
    site: str
    today: dt.date
    columns: list[ColumnStatus]
    findings: list[Finding]
    thresholds: list[Threshold]
    guide_revised: dt.date | None = None
    links_checked: int = 0
    link_note: str = ""
    withdrawals: list[WithdrawalRow] = field(default_factory=list)  # 撤回 in the period, oldest first
    period_start: dt.date | None = None  # the period of `withdrawals` and of Art. 26 lateness: period_start .. today
    notes: list[str] = field(default_factory=list)  # warnings about the inspection itself (assumed calendar years)
    coverage: list[DomainCoverage] = field(default_factory=list)  # the declared national 标准目录, item by item

    @property
    def passed(self) -> bool:
        return not any(t.failed for t in self.thresholds)

    def by_office(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            for office in split_offices(f.office):  # 「办公室、计划财务科」: the item is on both offices' lists
                groups[office].append(f)
        order = list(KIND_LABELS)

        def office_key(name: str) -> tuple[int, list[str], str]:
            return (0 if name == SITE_WIDE else 2 if name == NO_OFFICE else 1, lazy_pinyin(name), name)

        return {k: sorted(groups[k], key=lambda f: (order.index(f.kind), f.href, f.subject))
                for k in sorted(groups, key=office_key)}

    def to_json(self) -> dict:
        def plain(obj: object) -> object:
            if isinstance(obj, dt.date):
                return obj.isoformat()
            if isinstance(obj, dict):
                return {k: plain(v) for k, v in obj.items()}
            if isinstance(obj, list):
                return [plain(v) for v in obj]
            return obj

        return cast(dict[str, Any], plain({
            "site": self.site,
            "today": self.today,
            "passed": self.passed,
            "verdict": "合格" if self.passed else "不合格",
            "thresholds": [asdict(t) for t in self.thresholds],
            "guide_revised": self.guide_revised,
            "links_checked": self.links_checked,
            "link_note": self.link_note,
            "offices": {office: [asdict(f) | {"label": f.label} for f in items] for office, items in self.by_office().items()},
            "columns": [asdict(c) for c in self.columns],
            "period_start": self.period_start,
            "withdrawals": [asdict(w) for w in self.withdrawals],
            "notes": self.notes,
            "coverage": [asdict(d) | {"percent": d.percent, "implemented": d.implemented, "applicable": d.applicable}
                         for d in self.coverage],
        }))


# --- helpers ------------------------------------------------------------------------------------


_OFFICE_SEPARATORS = re.compile(r"[、，,/／；;\s]+")


def split_offices(value: str) -> list[str]:
    """The offices named in one 负责科室 value (「办公室、计划财务科」, 「办公室/法规科」), in order, each once."""
    parts = [p for p in _OFFICE_SEPARATORS.split(value.strip()) if p]
    return list(dict.fromkeys(parts)) or [value]


def office_of(col: Column | None) -> str:
    """A column's 负责科室, else its nearest ancestor's."""
    while col is not None:
        if col.office:
            return col.office
        col = col.parent
    return NO_OFFICE


def doc_office(doc: Document) -> str:
    return office_of(doc.columns[0]) if doc.columns else NO_OFFICE


def where(doc: Document) -> str:
    return f"{doc.source.file}:{doc.source.line}" if doc.source.line else doc.source.file


def configured_policy_columns(cat: Catalogue, findings: list[Finding]) -> set[str]:
    """Paths of the columns named by site.yml's inspection.policy_columns (always of class 政策文件)."""
    index = column_index(cat.roots)
    out: set[str] = set()
    for ref in cat.site.inspection.policy_columns:
        cols = index.get(ref.strip("/"), [])
        if len(cols) == 1:
            out.add(cols[0].path)
        else:
            findings.append(Finding("rule", SITE_WIDE, ref, f"site.yml 的 inspection.policy_columns 中栏目「{ref}」"
                                    + ("不存在" if not cols else "不唯一，请写完整路径"), source=cat.site.source.file))
    return out


def column_class(col: Column, policy: set[str] | None = None) -> str:
    """The column's class in 19号: declared (`inspect_as`), configured as a policy column, else read from its name
    (通知公告, 部门文件, 工作动态 …) or kind (policies). Only lists of documents are 动态/通知/政策 columns."""
    if col.inspect_as:
        return col.inspect_as
    if policy is not None and col.path in policy:
        return "政策文件"
    if not col.kind.holds_documents:
        return "其他"
    if col.kind is ColumnKind.POLICIES:
        return "政策文件"
    name = col.name
    for klass, words in CLASS_WORDS:
        if any(w in name for w in words) and not any(w in name for w in NOT_POLICY):
            return klass
    if name.endswith("文件") and not any(w in name for w in NOT_POLICY):
        return "政策文件"
    return "其他"


def class_limit(klass: str, cat: Catalogue) -> Interval | None:
    """19号's limit for a class: 2 weeks for 动态要闻, 6 months for 通知公告/政策文件 (site.yml may change both)."""
    rules = cat.site.inspection
    if klass == "动态要闻":
        return Interval(rules.news_stale_days, "day")
    if klass in ("通知公告", "政策文件"):
        return Interval(rules.policy_stale_months, "month")
    return None


# --- the checks ---------------------------------------------------------------------------------


def column_status(cat: Catalogue, col: Column, today: dt.date, cal: WorkCalendar | None = None,
                  policy: set[str] | None = None) -> ColumnStatus:
    cal = cal or WorkCalendar(cat.site.calendar)
    kind = col.kind
    # a document dated after `today` was not on the site yet
    docs = [d for d in cat.documents_in(col) if d.published <= today] if kind.holds_documents else []
    last: dt.date | None = None
    empty = False
    if kind.holds_documents:
        last = max((d.published for d in docs), default=None)
        empty = not docs
    elif kind is ColumnKind.PAGE:
        last = col.updated
        page = cat.pages.get(col.page)
        empty = page is None or not page.body.strip()
    elif kind is ColumnKind.GUIDE:
        last = cat.guide.revised if cat.guide else None
        empty = cat.guide is None or not cat.guide.body.strip()
    elif kind is ColumnKind.PACKAGES:
        empty = not cat.packages
    elif kind is ColumnKind.LISTS:  # catalog/lists.yml: judged by its lists still published
        live = [lst for lst in cat.lists if lst.column is col and lst.is_published]
        last = max((lst.published for lst in live), default=None)
        empty = not live
    elif kind is ColumnKind.MESSAGES:  # updated when a reply is published
        last = max((m.replied for m in cat.interaction.messages if m.replied and m.replied <= today), default=None)
        empty = not cat.interaction.messages
    elif kind is ColumnKind.FAQ:  # no dates: judged by being there
        empty = not cat.interaction.faq
    elif kind is ColumnKind.STATISTICS:  # updated when a year's annual report is published
        from gongkai.build.application_page import published_reports

        dates = [doc.published for _, doc in published_reports(cat) if doc.published <= today]
        last, empty = max(dates, default=None), not dates
    elif kind is ColumnKind.DECISIONS:  # updated when a year's 事项目录 is published
        last = max((y.published for y in cat.decisions.years if y.published and y.published <= today), default=None)
        empty = not cat.decisions.all
    # sections are judged by their children, links are elsewhere, the guide by its own revision rule
    period = col.schedule.period if kind.has_schedule else None
    due = period.deadline(last, cal) if period is not None and last is not None else None
    overdue = (today - due).days if due is not None and today > due else 0
    klass = column_class(col, policy)
    limit = class_limit(klass, cat)
    stale = 0
    if limit is not None and last is not None and today > limit.deadline(last, cal):
        stale = (today - limit.deadline(last, cal)).days
    return ColumnStatus(col.path, col.trail_text(), col.kind, col.frequency, office_of(col), col.href, last, len(docs),
                        empty, period.label if period else "", due, overdue, klass, stale)


def fill_hint(col: Column) -> str:
    """How a column of this kind gets content: the 空白栏目 line says what to do, not only what is wrong."""
    kind = col.kind
    if kind.holds_documents and kind is not ColumnKind.REPORTS:
        implements = [*col.implements, *(i for item in col.items for i in item.implements)]
        otherwise = (f"本机关不涉及这一标准事项的，从 catalog/columns.yml 中删去本栏目，并在 catalog/site.yml 的 "
                     f"standards_not_applicable 中写明理由（如 {implements[0]}: 理由）" if implements
                     else "本机关没有这类信息的，可从 catalog/columns.yml 中删去本栏目")
        return f"请在 content/documents/ 中发布文件（front matter 写 columns: [{col.id}]）；{otherwise}"
    return {
        ColumnKind.REPORTS: "请发布政府信息公开工作年度报告（文件 front matter 写 year；报告的数字见 gongkai report new）",
        ColumnKind.STATISTICS: "取自已发布的政府信息公开工作年度报告（content/reports/），发布年报后自动生成",
        ColumnKind.MESSAGES: "请在 catalog/messages.yml 中填写选登的留言，或读取 12345 等系统导出的表格",
        ColumnKind.FAQ: "请在 catalog/faq.yml 中填写常见问题和解答",
        ColumnKind.DECISIONS: "请在 catalog/decisions.yml 中填写本年度重大行政决策事项目录",
        ColumnKind.LISTS: f"请在 catalog/lists.yml 中声明名单（column: {col.id}）",
        ColumnKind.PACKAGES: "请在 catalog/packages.yml 中填写主题服务包",
        ColumnKind.PAGE: f"请在 content/{col.page or 'pages/页面.md'} 中写本栏目的页面",
        ColumnKind.GUIDE: "请在 content/guide.md 中写公开指南",
    }.get(kind, "请补充内容，或从 catalog/columns.yml 中删去本栏目")


def check_columns(cat: Catalogue, today: dt.date, findings: list[Finding], cal: WorkCalendar | None = None,
                  policy: set[str] | None = None) -> list[ColumnStatus]:
    cal = cal or WorkCalendar(cat.site.calendar)
    out: list[ColumnStatus] = []
    rules = cat.site.inspection
    for col in cat.columns():
        s = column_status(cat, col, today, cal, policy)
        out.append(s)
        src = f"{col.source.file}:{col.source.line}"
        if s.empty:
            # the one line for this column: a standard item it carries out is 栏目无内容 in the coverage table (五),
            # not a second finding (coverage_findings)
            items = list(dict.fromkeys([*col.implements, *(i for item in col.items for i in item.implements)]))
            std = f"，它落实的标准目录事项 {'、'.join(items)} 因此也没有内容" if items else ""
            findings.append(Finding("empty", s.office, s.trail, f"栏目没有任何内容（空白栏目{std}）；{fill_hint(col)}",
                                    s.href, src))
            continue
        if s.stale_days:
            news = s.klass == "动态要闻"
            limit = f"{rules.news_stale_days} 天" if news else f"{rules.policy_stale_months} 个月"
            findings.append(Finding("news_stale" if news else "policy_stale", s.office, s.trail,
                                    f"{s.klass}类栏目，最近更新 {s.last_update}，超过 {limit}未更新（已超 {s.stale_days} 天）",
                                    s.href, src))
        if s.overdue_days:
            findings.append(Finding("overdue", s.office, s.trail,
                                    f"最近更新 {s.last_update}，更新频率「{s.frequency}」（最长 {s.period} 更新一次，"
                                    f"应于 {s.due} 前更新），已超期 {s.overdue_days} 天", s.href, src))
        elif col.kind is ColumnKind.PAGE and s.last_update is None and col.schedule.period is not None:
            findings.append(Finding("no_date", s.office, s.trail, f"单页没有注明更新日期，无法判断是否超期：请在 content/{col.page} "
                                    "的 front matter 中写 updated: YYYY-MM-DD", s.href, f"content/{col.page}"))
    return out


def event_limits(doc: Document) -> list[Interval]:
    """The limits a document had from 成文 to 发布: Art. 26's 20 working days, and any shorter one its columns
    state, in their 更新频率 (「信息形成或者变更之日起5个工作日内」) or in their 公开事项' 公开时限."""
    out = [Interval(ART26_WORKDAYS, "workday")]
    for col in doc.columns:
        for schedule in (col.schedule, *(i.schedule for i in col.items)):
            if schedule.event and schedule.within is not None and schedule.within not in out:
                out.append(schedule.within)
    return out


def check_timeliness(cat: Catalogue, start: dt.date, today: dt.date, cal: WorkCalendar, findings: list[Finding]) -> int:
    """Documents published in start..today later than their limit after 成文 (《条例》 Art. 26: 20 working days),
    and 政策解读 published later than the site's 三同步 limit after their policy. Returns the documents counted."""
    late = 0
    rules = cat.site.inspection
    for doc in sorted(cat.published_documents, key=lambda d: (d.published, d.id)):
        if not start <= doc.published <= today:
            continue
        if doc.written is not None and doc.written <= doc.published:
            written = doc.written
            limit = min(event_limits(doc), key=lambda i: (i.deadline(written, cal), i.unit != "workday"))
            due = limit.deadline(written, cal)
            if doc.published > due:
                late += 1
                over = (cal.workdays_between(due, doc.published) if limit.unit == "workday"
                        else (doc.published - due).days)
                unit = "个工作日" if limit.unit == "workday" else " 天"
                findings.append(Finding("art26_late", doc_office(doc), doc.title,
                                        f"成文 {doc.written}，{doc.published} 发布；应在 {limit.label}内（{due} 前）公开，"
                                        f"晚了 {over}{unit}（《政府信息公开条例》第二十六条）", doc.href, where(doc)))
        for interp in doc.interpretations:
            if not interp.is_public or not start <= interp.published <= today:
                continue
            due = cal.add_workdays(doc.published, rules.interpretation_workdays)
            if interp.published > due:
                when = "与政策文件同步发布" if not rules.interpretation_workdays else \
                    f"在政策文件发布后 {rules.interpretation_workdays} 个工作日内发布"
                findings.append(Finding("interpretation_late", doc_office(interp), interp.title,
                                        f"解读「{doc.title}」（{doc.published} 发布），解读 {interp.published} 才发布，"
                                        f"晚了 {cal.workdays_between(due, interp.published)} 个工作日；应{when}（三同步）",
                                        interp.href, where(interp)))
    return late


def check_documents(cat: Catalogue, today: dt.date, findings: list[Finding]) -> None:
    months = cat.site.inspection.expiring_months
    horizon = add_months(today, months)
    for doc in sorted(cat.published_documents, key=lambda d: d.id):
        if not doc.normative:
            continue
        v = validity(doc, today)
        default = "（按默认有效期推算）" if doc.expires_default else ""
        if doc.expires and doc.expires < today and doc.status not in ("废止", "失效"):
            findings.append(Finding("expired", doc_office(doc), doc.title,
                                    f"有效期至 {doc.expires}{default}，已经到期，但没有标注状态（status: 失效 或 废止）；"
                                    "在到期前生成的网页仍显示「现行有效」，请标注后重新生成网站", doc.href, where(doc)))
        elif v is not None and v.label in ("现行有效", "尚未生效") and doc.expires and doc.expires <= horizon:
            findings.append(Finding("expiring", doc_office(doc), doc.title,
                                    f"有效期至 {doc.expires}{default}，{(doc.expires - today).days} 天后到期：请评估是否延续、修订或废止",
                                    doc.href, where(doc)))
        if doc.status in ("废止", "失效") or (v is not None and v.label == "已失效"):
            continue
        if not any(i.is_public for i in doc.interpretations):
            findings.append(Finding("no_interpretation", doc_office(doc), doc.title,
                                    "行政规范性文件没有政策解读：请发布解读并在解读的 front matter 中写 interprets: " + doc.id,
                                    doc.href, where(doc)))


def check_guide(cat: Catalogue, today: dt.date, findings: list[Finding]) -> None:
    guide = cat.guide
    col = cat.first_column(ColumnKind.GUIDE)
    missing = missing_contact(cat.site) if col is not None else []
    if guide is not None and col is not None and missing:
        findings.append(Finding("guide_contact", office_of(col), guide.title,
                                f"联系方式缺少：{'、'.join(missing)}（《政府信息公开条例》第十二条要求写明），"
                                "请在 catalog/site.yml 的 contact 中补充", col.href, cat.site.source.file))
    if guide is None or guide.revised is None:
        return
    if stale_since(cat, today) is not None:
        months = (today.year - guide.revised.year) * 12 + today.month - guide.revised.month
        findings.append(Finding("guide_stale", office_of(col) if col else SITE_WIDE, guide.title,
                                f"上次修订于 {guide.revised}，已约 {months} 个月未修订（要求 {cat.site.guide_stale_months} 个月内核对修订）",
                                col.href if col else "", guide.source.file))


def check_annual_report(cat: Catalogue, today: dt.date, findings: list[Finding]) -> None:
    month, day = cat.site.inspection.report_deadline
    year = today.year - 1
    deadline = dt.date(today.year, month, day)
    if today <= deadline:
        return
    cols = cat.columns_of(ColumnKind.REPORTS)
    if not cols:
        findings.append(Finding("annual_report", SITE_WIDE, f"{year}年度报告",
                                f"标准目录中没有年度报告栏目（kind: reports），无法确认 {year} 年度报告已在 {deadline} 前公布",
                                source="catalog/columns.yml"))
        return
    docs = [d for c in cols for d in cat.documents_in(c)]
    if not any((d.year or d.published.year - 1) == year for d in docs):
        col = cols[0]
        findings.append(Finding("annual_report", office_of(col), f"{year}年度报告",
                                f"应于 {deadline} 前公布 {year} 年政府信息公开工作年度报告，栏目「{col.name}」中没有找到"
                                f"（年报文件的 front matter 写 year: {year}；报告的数字可先用 gongkai report new {year} "
                                f"生成骨架 content/reports/{year}.yml）", col.href, f"{col.source.file}:{col.source.line}"))
    check_report_history(cat, docs, findings)


def check_report_history(cat: Catalogue, docs: list[Document], findings: list[Finding]) -> None:
    """Every year's report: published late (after the site's deadline of the next year), twice, or with last
    year's text (the same measure as `gongkai check`, checks/reports.py)."""
    from gongkai.checks.reports import SIMILARITY_THRESHOLD, similarity

    month, day = cat.site.inspection.report_deadline
    by_year: dict[int, list[Document]] = {}
    for d in sorted(set(docs), key=lambda d: d.sort_key):
        by_year.setdefault(d.year or d.published.year - 1, []).append(d)
    for year, items in sorted(by_year.items()):
        first = items[0]
        deadline = dt.date(year + 1, month, day)
        if first.published > deadline:
            findings.append(Finding("annual_report_late", doc_office(first), f"{year}年度报告",
                                    f"{year} 年度报告 {first.published} 公布，晚于期限 {deadline}"
                                    f"（{(first.published - deadline).days} 天）", first.href, where(first)))
        if len(items) > 1:
            findings.append(Finding("annual_report_duplicate", doc_office(first), f"{year}年度报告",
                                    f"{year} 年度报告有 {len(items)} 份：" + "、".join(d.title for d in items),
                                    first.href, where(items[1])))
    reports = {r.year: r for r in cat.reports}
    for year, rep in sorted(reports.items()):
        last = reports.get(year - 1)
        if last is None or not rep.narrative or not last.narrative:
            continue
        score = similarity(rep.narrative, last.narrative)
        if score >= SIMILARITY_THRESHOLD:
            doc = by_year.get(year, [None])[0]
            findings.append(Finding("annual_report_copied", doc_office(doc) if doc else SITE_WIDE, f"{year}年度报告",
                                    f"一、五、六部分与 {year - 1} 年度报告相似度 {score:.2f}（{SIMILARITY_THRESHOLD} 及以上视为雷同）",
                                    doc.href if doc else "", f"{rep.file}:{rep.line_of('overview')}"))


_LINK_RE = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _link_ok(base: str, target: str, files: set[str]) -> bool:
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
    norm = posixpath.normpath(path) if path else "."
    if target.endswith("/") or norm == ".":
        norm = posixpath.normpath(posixpath.join(norm, "index.html"))
    return not (norm.startswith("../") or norm == "..") and (norm in files or f"{norm}/index.html" in files)


def check_links(cat: Catalogue, site_dir: Path, findings: list[Finding]) -> int:
    """Every relative href/src in the built HTML must name a file of the site. Returns pages checked."""
    files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    owners: dict[str, tuple[str, str]] = {c.href: (office_of(c), c.trail_text()) for c in cat.columns()}
    for d in cat.published_documents:
        owners[d.href] = (doc_office(d), d.title)
    pages = sorted(f for f in files if f.endswith(".html") and not f.startswith("assets/") and f != "404.html")
    seen: dict[tuple[str, str], bool] = {}
    for page in pages:
        text = (site_dir / page).read_text(encoding="utf-8", errors="replace")
        base = posixpath.dirname(page)
        broken: set[str] = set()
        for m in _LINK_RE.finditer(text):
            raw = html.unescape(m.group(1) if m.group(1) is not None else m.group(2)).strip()
            if not raw or raw.startswith(("#", "//")) or _SCHEME_RE.match(raw):
                continue
            target = urllib.parse.unquote(raw.split("#", 1)[0].split("?", 1)[0])
            if not target:
                continue
            key = (base, target)
            if key not in seen:  # the navigation repeats the same links on every page of a folder
                seen[key] = _link_ok(base, target, files)
            if not seen[key]:
                broken.add(raw)
        if broken:
            office, subject = owners.get(page, (SITE_WIDE, page))
            findings.append(Finding("broken_link", office, subject, "链接目标不存在：" + "、".join(sorted(broken)), page, page))
    return len(pages)


def check_lists(cat: Catalogue, today: dt.date, findings: list[Finding]) -> None:
    """Lists whose 公示期 is over but are still in catalog/lists.yml and content/ (the site leaves them out; the
    source with its personal data should go too), and lists of a category that needs a 公示期 without one."""
    from gongkai.listmodel import CATEGORIES

    for lst in cat.lists:
        col = lst.column if isinstance(lst.column, Column) else None
        where_ = f"catalog/lists.yml:{lst.line}" if lst.line else "catalog/lists.yml"
        if lst.period_end and today > lst.period_end:
            findings.append(Finding("list_ended", office_of(col), lst.title,
                                    f"公示期已于 {lst.period_end} 结束，网站已不再发布；请从 catalog/lists.yml 删除这份名单，"
                                    f"并删除含个人信息的原始表格 {lst.source_file}", "", where_))
        elif CATEGORIES[lst.category].needs_period and lst.period_end is None:
            findings.append(Finding("list_no_period", office_of(col), lst.title,
                                    f"「{lst.category}」类名单须写公示期（period_start、period_end），否则将一直公开",
                                    lst.href, where_))


def withdrawals_between(cat: Catalogue, start: dt.date, end: dt.date) -> list[WithdrawalRow]:
    """The withdrawals recorded from start to end (inclusive), oldest first."""
    rows = [WithdrawalRow(w.date, w.id, "（含个人信息，不显示标题）" if w.personal_data else w.title, w.index_no, w.reason,
                          w.by, w.personal_data) for w in cat.withdrawals if start <= w.date <= end]
    return sorted(rows, key=lambda r: (r.date, r.id))


def inspect(cat: Catalogue, today: dt.date, site_dir: Path | None = None, since: dt.date | None = None) -> Report:
    """since: start of the period whose withdrawals and late documents are listed (default: 1 January of today's year)."""
    findings: list[Finding] = []
    cal = WorkCalendar(cat.site.calendar)
    policy = configured_policy_columns(cat, findings)
    statuses = check_columns(cat, today, findings, cal, policy)
    start = since or dt.date(today.year, 1, 1)
    check_timeliness(cat, start, today, cal, findings)
    check_documents(cat, today, findings)
    check_guide(cat, today, findings)
    check_annual_report(cat, today, findings)
    check_lists(cat, today, findings)
    _check_participation(cat, today, findings)
    links_checked, note = 0, ""
    if site_dir is not None and (site_dir / "index.html").is_file():
        links_checked = check_links(cat, site_dir, findings)
    else:
        note = "没有找到已生成的网站（site/index.html），未检查站内链接：请先运行 gongkai build"
    rules = cat.site.inspection
    # a document dated after `today` was not on the site yet: never the home page's latest update
    newest = max((d.published for d in cat.published_documents if d.published <= today), default=None)
    home_age = (today - newest).days if newest else None
    home_failed = home_age is None or home_age > rules.home_stale_days
    if home_failed:
        findings.append(Finding("home_stale", SITE_WIDE, "首页",
                                f"最近一次发布是 {newest}（{home_age} 天前）" if newest else "网站没有发布任何文件", "index.html"))
    stale = sum(1 for s in statuses if s.stale_days)
    overdue = sum(1 for s in statuses if s.overdue_days)
    empty = sum(1 for s in statuses if s.empty)
    thresholds = [
        Threshold("home", "首页更新", f"最近发布 {newest}（{home_age} 天前）" if newest else "没有发布任何文件",
                  f"超过 {rules.home_stale_days} 天未更新即不合格", home_failed),
        Threshold("stale", "动态要闻、通知公告、政策文件类栏目更新", f"{stale} 个栏目未按期更新",
                  f"动态要闻类 {rules.news_stale_days} 天、通知公告和政策文件类 {rules.policy_stale_months} 个月未更新的栏目"
                  f"累计达到 {rules.stale_limit} 个即不合格", stale >= rules.stale_limit),
        Threshold("overdue", "应更新但长期未更新的栏目", f"{overdue} 个",
                  f"超过本栏目更新频率未更新的栏目达到 {rules.overdue_limit} 个即不合格", overdue >= rules.overdue_limit),
        Threshold("empty", "空白栏目", f"{empty} 个", f"达到 {rules.empty_limit} 个即不合格", empty >= rules.empty_limit),
    ]
    covered = coverage(cat, today, {s.path for s in statuses if s.empty}, office_of, cal, start,
                       {s.path: s.last_update for s in statuses})
    findings += coverage_findings(covered)
    note_text = cal.assumed_note()
    return Report(cat.site.name, today, statuses, findings, thresholds,
                  cat.guide.revised if cat.guide else None, links_checked, note,
                  withdrawals_between(cat, start, today), start, [note_text] if note_text else [], covered)


def coverage_findings(covered: list[DomainCoverage]) -> list[Finding]:
    """One finding per standard item not implemented, with nothing in force, or with documents past its 公开时限.
    An item whose columns are all empty has none: each of its columns is already a 空白栏目 finding naming it (the
    19号 indicator that counts), and the coverage table says 栏目无内容."""
    out: list[Finding] = []
    for dom in covered:
        for item in dom.items:
            subject = f"{dom.domain}：{item.title}（{item.id}）"
            office = "、".join(item.offices) or NO_OFFICE
            if item.state == "missing":
                out.append(Finding("standard_missing", office, subject,
                                   f"《{dom.reference}》的这一事项没有栏目或公开事项落实：请在 catalog/columns.yml 中为"
                                   f"落实它的栏目写 implements: [{item.id}]", source="catalog/columns.yml"))
            elif item.state == "void":
                out.append(Finding("standard_void", office, subject,
                                   f"落实栏目（{'、'.join(item.columns)}）中的文件都已失效或已废止，没有现行有效的内容：请发布现行"
                                   "文件，或在 catalog/site.yml 的 standards_not_applicable 中说明本机关不涉及的理由",
                                   item.columns[0] + "/index.html"))
            elif item.state == "stale":
                out.append(Finding("standard_stale", office, subject,
                                   f"最近更新 {item.last_update or '—'}；公开时限「{item.deadline}」要求 {item.due} 前"
                                   "有新的内容", item.columns[0] + "/index.html"))
            for doc in item.late:
                out.append(Finding("standard_late", office, subject,
                                   f"「{doc.title}」成文 {doc.written}，{doc.published} 发布；公开时限「{item.deadline}」"
                                   f"要求 {doc.due} 前公开", doc.href))
    return out


def _check_participation(cat: Catalogue, today: dt.date, findings: list[Finding]) -> None:
    """重大行政决策 and 互动回应 deadlines in working days (one calendar, so an unknown year is said once)."""
    from gongkai.tools import inspect_participation as part
    from gongkai.workdays import WorkCalendar

    calendar = WorkCalendar()
    part.check_decisions(cat, today, findings, calendar)
    part.check_messages(cat, today, findings, calendar)
    part.note_assumed_workdays(calendar, findings)


# --- output -------------------------------------------------------------------------------------


def format_text(report: Report) -> str:
    failed = [t for t in report.thresholds if t.failed]
    verdict = "合格" if report.passed else f"不合格（{len(failed)} 项指标未通过）"
    lines = [f"政府信息公开专栏检查报告：{report.site}", f"检查日期：{report.today}    结论：{verdict}", "",
             "一、指标（国办秘函〔2019〕19号）"]
    for t in report.thresholds:
        lines.append(f"  [{'未通过' if t.failed else '通过'}] {t.title}：{t.value}（{t.rule}）")
    if report.guide_revised:
        lines.append(f"  公开指南修订时间：{report.guide_revised}")
    for n in report.notes:
        lines.append(f"  注意：{n}")
    lines.append(f"  站内链接：检查了 {report.links_checked} 个页面" if not report.link_note else f"  {report.link_note}")
    lines += ["", "二、问题清单（按负责科室）"]
    groups = report.by_office()
    if not groups:
        lines.append("  没有发现问题。")
    for office, items in groups.items():
        lines.append(f"【{office}】（{len(items)} 项）")
        for f in items:
            lines.append(f"  - {f.label}：{f.subject}：{f.message}" + (f"  [{f.href}]" if f.href else ""))
    lines += ["", "三、栏目更新情况（栏目｜更新频率｜负责科室｜最近更新｜状态）"]
    for c in report.columns:
        if c.kind is ColumnKind.SECTION:
            continue
        state = ("空白" if c.empty else f"超期 {c.overdue_days} 天" if c.overdue_days
                 else f"{c.klass}类超期 {c.stale_days} 天" if c.stale_days else "正常" if c.last_update else "—")
        lines.append(f"  {c.trail}｜{c.frequency or '—'}｜{c.office}｜{c.last_update or '—'}｜{state}")
    lines += ["", f"四、本期撤回的信息（{report.period_start} 至 {report.today}，{len(report.withdrawals)} 条；"
              "撤回日期｜文件标识｜标题｜索引号｜原因｜经办人）"]
    if not report.withdrawals:
        lines.append("  没有撤回的信息。")
    for w in report.withdrawals:
        lines.append(f"  {w.date}｜{w.id}｜{w.title or '—'}｜{w.index_no or '—'}｜{w.reason}｜{w.by or '—'}")
    if report.coverage:
        lines += ["", "五、基层政务公开标准目录落实情况（事项｜状态｜落实栏目｜负责科室）"]
    for dom in report.coverage:
        na = len(dom.items) - dom.applicable
        lines.append(f"【{dom.domain}】{dom.reference}：{dom.implemented}/{dom.applicable} 项已落实（{dom.percent}%）"
                     + (f"，{na} 项本机关不涉及" if na else ""))
        if not dom.complete:
            lines.append(f"  注意：{dom.note}")
        for it in dom.items:
            state = f"{it.label}：{it.reason}" if it.reason else it.label
            lines.append(f"  {it.id} {it.title}｜{state}｜{'、'.join(it.columns) or '—'}｜{'、'.join(it.offices) or '—'}")
    return "\n".join(lines) + "\n"


def format_html(report: Report) -> str:
    e = html.escape
    failed = [t for t in report.thresholds if t.failed]
    verdict = "合格" if report.passed else f"不合格（{len(failed)} 项指标未通过）"
    out = [
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>检查报告 {e(str(report.today))} - {e(report.site)}</title>\n"
        "<style>body{font:18px/1.7 sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#1a1a1a}"
        "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #888;padding:.3em .6em;"
        "text-align:left;vertical-align:top}th{background:#eee}.fail{color:#a00;font-weight:bold}.pass{color:#064}"
        "</style>\n</head>\n<body>\n<main>\n",
        f"<h1>政府信息公开专栏检查报告：{e(report.site)}</h1>\n",
        f"<p>检查日期：{e(str(report.today))}　结论：<strong class=\"{'pass' if report.passed else 'fail'}\" id=\"verdict\">"
        f"{e(verdict)}</strong></p>\n",
        "<h2>一、指标</h2>\n<table id=\"thresholds\"><thead><tr><th scope=\"col\">指标</th><th scope=\"col\">结果</th>"
        "<th scope=\"col\">要求</th><th scope=\"col\">判定</th></tr></thead><tbody>\n",
    ]
    for t in report.thresholds:
        cls, word = ("fail", "未通过") if t.failed else ("pass", "通过")
        out.append(f"<tr data-key=\"{t.key}\"><td>{e(t.title)}</td><td>{e(t.value)}</td><td>{e(t.rule)}</td>"
                   f"<td class=\"{cls}\">{word}</td></tr>\n")
    out.append("</tbody></table>\n")
    if report.link_note:
        out.append(f"<p>{e(report.link_note)}</p>\n")
    for n in report.notes:
        out.append(f"<p class=\"note\">注意：{e(n)}</p>\n")
    out.append("<h2>二、问题清单（按负责科室）</h2>\n")
    groups = report.by_office()
    if not groups:
        out.append("<p>没有发现问题。</p>\n")
    for office, items in groups.items():
        out.append(f"<h3>{e(office)}（{len(items)} 项）</h3>\n<table class=\"office\" data-office=\"{e(office)}\"><thead><tr>"
                   "<th scope=\"col\">问题</th><th scope=\"col\">栏目或文件</th><th scope=\"col\">说明</th>"
                   "<th scope=\"col\">页面</th><th scope=\"col\">修改位置</th></tr></thead><tbody>\n")
        for f in items:
            out.append(f"<tr data-kind=\"{f.kind}\"><td>{e(f.label)}</td><td>{e(f.subject)}</td><td>{e(f.message)}</td>"
                       f"<td>{e(f.href)}</td><td>{e(f.source)}</td></tr>\n")
        out.append("</tbody></table>\n")
    out.append("<h2>三、栏目更新情况</h2>\n<table id=\"columns\"><thead><tr><th scope=\"col\">栏目</th><th scope=\"col\">更新频率</th>"
               "<th scope=\"col\">负责科室</th><th scope=\"col\">最近更新</th><th scope=\"col\">信息数</th>"
               "<th scope=\"col\">状态</th></tr></thead><tbody>\n")
    for c in report.columns:
        state = ("空白" if c.empty else f"超期 {c.overdue_days} 天" if c.overdue_days
                 else f"{c.klass}类超期 {c.stale_days} 天" if c.stale_days else "")
        out.append(f"<tr data-path=\"{e(c.path)}\"><td>{e(c.trail)}</td><td>{e(c.frequency)}</td><td>{e(c.office)}</td>"
                   f"<td>{c.last_update or ''}</td><td>{c.documents if c.kind.holds_documents else ''}</td><td>{e(state)}</td></tr>\n")
    out.append("</tbody></table>\n")
    out.append(f"<h2>四、本期撤回的信息（{report.period_start} 至 {e(str(report.today))}，{len(report.withdrawals)} 条）</h2>\n")
    out.append("<table id=\"withdrawals\"><thead><tr><th scope=\"col\">撤回日期</th><th scope=\"col\">文件标识</th>"
               "<th scope=\"col\">标题</th><th scope=\"col\">索引号</th><th scope=\"col\">原因</th><th scope=\"col\">经办人</th>"
               "</tr></thead><tbody>\n")
    for w in report.withdrawals:
        out.append(f"<tr data-id=\"{e(w.id)}\"><td>{w.date}</td><td>{e(w.id)}</td><td>{e(w.title)}</td><td>{e(w.index_no)}</td>"
                   f"<td>{e(w.reason)}</td><td>{e(w.by)}</td></tr>\n")
    out.append("</tbody></table>\n")
    if report.coverage:
        out.append("<h2>五、基层政务公开标准目录落实情况</h2>\n")
    for dom in report.coverage:
        out.append(f"<h3>{e(dom.domain)}：{dom.implemented}/{dom.applicable} 项已落实（{dom.percent}%）</h3>\n"
                   f"<p>{e(dom.reference)}</p>\n")
        if not dom.complete:
            out.append(f"<p class=\"note\">注意：{e(dom.note)}</p>\n")
        out.append(f"<table class=\"coverage\" data-domain=\"{e(dom.domain)}\"><thead><tr><th scope=\"col\">事项</th>"
                   "<th scope=\"col\">状态</th><th scope=\"col\">落实栏目</th><th scope=\"col\">负责科室</th></tr></thead><tbody>\n")
        for it in dom.items:
            out.append(f"<tr data-item=\"{e(it.id)}\" data-state=\"{it.state}\"><td>{e(it.id)} {e(it.title)}</td>"
                       f"<td>{e(it.label + ('：' + it.reason if it.reason else ''))}</td><td>{e('、'.join(it.columns))}</td>"
                       f"<td>{e('、'.join(it.offices))}</td></tr>\n")
        out.append("</tbody></table>\n")
    out.append("</main>\n</body>\n</html>\n")
    return "".join(out)


__all__ = ["inspect", "Report", "Finding", "format_text", "format_html"]
