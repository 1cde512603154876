"""Chinese full-text search: gongkai's own sharded bigram index (gongkai/searchindex.py) fed from the model. No MkDocs.

Each record is one page's own text (a document's title, 文号, 索引号 and body; a column's name, description and
page text; a 主题服务包), never the navigation around it. Only published (主动公开) documents are indexed.
Records are numbered newest document first (then columns and packages), so "newest first" is the index order.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from gongkai.build import searchindex
from gongkai.build.cache import BuildCache, code_key
from gongkai.build.pages import SitePlan
from gongkai.build.searchindex import Entry, IndexStats
from gongkai.checks.validity import validity
from gongkai.model import Column, ColumnKind, Document

OUTPUT = "search/index"

_MD_CLEANUP = [
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"<[^>\n]+>"), " "),  # inline HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"\{[:#.][^}\n]*\}"), " "),  # attr_list
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|!!!|\?\?\?)\s+", re.M), ""),  # block markers
    (re.compile(r"^[\s|:\-]+$", re.M), " "),  # table rules
    (re.compile(r"[*_`|~]+"), " "),
    (re.compile(r"\s+"), " "),
]


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body, for the index (cheap: no Markdown rendering)."""
    text = markdown
    for pattern, repl in _MD_CLEANUP:
        text = pattern.sub(repl, text)
    return text.strip()


def document_record(plan: SitePlan, doc: Document) -> Entry:
    v = validity(doc, plan.today)
    # shown by a result (short keys: 10,000 of them are downloaded in chunks); the page recomputes the validity
    # label from status/effective/expires with the reader's date, as gongkai.js does on every page
    meta = {"u": doc.href, "t": doc.title, "k": "文件", "d": doc.published.isoformat(), "n": doc.doc_number,
            "v": v.label if v else "", "s": doc.status,
            "e": doc.effective.isoformat() if doc.effective else "", "x": doc.expires.isoformat() if doc.expires else ""}
    rep = plan.report_of(doc)  # an annual report's page shows its narrative (content/reports/YEAR.yml): findable too
    narrative = rep.narrative if rep is not None else ""
    raw = "\n".join(p for p in (doc.doc_number, doc.index_no, doc.publisher, doc.body, narrative) if p)
    return Entry(doc.title, raw, {k: val for k, val in meta.items() if val}, plain_text)


def column_record(plan: SitePlan, col: Column) -> Entry | None:
    if not col.kind.searchable:
        return None
    parts = [col.description]
    if col.kind is ColumnKind.PAGE:
        page = plan.cat.pages.get(col.page)
        parts.append(plain_text(page.body if page else ""))
    elif col.kind is ColumnKind.GUIDE and plan.cat.guide is not None:
        parts.append(plain_text(plan.cat.guide.body))
    meta = {"u": col.href, "t": col.name, "k": "栏目", "p": col.trail_text(" › ")}
    return Entry(col.name, " ".join(p for p in parts if p), meta)


def package_record(pkg: object) -> Entry | None:
    """A 主题服务包, if the model carries them (catalog/packages.yml)."""
    href, name = getattr(pkg, "href", ""), getattr(pkg, "name", "")
    if not href or not name:
        return None
    parts = [getattr(pkg, "summary", "")]
    for attr in ("items", "materials", "steps", "faq"):
        value = getattr(pkg, attr, None)
        if value:
            parts.append(plain_text(" ".join(_strings(value))))
    return Entry(name, " ".join(p for p in parts if p), {"u": href, "t": name, "k": "主题服务包"})


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif hasattr(value, "__dict__"):
        yield from _strings(vars(value))


def records(plan: SitePlan) -> list[Entry]:
    """Every searchable page in result order: documents newest first (then by URL), then columns and packages
    by URL. The same input gives the same order, so the index is byte-identical."""
    docs = sorted(plan.cat.published_documents, key=lambda d: (-d.published.toordinal(), d.href))
    out = [document_record(plan, d) for d in docs]
    others = [r for r in (column_record(plan, c) for c in plan.cat.columns()) if r]
    others += [r for r in (package_record(p) for p in plan.cat.packages) if r]
    out += sorted(others, key=lambda r: r.meta["u"])
    return out


def build_index(plan: SitePlan, site: Path, cache: BuildCache | None = None) -> IndexStats:
    """Write site/search/index/: the search index of every published document, column page and package.

    With a build cache, a rebuild re-tokenises only the pages whose text changed (.cache/gongkai/search/).
    """
    state_dir = cache.folder / "search" if cache is not None and cache.enabled and cache.folder else None
    if state_dir is not None:
        shutil.rmtree(state_dir.parent / "pagefind", ignore_errors=True)  # the cache of the former Pagefind index
    # what else shaped the records (the code that prepares their text): another salt starts the index afresh
    salt = cache.code if cache is not None and cache.enabled else code_key()
    return searchindex.write(records(plan), (site / OUTPUT).resolve(), state_dir, salt)
