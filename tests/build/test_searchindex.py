"""gongkai.build.searchindex in process: tokens, the posting codec and edits of postings.

The index in a built site and in Chromium (queries, rebuilds, 10,000 documents) is tests/browser/test_search.py.
"""

from __future__ import annotations

import random

from gongkai.build import searchindex


def test_tokens_and_postings_roundtrip():
    assert searchindex.tokens("年度报告") == {"年度", "度报", "报告"}
    # NFKC and lower case; punctuation separates; digits and letters pair like characters
    assert searchindex.tokens("示民规〔２０２４〕3号，ＰＤＦ") == {"示民", "民规", "20", "02", "24", "3号", "pd", "df"}
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
