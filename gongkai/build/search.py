"""Chinese full-text search: gongkai's own sharded bigram index (gongkai/searchindex.py) fed from the model. No MkDocs.

Each record is one page's own text (a document's title, 文号, 索引号 and body; a column's name, description and
page text; a 主题服务包), never the navigation around it. Only published (主动公开) documents are indexed.

Records are numbered in the order results are shown within a tier (searchindex.search): 主题服务包 first (a
citizen looking for 低保 is best served by how to apply), then column pages, then documents — 行政规范性文件 in
force first, then other documents, then those no longer in force (已失效, 已废止), each newest first.

Synonyms: gongkai/build/synonyms.yml (the terms of 民政 and the words citizens use for them; sources listed
there), plus the bureau's own under `search:` in site.yml; written into the manifest, expanded by the page.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import re
import shutil
from collections.abc import Callable, Iterable
from functools import partial
from operator import itemgetter
from pathlib import Path

import yaml

from gongkai.build import journal, lists, manifest, searchindex
from gongkai.build.cache import BuildCache, code_key
from gongkai.build.interaction_pages import search_records
from gongkai.build.pages import SitePlan
from gongkai.build.searchindex import Entry, IndexStats, docno_keys, indexno_keys, normalise
from gongkai.checks.validity import Validity, validity
from gongkai.model import Changes, Column, ColumnKind, Document, Site, body_size

OUTPUT = "search/index"
BUILTIN_SYNONYMS = Path(__file__).with_name("synonyms.yml")

# Each pattern runs only when one of its literals is in the text (a plain paragraph skips most of them). Each one
# starts with a literal, so the regex engine skips to the places where it can match; the block markers and table
# rules are anchored to a line's start by the line break before it (the text is read with one in front).
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # starts with a literal: 4 times faster than one led by (?:!\[|\[)


def _links(text: str) -> str:
    """Links and images: their text kept, "[text](url)" and "![alt](src)" -> text. The pattern starts at the
    bracket (a literal the regex engine skips to); an image's "!" is the last character before its match (the
    match before it ends with ")"), dropped from the text between matches."""
    parts = _LINK.split(text)  # text, label, text, label, ..., text
    for i in range(0, len(parts) - 1, 2):
        if parts[i].endswith("!"):
            parts[i] = parts[i][:-1]
    return "".join(parts)


_MD_CLEANUP: list[tuple[tuple[str, ...] | None, Callable[[str], str]]] = [
    (("<!--",), partial(re.compile(r"<!--.*?-->", re.S).sub, " ")),
    (("<",), partial(re.compile(r"<[^>\n]+>").sub, " ")),  # inline HTML tags
    (("](",), _links),
    (("{",), partial(re.compile(r"\{[:#.][^}\n]*\}").sub, " ")),  # attr_list
    # block markers: up to three spaces, #…, >, a bullet, a number, !!! or ??? (admonitions), then spaces (unlike
    # the former ^…$ pattern, a bullet right after a line of only a bullet is dropped too: "-\n  - 项" gives "项")
    (None, partial(re.compile(r"\n\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|!!!|\?\?\?)(?:[^\S\n]+|(?=\n))").sub, "\n")),
    # table rules and horizontal rules: lines of nothing but |, :, - and spaces
    (("|", "---", ":-"), partial(re.compile(r"\n[\s|:\-]*[|:\-][\s|:\-]*(?=\n|\Z)").sub, "\n")),
]
_MARKUP = "*_`|~"  # emphasis, code, table cells, strikethrough: blanked with str.replace (20 times faster than a regex)


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body, for the index (cheap: no Markdown rendering)."""
    text = "\n" + markdown
    for needles, clean in _MD_CLEANUP:
        if needles is None or any(n in text for n in needles):
            text = clean(text)
    for ch in _MARKUP:
        if ch in text:
            text = text.replace(ch, " ")
    return " ".join(text.split())  # whitespace runs as one space


def document_record(plan: SitePlan, doc: Document) -> Entry:
    return _entry_of(doc, _document_data(plan, doc))


# What a document's record is made of (_document_data), as plain values a later build can reuse (marshal):
# (rank, published ordinal, title, meta, keys, fields, summary, source digest, body size, annual report narrative)
DocData = tuple[int, int, str, dict[str, str], tuple[str, ...], str, str, str, int, str]


