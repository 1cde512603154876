"""The output manifest's lines of the document pages, kept in the build cache from one build to the next.

site.manifest.json has a line per published document's page (documents/<id>.html: its size, SHA-256, and the
reason "document", its id and its source file): 10,000 of them at 10,000 documents, 100,000 at 100,000. Making them
on every build — a reason per document, an entry per claimed page, a format and a sort — cost about 6 us a
document, though an edit changes one or two. So the manifest step keeps them (`DocLines`: paths sorted, each page's
source file, (size, SHA-256) and line) with the token of the load they were made for, and a rebuild takes them over:

- which pages there are and their reasons: a page's path and reason come from its document alone (id, source
  file), and whether it is published from the document too (主动公开, withdrawal, embargo: all in
  `Catalogue.changes`). So when this load's changes follow the kept token (`Changes.follows`, THE rule), only the
  pages of the documents changed or removed are taken out and those of the changed ones still published put in;
  otherwise every page is listed afresh from the published documents (`fresh`);
- each page's (size, SHA-256): never kept on trust. manifest.build compares them all, at C level, with what this
  build claimed or wrote at each path (`settle`): a line whose page changed (a related document's title on it, a new
  template) is made again, and the site must hold exactly these pages (see manifest.build) or the lines are not used.

Kept as a base and a journal (gongkai/build/journal.py): a rebuild writes only the lines it changed since the base.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import compress
from operator import itemgetter, ne
from pathlib import Path
from typing import Any

from gongkai.build import journal
from gongkai.build.manifest import Reason, line
from gongkai.model import Catalogue

PREFIX = "documents/"  # every document's page: Document.href
SUFFIX = ".html"
NAME = "document-lines"  # in the build cache's manifest/ folder: .base and .journal
FORMAT = 1
FEW = 8  # source files looked for one by one in the kept list (a C-level scan each); more: a dict of them all

Value = tuple[int, str]  # a page's (size, SHA-256)


def _ref(path: str) -> str:
    """The document id of a page's path (PREFIX + id + SUFFIX: checked for every page put in)."""
    return path[len(PREFIX):-len(SUFFIX)]


class DocLines:
    """The document pages of this load: `paths` (sorted), each one's source file, (size, SHA-256) as last settled
    (None: not yet) and manifest line. manifest.build lists them by these lines (`settle`), where the site holds
    exactly these pages."""

    prefix = PREFIX

    def __init__(self, store: journal.Journal, paths: list[str], sources: list[str], values: list[Value | None],
                 lines: list[str], since: dict[str, Any] | None):
        self.store, self.paths, self.sources, self.values, self.lines = store, paths, sources, values, lines
        # every change since the kept base (path -> (source, value, line), None: removed); None: write a new base
        self.since = since

    @property
    def sizes(self) -> list[int]:
        return list(map(itemgetter(0), self.values))  # type: ignore[arg-type]  # (settled: no None left)

    def find(self, path: str) -> int:
        """The position of path among the pages (-1: not one of them)."""
        i = bisect_left(self.paths, path)
        return i if i < len(self.paths) and self.paths[i] == path else -1

    def _put(self, path: str, source: str, value: Value | None, text: str) -> bool:
        """Put a page in (False: its path is taken)."""
        i = bisect_left(self.paths, path)
        if i < len(self.paths) and self.paths[i] == path:
            return False
        self.paths.insert(i, path)
        self.sources.insert(i, source)
        self.values.insert(i, value)
        self.lines.insert(i, text)
        return True

    def _drop(self, positions: list[int]) -> None:
        for i in sorted(positions, reverse=True):
            if self.since is not None:
                self.since[self.paths[i]] = None
            del self.paths[i], self.sources[i], self.values[i], self.lines[i]

    def _apply(self, changes: dict[str, Any]) -> None:
        """The journal's changes made to the base read (path -> (source, value, line), or None: removed)."""
        for path, entry in sorted(changes.items()):
            i = self.find(path)
            if entry is None:
                if i >= 0:
                    del self.paths[i], self.sources[i], self.values[i], self.lines[i]
            elif i >= 0:
                self.sources[i], self.values[i], self.lines[i] = entry
            else:
                self._put(path, *entry)

    def settle(self, now: list[Any], digest: Callable[[str, Any], Value]) -> None:
        """Each page's (size, SHA-256) in this build (`now`, by position: a tuple, or what `digest` turns into one —
        a claimed file's stat) in place of the kept one; the line of each page that differs made again."""
        values, paths, lines, sources = self.values, self.paths, self.lines, self.sources
        if now == values:  # (the usual rebuild but for the edited page: compared at C level)
            return
        for i in compress(range(len(paths)), map(ne, now, values)):
            value = now[i]
            if type(value) is not tuple:
                value = digest(paths[i], value)
            path = paths[i]
            values[i] = value
            lines[i] = line(path, value[0], value[1], Reason("document", _ref(path), sources[i]))
            if self.since is not None:
                self.since[path] = (sources[i], value, lines[i])

    def save(self, salt: str, token: str) -> None:
        """Keep the lines (all settled) for the next build, as those of the load with `token`."""
        if not token:
            self.store.forget()
            return
        self.store.base_path.parent.mkdir(exist_ok=True)
        self.store.save((FORMAT, salt, token), self.since,
                        lambda: (self.paths, self.sources, self.values, self.lines))

    def forget(self) -> None:
        """Not used by the manifest: nothing kept to trust (the next build lists them afresh)."""
        self.store.forget()


