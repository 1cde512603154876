"""The last look at a finished build (gongkai/build/outputcheck.py: unpublished_outputs) sees a warm build's
files claimed from the kept tree (gongkai/build/staging.py) as it sees the files written into the staging folder."""

from __future__ import annotations

import os
from types import SimpleNamespace

from gongkai.build import outputcheck, staging


def _warm_build(tmp_path):
    """A kept tree holding documents/kept.html, documents/gone.html and files/orphan.pdf, all three claimed by the
    build into a fresh staging folder, which itself holds only documents/new.html."""
    final = tmp_path / "site"
    final.mkdir()
    kept = staging.previous_tree_path(final)
    for rel in ("documents/kept.html", "documents/gone.html", "files/orphan.pdf"):
        (kept / rel).parent.mkdir(parents=True, exist_ok=True)
        (kept / rel).write_bytes(rel.encode())
    stage = staging.new_staging_dir(final)
    (stage / "documents").mkdir(parents=True)
    (stage / "documents" / "new.html").write_bytes(b"new")
    recycled = staging.Recycled(final, stage)
    recycled.register()
    for rel in ("documents/kept.html", "documents/gone.html", "files/orphan.pdf"):
        assert staging.claim(os.fspath(stage / rel), os.stat(kept / rel))
    return stage, recycled


def test_claimed_files_are_checked_like_written_ones(tmp_path):
    stage, recycled = _warm_build(tmp_path)
    try:
        assert staging.names_in(stage / "documents") == ["gone.html", "kept.html", "new.html"]
        assert staging.names_in(stage / "nothing") == []
        cat = SimpleNamespace(publication=SimpleNamespace(orphans={"files/orphan.pdf"}, withheld=set(), published=set()),
                              content_tree=None,
                              published_documents=[SimpleNamespace(href="documents/kept.html"),
                                                    SimpleNamespace(href="documents/new.html")])
        # the page of a document no longer published and an orphan's copy, both only claimed: reported
        assert outputcheck.unpublished_outputs(stage, cat) == ["documents/gone.html", "files/orphan.pdf"]
    finally:
        recycled.unregister()


def test_without_a_recycled_tree_the_staging_folder_is_what_the_build_has(tmp_path):
    stage, recycled = _warm_build(tmp_path)
    recycled.unregister()
    assert staging.names_in(stage / "documents") == ["new.html"]
