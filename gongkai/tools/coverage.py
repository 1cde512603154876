"""Coverage of the national 标准目录 the site declares: the question inspectors ask of a bureau's site — is every
item of the standard there, with content, published in time?

For each item of each declared standard: the columns that implement it (a column's own `implements:`, or one of its
公开事项'), whether any of them has published content, and the documents in those columns published later after
成文 than the item's 公开时限 allows (「制定或获取信息之日起10个工作日内」, in working days with 调休). The
percentage counts items implemented by a column that has content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.model import Catalogue, Column
from gongkai.standards import Standard, StandardItem
from gongkai.workdays import WorkCalendar

STATES = {"ok": "已落实", "missing": "未落实（没有对应栏目）", "empty": "栏目无内容", "late": "有信息超过公开时限",
          "na": "本机关不涉及"}


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

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass
class DomainCoverage:
    domain: str
    reference: str  # 标准目录名称（文号）
    complete: bool  # the shipped standard holds every row of the original table
    note: str
    items: list[ItemCoverage]

    @property
    def implemented(self) -> int:
        """Items with an implementing column that has content (late ones included: they are there)."""
        return sum(1 for i in self.items if i.state in ("ok", "late"))

    @property
    def applicable(self) -> int:
        """Items the bureau must implement: all but those it declares 不涉及 with a reason."""
        return sum(1 for i in self.items if i.state != "na")

    @property
    def percent(self) -> float:
        return round(100 * self.implemented / self.applicable, 1) if self.applicable else 100.0


def item_coverage(cat: Catalogue, std: Standard, item: StandardItem, today: dt.date, cal: WorkCalendar,
                  start: dt.date, empty_paths: set[str], office_of: Callable[[Column], str]) -> ItemCoverage:
    cols = cat.implementers(item.id)
    out = ItemCoverage(item.id, item.title, item.deadline, "missing", [c.path for c in cols],
                       list(dict.fromkeys(office_of(c) for c in cols)), unseen=list(item.unseen))
    reason = cat.site.standards_not_applicable.get(item.id, "")
    if reason and not cols:
        out.state, out.reason = "na", reason
        return out
    if not cols:
        return out
    if all(c.path in empty_paths for c in cols):
        out.state = "empty"
        return out
    within = item.schedule.within if item.schedule.event else None
    if within is not None:
        seen: set[str] = set()
        for col in cols:
            for doc in cat.documents_in(col):
                if doc.id in seen or doc.written is None or not start <= doc.published <= today:
                    continue
                seen.add(doc.id)
                due = within.deadline(doc.written, cal)
                if doc.published > due:
                    out.late.append(LateDocument(doc.id, doc.title, doc.written, doc.published, due, doc.href))
    out.late.sort(key=lambda d: (d.published, d.id))
    out.state = "late" if out.late else "ok"
    return out


def coverage(cat: Catalogue, today: dt.date, empty_paths: set[str], office_of: Callable[[Column], str],
             cal: WorkCalendar | None = None, start: dt.date | None = None) -> list[DomainCoverage]:
    """empty_paths: columns the inspection found without content (its own rule, so both reports agree)."""
    cal = cal or WorkCalendar(cat.site.calendar)
    start = start or dt.date(today.year, 1, 1)
    out = []
    for std in cat.standards:
        items = [item_coverage(cat, std, item, today, cal, start, empty_paths, office_of) for item in std.items]
        note = "" if std.complete else std.rows_note
        out.append(DomainCoverage(std.domain, std.reference, std.complete, note, items))
    return out
