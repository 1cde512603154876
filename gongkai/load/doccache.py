"""Documents loaded by an earlier build, reused when nothing they were loaded from has changed.

Reading a document's file and its front matter into the model (fields, dates, columns, attachments) is most of
what loading costs on a large site, and a rebuild after editing one document changes one file. So each document
that loaded without an error is remembered in the build's memo (gongkai/memo.py, kept in .cache/gongkai/memo/
and, in `mkdocs serve`, in memory across rebuilds) under a key of everything `load_document` reads:

- the file's path and the SHA-256 of its bytes. Where the file's stat data vouches for it - its (device, inode,
  size, modification and change time) are those it had when it was last hashed, both times older than the stamp
  taken before that (gongkai/statcheck.py, git's racy-git guard; memo key "source.stat") - the digest recorded
  then is used and **the file is not read at all**; otherwise it is read and hashed;
- the context: the site's root folder, name and 主题分类 (default publisher, topic check);
- the columns: each reference the document makes must still name exactly the one column it named (same path)
  and that column must still hold documents; a reference to a renamed column (catalog/urls.lock.yml) must still
  find no column of its own and still be mapped to the same column with the same name and id (its warning says
  both). A preview's moved columns (gongkai preview) never use the cache. Renaming or adding a column elsewhere
  in the tree keeps every other document's entry;
- the attachments: each must still be a plain file of content/ (the build's own walk of content/,
  load/contenttree.py); a document whose attachment is gone, or that reaches anything through a symbolic link,
  is loaded afresh (so its error, or the link's resolution, is exactly what a cold build gives).

A document's warnings and todos are remembered with it and reported again, the same Problems in the same order
(text, file, line, field, level), so a warm build's report is a cold build's. A document with an error is never
remembered: its messages come from loading it. Withdrawn documents never reach here (their source is kept out of
the build cache).

What comes from the file alone and most later steps never need of an unchanged document - its body and its
parsed front matter - is not kept: a reused document reads them from its file whenever a step asks
(model.Document's `_reader`; the document page of a changed document, a search record's neighbours, the privacy
gate when its own memo has no scan), and a document loaded afresh lets go of its body once loaded and of its front
matter after the privacy gate (model.release_source), so no build holds every body at once (over a GB at 100,000
documents). The bytes read then must be the ones hashed, else the build stops (the file was changed while it ran). The body's link targets, which the publication check and every document page need,
are kept with the entry.

An entry is one flat record (`encode`): the document's fields as plain values (dates as ordinals, attachments,
allowances and the source as tuples), the column references' resolution, the body's size, its link targets and the
replayed Problems, as plain values marshal holds (marshalled with the rest of its folder's part of the snapshot:
one marshal.loads per folder, not one per document), and each build makes a fresh Document from it (later load
steps change documents: links between documents, default terms, withdrawals, embargo; in `serve` the memo's
values live on across rebuilds). A document is remembered only when its record decodes to exactly the document
the loader made (the record is checked when written), so a field of a type the record cannot hold costs cache hits,
never a wrong model. A warm build and a cold build give the same model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai import statcheck
from gongkai.errors import GongkaiError, Problem, Problems
from gongkai.links import Target
from gongkai.load.contenttree import ContentTree
from gongkai.load.sources import decode_source
from gongkai.load.yamlsrc import load_yaml, split_front_matter
from gongkai.memo import MISSING, Memo
from gongkai.model import Attachment, Column, Document, PrivacyAllowance, Site, release_source
from gongkai.model import Source as Where

if TYPE_CHECKING:
    from gongkai.load.snapshot import DocumentSnapshot

VERSION = 5  # of what an entry holds (the memo itself is dropped whenever gongkai's code changes); 4: flat records;
# 5: records as values, marshalled with their folder's part
Source = tuple[str, str]  # the file's text and the SHA-256 of its bytes (documents.read_source)
# how one column reference resolved: (path,) named directly; (path, "renamed", name, id) through the URL record
ColumnDep = tuple[str, ...]
# (the fields' plain values in _KEPT's order, how its column references resolved, the body's size, its link
# targets, its problems)
Record = tuple[tuple[Any, ...], tuple[ColumnDep, ...], int, tuple[tuple[str, int, int], ...], tuple[tuple[Any, ...], ...]]
_FROM_SOURCE = ("_body", "_front_matter", "_link_targets", "_reader")  # never kept: from the file, or per build
CHANGED_WHILE_BUILDING = "文件在本次生成过程中被修改（内容已与开始生成时读到的不同）：请保存完毕后重新生成"


# Document fields a record holds (all but those set per build and those read from the file), and how
_PER_BUILD = ("columns", "interpretations", "replaces")
_DATES = frozenset({"published", "written", "effective", "expires", "status_date"})
_KEPT = tuple(f.name for f in dataclasses.fields(Document) if f.name not in (*_PER_BUILD, "body", "front_matter"))
_SCALARS = frozenset({str, bool, int, type(None)})  # exactly these types: marshal refuses subclasses
_ORDINAL = dt.date.toordinal
_FROM_ORDINAL = dt.date.fromordinal


# fields whose values many documents share (a publisher, a topic …): one string object for all of them, which
# marshal then writes once and reads back as one object (the snapshot is read faster and held in less memory)
_SHARED = frozenset({"publisher", "topic", "disclosure", "status", "form", "stage", "decision", "replaced_by", "interprets"})
_intern = sys.intern


def _plain_value(name: str, value: Any) -> Any:
    """A field's value as marshal can hold it (_fill makes it again); TypeError: a value the record cannot hold."""
    if name in _DATES:
        if value is None:
            return None
        if type(value) is not dt.date:
            raise TypeError(name)
        return _ORDINAL(value)
    if name == "source":
        return (value.file, value.line)
    if name == "attachments":
        return tuple((a.title, a.path) for a in value)
    if name == "privacy_ok":
        return tuple((a.match, a.reason, a.line) for a in value)
    if name == "column_refs":
        return tuple(_intern(r) if type(r) is str else r for r in value)
    if name == "field_lines":  # decoded when first asked for (model.Document.field_lines)
        return marshal.dumps({_intern(k) if type(k) is str else k: v for k, v in value.items()})
    if type(value) not in _SCALARS:
        raise TypeError(name)
    if name in _SHARED and type(value) is str:
        return _intern(value)
    return value


