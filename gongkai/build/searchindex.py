"""gongkai's own full-text index: static, sharded character bigrams that the search page reads. No MkDocs.

Text is normalised (NFKC, lower case) and split into runs of CJK characters, ASCII letters and digits; every
overlapping pair of characters in a run is a token, so 报告 is found inside 年度报告. A number of 4 to 12 digits is
also one token ("#2024"), and a query looks such a number up whole: 2024 is not "20" in one place and "24" in
another (the 索引号 11330100002489999F/… holds "24" in every document). A query matches the records holding all
of its tokens — for each of its words, those of one of the word's variants: the synonyms the manifest lists.

A record may also carry exact keys: its 文号 and 索引号 written without brackets or spaces, and the year and
serial number of its 文号 (docno_keys, indexno_keys). A key is one token that starts with "="; a query computes
the keys it could be (query_keys), and records having one of them come first. Bigrams cannot tell
示民规〔2024〕3号 from 示民规〔2025〕3号 when the other numbers are in every document.

Files under site/search/index/, all JavaScript that calls a global callback, so the search page loads them with
<script src> and works from file:// as well as over http(s):

- manifest.js  gkSearchManifest({...}): record count, shard count, chunk size, the code alphabets, a version,
               the synonyms;
- s/{k}.js     gkSearchShard(k, {token: postings}): the tokens with crc32(utf-8) % shards == k;
- m/{g}.js     gkSearchMeta(g, [meta, ...]): what a result shows (title, 文号, date, validity) for the records of
               group g (g*CHUNK .. g*CHUNK+CHUNK-1), and where each record's text starts ("j", below);
- x/{g}-{j}.js gkSearchText("g-j", [[record, text], ...]): the j-th piece of the text of group g.

The text of a result, for its excerpt: each record's text is cut into portions of at most TEXT_BYTES (at a
sentence end where there is one), by its own text alone (portions()); a group's portions go into files one after
the other, a record's first portion sharing the file before when it fits. A record's text starts in file j0 (its
meta "j"): its k-th portion is in file j0+k, stored with OVERLAP characters of the text on either side. Each
posting says, per record, in which portion the token first occurs in the text (k, 0 when not said), so for a hit
deep in a long report the page loads the one file that holds it, and marks the words in the passage around it.

Postings: per record, the value n*2+t (t: the token is in the title; a key counts as title), ascending,
delta-encoded, each delta written in base 32 most significant digit first: leading digits from CONT, the last from
FINAL; then, when the record's first occurrence is in portion k > 0, a PIECE mark (one character for k < 24, else
PIECE[-1] and k in CONT/FINAL digits). A token in more than a sixth of the records is a bitmap, its titles and
portions in blocks of 256 records (Codec.posting). A query downloads the manifest, one shard per token, the
metadata groups of the results it shows and one text file per result: about 100 KB at 10,000 documents (the
bench's estimate for a first query of five pairs), about 140 KB at 100,000.

A cold build tokenises with numpy (searchscan.scan_many), keeps the tokens in buckets of shards (on disk past
a budget: memory does not grow with the site) and encodes each bucket's postings at once (_pair_shards); on two
cores a forked copy of the process scans half of the text, then makes half of the buckets. Each file is written
into the build cache's copy and hard-linked into the site as it is made. A rebuild re-reads only the records whose text changed (searchscan.scan, plain Python), compares their tokens with
those the build cache kept for them, and edits only the postings whose entry changed, in the shards that hold
them; it rewrites the text files of their groups and the metadata files that differ. Its cost follows the edit,
not the site; the result is byte-identical to a cold build. When the caller knows which entries are the very ones
the kept index was made from (write's `follows` and `same`: gongkai/build/search.py reuses unchanged documents'
records by Catalogue.changes), those are not compared and their metadata files not made again either. The cached
copy is used only while each of its files has the device, inode, size and mtime recorded when it was written (its
files are hard-linked into the site: one edited there in place is edited in the cache too).
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import os
import pickle
import re
import shutil
import sys
import time
import unicodedata
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, chain, repeat
from operator import add, and_, attrgetter, rshift, sub
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai import statcheck
from gongkai.build import staging
from gongkai.build.cache import date_before, place, write_atomic
from gongkai.build.searchscan import Item, Scanned, scan, scan_many

if TYPE_CHECKING:
    from gongkai.build.manifest import KeptFolder

FORMAT = 6
CHUNK = 8  # records per metadata file (about 2 KB): the 10 results a page shows fetch at most 10 of them
TEXT_BYTES = 10000  # a text file's size at most (about): the 10 results a page shows fetch at most 10 of them
# (10,000, not 6,000: 14,300 text files at 10,000 documents instead of 23,100 — every file costs each rebuild a
# stat and a manifest line —, for about 28 KB more per query: ~105 KB at 10,000 documents, ~136 KB at 100,000)
OVERLAP = 40  # characters of the text before and after a portion, stored with it (context for a hit at its edge)
FINAL = "0123456789abcdefghijklmnopqrstuv"
CONT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_$!*~."
PIECE = "wxyz%&'()+-/:;<=>?@[]^`{|}"  # portion marks 1..25; the last one: a larger portion number follows
SEPARATORS = re.compile(r"[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ONE = re.compile("1")
_ENTRY = re.compile("([" + re.escape(CONT) + "]*[" + FINAL + "])(?:([" + re.escape(PIECE[:-1]) + "])|" + re.escape(PIECE[-1])
                    + "([" + re.escape(CONT) + "]*[" + FINAL + "]))?")
# With more changed records than this a rebuild starts from scratch (patching shard by shard costs more).
MAX_PATCHED = 200
BLOCK_BITS = 8  # a bitmap posting's titles and portions come in blocks of 256 records (Codec)
# a portion ends at a sentence's or clause's end where one is near its size
_BREAKS = "。；！？\n;!?，, "


@dataclass
class Entry:
    """One searchable page: its title (matches there rank first), the rest of its text, and what a result shows."""

    title: str
    # the rest of its text as written (a rebuild compares it to find changed records), or a function giving it,
    # called only when the text is needed (a reused document's body is read from its file: load/doccache.py)
    raw: str | Callable[[], str]
    meta: dict[str, str]
    prepare: Callable[[str], str] | None = None  # raw -> the text searched (e.g. Markdown -> plain text)
    keys: tuple[str, ...] = ()  # exact keys ("=..."): docno_keys, indexno_keys
    fields: str = ""  # more text to search but not to show in an excerpt (文号, 索引号, 发布机构)
    summary: str = ""  # the excerpt, when the page has one of its own (a 主题服务包's summary); else the text's start
    digest: str = ""  # stands for raw in a rebuild's comparison when it decides raw (e.g. its source's SHA-256)
    size: int = -1  # len(raw) when known without reading it (a document's body: its length is kept with it)

    @property
    def url(self) -> str:
        """Where the page is (meta "u"): what identifies a record from one build to the next."""
        return self.meta["u"]

    @property
    def raw_text(self) -> str:
        """raw, read now if it was given as a function: read each time, not kept (a cold build's records would
        hold every document's body at once; each is asked for once or twice)."""
        return self.raw if isinstance(self.raw, str) else self.raw()

    @property
    def length(self) -> int:
        """len(raw_text), without reading the text when the size is known."""
        return self.size if self.size >= 0 else len(self.raw_text)

    @property
    def text(self) -> str:
        return self.prepare(self.raw_text) if self.prepare else self.raw_text


@dataclass
class IndexStats:
    records: int
    seconds: float
    files: int
    bytes: int
    patched: int = -1  # records re-tokenised by an incremental rebuild; -1: built from scratch
    tree: Tree | None = None  # what the build cache's copy of the index is now (None: none trusted later)
    lines: KeptFolder | None = None  # the manifest's lines of its files (gongkai/build/search.py)


@dataclass
class Tree:
    """The build cache's copy of the index as `write` left it, for what is kept beside it (the manifest's lines of
    its files, gongkai/build/search.py): `after` names it (the digest of every file's device, inode, size and time,
    which a later write checks before it trusts the copy); `before`, the copy it was patched from (None: made
    afresh), and `changes` the files written anew since then (path under the index folder -> (size, SHA-256)) or
    removed (None). `placed`: the files put into the site's folder (path -> statcheck.signature without ctime); the
    others were claimed from the recycled tree (staging.claim_stats)."""

    folder: Path
    names: Names
    after: bytes
    before: bytes | None
    changes: dict[str, tuple[int, str] | None]
    placed: dict[str, statcheck.Signature]
    # (size, SHA-256) of every file, taken from the bytes as a cold build wrote them (build_full's `hashes`): files()
    # then reads nothing (151 MB in 17,600 files at 10,000 documents, hashed after the index was made, in one
    # process). None: not known, read them.
    hashes: dict[str, tuple[int, str]] | None = None

    def files(self) -> dict[str, tuple[int, str]]:
        """(size, SHA-256) of every file of the copy: as written (hashes), else read (after a cold build, or when
        nothing was kept of it)."""
        if self.hashes is not None:
            return self.hashes
        from gongkai.build.manifest import hash_file  # (the manifest imports nothing of the index)

        out: dict[str, tuple[int, str]] = {}
        for part, mine in self.names:
            for name in mine:
                rel = f"{part}/{name}" if part else name
                out[rel] = hash_file(self.folder / rel)
        return out


def _keep_class() -> str:
    """A regex class of the characters normalise() cannot simply blank: those that are (or, lowered or under NFKC,
    become) letters, digits or CJK characters, and combining marks (NFKC may join them to the one before)."""
    allowed = re.compile(SEPARATORS.pattern[:1] + SEPARATORS.pattern[2:-1])  # the class itself, not its complement
    keep: list[int] = []
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        low = c.lower()
        nfkc = unicodedata.normalize("NFKC", c)
        if (all(allowed.fullmatch(x) for x in low) or unicodedata.combining(c)
                or (nfkc != c and any(allowed.fullmatch(x) for x in nfkc.lower()))):
            keep.append(cp)
    ranges: list[list[int]] = []
    for cp in keep:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# Everything else is blanked in one pass; what is left is mostly in NFKC form already, which unicodedata checks ten
# times faster than it normalises (full-width digits and letters, ①, ㈠ … take the slow way).
# _keep_class() for the Unicode version of Python 3.11 (tests/build/test_searchindex.py checks it is up to date)
_KEEP = (
    "0-9A-Za-z\xaa\xb2-\xb3\xb9-\xba\xbc-\xbe\u0132-\u0133\u013f-\u0140\u0149\u017f\u01c4-\u01cc\u01f1-\u01f3"
    "\u02b0\u02b2-\u02b3\u02b7-\u02b8\u02e1-\u02e3\u0300-\u034e\u0350-\u036f\u0483-\u0487\u0591-\u05bd\u05bf"
    "\u05c1-\u05c2\u05c4-\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8"
    "\u06ea-\u06ed\u0711\u0730-\u074a\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d"
    "\u0859-\u085b\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff\u093c\u094d\u0951-\u0954\u09bc\u09cd\u09fe\u0a3c"
    "\u0a4d\u0abc\u0acd\u0b3c\u0b4d\u0bcd\u0c3c\u0c4d\u0c55-\u0c56\u0cbc\u0ccd\u0d3b-\u0d3c\u0d4d\u0dca\u0e38"
    "-\u0e3a\u0e48-\u0e4b\u0eb8-\u0eba\u0ec8-\u0ecb\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f71-\u0f72\u0f74\u0f7a-"
    "\u0f7d\u0f80\u0f82-\u0f84\u0f86-\u0f87\u0fc6\u1037\u1039-\u103a\u108d\u135d-\u135f\u1714-\u1715\u1734"
    "\u17d2\u17dd\u18a9\u1939-\u193b\u1a17-\u1a18\u1a60\u1a75-\u1a7c\u1a7f\u1ab0-\u1abd\u1abf-\u1ace\u1b34"
    "\u1b44\u1b6b-\u1b73\u1baa-\u1bab\u1be6\u1bf2-\u1bf3\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce0\u1ce2-\u1ce8\u1ced"
    "\u1cf4\u1cf8-\u1cf9\u1d2c\u1d2e\u1d30-\u1d31\u1d33-\u1d3a\u1d3c\u1d3e-\u1d43\u1d47-\u1d49\u1d4d\u1d4f-"
    "\u1d50\u1d52\u1d56-\u1d58\u1d5b\u1d62-\u1d65\u1d9c\u1da0\u1dbb\u1dc0-\u1dff\u1e9a\u2070-\u2071\u2074-"
    "\u2079\u207f-\u2089\u2090-\u2093\u2095-\u209c\u20a8\u20d0-\u20dc\u20e1\u20e5-\u20f0\u2100-\u2103\u2105-"
    "\u2106\u2109-\u210e\u2110-\u2113\u2115-\u2116\u2119-\u211d\u2120-\u2122\u2124\u2128\u212a\u212c-\u212d"
    "\u212f-\u2131\u2133-\u2134\u2139\u213b\u2145-\u2149\u2150-\u217f\u2189\u2460-\u24ea\u2c7c-\u2c7d\u2cef-"
    "\u2cf1\u2d7f\u2de0-\u2dff\u2e9f\u2ef3\u2f00-\u2fd5\u3007\u302a-\u302f\u3038-\u303a\u3099-\u309a\u3192-"
    "\u319f\u3220-\u3247\u3250-\u325f\u3280-\u32cf\u32ff\u3358-\u4dbf\u4e00-\u9fff\ua66f\ua674-\ua67d\ua69e-"
    "\ua69f\ua6f0-\ua6f1\ua7f2-\ua7f4\ua806\ua82c\ua8c4\ua8e0-\ua8f1\ua92b-\ua92d\ua953\ua9b3\ua9c0\uaab0"
    "\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf\uaac1\uaaf6\uabed\uf900-\ufb06\ufb1e\ufe20-\ufe2f\uff10-\uff19"
    "\uff21-\uff3a\uff41-\uff5a"
)
_DROP = re.compile("[^" + (_KEEP or _keep_class()) + "]+")


def normalise(text: str) -> str:
    """NFKC, lower case, every run of characters that are not letters, digits or CJK characters one space."""
    text = _DROP.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        return SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text).lower())
    return text.lower()


