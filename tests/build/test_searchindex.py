"""gongkai.build.searchindex in process: tokens, the posting codec and edits of postings.

The index in a built site and in Chromium (queries, rebuilds, 10,000 documents) is tests/browser/test_search_page.py.
"""

from __future__ import annotations

import random
from pathlib import Path

from gongkai.build import searchindex, searchscan


def test_tokens_and_postings_roundtrip():
    assert searchindex.tokens("年度报告") == {"年度", "度报", "报告"}
    # NFKC and lower case; punctuation separates; digits and letters pair like characters; numbers of 4 to 12
    # digits are also one token each
    assert searchindex.tokens("示民规〔２０２４〕3号，ＰＤＦ") == {"示民", "民规", "20", "02", "24", "#2024", "3号", "pd", "df"}
    # a query looks numbers up whole: 2024 is not "20" + "02" + "24" anywhere
    assert searchindex.query_tokens("示民规〔2024〕3号") == ["#2024", "3号", "民规", "示民"]
    assert searchindex.query_tokens("024") == ["02", "24"]
    assert searchindex.tokens("报") == set() and searchindex.tokens("，。") == set()
    pack = searchindex.pack
    codec = searchindex.Codec(20000)
    values = [pack(n, t, k) for n, t, k in [(0, 0, 0), (0, 1, 0)][1:] + [(1, 0, 3), (2, 1, 0), (15, 1, 24), (16, 0, 25),
                                                                          (511, 1, 255), (512, 0, 1), (19999, 1, 0)]]
    text = codec.encode(values)
    assert codec.decode(text) == values
    assert '"' not in text and "\\" not in text
    assert codec.encode([pack(0, True, 0), pack(1, True, 0)]) == "12" and codec.encode([pack(20, False, 0)]) == "B8"
    # the portion of the text where the token first occurs: a mark after the record's code, none for portion 0
    assert codec.encode([pack(0, True, 1), pack(1, True, 2)]) == "1w2x"
    assert codec.encode([pack(0, False, 25)]) == "0|" and codec.encode([pack(0, False, 27)]) == "0}1"
    # postings: sparse as delta codes, frequent (more than a sixth of the records) as a bitmap
    small = searchindex.Codec(48)
    assert small.posting([pack(0, False, 0), pack(1, True, 0), pack(4, True, 2)]) == "036x"
    dense = [pack(n, n % 5 == 0, n % 4) for n in range(0, 48, 3)]  # 16 of 48 records, 0/15/30/45 in the title
    assert small.posting(dense).startswith("#kkkkkkkk,")  # 100100… = 0x92 0x49 0x24 -> "kkkk" per 24 bits
    assert small.values(small.posting(dense)) == dense
    edited = sorted({*dense, pack(4, True, 7)} - {pack(3, False, 3)})
    assert small.edit(small.posting(dense), {3: None, 4: pack(4, True, 7)}) == small.posting(edited)
    assert small.edit(small.posting([pack(0, False, 0), pack(1, True, 0)]), {1: None, 0: None}) == ""
    # random postings of every density, and random edits of them: the same string as writing the result afresh
    rng = random.Random(7)
    for n in (5, 48, 1000, 10_001):
        c = searchindex.Codec(n)
        for _ in range(100):
            values = [pack(r, rng.random() < 0.3, rng.choice([0, 0, 1, 5, 30, 255]))
                      for r in sorted(rng.sample(range(n), rng.randint(1, n)))]
            posting = c.posting(values)
            assert c.values(posting) == values
            edits = {i: rng.choice([None, pack(i, False, 0), pack(i, True, 2)]) for i in rng.sample(range(n), min(n, 3))}
            after = {v >> 9: v for v in values} | {i: v for i, v in edits.items()}
            expected = sorted(v for v in after.values() if v is not None)
            assert c.edit(posting, edits) == (c.posting(expected) if expected else "")


