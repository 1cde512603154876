"""Validity (有效性) of a document from its status, dates and the build date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Document

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
