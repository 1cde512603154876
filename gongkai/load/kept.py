"""What one process keeps of a load for its next load: `mkdocs serve` loads the site again after every save.

A rebuild's load must make exactly the model a first load of the same files makes (tests/load/test_kept.py), so
nothing here is a result trusted because it was right last time; it is what the next load would otherwise compute
again from the same input, each part checked against that input before it is used:

- `tree`, the last load's walk of content/, and `changed`, the files changed since (serve's file watcher,
  gongkai/mkdocs/servewatch.py): the next load looks at those files again instead of walking content/
  (load/treedelta.py). `changed` is None when the watcher cannot vouch for its list: then the load walks.
- `documents`, each document's record as the last load decoded it (load/doccache.py): a record is plain values;
  making 10,000 Documents of them was a third of a rebuild's load. The next load makes a
  Document of the same record by copying the decoded values (Document objects themselves are never shared
  between loads: later load steps change theirs). Used only when the record is the same (equal values).

Held by the serve session (gongkai/mkdocs/session.py), passed to load_catalogue, updated by a load that succeeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gongkai.load.contenttree import ContentTree


class Kept:
    """See the module's docstring."""

    def __init__(self) -> None:
        self.tree: ContentTree | None = None  # the last load's walk of content/ (made or rescanned)
        self.changed: frozenset[str] | None = None  # absolute paths of files changed since; None: unknown, walk
        # path under content/ -> (its record, the values decoded from it: doccache.Template)
        self.documents: dict[str, tuple[Any, Any]] = {}
        self.rescanned = 0  # loads whose tree was made by rescan, not by a walk (tests, GONGKAI_TIMING)

    def learn(self, changed: frozenset[str] | None) -> None:
        """Before a load: the files changed since the last take of the watcher's list (None: it cannot vouch for
        its list). Added to what the last load did not take in (a load that failed takes nothing)."""
        if changed is None or self.tree is None or self.changed is None:
            self.changed = None
        else:
            self.changed = self.changed | changed

    def loaded(self, tree: ContentTree, documents: dict[str, tuple[Any, Any]] | None) -> None:
        """A load succeeded: its tree is the one the next changes are relative to."""
        self.tree = tree
        self.changed = frozenset()
        if documents is not None:
            self.documents = documents


__all__ = ["Kept"]
