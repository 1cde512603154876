"""Coverage of the national 标准目录 the site declares: the question inspectors ask of a bureau's site — is every
item of the standard there, with content, published in time?

For each item of each declared standard: the columns that implement it (a column's own `implements:`, or one of its
公开事项'), whether any of them has content in force, and whether that content is in time. Two kinds of 公开时限:

- event-driven (「制定或获取信息之日起10个工作日内」): each document published later after 成文 than allowed, in
  working days with 调休, is listed;
- periodic (「每季度」「每20个工作日更新」「每年1月底前」「每季度结束后15个工作日内」): the newest content must be
  newer than the period allows — counted from the newest content for a plain period, from the calendar day the
  content last fell due for an anchored one.

A column whose documents are all 已失效 or 已废止 shows nothing in force: it does not count as content. The
percentage counts items implemented by a column that has content in force (late or stale ones included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.checks.validity import validity
from gongkai.frequency import Schedule, add_months
from gongkai.model import Catalogue, Column, Document
from gongkai.standards import Standard, StandardItem, partial_advice
from gongkai.workdays import WorkCalendar

STATES = {"ok": "已落实", "missing": "未落实（没有对应栏目）", "empty": "栏目无内容", "late": "有信息超过公开时限",
          "stale": "超过公开时限未更新", "void": "栏目只有已失效、已废止的信息", "na": "本机关不涉及"}
NOT_IN_FORCE = ("已失效", "已废止")


@dataclass
class LateDocument:
    id: str
    title: str
    written: dt.date
    published: dt.date
    due: dt.date
    href: str


@dataclass
class ItemCoverage:
    id: str
    title: str  # 一级事项 / 二级事项
    deadline: str
    state: str  # ok | missing | empty | late | na (site.yml standards_not_applicable, with `reason`)
    columns: list[str] = field(default_factory=list)  # paths of the implementing columns
    offices: list[str] = field(default_factory=list)
    late: list[LateDocument] = field(default_factory=list)
    unseen: list[str] = field(default_factory=list)  # cells of the standard filled by analogy
    reason: str = ""  # why the bureau does not implement it (state na)
    last_update: dt.date | None = None  # the newest content in force (state stale: older than the 公开时限 allows)
    due: dt.date | None = None  # state stale: the day newer content was due

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass
class DomainCoverage:
    domain: str
    reference: str  # 标准目录名称（文号）
    complete: bool  # the shipped standard holds every row of the original table
    note: str  # for the clerk: a partial standard's gap and what to do (standards.partial_advice)
    items: list[ItemCoverage]
    transcription: str = ""  # a partial standard's rows_note: which rows were read from which copies

    @property
    def implemented(self) -> int:
        """Items with an implementing column that has content (late ones included: they are there)."""
        return sum(1 for i in self.items if i.state in ("ok", "late", "stale"))

    @property
    def applicable(self) -> int:
        """Items the bureau must implement: all but those it declares 不涉及 with a reason."""
        return sum(1 for i in self.items if i.state != "na")

    @property
    def percent(self) -> float:
        return round(100 * self.implemented / self.applicable, 1) if self.applicable else 100.0


def in_force(doc: Document, today: dt.date) -> bool:
    """Content a reader can rely on: neither 已失效 nor 已废止 (a 已修改 document still holds its unchanged parts)."""
    v = validity(doc, today)
    return v is None or v.label not in NOT_IN_FORCE


def stale_due(schedule: Schedule, newest: dt.date | None, today: dt.date, cal: WorkCalendar) -> dt.date | None:
    """The day newer content was due when a periodic 公开时限 finds the newest content too old, else None."""
    if schedule.anchor is not None:
        due = schedule.anchor.last_due(today, cal)
        # content of the cycle that fell due: published after the previous cycle's due day
        return due if newest is None or newest <= add_months(due, -schedule.anchor.months) else None
    if schedule.period is not None and newest is not None:
        due = schedule.period.deadline(newest, cal)
        return due if today > due else None
    return None


def item_coverage(cat: Catalogue, std: Standard, item: StandardItem, today: dt.date, cal: WorkCalendar,
                  start: dt.date, empty_paths: set[str], office_of: Callable[[Column], str],
                  updated: dict[str, dt.date | None] | None = None) -> ItemCoverage:
    """updated: column path -> its last update as the inspection dates it, for columns that hold no documents."""
    cols = cat.implementers(item.id)
    out = ItemCoverage(item.id, item.title, item.deadline, "missing", [c.path for c in cols],
                       list(dict.fromkeys(office_of(c) for c in cols)), unseen=list(item.unseen))
    reason = cat.site.standards_not_applicable.get(item.id, "")
    if reason and not cols:
        out.state, out.reason = "na", reason
        return out
    if not cols:
        return out
    full = [c for c in cols if c.path not in empty_paths]
    if not full:
        out.state = "empty"
        return out
    docs: dict[str, Document] = {}
    for col in full:
        docs.update((d.id, d) for d in cat.documents_in(col) if d.published <= today)
    # columns of documents with nothing in force; any other kind with content counts (a page, a list …)
    live = [c for c in full if not c.kind.holds_documents
            or any(in_force(d, today) for d in cat.documents_in(c) if d.published <= today)]
    if not live:
        out.state = "void"
        return out
    within = item.schedule.within if item.schedule.event else None
    if within is not None:
        for doc in docs.values():
            if doc.written is None or not start <= doc.published <= today:
                continue
            due = within.deadline(doc.written, cal)
            if doc.published > due:
                out.late.append(LateDocument(doc.id, doc.title, doc.written, doc.published, due, doc.href))
    out.late.sort(key=lambda d: (d.published, d.id))
    if item.schedule.anchor is not None or (item.schedule.period is not None and not item.schedule.event):
        dated = [d.published for d in docs.values() if in_force(d, today)]
        dated += [d for c in live if not c.kind.holds_documents and (d := (updated or {}).get(c.path))]
        out.last_update = max(dated, default=None)
        out.due = stale_due(item.schedule, out.last_update, today, cal)
    out.state = "late" if out.late else "stale" if out.due else "ok"
    return out


def coverage(cat: Catalogue, today: dt.date, empty_paths: set[str], office_of: Callable[[Column], str],
             cal: WorkCalendar | None = None, start: dt.date | None = None,
             updated: dict[str, dt.date | None] | None = None) -> list[DomainCoverage]:
    """empty_paths: columns the inspection found without content (its own rule, so both reports agree); updated: the
    last update it found for each column (pages, lists … that hold no documents)."""
    cal = cal or WorkCalendar(cat.site.calendar)
    start = start or dt.date(today.year, 1, 1)
    out = []
    for std in cat.standards:
        items = [item_coverage(cat, std, item, today, cal, start, empty_paths, office_of, updated) for item in std.items]
        note = "" if std.complete else partial_advice(std)
        out.append(DomainCoverage(std.domain, std.reference, std.complete, note, items,
                                  "" if std.complete else std.rows_note))
    return out
