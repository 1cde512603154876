"""Stable URL slugs for Chinese names: the pinyin initials, as gov sites use."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def initials(name: str) -> str:
    """法定主动公开内容 -> fdzdgknr; ASCII letters and digits are kept as they are."""
    from pypinyin import Style, lazy_pinyin  # imported when first needed: it takes 0.2 s to load

    text = unicodedata.normalize("NFKC", name)
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda s: list(s))
    out: list[str] = []
    for part in parts:
        for ch in part.lower():
            if "a" <= ch <= "z" or "0" <= ch <= "9":
                out.append(ch)
    return "".join(out)


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug)) and len(slug) <= 64


def is_valid_doc_id(doc_id: str) -> bool:
    return bool(DOC_ID_RE.match(doc_id)) and ".." not in doc_id and len(doc_id) <= 100
