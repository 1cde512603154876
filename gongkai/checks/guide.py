"""Checks of the 政府信息公开指南: revision date and the contact block it shows (条例 Art. 12)."""

from __future__ import annotations

import calendar
import datetime as dt

from gongkai.errors import Problems
from gongkai.model import Catalogue, Column, ColumnKind, Guide, Site

# The contact block of the guide, in the order it is printed: Contact field -> label.
CONTACT_LABELS = {
    "office": "工作机构", "address": "地址", "postcode": "邮政编码", "hours": "办公时间",
    "phone": "联系电话", "fax": "传真", "email": "电子邮箱",
}
# 条例 Art. 12: the guide gives the office's name, address, hours, phone, fax and email.
REQUIRED_CONTACT = ("office", "address", "hours", "phone", "fax", "email")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (2025-01-31 + 1 -> 2025-02-28)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def revision_due(cat: Catalogue) -> dt.date | None:
    """The day the guide is due for revision: its revision date plus site.yml's guide.stale_months."""
    guide = cat.guide
    if guide is None or guide.revised is None:
        return None
    return add_months(guide.revised, cat.site.guide_stale_months)


def stale_since(cat: Catalogue, today: dt.date | None = None) -> dt.date | None:
    """The day the guide became due for revision, if that day has come by `today` (default: the build date)."""
    due = revision_due(cat)
    return due if due is not None and (today or cat.build_date) >= due else None


def require_guide(roots: list[Column], guide: Guide | None, problems: Problems) -> None:
    """A guide column needs content/guide.md."""
    if guide is None and any(c.kind is ColumnKind.GUIDE for r in roots for c in r.walk()):
        problems.error("content/guide.md", None, None, "标准目录中有公开指南栏目（kind: guide），但该文件不存在")


def check_guide(cat: Catalogue, problems: Problems) -> None:
    guide = cat.guide
    if guide is None:
        return
    if not any(c.kind is ColumnKind.GUIDE for c in cat.columns()):
        # A guide no column shows is published nowhere: what a catalogue re-imported from a table without kinds
        # left behind, with the build and `gongkai check` silent about a page the 条例 requires.
        problems.warn(guide.source.file, None, None,
                      "标准目录（catalog/columns.yml）中没有公开指南栏目（kind: guide），公开指南不会发布到网站上；"
                      "《政府信息公开条例》第十二条要求公开政府信息公开指南：请把公开指南栏目的 kind 改为 guide")
    if stale_since(cat) is not None and guide.revised is not None:
        problems.warn(guide.source.file, guide.source.line, "revised",
                      f"公开指南上次修订于 {guide.revised.isoformat()}，已超过 {cat.site.guide_stale_months} 个月未修订："
                      "请核对指南内容，修订后更新 revised（修订时间）并在 revisions 中记录修订说明"
                      "（提醒期限可在 catalog/site.yml 的 guide.stale_months 中设置）")
    if guide.revised and guide.revisions and guide.revised < guide.revisions[0].date:
        problems.warn(guide.source.file, guide.source.line, "revised",
                      f"修订时间 {guide.revised.isoformat()} 早于最近一条修订记录的日期 {guide.revisions[0].date.isoformat()}")
    if guide.revised and guide.revised > cat.build_date:
        problems.warn(guide.source.file, guide.source.line, "revised",
                      f"修订时间 {guide.revised.isoformat()} 晚于生成日期 {cat.build_date.isoformat()}")
    if cat.first_column(ColumnKind.GUIDE) is not None:
        missing = missing_contact(cat.site)
        if missing:
            # A to-do, not a warning: nothing written is wrong, something required is not written yet (a site
            # fresh from `gongkai new` knows no address or fax). The build and `gongkai check` still show it.
            # at the contact block when there is one (a fresh site has it only as comments: then the file's start)
            problems.todo(cat.site.source.file, cat.site.field_lines.get("contact") or cat.site.source.line, "contact",
                          f"公开指南的联系方式缺少：{'、'.join(missing)}（《政府信息公开条例》第十二条要求写明），"
                          "请在 catalog/site.yml 的 contact 中补充")


def missing_contact(site: Site) -> list[str]:
    """Labels of the contact items 条例 Art. 12 requires in the guide that site.yml does not give."""
    return [CONTACT_LABELS[k] for k in REQUIRED_CONTACT if not getattr(site.contact, k)]


def contact_rows(site: Site) -> list[tuple[str, str, str]]:
    """(field, label, value) of the guide's contact block, from catalog/site.yml; empty values left out."""
    return [(k, label, getattr(site.contact, k)) for k, label in CONTACT_LABELS.items() if getattr(site.contact, k)]
