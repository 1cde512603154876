"""A large value kept in the build cache between builds as a base file and a journal of the changes since it.

The search step keeps two values that change by a few entries per rebuild but are large as a whole: the document
records (gongkai/build/search.py _DocRecords: 4 MB at 10,000 documents) and the manifest's lines of the index's
files (search._kept_lines: 3.6 MB, 36 MB at 100,000). Marshalling and writing either whole on every rebuild costs
in proportion to the site, not to the edit. So each is kept as

- `<name>.base`: the whole value as of some build, with a random id;
- `<name>.journal`: the id of the base it goes with, a small `head` (what the value is of: a token, a tree's
  digest) and the changes since that base (key -> new entry, or None: removed), all of them, merged.

A rebuild reads both, applies the journal to the base and writes only the journal again, with its own changes
merged in; once the journal holds more than `limit` entries the value is written as a new base and the journal
emptied. The two files are written one after the other, each atomically (write_atomic): a journal is used only with
the base whose id it names, so a build killed between the two leaves a pair that does not go together, which the
next build treats like no kept value at all. Whoever keeps a value decides, by `head`, whether to trust it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import secrets
from pathlib import Path
from typing import Any

from gongkai.build.cache import write_atomic

FORMAT = 1
LIMIT = 1024  # journal entries at most before the value is written whole again (a rebuild changes about ten)


def merged(earlier: dict, later: dict) -> dict:
    """The changes `earlier` then `later` made, as one set of changes: the later entry of a key wins (a key set, or
    removed, by the later changes is what the later changes say, whatever the earlier ones said)."""
    return {**earlier, **later} if earlier else later


def apply(value: dict, changes: dict) -> dict:
    """`value` (a dict, changed in place and returned) with `changes` made: each key set, or removed (None)."""
    for key, entry in changes.items():
        if entry is None:
            value.pop(key, None)
        else:
            value[key] = entry
    return value


class Journal:
    """The base and journal files of one kept value in `folder` (see the module docstring)."""

    def __init__(self, folder: Path, name: str):
        self.base_path = folder / f"{name}.base"
        self.journal_path = folder / f"{name}.journal"
        self.base_id = ""  # the id of the base read (read) or written (save): the journal names it

    def read(self) -> tuple[Any, Any, dict] | None:
        """(the base value, the journal's head, the changes since the base) when both files are there, readable and
        go together; else None."""
        try:
            with open(self.journal_path, "rb") as fh:
                fmt, base_id, head, changes = marshal.loads(fh.read())
            if fmt != FORMAT or not isinstance(changes, dict):
                return None
            with open(self.base_path, "rb") as fh:  # (marshal.load of the file reads it in small pieces: slower)
                fmt, was_id, value = marshal.loads(fh.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if fmt != FORMAT or not base_id or was_id != base_id:
            return None
        self.base_id = base_id
        return value, head, changes

    def save(self, head: Any, changes: dict | None, whole: Any, limit: int | None = None) -> bool:
        """Keep `head` with `changes`, all the changes since the base read (merged), or — with no base read, changes
        None (not relative to it) or more than `limit` of them (LIMIT) — `whole` (the value as it is now) as a new base
        and no changes. Returns whether a new base was written. `whole` may be a function giving the value (called
        only then)."""
        if changes is not None and self.base_id and len(changes) <= (LIMIT if limit is None else limit):
            write_atomic(self.journal_path, marshal.dumps((FORMAT, self.base_id, head, changes)))
            return False
        self.forget()  # (a journal of the base about to be replaced must not survive a build killed meanwhile)
        value = whole() if callable(whole) else whole
        self.base_id = secrets.token_hex(8)
        write_atomic(self.base_path, marshal.dumps((FORMAT, self.base_id, value)))
        write_atomic(self.journal_path, marshal.dumps((FORMAT, self.base_id, head, {})))
        return True

    def forget(self) -> None:
        """Nothing to trust until the next save (the journal holds the head: a base alone is never used)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.journal_path)