def _document_data(plan: SitePlan, doc: Document) -> DocData:
    """Everything of a document's record but its text. It reads the document (every field, its columns' kinds, its
    source digest and body size) and, beyond it, only the build date (validity, rank) and the annual report of its
    year (content/reports/): _DocRecords.context holds those, so a record reused for an unchanged document is never
    stale."""
    v = validity(doc, plan.today)
    # shown by a result (short keys: 10,000 of them are downloaded in chunks); the page recomputes the validity
    # label from status/effective/expires with the reader's date, as gongkai.js does
    meta = {"u": doc.href, "t": doc.title, "k": "文件", "d": doc.published.isoformat(), "n": doc.doc_number,
            "i": doc.index_no, "v": v.label if v else "", "s": doc.status,
            "e": doc.effective.isoformat() if doc.effective else "", "x": doc.expires.isoformat() if doc.expires else ""}
    # the 索引号 without its organisation code: "24" of 11330100002489999F is in every one (its keys have it whole)
    index_tail = doc.index_no.rsplit("/", 1)[-1] if doc.index_no else ""
    fields = "\n".join(p for p in (doc.doc_number, index_tail, doc.publisher) if p)
    keys = docno_keys(doc.doc_number) + indexno_keys(doc.index_no)
    rep = plan.report_of(doc)  # an annual report's page shows its narrative (content/reports/YEAR.yml): findable too
    narrative = rep.narrative if rep is not None else ""
    size = body_size(doc) if doc.source_digest else -1
    return (_rank_of(doc, v), doc.published.toordinal(), doc.title, {k: val for k, val in meta.items() if val}, keys,
            fields, doc.summary, doc.source_digest, size, narrative)


def _entry_of(doc: Document, data: DocData) -> Entry:
    """The record of `doc` from its _document_data."""
    _rank, _day, title, meta, keys, fields, summary, digest, size, narrative = data
    if digest:  # the body comes from the file alone: read only when needed, and not kept
        return Entry(title, lambda: "\n".join(p for p in (doc.body, narrative) if p), meta, plain_text, keys, fields,
                     summary, f"{digest}\0{narrative}", size + len(narrative) + bool(size and narrative))
    return Entry(title, "\n".join(p for p in (doc.body, narrative) if p), meta, plain_text, keys, fields, summary)


def _rank_of(doc: Document, v: Validity | None) -> int:
    """0: a 行政规范性文件 in force (or about to be); 1: other documents; 2: no longer in force."""
    if v is not None and v.label in ("已失效", "已废止"):
        return 2
    return 0 if doc.normative and v is not None and v.label in ("现行有效", "尚未生效") else 1


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
    return Entry(name, " ".join(p for p in parts if p), {"u": href, "t": name, "k": "主题服务包"},
                 summary=getattr(pkg, "summary", ""))


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


def records(plan: SitePlan, kept: _DocRecords | None = None) -> list[Entry]:
    """Every searchable page in result order (see the module docstring). The same input gives the same order,
    so the index is byte-identical.

    kept: the document records of the previous build, when this build may reuse them (_DocRecords.usable): only
    the documents Catalogue.changes names are made again. It is replaced by this build's."""
    return _records(plan, kept)[0]


