"""The output tree of a rebuild (gongkai/build/staging.py: Recycled): the previous generation of the site is kept
and brought up to date — cached files it already holds are claimed instead of linked, new and changed files are
moved in, everything else is deleted — then switched with site/. These tests drive the real cache, staging and
manifest code the way the plugin does (without MkDocs), over every combination of a file being absent, one content
or another in three builds, for cached files, files written directly and files linked from a kept folder (the
search index), and check after every build that site/ holds exactly the wanted files, byte for byte, that
site.manifest.json lists exactly them, and that untouched files were claimed rather than written again."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from removers import Gate, gated

from gongkai.build import discard, manifest, staging
from gongkai.build.cache import BuildCache, link_entry, place, write_atomic

STATES = "-AB"  # absent, content A, content B


def files_of(folder: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            full = os.path.join(dirpath, name)
            out[os.path.relpath(full, folder).replace(os.sep, "/")] = Path(full).read_bytes()
    return out


def dirs_of(folder: Path) -> set[str]:
    return {os.path.relpath(os.path.join(d, n), folder).replace(os.sep, "/")
            for d, dirs, _f in os.walk(folder) for n in dirs}


def build(root: Path, wanted: dict[str, tuple[str, bytes]], recycle: bool = True, before_update=None
          ) -> tuple[BuildCache, staging.Recycled | None]:
    """One build of `wanted` (site path -> (how, bytes)) into root/site, the way the plugin writes and switches.

    how: "cached" (BuildCache.put: linked from the cache), "direct" (written into the staging folder), "tree"
    (kept in a folder of the cache and linked file by file like the search index), "copy" (a source file under
    root/src put by BuildCache.put_copy, as the plugin puts the attachments and theme files MkDocs would copy),
    "many" (cached files linked or claimed together by BuildCache.link_many, as the document pages are)."""
    final = root / "site"
    cache = BuildCache(root / ".cache")
    stage = staging.new_staging_dir(final)
    stage.mkdir()
    recycled = staging.Recycled(final, stage, cache.clock) if recycle else None
    if recycled is not None:
        recycled.register()
    kept = root / ".cache" / "tree"
    digests: dict[str, tuple[int, str]] = {}
    for rel, (how, data) in sorted(wanted.items()):
        target = stage / rel
        if how == "cached":  # (the writers of cached files make no folder: cache.place makes it if it places)
            cache.put(target, lambda data=data: data, rel, hashlib.sha256(data).hexdigest())
        elif how == "direct":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        elif how == "copy":
            src = root / "src" / rel
            src.parent.mkdir(parents=True, exist_ok=True)
            if not src.is_file() or src.read_bytes() != data:  # an edited source: a new file (a text editor's save)
                src.unlink(missing_ok=True)
                src.write_bytes(data)
            digests[rel] = cache.put_copy(src, target)
    many = [(rel, data) for rel, (how, data) in sorted(wanted.items()) if how == "many"]
    keys = [cache.key("many", rel, hashlib.sha256(data).hexdigest()) for rel, data in many]
    found = cache.link_many(os.fspath(stage) + "/", [(key, rel) for key, (rel, _data) in zip(keys, many, strict=True)])
    for key, (rel, data), hit in zip(keys, many, found, strict=True):  # linked or claimed in one pass, as pages are
        if not hit:
            cache.record(key, cache.keep(key, data, stage / rel), hashlib.sha256(data).hexdigest())
        cache.use(key)
    tree_files = {rel: data for rel, (how, data) in wanted.items() if how == "tree"}
    for rel in files_of(kept) if kept.is_dir() else {}:  # the kept folder follows the wanted files: new inodes
        if rel not in tree_files:
            (kept / rel).unlink()
            if not any((kept / rel).parent.iterdir()):
                (kept / rel).parent.rmdir()
    for rel, data in tree_files.items():
        (kept / rel).parent.mkdir(parents=True, exist_ok=True)
        if not (kept / rel).is_file() or (kept / rel).read_bytes() != data:
            write_atomic(kept / rel, data)
    for dirpath, _dirs, _names in os.walk(kept) if kept.is_dir() else ():
        sub = os.path.relpath(dirpath, kept)
        there = os.path.normpath(os.path.join(stage, sub))
        os.makedirs(there, exist_ok=True)
        with os.scandir(dirpath) as it:
            found = [entry for entry in it if entry.is_file(follow_symlinks=False)]
        if len(sub) % 2:  # file by file (link_entry), and folder by folder (claim_stats, as the search index does)
            for entry in found:
                link_entry(entry, os.path.join(there, entry.name))
        else:
            stats = [entry.stat(follow_symlinks=False) for entry in found]
            for i in staging.claim_stats(there, [entry.name for entry in found], stats):
                place(found[i].path, os.path.join(there, found[i].name))
    reasons = manifest.Reasons()
    result = manifest.build(stage, reasons, {}, digests, cache.outputs(),
                            recycled.claimed if recycled else None, recycled.path if recycled else None)
    written = staging.staged_manifest_path(stage)
    manifest.write(result, written)
    cache.finish()
    if before_update is not None:
        before_update(stage, recycled)
    staging.swap_into_place(stage, final, (written, staging.manifest_path(final)), recycled)
    return cache, recycled


def check(root: Path, wanted: dict[str, tuple[str, bytes]]) -> None:
    """site/ holds exactly the wanted files and folders; the manifest lists exactly them; nothing stale beside once
    the removers of what the build superseded have finished (discard.py)."""
    final = root / "site"
    for path in staging.stale_paths(final):
        discard.wait(path)
    expected = {rel: data for rel, (_how, data) in wanted.items()}
    assert files_of(final) == expected
    parents = {p for rel in expected for p in itertools.accumulate(rel.split("/")[:-1], lambda a, b: f"{a}/{b}")}
    assert dirs_of(final) == parents  # no folder left behind that a build into an empty folder would not make
    listed = json.loads(staging.manifest_path(final).read_text(encoding="utf-8"))["entries"]
    assert {e["path"]: e["sha256"] for e in listed} == {r: hashlib.sha256(d).hexdigest() for r, d in expected.items()}
    assert manifest.check_tree(manifest.load(staging.manifest_path(final)), final) == []
    beside = {p.name for p in root.iterdir() if p.name.startswith("site")}
    assert beside - {"site.gongkai-prev"} == {"site", "site.manifest.json"}
    assert staging.stale_paths(final) == []


def combinations() -> list[dict[str, tuple[str, bytes]]]:
    """Three builds' wanted files: for each kind of file and each of the 27 histories (absent/A/B in each build),
    one file, half of them in a folder of their own (which then comes and goes with the file)."""
    builds: list[dict[str, tuple[str, bytes]]] = [{}, {}, {}]
    for how in ("cached", "direct", "tree", "copy", "many"):
        for history in itertools.product(STATES, repeat=3):
            name = "".join(history).replace("-", "0")
            rel = f"{how}/{name}.html" if name.count("0") % 2 else f"{how}/d{name}/{name}.html"
            for n, state in enumerate(history):
                if state != "-":
                    builds[n][rel] = (how, f"<p>{how} {rel} {state}</p>\n".encode())
    # a path that is a file in one build and a folder in the next, and back
    builds[0]["swap/x"] = ("cached", b"file x\n")
    builds[1]["swap/x/inner.html"] = ("cached", b"inner\n")
    builds[2]["swap/x"] = ("direct", b"file x again\n")
    return builds


def test_three_builds_bring_the_kept_tree_up_to_date_in_every_combination(tmp_path):
    builds = combinations()
    sequence = builds + builds[:1]  # and back to the first build's files
    for n, wanted in enumerate(sequence):
        _cache, recycled = build(tmp_path, wanted)
        check(tmp_path, wanted)
        assert staging.previous_tree_path(tmp_path / "site").is_dir() == (n >= 1)
        if n >= 2:
            # the tree updated is the one kept two builds ago: a cached or linked file the same in all three builds
            # (so still in the cache, with the inode that tree holds) is claimed, not written again
            assert recycled is not None
            steady = {rel for rel, (how, data) in wanted.items() if how != "direct"
                      and sequence[n - 1].get(rel, ("", b""))[1] == data == sequence[n - 2].get(rel, ("", b""))[1]}
            assert len(steady) >= 4 and steady <= set(recycled.claimed)
            assert not any(wanted[rel][0] == "direct" for rel in recycled.claimed)


def test_a_rebuild_with_nothing_changed_writes_no_file(tmp_path):
    wanted = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(50)}
    wanted |= {f"search/s/{i}.js": ("tree", f"shard {i}\n".encode()) for i in range(50)}
    wanted["index.html"] = ("direct", b"home\n")
    for _ in range(2):
        build(tmp_path, wanted)
    inodes = {rel: os.stat(tmp_path / "site.gongkai-prev" / rel).st_ino for rel in wanted}
    _cache, recycled = build(tmp_path, wanted)
    check(tmp_path, wanted)
    assert recycled is not None
    assert set(recycled.claimed) == set(wanted) - {"index.html"}
    # the site is the tree kept before, updated: the claimed files are the very same files
    assert {rel: os.stat(tmp_path / "site" / rel).st_ino for rel in wanted if rel != "index.html"} == \
        {rel: ino for rel, ino in inodes.items() if rel != "index.html"}


def test_the_kept_tree_is_listed_again_only_where_a_folder_changed(tmp_path, monkeypatch):
    """update() trusts the listing register() made for each folder whose stat is unchanged and older than the build's
    clock stamp (a rebuild lists the 37,000 files of a 10,000-document site's kept tree once, not twice); once a
    folder changed during the build it lists the tree again, and deletes what nobody asked for (a claimed file
    replaced meanwhile: test_a_kept_tree_changed_during_the_build_stops_it_with_site_untouched)."""
    wanted = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(5)}
    wanted |= {f"search/s/{i}.js": ("tree", f"shard {i}\n".encode()) for i in range(5)}
    for _ in range(2):
        build(tmp_path, wanted)
    time.sleep(0.05)  # the kept tree's folders older than the next build's clock stamp (the racy-git guard)
    listed: list[str] = []
    real = staging._scan
    monkeypatch.setattr(staging, "_scan", lambda top: listed.append(top) or real(top))
    build(tmp_path, wanted)
    check(tmp_path, wanted)
    assert len(listed) == 1  # register's listing only
    time.sleep(0.05)
    listed.clear()

    def stray(_stage, recycled):  # a file put into the kept tree during the build: listed again, and deleted
        (recycled.path / "search" / "s" / "stray.js").write_bytes(b"stray\n")

    build(tmp_path, wanted, before_update=stray)
    check(tmp_path, wanted)
    assert len(listed) == 2


def test_a_tampered_kept_tree_is_not_trusted(tmp_path):
    wanted = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(6)}
    wanted |= {f"search/s/{i}.js": ("tree", f"shard {i}\n".encode()) for i in range(3)}
    build(tmp_path, wanted)
    build(tmp_path, wanted)
    prev = tmp_path / "site.gongkai-prev"
    (prev / "documents" / "d1.html").unlink()
    (prev / "documents" / "d1.html").write_bytes(b"page 1\n")  # same bytes, another file: not claimed, still right
    (prev / "documents" / "d2.html").unlink()
    (prev / "documents" / "d2.html").write_bytes(b"tampered\n")  # other bytes at a claimable path
    (prev / "documents" / "stray.html").write_bytes(b"<p>withdrawn</p>\n")  # a file no build asked for
    (prev / "search" / "s" / "9.js").write_bytes(b"stray shard\n")
    os.symlink("/etc/passwd", prev / "documents" / "link.html")
    (prev / "extra").mkdir()
    (prev / "extra" / "x.html").write_bytes(b"x\n")
    os.unlink(prev / "search" / "s" / "0.js")
    os.mkdir(prev / "search" / "s" / "0.js")  # a folder where a claimed file was
    _cache, recycled = build(tmp_path, wanted)
    check(tmp_path, wanted)
    assert recycled is not None
    assert {"documents/d1.html", "documents/d2.html", "search/s/0.js"}.isdisjoint(recycled.claimed)
    assert "documents/d3.html" in recycled.claimed


def test_a_kept_tree_changed_during_the_build_stops_it_with_site_untouched(tmp_path):
    wanted = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(4)}
    build(tmp_path, wanted)
    build(tmp_path, wanted)
    before = files_of(tmp_path / "site"), (tmp_path / "site.manifest.json").read_bytes()

    def tamper(_stage, recycled):
        assert "documents/d0.html" in recycled.claimed
        path = recycled.path / "documents" / "d0.html"
        path.unlink()
        path.write_bytes(b"swapped in while building\n")

    changed = dict(wanted, **{"documents/d9.html": ("cached", b"new\n")})
    with pytest.raises(OSError, match="生成期间被改动"):
        build(tmp_path, changed, before_update=tamper)
    assert (files_of(tmp_path / "site"), (tmp_path / "site.manifest.json").read_bytes()) == before
    for path in staging.stale_paths(tmp_path / "site"):  # what the next build removes under the lock
        staging.remove_path(path)
    build(tmp_path, changed)
    check(tmp_path, changed)


@pytest.mark.parametrize("fail_after", [0, 1, 3, 7])
def test_a_build_killed_while_updating_the_kept_tree_leaves_site_and_the_next_build_right(tmp_path, monkeypatch,
                                                                                          fail_after):
    first, second = combinations()[:2]
    build(tmp_path, first)
    build(tmp_path, second)
    before = files_of(tmp_path / "site"), (tmp_path / "site.manifest.json").read_bytes()
    third = combinations()[2]
    real_replace, calls = os.replace, [0]

    def dying_replace(src, dst):  # the process dies after some of the renames into the kept tree
        if os.fspath(dst).startswith(os.fspath(tmp_path / "site.gongkai-prev")):
            calls[0] += 1
            if calls[0] > fail_after:
                raise KeyboardInterrupt("killed")
        return real_replace(src, dst)

    monkeypatch.setattr(staging.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        build(tmp_path, third)
    monkeypatch.setattr(staging.os, "replace", real_replace)
    assert (files_of(tmp_path / "site"), (tmp_path / "site.manifest.json").read_bytes()) == before
    for path in staging.stale_paths(tmp_path / "site"):
        staging.remove_path(path)
    build(tmp_path, third)
    check(tmp_path, third)
    build(tmp_path, first)
    check(tmp_path, first)


def test_without_recycling_no_tree_is_kept(tmp_path):
    wanted = {"index.html": ("direct", b"home\n"), "documents/a.html": ("cached", b"a\n")}
    build(tmp_path, wanted)
    build(tmp_path, wanted)
    assert (tmp_path / "site.gongkai-prev").is_dir()
    build(tmp_path, wanted, recycle=False)  # mkdocs serve, a build without cache: the old site is deleted
    check(tmp_path, wanted)
    assert not (tmp_path / "site.gongkai-prev").exists()


def test_forget_removes_withdrawn_files_from_the_kept_tree(tmp_path):
    wanted = {"documents/a.html": ("cached", b"a\n"), "files/a.pdf": ("direct", b"%PDF\n")}
    build(tmp_path, wanted)
    _cache, recycled = build(tmp_path, {"documents/a.html": ("direct", "<h1>该信息已撤回</h1>".encode())})
    assert recycled is not None
    assert (tmp_path / "site.gongkai-prev" / "files" / "a.pdf").exists()
    recycled.forget(["documents/a.html", "files/a.pdf", "files/never.pdf"])
    assert files_of(tmp_path / "site.gongkai-prev") == {}


def test_a_copied_source_changed_in_place_is_read_again(tmp_path):
    """A source file (an attachment in content/) is known unchanged by its stat data, change time included: new
    bytes of the same length with the modification time put back are still published. And the site holds a copy,
    never the source itself: editing content/ leaves a built site as it was."""
    wanted = {"files/a.pdf": ("copy", b"%PDF-1 first\n"), "files/b.pdf": ("copy", b"%PDF-1 other\n")}
    for _ in range(3):
        time.sleep(0.05)  # the file system's clock ticks between builds (the racy-git guard, gongkai/statcheck.py)
        cache, _recycled = build(tmp_path, wanted)
        check(tmp_path, wanted)
    assert cache.output_hashes is not None and cache.output_hashes.trusted >= 2  # neither source read again
    src = tmp_path / "src" / "files" / "a.pdf"
    st = src.stat()
    with open(src, "r+b") as fh:  # same length, same file, the modification time put back
        fh.write(b"%PDF-1 secnd\n")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (tmp_path / "site" / "files" / "a.pdf").read_bytes() == b"%PDF-1 first\n"
    assert (tmp_path / "site.gongkai-prev" / "files" / "a.pdf").read_bytes() == b"%PDF-1 first\n"
    changed = dict(wanted, **{"files/a.pdf": ("copy", b"%PDF-1 secnd\n")})
    _cache, recycled = build(tmp_path, changed)
    check(tmp_path, changed)
    assert recycled is not None and "files/b.pdf" in recycled.claimed and "files/a.pdf" not in recycled.claimed


def test_pages_linked_together_are_claimed_only_where_the_staging_folder_has_nothing(tmp_path):
    """BuildCache.link_many lists the staging folder once instead of asking for every page whether something is
    there: a file already written at a page's path is not claimed (the cached page is linked over it), the others
    are, and a page of a folder the kept tree does not have is linked."""
    wanted = {f"documents/d{i}.html": ("many", f"page {i}\n".encode()) for i in range(6)}
    for _ in range(2):
        build(tmp_path, wanted)
    final = tmp_path / "site"
    cache = BuildCache(tmp_path / ".cache")
    stage = staging.new_staging_dir(final)
    (stage / "documents").mkdir(parents=True)
    (stage / "other").mkdir()
    recycled = staging.Recycled(final, stage)
    recycled.register()
    try:
        (stage / "documents" / "d1.html").write_bytes(b"written first\n")
        items = [(cache.key("many", rel, hashlib.sha256(data).hexdigest()), rel)
                 for rel, (_how, data) in sorted(wanted.items())]
        items.append((items[2][0], "other/d2.html"))  # the same page at a path not kept
        assert all(cache.link_many(os.fspath(stage) + "/", items))
        assert set(recycled.claimed) == {f"documents/d{i}.html" for i in (0, 2, 3, 4, 5)}
        assert (stage / "documents" / "d1.html").read_bytes() == b"page 1\n"
        assert (stage / "other" / "d2.html").read_bytes() == b"page 2\n"
        assert not (stage / "documents" / "d0.html").exists()  # claimed: nothing written
    finally:
        recycled.unregister()


def test_no_folder_is_made_in_the_staging_folder_for_claimed_files_only(tmp_path):
    """A folder of the staging folder that would hold only claimed files is never made (cache.place makes a
    file's folder when it places the file): the update removes no folder it need not, where removing one costs
    milliseconds (file systems mounted with `discard`). A cached file that changed is placed, folders and all."""
    wanted = {f"col{c}/sub{s}/index.html": ("cached", f"page {c} {s}\n".encode()) for c in range(3) for s in range(3)}
    wanted |= {f"copies/a{i}.css": ("copy", f"css {i}\n".encode()) for i in range(3)}
    wanted |= {f"many/d{i}.html": ("many", f"doc {i}\n".encode()) for i in range(3)}
    for _ in range(2):
        build(tmp_path, wanted)
    seen: list[set[str]] = []
    build(tmp_path, wanted, before_update=lambda stage, _recycled: seen.append(dirs_of(stage)))
    check(tmp_path, wanted)
    assert seen == [set()]
    changed = dict(wanted, **{"col1/sub2/index.html": ("cached", b"changed\n")})
    _cache, recycled = build(tmp_path, changed, before_update=lambda stage, _recycled: seen.append(dirs_of(stage)))
    check(tmp_path, changed)
    assert seen[1] == {"col1", "col1/sub2"}
    assert recycled is not None and "col1/sub1/index.html" in recycled.claimed


# --- what a build supersedes is removed after it returns (gongkai/build/discard.py) --------------------------------


@pytest.fixture
def gate(tmp_path, monkeypatch) -> Iterator[Gate]:
    yield from gated(tmp_path, monkeypatch)


def aside_trees(root: Path) -> list[Path]:
    return [p for p in staging.stale_paths(root / "site") if p.is_dir()]


def finish_removers(root: Path, gate: Gate) -> None:
    gate.open()
    for path in aside_trees(root):
        discard.wait(path)


def test_a_tree_superseded_whole_is_removed_after_the_build_returns(tmp_path, gate):
    """After a new gongkai (every page written anew, nothing of the kept tree claimed) the kept tree is superseded
    whole: the build switches and returns while a detached remover still deletes it."""
    first = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(30)}
    second = {rel: (how, data + b"<!-- new code -->\n") for rel, (how, data) in first.items()}
    build(tmp_path, first)
    build(tmp_path, first)
    build(tmp_path, second)
    assert files_of(tmp_path / "site") == {rel: data for rel, (_how, data) in second.items()}
    (aside,) = aside_trees(tmp_path)
    assert len(files_of(aside)) == 30  # the first build's tree, not deleted yet: the build did not wait for it
    assert discard.hold(aside) is None  # its remover holds it
    finish_removers(tmp_path, gate)
    check(tmp_path, second)
    build(tmp_path, second)
    check(tmp_path, second)


def test_a_kept_tree_mostly_rewritten_is_updated_and_the_rest_removed_after_the_build_returns(tmp_path, gate):
    """Some files claimed, the rest rewritten (a search index written anew, most pages changed): folders with no
    claimed file are set aside whole, and so are the many unclaimed files of the folders that stay; the new
    site is exactly what a build into an empty folder writes."""
    first = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(30)}
    first |= {f"search/{k}/{i}.js": ("tree", f"shard {k}{i}\n".encode()) for k in "xms" for i in range(8)}
    first |= {f"zcwj/{c}/index.html": ("direct", f"column {c}\n".encode()) for c in range(3)}
    first["index.html"] = ("direct", b"home\n")
    second = {rel: (how, data + (b"v2\n" if not rel.startswith("documents/d1") else b""))
              for rel, (how, data) in first.items()}
    second["search/x/extra.js"] = ("tree", b"new shard\n")
    for wanted in (first, first):
        build(tmp_path, wanted)
        check(tmp_path, wanted)
    _cache, recycled = build(tmp_path, second)
    assert recycled is not None and set(recycled.claimed) == {f"documents/d{i}.html" for i in (1, *range(10, 20))}
    assert files_of(tmp_path / "site") == {rel: data for rel, (_how, data) in second.items()}
    (aside,) = aside_trees(tmp_path)
    assert discard.hold(aside) is None
    assert sorted(files_of(aside).values()).count(b"shard x0\n") == 1  # not deleted yet
    finish_removers(tmp_path, gate)
    check(tmp_path, second)
    for wanted in (first, second):
        build(tmp_path, wanted)
        check(tmp_path, wanted)


def test_remove_stale_leaves_a_tree_to_its_remover_and_finishes_what_a_killed_one_left(tmp_path, gate):
    site = tmp_path / "site"
    left = staging.aside_path(site)
    left.mkdir()
    for i in range(20):
        (left / f"{i}.html").write_bytes(b"x\n")
    held = discard.hold(left)  # a remover at work on it
    assert held is not None
    assert staging.remove_stale(site) == []
    assert len(files_of(left)) == 20  # not one file taken from under it
    os.close(held)  # that remover was killed: the kernel dropped its lock
    assert staging.remove_stale(site) == [left]
    assert len(files_of(left)) == 20 and discard.hold(left) is None  # a new remover has it; this build goes on
    finish_removers(tmp_path, gate)
    assert staging.stale_paths(site) == []


def test_without_fork_a_superseded_tree_is_removed_before_the_build_returns(tmp_path, gate, monkeypatch):
    monkeypatch.delattr(os, "fork")  # (Windows)
    first = {f"documents/d{i}.html": ("cached", f"page {i}\n".encode()) for i in range(30)}
    second = {rel: (how, data + b"new\n") for rel, (how, data) in first.items()}
    for wanted in (first, first, second):
        build(tmp_path, wanted)
        check(tmp_path, wanted)
