"""site.manifest.json's hashes (gongkai/build/manifest.py): the SHA-256 an earlier build recorded of an output file
is reused when the file's stat data vouches for it (gongkai/statcheck.py), and only then."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from gongkai import statcheck
from gongkai.build import manifest
from gongkai.statcheck import HashRecord


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def listed(m: manifest.Manifest) -> dict[str, tuple[int, str]]:
    return {e.path: (e.size, e.sha256) for e in m.entries}


def change_in_place(path: Path, data: bytes) -> None:
    """New bytes of the same length in the same file, its modification time put back."""
    st = path.stat()
    assert len(data) == st.st_size
    with open(path, "r+b") as fh:
        fh.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_recorded_hashes_are_reused_only_where_the_stat_vouches(tmp_path):
    stamps, site = tmp_path / "cache", tmp_path / "site"
    (site / "documents").mkdir(parents=True)
    (site / "index.html").write_bytes(b"<h1>\xe4\xb8\xbb\xe9\xa1\xb5</h1>")
    (site / "documents" / "a.html").write_bytes(b"<p>a</p>")
    for f in (site / "index.html", site / "documents" / "a.html"):  # older than the stamp's tick (see racy below)
        os.utime(f, ns=(f.stat().st_mtime_ns - 10**9,) * 2)
    first = HashRecord({}, statcheck.clock(stamps))
    cold = listed(manifest.build(site, manifest.Reasons(), hashes=first))
    assert first.trusted == 0 and cold["documents/a.html"] == (8, sha(b"<p>a</p>"))

    second = HashRecord(first.new, statcheck.clock(stamps))
    assert listed(manifest.build(site, manifest.Reasons(), hashes=second)) == cold
    assert second.trusted == 2  # neither file read

    # a change with a new time is seen
    page = site / "documents" / "a.html"
    page.write_bytes(b"<p>b</p>")
    os.utime(page, ns=(page.stat().st_mtime_ns + 10**9,) * 2)
    third = HashRecord(second.new, statcheck.clock(stamps))
    assert listed(manifest.build(site, manifest.Reasons(), hashes=third))["documents/a.html"] == (8, sha(b"<p>b</p>"))

    # racy: a file written after the stamp of the build that hashed it, then changed in place keeping size and
    # time, is hashed again
    stamp = statcheck.clock(stamps)
    late = site / "late.js"
    late.write_bytes(b"var a=1;")
    fourth = HashRecord(third.new, stamp)
    manifest.build(site, manifest.Reasons(), hashes=fourth)
    change_in_place(late, b"var a=2;")
    fifth = HashRecord(fourth.new, statcheck.clock(stamps))
    assert listed(manifest.build(site, manifest.Reasons(), hashes=fifth))["late.js"] == (8, sha(b"var a=2;"))

    # without a stamp (GONGKAI_TRUST_STAT=0) nothing is trusted
    off = HashRecord(fifth.new, None)
    manifest.build(site, manifest.Reasons(), hashes=off)
    assert off.trusted == 0 and off.new == {}


def next_tick(stamps: Path, after: int) -> int:
    """A clock stamp newer than `after` (the file system's clock moves in ticks of a few milliseconds)."""
    while (now := statcheck.clock(stamps)) <= after:
        pass
    return now


def test_files_written_before_the_manifest_step_are_trusted_next_time(tmp_path):
    """The manifest records the hashes it reads with a stamp taken just before the first read, not the build's
    (taken when it began): a file the build wrote meanwhile — walked in the site or claimed from the kept tree — is
    not read by the next build. Recorded with the build's stamp, both are read again (the first rebuild after a cold
    build of 100,000 documents read the whole site)."""
    stamps, site, kept = tmp_path / "cache", tmp_path / "site", tmp_path / "kept"
    site.mkdir()
    kept.mkdir()
    begun = statcheck.clock(stamps)  # the build begins, then writes
    (site / "index.html").write_bytes(b"<p>a</p>")
    (kept / "x.js").write_bytes(b"var x=1;")
    for f in (site / "index.html", kept / "x.js"):  # written in the tick the build began: racy for its stamp
        os.utime(f, ns=(begun, begun))
    next_tick(stamps, begun)
    claimed: dict[str, tuple[int, str] | os.stat_result] = {"x.js": os.stat(kept / "x.js")}

    def two_builds(stamp):
        first = HashRecord({}, begun)
        cold = listed(manifest.build(site, manifest.Reasons(), hashes=first, claimed=claimed, claimed_dir=kept,
                                     stamp=stamp))
        second = HashRecord(first.new, statcheck.clock(stamps))
        assert listed(manifest.build(site, manifest.Reasons(), hashes=second, claimed=claimed, claimed_dir=kept,
                                     stamp=stamp)) == cold == {"index.html": (8, sha(b"<p>a</p>")),
                                                               "x.js": (8, sha(b"var x=1;"))}
        return second.trusted

    assert two_builds(lambda: statcheck.clock(stamps)) == 2  # neither read again
    assert two_builds(None) == 0  # the build's own stamp: both read again


def test_a_file_written_in_the_manifest_stamps_tick_is_read_again(tmp_path):
    """racy-git's case for the manifest's own stamp: a file whose time is that stamp's tick may have been changed
    after it was read without its stat showing it; the next build reads it again and sees the change."""
    stamps, site = tmp_path / "cache", tmp_path / "site"
    site.mkdir()
    late = site / "late.js"
    late.write_bytes(b"var a=1;")
    begun = statcheck.clock(stamps)
    tick = next_tick(stamps, begun)  # the manifest's stamp ...
    os.utime(late, ns=(tick, tick))  # ... and the file written in that same tick, before it is read
    taken: list[int] = []

    def stamp() -> int:
        taken.append(tick)
        return tick

    first = HashRecord({}, begun)
    assert listed(manifest.build(site, manifest.Reasons(), hashes=first, stamp=stamp))["late.js"] == (8, sha(b"var a=1;"))
    assert taken == [tick]  # one stamp, taken before the first read
    change_in_place(late, b"var a=2;")
    second = HashRecord(first.new, next_tick(stamps, tick))
    assert listed(manifest.build(site, manifest.Reasons(), hashes=second))["late.js"] == (8, sha(b"var a=2;"))
    assert second.trusted == 0

def test_entry_lines_are_what_json_writes(tmp_path):
    """to_bytes writes each entry as json.dumps(ensure_ascii=False) of Entry.to_json() would: checked against json
    itself on paths and reasons with every character class json escapes (quotes, backslashes, control characters,
    line and paragraph separators, non-BMP characters), shared and distinct Reason objects."""
    import json

    shared = manifest.Reason("search")
    odd = ['a"b', "c\\d", "e\nf\tg\x00h\x1f", "行\u2028分\u2029隔", "😀/𠀀.html", "", "/", "\x7f\x80é"]
    entries = []
    for i, text in enumerate(odd):
        entries.append(manifest.Entry(f"search/index/{text}{i}.js", i, sha(text.encode()), shared))
        entries.append(manifest.Entry(f"files/{text}{i}", 2**40 + i, sha(b"x"), manifest.Reason("attachment", text, f"content/{text}")))
        entries.append(manifest.Entry(f"odd/{i}", 0, "", manifest.Reason(text, text, text)))
    m = manifest.Manifest(sorted(entries, key=lambda e: e.path), {"site": {"name": "示例\"局", "url": "x"}, "build_date": "2026-11-24"})
    text = m.to_bytes().decode("utf-8")
    lines = text.split("\n")
    start = lines.index(' "entries": [') + 1
    expected = [f"  {json.dumps(e.to_json(), ensure_ascii=False)}" for e in m.entries]
    assert [line.removesuffix(",") for line in lines[start:start + len(expected)]] == expected
    assert json.loads(text)["entries"] == [e.to_json() for e in m.entries]
    path = tmp_path / "m.json"
    manifest.write(m, path)
    assert manifest.load(path).to_bytes() == path.read_bytes()
    # paths and hashes json leaves alone (the usual site: written without the encoder), reasons with anything
    plain = [manifest.Entry(f"search/行/{i}%s%%d.js", i, sha(str(i).encode()), manifest.Reason(text, text, "%s" + text))
             for i, text in enumerate(odd)] + [manifest.Entry("😀/𠀀.html", 1, "", shared)]
    m = manifest.Manifest(sorted(plain, key=lambda e: e.path), {})
    lines = m.to_bytes().decode("utf-8").split("\n")
    start = lines.index(' "entries": [') + 1
    expected = [f"  {json.dumps(e.to_json(), ensure_ascii=False)}" for e in m.entries]
    assert [line.removesuffix(",") for line in lines[start:start + len(expected)]] == expected
    # everything json leaves alone, reasons too (a usual site: one format for all the entries)
    usual = [manifest.Entry(f"documents/{i}.html", i, sha(str(i).encode()), manifest.Reason("attachment", f"a{i}、b{i}%s", "行/%d"))
             for i in range(3)] + [manifest.Entry("search/index/x.js", 9, sha(b"x"), shared)]
    m = manifest.Manifest(usual, {})
    lines = m.to_bytes().decode("utf-8").split("\n")
    start = lines.index(' "entries": [') + 1
    expected = [f"  {json.dumps(e.to_json(), ensure_ascii=False)}" for e in m.entries]
    assert [line.removesuffix(",") for line in lines[start:start + len(expected)]] == expected
    # one line at a time (a kept folder's lines), the same text
    assert [manifest.line(*e) for e in entries] == [f"  {json.dumps(e.to_json(), ensure_ascii=False)}" for e in entries]


def test_kept_lines_stand_for_a_folder_only_while_the_site_holds_exactly_its_files(tmp_path):
    """A folder's kept lines (search index) are written instead of its entries, where they sort, when its step put
    its files there (the same inode) and claimed the rest; anything else there (another file at one of its paths, one
    more claimed or written file, another reason for one of them) and the folder is listed file by file — either way
    the bytes a manifest made by hashing every file has."""
    stage, kept_dir = tmp_path / "stage", tmp_path / "kept"
    for top in (stage, kept_dir):
        (top / "search" / "index" / "x").mkdir(parents=True)
    (stage / "search" / "index.html").write_bytes(b"<p>search</p>")  # sorts just before the folder
    (stage / "search" / "indexes.html").write_bytes(b"<p>after</p>")  # and after it
    (stage / "zz.html").write_bytes(b"z")
    tree = tmp_path / "tree"  # the step's own copy: what it put into stage are hard links of it (as search does)
    (tree / "x").mkdir(parents=True)
    for rel, data in (("manifest.js", b"m1"), ("x/0-0.js", b"x00")):
        (tree / rel).write_bytes(data)
        os.link(tree / rel, stage / "search" / "index" / rel)
    (kept_dir / "search" / "index" / "x" / "0-1.js").write_bytes(b"x01")
    files = {"manifest.js": b"m1", "x/0-0.js": b"x00", "x/0-1.js": b"x01"}

    def made(claimed: dict, reasons: manifest.Reasons, placed: dict | None = None) -> manifest.Manifest:
        folder = manifest.KeptFolder.of("search/index/", manifest.SEARCH, {r: (len(d), sha(d)) for r, d in files.items()})
        folder.placed = placed if placed is not None else {
            r: statcheck.signature((tree / r).stat(), ctime=False) for r in ("manifest.js", "x/0-0.js")}
        return manifest.build(stage, reasons, claimed=claimed, claimed_dir=kept_dir, kept=folder)

    def reasons() -> manifest.Reasons:
        r = manifest.Reasons()
        r.add_folder("search/index", manifest.SEARCH)
        return r

    claimed = {"search/index/x/0-1.js": (kept_dir / "search" / "index" / "x" / "0-1.js").stat()}
    expected = manifest.build(stage, reasons(), claimed=claimed, claimed_dir=kept_dir).to_bytes()
    m = made(claimed, reasons())
    assert m.folders and m.to_bytes() == expected and m.files == 6
    # another file of the same size written at one of its paths by someone else (another inode)
    placed = {r: statcheck.signature((tree / r).stat(), ctime=False) for r in ("manifest.js", "x/0-0.js")}
    other = stage / "search" / "index" / "x" / "0-0.js"
    other.unlink()
    other.write_bytes(b"y00")
    m = made(claimed, reasons(), placed)
    assert not m.folders and m.to_bytes() == manifest.build(stage, reasons(), claimed=claimed, claimed_dir=kept_dir).to_bytes()
    assert m.to_bytes() != expected
    # or the file put there changed in place (its time, its size)
    other.unlink()
    os.link(tree / "x" / "0-0.js", other)
    with open(other, "r+b") as fh:
        fh.write(b"z")
    m = made(claimed, reasons(), placed)
    assert not m.folders and b'"size": 3, "sha256": "%s"' % sha(b"z00").encode() in m.to_bytes()
    files["x/0-0.js"] = b"z00"
    placed["x/0-0.js"] = statcheck.signature(other.stat(), ctime=False)
    # one more file claimed there, or written there
    (kept_dir / "search" / "index" / "x" / "9-9.js").write_bytes(b"x99")
    more = {**claimed, "search/index/x/9-9.js": (kept_dir / "search" / "index" / "x" / "9-9.js").stat()}
    m = made(more, reasons(), placed)
    assert not m.folders and m.to_bytes() == manifest.build(stage, reasons(), claimed=more, claimed_dir=kept_dir).to_bytes()
    (stage / "search" / "index" / "x" / "8-8.js").write_bytes(b"x88")
    m = made(claimed, reasons(), placed)
    assert not m.folders and m.to_bytes() == manifest.build(stage, reasons(), claimed=claimed, claimed_dir=kept_dir).to_bytes()
    (stage / "search" / "index" / "x" / "8-8.js").unlink()
    # another reason for one of its files, or for a folder inside it
    for odd in ("exact", "folder"):
        r = reasons()
        if odd == "exact":
            r.add("search/index/x/0-1.js", manifest.Reason("theme", "overrides", "search/index/x/0-1.js"))
        else:
            r.prefixes.insert(0, ("search/index/x/", manifest.Reason("page")))
        m = made(claimed, r, placed)
        assert not m.folders and m.to_bytes() == manifest.build(stage, r, claimed=claimed, claimed_dir=kept_dir).to_bytes()
    assert made(claimed, reasons(), placed).folders


def test_source_state_in_the_background_is_the_same_answer(tmp_path):
    """SourceState starts git at once and answers when asked (the build asks at its end): the same answer as
    source_state, the same when asked again, no git process left running; outside git, None."""
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "a.md").write_text("a", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.gov.cn", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True)
    started = manifest.SourceState(root)
    answer = started.result()
    assert answer == started.result() == manifest.source_state(root)
    assert answer["uncommitted"] is False and len(answer["commit"]) == 40
    assert started._head is not None and started._head.returncode is not None
    assert started._status is not None and started._status.returncode is not None
    (root / "content" / "a.md").write_text("b", encoding="utf-8")
    assert manifest.SourceState(root).result() == {"commit": answer["commit"], "uncommitted": True}
    assert manifest.SourceState(tmp_path / "nowhere").result() == {"commit": None, "uncommitted": None}
    (tmp_path / "plain").mkdir()
    assert manifest.SourceState(tmp_path / "plain").result() == {"commit": None, "uncommitted": None}


def test_a_claimed_file_replaced_before_it_is_read_is_not_recorded_under_the_claimed_stat(tmp_path):
    """A claimed file's hash is recorded by the stat of the file actually read: a same-size file renamed over the
    claimed one between the claim and the manifest (the kept tree is checked for that only afterwards) is listed
    with its own bytes, and no hash goes into the record under the claimed inode — which still holds the old bytes
    (a hard link in the cache) and would later be trusted with the wrong hash."""
    stamps, stage, kept = tmp_path / "cache", tmp_path / "stage", tmp_path / "kept"
    stage.mkdir()
    (kept / "search").mkdir(parents=True)
    target = kept / "search" / "x.js"
    target.write_bytes(b"old=1;")
    os.link(target, tmp_path / "cached-x.js")  # the cache's link: the claimed inode lives on
    claimed = os.stat(target)
    swap = kept / "search" / ".x.js.tmp"
    swap.write_bytes(b"new=2;")
    os.replace(swap, target)
    record = HashRecord({}, statcheck.clock(stamps))
    m = manifest.build(stage, manifest.Reasons(), hashes=record, claimed={"search/x.js": claimed}, claimed_dir=kept,
                       stamp=lambda: statcheck.clock(stamps))
    assert listed(m) == {"search/x.js": (6, sha(b"new=2;"))}
    assert (claimed.st_dev, claimed.st_ino) not in record.new
    # the file read is the listed one: recorded
    again = HashRecord({}, statcheck.clock(stamps))
    manifest.build(stage, manifest.Reasons(), hashes=again, claimed={"search/x.js": os.stat(target)}, claimed_dir=kept)
    assert again.new[os.stat(target).st_dev, os.stat(target).st_ino][1] == sha(b"new=2;")