_DECODE = {  # how _fill makes a field from its plain value {v} (other fields: the value itself, as it is)
    "source": "where({v})",
    "attachments": "[Attachment(t, p) for t, p in {v}] if {v} else []",  # most have none: no comprehension then
    "privacy_ok": "[PrivacyAllowance(m, r, n) for m, r, n in {v}] if {v} else []",
    "column_refs": "list({v})",  # a list of its own: nothing of a document is shared with the record
    "published": "fromordinal({v})",  # never None (load_document gives a default)
    **{name: "None if {v} is None else fromordinal({v})" for name in _DATES - {"published"}},
}


def _where(plain: tuple[str, int | None]) -> Where:
    """Where(*plain): the frozen dataclass's __init__ sets each field through object.__setattr__, twice the cost of
    filling the new instance's __dict__ (made for every document of every build)."""
    where = object.__new__(Where)
    values = where.__dict__
    values["file"], values["line"] = plain
    return where


def _target(plain: tuple[str, int, int]) -> Target:
    """Target(*plain), without the frozen dataclass's __init__ (see _where)."""
    target = object.__new__(Target)
    values = target.__dict__
    values["text"], values["start"], values["end"] = plain
    return target


def _decoder() -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """_fill(plain): a document's __dict__ from a record's plain values, in one generated function (no loop over the
    fields of 10,000 documents): a copy of a dict that has every key already - copied whole, where building it key by
    key (dict(zip()), or a dict display, which the compiler builds in chunks merged one into the next) spent most of
    decoding a record on inserting keys and growing tables - then each value set in place, made again where it is an
    object. The keys keep their order: the fields, the field lines (still marshalled: decoded when first asked for,
    model.Document.field_lines), the lists each load fills."""
    keys = [name for name in _KEPT if name != "field_lines"] + ["_field_lines_data", "columns", "interpretations",
                                                                  "replaces"]
    lines = ["def _fill(plain):", "    values = TEMPLATE.copy()"]
    for i, name in enumerate(_KEPT):
        key = "_field_lines_data" if name == "field_lines" else name
        lines.append(f"    values[{key!r}] = " + _DECODE.get(name, "{v}").format(v=f"plain[{i}]"))
    lines += ["    values['columns'], values['interpretations'], values['replaces'] = [], [], []", "    return values"]
    space: dict[str, Any] = {"Attachment": Attachment, "PrivacyAllowance": PrivacyAllowance,
                             "fromordinal": _FROM_ORDINAL, "where": _where, "TEMPLATE": dict.fromkeys(keys)}
    exec("\n".join(lines) + "\n", space)  # noqa: S102  (source made above from the field names alone)
    return space["_fill"]  # type: ignore[no-any-return]