def _records(plan: SitePlan, kept: _DocRecords | None) -> tuple[list[Entry], list[bool], _DocRecords]:
    """records(), whether each was taken over from `kept` unchanged, and this build's document records."""
    changes = plan.cat.changes
    old = kept.docs if kept is not None else {}
    anew: dict[str, Kept | None] = {}  # the records made again, by source file (None: not kept)
    made: list[tuple[tuple[int, int, str], Entry, bool]] = []
    public = plan.cat.published_documents
    for d in public:
        name = d.source.file
        got = old.get(name) if _unchanged(changes, d) else None
        if got is not None:
            made.append(((got[0], -got[1], got[2]), _KeptEntry(d, got[2], got[3]), True))
            continue
        data = _document_data(plan, d)
        entry = _entry_of(d, data)
        # a record without a source digest holds its body: made again each build, not kept
        anew[name] = (data[0], data[1], entry.url, marshal.dumps(data)) if data[7] else None
        made.append(((data[0], -data[1], entry.url), entry, False))
    made.sort(key=itemgetter(0))
    # the kept records of documents no longer published (removed, withdrawn …) are not kept any more: there are some
    # only when fewer kept records were reused or made again than were kept (a document is one or the other)
    if old and sum(map(itemgetter(2), made)) + sum(n in old for n in anew) != len(old):
        anew.update(dict.fromkeys(old.keys() - {d.source.file for d in public}))
    packages = sorted((r for r in (package_record(p) for p in plan.cat.packages) if r), key=lambda r: r.meta["u"])
    columns = sorted((r for r in (column_record(plan, c) for c in plan.cat.columns()) if r), key=lambda r: r.meta["u"])
    # 常见问题 and 留言选登, each at its anchor on its column's page; the pages of published lists last: their rows
    # (masked) are found, after the pages and documents about a topic
    answers = sorted(search_records(plan.cat), key=lambda r: r.meta["u"])
    lists_ = lists.search_records(plan.cat)
    before = packages + columns + answers
    entries = before + [e for _k, e, _r in made] + lists_
    reused_flags = [False] * len(before) + [r for _k, _e, r in made] + [False] * len(lists_)
    return entries, reused_flags, _DocRecords.after(kept, changes.token, _DocRecords.context_of(plan), anew)


# A document record as kept for the next build: (rank, published ordinal, URL, the marshalled DocData) — the first
# three order the records, the rest is decoded only when the index writer asks for more than the URL (_KeptEntry)
Kept = tuple[int, int, str, bytes]


class _KeptEntry(Entry):
    """A document record taken over from the previous build: its URL at hand, everything else decoded from the
    kept bytes when first asked for. A rebuild's index patch reads only the URL of a record it knows is unchanged
    (searchindex._patch `same`), so reusing ten thousand records costs little more than ordering them."""

    def __init__(self, doc: Document, url: str, data: bytes):  # (not the dataclass's __init__: nothing decoded yet)
        self._doc, self._url, self._data = doc, url, data
        self._full: Entry | None = None

    def _entry(self) -> Entry:
        full = self._full
        if full is None:
            full = self._full = _entry_of(self._doc, marshal.loads(self._data))
        return full

    url = property(lambda self: self._url)
    title = property(lambda self: self._entry().title)
    raw = property(lambda self: self._entry().raw)
    meta = property(lambda self: self._entry().meta)
    prepare = property(lambda self: self._entry().prepare)
    keys = property(lambda self: self._entry().keys)
    fields = property(lambda self: self._entry().fields)
    summary = property(lambda self: self._entry().summary)
    digest = property(lambda self: self._entry().digest)
    size = property(lambda self: self._entry().size)


def _unchanged(changes: Changes, doc: Document) -> bool:
    """Whether the load says `doc` is what the load the kept records were made from had (their token is its
    `since`): a record reads nothing of other documents (not its 解读, not what replaces it), so `changed`, not
    `affected`."""
    return not changes.changed(doc)


