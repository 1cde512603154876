"""gongkai.build.searchindex in process: tokens, the posting codec and edits of postings.

The index in a built site and in Chromium (queries, rebuilds, 10,000 documents) is tests/browser/test_search.py.
"""

from __future__ import annotations

import random

from gongkai.build import searchindex


def test_tokens_and_postings_roundtrip():
    assert searchindex.tokens("年度报告") == {"年度", "度报", "报告"}
    # NFKC and lower case; punctuation separates; digits and letters pair like characters; numbers of 4 to 12
    # digits are also one token each
    assert searchindex.tokens("示民规〔２０２４〕3号，ＰＤＦ") == {"示民", "民规", "20", "02", "24", "#2024", "3号", "pd", "df"}
    # a query looks numbers up whole: 2024 is not "20" + "02" + "24" anywhere
    assert searchindex.query_tokens("示民规〔2024〕3号") == ["#2024", "3号", "民规", "示民"]
    assert searchindex.query_tokens("024") == ["02", "24"]
    assert searchindex.tokens("报") == set() and searchindex.tokens("，。") == set()
    codec = searchindex.Codec(20000)
    values = [0, 1, 2, 5, 31, 32, 33, 1023, 1024, 1025, 39999]
    text = codec.encode(values)
    assert codec.decode(text) == values
    assert '"' not in text and "\\" not in text
    assert codec.encode([1, 3]) == "12" and codec.encode([40]) == "B8"  # 40 = 1*32 + 8
    # postings: sparse as delta codes, frequent (more than a sixth of the records) as a bitmap
    small = searchindex.Codec(48)
    assert small.posting([0, 3, 9]) == "036"  # records 0, 1 (in its title), 4
    dense = [n * 2 + (n % 5 == 0) for n in range(0, 48, 3)]  # 16 of 48 records, 0/15/30/45 in the title
    assert small.posting(dense).startswith("#kkkkkkkk,")  # 100100… = 0x92 0x49 0x24 -> "kkkk" per 24 bits
    assert small.values(small.posting(dense)) == dense
    assert small.edit(small.posting(dense), {3: None, 4: 9}) == small.posting(sorted({*dense, 9} - {6}))
    assert small.edit(small.posting([0, 3, 9]), {1: None, 4: None, 0: None}) == ""
    # random postings of every density, and random edits of them: the same string as writing the result afresh
    rng = random.Random(7)
    for n in (5, 48, 1000, 10_001):
        c = searchindex.Codec(n)
        for _ in range(100):
            values = [r * 2 + (rng.random() < 0.3) for r in sorted(rng.sample(range(n), rng.randint(1, n)))]
            posting = c.posting(values)
            assert c.values(posting) == values
            edits = {i: rng.choice([None, i * 2, i * 2 + 1]) for i in rng.sample(range(n), min(n, 3))}
            after = {v >> 1: v for v in values} | {i: v for i, v in edits.items()}
            expected = sorted(v for v in after.values() if v is not None)
            assert c.edit(posting, edits) == (c.posting(expected) if expected else "")


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