_fill = _decoder()  # a Document's fields from their plain values (the inverse of _plain_value over _KEPT)


def encode(doc: Document, deps: tuple[ColumnDep, ...], targets: tuple[Target, ...],
           replay: tuple[Problem, ...]) -> Record | None:
    """The record of a document as load_document made it (None: it has a value the record cannot hold): plain
    values, kept in the document snapshot (load/snapshot.py) as they come back from marshal. A folder's records are
    marshalled together with its part of the snapshot, so one marshal.loads per folder decodes them all (a string
    many documents share - a publisher, a column reference - read once per folder, not once per document), and
    a Document is made from a record without decoding bytes of its own. Its strings are the Document's own (str is
    immutable): a record costs little more memory than the Document made from it holds anyway."""
    values = doc.__dict__
    try:
        plain = tuple([_plain_value(name, values[name] if name != "field_lines" else doc.field_lines) for name in _KEPT])
        deps = tuple(tuple(_intern(part) for part in dep) for dep in deps)
        record: Record = (plain, deps, len(doc.body), tuple((t.text, t.start, t.end) for t in targets),
                          tuple((p.file, p.line, p.field, p.message, p.level, p.after) for p in replay))
        # what the next load reads back (ValueError: a value marshal cannot hold): the record kept is that
        record = marshal.loads(marshal.dumps(record))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    # remembered only when it gives back exactly this document, these targets and problems (a new kind of field
    # value costs cache hits, never a wrong model)
    copy, deps2, _, targets2, replay2 = decode(record)
    copy.field_lines  # noqa: B018  (decoded: compared as the loaded document holds them)
    expected = {k: v for k, v in values.items() if k not in _FROM_SOURCE}
    expected.update(columns=[], interpretations=[], replaces=[])
    if copy.__dict__ != expected or deps2 != deps or targets2 != targets or replay2 != replay:
        return None
    return record


def decode(record: Record) -> tuple[Document, tuple[ColumnDep, ...], int, tuple[Target, ...], tuple[Problem, ...]]:
    """A fresh Document (no columns yet, body and front matter not read) and the rest of a record. Nothing of the
    document is shared with the record (its lists and dicts are new): later load steps change their own copy."""
    plain, deps, body_size, targets, replay = record
    doc = object.__new__(Document)
    doc.__dict__ = _fill(plain)
    return (doc, deps, body_size, tuple([_target(t) for t in targets]) if targets else (),
            tuple([Problem(f, line, fld, m, level, after) for f, line, fld, m, level, after in replay]) if replay else ())


# A record's decoded values, kept by `mkdocs serve` for its next load (load/kept.py): the document's __dict__ as
# decode made it, without the lists it owns (kept as tuples), then how its column references resolved, the body's
# size, its link targets and its problems (all immutable)
Template = tuple[dict[str, Any], tuple[ColumnDep, ...], int, tuple[Target, ...], tuple[Problem, ...]]
_OWNED = ("column_refs", "attachments", "privacy_ok")  # a document's own lists (made anew for each copy)
_IMMUTABLE = frozenset({str, bytes, int, bool, type(None), dt.date, Where, tuple})


def template(parts: tuple[Document, tuple[ColumnDep, ...], int, tuple[Target, ...], tuple[Problem, ...]]) -> Template | None:
    """What `copy` makes the same document from again (parts: decode's result, before anything used the document);
    None when a value is not known to be immutable (then the record is decoded each time)."""
    doc, deps, body_size, targets, replay = parts
    values = dict(doc.__dict__)
    for name in ("columns", "interpretations", "replaces"):
        del values[name]
    values["column_refs"] = tuple(values["column_refs"])
    values["attachments"] = tuple((a.title, a.path) for a in values["attachments"])
    values["privacy_ok"] = tuple(values["privacy_ok"])  # (PrivacyAllowance is frozen)
    if any(type(v) not in _IMMUTABLE for v in values.values()):
        return None
    return values, deps, body_size, targets, replay


