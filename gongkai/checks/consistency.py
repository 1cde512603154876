"""Checks across documents that no single file shows: the copy-paste mistakes of a busy office.

- the same 文号 on two published documents (a copied front matter): a warning naming both files, an error when
  they also share 发布机构 and year — one 文号 is issued once by one body;
- `replaced_by` or `interprets` pointing at the document itself, or going round in a circle (A → B → A): the
  page would tell readers that a document replaces itself;
- a 发布日期 after the build date (2030 typed for 2026) would pin the document to the top of every list and
  feed for years: an error, unless the document says `scheduled: true` — then it is kept out of every output
  until that day, and appears with the first build on or after it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from gongkai.errors import Problems
from gongkai.model import Catalogue, Document

_BRACKETS = str.maketrans({"[": "〔", "［": "〔", "(": "〔", "（": "〔", "【": "〔", "]": "〕", "］": "〕", ")": "〕", "）": "〕", "】": "〕"})


# a character doc_number_key changes: a bracket it maps, or whitespace (\s: what str.split splits at)
_UNUSUAL = re.compile("[" + re.escape("".join(chr(c) for c in _BRACKETS)) + r"\s]")


def doc_number_key(number: str, _unusual: Callable[[str], object] = _UNUSUAL.search) -> str:
    """示民规〔2024〕3号, 示民规[2024]3号 and 示民规 〔2024〕 3 号 are one 文号."""
    if _unusual(number) is None:  # (most are written as the key already: one search, not a translate per 文号)
        return number
    return "".join(number.translate(_BRACKETS).split())  # (split: the whitespace re's \s matches, faster)


def check_consistency(cat: Catalogue, problems: Problems) -> list[Document]:
    """Every check above; returns the documents it held back (embargoed: a later load may set that again,
    load/stepkeep.py)."""
    held = _future_dates(cat, problems)
    _duplicate_numbers(cat, problems)
    _self_references(cat, problems)
    return held


def _future_dates(cat: Catalogue, problems: Problems) -> list[Document]:
    today = cat.build_date
    held: list[Document] = []
    for doc in [d for d in cat.documents if d.published > today]:  # (almost none)
        if doc.scheduled:
            doc.embargoed = True  # out of every output until its day (Document.is_public)
            held.append(doc)
            continue
        problems.error(doc.source.file, doc.line_of("published"), "published",
                       f"发布日期 {doc.published} 晚于今天（{cat.build_date}）：如果是笔误请改正；如果要到那天才发布，"
                       "请加上 scheduled: true，文件会在那天及以后的生成中出现")
    return held


def _duplicate_numbers(cat: Catalogue, problems: Problems) -> None:
    groups: dict[str, list[Document]] = defaultdict(list)
    key = doc_number_key
    for doc in [d for d in cat.documents if d.doc_number]:
        if doc.is_public:
            groups[key(doc.doc_number)].append(doc)
    for docs in groups.values():
        if len(docs) < 2:
            continue
        first = docs[0]
        for other in docs[1:]:
            same = other.publisher == first.publisher and other.published.year == first.published.year
            message = (f"文号「{other.doc_number}」与 {first.source.file}（{first.title}）相同"
                       + ("，发布机构和年份也相同：同一文号只能发一次，请核对是否复制了别的文件的 front matter" if same
                          else "：请核对是否复制了别的文件的 front matter"))
            (problems.error if same else problems.warn)(other.source.file, other.line_of("doc_number"), "doc_number", message)


def _self_references(cat: Catalogue, problems: Problems) -> None:
    documents = cat.documents
    naming = {"replaced_by": [d for d in documents if d.replaced_by], "interprets": [d for d in documents if d.interprets]}
    if not naming["replaced_by"] and not naming["interprets"]:
        return
    by_id = {d.id: d for d in documents}
    for key, label in (("replaced_by", "替代文件"), ("interprets", "被解读的文件")):
        reported: set[str] = set()
        for doc in naming[key]:  # (most documents name neither)
            target = getattr(doc, key)
            if doc.id in reported:
                continue
            if target == doc.id:
                problems.error(doc.source.file, doc.line_of(key), key, f"{label}不能是这份文件自己（{doc.id}）")
                reported.add(doc.id)
                continue
            chain = [doc.id]
            node = by_id.get(target)
            while node is not None and node.id not in chain:
                chain.append(node.id)
                node = by_id.get(getattr(node, key)) if getattr(node, key) else None
            if node is not None and node.id == doc.id:
                problems.error(doc.source.file, doc.line_of(key), key,
                               f"{label}形成了循环：{' → '.join(chain + [doc.id])}：请只在较早的文件上写 {key}")
                reported.update(chain)
