"""gongkai/load/documents.py's helpers that stand in for pathlib on every document path."""

from __future__ import annotations

from pathlib import PurePosixPath

from gongkai.load.documents import _stem


def test_stem_is_pathlibs():
    """_stem gives PurePosixPath.stem for every path of a document file (the withdrawn ids are checked by it)."""
    for rel in ("documents/a.md", "documents/2010/x.y.md", "documents/.md", "documents/..md", "documents/文件.md",
                "a.md", "documents/2024/szmz-2024-3.md", "documents/a b/c.d.md"):
        assert _stem(rel) == PurePosixPath(rel).stem, rel
