"""One snapshot of every document a load made, for the next build: what it may reuse, and what changed since.

A rebuild after editing one document changes one file of thousands. The previous load's documents are kept as
one snapshot (DocumentSnapshot), holding for each document file, by its path under content/:

- the file's stat signature and the statcheck.clock stamp taken before it was last read, and the SHA-256 of its
  bytes: the walk of content/ (load/contenttree.py) has stat'ed every file already, so that walk is the one stat
  pass that validates every entry (gongkai/statcheck.py's rule, git's racy-git guard);
- the record load_document's result was kept as (load/doccache.py: fields, column references' resolution, body
  size, link targets, warnings and todos), or None when it has a value the record cannot hold;
- the state later load steps gave it (`after_load`: id, links between documents, withdrawal, embargo, default
  term).

The stat signatures of every other input file (catalog/, content/ outside documents/, mkdocs.yml, overrides/) are
kept too. Comparing the two snapshots gives model.Changes: which documents are new or differ in any way the model
holds (their record, bytes or later state), which are gone, which other files changed, whether the build date did.
That comparison costs a tuple comparison per document: for an unchanged document, the record taken over is the
very object the previous snapshot held.

In the build's memo the snapshot is a header (token, context, build date, the other input files, and the token
of each folder's part) and one part per folder of documents (`(*KEY, folder)`: that folder's entries), each one
marshalled bytes string on disk, decoded once (in `mkdocs serve` they stay in memory). A load puts the header and
only the parts of folders where an entry changed, came or went: a rebuild after editing one document writes one
folder's part, not the entries of all 10,000 documents again. A part is used only when its token is the one the
header names, so a build killed while its memo files were being written (some new, some old) leaves a snapshot
that is not used at all, never a mix.

A document is kept only when it loaded without an error (a build with errors stops before its memo is saved).
Withdrawn documents are never kept (load_documents reads most without the memo; one whose front matter names its
own id is read through it, and `record` leaves it out: the build cache holds no copy of them). They, and the
documents read without the cache, are named in the header with their ids (`unkept`, a handful): counted as changed
while they are there, each is `removed` by the load that no longer has it like any other document. A snapshot written by other code (its FORMAT) is not used: everything then counts as changed, once.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai import statcheck
from gongkai.memo import Memo
from gongkai.model import Changes, Document

if TYPE_CHECKING:
    from gongkai.load.contenttree import ContentTree
    from gongkai.load.doccache import DocumentCache

FORMAT = 4  # of what a snapshot holds; 2: a header and a part per folder; 3: records as values (doccache.encode);
# 4: the header names the documents without an entry (unkept)
KEY = ("documents.snapshot",)  # the header's memo key; a folder's part: (*KEY, folder)
DOCUMENTS = "documents/"  # under content/: the document files (load/documents.py)
# (stat signature, clock stamp it was taken after, SHA-256, record (doccache.Record) or None, after_load state)
Entry = tuple[statcheck.Signature, int, str, Any, tuple[Any, ...]]
InputEntry = tuple[statcheck.Signature, int]  # another input file: its stat signature and the stamp before it


class _Part:
    """One memo value of a snapshot (its header, or a folder's part): marshalled on disk, decoded once when first
    used (in `mkdocs serve` the memo keeps the object, decoded, between rebuilds). Never changed once made."""

    __slots__ = ("_data", "_value")

    def __init__(self, value: tuple[Any, ...] | None = None, data: bytes | None = None):
        self._data, self._value = data, value

    def value(self) -> tuple[Any, ...]:
        """EOFError, ValueError, TypeError: damaged."""
        if self._value is None:
            assert self._data is not None
            self._value = marshal.loads(self._data)
        return self._value

    def to_bytes(self) -> bytes:
        if self._data is None:
            self._data = marshal.dumps(self._value)
        return self._data

    def __reduce__(self) -> tuple[Any, tuple[None, bytes]]:
        return (_Part, (None, self.to_bytes()))


class DocumentSnapshot:
    """The documents one load made and the other input files it saw (see the module's docstring), as the next load
    reads them: made by `previous` from the header and the folders' parts in the memo."""

    __slots__ = ("token", "context", "build_date", "folders", "count", "inputs", "parts", "unkept")

    def __init__(self, token: str, context: str, build_date: int, folders: dict[str, dict[str, Entry]],
                 inputs: dict[str, InputEntry], parts: dict[str, tuple[str, _Part]],
                 unkept: dict[str, str] | None = None):
        self.token = token  # this load's identity: the next load's Changes.since
        self.context = context  # what every record depends on (doccache.DocumentCache.context)
        self.build_date = build_date  # the build date, as an ordinal
        # folder under content/ -> its entries by path under content/: each part's own dict, as decoded (never
        # changed), not merged into one of every document (100,000 insertions on every build, at 100k documents)
        self.folders = folders
        self.count = sum(map(len, folders.values()))  # entries in all
        self.inputs = inputs  # path from the site's root (catalog/…, content/…, mkdocs.yml …) -> InputEntry
        self.parts = parts  # folder under content/ -> (its part's token, the part): kept as they are when unchanged
        # path under content/ -> id of each document the load had but kept no entry for (withdrawn, read without the
        # cache): no part holds them, and without this a later load could not say they are gone (Changes.removed)
        self.unkept = unkept or {}

    def entry(self, rel: str) -> Entry | None:
        """The entry of the document at content/{rel}, if there is one."""
        entries = self.folders.get(rel.rpartition("/")[0])
        return None if entries is None else entries.get(rel)


def _folder(rel: str) -> str:
    """The folder (under content/) whose part holds a document's entry."""
    return rel.rpartition("/")[0]


def previous(memo: Memo | None) -> DocumentSnapshot | None:
    """The snapshot the last load put in the memo (None: none, one this code cannot use, or one whose parts are
    not all of the load its header is of)."""
    if memo is None:
        return None
    header = memo.get(KEY)
    if not isinstance(header, _Part):
        return None
    try:
        fmt, token, context, build_date, inputs, tokens, unkept = header.value()
        if fmt != FORMAT or not token:
            return None
        folders: dict[str, dict[str, Entry]] = {}
        parts: dict[str, tuple[str, _Part]] = {}
        for folder, part_token in tokens.items():
            part = memo.get((*KEY, folder))
            if not isinstance(part, _Part):
                return None
            fmt, made_by, entries = part.value()
            if fmt != FORMAT or made_by != part_token:  # (a memo file of another build: a save cut short)
                return None
            folders[folder] = entries
            parts[folder] = (part_token, part)
    except (EOFError, ValueError, TypeError):  # damaged: as if there were none
        return None
    return DocumentSnapshot(token, context, build_date, folders, inputs, parts, unkept)


def after_load(doc: Document) -> tuple[Any, ...]:
    """What the load steps after load_document set on a document (load/docids.py, load/documents.py's links,
    load/withdrawals.py, checks/consistency.py, checks/validity.py), as plain values. With the record (which has its
    columns' paths) and the file's digest, this is all the model holds of it (tests/load/test_snapshot.py checks
    that no other field differs from its record after a load)."""
    values = doc.__dict__
    interpretations, replaces, withdrawn, expires = (values["interpretations"], values["replaces"], values["withdrawn"],
                                                    values["expires"])
    return (values["id"], values["id_from"], tuple([d.id for d in interpretations]) if interpretations else (),
            tuple([d.id for d in replaces]) if replaces else (), None if withdrawn is None else repr(withdrawn),
            values["embargoed"], None if expires is None else expires.toordinal(), values["expires_default"])


def input_stats(root: Path, tree: ContentTree | None) -> dict[str, os.stat_result]:
    """Every input file but the documents, by its path from the site's root: catalog/, content/ (the loader's
    walk; a link to a file by its target), mkdocs.yml and overrides/."""
    out: dict[str, os.stat_result] = {}
    for top in ("catalog", "overrides"):
        base = root / top
        for dirpath, _dirs, files in os.walk(base):
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            for name in files:
                try:
                    out[f"{rel}/{name}"] = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
    try:
        out["mkdocs.yml"] = os.stat(root / "mkdocs.yml")
    except OSError:
        pass
    if tree is not None:
        stats = tree.stats
        for rel, path in tree.files.items():
            if rel.startswith(DOCUMENTS) and rel.endswith(".md"):
                continue
            st = stats.get(rel)
            if st is None:  # a link to a file inside content/: its target's stat
                try:
                    st = os.stat(path)
                except OSError:
                    continue
            out["content/" + rel] = st
    return out


def record(documents: Iterable[Document], cache: DocumentCache | None, old: DocumentSnapshot | None,
           memo: Memo | None, root: Path, tree: ContentTree | None, build_date: dt.date) -> Changes:
    """Put this load's snapshot into the memo and say what changed since `old` (the one the load started from).

    cache: the load's document cache (its entries: the documents it read or reused); None (no memo, a preview):
    nothing is put, and nothing is known."""
    docs = list(documents)
    if cache is None or memo is None:
        return Changes(parsed=tuple(d.source.file for d in docs))
    token = secrets.token_hex(8)
    made = cache.entries
    before: dict[str, dict[str, Entry]] = {} if old is None else old.folders  # by folder
    by_folder: dict[str, dict[str, Entry]] = {}  # this load's entries, by folder (each folder's part)
    rewritten: set[str] = set()  # folders whose part differs from the previous snapshot's
    changed: set[str] = set()
    changed_ids: set[str] = set()
    unmade: set[str] = set()  # documents with no entry of this load's (read without the cache, or withdrawn)
    unkept: dict[str, str] = {}  # those, and withdrawn ones with an entry: path under content/ -> id (the header's)
    taken = 0  # documents with one
    present = 0  # documents with an entry in `before`: all of its entries, when there are as many (none gone)
    # one pass of 10,000 documents on every rebuild: the lookups are bound to locals, and an unchanged document's
    # entry is the previous snapshot's tuple itself when its stat data is too (no new tuple, nothing copied)
    made_get = made.get
    nothing: dict[str, Entry] = {}
    folder: str | None = None  # (documents come folder by folder: the last folder's entries at hand, and the
    entries: dict[str, Entry] = {}  # previous snapshot's)
    before_get = nothing.get
    for doc in docs:
        name = doc.source.file
        rel = name[8:]  # "content/" + rel
        where = rel.rpartition("/")[0]  # (_folder, written out: this runs for every document)
        if where != folder:
            folder, entries = where, by_folder.setdefault(where, {})
            before_get = before.get(where, nothing).get
        was = before_get(rel)
        if was is not None:
            present += 1
        got = made_get(rel)
        # read without the cache, or withdrawn (a document whose front matter names its own id is read through the
        # cache like any other): never kept — the cache holds no copy of what was withdrawn — always counted as changed
        if got is None or doc.withdrawn is not None:
            changed.add(name)
            changed_ids.add(doc.id)
            unkept[rel] = doc.id
            rewritten.add(folder)
            if got is None:
                unmade.add(rel)
            else:
                taken += 1
            continue
        taken += 1
        after = after_load(doc)
        if got is was:  # the previous entry itself, taken on its file's stat (doccache): only the later state may differ
            if after == was[4]:
                entries[rel] = was
                continue
            got = was[:4]
        # the stat data and stamp may differ (a file saved again unchanged): the digest, record and later state are
        # what the model holds; a document the record cannot hold is not known, so counted as changed
        if was is not None and got[3] is not None and got[2] == was[2] and got[3] == was[3] and after == was[4]:
            if got[0] == was[0] and got[1] == was[1]:
                entries[rel] = was
            else:
                entries[rel] = (*got, after)
                rewritten.add(folder)
        else:
            entries[rel] = (*got, after)
            changed.add(name)
            changed_ids.add(doc.id)
            rewritten.add(folder)
    stamp = cache.clock or 0  # 0: no stamp (GONGKAI_TRUST_STAT=0): no stat data is ever trusted by it
    inputs: dict[str, InputEntry] = {}
    changed_inputs: set[str] = set()
    old_inputs = old.inputs if old is not None else {}
    for name, st in input_stats(root, tree).items():
        was_input = old_inputs.get(name)
        # (no stamp: stat data vouches for nothing, not even what an earlier, trusting load recorded)
        if stamp and was_input is not None and statcheck.unchanged(was_input[0], was_input[1], st):
            inputs[name] = was_input
        else:
            changed_inputs.add(name)
            inputs[name] = (statcheck.signature(st), stamp)
    changed_inputs.update(name for name in old_inputs if name not in inputs)  # removed
    gone: set[str] | frozenset[str]
    if old is None or present == old.count:  # every entry of `before` is one of these documents' (paths are unique)
        gone = frozenset()
    else:
        had = {rel for entries_before in before.values() for rel in entries_before}
        if taken == len(made):  # every entry is a document's: the documents are the entries and the unmade ones
            gone = had - made.keys() - unmade
        else:  # (an entry of a document the load dropped: a shared id, an error)
            gone = had - {doc.source.file[8:] for doc in docs}
    rewritten.update(_folder(rel) for rel in gone)
    # the header, and the part of each folder where an entry changed, came or went (the others are the previous
    # snapshot's parts, kept in the memo as they are: its header named them, so this load used them)
    kept = {} if old is None else old.parts
    tokens: dict[str, str] = {}
    for where, part_entries in by_folder.items():
        if not part_entries:
            continue  # (only withdrawn documents: no part)
        was_part = kept.get(where)
        if was_part is not None and where not in rewritten:
            tokens[where] = was_part[0]
        else:
            tokens[where] = token
            memo.put((*KEY, where), _Part((FORMAT, token, part_entries)))
    memo.put(KEY, _Part((FORMAT, token, cache.context, build_date.toordinal(), inputs, tokens, unkept)))
    parsed, hashed = tuple(cache.parsed), tuple(cache.hashed)
    if old is None:
        return Changes(token=token, parsed=parsed, hashed=hashed, reused=cache.reused)
    # a document the previous load had without an entry (withdrawn, read without the cache) and this one has not
    # (a handful are looked at: no entry stands for them in `before`)
    lost = [rel for rel in old.unkept if rel not in unkept and rel not in made]
    removed = frozenset("content/" + rel for rel in (*gone, *lost))
    # an id can go only with its document or when the document changed (an unchanged one's state, its id first,
    # is the previous load's): only those entries are looked at, and every document's id only when one of their
    # ids is not a changed document's now (an edit keeps its id)
    candidates = ({e[4][0] for rel in (*gone, *(name[8:] for name in changed))
                   if (e := old.entry(rel)) is not None} | set(old.unkept.values())) - changed_ids
    removed_ids = frozenset(candidates - {doc.id for doc in docs}) if candidates else frozenset()
    return Changes(known=True, token=token, since=old.token, documents=frozenset(changed), ids=frozenset(changed_ids),
                   removed=removed, removed_ids=removed_ids, inputs=frozenset(changed_inputs),
                   build_date=old.build_date != build_date.toordinal(), parsed=parsed, hashed=hashed,
                   reused=cache.reused)


__all__ = ["DocumentSnapshot", "KEY", "after_load", "previous", "record"]
