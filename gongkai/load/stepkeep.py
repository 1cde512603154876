"""The load steps after load_documents that read every document's fields but never a body, kept between builds.

Checks such as the duplicate-文号 and 索引号 checks, the default terms and the 预定发布 embargo read the fields of every
document: one pass of each over 100,000 documents costs 20-90 ms (a cache miss on every document's dict), and a
rebuild after editing one document's text made each pass again to find nothing new. What such a step gives is its
problems (warnings: a load with an error is never followed) and what it set on some documents (their position in the
load's list, their file, the value set), kept in the memo with the load's token.

The next load takes a step's result over, without reading any document, when its documents are the previous load's
but for their bodies (`Early`): no document came or went, and every document not taken from the previous load's
entry as it was (DocumentCache.fresh: the few read again) has the fields it had - its record but for the digest, how
its column references resolved, its id, its links to other documents and its withdrawal; nothing else they read
changed (no file of catalog/, by the snapshot's stat rule; the same build date); and the kept result is of the load
these early changes follow (`Changes.follows`). A step's own reading of the fields is then what it was, so its
result is. The catalogue's lookups by column and id (model.Catalogue._index: published, id, columns, whether
published) are kept the same way, as positions in the load's list of documents: the same files, in the same order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai import statcheck
from gongkai.errors import Problem, Problems
from gongkai.load import snapshot
from gongkai.load.doccache import decode
from gongkai.memo import Memo
from gongkai.model import Catalogue, Changes, Document, IndexPositions

if TYPE_CHECKING:
    from gongkai.load.doccache import DocumentCache

KEY = ("load.steps",)  # memo key: (FORMAT, a load's token, its document count, marshalled: the documents without a
# record (_unrecorded), the results by step, the catalogue's lookups by column and id (Catalogue.index_positions),
# the selections by name (positions))
FORMAT = 3
Effect = tuple[int, str, Any]  # a document's position in the load's documents, its source file, the value set
FEW = 64  # fresh documents `candidates` finds by position one by one (more: not known, the gate looks at all)
CATALOG = "catalog"  # the folder of the files the steps read besides the documents (catalog/site.yml …)
Result = tuple[list[Effect], list[tuple[Any, ...]]]  # a step's effects, and its problems (Problem's fields)
_NOT_FIELDS = ("source_digest", "_reader", "_body", "_front_matter", "_link_targets", "columns", "interpretations",
               "replaces")  # what a fresh document's fields are compared without (the body's, and the per-build)


def _entry(previous: snapshot.DocumentSnapshot, rel: str) -> snapshot.Entry | None:
    """The previous load's entry of the document at content/{rel}."""
    return previous.entry(rel)


def _links(doc: Document) -> tuple[Any, ...]:
    """What the load set on a document before these steps, besides its record (snapshot.after_load's first part)."""
    return snapshot.after_load(doc)[:5]