def copy(kept: Template) -> tuple[Document, tuple[ColumnDep, ...], int, tuple[Target, ...], tuple[Problem, ...]]:
    """decode(record) again, from the Template of that record: a fresh Document sharing no list with another."""
    values0, deps, body_size, targets, replay = kept
    doc = object.__new__(Document)
    values = values0.copy()  # (one copy of the whole table: much cheaper than filling a new instance's dict)
    doc.__dict__ = values
    values["column_refs"] = list(values0["column_refs"])
    attachments = values0["attachments"]
    values["attachments"] = [Attachment(t, p) for t, p in attachments] if attachments else []
    allowances = values0["privacy_ok"]
    values["privacy_ok"] = list(allowances) if allowances else []
    values["columns"], values["interpretations"], values["replaces"] = [], [], []
    return doc, deps, body_size, targets, replay


class SourceReader:
    """Reads a document's body or front matter from its file whenever a later step asks for them (model.Document's
    `_from_source`): a document reused from the cache, or one loaded afresh once its text is released."""

    __slots__ = ("path", "name", "digest", "body_size")

    def __init__(self, path: str, name: str, digest: str, body_size: int):
        self.path, self.name, self.digest, self.body_size = path, name, digest, body_size

    def _text(self) -> str:
        """The file's text, from the bytes that were hashed when it was loaded (else the build stops)."""
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            raise GongkaiError([Problem(self.name, None, None, f"{CHANGED_WHILE_BUILDING}（{exc.strerror}）")]) from None
        if hashlib.sha256(raw).hexdigest() != self.digest:
            raise GongkaiError([Problem(self.name, None, None, CHANGED_WHILE_BUILDING)])
        return decode_source(raw)

    def body(self) -> str:
        text = self._text()
        return text[len(text) - self.body_size:] if self.body_size else ""

    def front_matter(self) -> Any:
        fm, _, _ = split_front_matter(self._text())  # as load_document split it: the same text parsed without a problem
        data = load_yaml(fm or "", line_offset=1)
        return {} if data is None else data