def test_portions_cut_a_long_text_and_postings_say_where_a_token_first_occurs():
    """A long text is cut into files of about TEXT_BYTES; each token's entry names the portion of its first
    occurrence; the tokens are those of the whole text (a pair across a cut, a number across a cut)."""
    body = "各区民政局：" + "请做好困难群众走访工作，做到应帮尽帮。" * (searchindex.TEXT_BYTES // 15) + "鸬鹚巡访2024年12345678号。" + "结束语。" * 10
    e = searchindex.Entry("示例市民政局关于走访工作的通知", body, {"u": "documents/x.html"}, None, ("=wx1",), "示民规〔2024〕9号")
    firsts, cuts, count = searchindex.layout(["", "短文。", body])
    # the long text's first portion shares the short one's file when it fits; its others follow, one per file
    sizes = searchindex.portions(body)[1]
    assert firsts == [-1, 0, 0 if sizes[0] <= searchindex.TEXT_BYTES - len("短文。".encode()) - 16 else 1]
    assert count == firsts[2] + len(cuts[2]) > 3
    assert cuts[2][0][0] == 0 and cuts[2][-1][1] == len(body)
    assert all(a[1] == b[0] for a, b in zip(cuts[2], cuts[2][1:], strict=False))  # contiguous
    assert all(body[b - 1] in "。；！？，" for _a, b in cuts[2][:-1])  # at a clause's end
    assert cuts[2] == searchindex.portions(body)[0]  # whatever comes before it in its group
    files = searchindex._text_files(0, ["", "短文。", body], firsts, cuts, count)
    assert max(map(len, files.values())) <= searchindex.TEXT_BYTES + 200
    s = searchscan.scan(searchscan.Item(body, cuts[2], e.title, e.fields, e.keys))
    toks = {searchindex.code_pair(c): searchindex.pack(2, False, 0) | v for c, v in zip(s.codes, s.vals, strict=True)}
    toks |= {t: searchindex.pack(2, False, 0) | v for t, v in s.longs.items()}
    assert set(toks) == searchindex.tokens(body + "\n" + e.fields) | searchindex.tokens(e.title) | {"=wx1"}
    deep = next(k for k, (a, b) in enumerate(cuts[2]) if a <= body.index("鸬鹚") < b)
    assert deep > 0 and toks["鸬鹚"] & 255 == deep and toks["#12345678"] & 255 == deep
    assert toks["各区"] & 255 == 0 and not toks["各区"] & 256
    assert toks["通知"] == searchindex.pack(2, True, 0) and toks["=wx1"] == searchindex.pack(2, True, 0)
    assert toks["走访"] == searchindex.pack(2, True, 0)  # in the title and first in portion 0
    assert toks["9号"] == searchindex.pack(2, False, 0)  # only in the fields (文号)


def test_keys_variants_and_number_tokens():
    assert searchindex.docno_keys("示民规〔2024〕3号") == ("=w示民规20243号", "=n2024-3", "=y2024")
    assert searchindex.indexno_keys("11330100002489999F/2024-00002") == ("=i11330100002489999f202400002", "=i202400002")
    # every spelling of a 文号 gives its whole key; a fragment its year and serial; a bracketed year its year
    for q in ("示民规〔2024〕3号", "示民规[2024]3号", "示民规 2024 3号", "示民规（2024）3号", "示民规【2024】3号"):
        assert searchindex.query_keys(q)[0] == "=w示民规20243号", q
        assert "=n2024-3" in searchindex.query_keys(q), q
    assert searchindex.query_keys("2024〕3") == ["=n2024-3"]
    assert searchindex.query_keys("〔2024〕") == ["=y2024"]
    assert searchindex.query_keys("2024") == [] and searchindex.query_keys("低保") == []
    table = {"低保": ["最低生活保障"], "特困": ["五保"], "特困人员": ["特困供养"]}
    assert searchindex.variants("低保申请", table) == ["低保申请", "最低生活保障申请"]
    # the longest term at a place: 特困人员 is one term
    assert searchindex.variants("特困人员低保", table) == ["特困人员低保", "特困人员最低生活保障", "特困供养低保", "特困供养最低生活保障"]


def test_the_characters_normalise_keeps_are_up_to_date():
    """_KEEP is written out (computing it takes a third of a second); it must be what this Python's Unicode data
    gives, and normalise() must agree with NFKC + lower case + separators on text that has every kind."""
    assert searchindex._KEEP == searchindex._keep_class()
    sample = "示民规〔２０２４〕3号，ＰＤＦ《社会救助暂行办法》第①条 ㈠ Ⅻ x² ﬁle 〇 兀 e\u0301 Hello-World"
    import re
    import unicodedata
    slow = re.sub(r"[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", " ", unicodedata.normalize("NFKC", sample).lower())
    assert searchindex.normalise(sample).split() == slow.split()


def corpus(n: int) -> list[searchindex.Entry]:
    """n records of the example's real documents (content/documents/, sources cited there), several texts run
    together so most span more than one portion, with 文号 and keys like a bureau's."""
    from test_searchscan import real_texts

    texts = real_texts()
    out = []
    for i in range(n):
        body = "\n".join(texts[(i + j) % len(texts)] for j in range(8 + i % 31))
        docno = f"示民发〔{2020 + i % 6}〕{i}号"
        out.append(searchindex.Entry(f"关于{texts[i % len(texts)][:10]}的通知（{i}）", body, {"u": f"documents/d{i}.html"},
                                     None, searchindex.docno_keys(docno), docno))
    return out


def test_a_rebuild_after_editing_one_record_rewrites_only_what_the_edit_changed(tmp_path):
    """Issue 18: the incremental update costs what the edit changed. Appending a sentence to one record rewrites
    its group's text and metadata files, the manifest and only the shards of the tokens the sentence added — not
    the shards of every token of its group (the records after it keep their portions), nor every bitmap posting
    it has; and the result is the cold build's, byte for byte."""
    from conftest import tree_digest

    entries = corpus(400)
    state = tmp_path / "state"
    assert searchindex.write(entries, tmp_path / "a", state).patched == -1
    before = tree_digest(tmp_path / "a")
    i = 300  # the 5th of its group of 8: the records after it run over several files (8 + i % 31 texts each)
    assert all(len(searchindex.portions(e.text)[0]) > 1 for e in entries[i + 1:i + 3])
    added = " 本文件第 1 次修改：补充说明鹈鹕有关事项。"
    new_toks = searchindex.tokens(entries[i].text + added) - searchindex.tokens(entries[i].text)
    assert 0 < len(new_toks) < 20
    entries[i].raw += added
    stats = searchindex.write(entries, tmp_path / "b", state)
    assert stats.patched == 1
    after = tree_digest(tmp_path / "b")
    searchindex.write(entries, tmp_path / "cold")
    assert after == tree_digest(tmp_path / "cold")
    changed = {p for p in after.keys() | before.keys() if before.get(p) != after.get(p)}
    g = i // searchindex.CHUNK
    assert {p for p in changed if not p.startswith("s/")} <= {"manifest.js", f"m/{g}.js"} | {p for p in after if p.startswith(f"x/{g}-")}
    shards = {p for p in changed if p.startswith("s/")}
    m = searchindex._read_manifest(tmp_path / "b")
    assert shards == {f"s/{searchindex.shard_of(t, m['shards'])}.js" for t in new_toks}
    assert searchindex.search(tmp_path / "b", "鹈鹕") == [(i, 2)]
    # and back: the tokens it no longer has leave the postings
    entries[i].raw = entries[i].raw[:-len(added)]
    assert searchindex.write(entries, tmp_path / "c", state).patched == 1
    assert tree_digest(tmp_path / "c") == before


def test_an_edit_of_a_bitmap_posting_re_encodes_only_its_block():
    codec = searchindex.Codec(3000)
    pack = searchindex.pack
    entries = [pack(n, n % 7 == 0, n % 5) for n in range(0, 3000, 2)]  # in half the records: a bitmap
    posting = codec.posting(entries)
    assert posting.startswith("#") and posting.count(",") == 3000 // 256 + 1
    def changed(a: str, b: str) -> list[int]:
        return [k for k, (x, y) in enumerate(zip(a.split(","), b.split(","), strict=True)) if x != y]

    edited = codec.edit(posting, {700: pack(700, True, 9)})  # a record that has it: its block only
    assert changed(posting, edited) == [1 + 700 // 256]
    assert codec.values(edited) == sorted(({e >> 9: e for e in entries} | {700: pack(700, True, 9)}).values())
    added = codec.edit(posting, {701: pack(701, False, 3)})  # a record that had not: the bitmap and its block
    assert changed(posting, added) == [0, 1 + 701 // 256]
    assert codec.values(added) == sorted({*entries, pack(701, False, 3)})


def test_a_cold_build_split_over_two_processes_writes_the_same_files(tmp_path, monkeypatch):
    """A large cold build scans its later groups in a second process; the files are those of one process."""
    from conftest import tree_digest

    entries = corpus(300)
    files: dict[str, bytes] = {}
    searchindex.build_full(entries, files.__setitem__)  # one process
    monkeypatch.setattr(searchindex, "POOL_CHARS", 0)
    monkeypatch.setattr(searchindex, "SCAN_CHARS", 5000)  # and in small batches, the postings encoded in pieces
    monkeypatch.setattr(searchindex, "ENCODE_ENTRIES", 3000)
    state = tmp_path / "state"
    searchindex.write(entries, tmp_path / "two", state)  # the later groups scanned by a second process
    assert tree_digest(tmp_path / "two") == files
    assert len(list((state / "r").iterdir())) == 2  # every record's tokens kept for a rebuild (256 a file)
    entries[290].raw += " 鹈鹕"
    assert searchindex.write(entries, tmp_path / "two", state).patched == 1
    assert searchindex.search(tmp_path / "two", "鹈鹕") == [(290, 2)]


def test_a_cold_build_in_buckets_spilled_to_disk_writes_the_same_files(tmp_path, monkeypatch):
    """Issue 18, 100,000 documents: a cold build keeps its tokens in buckets of shards and, past SPILL_BYTES held,
    in files; made bucket by bucket (in one process and in two), the index is the one made all at once, and a
    rebuild from it is the cold build's too."""
    from conftest import tree_digest

    entries = corpus(300)
    files: dict[str, bytes] = {}
    searchindex.build_full(entries, files.__setitem__)  # one process, one bucket, nothing spilled
    monkeypatch.setattr(searchindex, "SCAN_CHARS", 5000)
    monkeypatch.setattr(searchindex, "BUCKET_ENTRIES", 1000)  # many buckets
    monkeypatch.setattr(searchindex, "SPILL_BYTES", 1)  # every batch's tokens go to disk
    spilled: list[str] = []
    spill = searchindex._Buckets.spill

    def counted(self):
        spilled.append(self.tag)
        spill(self)

    monkeypatch.setattr(searchindex._Buckets, "spill", counted)
    work = tmp_path / "work"
    one: dict[str, bytes] = {}
    searchindex.build_full(entries, one.__setitem__, work_dir=work)
    assert one == files
    assert len(spilled) > 10 and not work.exists()  # every batch, and the files removed at the end
    monkeypatch.setattr(searchindex, "POOL_CHARS", 0)  # two processes
    state = tmp_path / "state"
    searchindex.write(entries, tmp_path / "two", state)
    assert tree_digest(tmp_path / "two") == files
    assert tree_digest(state / "tree") == files  # the build cache's copy, written at the same time
    assert not (state / "spill").exists()
    entries[7].raw += " 鹈鹕"
    assert searchindex.write(entries, tmp_path / "two", state).patched == 1
    searchindex.write(entries, tmp_path / "cold")
    assert tree_digest(tmp_path / "two") == tree_digest(tmp_path / "cold")
    assert searchindex.search(tmp_path / "two", "鹈鹕") == [(7, 2)]


def test_a_rebuild_claims_the_index_files_the_kept_site_holds(tmp_path):
    """Issue 18, one-document rebuild: the index files the recycled previous site already holds are claimed in one
    pass (staging.claim_stats), not linked again; only the files the edit changed are in the staging folder, and
    the switched site is the cold build's, byte for byte."""
    from conftest import tree_digest
    from gongkai.build import staging

    entries = corpus(120)
    state = tmp_path / "state"
    final = tmp_path / "site"

    def build() -> tuple[staging.Recycled, Path]:
        stage = staging.new_staging_dir(final)
        stage.mkdir()
        recycled = staging.Recycled(final, stage)
        recycled.register()
        searchindex.write(entries, stage / "search" / "index", state)
        return recycled, stage

    for _ in range(2):  # the first site, then a second one: the first is kept as the previous tree
        recycled, stage = build()
        staging.swap_into_place(stage, final, None, recycled)
    entries[50].raw += " 鹈鹕"
    recycled, stage = build()
    staged = {str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file()}
    assert "search/index/manifest.js" in staged and len(staged) < 20  # what the edit changed
    staging.swap_into_place(stage, final, None, recycled)
    files = {str(p.relative_to(final)) for p in (final / "search" / "index").rglob("*") if p.is_file()}
    assert set(recycled.claimed) == files - staged  # everything else: claimed
    cold = tmp_path / "cold"
    searchindex.write(entries, cold)
    assert tree_digest(final / "search" / "index") == tree_digest(cold)
    assert searchindex.search(final / "search" / "index", "鹈鹕") == [(50, 2)]


def test_the_recorded_stat_of_each_cached_file_is_its_stat_after_every_build(tmp_path):
    """The state keeps each cached index file's device, inode, size and mtime as written (a rebuild compares them
    before it trusts the file): after a cold build, a patch that rewrites some files, and one that adds text
    files, the record is what stat says of the files now; a rebuild told not to trust stat data makes the index
    afresh, the same bytes."""
    import pickle

    from conftest import tree_digest

    entries = corpus(120)
    state = tmp_path / "state"

    def recorded() -> bool:
        with open(state / "state.pickle", "rb") as fh:
            kept = pickle.load(fh)
        tree = state / "tree"
        names = searchindex._tree_names(kept)
        assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*.js")) == sorted(
            f"{part}/{n}" if part else n for part, mine in names for n in mine)
        return kept["stats"] == searchindex._digest(searchindex._record(searchindex._stat_tree(tree, names)))

    assert searchindex.write(entries, tmp_path / "a", state).patched == -1 and recorded()
    entries[50].raw += " 鹈鹕"
    assert searchindex.write(entries, tmp_path / "b", state).patched == 1 and recorded()
    entries[51].raw += "新增的一段说明。" * 3000  # more text files in its group
    assert searchindex.write(entries, tmp_path / "c", state).patched == 1 and recorded()
    assert searchindex.write(entries, tmp_path / "d", state, trust_stat=False).patched == -1 and recorded()
    searchindex.write(entries, tmp_path / "cold")
    assert tree_digest(tmp_path / "c") == tree_digest(tmp_path / "d") == tree_digest(tmp_path / "cold")


def test_the_kept_index_is_trusted_only_when_its_files_are_older_than_the_stamp_taken_before_writing(tmp_path,
                                                                                                     monkeypatch):
    """racy-git's rule for the kept index: its files get a time just before the stamp taken before writing them, so
    any later write gives a time the record does not hold. Where that time could not be set, a file keeps its time
    of writing — not older than the stamp — and the next build must not trust the tree: an in-place edit within the
    same tick of the file system's clock (simulated: same size, the time put back to the time of writing) would go
    unseen by the stat record alone."""
    import os
    import pickle

    from conftest import tree_digest

    entries = corpus(40)
    state = tmp_path / "state"
    assert searchindex.write(entries, tmp_path / "a", state).patched == -1
    stamp = pickle.loads((state / "state.pickle").read_bytes())["stamp"]
    tree = state / "tree"
    assert {os.stat(p).st_mtime_ns for p in tree.rglob("*.js")} == {stamp - 1}
    assert searchindex.write(entries, tmp_path / "b", state).patched == 0  # trusted: nothing to redo

    with monkeypatch.context() as mp:  # a file system where a given time cannot be set (touching still works)
        real = os.utime

        def refuse(*args, **kwargs):
            if "ns" in kwargs:
                raise OSError("utime refused")
            return real(*args, **kwargs)
        mp.setattr(os, "utime", refuse)
        (state / "state.pickle").unlink()  # written afresh there
        assert searchindex.write(entries, tmp_path / "c", state).patched == -1
    shard = next((tree / "s").iterdir())
    st = shard.stat()
    data = shard.read_bytes()
    shard.write_bytes(data[:-1] + (b"0" if data[-1:] != b"0" else b"1"))  # in place, same size …
    os.utime(shard, ns=(st.st_atime_ns, st.st_mtime_ns))  # … and the time it was written with
    assert searchindex.write(entries, tmp_path / "d", state).patched == -1  # not trusted: made afresh
    searchindex.write(entries, tmp_path / "cold")
    assert tree_digest(tmp_path / "d") == tree_digest(tmp_path / "cold")
