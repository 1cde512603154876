"""Stable URL slugs for Chinese names: the pinyin initials, as gov sites use."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, cast

from gongkai.memo import Memo

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


MAX_SLUG = 64  # an explicit id may have at most this many characters; a generated one is capped alike

# Place names whose reading pypinyin 0.55 gets wrong (polyphones: 朝阳 is Cháoyáng, not zhāoyáng), as initials.
# Checked against pypinyin's output; the phrase is matched longest first inside a name (朝阳街道 → cy + jd).
# APPEND ONLY: a column's address is made from this table, so changing or removing an entry moves the
# published columns of every bureau that has such a name (the URL record would then report them as moved).
POLYPHONE_PLACES: dict[str, str] = {
    "朝阳": "cy", "长治": "cz", "长宁": "cn", "长岛": "cd", "长丰": "cf", "长葛": "cg", "长垣": "cy", "长泰": "ct",
    "长清": "cq", "长海": "ch", "长岭": "cl", "长顺": "cs", "长阳": "cy", "长武": "cw", "长效": "cx",
    "解州": "xz", "解县": "xx", "单县": "sx", "洪洞": "ht", "尉氏": "ys", "筠连": "jl",
}
_PHRASES = re.compile("|".join(sorted(map(re.escape, POLYPHONE_PLACES), key=len, reverse=True)))


def initials(name: str, memo: Memo | None = None) -> str:
    """法定主动公开内容 -> fdzdgknr; ASCII letters and digits are kept as they are; capped at MAX_SLUG.

    memo: the build's (gongkai/memo.py): a rebuild takes the slugs of unchanged names from it instead of loading
    pypinyin's dictionaries (about half a second of every build of a catalogue whose columns have no id)."""
    if memo is not None:
        key = ("initials", _pypinyin_version(), name)  # pypinyin's readings may change with its version
        found = memo.get(key)
        if isinstance(found, str):
            return found
        slug = initials(name)
        memo.put(key, slug)
        return slug
    text = unicodedata.normalize("NFKC", name)
    out: list[str] = []
    pos = 0
    for m in _PHRASES.finditer(text):
        out.append(_pinyin_initials(text[pos:m.start()]))
        out.append(POLYPHONE_PLACES[m.group()])
        pos = m.end()
    out.append(_pinyin_initials(text[pos:]))
    return "".join(out)[:MAX_SLUG].rstrip("-")


@functools.cache
def _pypinyin_version() -> str:
    from importlib.metadata import version

    return version("pypinyin")


def _pinyin_initials(text: str) -> str:
    if not text:
        return ""
    from pypinyin import Style, lazy_pinyin  # imported when first needed: it takes 0.2 s to load

    # errors: characters with no pinyin are kept one by one (a list works; pypinyin's hints say str)
    parts: list[str] = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=cast(Any, lambda s: list(s)))
    return "".join(ch for part in parts for ch in part.lower() if "a" <= ch <= "z" or "0" <= ch <= "9")


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug)) and len(slug) <= MAX_SLUG


def is_valid_doc_id(doc_id: str) -> bool:
    return bool(DOC_ID_RE.match(doc_id)) and ".." not in doc_id and len(doc_id) <= 100
