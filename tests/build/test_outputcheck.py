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
        assert sorted(staging.paths_in(stage, "documents")) == ["documents/gone.html", "documents/kept.html",
                                                                 "documents/new.html"]
        assert staging.paths_in(stage, "nothing") == []
        cat = SimpleNamespace(publication=SimpleNamespace(orphans={"files/orphan.pdf"}, withheld=set(),
                                                          is_published=set().__contains__),
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
    assert staging.paths_in(stage, "documents") == ["documents/new.html"]


def test_real_paths_resolve_as_os_realpath(tmp_path, monkeypatch):
    """RealPaths (content_files_to_copy's check that a file to copy stays inside content/) answers what
    os.path.realpath answers for every kind of path: plain files, files in a linked folder, linked files (inside,
    outside, dangling, a loop), paths through `..` and `.`, relative ones; each folder resolved once."""
    content = tmp_path / "content"
    (content / "files" / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.pdf").write_bytes(b"x")
    for name in ("a.pdf", "b.pdf", "sub/c.pdf"):
        (content / "files" / name).write_bytes(b"x")
    os.symlink(tmp_path / "outside", content / "linked")  # a linked folder
    os.symlink(content / "files" / "a.pdf", content / "files" / "inside.pdf")
    os.symlink(tmp_path / "outside" / "secret.pdf", content / "files" / "out.pdf")
    os.symlink("../files/nowhere.pdf", content / "files" / "sub" / "dangling.pdf")
    os.symlink("loop2.pdf", content / "files" / "loop1.pdf")
    os.symlink("loop1.pdf", content / "files" / "loop2.pdf")
    os.symlink("sub", content / "files" / "relative")  # a relative link to a folder
    monkeypatch.chdir(content)
    paths = [os.fspath(content / p) for p in (
        "files/a.pdf", "files/b.pdf", "files/sub/c.pdf", "linked/secret.pdf", "files/inside.pdf", "files/out.pdf",
        "files/sub/dangling.pdf", "files/loop1.pdf", "files/relative/c.pdf", "files/missing.pdf", "files/sub/..",
        "files/.", "files/sub/", "files/sub/../a.pdf")]
    paths += ["files/a.pdf", "linked/secret.pdf", "a-file-here.pdf", "files/relative/c.pdf"]
    realpath = outputcheck.RealPaths()
    assert [realpath(p) for p in paths] == [os.path.realpath(p) for p in paths]
    assert [realpath(p) for p in paths] == [os.path.realpath(p) for p in paths]  # (from the folders it resolved)
    calls = []
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda p, *a, **k: calls.append(p) or real(p, *a, **k))
    fresh = outputcheck.RealPaths()
    for name in ("a.pdf", "b.pdf", "sub/c.pdf"):
        fresh(os.fspath(content / "files" / name))
    assert len(calls) == 2  # files/ and files/sub/, each once; no plain file resolved part by part


def test_paths_in_but_those_left_out(tmp_path):
    """staging.paths_in: what the build has (written and claimed, directly in the folder: not a subfolder's), as
    site paths, but for those left out; the same without a recycled tree (the staging folder alone)."""
    stage, recycled = _warm_build(tmp_path)
    (stage / "documents" / "sub").mkdir()
    (stage / "documents" / "sub" / "deep.html").write_bytes(b"deep")
    try:
        assert sorted(staging.paths_in(stage, "documents")) == ["documents/gone.html", "documents/kept.html",
                                                                 "documents/new.html", "documents/sub"]
        assert sorted(staging.paths_in(stage, "documents", {"documents/kept.html", "documents/new.html"})) == \
            ["documents/gone.html", "documents/sub"]
        assert staging.paths_in(stage, "nothing") == []
        assert staging.paths_in(stage, "files") == ["files/orphan.pdf"]
    finally:
        recycled.unregister()
    assert sorted(staging.paths_in(stage, "documents")) == ["documents/new.html", "documents/sub"]