_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"(?<![0-9])[0-9]{4,12}(?![0-9])")


def code_pair(code: int) -> str:
    return chr(code & 0xFFFF) + chr(code >> 16)


def pairs(s: str) -> set[str]:
    """Every pair of neighbouring characters within a run of normalised text (separators are spaces: not alnum)."""
    return set(filter(str.isalnum, set(map(add, s, s[1:]))))


def numbers(s: str) -> set[str]:
    """Every number of 4 to 12 digits in normalised text, as a token ("#2024")."""
    return {"#" + d for d in _NUMBER.findall(s)}


def tokens(text: str) -> set[str]:
    """Every pair of neighbouring characters within a run, and every number of 4 to 12 digits whole."""
    s = normalise(text)
    return pairs(s) | numbers(s)


def query_tokens(text: str) -> list[str]:
    """What a query word must find: its numbers of 4 to 12 digits whole, and its other pairs of characters.
    Sorted. assets/gongkai/search.js has the same function."""
    s = normalise(text)
    whole = [(m.start(), m.end()) for m in _NUMBER.finditer(s)]
    out = {"#" + s[a:b] for a, b in whole}
    for i in range(len(s) - 1):
        pair = s[i:i + 2]
        if pair.isalnum() and not any(a <= i and i + 2 <= b for a, b in whole):
            out.add(pair)
    return sorted(out)