class _DocRecords:
    """The document records one build made (_document_data by source file), kept in the build cache with the token
    of the load they were made from (Catalogue.changes.token) and what else they read (`context`). A later build
    reuses them for the documents that did not change only when its load's changes are relative to that very load
    (changes.since) and the context is the same; else it makes every record again (and keeps those).

    Kept as a base and a journal (gongkai/build/journal.py): a rebuild that reused them writes only the records it
    made again (and those it dropped) since the base, not all of them (4 MB at 10,000 documents, 40 MB at 100,000)."""

    FORMAT = 3
    NAME = "records"  # records.base, records.journal
    LEGACY = "records.marshal"  # (the whole records of FORMAT 2, written on every build: removed with a new base)

    def __init__(self, token: str, context: str, docs: dict[str, Kept], base_id: str = "",
                 since: dict[str, Kept | None] | None = None):
        self.token, self.context, self.docs = token, context, docs
        # the base these records are kept relative to and every change since it (None: none, write them whole)
        self.base_id, self.since = base_id, since

    @classmethod
    def after(cls, kept: _DocRecords | None, token: str, context: str, anew: dict[str, Kept | None]) -> _DocRecords:
        """This build's records: `kept` (the previous build's, reused; None: none) with the records made again
        (`anew`: by source file; None: not kept). Relative to kept's base, or — with nothing kept — a new base of its
        own; `docs` is built whole only when it is to be written whole (Journal.save)."""
        if kept is None:
            return cls(token, context, {n: r for n, r in anew.items() if r is not None})
        return cls(token, context, kept.docs, kept.base_id, journal.merged(kept.since or {}, anew))

    @staticmethod
    def context_of(plan: SitePlan) -> str:
        """What a document record reads besides its document: the build date (validity and rank), the annual
        reports' narratives by year, and which columns publish annual reports (report_of)."""
        reports = sorted((y, r.narrative) for y, r in plan.reports.items())
        columns = sorted(c.path for c in plan.cat.columns() if c.kind == "reports")
        return hashlib.blake2b(repr((plan.today.toordinal(), reports, columns)).encode(), digest_size=16).hexdigest()

    def usable(self, plan: SitePlan) -> bool:
        changes = plan.cat.changes
        # (follows, not Changes.keeps: a record reads its document and context_of alone — the build date among
        # them —, which is compared here instead of asking that no other input changed)
        return changes.follows(self.token) and self.context == self.context_of(plan)

    @classmethod
    def read(cls, folder: Path, salt: str) -> _DocRecords | None:
        kept = journal.Journal(folder, cls.NAME)
        got = kept.read()
        if got is None:
            return None
        docs, head, since = got
        try:
            fmt, was_salt, token, context = head
        except (TypeError, ValueError):
            return None
        if fmt != cls.FORMAT or was_salt != salt or not token or not isinstance(docs, dict):
            return None
        return cls(token, context, journal.apply(docs, since), kept.base_id, since)  # as the last build left them

    def write(self, folder: Path, salt: str) -> None:
        kept = journal.Journal(folder, self.NAME)
        kept.base_id = self.base_id

        def whole() -> dict[str, Kept]:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(folder / self.LEGACY)
            # (kept's records with this build's changes, made on a copy: kept.docs may be read again meanwhile)
            return journal.apply(dict(self.docs), self.since) if self.since else self.docs

        kept.save((self.FORMAT, salt, self.token, self.context), self.since, whole)

    @classmethod
    def forget(cls, folder: Path) -> None:
        """Before the index the records were saved with changes: a build killed meanwhile leaves none to trust."""
        journal.Journal(folder, cls.NAME).forget()


