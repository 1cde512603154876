"""What a build remembers of earlier builds' work on the same input: parsed YAML, privacy scans.

The build cache (gongkai/build/cache.py) provides one memo per build; the loader passes it as an argument
to every step that may use it (no module keeps one). Keys are made of the input itself or its digest, never
of the time; the cache drops every entry when gongkai's code changes (cache.code_key). Without a memo
everything is simply computed: a memo changes how fast, never what.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol

MISSING: Any = object()  # Memo.get's answer for a key not remembered


class Memo(Protocol):
    """A memo may also have `clock`: the build's statcheck.clock stamp (None or absent: stat data is never trusted,
    gongkai/statcheck.py)."""

    def get(self, key: Hashable) -> Any:
        """The value remembered for key, or MISSING."""
        ...

    def put(self, key: Hashable, value: Any) -> None: ...