def _unrecorded(doc: Document) -> str:
    """The fields of a document the cache holds no record of (withdrawn, read without it), as the SHA-256 of one
    string: kept with the results, the next load compares it (a handful of documents). A digest, never the text:
    the build cache holds no copy of a withdrawn document (tests/e2e/test_withdraw.py)."""
    values = {k: v for k, v in doc.__dict__.items() if k not in _NOT_FIELDS}
    text = repr((sorted(values.items()), [c.path for c in doc.columns], _links(doc)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Early:
    """Whether this load's documents are the previous load's but for their bodies, told right after load_documents
    (see the module's docstring), and the steps' results: taken over from KEY when they are, else made and kept."""

    def __init__(self, memo: Memo | None, documents: list[Document], changes: Changes, bodies_only: bool,
                 unrecorded: dict[str, str], fresh: list[Document] | None = None):
        self.memo = memo
        self.documents = documents
        self.fresh = fresh or []  # DocumentCache.fresh
        self.changes = changes  # known: since the previous load's token; documents: those whose fields differ
        self.unrecorded = unrecorded  # this load's documents without a record: file -> _unrecorded
        self.kept: dict[str, Result] = {}
        self.kept_index: IndexPositions | None = None  # the lookups the load these changes follow made
        self.index: IndexPositions | None = None  # this load's, when taken over (else made from the catalogue)
        self.kept_selections: dict[str, list[int]] = {}  # `select`'s, of the load these changes follow
        self.selections: dict[str, list[int]] = {}  # this load's
        self.candidates_at: list[int] | None = None  # `candidates`' positions, when given
        self.taken: list[str] = []  # the steps taken over (tests, GONGKAI_TIMING)
        self.now: dict[str, Result] = {}  # this load's, by step
        self.kept_data = b""  # KEY's marshalled data, when taken over (put again as it is when nothing differs)
        # (not Changes.keeps: these early changes hold no `inputs` yet — the snapshot compares them later — so
        # `bodies_only` checks catalog/ and the build date itself, and asks more: no document's fields changed)
        was = None if memo is None or not bodies_only else memo.get(KEY)
        if isinstance(was, tuple) and len(was) == 4 and was[0] == FORMAT and changes.follows(was[1]) \
                and was[2] == len(documents):
            try:
                kept_unrecorded, kept, index, selections = marshal.loads(was[3])
            except (EOFError, ValueError, TypeError):
                return
            if kept_unrecorded == unrecorded:
                self.kept, self.kept_index, self.kept_selections = kept, index, selections
                self.kept_data = was[3]

    def run(self, name: str, problems: Problems, step: Callable[[], Sequence[Document] | None],
            value: Callable[[Document], Any] | None = None, apply: Callable[[Document, Any], None] | None = None) -> None:
        """Run a load step, or take its kept result over. step() returns the documents it set something on (value
        gives what, apply sets it again on the document of a later load)."""
        kept = self.kept.get(name)
        docs = self.documents
        if kept is not None:
            effects, items = kept
            count = len(docs)
            if apply is not None and all(pos < count and docs[pos].source.file == file for pos, file, _ in effects):
                for pos, _, v in effects:
                    apply(docs[pos], v)
            elif effects:
                kept = None
        if kept is not None:
            problems.items.extend([Problem(*p) for p in items])
            self.now[name] = kept
            self.taken.append(name)
            return
        start = len(problems.items)
        changed = step() or ()
        effects = []
        if changed and value is not None:
            where = {id(d): i for i, d in enumerate(docs)}  # (made only when the step set something)
            effects = [(where[id(d)], d.source.file, value(d)) for d in changed]
        self.now[name] = (effects, [(p.file, p.line, p.field, p.message, p.level, p.after)
                                    for p in problems.items[start:]])

    def select(self, name: str, keep: Callable[[Document], object]) -> list[Document]:
        """The documents keep(doc) is true of, in load order: by the positions the load these changes follow found,
        when its steps are taken over (keep reads what they read: fields, and the later state set by then, such as
        the embargo), else by a pass over all of them. For a step that reads a few of many documents."""
        docs = self.documents
        at = self.kept_selections.get(name)
        if at is None or (at and at[-1] >= len(docs)):
            at = [i for i, d in enumerate(docs) if keep(d)]
        else:
            self.taken.append(name)
        self.selections[name] = at
        return _pick(docs, at)

    def candidates(self, changed: frozenset[str]) -> list[Document] | None:
        """The published documents that may have a privacy hit (checks/privacy.py, DocumentHits.found_in), in load
        order, when the steps are taken over: those the load these changes follow found one in (`hits`), and the
        changed ones (changed: Changes.documents, all of them among the fresh documents then). None: not known."""
        at = self.kept_selections.get("hits")
        if at is None or (at and at[-1] >= len(self.documents)):
            return None
        docs = self.documents
        fresh = [d for d in self.fresh if d.source.file in changed]
        if len(fresh) != len(changed) or len(fresh) > FEW:
            return None
        # (list.index: one identity test per document before it, no field read; a few fresh documents' positions)
        self.candidates_at = sorted({*at, *(docs.index(d) for d in fresh if d.is_public)})
        self.taken.append("hits")
        return _pick(docs, self.candidates_at)

    def hits(self, found: list[Document]) -> None:
        """The published documents the privacy gate found a hit in (in load order): kept as positions."""
        docs = self.documents
        if self.candidates_at is not None:  # (all of them among the candidates: the gate looked at no other)
            ids = {id(d) for d in found}
            at = [i for i in self.candidates_at if id(docs[i]) in ids]
            if len(at) == len(found):
                self.selections["hits"] = at
                return
        where = {id(d): i for i, d in enumerate(docs)} if found else {}
        self.selections["hits"] = [where[id(d)] for d in found]

    def take_index(self, cat: Catalogue) -> None:
        """The catalogue's lookups by column and id (model.Catalogue._index) as the load these changes follow made
        them, when its steps are taken over: after the steps that set what they read (published, id, columns,
        whether published: the embargo), before the first lookup."""
        if self.kept_index is not None and cat.take_index(self.kept_index):
            self.index = self.kept_index
            self.taken.append("index")

    def save(self, memo: Memo | None, token: str, cat: Catalogue) -> None:
        """Put this load's results with its token (into the loader's held memo: only when the load has no error)."""
        if memo is None or not token:
            return
        data = self.kept_data
        if not (data and self.index is self.kept_index and self.now == self.kept
                and self.selections == self.kept_selections):
            data = marshal.dumps((self.unrecorded, self.now, self.index or cat.index_positions(), self.selections))
        memo.put(KEY, (FORMAT, token, len(self.documents), data))


def _pick(docs: list[Document], at: list[int]) -> list[Document]:
    """docs at those positions (itemgetter: no Python step per document)."""
    if len(at) > 1:
        return list(itemgetter(*at)(docs))
    return [docs[i] for i in at]


def inputs_unchanged(previous: snapshot.DocumentSnapshot, root: Path, stamp: int) -> bool:
    """No file of catalog/ (what these steps read besides the documents, all of it read before they run) added,
    removed or changed since the previous load, by the snapshot's stat rule (statcheck.unchanged against the stamp
    its entry was recorded after; no stamp: nothing is vouched for). Taken after the files were read: a change
    since is the next load's."""
    if not stamp:
        return False
    now: dict[str, os.stat_result] = {}
    for dirpath, _dirs, files in os.walk(root / CATALOG):
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in files:
            try:
                now[f"{rel}/{name}"] = os.stat(os.path.join(dirpath, name))
            except OSError:
                return False
    old = {name: entry for name, entry in previous.inputs.items() if name.startswith(CATALOG + "/")}
    if now.keys() != old.keys():
        return False
    unchanged = statcheck.unchanged
    return all(unchanged(old[name][0], old[name][1], st) for name, st in now.items())


def early(memo: Memo | None, documents: list[Document], cache: DocumentCache | None,
          previous: snapshot.DocumentSnapshot | None, root: Path, build_date: dt.date) -> Early:
    """What load_documents says changed, before the steps that set documents' later state (Early)."""
    fresh = [] if cache is None else cache.fresh
    unrecorded: dict[str, str] = {}
    differ: set[str] = set()
    for doc in fresh:
        name = doc.source.file
        rel = name[8:]
        got = cache.entries.get(rel) if cache is not None else None
        if got is None or got[3] is None:
            unrecorded[name] = _unrecorded(doc)
            continue
        was = None if previous is None else _entry(previous, rel)
        if was is None or not _same_fields(doc, got[3], was):
            differ.add(name)
    if cache is None or previous is None or not cache.same_context:
        return Early(memo, documents, Changes(), False, unrecorded)
    same_date = previous.build_date == build_date.toordinal()
    bodies_only = not differ and same_date and inputs_unchanged(previous, root, cache.clock or 0)
    changes = Changes(known=True, since=previous.token, documents=frozenset(differ),
                      build_date=not same_date)
    return Early(memo, documents, changes, bodies_only, unrecorded, fresh)


def _same_fields(doc: Document, record: Any, was: snapshot.Entry) -> bool:
    """A fresh document (its record, as this load made it) has the fields it had in the previous load (was: its
    entry): its record's but for the digest, its columns resolved the same way, and what the load set on it so far."""
    if was[3] is None or _links(doc) != tuple(was[4][:5]):
        return False
    if record == was[3]:
        return True
    if record[1] != was[3][1]:
        return False
    a, b = decode(record)[0].__dict__, decode(was[3])[0].__dict__
    a.pop("source_digest", None)
    b.pop("source_digest", None)
    return a == b


__all__ = ["Early", "KEY", "early", "inputs_unchanged"]