class DocumentCache:
    """One load's view of the documents the previous load made (its snapshot, load/snapshot.py), and the entries
    of this one: each document file's stat signature, the stamp before it, its digest and its record."""

    def __init__(self, memo: Memo, root: Path, site: Site, index: dict[str, list[Column]], tree: ContentTree,
                 aliases: dict[str, Column] | None = None, previous: DocumentSnapshot | None = None,
                 templates: dict[str, tuple[Record, Template | None]] | None = None):
        """templates: the records the last load of this process decoded (load/kept.py), by path under content/;
        with it, `templates_now` holds this load's for the next one."""
        self.memo = memo
        self.root = root
        self.base = os.fspath(root) + "/"  # + a name (content/…): the path of its file
        self.tree = tree
        self.index = index
        self.aliases = aliases or {}
        context = (VERSION, str(root), site.name, tuple(site.topics))
        self.context = hashlib.sha256(repr(context).encode("utf-8")).hexdigest()
        self.clock: int | None = getattr(memo, "clock", None)  # None: stat data is not trusted (statcheck)
        # the previous load's entries, by folder, by path under content/ (its records only when made in the same
        # context)
        self.old: dict[str, dict[str, Any]] = {} if previous is None else previous.folders
        self.same_context = previous is not None and previous.context == self.context
        self._trusted = self.same_context and self.clock is not None  # a record may be taken on its file's stat
        # this load's: path under content/ -> (stat signature, stamp, SHA-256, record or None), or the previous
        # snapshot's entry itself (with its later state: snapshot.Entry) when the file's stat vouched for it
        self.entries: dict[str, tuple[Any, ...]] = {}
        self.parsed: list[str] = []  # read and parsed, in load order
        self.hashed: list[str] = []  # read and hashed, the previous record reused
        self.reused = 0  # neither read nor parsed
        # the documents load_many did not take from the previous entry as it was (read: parsed, hashed, or without
        # the cache), in load order: every other document is, in its record, what the previous load made
        self.fresh: list[Document] = []
        # each column reference's resolution in this load, as _deps records one, and its column (None: none)
        self._resolved: dict[str, tuple[ColumnDep, Column] | None] = {}
        self._templates = templates or {}
        self.templates_now: dict[str, tuple[Record, Template | None]] | None = None if templates is None else {}

    @property
    def hits(self) -> int:
        """Documents taken from the previous load's records."""
        return self.reused + len(self.hashed)

    def read(self, path: Path) -> tuple[Source, os.stat_result]:
        """documents.read_source(path) and the file's stat, taken after it is read; this build's clock stamp was
        taken before the read, so a change after the read gets a newer time and is never trusted."""
        with open(path, "rb") as fh:
            raw = fh.read()
            st = os.fstat(fh.fileno())
        return (decode_source(raw), hashlib.sha256(raw).hexdigest()), st

    def _plain(self, rel: str) -> bool:
        """A regular file of content/ reached without a symbolic link (rel: relative to content/)."""
        if not self.tree.links:
            return rel in self.tree.files
        if rel not in self.tree.files or rel in self.tree.links:
            return False
        if self.tree.links:
            parts = rel.split("/")
            return not any("/".join(parts[:k]) in self.tree.links for k in range(1, len(parts)))
        return True

    def _deps(self, doc: Document) -> tuple[ColumnDep, ...] | None:
        """How each column reference of a document that loaded without an error resolved (None: not remembered)."""
        if len(doc.columns) != len(doc.column_refs):
            return None
        out: list[ColumnDep] = []
        for ref, col in zip(doc.column_refs, doc.columns, strict=True):
            key = ref.strip("/")
            cols = self.index.get(key, [])
            if len(cols) == 1 and cols[0] is col:
                out.append((col.path,))
            elif not cols and self.aliases.get(key) is col:
                out.append((col.path, "renamed", col.name, col.id))
            else:
                return None
        return tuple(out)

    def _columns(self, refs: list[str], deps: tuple[ColumnDep, ...]) -> list[Column] | None:
        """The columns a remembered document's references name now, if they resolve as when it was loaded: each
        reference resolves now as it did then (the ColumnDep _deps gave it) to a column that holds documents."""
        if len(refs) != len(deps):
            return None
        resolved = self._resolved
        out = []
        # (a reference string is looked up, its hash kept: no tuple of it and its resolution hashed per document)
        for ref, dep in zip(refs, deps, strict=True):  # many documents share their references: each resolved once
            found = resolved.get(ref, MISSING)
            if found is MISSING:
                found = resolved[ref] = self._column(ref)
            if found is None or found[0] != dep:
                return None
            out.append(found[1])
        return out

    def _column(self, ref: str) -> tuple[ColumnDep, Column] | None:
        """How a column reference resolves in this load (as _deps records it) and its column; None: to no column
        that holds documents."""
        key = ref.strip("/")
        cols = self.index.get(key, [])
        col: Column | None
        dep: ColumnDep
        if len(cols) == 1:
            col = cols[0]
            dep = (col.path,)
        else:
            col = None if cols else self.aliases.get(key)
            if col is None:
                return None
            dep = (col.path, "renamed", col.name, col.id)
        if not col.kind.holds_documents:
            return None
        return dep, col

    def _remembered(self, name: str, digest: str, record: Record, problems: Problems) -> Document | None:
        now = self.templates_now
        if now is None:
            doc, deps, body_size, targets, replay = decode(record)
        else:  # mkdocs serve: from the values the last load decoded the same record into, when it did
            rel = name[8:]
            kept = self._templates.get(rel)
            if kept is not None and kept[1] is not None and kept[0] == record:
                now[rel] = kept
                doc, deps, body_size, targets, replay = copy(kept[1])
            else:
                parts = decode(record)
                now[rel] = (record, template(parts))
                doc, deps, body_size, targets, replay = parts
        columns = self._columns(doc.column_refs, deps)
        if columns is None or (doc.attachments and not all(self._plain(a.path) for a in doc.attachments)):
            return None
        values = doc.__dict__
        values["columns"] = columns
        # not the text, even when it was read just now: kept for every document, it would hold every body
        values["_reader"] = SourceReader(self.base + name, name, digest, body_size)
        values["_link_targets"] = targets
        if replay:
            problems.items.extend(replay)  # the same warnings and todos, in the same order, as loading it gives
        return doc

    def load_many(self, rels: list[str], problems: Problems, other: Callable[[str], Document | None],
                  private: Callable[[str], bool] | None = None) -> list[Document]:
        """The documents at content/{rel} for each of rels that loads, in order. A document whose file's stat
        vouches for the previous load's record is made from that record without reading the file, in one loop
        (it runs for every unchanged document of every build: the lookups bound once, not per document);
        other(rel) gives every other one (`load`, or the loader's own reading). private(rel): never taken from
        the previous record (withdrawn)."""
        docs: list[Document] = []
        append, entries, remembered = docs.append, self.entries, self._remembered
        tree = self.tree
        # (no link anywhere, the usual case: a file of the walk is a plain file)
        listed: Callable[[str], bool] = tree.files.__contains__ if not tree.links else self._plain
        stats_get = tree.stats.get
        old = self.old if self._trusted else {}
        nothing: dict[str, Any] = {}
        folder: str | None = None  # (documents come folder by folder: that folder's entries at hand)
        old_get = nothing.get
        reused = 0
        for rel in rels:
            doc = None
            where = rel.rpartition("/")[0]
            if where != folder:
                folder, old_get = where, old.get(where, nothing).get
            was = old_get(rel) if listed(rel) else None
            if was is not None and was[3] is not None and (private is None or not private(rel)):
                st = stats_get(rel)
                # statcheck.unchanged(was[0], was[1], st), written out: this runs for every document
                if (st is not None and st.st_mtime_ns < was[1] and st.st_ctime_ns < was[1]
                        and was[0] == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)):
                    doc = remembered("content/" + rel, was[2], was[3], problems)
                    if doc is not None:
                        # the previous snapshot's entry itself: snapshot.record knows it by identity (its stat
                        # data, stamp, digest and record are those of the entry; only the later state is compared)
                        entries[rel] = was
                        reused += 1
            if doc is None:
                doc = other(rel)
                if doc is not None:
                    self.fresh.append(doc)
            if doc is not None:
                append(doc)
        self.reused += reused
        return docs

    def load(self, rel: str, problems: Problems,
             parse: Callable[[Path, Source], Document | None]) -> Document | None:
        """The document at content/{rel}, its file read (`load_many` has taken it from the previous record on its
        stat when it could): the previous load's record when the file's digest is the recorded one, else
        parse(path, source), its record kept when it loaded without an error. UnicodeDecodeError: the file is not
        UTF-8."""
        name = "content/" + rel
        tree = self.tree
        plain = rel in tree.files if not tree.links else self._plain(rel)  # (no link anywhere: the usual case)
        entries = self.old.get(rel.rpartition("/")[0])
        was = entries.get(rel) if plain and entries is not None else None
        path = self.root / name
        source, st = self.read(path)
        if not plain:
            return parse(path, source)
        text, digest = source
        signature = (statcheck.signature(st), self.clock or 0)
        if was is not None and self.same_context and was[3] is not None and was[2] == digest:
            doc = self._remembered(name, digest, was[3], problems)
            if doc is not None:
                self.entries[rel] = (*signature, digest, was[3])
                self.hashed.append(name)
                return doc
        before = len(problems.items)
        self.parsed.append(name)
        doc = parse(path, source)
        found = problems.items[before:]
        if doc is None or any(p.level == "error" for p in found) or not text.endswith(doc.body):
            return doc
        targets: tuple[Target, ...] = tuple(doc.link_targets())  # kept: the publication check and page keys need them
        deps = self._deps(doc)
        record = None
        if deps is not None and all(self._plain(a.path) for a in doc.attachments):
            record = encode(doc, deps, targets, tuple(found))
        self.entries[rel] = (*signature, digest, record)
        # the body is read from the file again by the few steps that need it (model._from_source), not held by
        # every document until the build ends; the front matter goes once the privacy gate has scanned it
        doc.__dict__["_reader"] = SourceReader(self.base + name, name, digest, len(doc.body))
        release_source(doc)
        return doc
