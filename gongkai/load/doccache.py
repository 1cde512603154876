"""Documents loaded by an earlier build, reused when nothing they were loaded from has changed.

Reading a document's front matter into the model (fields, dates, columns, attachments) is most of what loading
costs on a large site, and a rebuild after editing one document changes one file. So each document that loaded
without any problem is remembered in the build's memo (gongkai/memo.py, kept in .cache/gongkai/memo/ and,
in `mkdocs serve`, in memory across rebuilds) under a key of everything `load_document` reads:

- the file's path and the SHA-256 of its bytes. The file is read on every build (its body is its text), but hashed
  only when its stat data cannot vouch for it: the digest of a file whose (device, inode, size, modification and
  change time) are those it had when it was last hashed, both times older than the stamp taken before that
  (gongkai/statcheck.py, git's racy-git guard), is the one recorded then (memo key "source.stat");
- the context: the site's root folder, name and 主题分类 (default publisher, topic check);
- the columns: each reference the document makes must still name exactly the one column it named (same path)
  and that column must still hold documents (renamed-column aliases and a preview's moved columns only matter
  for a reference that names no column, which is a problem, so never remembered). Renaming or adding a column
  elsewhere in the tree keeps every other document's entry;
- the attachments: each must still be a plain file of content/ (the build's own walk of content/,
  load/contenttree.py); a document whose attachment is gone, or that reaches anything through a symbolic link,
  is loaded afresh (so its error, or the link's resolution, is exactly what a cold build gives).

A document with any problem (error, warning or todo) is never remembered: its messages come from loading it.
Withdrawn documents never reach here (their source is kept out of the build cache).

The memo's values are shared objects (in `serve`, the same objects in every rebuild) and later load steps change
documents (links between documents, default terms, withdrawals, embargo): what is remembered is a private copy
without body and columns, and every build gets a fresh copy of it with its own lists, the body from the file and
the columns of this build's column tree. A warm build and a cold build give the same model.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from gongkai import statcheck
from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.contenttree import ContentTree
from gongkai.load.sources import decode_source
from gongkai.memo import MISSING, Memo
from gongkai.model import Column, Document, Site

VERSION = 2  # of what an entry holds (the memo itself is dropped whenever gongkai's code changes)
Source = tuple[str, str]  # the file's text and the SHA-256 of its bytes (documents.read_source)


def fresh_copy(doc: Document, body: str, columns: list[Column]) -> Document:
    """A copy of a document as load_document made it, sharing nothing that a later load step changes."""
    new = copy.copy(doc)
    new.body = body
    new.columns = columns
    new.column_refs = list(doc.column_refs)
    new.interpretations = []
    new.replaces = []
    new.attachments = [copy.copy(a) for a in doc.attachments]
    new.privacy_ok = list(doc.privacy_ok)
    new.field_lines = dict(doc.field_lines)
    return new


class DocumentCache:
    """One load_documents call's view of the remembered documents."""

    def __init__(self, memo: Memo, root: Path, site: Site, index: dict[str, list[Column]], tree: ContentTree):
        self.memo = memo
        self.root = root
        self.tree = tree
        self.index = index
        context = (VERSION, str(root), site.name, tuple(site.topics))
        self.context = hashlib.sha256(repr(context).encode("utf-8")).hexdigest()
        self.hits = 0
        self.clock: int | None = getattr(memo, "clock", None)  # None: stat data is not trusted (statcheck)
        self.trusted = 0

    def read(self, path: Path) -> Source:
        """documents.read_source(path), without hashing the bytes when the file's stat data vouches for them.

        The file is stat'ed after it is read: if that stat is the recorded one and older than the stamp taken
        before the recorded hashing, nothing changed the file since then, so neither before nor during this read."""
        name = rel_posix(self.root, path)
        with open(path, "rb") as fh:
            raw = fh.read()
            st = os.fstat(fh.fileno())
        text = decode_source(raw)
        if self.clock is None:
            return text, hashlib.sha256(raw).hexdigest()
        key = ("source.stat", name)
        hit = self.memo.get(key)
        if hit is not MISSING and statcheck.unchanged(hit[0], hit[2], st):
            self.trusted += 1
            return text, hit[1]
        digest = hashlib.sha256(raw).hexdigest()
        # this build's stamp was taken before the file was read: a change after the read gets a newer time
        self.memo.put(key, (statcheck.signature(st), digest, self.clock))
        return text, digest

    def _plain(self, rel: str) -> bool:
        """A regular file of content/ reached without a symbolic link (rel: relative to content/)."""
        if rel not in self.tree.files or rel in self.tree.links:
            return False
        if self.tree.links:
            parts = rel.split("/")
            return not any("/".join(parts[:k]) in self.tree.links for k in range(1, len(parts)))
        return True

    def _columns(self, refs: list[str], paths: tuple[str, ...]) -> list[Column] | None:
        """The columns a remembered document's references name now, if they are still the ones it was loaded with."""
        if len(refs) != len(paths):
            return None
        out = []
        for ref, path in zip(refs, paths, strict=True):
            cols = self.index.get(ref.strip("/"), [])
            if len(cols) != 1 or cols[0].path != path or not cols[0].kind.holds_documents:
                return None
            out.append(cols[0])
        return out

    def load(self, path: Path, source: Source, problems: Problems,
             parse: Callable[[Source], Document | None]) -> Document | None:
        """The document at path: remembered, or parse(source) (remembered when it loaded without a problem)."""
        text, digest = source
        name = rel_posix(self.root, path)
        rel = name.removeprefix("content/")
        if not self._plain(rel):
            return parse(source)
        key = ("document", name, digest, self.context)
        hit = self.memo.get(key)
        if hit is not MISSING:
            kept, column_paths, body_size = hit
            columns = self._columns(kept.column_refs, column_paths)
            if columns is not None and all(self._plain(a.path) for a in kept.attachments):
                self.hits += 1
                # the same text (same digest): the body is its last body_size characters, as split_front_matter cut it
                return fresh_copy(kept, text[len(text) - body_size:] if body_size else "", columns)
        before = len(problems.items)
        doc = parse(source)
        if (doc is not None and len(problems.items) == before and all(self._plain(a.path) for a in doc.attachments)
                and text.endswith(doc.body)):
            self.memo.put(key, (fresh_copy(doc, "", []), tuple(c.path for c in doc.columns), len(doc.body)))
        return doc
