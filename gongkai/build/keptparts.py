"""A result kept in the build's memo in parts, each written again only when a build changes it.

A step that keeps a result for the next build (the list pictures of every published document, the shape of a paged
政策文件 column) trusts it only when it was made from the very load this build's changes are relative to
(`Changes.follows`). Stamping the whole result with each load's token means writing it whole on every rebuild: at
100,000 documents, megabytes that one edited document changes a line of. So, as the load's snapshot does
(load/snapshot.py), the result is a small header — this load's token and, for each part, the token of the load
that wrote that part — and the parts, each kept under its own memo key and put again only when this build changes
it. A part is used only when its token is the one the header names: a build killed while its memo files were
written (some new, some old) leaves parts the header does not vouch for, never a mix.

The memo drops what a build does not use: a part is carried over by `get` (which marks it used), or written by
`put` (and not dropped since); `save` writes the header naming exactly those. No part of an untrusted header is used or carried over.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from gongkai.memo import MISSING, Memo
from gongkai.model import Changes

Part = tuple[str, ...]  # a part's name: ("pictures", folder) …


class KeptParts:
    """One build's view of a result kept in parts under memo key `key` (a tuple; a part's key is `(*key, part)`)."""

    def __init__(self, memo: Memo, key: tuple[Hashable, ...], changes: Changes):
        self.memo, self.key, self.token = memo, key, changes.token
        header = memo.get(key)
        self.made_by: str = header[0] if header is not MISSING else ""  # the token of the load that wrote the header
        # the parts of the header, when it was written by the load these changes are relative to
        self.previous: dict[Part, str] = header[1] if changes.follows(self.made_by) else {}
        self.tokens: dict[Part, str] = {}  # the header this build writes: part -> its token

    @property
    def trusted(self) -> bool:
        """Whether the previous header holds any part this build may use: it follows the load that wrote it, the rule
        for parts made of documents alone (a part that reads other inputs too asks Changes.keeps(made_by))."""
        return bool(self.previous)

    def parts(self) -> list[Part]:
        """The parts the previous header vouches for."""
        return list(self.previous)

    def get(self, part: Part) -> Any:
        """The kept value of a part (MISSING: none this build may use), carried over to the next build as it is."""
        token = self.previous.get(part)
        if token is None:
            return MISSING
        found = self.memo.get((*self.key, part))
        if found is MISSING or found[0] != token:
            return MISSING
        self.tokens[part] = token
        return found[1]

    def put(self, part: Part, value: Any) -> None:
        """Keep value as the part made by this load (written with the memo)."""
        if self.token:
            self.memo.put((*self.key, part), (self.token, value))
            self.tokens[part] = self.token

    def drop(self, part: Part) -> None:
        """Keep no value of the part for the next build (neither carried over nor put)."""
        self.tokens.pop(part, None)

    def save(self) -> None:
        """Write the header naming the parts carried over or put by this build; every other part is dropped."""
        if self.token:
            self.memo.put(self.key, (self.token, dict(self.tokens)))