# --- exact keys: 文号 and 索引号 -------------------------------------------------------------------------
# 文号 (GB/T 9704-2012 §7.2.4): 发文机关代字 + 年份 in 〔〕 + 发文顺序号 + 号, e.g. 示民规〔2024〕3号. Citizens write
# the brackets as [], (), 【】 or leave them out, or type only part of it ("2024〕3"); written without anything
# but letters and digits all of these agree. assets/gongkai/search.js computes the same keys from a query.
_NOT_ALNUM = re.compile(r"[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_DOCNO = re.compile(r"^(.*?)((?:19|20)\d\d)(\d{1,4})号?$")


def compact(text: str) -> str:
    """NFKC, lower case, only letters, digits and CJK characters: 示民规[2024] 3号 -> 示民规20243号."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def docno_keys(doc_number: str) -> tuple[str, ...]:
    """A 文号's keys: all of it (=w), its year and serial (=n2024-3), its year (=y2024)."""
    c = compact(doc_number)
    m = _DOCNO.match(c)
    if not c:
        return ()
    if not m:
        return (f"=w{c}",)
    return (f"=w{c}", f"=n{m[2]}-{int(m[3])}", f"=y{m[2]}")


def indexno_keys(index_no: str) -> tuple[str, ...]:
    """A 索引号's keys: all of it, and the part after the organisation code (机构代码/年份-序号)."""
    c = compact(index_no)
    if not c:
        return ()
    tail = compact(index_no.rsplit("/", 1)[1]) if "/" in index_no else ""
    return (f"=i{c}", f"=i{tail}") if tail and tail != c else (f"=i{c}",)


def query_keys(query: str) -> list[str]:
    """The keys a query may be, best first: a whole 文号 or 索引号, a 文号's year and serial, a 文号's year.

    A year and serial count when the query writes the year next to a bracket or space (2024〕3, [2024]3号,
    示民规 2024 3号) or ends in 号; a year alone when it is bracketed (2024〕, 〔2024〕)."""
    c = compact(query)
    if not c or not any(ch.isdigit() for ch in c):
        return []
    keys = [f"=w{c}", f"=i{c}"] if len(c) >= 6 else []  # the shortest 文号 is like X20241号
    q = unicodedata.normalize("NFKC", query).lower().strip()
    m = re.search(r"((?:19|20)\d\d)[^0-9a-z\u3400-\u9fff]+(\d{1,4})(?:号|$)", q) or re.search(r"((?:19|20)\d\d)(\d{1,4})号$", q)
    if m:
        return [*keys, f"=n{m[1]}-{int(m[2])}"]
    y = re.search(r"[\[(〔【]\s*((?:19|20)\d\d)|((?:19|20)\d\d)\s*[\])〕】]", q)
    if y:
        keys.append(f"=y{y[1] or y[2]}")
    return keys


def shard_of(token: str, shards: int) -> int:
    return zlib.crc32(token.encode("utf-8")) % shards


def shard_count(records: int) -> int:
    """A power of two near records/5 (2048 at 10,000 records: shards of about 10–20 KB), from 16 to 4096."""
    s = 16
    while s < 4096 and s * 5 < records:
        s *= 2
    return s


def _code(v: int) -> str:
    out = FINAL[v % 32]
    v //= 32
    while v:
        out = CONT[v % 32] + out
        v //= 32
    return out


def _mark(k: int) -> str:
    return "" if k <= 0 else PIECE[k - 1] if k < len(PIECE) else PIECE[-1] + _code(k - len(PIECE))


MAX_PIECE = 255  # a token's portion is kept in 8 bits: past the 255th portion (texts over ~500,000 characters) it says 255


def pack(n: int, in_title: bool, k: int) -> int:
    """A posting entry as one int: (n*2+t) << 8 | k, so that entries sort by record."""
    return (n * 2 + in_title) << 8 | min(k, MAX_PIECE)


class Codec:
    """Postings of `records` records: lists of packed entries (pack()) ascending — the record n, whether the token
    is in its title, the portion k of its text where the token first occurs (0: the first, or not in the text)."""

    def __init__(self, records: int):
        self.n = records
        self.bits = max(24, (records + 23) // 24 * 24)
        # codes made as they are first needed: a rebuild edits a few postings, and making all 2n of them cost it
        # more than its edits
        self.enc = _Codes(2 * records + 2)
        self.dec = _Values(2 * records + 2)
        self.marks = [_mark(k) for k in range(MAX_PIECE + 1)]

    def encode(self, entries, base: int = 0) -> str:
        """Packed entries ascending -> delta codes of n*2+t (the first from `base`), each followed by its portion
        mark (all in C: map)."""
        values = list(map(rshift, entries, repeat(8)))
        deltas = map(self.enc.__getitem__, map(sub, values, chain((base,), values)))
        return "".join(map(add, deltas, map(self.marks.__getitem__, map(and_, entries, repeat(255)))))

    def decode(self, codes: str, base: int = 0) -> list[int]:
        out, acc, dec = [], base, self.dec
        for m in _ENTRY.finditer(codes):
            acc += dec[m[1]]
            k = PIECE.index(m[2]) + 1 if m[2] else (len(PIECE) + _decode_one(m[3]) if m[3] else 0)
            out.append(acc << 8 | k)
        return out

    # A token in more than a sixth of the records is written as a bitmap instead (shorter, and a rebuild flips
    # one bit): "#" + base64 of one bit per record (most significant first, padded to whole base64 groups), then
    # for each BLOCK records in turn "," + the delta codes, with marks, of those records that have the token in
    # their title or a portion other than 0 (deltas from the block's first record: a rebuild re-encodes only the
    # blocks of the records it changed); trailing empty blocks are left out.

    def posting(self, entries) -> str:
        """Packed entries ascending -> the posting string."""
        if len(entries) * 6 <= self.n:
            return self.encode(entries)
        bits = bytearray(b"0") * self.bits
        deque(map(bits.__setitem__, map(rshift, entries, repeat(9)), repeat(49)), maxlen=0)
        blocks: defaultdict[int, list[int]] = defaultdict(list)
        for e in entries:
            if e & 511:
                blocks[e >> 9 >> BLOCK_BITS].append(e)
        return self._dense(base64.b64encode(int(bits, 2).to_bytes(self.bits // 8, "big")).decode("ascii"),
                           [self.encode(blocks.get(b, []), b << BLOCK_BITS << 1) for b in range(max(blocks, default=-1) + 1)])

    @staticmethod
    def _dense(bitmap: str, blocks: list[str]) -> str:
        while blocks and not blocks[-1]:
            blocks.pop()
        return "#" + ",".join([bitmap, *blocks])

    def values(self, posting: str) -> list[int]:
        """The posting string -> packed entries ascending."""
        if not posting.startswith("#"):
            return self.decode(posting)
        bitmap, *blocks = posting[1:].split(",")
        extra = {e >> 9: e & 511 for b, codes in enumerate(blocks) for e in self.decode(codes, b << BLOCK_BITS << 1)}
        ones = format(int.from_bytes(base64.b64decode(bitmap), "big"), f"0{self.bits}b")
        return [n << 9 | extra.get(n, 0) for n in (m.start() for m in _ONE.finditer(ones))]

    def edit(self, posting: str, edits: dict[int, int | None]) -> str:
        """The posting with record i's entry replaced by edits[i] (packed; None: record i does not have the token).
        A bitmap posting costs only the blocks of the records edited."""
        if posting.startswith("#"):
            bitmap, *blocks = posting[1:].split(",")
            bits = int.from_bytes(base64.b64decode(bitmap), "big")
            for i, e in edits.items():
                mask = 1 << (self.bits - 1 - i)
                bits = bits | mask if e is not None else bits & ~mask
            if bits.bit_count() * 6 <= self.n:
                return self._edit_list(self.values(posting), edits)
            for b in sorted({i >> BLOCK_BITS for i in edits}):
                while len(blocks) <= b:
                    blocks.append("")
                base = b << BLOCK_BITS << 1
                mine = {e >> 9: e for e in self.decode(blocks[b], base)}
                for i, e in edits.items():
                    if i >> BLOCK_BITS == b:
                        mine.pop(i, None)
                        if e is not None and e & 511:
                            mine[i] = e
                blocks[b] = self.encode([mine[i] for i in sorted(mine)], base)
            return self._dense(base64.b64encode(bits.to_bytes(self.bits // 8, "big")).decode("ascii"), blocks)
        return self._edit_list(self.decode(posting), edits)

    def _edit_list(self, entries: list[int], edits: dict[int, int | None]) -> str:
        for i, e in edits.items():
            pos = bisect.bisect_left(entries, i << 9)
            if pos < len(entries) and entries[pos] >> 9 == i:
                del entries[pos]
            if e is not None:
                entries.insert(pos, e)
        return self.posting(entries) if entries else ""


class _Codes(dict):
    """value -> _code(value), for values below `limit` (a larger one is a KeyError, as a list of them would give)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __missing__(self, v: int) -> str:
        if not 0 <= v < self.limit:
            raise KeyError(v)
        code = self[v] = _code(v)
        return code


class _Values(dict):
    """code -> its value (_decode_one), for values below `limit` (else a KeyError: not a code of this index)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __missing__(self, code: str) -> int:
        v = _decode_one(code)
        if not 0 <= v < self.limit or _code(v) != code:
            raise KeyError(code)
        self[code] = v
        return v


def _decode_one(code: str) -> int:
    v = 0
    for ch in code[:-1]:
        v = v * 32 + CONT.index(ch)
    return v * 32 + FINAL.index(code[-1])


def _js(callback: str, key: int | None, value: object) -> bytes:
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    head = f"{callback}({key}," if key is not None else f"{callback}("
    return (head + payload + ");\n").encode("utf-8")


_json_str = json.encoder.encode_basestring  # json.dumps(s, ensure_ascii=False) of a str


def _unjs(data: bytes) -> dict:
    text = data.decode("utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def manifest(records: int, shards: int) -> dict:
    return {"format": FORMAT, "records": records, "shards": shards, "chunk": CHUNK, "final": FINAL, "cont": CONT,
            "piece": PIECE, "block": 1 << BLOCK_BITS}


def _manifest_file(shards: int, keys: list[bytes], meta_digests: list[bytes], salt: str, extra: dict) -> bytes:
    """The manifest, with a version that changes whenever any index file does (every record's text and URL,
    every result's metadata, the code): the page adds it to the shard and chunk addresses it loads over http(s),
    so a browser or proxy never mixes files of two builds. `extra`: settings for the page (synonyms)."""
    h = hashlib.blake2b(salt.encode(), digest_size=8)
    # (one update of the keys joined: the same digest as one update per key, without a call per record)
    h.update(b"".join(keys))
    h.update(b"".join(meta_digests))
    h.update(json.dumps(extra, ensure_ascii=False, sort_keys=True).encode())
    return _js("gkSearchManifest", None, {**extra, **manifest(len(keys), shards), "version": h.hexdigest()})


def _entry_key(e: Entry) -> bytes:
    raw = f"\1{e.digest}" if e.digest else e.raw_text  # a digest never reads the text (\1: never a text's start)
    return hashlib.blake2b(f"{e.title}\0{raw}\0{e.fields}\0{e.summary}\0{'|'.join(e.keys)}".encode(),
                           digest_size=16).digest()


# --- building ------------------------------------------------------------------------------------------


def _cut(text: str, pos: int, chars: int) -> int:
    """Where a portion of `chars` characters from pos ends: after a sentence's or clause's end in its last fifth,
    if there is one."""
    end = pos + chars
    if end >= len(text):
        return len(text)
    low = pos + chars * 4 // 5
    best = max(map(text.rfind, _BREAKS, repeat(low), repeat(end)))
    return best + 1 if best >= low else end


def portions(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """A text cut into portions (start, end) of about TEXT_BYTES with their overlap, and each one's size in its
    file. The cuts depend on the text alone, never on the records before it in its group: editing one record
    moves no other record's portions, so no other record's postings change."""
    if not text:
        return [], []
    per_char = len(text.encode("utf-8")) / len(text)
    cuts: list[tuple[int, int]] = []
    sizes: list[int] = []
    pos = 0
    while pos < len(text):
        chars = max(200, int(TEXT_BYTES / per_char) - 2 * OVERLAP)
        while True:
            end = _cut(text, pos, chars)
            size = len(text[max(0, pos - OVERLAP):end + OVERLAP].encode("utf-8")) + 16
            if size <= TEXT_BYTES or chars <= 200:
                break
            chars = max(200, chars * TEXT_BYTES // size - 20)
        cuts.append((pos, end))
        sizes.append(size)
        pos = end
    return cuts, sizes


def layout(texts: list[str]) -> tuple[list[int], list[list[tuple[int, int]]], int]:
    """The texts of one group in files of about TEXT_BYTES: each text's first file (-1: no text), its portions
    (start, end) — portion k in file first+k — and the number of files. A text's first portion shares the file
    before when it fits in what is left of it."""
    firsts: list[int] = []
    cuts: list[list[tuple[int, int]]] = []
    j = used = 0
    for text in texts:
        mine, sizes = portions(text)
        cuts.append(mine)
        if not mine:
            firsts.append(-1)
            continue
        if used and sizes[0] > TEXT_BYTES - used:
            j, used = j + 1, 0
        firsts.append(j)
        for k, size in enumerate(sizes):
            if k:
                j, used = j + 1, 0
            used += size
    return firsts, cuts, (j + 1 if used else j)


def _meta_file(entries: list[Entry], firsts: list[int], g: int) -> bytes:
    return _meta_js(g, entries[g * CHUNK:(g + 1) * CHUNK], firsts[g * CHUNK:(g + 1) * CHUNK])


def _meta_js(g: int, group: list[Entry], firsts: list[int]) -> bytes:
    """m/{g}.js: what the results of group g show (the entries of the group, each one's first text file)."""

    def one(e: Entry, j: int) -> dict:
        m: dict = dict(e.meta)
        if e.summary:
            m["b"] = " ".join(e.summary.split())
        if j >= 0:
            m["j"] = j
        return m

    return _js("gkSearchMeta", g, [one(e, j) for e, j in zip(group, firsts, strict=True)])


def _text_files(g: int, texts: list[str], firsts: list[int], cuts: list[list[tuple[int, int]]], count: int
                ) -> dict[str, bytes]:
    """x/{g}-{j}.js: the portions of group g's texts, each with OVERLAP characters on either side."""
    files: list[list] = [[] for _ in range(count)]
    for i, (text, first, mine) in enumerate(zip(texts, firsts, cuts, strict=True)):
        for k, (a, b) in enumerate(mine):
            files[first + k].append([g * CHUNK + i, text[max(0, a - OVERLAP):b + OVERLAP]])
    return {f"x/{g}-{j}.js": _text_js(g, j, items) for j, items in enumerate(files)}


def _text_js(g: int, j: int, items: list) -> bytes:
    """gkSearchText("g-j",[[record,"text"],...]); as json.dumps(ensure_ascii=False) writes it (its string encoder,
    called directly: thousands of files)."""
    payload = ",".join([f"[{n},{_json_str(text)}]" for n, text in items])
    return f'gkSearchText("{g}-{j}",[{payload}]);\n'.encode()


def _token_order(tok: str) -> tuple[bool, str]:
    """The order of a shard's tokens: the pairs, then the longer tokens (numbers, keys), each by code point."""
    return len(tok) > 2, tok


def _shard_js(k: int, items: list[str]) -> bytes:
    """A shard file from its '"token":"posting"' items in _token_order (tokens and postings need no escaping:
    letters, digits, CJK characters, "#", "=", "-" and the codec's alphabets)."""
    return f"gkSearchShard({k},{{{','.join(items)}}});\n".encode()


def _shard_of_group(k: int, group: dict[str, str]) -> bytes:
    return _shard_js(k, [f'"{t}":"{group[t]}"' for t in sorted(group, key=_token_order)])


STATE_RECORDS = 256  # records per file of the rebuild's record state (state_dir/r/{b}.pickle)


def _record_state(s: Scanned) -> tuple[bytes, bytes, dict[str, int]]:
    """A record's tokens as the build cache keeps them: pair codes (4 bytes each), values (2 bytes each), the
    longer tokens."""
    return array("I", s.codes).tobytes(), array("H", s.vals).tobytes(), s.longs


def _record_tokens(state: tuple[bytes, bytes, dict[str, int]], n: int) -> dict[str, int]:
    """token -> packed entry of record n, from its record state."""
    codes, vals, longs = state
    out = {code_pair(c): (n * 2 << 8) | v for c, v in zip(array("I", codes), array("H", vals), strict=True)}
    out.update((t, (n * 2 << 8) | v) for t, v in longs.items())
    return out


def _scan_groups(entries: list[Entry], g_lo: int, g_hi: int, put: Callable[[str, bytes], None], sink: _Buckets,
                 keep: Callable[[int, list], None] | None) -> tuple:
    """Groups g_lo … g_hi-1 of a cold build (entries: from record g_lo*CHUNK on; g_lo a multiple of
    STATE_GROUPS): their text and metadata files handed to put, their tokens to sink (in batches of about
    SCAN_CHARS characters), every record's tokens (_record_state) to keep(block, records) STATE_RECORDS at a time.
    Returns each record's first file, each group's file count, how many files and bytes it handed to put, and the
    digests of its metadata files and records (_entry_key). Whatever depends on one group alone is made here, in
    a cold build's second process for the later groups."""
    import numpy as np

    firsts: list[int] = []
    counts: list[int] = []
    block: list[tuple[bytes, bytes, dict[str, int]]] = []
    written = [0, 0]
    digests: list[bytes] = []
    keys: list[bytes] = []
    g = g_lo
    while g < g_hi:
        items: list[Item] = []
        lo = g * CHUNK
        size = 0
        while g < g_hi and size < SCAN_CHARS:
            mine_entries = entries[(g - g_lo) * CHUNK:(g - g_lo + 1) * CHUNK]
            texts = [e.text for e in mine_entries]
            f, cuts, count = layout(texts)
            firsts += f
            counts.append(count)
            files = _text_files(g, texts, f, cuts, count)
            files[f"m/{g}.js"] = meta = _meta_js(g, mine_entries, f)
            digests.append(hashlib.blake2b(meta, digest_size=8).digest())
            keys += map(_entry_key, mine_entries)
            for rel, data in files.items():
                put(rel, data)
                written[0] += 1
                written[1] += len(data)
            for e, text, portions_of in zip(mine_entries, texts, cuts, strict=True):
                items.append(Item(text, portions_of, e.title, e.fields, e.keys))
                size += len(text)
            g += 1
        codes, recs, vals, long_vals = scan_many(items, lo)
        del items
        bounds = np.searchsorted(recs, np.arange(lo, lo + len(long_vals) + 1)).tolist()
        for i, longer in enumerate(long_vals):
            block.append((codes[bounds[i]:bounds[i + 1]].tobytes(), vals[bounds[i]:bounds[i + 1]].tobytes(), longer))
            if len(block) == STATE_RECORDS or (g == g_hi and i == len(long_vals) - 1):
                if keep is not None:
                    keep((lo + i) // STATE_RECORDS, block)
                block = []
        sink.add(codes, recs, vals, long_vals, lo)
        del codes, recs, vals, long_vals
    return firsts, counts, written, digests, keys


def _writer(out_dir: str, tree: str | None = None, older_than: int | None = None) -> Callable[[str, bytes], None]:
    """put(path under out_dir, bytes) for a cold build's thousands of new files (plain os calls: pathlib and
    write_atomic cost more than the writing; a cold build's folder is new, so nothing half-written is read).

    tree: the build cache's copy of the index (state_dir/tree): each file is written there and hard-linked into
    out_dir at once (copied where links are refused), by whichever process made it. older_than: the stamp the
    tree is recorded with (write); each file gets the time 1 ns before it as soon as it is written, before it is
    linked into out_dir (cache.date_before, as for the cache's files), so its stat can vouch for it later."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    folder = os.path.join(out_dir, "")
    first = os.path.join(tree, "") if tree is not None else folder

    def put(rel: str, data: bytes) -> None:
        path = first + rel
        try:  # (naming() and place() inlined: a context manager per file cost more than the link)
            fd = os.open(path, flags, 0o644)
            try:
                done = os.write(fd, data)
                if done < len(data):  # a short write (rare): the rest
                    view = memoryview(data)[done:]
                    while view:
                        view = view[os.write(fd, view):]
                if older_than is not None:  # (where the time cannot be set, the next build does not trust the tree)
                    date_before(fd, older_than)  # (by the open file: no second look-up of its path)
            finally:
                os.close(fd)
        except OSError as exc:
            if exc.filename is None:
                exc.filename = path
            raise
        if tree is not None:
            try:
                os.link(path, folder + rel)
            except OSError:  # there already, or links refused: place() replaces it or copies
                place(path, folder + rel)

    return put


class _Buckets:
    """A cold build's pair and longer tokens, kept by bucket until the postings are made: bucket b holds the tokens
    of the shards k with k % parts == b, so each bucket's shards are made from it alone, one bucket after another
    (in two processes: half of them each). A pair token is kept as one 64-bit key, code << 32 | record << 9 |
    value; a longer token as (token, packed entry). Past `budget` bytes held in memory, every bucket's share is
    appended to its files in `folder` (and read back when the bucket is made): memory stays bounded whatever the
    number of records."""

    def __init__(self, shards: int, parts: int, folder: str, tag: str, budget: int):
        self.shards, self.parts, self.folder, self.tag, self.budget = shards, parts, folder, tag, budget
        self.pairs: list[list] = [[] for _ in range(parts)]
        self.longs: list[list[tuple[str, int]]] = [[] for _ in range(parts)]
        self.held = 0
        self.spilled = False

    def add(self, codes, recs, vals, long_vals: list[dict[str, int]], first_rec: int) -> None:
        import numpy as np

        key = codes.astype(np.uint64) << np.uint64(32) | recs.astype(np.uint64) << np.uint64(9) | vals
        if self.parts == 1:
            self.pairs[0].append(key)
        else:
            uniq, inverse = np.unique(codes, return_inverse=True)
            bucket = (_crc32_pairs(uniq) % np.uint32(self.parts)).astype(np.uint8)[inverse]
            order = np.argsort(bucket, kind="stable")
            cut = np.searchsorted(bucket[order], np.arange(self.parts + 1)).tolist()
            key = key[order]
            for b in range(self.parts):
                if cut[b + 1] > cut[b]:
                    self.pairs[b].append(key[cut[b]:cut[b + 1]])
        self.held += key.nbytes
        shards, parts = self.shards, self.parts
        for i, mine in enumerate(long_vals):
            hi = (first_rec + i) * 2 << 8
            for t, v in mine.items():
                self.longs[shard_of(t, shards) % parts].append((t, hi | v))
            self.held += 80 * len(mine)
        if self.held > self.budget:
            self.spill()

    def _path(self, b: int, tag: str, kind: str) -> str:
        return os.path.join(self.folder, f"{b}.{tag}.{kind}")

    def spill(self) -> None:
        """Append what is held to the buckets' files."""
        import numpy as np

        for b in range(self.parts):
            if self.pairs[b]:
                with open(self._path(b, self.tag, "keys"), "ab") as fh:
                    np.concatenate(self.pairs[b]).tofile(fh)
            if self.longs[b]:
                with open(self._path(b, self.tag, "longs"), "ab") as fh:
                    pickle.dump(self.longs[b], fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.pairs = [[] for _ in range(self.parts)]
        self.longs = [[] for _ in range(self.parts)]
        self.held = 0
        self.spilled = True

    def take(self, b: int, others: list[str]) -> tuple:
        """Bucket b's pair keys (unsorted) and longer tokens: this process's, spilled and held, and those the
        processes tagged `others` spilled."""
        import numpy as np

        keys: list = []
        longs: list[tuple[str, int]] = []
        for tag in [self.tag, *others]:
            path = self._path(b, tag, "keys")
            if os.path.exists(path):
                keys.append(np.fromfile(path, dtype=np.uint64))
            path = self._path(b, tag, "longs")
            if os.path.exists(path):
                with open(path, "rb") as fh:
                    while True:
                        try:
                            longs += pickle.load(fh)
                        except EOFError:
                            break
            if tag == self.tag:
                keys += self.pairs[b]
                longs += self.longs[b]
        return (np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)), longs


def _make_bucket(b: int, buckets: _Buckets, others: list[str], codec: Codec, put: Callable[[str, bytes], None]
                 ) -> list[int]:
    """The shard files of bucket b handed to put; returns [files, bytes]."""
    key, long_entries = buckets.take(b, others)
    key.sort()
    shards = buckets.shards
    by_token: defaultdict[str, list[int]] = defaultdict(list)
    for t, e in long_entries:
        by_token[t].append(e)
    del long_entries
    long_items: dict[int, list[str]] = defaultdict(list)
    for tok in sorted(by_token):
        long_items[shard_of(tok, shards)].append(f'"{tok}":"{codec.posting(sorted(by_token[tok]))}"')
    del by_token
    written = [0, 0]
    which = range(b, shards, buckets.parts)  # shard % parts is crc % parts: the bucket (parts divides shards)
    pairs = _pair_shards(key, codec, shards, which) if len(key) else ((k, []) for k in which)
    for k, items in pairs:
        data = _shard_js(k, items + long_items.get(k, []))
        put(f"s/{k}.js", data)
        written[0] += 1
        written[1] += len(data)
    return written


def _hashing(put: Callable[[str, bytes], None], hashes: dict[str, tuple[int, str]]) -> Callable[[str, bytes], None]:
    """put, also keeping each file's (size, SHA-256) in hashes."""

    def hashed(rel: str, data: bytes) -> None:
        put(rel, data)
        hashes[rel] = (len(data), hashlib.sha256(data).hexdigest())

    return hashed


def _forked(work: Callable[[], object]) -> Callable[[], object] | None:
    """work() run in a forked copy of this process; returns a function that waits for its (pickled) result, None
    when the child failed. The child shares this process's memory (nothing is pickled to it) and leaves with
    os._exit (no atexit handlers, no buffers of the parent flushed twice)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(r)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(w, "wb") as fh:
                fh.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(w)

    def result() -> object:
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
        _pid, status = os.waitpid(pid, 0)
        ok = os.waitstatus_to_exitcode(status) == 0 and data
        return pickle.loads(data) if ok else None

    return result


def _can_fork() -> bool:
    """Whether a cold build may use a second process: two cores or more, a fork (POSIX) and no other thread (a
    fork copies only the calling thread: another one's locks would stay taken in the child; mkdocs serve)."""
    import multiprocessing
    import threading

    return ((os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1 and os.environ.get("GONGKAI_SEARCH_PROCESSES", "").strip() != "1")


POOL_CHARS = 4_000_000  # above this many characters of text a cold build uses a second process (forked)
WORKER_SHARE = 0.5  # of the text, for the second process
STATE_GROUPS = STATE_RECORDS // CHUNK  # a process's groups start at a multiple: each writes whole record blocks
SPILL_BYTES = 128 << 20  # tokens held in memory by each process of a cold build before they go to disk (_Buckets)
BUCKET_ENTRIES = 4_000_000  # pair entries (about) per bucket made at once (memory: about 40 bytes each)


def build_full(entries: list[Entry], put: Callable[[str, bytes], None], salt: str = "", extra: dict | None = None,
               out_dir: Path | None = None, keep: Callable[[int, list], None] | None = None,
               work_dir: Path | None = None, hashes: dict[str, tuple[int, str]] | None = None) -> dict:
    """Every index file, handed to put(path under search/index/, bytes) as soon as it is made; returns the state
    a rebuild starts from, and hands every record's tokens (_record_state) to keep(block, records).

    hashes: filled with (size, SHA-256) of every file by path, taken from the bytes handed to put, by whichever
    process made the file (Tree.hashes: the manifest's lines without reading the files again).

    Two phases: the groups are scanned (text and metadata files written, tokens kept in buckets by shard:
    _Buckets), then each bucket's shards are made. With out_dir (where put writes) and more than POOL_CHARS
    characters of text on a machine with two cores or more, each phase runs in two processes: a forked copy
    scans the later half of the text, then makes half of the buckets. Tokens beyond SPILL_BYTES per process, and
    those the first forked copy found, go through files in work_dir (a temporary folder when None), so memory
    does not grow with the number of records past that (GONGKAI_SEARCH_PROCESSES=1: one process)."""
    import tempfile

    n_all = len(entries)
    shards = shard_count(n_all)
    codec = Codec(n_all)
    groups = (n_all + CHUNK - 1) // CHUNK
    total = sum(e.length for e in entries)
    two = out_dir is not None and total > POOL_CHARS and _can_fork()
    parts = 2 if two else 1
    while parts < shards and total // 12 > parts * BUCKET_ENTRIES:  # about one pair entry per 12 characters
        parts *= 2
    split = groups
    if two:
        acc, limit = 0, total * (1 - WORKER_SHARE)
        for g in range(groups):
            acc += sum(e.length for e in entries[g * CHUNK:(g + 1) * CHUNK])
            if acc >= limit:
                split = min(groups, (g + STATE_GROUPS) // STATE_GROUPS * STATE_GROUPS)
                break
    if work_dir is not None:
        shutil.rmtree(work_dir, ignore_errors=True)
        work_dir.mkdir(parents=True)
        folder = str(work_dir)
    else:
        temp = tempfile.TemporaryDirectory(prefix="gongkai-search-")
        folder = temp.name
    if hashes is not None:
        put = _hashing(put, hashes)

    def own(work: Callable[[], object]) -> Callable[[], tuple]:
        """work, in a forked copy, also returning the hashes of the files that copy made (its `hashes` is the
        parent's as it was at the fork: emptied first)."""

        def run() -> tuple:
            if hashes is not None:
                hashes.clear()
            return work(), hashes

        return run

    def mine_of(result: object) -> object:
        """A forked copy's result; the hashes of its files taken into this process's."""
        if result is None:
            return None
        assert isinstance(result, tuple)
        out, theirs = result
        if hashes is not None and theirs is not None:
            hashes.update(theirs)
        return out

    try:

        def scan_later() -> tuple:
            mine = _Buckets(shards, parts, folder, "w", SPILL_BYTES)
            out = _scan_groups(entries[split * CHUNK:], split, groups, put, mine, keep)
            mine.spill()
            return out

        later = _forked(own(scan_later)) if split < groups else None
        buckets = _Buckets(shards, parts, folder, "m", SPILL_BYTES)
        firsts, counts, written, digests, keys = _scan_groups(entries[:split * CHUNK], 0, split, put, buckets, keep)
        others: list[str] = []
        if later is not None:
            more = mine_of(later())
            if more is None:  # the second process failed: its groups scanned here
                more = _scan_groups(entries[split * CHUNK:], split, groups, put, buckets, keep)
            else:
                others = ["w"]
            assert isinstance(more, tuple)
            firsts += more[0]
            counts += more[1]
            written = [a + b for a, b in zip(written, more[2], strict=True)]
            digests += more[3]
            keys += more[4]
            del more
        mine_b = list(range(parts))
        half = None
        if two and parts > 1:
            theirs = mine_b[1::2]
            mine_b = mine_b[0::2]
            half = _forked(own(lambda: [_make_bucket(b, buckets, others, codec, put) for b in theirs]))
        for b in mine_b:
            done = _make_bucket(b, buckets, others, codec, put)
            written = [a + c for a, c in zip(written, done, strict=True)]
            buckets.pairs[b] = []
            buckets.longs[b] = []
        if half is not None:
            made = mine_of(half())
            if made is None:
                made = [_make_bucket(b, buckets, others, codec, put) for b in theirs]
            assert isinstance(made, list)
            for done in made:
                written = [a + c for a, c in zip(written, done, strict=True)]
    finally:
        if work_dir is not None:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            temp.cleanup()
    data = _manifest_file(shards, keys, digests, salt, extra or {})
    put("manifest.js", data)
    written = [written[0] + 1, written[1] + len(data)]
    return {"format": FORMAT, "salt": salt, "shards": shards, "urls": [e.url for e in entries],
            "keys": keys, "firsts": firsts, "counts": counts, "meta": digests, "files": written[0],
            "bytes": written[1]}


SCAN_CHARS = 500_000  # characters scanned at once by a cold build (memory: about 100 bytes each)


def _encode_many(deltas, ks):
    """Codec.encode of many entries at once (numpy): every delta's code and portion mark, end to end as one ASCII
    string, and where each entry's characters start (one more: the end)."""
    import numpy as np

    d = deltas.astype(np.int64)
    k = ks.astype(np.int64)
    n = len(d)
    digits = np.ones(n, dtype=np.int64)
    for i in range(1, 7):
        digits += d >= (1 << (5 * i))
    cols = np.zeros((n, 10), dtype=np.uint8)
    final = np.frombuffer(FINAL.encode(), dtype=np.uint8)
    cont = np.frombuffer(CONT.encode(), dtype=np.uint8)
    piece = np.frombuffer(PIECE.encode(), dtype=np.uint8)
    for i in range(7):
        digit = (d >> (5 * i)) & 31
        cols[:, 6 - i] = np.where(i < digits, (final if i == 0 else cont)[digit], 0)
    big = k >= len(PIECE)
    cols[:, 7] = np.where(k == 0, 0, np.where(big, piece[-1], piece[np.clip(k - 1, 0, len(PIECE) - 1)]))
    rest = np.clip(k - len(PIECE), 0, None)  # _mark: PIECE[-1] + _code(k - len(PIECE))
    cols[:, 8] = np.where(big, np.where(rest < 32, final[rest & 31], cont[(rest >> 5) & 31]), 0)
    cols[:, 9] = np.where(big & (rest >= 32), final[rest & 31], 0)
    lengths = digits + (k > 0) + big + (big & (rest >= 32))
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    return cols[cols != 0].tobytes().decode("ascii"), offsets


def _crc32_pairs(tok_codes):
    """zlib.crc32 of each pair token's UTF-8 (numpy): the token's shard without making the token."""
    import numpy as np

    table = _crc_table()
    crc = np.full(len(tok_codes), 0xFFFFFFFF, dtype=np.uint32)
    for ch in (tok_codes & np.uint32(0xFFFF), tok_codes >> np.uint32(16)):
        ch = ch.astype(np.uint32)
        n = np.where(ch < 0x80, 1, np.where(ch < 0x800, 2, 3))
        utf8 = [np.where(n == 1, ch, np.where(n == 2, 0xC0 | ch >> 6, 0xE0 | ch >> 12)),
                np.where(n == 2, 0x80 | (ch & 63), 0x80 | ((ch >> 6) & 63)),
                0x80 | (ch & 63)]
        for i, byte in enumerate(utf8):
            step = table[(crc ^ byte.astype(np.uint32)) & np.uint32(0xFF)] ^ (crc >> np.uint32(8))
            crc = np.where(i < n, step, crc)
    return crc ^ np.uint32(0xFFFFFFFF)


def _crc_table():
    import numpy as np

    out = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = 0xEDB88320 ^ (c >> 1) if c & 1 else c >> 1
        out.append(c)
    return np.array(out, dtype=np.uint32)


ENCODE_ENTRIES = 1_000_000  # posting entries encoded at once (memory: about 60 bytes each)


def _pair_postings(key, codec: Codec) -> tuple:
    """The pair tokens (codes, ascending) and their posting strings (Codec.posting of each, with numpy), from the
    sorted keys code << 32 | record << 9 | value of every (pair token, record); encoded ENCODE_ENTRIES at a time."""
    import numpy as np

    # the codes: the high halves of the keys (a view, not a copy of 8 bytes an entry)
    c = key.view(np.uint32)[1::2] if sys.byteorder == "little" else (key >> np.uint64(32)).astype(np.uint32)
    starts = np.flatnonzero(np.concatenate(([True], c[1:] != c[:-1]))) if len(c) else np.zeros(0, np.int64)
    tok_codes = c[starts]
    del c
    bounds = np.concatenate((starts, [len(key)]))
    posts: list[str] = []
    t0 = 0
    while t0 < len(starts):
        t1 = max(t0 + 1, int(np.searchsorted(bounds, bounds[t0] + ENCODE_ENTRIES, side="right")) - 1)
        t1 = min(t1, len(starts))
        posts += _encode_tokens(key[bounds[t0]:bounds[t1]], bounds[t0:t1 + 1] - bounds[t0], codec)
        t0 = t1
    return tok_codes, posts


def _encode_tokens(key, bounds, codec: Codec) -> list[str]:
    """The posting strings of the tokens whose entries (sorted keys) start at bounds[:-1]."""
    import numpy as np

    starts = bounds[:-1]
    r = ((key >> np.uint64(9)) & np.uint64(0x7FFFFF)).astype(np.int32)
    v = (key & np.uint64(511)).astype(np.uint16)
    counts = np.diff(bounds)
    dense = counts * 6 > codec.n
    # written as codes: every entry of a list posting; those of a bitmap posting in the title or a later portion
    written = ~np.repeat(dense, counts) | (v != 0)
    wt = np.repeat(np.arange(len(starts), dtype=np.int32), counts)[written]
    wr = r[written]
    wv = v[written]
    del written
    value = wr.astype(np.int64) * 2 + (wv >> 8)
    block = np.where(dense[wt], wr >> BLOCK_BITS, -1).astype(np.int32)
    del wr
    same = np.concatenate(([False], (wt[1:] == wt[:-1]) & (block[1:] == block[:-1])))
    base = np.where(same, np.concatenate(([0], value[:-1])), np.where(block >= 0, block.astype(np.int64) << (BLOCK_BITS + 1), 0))
    del same
    text, offsets = _encode_many(value - base, wv & 255)
    del value, base, wv
    first_w = np.searchsorted(wt, np.arange(len(starts) + 1))
    del wt
    posts = list(map(text.__getitem__, map(slice, offsets[first_w[:-1]].tolist(), offsets[first_w[1:]].tolist())))
    for t in np.flatnonzero(dense).tolist():
        bits = np.zeros(codec.bits, dtype=np.uint8)
        bits[r[starts[t]:starts[t] + counts[t]]] = 1
        bitmap = base64.b64encode(np.packbits(bits).tobytes()).decode("ascii")
        blocks_of = block[first_w[t]:first_w[t + 1]]
        offs = offsets[first_w[t]:first_w[t + 1] + 1]
        blocks = []
        if len(blocks_of):
            edges = np.searchsorted(blocks_of, np.arange(int(blocks_of[-1]) + 2)).tolist()
            blocks = [text[offs[a]:offs[b]] for a, b in zip(edges, edges[1:], strict=False)]
        posts[t] = Codec._dense(bitmap, blocks)
    return posts


def _pair_shards(key, codec: Codec, shards: int, which: range | None = None):
    """(shard, its '"token":"posting"' items in _token_order) for every shard (of `which`: those the keys'
    tokens can be in), from the sorted keys of _pair_postings."""
    import numpy as np

    tok_codes, posts = _pair_postings(key, codec)
    shard = (_crc32_pairs(tok_codes) % np.uint32(shards)).astype(np.int64)
    pair = (tok_codes & np.uint32(0xFFFF)).astype(np.int64) << 16 | (tok_codes >> np.uint32(16))  # code point order
    order = np.argsort(shard << 32 | pair)
    cut_at = np.searchsorted(shard[order], np.arange(shards + 1)).tolist()
    pair_text = tok_codes.view(np.uint16).tobytes().decode("utf-16-le")
    for k in which if which is not None else range(shards):
        idx = order[cut_at[k]:cut_at[k + 1]].tolist()
        toks = map(pair_text.__getitem__, map(slice, [i * 2 for i in idx], [i * 2 + 2 for i in idx]))
        yield k, list(map('"{}":"{}"'.format, toks, map(posts.__getitem__, idx)))


def _patch(entries: list[Entry], state: dict, tree: Path, state_dir: Path, extra: dict,
           same: list[bool] | None = None) -> tuple[dict[str, bytes | None], list[int], dict[int, list]] | None:
    """The files that differ from the cached index `tree` when only some records' text changed (None: a file to
    delete), the records re-read, and the record state blocks changed; None: rebuild.

    Only the changed records are scanned again; of their tokens only those whose entry changed are edited, in
    the shards that hold them; their groups' text files and the metadata files that differ are written again.
    same: whether each entry is known to be the very entry the cached index has at its place (write's `follows`):
    those are neither compared nor their metadata files made again, so the cost follows the changed records."""
    if state.get("format") != FORMAT or state.get("urls") != [e.url for e in entries]:
        return None
    if same is not None:
        keys = list(state["keys"])
        for i in [i for i, known in enumerate(same) if not known]:
            keys[i] = _entry_key(entries[i])
    else:
        keys = [_entry_key(e) for e in entries]
    changed = [i for i, (a, b) in enumerate(zip(keys, state["keys"], strict=True)) if a != b]
    if len(changed) > MAX_PATCHED:
        return None
    shards, codec = state["shards"], Codec(len(entries))
    files: dict[str, bytes | None] = {}
    edits: defaultdict[str, dict[int, int | None]] = defaultdict(dict)
    blocks: dict[int, list] = {}
    cuts_of: dict[int, list[tuple[int, int]]] = {}
    texts_of: dict[int, str] = {}
    for g in sorted({i // CHUNK for i in changed}):
        texts = [e.text for e in entries[g * CHUNK:(g + 1) * CHUNK]]
        f, cuts, count = layout(texts)
        state["firsts"][g * CHUNK:g * CHUNK + len(texts)] = f
        files.update(_text_files(g, texts, f, cuts, count))
        for j in range(count, state["counts"][g]):
            files[f"x/{g}-{j}.js"] = None
        state["counts"][g] = count
        for i, (text, mine) in enumerate(zip(texts, cuts, strict=True)):
            cuts_of[g * CHUNK + i], texts_of[g * CHUNK + i] = mine, text
    for n in changed:
        b = n // STATE_RECORDS
        if b not in blocks:
            with open(state_dir / "r" / f"{b}.pickle", "rb") as fh:
                blocks[b] = pickle.load(fh)
        e = entries[n]
        new = _record_state(scan(Item(texts_of[n], cuts_of[n], e.title, e.fields, e.keys)))
        old_toks = _record_tokens(blocks[b][n % STATE_RECORDS], n)
        new_toks = _record_tokens(new, n)
        for tok, entry in new_toks.items():
            if old_toks.get(tok) != entry:
                edits[tok][n] = entry
        for tok in old_toks.keys() - new_toks.keys():
            edits[tok][n] = None
        blocks[b][n % STATE_RECORDS] = new
    by_shard: defaultdict[int, list[str]] = defaultdict(list)
    for tok in edits:
        by_shard[shard_of(tok, shards)].append(tok)
    for k, toks in sorted(by_shard.items()):
        path = tree / "s" / f"{k}.js"
        if not path.is_file():
            return None
        group = _unjs(path.read_bytes())
        for tok in toks:
            posting = codec.edit(group.get(tok, ""), edits[tok])
            if posting:
                group[tok] = posting
            else:
                group.pop(tok, None)
        files[f"s/{k}.js"] = _shard_of_group(k, group)
    digests = state["meta"]
    groups = range(len(digests)) if same is None else sorted({i // CHUNK for i, known in enumerate(same) if not known})
    for g in groups:
        data = _meta_file(entries, state["firsts"], g)
        digest = hashlib.blake2b(data, digest_size=8).digest()
        if digest != digests[g]:
            files[f"m/{g}.js"], digests[g] = data, digest
    files["manifest.js"] = _manifest_file(shards, keys, digests, state["salt"], extra)
    state["keys"] = keys
    return files, changed, blocks


# The files of a cached index (state_dir/tree) by folder, in a fixed order: what _stat_tree stats and _link_all puts
Names = list[tuple[str, list[str]]]


def _tree_names(state: dict) -> Names:
    """Every file of the index `state` describes: manifest.js, s/{k}.js, m/{g}.js, x/{g}-{j}.js (each group's
    text file count)."""
    counts = state["counts"]
    return [("", ["manifest.js"]), ("s", [f"{k}.js" for k in range(state["shards"])]),
            ("m", [f"{g}.js" for g in range(len(counts))]),
            ("x", [f"{g}-{j}.js" for g, c in enumerate(counts) for j in range(c)])]


def _stat_tree(tree: Path, names: Names) -> list[list[os.stat_result]]:
    """The stat of every file `names` lists under tree (FileNotFoundError when one is missing). One stat per file,
    by its name in its folder (a folder descriptor: a third cheaper than DirEntry.stat's whole path)."""
    out: list[list[os.stat_result]] = []
    for part, mine in names:
        folder = os.path.join(tree, part)
        if os.stat in os.supports_dir_fd:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                out.append([os.stat(n, dir_fd=fd, follow_symlinks=False) for n in mine])
            finally:
                os.close(fd)
        else:
            out.append([os.lstat(os.path.join(folder, n)) for n in mine])
    return out


_IDENTITY = attrgetter("st_dev", "st_ino", "st_size", "st_mtime_ns")


def _record(stats: list[list[os.stat_result]]) -> array | None:
    """Device, inode, size and mtime of each file, in order: what a rebuild compares with what it recorded of the
    files it wrote before it trusts them (None: not recordable, e.g. a time before 1970)."""
    try:
        return array("Q", chain.from_iterable(map(_IDENTITY, chain.from_iterable(stats))))
    except OverflowError:
        return None


def _older(record: array | None, stamp: int | None) -> bool:
    """Whether every file of a _record has a modification time older than stamp (racy-git: see write)."""
    return record is not None and stamp is not None and (not record or max(record[3::4]) < stamp)


def _digest(record: array | None) -> bytes | None:
    """What the state keeps of a _record: its digest (16 bytes, not 560 KB read and written on every rebuild)."""
    return hashlib.blake2b(record, digest_size=16).digest() if record is not None else None


def _rerecord(record: array, names: Names, stats: list[list[os.stat_result]], written: dict[str, os.stat_result],
              counts: list[int]) -> array | None:
    """_record of the same files (`names`, with each group's text file `counts`) after those in `written` (path:
    its new stat) were written again: `stats` and `record` (_record(stats) before) updated in place."""
    starts = [0, *accumulate(len(mine) for _part, mine in names)]
    offsets = [0, *accumulate(counts)]
    for rel, st in written.items():
        part, _, name = rel.rpartition("/")
        if not part:
            p, i = 0, 0
        elif part == "x":
            g, j = name[:-3].split("-")
            p, i = 3, offsets[int(g)] + int(j)
        else:
            p, i = (1 if part == "s" else 2), int(name[:-3])
        stats[p][i] = st
        try:
            mine = array("Q", _IDENTITY(st))
        except OverflowError:
            return None
        at = (starts[p] + i) * len(mine)
        record[at:at + len(mine)] = mine
    return record


def _link_all(tree: Path, dst: Path, names: Names, stats: list[list[os.stat_result]]) -> dict[str, statcheck.Signature]:
    """Hard-link every file of the cached index `tree` into dst, a new folder (copies where links are refused), but
    for the files the recycled previous site already holds there (staging.claim_stats: nothing to do for them).
    stats: each file's stat, checked by the caller against what was recorded when it was written. Returns the
    files put into dst (_placed)."""
    chosen: list[list[int]] = []
    for (part, mine), sts in zip(names, stats, strict=True):
        there = os.path.join(dst, part)
        os.makedirs(there, exist_ok=True)
        src = os.path.join(tree, part)
        chosen.append(staging.claim_stats(there, mine, sts))
        for i in chosen[-1]:
            place(os.path.join(src, mine[i]), os.path.join(there, mine[i]))
    return _placed(names, stats, chosen)


def _placed(names: Names, stats: list[list[os.stat_result]], chosen: list[list[int]] | None = None
            ) -> dict[str, statcheck.Signature]:
    """Tree.placed: the files put into the site's folder (path under it -> the file's statcheck.signature without
    ctime: a link changes it), by their positions in each folder of `names` (chosen; None: every file)."""
    placed: dict[str, statcheck.Signature] = {}
    for n, ((part, mine), sts) in enumerate(zip(names, stats, strict=True)):
        at = f"{part}/" if part else ""
        for i in range(len(mine)) if chosen is None else chosen[n]:
            placed[at + mine[i]] = statcheck.signature(sts[i], ctime=False)
    return placed


def write(entries: list[Entry], out_dir: Path, state_dir: Path | None = None, salt: str = "",
          extra: dict | None = None, token: str = "", follows: Callable[[str], bool] | None = None,
          same: list[bool] | None = None, trust_stat: bool = True) -> IndexStats:
    """Write the index of `entries` (in their result order) into out_dir (replaced).

    state_dir keeps the last index and every record's tokens; a later call whose records are the same pages
    (same URLs, same order) re-reads only the changed records and rewrites only the files that differ.
    salt: what else shaped the records (the code that prepares their text); another salt starts from scratch.
    extra: settings written into the manifest for the search page (synonyms).
    token: what the entries were made from (the load's Catalogue.changes.token), kept with the state; same[i] says
    entry i is the entry, at the same URL, of the call whose token `follows` accepts (Catalogue.changes.follows:
    the one rule a kept result is trusted by). Trusted only when `follows` accepts the kept state's token (else
    every entry is compared).

    The kept index (state_dir/tree) is used only when every one of its files has the device, inode, size and
    mtime recorded when it was written, and that mtime is older than the stamp (statcheck.clock) taken before it was
    written — racy-git's rule, as statcheck applies it to every other file: the files are given a time just before
    that stamp as they are written, and any later write, even in the same tick of the file system's clock, gives
    one at least as new. Its files are hard-linked into the site, so one edited there in place is edited here too.
    Otherwise — and when stat data may not vouch for a file (trust_stat False: GONGKAI_TRUST_STAT=0) — the index
    is made afresh.
    """
    started = time.perf_counter()
    extra = extra or {}
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tree = state_dir / "tree" if state_dir else None
    state_file = state_dir / "state.pickle" if state_dir else None
    patched = -1
    result = None
    kept: Tree | None = None
    stamp = statcheck.clock(state_dir) if trust_stat and state_dir is not None else None  # before any file is written
    if trust_stat and state_file is not None and tree is not None and state_file.is_file():
        try:
            with open(state_file, "rb") as fh:
                state = pickle.load(fh)
            names = _tree_names(state)
            stats = _stat_tree(tree, names)
            record = _record(stats)
            if (state.get("salt") == salt and state.get("stats") is not None and _digest(record) == state["stats"]
                    and _older(record, state.get("stamp"))):
                trusted = same if same is not None and follows is not None and follows(state.get("token", "")) else None
                counts_before = list(state["counts"])  # (_patch updates them)
                before = state["stats"]
                result = _patch(entries, state, tree, state_file.parent, extra, trusted)
        except Exception:  # a damaged or foreign cache is simply ignored
            result = None
    if result is not None and tree is not None and state_file is not None:
        changes, redone, blocks = result
        patched = len(redone)
        state_file.unlink()  # the tree is about to change: until the new state is saved, the next build starts over
        held = {part: dict(zip(mine, sts, strict=True)) for (part, mine), sts in zip(names, stats, strict=True)}
        written: dict[str, os.stat_result] = {}
        anew: dict[str, tuple[int, str] | None] = {}  # (Tree.changes)
        for rel, data in changes.items():
            part, _, name = rel.rpartition("/")
            if data is None and name in held[part]:
                state["bytes"] -= held[part].pop(name).st_size
                state["files"] -= 1
                (tree / rel).unlink()
                anew[rel] = None
        for rel, data in changes.items():
            part, _, name = rel.rpartition("/")
            old = tree / rel
            was = old.read_bytes() if data is not None and name in held[part] else None
            if data is not None and was != data:
                # a new file (a new inode: the kept site's copy is not claimed)
                held[part][name] = written[rel] = write_atomic(old, data, older_than=stamp)
                anew[rel] = (len(data), hashlib.sha256(data).hexdigest())
                state["bytes"] += len(data) - len(was or b"")
                state["files"] += was is None
        if state["counts"] == counts_before and record is not None:  # the same files, only some rewritten
            state["stats"] = _digest(_rerecord(record, names, stats, written, counts_before))
        else:
            names = _tree_names(state)
            stats = [[held[part][n] for n in mine] for part, mine in names]
            state["stats"] = _digest(_record(stats))
        placed = _link_all(tree, out_dir, names, stats)
        if stamp is not None and state["stats"] is not None:
            kept = Tree(tree, names, state["stats"], before, anew, placed)
        for b, recs in blocks.items():
            write_atomic(state_file.parent / "r" / f"{b}.pickle", pickle.dumps(recs, protocol=pickle.HIGHEST_PROTOCOL))
        state["token"] = token
        state["stamp"] = stamp
        _save_state(state_file, state)
    else:
        keep: Callable[[int, list], None] | None = None
        if tree is not None and state_file is not None:  # the build cache's copy: written beside out_dir at once
            state_file.unlink(missing_ok=True)
            shutil.rmtree(tree, ignore_errors=True)
            record_dir = state_file.parent / "r"
            shutil.rmtree(record_dir, ignore_errors=True)
            record_dir.mkdir(parents=True)

            def keep_block(b: int, recs: list) -> None:
                write_atomic(record_dir / f"{b}.pickle", pickle.dumps(recs, protocol=pickle.HIGHEST_PROTOCOL))

            keep = keep_block

        for sub_dir in ("s", "m", "x"):
            (out_dir / sub_dir).mkdir(parents=True, exist_ok=True)
            if tree is not None:
                (tree / sub_dir).mkdir(parents=True, exist_ok=True)
        put = _writer(str(out_dir), str(tree) if tree is not None else None, stamp if tree is not None else None)
        hashes: dict[str, tuple[int, str]] | None = {} if stamp is not None and tree is not None else None
        state = build_full(entries, put, salt, extra, out_dir, keep, state_dir / "spill" if state_dir else None,
                           hashes)
        state["token"] = token
        if state_file is not None and tree is not None:
            # what each file is as written: a later build trusts the tree only while its files still are
            names = _tree_names(state)
            stats = _stat_tree(tree, names)
            state["stats"] = _digest(_record(stats))
            state["stamp"] = stamp
            _save_state(state_file, state)
            if stamp is not None and state["stats"] is not None:  # every file put into out_dir (put)
                kept = Tree(tree, names, state["stats"], None, {}, _placed(names, stats), hashes)
    return IndexStats(len(entries), time.perf_counter() - started, state["files"], state["bytes"], patched, kept)


def _save_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


# --- reading (tests, tools): what the search page does ---------------------------------------------------


def _read_manifest(out_dir: Path) -> dict:
    return _unjs(b"x(0," + (out_dir / "manifest.js").read_bytes()[len("gkSearchManifest("):])


def meta(out_dir: Path, n: int) -> dict:
    """What result n shows (its metadata: title, 文号, date …, "j" the file its text starts in)."""
    return _unjs((out_dir / "m" / f"{n // CHUNK}.js").read_bytes())[n % CHUNK]


def portion(out_dir: Path, n: int, k: int) -> str:
    """The stored text of record n's k-th portion (with its overlap): what the page marks an excerpt in."""
    first = meta(out_dir, n).get("j", -1)
    if first < 0:
        return ""
    data = (out_dir / "x" / f"{n // CHUNK}-{first + k}.js").read_text(encoding="utf-8")
    items = json.loads(data[data.index(",") + 1:data.rindex(")")])
    return "".join(text for m, text in items if m == n)


def variants(word: str, synonyms: dict[str, list[str]], limit: int = 12) -> list[str]:
    """The word, and the words its synonyms make of it (低保申请 -> 最低生活保障申请), at most `limit`.

    Scanning from the left, the longest term of the table that starts at a place is replaced by each of its
    alternatives (特困人员 is one term, not 特困 + 人员)."""
    w = normalise(word).strip()
    longest = max(map(len, synonyms), default=0)
    parts: list[list[str]] = []  # the word cut into pieces, each with its choices (the piece first)
    i = start = 0
    while i < len(w):
        term = next((w[i:i + k] for k in range(min(longest, len(w) - i), 1, -1) if w[i:i + k] in synonyms), "")
        if term:
            parts += [[w[start:i]], [term, *synonyms[term]]]
            i = start = i + len(term)
        else:
            i += 1
    parts.append([w[start:]])
    out = [""]
    for choices in parts:
        out = [a + c for a in out for c in choices][:limit]
    return out


def search(out_dir: Path, query: str) -> list[tuple[int, int]]:
    """(record number, tier) of every record matching the query, best first: tier 0 a key (文号, 索引号), 1 every
    word in the title, 2 elsewhere; in index order within a tier, as assets/gongkai/search.js ranks them."""
    return [(n, tier) for n, tier, _k in search_portions(out_dir, query)]


def search_portions(out_dir: Path, query: str) -> list[tuple[int, int, int]]:
    """search(), with the portion of each result's text whose file the page loads for its excerpt: for each word,
    the latest first portion of its tokens (the earliest over its variants); of the words' portions, the one most
    words share, the first on a tie."""
    m = _read_manifest(out_dir)
    codec = Codec(m["records"])
    cache: dict[str, dict[int, tuple[bool, int]]] = {}

    def posting(tok: str) -> dict[int, tuple[bool, int]]:
        if tok not in cache:
            group = _unjs((out_dir / "s" / f"{shard_of(tok, m['shards'])}.js").read_bytes())
            cache[tok] = {e >> 9: (bool(e & 256), e & 255) for e in codec.values(group.get(tok, ""))}
        return cache[tok]

    found: dict[int, bool] | None = None
    where: defaultdict[int, list[int]] = defaultdict(list)  # record -> the portion of each word
    for word in query.split():
        hits: dict[int, tuple[bool, int]] = {}
        for variant in variants(word, m.get("synonyms", {})):
            toks = query_tokens(variant)
            if not toks:
                continue
            here: dict[int, tuple[bool, int]] | None = None
            for tok in toks:
                p = posting(tok)
                here = dict(p) if here is None else {n: (t and p[n][0], max(k, p[n][1])) for n, (t, k) in here.items()
                                                     if n in p}
            for n, (t, k) in (here or {}).items():
                was = hits.get(n)
                hits[n] = (t, k) if was is None else (was[0] or t, min(was[1], k))
        if not any(query_tokens(v) for v in variants(word, m.get("synonyms", {}))):
            continue
        for n, (_t, k) in hits.items():
            where[n].append(k)
        words = {n: t for n, (t, _k) in hits.items()}
        found = words if found is None else {n: t and words[n] for n, t in found.items() if n in words}
    keyed: dict[int, int] = {}
    for rank, key in enumerate(query_keys(query)):
        for n in posting(key):
            keyed.setdefault(n, rank)
    out = {n: (0, keyed[n]) for n in keyed}
    for n, t in (found or {}).items():
        out.setdefault(n, (1 if t else 2, 0))

    def best(ks: list[int]) -> int:
        return min(ks, key=lambda k: (-ks.count(k), k)) if ks else 0

    return [(n, tier, best(where.get(n, []))) for n, (tier, _) in sorted(out.items(), key=lambda kv: (kv[1], kv[0]))]