def take(folder: Path, salt: str, cat: Catalogue) -> DocLines | None:
    """The document pages of this load: the kept ones brought up to date by its changes when they follow the kept
    token, else listed afresh. None: no lines for them (pages whose path is not PREFIX + id + SUFFIX, or two of one
    path): the manifest lists them like any other file."""
    store = journal.Journal(folder / "manifest", NAME)
    changes = cat.changes
    got = store.read() if changes.known else None
    if got is not None:
        try:
            (paths, sources, values, lines), (fmt, was_salt, token), since = got
            # (follows, not Changes.keeps: a page's path and reason read its document alone, and each line's value
            # is compared with the page written anyway (settle) — so no line is kept on trust when another input
            # changed)
            if (fmt == FORMAT and was_salt == salt and changes.follows(token) and isinstance(since, dict)
                    and len(paths) == len(sources) == len(values) == len(lines)):
                kept = DocLines(store, paths, sources, values, lines, since)
                kept._apply(since)
                if _follow(kept, cat):
                    return kept
        except (TypeError, ValueError):
            pass
    return fresh(store, cat)


def _follow(kept: DocLines, cat: Catalogue) -> bool:
    """The kept pages made those of this load: the pages of the documents changed or removed since taken out, those
    of the changed ones published now put in (their values settled later). False: do it afresh."""
    changes = cat.changes
    changed = [d for i in changes.ids if (d := cat.document(i)) is not None]  # (by id: no pass over all documents)
    if {d.source.file for d in changed} != changes.documents:
        return False
    gone = changes.documents | changes.removed
    if gone:
        sources = kept.sources
        if len(gone) <= FEW:
            at = []
            for source in gone:
                try:
                    at.append(sources.index(source))
                except ValueError:  # (a new document, or one not published before)
                    pass
        else:
            where = dict(zip(sources, range(len(sources)), strict=True))
            at = [i for s in gone if (i := where.get(s)) is not None]
        kept._drop(at)
    for d in changed:
        if d.is_public:
            if d.href != f"{PREFIX}{d.id}{SUFFIX}" or not kept._put(d.href, d.source.file, None, ""):
                return False
    return True


def fresh(store: journal.Journal, cat: Catalogue) -> DocLines | None:
    """Every published document's page, its value and line to be settled (a new base)."""
    public = cat.published_documents
    hrefs = [d.href for d in public]
    if any(h != f"{PREFIX}{d.id}{SUFFIX}" for h, d in zip(hrefs, public, strict=True)) or len(set(hrefs)) != len(hrefs):
        return None
    order = sorted(range(len(hrefs)), key=hrefs.__getitem__)
    return DocLines(store, [hrefs[i] for i in order], [public[i].source.file for i in order], [None] * len(order),
                    [""] * len(order), None)
