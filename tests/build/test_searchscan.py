"""gongkai.build.searchscan: the numpy scan of a cold build gives exactly what the plain-Python scan of a rebuild
gives, on the example's real documents and on text with every kind of character; and both give the tokens of the
text, each in the portion where it first occurs."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from gongkai.build import search, searchindex, searchscan

REPO = Path(__file__).resolve().parents[2]
# full-width digits and letters, a circled number, characters NFKC writes as two or more (㎡, ㈠, ⑴, ℃), a
# combining accent, a character outside the BMP (𝐀: NFKC "A"), numbers of 3 to 13 digits, Latin words
ODD = ["示民规〔２０２４〕3号", "ＰＤＦ格式", "第①条", "面积120㎡", "㈠基本情况", "⑴申请", "气温-5℃以下", "cafe\u0301菜单",
       "𝐀级单位", "编号123", "编号1234", "编号123456789012", "编号1234567890123", "Hello World", "Ⅻ号", "ﬁle"]


def real_texts() -> list[str]:
    """The example's documents: real texts, transcribed with their sources (content/documents/)."""
    out = []
    for p in sorted((REPO / "content" / "documents").rglob("*.md")):
        body = p.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        if body.strip():
            out.append(search.plain_text(body))
    assert len(out) >= 10
    return out


def items() -> list[searchscan.Item]:
    rng = random.Random(3)
    texts = real_texts()
    out = []
    for i, text in enumerate(texts):
        odd = rng.sample(ODD, 3)
        if i % 3 == 0:  # an odd character somewhere in the text
            at = rng.randrange(len(text))
            text = text[:at] + odd[0] + text[at:]
        # small portions too: pairs and numbers across cuts
        cuts = searchindex.portions(text)[0] if i % 2 else [(a, min(a + 37, len(text))) for a in range(0, len(text), 37)]
        out.append(searchscan.Item(text, cuts, odd[1] if i % 4 == 0 else f"关于第{i}批{texts[i][:12]}的通知",
                                   odd[2] + " 示例市民政局" if i % 5 == 0 else "示民发〔2025〕12号\n示例市民政局",
                                   ("=w示民发202512号",) if i % 2 else ()))
    for s in ODD:  # each odd text alone
        out.append(searchscan.Item(s * 3, [(0, len(s)), (len(s), 3 * len(s))], s, s))
    out.append(searchscan.Item("", [], "只有标题", "", ("=i1",)))
    return out


def test_numpy_scan_gives_what_the_plain_python_scan_gives():
    batch = items()
    codes, recs, vals, longs = searchscan.scan_many(batch, 100)
    assert list(recs) == sorted(recs)
    for i, item in enumerate(batch):
        one = searchscan.scan(item)
        mine = recs == 100 + i
        assert codes[mine].tolist() == one.codes, i
        assert vals[mine].tolist() == one.vals, i
        assert longs[i] == one.longs, i


def test_scan_finds_the_tokens_of_the_text_in_the_portion_of_their_first_occurrence():
    for item in items():
        if any(ord(c) > 0xFFFF or searchscan.char_map()[1][ord(c)] for c in item.text + item.title + item.fields):
            continue  # characters normalised with their neighbours: tokens of each portion (checked above)
        s = searchscan.scan(item)
        got = {searchindex.code_pair(c): v for c, v in zip(s.codes, s.vals, strict=True)} | s.longs
        text_toks = searchindex.tokens(item.text)
        assert set(got) == text_toks | searchindex.tokens(item.fields) | searchindex.tokens(item.title) | set(item.keys)
        norm = item.text.translate(searchscan.char_map()[0])  # one character for one: positions are the text's
        assert len(norm) == len(item.text) and norm.split() == searchindex.normalise(item.text).split()
        title = searchindex.tokens(item.title) | set(item.keys)
        for tok, v in got.items():
            assert bool(v & 256) == (tok in title), tok
            if tok not in text_toks:
                assert v & 255 == 0
                continue
            if tok.startswith("#"):  # the first whole number, not the digits inside a longer one
                at = next(m.start() for m in searchindex._NUMBER.finditer(norm) if m[0] == tok[1:])
            else:
                at = norm.find(tok)
            k = next(k for k, (a, b) in enumerate(item.cuts) if a <= at < b)
            assert v & 255 == k, (tok, at, item.cuts[:3])


def test_shards_of_pair_tokens_are_crc32_as_the_page_computes_them():
    import numpy as np

    rng = random.Random(5)
    toks = ["低保", "ab", "2a", "é低", "\uffee\u4e00"] + [chr(rng.randrange(0x30, 0xFFFF)) + chr(rng.randrange(0x30, 0xFFFF))
                                                      for _ in range(2000)]
    toks = [t for t in toks if not any(0xD800 <= ord(c) < 0xE000 for c in t)]
    codes = np.array([ord(t[0]) | ord(t[1]) << 16 for t in toks], dtype=np.uint32)
    assert searchindex._crc32_pairs(codes).tolist() == [zlib.crc32(t.encode("utf-8")) for t in toks]


