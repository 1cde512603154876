"""Validity (有效性) of a document from its status, dates and the build date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.errors import Problems
from gongkai.load.packages import PACKAGES_FILE
from gongkai.model import Document, Package, Site

PROVISIONAL_WORDS = ("暂行", "试行")
LABELS = ("尚未生效", "现行有效", "已修改", "已失效", "已废止")
CSS = {"尚未生效": "pending", "现行有效": "valid", "已修改": "amended", "已失效": "expired", "已废止": "repealed"}


@dataclass(frozen=True)
class Validity:
    label: str
    css: str
    note: str = ""


def validity(doc: Document, today: dt.date) -> Validity | None:
    """None for documents that carry no validity (neither normative nor dated nor with a status)."""
    if doc.status == "废止":
        return Validity("已废止", CSS["已废止"])
    if doc.status == "修改":
        return Validity("已修改", CSS["已修改"])
    if doc.status == "失效":
        return Validity("已失效", CSS["已失效"])
    if not (doc.normative or doc.effective or doc.expires):
        return None
    if doc.effective and today < doc.effective:
        return Validity("尚未生效", CSS["尚未生效"], f"自 {doc.effective.isoformat()} 起施行")
    if doc.expires and today > doc.expires:
        return Validity("已失效", CSS["已失效"], f"有效期至 {doc.expires.isoformat()}")
    return Validity("现行有效", CSS["现行有效"])


def add_years(start: dt.date, years: int) -> dt.date:
    """start + years, with 29 February falling back to 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def is_provisional(title: str) -> bool:
    """暂行/试行 documents get the shorter term."""
    return any(word in title for word in PROVISIONAL_WORDS)


def default_expiry(doc: Document, default_years: int, provisional_years: int) -> tuple[dt.date, int]:
    """The last day of the default term, counted from 施行日期 (else 发布日期), and the term in years."""
    years = provisional_years if is_provisional(doc.title) else default_years
    start = doc.effective or doc.published
    return add_years(start, years) - dt.timedelta(days=1), years


def apply_default_terms(documents: list[Document], site: Site, problems: Problems) -> list[Document]:
    """A normative document without `expires` gets the site's default term, with a warning. Returns those documents
    (a later load may set their term again, load/stepkeep.py)."""
    termed: list[Document] = []
    for doc in documents:
        if not doc.normative or doc.expires or doc.status:
            continue
        expires, years = default_expiry(doc, site.default_term_years, site.provisional_term_years)
        doc.expires = expires
        doc.expires_default = True
        termed.append(doc)
        why = "标题含“暂行”或“试行”，" if is_provisional(doc.title) else ""
        problems.warn(doc.source.file, doc.line_of("normative"), "expires",
                      f"行政规范性文件没有写有效期至（expires），{why}按默认有效期 {years} 年"
                      f"计算到 {expires.isoformat()}；请在 front matter 中写明 expires")
    return termed


def warn_outdated_policies(packages: list[Package], today: dt.date, problems: Problems) -> None:
    """A package that cites a repealed, expired or amended document: the editor should update it.

    Run after the default terms are applied (apply_default_terms), with the build date.
    """
    for pkg in packages:
        for doc in pkg.policies:
            v = validity(doc, today)
            if v is not None and v.label in ("已废止", "已失效", "已修改"):
                problems.warn(PACKAGES_FILE, pkg.policy_lines.get(doc.id), "policies",
                              f"主题服务包「{pkg.name}」的政策依据「{doc.id}」（{doc.title}）{v.label}，请核对并更新政策依据")