def synonym_table(site: Site) -> dict[str, list[str]]:
    """term -> the words also searched for it (normalised as the index is): the built-in table unless the bureau
    turned it off, and the bureau's own groups and one-way entries."""
    groups: list[list[str]] = []
    related: dict[str, list[str]] = {}
    portal = site.portal
    if portal.builtin_synonyms:
        data = yaml.load(BUILTIN_SYNONYMS.read_text(encoding="utf-8"),  # libyaml's: ten times faster
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        groups += data.get("synonyms", [])
        related.update(data.get("related", {}))
    groups += portal.synonyms
    related.update(portal.related)
    table: dict[str, list[str]] = {}

    def add(term: str, alts: Iterable[str]) -> None:
        key = normalise(term).strip()
        mine = table.setdefault(key, [])
        for alt in alts:
            a = normalise(alt).strip()
            if a and a != key and a not in mine:
                mine.append(a)

    for group in groups:
        for word in group:
            add(word, group)
    for word, alts in related.items():
        add(word, alts)
    return {k: v for k, v in sorted(table.items()) if v}


def build_index(plan: SitePlan, site: Path, cache: BuildCache | None = None, read_all: bool = True) -> IndexStats:
    """Write site/search/index/: the search index of every published document, column page and package.

    read_all: when the manifest's kept lines cannot be patched, read and hash every index file to make them again
    (False in mkdocs serve, which writes no manifest: the next `mkdocs build` does it, as the manifest did before).
    With a build cache, a rebuild re-tokenises only the pages whose text changed (.cache/gongkai/search/), and
    when the load says which documents changed since the build that made the cached index (Catalogue.changes),
    only their records are made again and only their index files compared (see _DocRecords)."""
    state_dir = cache.folder / "search" if cache is not None and cache.enabled and cache.folder else None
    if state_dir is not None:
        shutil.rmtree(state_dir.parent / "pagefind", ignore_errors=True)  # the cache of the former Pagefind index
    # what else shaped the records (the code that prepares their text): another salt starts the index afresh
    salt = cache.code if cache is not None and cache.enabled else code_key()
    extra = {"synonyms": synonym_table(plan.cat.site)}
    # thousands of small objects that all live on (the records read back and made, then the stat of every file of
    # the cached index — 17,000 at 10,000 documents — and the files' bytes): the garbage collector would walk the
    # whole heap again and again meanwhile, for nothing (~12 ms CPU of a one-document rebuild; after a change of
    # gongkai's code, a full collection of the heap in the middle of the stat: ~70 ms)
    paused = gc.isenabled()
    gc.disable()
    try:
        kept = _DocRecords.read(state_dir, salt) if state_dir is not None else None
        if kept is not None and not kept.usable(plan):
            kept = None
        entries, reused, mine = _records(plan, kept)
        changes = plan.cat.changes
        token = changes.token if changes.known or changes.token else ""
        if state_dir is not None:
            _DocRecords.forget(state_dir)
        stats = searchindex.write(entries, (site / OUTPUT).resolve(), state_dir, salt, extra, token,
                                  changes.follows if kept is not None else None, reused if kept is not None else None,
                                  trust_stat=cache is not None and cache.clock is not None)  # (None: GONGKAI_TRUST_STAT=0)
        if state_dir is not None and token:
            mine.write(state_dir, salt)
        if state_dir is not None and stats.tree is not None:
            stats.lines = _kept_lines(state_dir, stats.tree, read_all)
    finally:
        if paused:
            gc.enable()
    return stats


LINES = "manifest-lines"  # the manifest's lines of the index's files, in state_dir: .base and .journal (_kept_lines)
LINES_LEGACY = "manifest-lines.marshal"  # (written whole on every build before FORMAT 2: removed with a new base)
LINES_FORMAT = 2


def _kept_lines(state_dir: Path, tree: searchindex.Tree, read_all: bool = True) -> manifest.KeptFolder | None:
    """The manifest's lines of every file of the index (site.manifest.json), kept in state_dir for the copy of the
    index in the build cache exactly as `tree.after` names it: the kept lines of the copy this build patched
    (`tree.before`) with those of the files it wrote anew or removed, else (a copy made afresh, or no lines kept
    for the copy patched: a build stopped between writing the index and its lines) every file read and hashed.
    Those files are the site's (hard links, or the claimed inodes of the recycled tree): manifest.build lists them
    by these lines while the site holds exactly them. Without read_all (mkdocs serve) a copy that cannot be patched
    gets no lines (None): its file is left naming the copy it was made for, which the next build does not patch.

    Kept as a base and a journal (gongkai/build/journal.py): a rebuild writes the files' changes since the base, not
    every line (3.6 MB at 10,000 documents, 36 MB at 100,000), and nothing when the copy is the one it patched."""
    kept = journal.Journal(state_dir, LINES)
    prefix = OUTPUT + "/"
    folder = None
    since: dict[str, tuple[int, str] | None] | None = None
    if tree.before is not None:
        got = kept.read()
        try:
            if got is not None:
                (reason, paths, sizes, lines), (fmt, ident), earlier = got
                # (lists that do not go together: a damaged or foreign cache, made again like any other)
                if (fmt == LINES_FORMAT and ident == tree.before and manifest.Reason(*reason) == manifest.SEARCH
                        and len(paths) == len(sizes) == len(lines)):
                    folder = manifest.KeptFolder(prefix, manifest.SEARCH, paths, sizes, lines)
                    folder.update(earlier)  # the lines of the copy patched
                    folder.update(tree.changes)
                    since = journal.merged(earlier, tree.changes)
        except (TypeError, ValueError, IndexError, AttributeError):
            folder = None
    if folder is None:
        if not read_all:
            return None
        folder = manifest.KeptFolder.of(prefix, manifest.SEARCH, tree.files())
    if since is None or tree.changes or tree.after != tree.before:  # (the same copy: its lines as they are kept)
        whole = folder

        def value() -> tuple:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(state_dir / LINES_LEGACY)
            reason = (whole.reason.kind, whole.reason.ref, whole.reason.source)
            return reason, whole.paths, whole.sizes, whole.lines

        kept.save((LINES_FORMAT, tree.after), since, value)
    folder.placed = tree.placed
    return folder
