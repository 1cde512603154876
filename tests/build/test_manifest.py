"""site.manifest.json's hashes (gongkai/build/manifest.py): the SHA-256 an earlier build recorded of an output file
is reused when the file's stat data vouches for it (gongkai/statcheck.py), and only then."""

from __future__ import annotations

import hashlib
import os
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
