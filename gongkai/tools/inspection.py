"""The inspection report (gongkai inspect): what an inspector following 国办秘函〔2019〕19号 would find.

For each column its last update (newest published document, a page's `updated` date, the guide's revision
date) against its 更新频率; empty columns; policy columns not updated in 6 months; the four thresholds of
DESIGN §4 with a verdict; normative documents expiring soon or expired but not marked; normative documents
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
from gongkai.load.columns import column_index
from gongkai.model import Catalogue, Column, ColumnKind, Document
from gongkai.vocab import FREQUENCIES

SITE_WIDE = "全站"
NO_OFFICE = "未指定科室"
KIND_LABELS = {
    "overdue": "超期未更新",
    "empty": "空白栏目",
    "policy_stale": "政策类栏目超过期限未更新",
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
}
# 公众参与 (gongkai/tools/inspect_participation.py): 重大行政决策, 互动回应
KIND_LABELS.update({
    "decision_catalogue": "重大行政决策事项目录未按期公开",
    "decision_catalogue_late": "重大行政决策事项目录逾期公开",
    "decision_feedback": "意见采纳情况未按期公开",
    "decision_feedback_late": "意见采纳情况逾期公开",
    "message_late": "留言答复超期",
    "workdays_assumed": "工作日按周一至周五推算",
})
POLICY_WORDS = ("政策", "文件", "通知", "公告")


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
    max_gap_days: int | None
    overdue_days: int  # 0 when not overdue


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
    period_start: dt.date | None = None  # the period of `withdrawals`: period_start .. today

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


def policy_columns(cat: Catalogue, findings: list[Finding]) -> list[Column]:
    rules = cat.site.inspection
    if not rules.policy_columns:
        return [c for c in cat.columns() if c.kind is ColumnKind.POLICIES
                or (c.kind is ColumnKind.DOCUMENTS and any(w in c.name for w in POLICY_WORDS))]
    index = column_index(cat.roots)
    out: list[Column] = []
    for ref in rules.policy_columns:
        cols = index.get(ref.strip("/"), [])
        if len(cols) == 1:
            out.append(cols[0])
        else:
            findings.append(Finding("rule", SITE_WIDE, ref, f"site.yml 的 inspection.policy_columns 中栏目「{ref}」"
                                    + ("不存在" if not cols else "不唯一，请写完整路径"), source=cat.site.source.file))
    return out


# --- the checks ---------------------------------------------------------------------------------


def column_status(cat: Catalogue, col: Column, today: dt.date) -> ColumnStatus:
    kind = col.kind
    docs = cat.documents_in(col) if kind.holds_documents else []
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
    elif kind is ColumnKind.MESSAGES:  # updated when a reply is published
        last = max((m.replied for m in cat.interaction.messages if m.replied and m.replied <= today), default=None)
        empty = not cat.interaction.messages
    elif kind is ColumnKind.FAQ:  # no dates: judged by being there
        empty = not cat.interaction.faq
    elif kind is ColumnKind.DECISIONS:  # updated when a year's 事项目录 is published
        last = max((y.published for y in cat.decisions.years if y.published and y.published <= today), default=None)
        empty = not cat.decisions.all
    # sections are judged by their children, links are elsewhere, the guide by its own revision rule
    gap = FREQUENCIES.get(col.frequency) if kind.has_schedule else None
    overdue = 0
    if gap is not None and last is not None and (today - last).days > gap:
        overdue = (today - last).days - gap
    return ColumnStatus(col.path, col.trail_text(), col.kind, col.frequency, office_of(col), col.href, last, len(docs),
                        empty, gap, overdue)


def check_columns(cat: Catalogue, today: dt.date, findings: list[Finding]) -> list[ColumnStatus]:
    out: list[ColumnStatus] = []
    for col in cat.columns():
        s = column_status(cat, col, today)
        out.append(s)
        src = f"{col.source.file}:{col.source.line}"
        if s.empty:
            findings.append(Finding("empty", s.office, s.trail, "栏目没有任何内容（空白栏目）", s.href, src))
        elif s.overdue_days:
            findings.append(Finding("overdue", s.office, s.trail,
                                    f"最近更新 {s.last_update}，更新频率「{s.frequency}」（{s.max_gap_days} 天），"
                                    f"已超期 {s.overdue_days} 天", s.href, src))
        elif col.kind is ColumnKind.PAGE and s.last_update is None and s.max_gap_days is not None:
            findings.append(Finding("no_date", s.office, s.trail, f"单页没有注明更新日期，无法判断是否超期：请在 content/{col.page} "
                                    "的 front matter 中写 updated: YYYY-MM-DD", s.href, f"content/{col.page}"))
    return out


def check_policy_columns(cat: Catalogue, statuses: dict[str, ColumnStatus], today: dt.date,
                         findings: list[Finding]) -> int:
    months = cat.site.inspection.policy_stale_months
    stale = 0
    for col in policy_columns(cat, findings):
        s = statuses[col.path]
        if s.last_update is None or today > add_months(s.last_update, months):
            stale += 1
            since = f"最近更新 {s.last_update}" if s.last_update else "从未发布文件"
            findings.append(Finding("policy_stale", s.office, s.trail, f"{since}，超过 {months} 个月未更新", s.href,
                                    f"{col.source.file}:{col.source.line}"))
    return stale


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
                                f"（年报文件的 front matter 写 year: {year}）", col.href, f"{col.source.file}:{col.source.line}"))
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


def withdrawals_between(cat: Catalogue, start: dt.date, end: dt.date) -> list[WithdrawalRow]:
    """The withdrawals recorded from start to end (inclusive), oldest first."""
    rows = [WithdrawalRow(w.date, w.id, "（含个人信息，不显示标题）" if w.personal_data else w.title, w.index_no, w.reason,
                          w.by, w.personal_data) for w in cat.withdrawals if start <= w.date <= end]
    return sorted(rows, key=lambda r: (r.date, r.id))


def inspect(cat: Catalogue, today: dt.date, site_dir: Path | None = None, since: dt.date | None = None) -> Report:
    """since: start of the period whose withdrawals are listed (default: 1 January of today's year)."""
    findings: list[Finding] = []
    statuses = check_columns(cat, today, findings)
    by_path = {s.path: s for s in statuses}
    stale_policies = check_policy_columns(cat, by_path, today, findings)
    check_documents(cat, today, findings)
    check_guide(cat, today, findings)
    check_annual_report(cat, today, findings)
    _check_participation(cat, today, findings)
    links_checked, note = 0, ""
    if site_dir is not None and (site_dir / "index.html").is_file():
        links_checked = check_links(cat, site_dir, findings)
    else:
        note = "没有找到已生成的网站（site/index.html），未检查站内链接：请先运行 mkdocs build"
    rules = cat.site.inspection
    # a document dated after `today` was not on the site yet: never the home page's latest update
    newest = max((d.published for d in cat.published_documents if d.published <= today), default=None)
    home_age = (today - newest).days if newest else None
    home_failed = home_age is None or home_age > rules.home_stale_days
    if home_failed:
        findings.append(Finding("home_stale", SITE_WIDE, "首页",
                                f"最近一次发布是 {newest}（{home_age} 天前）" if newest else "网站没有发布任何文件", "index.html"))
    overdue = sum(1 for s in statuses if s.overdue_days)
    empty = sum(1 for s in statuses if s.empty)
    thresholds = [
        Threshold("home", "首页更新", f"最近发布 {newest}（{home_age} 天前）" if newest else "没有发布任何文件",
                  f"超过 {rules.home_stale_days} 天未更新即不合格", home_failed),
        Threshold("policy", "政策类栏目更新", f"{stale_policies} 个栏目超过 {rules.policy_stale_months} 个月未更新",
                  f"任一政策、通知类栏目超过 {rules.policy_stale_months} 个月未更新即不合格", stale_policies > 0),
        Threshold("overdue", "超期未更新栏目", f"{overdue} 个", f"达到 {rules.overdue_limit} 个即不合格",
                  overdue >= rules.overdue_limit),
        Threshold("empty", "空白栏目", f"{empty} 个", f"达到 {rules.empty_limit} 个即不合格", empty >= rules.empty_limit),
    ]
    start = since or dt.date(today.year, 1, 1)
    return Report(cat.site.name, today, statuses, findings, thresholds,
                  cat.guide.revised if cat.guide else None, links_checked, note,
                  withdrawals_between(cat, start, today), start)


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
        state = "空白" if c.empty else f"超期 {c.overdue_days} 天" if c.overdue_days else "正常" if c.last_update else "—"
        lines.append(f"  {c.trail}｜{c.frequency or '—'}｜{c.office}｜{c.last_update or '—'}｜{state}")
    lines += ["", f"四、本期撤回的信息（{report.period_start} 至 {report.today}，{len(report.withdrawals)} 条；"
              "撤回日期｜文件标识｜标题｜索引号｜原因｜经办人）"]
    if not report.withdrawals:
        lines.append("  没有撤回的信息。")
    for w in report.withdrawals:
        lines.append(f"  {w.date}｜{w.id}｜{w.title or '—'}｜{w.index_no or '—'}｜{w.reason}｜{w.by or '—'}")
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
        state = "空白" if c.empty else f"超期 {c.overdue_days} 天" if c.overdue_days else ""
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
    out.append("</tbody></table>\n</main>\n</body>\n</html>\n")
    return "".join(out)


__all__ = ["inspect", "Report", "Finding", "format_text", "format_html"]
