"""gongkai/load/documents.py's helpers that stand in for pathlib on every document path."""

from __future__ import annotations

from pathlib import PurePosixPath

from gongkai.load.documents import _stem


def test_stem_is_pathlibs():
    """_stem gives PurePosixPath.stem for every path of a document file (the withdrawn ids are checked by it)."""
    for rel in ("documents/a.md", "documents/2010/x.y.md", "documents/.md", "documents/..md", "documents/文件.md",
                "a.md", "documents/2024/szmz-2024-3.md", "documents/a b/c.d.md"):
        assert _stem(rel) == PurePosixPath(rel).stem, rel


def test_listed_is_sorted_files_order(tmp_path):
    """_listed (from the walk of content/) gives the documents in sorted_files' (pathlib's) order: a folder's files and
    folders interleaved by name, with names that sort before and after "/" ("a-b", "a b", "a.b", "a0", "ab")."""
    from gongkai.errors import Problems
    from gongkai.fsutil import sorted_files
    from gongkai.load.contenttree import scan_content
    from gongkai.load.documents import _listed

    names = ["a.md", "a-b.md", "a b.md", "a!.md", "a0.md", "ab.md", "a/x.md", "a/y/z.md", "a-b/x.md", "a b/x.md",
             "a.b/x.md", "ab/x.md", "2010/1.md", "2010/10.md", "2010/2.md", "2010-1/x.md", "文件.md", "文/件.md", "z.md"]
    docs = tmp_path / "content" / "documents"
    for name in names:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x", encoding="utf-8")
    expected = [p.relative_to(tmp_path / "content").as_posix() for p in sorted_files(docs, ".md")]
    assert _listed(scan_content(tmp_path, Problems())) == expected
    assert len(expected) == len(names)
