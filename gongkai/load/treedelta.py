"""The walk of content/ again, from the last load's walk and the files said to have changed since.

A load starts by listing and stat'ing every file under content/ (load/contenttree.py): at 10,000 documents about
11,000 stat calls, on every rebuild of `mkdocs serve` after a single save. Serve's file watcher already knows which
files changed (gongkai/mkdocs/servewatch.py: the system's change notices, ChangeLog); `rescan` makes the tree a walk
would make now from the last load's tree and those files alone: each is looked at (lstat) again, added, updated or
dropped. It gives up (None: walk instead) wherever that could differ from a walk:

- the last tree has a link or a refused entry (the walk's errors, and what a link resolves to, are the walk's to
  say again: a change to a link's target is noticed under the target's name, not the link's);
- a changed path is now a folder, a link, a special file or a hard-linked file, or a folder is gone (its files);

and the watcher does not hand over a list at all (ChangeLog's Taken.complete False) after a folder was created,
deleted or moved, when notices may have been lost, before it started, or when content/ is not among what it
watches. Files are kept in the walk's order (each folder's files by name, then its folders, depth first), so the
tree is the walk's tree, entry for entry, with each file's stat as the walk would take it (tests/load/
test_treedelta.py compares the two after a history of changes).
"""

from __future__ import annotations

import marshal
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.load.contenttree import CONTENT, ContentTree, Listed, scan_content
from gongkai.load.kept import Kept
from gongkai.memo import Memo

LISTING = ("content.listing",)  # the memo key of the last walk's listing (contenttree.ContentTree.listing)
LISTING_FORMAT = 1


def walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    """The place of a file (path under content/) in scan_content's order: in each folder its files by name
    first, then its folders by name, each listed whole before the next."""
    parts = rel.split("/")
    return (*((1, p) for p in parts[:-1]), (0, parts[-1]))


def rescan(site_root: Path, base: ContentTree, changed: Iterable[str]) -> ContentTree | None:
    """scan_content(site_root)'s tree, from base (the last walk, not changed) and the absolute paths of the files
    changed since; None when only a walk can say (see the module's docstring)."""
    if base.refused or base.links:
        return None
    content = os.fspath(site_root / CONTENT)
    if os.path.realpath(content) != os.fspath(base.root):
        return None
    prefix = content.rstrip(os.sep) + os.sep
    files, stats = dict(base.files), dict(base.stats)
    added = False
    for path in changed:
        if not path.startswith(prefix):
            continue  # catalog/, mkdocs.yml …: not in the tree
        rel = path[len(prefix):].replace(os.sep, "/")
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            if rel in files:
                del files[rel]
                stats.pop(rel, None)
            elif any(f.startswith(rel + "/") for f in files):
                return None  # a folder went
            continue  # a file that came and went (an editor's temporary file)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
            return None  # a folder, a link, a special or a hard-linked file: the walk's errors and decisions
        if rel not in files:
            added = True
            files[rel] = os.path.join(content, *rel.split("/"))
        stats[rel] = st
    if added:
        files = dict(sorted(files.items(), key=lambda item: walk_order(item[0])))
        stats = {rel: stats[rel] for rel in files}
    return ContentTree(base.root, files, set(), {}, stats)


def scan(site_root: Path, problems: Problems, kept: Kept | None, memo: Memo | None = None) -> ContentTree:
    """The tree of content/: from the last load's and the files changed since when they are known (rescan), else
    walked, with the last walk's listing of each folder that the memo holds (load/contenttree.py); a listing that
    differs from it is put in the memo."""
    if kept is not None and kept.tree is not None and kept.changed is not None:
        tree = rescan(site_root, kept.tree, kept.changed)
        if tree is not None:
            kept.rescanned += 1
            return tree
    stamp = None if memo is None else getattr(memo, "clock", None)
    if not stamp:
        return scan_content(site_root, problems)
    assert memo is not None
    known = _listing(memo.get(LISTING))
    tree = scan_content(site_root, problems, known, stamp)
    if tree.listing is not None and tree.listing != known:  # (the same folders' listings: the very tuples, at once)
        memo.put(LISTING, marshal.dumps((LISTING_FORMAT, tree.listing)))
    return tree


def _listing(value: Any) -> dict[str, Listed] | None:
    """The listing a memo value holds (None: none, or not of this format)."""
    if not isinstance(value, bytes):
        return None
    try:
        fmt, listing = marshal.loads(value)
    except (EOFError, ValueError, TypeError):
        return None
    return listing if fmt == LISTING_FORMAT and isinstance(listing, dict) else None


__all__ = ["rescan", "scan", "walk_order"]