def test_a_batch_of_only_odd_or_empty_records():
    batch = [searchscan.Item("面积120㎡", [(0, 6)], "㈠", ""), searchscan.Item("", [], "", "", ("=y2024",)),
             searchscan.Item("", [], "", "")]
    codes, recs, vals, longs = searchscan.scan_many(batch, 7)
    for i, item in enumerate(batch):
        one = searchscan.scan(item)
        assert codes[recs == 7 + i].tolist() == one.codes and vals[recs == 7 + i].tolist() == one.vals
        assert longs[i] == one.longs
    assert "#120" not in longs[0]  # 3 digits: no number token
    assert longs[1] == {"=y2024": 256} and longs[2] == {}


def test_numbers_repeated_with_leading_zeros_in_the_title_and_the_fields():
    """The numpy scan makes each number one integer (its value and length) and each record's numbers unique
    before making strings: the same number in many rows, numbers that differ only by leading zeros, the largest
    12-digit one, a number only in the title, only in the fields, and in the text and the title, across cuts."""
    rows = "".join(f"| {i} | 2024-0{i % 9 + 1}-15 | 000{i}12 | 999999999999 | 0000 |\n" for i in range(40))
    text = search.plain_text("说明 2025年 编号0012与012与00012。\n\n| 序号 | 日期 | 编号 | 金额 | 零 |\n|---|---|---|---|---|\n" + rows)
    cuts = [(a, min(a + 53, len(text))) for a in range(0, len(text), 53)]
    batch = [searchscan.Item("", [], "", ""),
             searchscan.Item(text, cuts, "2024年度报告 00012", "示民发〔2025〕7号 2031", ("=w示民发20257号", "=y2025")),
             searchscan.Item("第2024号", [(0, 6)], "第2024号", "2024"),
             searchscan.Item(text[:200], [(0, 100), (100, 200)], "", "", ("=i001",))]
    codes, recs, vals, longs = searchscan.scan_many(batch, 30)
    for i, item in enumerate(batch):
        one = searchscan.scan(item)
        assert codes[recs == 30 + i].tolist() == one.codes and vals[recs == 30 + i].tolist() == one.vals
        assert longs[i] == one.longs and list(longs[i]) == list(one.longs), i
    assert longs[1]["#00012"] == 256 | 0 and longs[1]["#0012"] == 0 and "#012" not in longs[1]
    assert longs[1]["#999999999999"] > 0 and longs[1]["#2031"] == 0 and longs[1]["=y2025"] == 256
    assert longs[2] == {"#2024": 256}


def test_the_written_out_character_tables_are_up_to_date():
    """searchchars.bin holds the numpy scan's tables (making them costs each process of a cold build ~0.3 s): they
    must be what this Python's Unicode data gives, and a missing or foreign file falls back to making them."""
    import numpy as np

    assert searchscan.CHARS_FILE.read_bytes() == searchscan.char_tables_bytes()
    searchscan._tables.cache_clear()
    table, flags = searchscan._tables()
    mapped, made_flags = searchscan.char_map()
    assert table.tolist() == [ord(m) if len(m) == 1 else 32 for m in mapped]
    assert flags.tolist() == list(made_flags)
    assert table[ord("Ａ")] == ord("a") and table[ord("，")] == 32 and table[ord("㎡")] == 32 and flags[ord("㎡")] == 1
    searchscan._tables.cache_clear()
    real = searchscan.CHARS_FILE
    try:
        searchscan.CHARS_FILE = Path("/nonexistent/searchchars.bin")
        again = searchscan._tables()
        assert np.array_equal(again[0], table) and np.array_equal(again[1], flags)
    finally:
        searchscan.CHARS_FILE = real
        searchscan._tables.cache_clear()


def test_the_plain_scan_reads_each_character_from_the_written_out_tables_as_char_makes_it():
    """A rebuild's plain-Python scan takes each character's mapping and flag from searchchars.bin (making _char's
    table of compositions cost it 0.1 s): for every BMP character what _char gives, and without the file _char."""
    tables = searchscan._file_tables()
    assert tables is not None
    mapped, flags = searchscan.char_map()
    assert [searchscan._from_file(tables, cp) for cp in range(65536)] == list(zip(mapped, flags, strict=True))
    assert searchscan._from_file(tables, ord("㈠")) == (" 一 ", 1) and searchscan._from_file(tables, 0x301) == (" ", 2)
    searchscan._file_tables.cache_clear()
    real = searchscan.CHARS_FILE
    try:
        searchscan.CHARS_FILE = Path("/nonexistent/searchchars.bin")
        assert searchscan._file_tables() is None
        fresh = searchscan._Lazy(0)
        assert fresh[ord("Ａ")] == "a" and fresh[ord("㈠")] == " 一 "
    finally:
        searchscan.CHARS_FILE = real
        searchscan._file_tables.cache_clear()


def test_the_pair_codes_read_two_units_at_a_time_are_each_position_s_pair():
    """scan_many reads the pairs' codes as 32-bit units from the even and the odd positions: for every length (odd,
    even, the shortest) and an array not at its buffer's start, u[i] + u[i+1] << 16 at every position."""
    import numpy as np

    for n in range(2, 12):
        u = (np.arange(1, n + 1, dtype=np.uint32) * 7919 % 65536).astype(np.uint16)
        want = (u[:-1].astype(np.uint32) | u[1:].astype(np.uint32) << 16).tolist()
        assert searchscan._pair_codes_at(u).tolist() == want
        inner = np.concatenate((np.zeros(1, np.uint16), u))[1:]
        assert searchscan._pair_codes_at(inner).tolist() == want
