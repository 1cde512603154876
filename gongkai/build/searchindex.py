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

The text of a result, for its excerpt: the texts of a group's records, one after the other, are cut into files of at
most TEXT_BYTES (at a sentence end where there is one). A record's text starts in file j0 (its meta "j") and runs on
in j0+1, j0+2 …: its k-th portion is in file j0+k, stored with OVERLAP characters of the text on either side. Each
posting says, per record, in which portion the token first occurs in the text (k, 0 when not said), so for a hit
deep in a long report the page loads the one file that holds it, and marks the words in the passage around it.

Postings: per record, the value n*2+t (t: the token is in the title; a key counts as title), ascending,
delta-encoded, each delta written in base 32 most significant digit first: leading digits from CONT, the last from
FINAL; then, when the record's first occurrence is in portion k > 0, a PIECE mark (one character for k < 24, else
PIECE[-1] and k in CONT/FINAL digits). A token in more than a sixth of the records is a bitmap (Codec.posting).
A query downloads the manifest, one shard per token, the metadata groups of the results it shows and one text file
per result: about 60-120 KB at 10,000 documents.

A rebuild re-tokenises only the groups of records whose text changed, rewrites only the shards they touch and
their text files (the last index and every record's tokens are kept in the build cache); the result is
byte-identical to a cold build.
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
import time
import unicodedata
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import add, and_, rshift, sub
from pathlib import Path

from gongkai.build.cache import link_tree, place, write_atomic
from gongkai.fsutil import naming

FORMAT = 4
CHUNK = 8  # records per metadata file (about 2 KB): the 10 results a page shows fetch at most 10 of them
TEXT_BYTES = 6000  # a text file's size at most (about): the 10 results a page shows fetch at most 10 of them
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
# a portion ends at a sentence's or clause's end where one is near its size
_BREAKS = "。；！？\n;!?，, "


@dataclass
class Entry:
    """One searchable page: its title (matches there rank first), the rest of its text, and what a result shows."""

    title: str
    raw: str  # the rest of its text as written: a rebuild compares it to find changed records
    meta: dict[str, str]
    prepare: Callable[[str], str] | None = None  # raw -> the text searched (e.g. Markdown -> plain text)
    keys: tuple[str, ...] = ()  # exact keys ("=..."): docno_keys, indexno_keys
    fields: str = ""  # more text to search but not to show in an excerpt (文号, 索引号, 发布机构)
    summary: str = ""  # the excerpt, when the page has one of its own (a 主题服务包's summary); else the text's start

    @property
    def text(self) -> str:
        return self.prepare(self.raw) if self.prepare else self.raw


@dataclass
class IndexStats:
    records: int
    seconds: float
    files: int
    bytes: int
    patched: int = -1  # records re-tokenised by an incremental rebuild; -1: built from scratch


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


def pair_codes(s: str) -> set[int]:
    """pairs() as numbers, first character + second << 16 (normalised text is all in the BMP), read straight from
    the UTF-16 bytes; pairs with a space (32) or the padding (0) in them are left in: is_pair() drops them."""
    b = s.encode("utf-16-le")
    if len(b) % 4:
        b += b"\0\0"
    codes = set(memoryview(b).cast("I"))
    b = b[2:] + b"\0\0"
    if len(b) % 4:
        b += b"\0\0"
    codes.update(memoryview(b).cast("I"))
    return codes


def code_pair(code: int) -> str:
    return chr(code & 0xFFFF) + chr(code >> 16)


def is_pair(code: int) -> bool:
    lo, hi = code & 0xFFFF, code >> 16
    return lo > 32 and hi > 32


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
        self.enc = [_code(v) for v in range(2 * records + 2)]
        self.dec = {c: v for v, c in enumerate(self.enc)}
        self.marks = [_mark(k) for k in range(MAX_PIECE + 1)]

    def encode(self, entries) -> str:
        """Packed entries ascending -> delta codes of n*2+t, each followed by its portion mark (all in C: map)."""
        values = list(map(rshift, entries, repeat(8)))
        deltas = map(self.enc.__getitem__, map(sub, values, chain((0,), values)))
        return "".join(map(add, deltas, map(self.marks.__getitem__, map(and_, entries, repeat(255)))))

    def decode(self, codes: str) -> list[int]:
        out, acc, dec = [], 0, self.dec
        for m in _ENTRY.finditer(codes):
            acc += dec[m[1]]
            k = PIECE.index(m[2]) + 1 if m[2] else (len(PIECE) + _decode_one(m[3]) if m[3] else 0)
            out.append(acc << 8 | k)
        return out

    # A token in more than a sixth of the records is written as a bitmap instead (shorter, and a rebuild flips
    # one bit): "#" + base64 of one bit per record (most significant first, padded to whole base64 groups)
    # + "," + the delta codes of the record numbers that have it in their title + "," + the delta codes of the
    # record numbers whose portion is not 0, each with its mark.

    def posting(self, entries) -> str:
        """Packed entries ascending -> the posting string."""
        if len(entries) * 6 <= self.n:
            return self.encode(entries)
        bits = bytearray(b"0") * self.bits
        records = list(map(rshift, entries, repeat(9)))
        deque(map(bits.__setitem__, records, repeat(49)), maxlen=0)
        titles = list(compress(records, map(and_, entries, repeat(256))))
        pieces = {e >> 9: e & 255 for e in compress(entries, map(and_, entries, repeat(255)))}
        return self._dense(int(bits, 2), titles, pieces)

    def _dense(self, bits: int, titles: list[int], pieces: dict[int, int]) -> str:
        return ("#" + base64.b64encode(bits.to_bytes(self.bits // 8, "big")).decode("ascii") + ","
                + self.encode([n << 8 for n in titles]) + "," + self.encode([n << 8 | k for n, k in sorted(pieces.items())]))

    def _undense(self, posting: str) -> tuple[int, list[int], dict[int, int]]:
        body, titles, pieces = posting[1:].split(",")
        return (int.from_bytes(base64.b64decode(body), "big"), [e >> 8 for e in self.decode(titles)],
                {e >> 8: e & 255 for e in self.decode(pieces)})

    def values(self, posting: str) -> list[int]:
        """The posting string -> packed entries ascending."""
        if not posting.startswith("#"):
            return self.decode(posting)
        bits, titles, pieces = self._undense(posting)
        in_title = set(titles)
        ones = format(bits, f"0{self.bits}b")
        return [pack(n, n in in_title, pieces.get(n, 0)) for n in (m.start() for m in _ONE.finditer(ones))]

    def edit(self, posting: str, edits: dict[int, int | None]) -> str:
        """The posting with record i's entry replaced by edits[i] (packed; None: record i does not have the token)."""
        if posting.startswith("#"):
            bits, titles, pieces = self._undense(posting)
            for i, e in edits.items():
                mask = 1 << (self.bits - 1 - i)
                bits = bits | mask if e is not None else bits & ~mask
                pos = bisect.bisect_left(titles, i)
                if pos < len(titles) and titles[pos] == i:
                    del titles[pos]
                pieces.pop(i, None)
                if e is not None and e & 256:
                    titles.insert(pos, i)
                if e is not None and e & 255:
                    pieces[i] = e & 255
            if bits.bit_count() * 6 > self.n:
                return self._dense(bits, titles, pieces)
            entries = self.values(self._dense(bits, titles, pieces))
        else:
            entries = self.decode(posting)
            for i, e in edits.items():
                pos = bisect.bisect_left(entries, i << 9)
                if pos < len(entries) and entries[pos] >> 9 == i:
                    del entries[pos]
                if e is not None:
                    entries.insert(pos, e)
        return self.posting(entries) if entries else ""


def _decode_one(code: str) -> int:
    v = 0
    for ch in code[:-1]:
        v = v * 32 + CONT.index(ch)
    return v * 32 + FINAL.index(code[-1])


def _js(callback: str, key: int | None, value: object) -> bytes:
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    head = f"{callback}({key}," if key is not None else f"{callback}("
    return (head + payload + ");\n").encode("utf-8")


def _unjs(data: bytes) -> dict:
    text = data.decode("utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def manifest(records: int, shards: int) -> dict:
    return {"format": FORMAT, "records": records, "shards": shards, "chunk": CHUNK, "final": FINAL, "cont": CONT,
            "piece": PIECE}


def _manifest_file(shards: int, keys: list[bytes], meta_files: dict[str, bytes], salt: str, extra: dict) -> bytes:
    """The manifest, with a version that changes whenever any index file does (every record's text and URL,
    every result's metadata, the code): the page adds it to the shard and chunk addresses it loads over http(s),
    so a browser or proxy never mixes files of two builds. `extra`: settings for the page (synonyms)."""
    h = hashlib.blake2b(salt.encode(), digest_size=8)
    for key in keys:
        h.update(key)
    for rel in sorted(meta_files):
        h.update(meta_files[rel])
    h.update(json.dumps(extra, ensure_ascii=False, sort_keys=True).encode())
    return _js("gkSearchManifest", None, {**extra, **manifest(len(keys), shards), "version": h.hexdigest()})


def _entry_key(e: Entry) -> bytes:
    return hashlib.blake2b(f"{e.title}\0{e.raw}\0{e.fields}\0{e.summary}\0{'|'.join(e.keys)}".encode(),
                           digest_size=16).digest()


# --- building ------------------------------------------------------------------------------------------


def _cut(text: str, pos: int, chars: int) -> int:
    """Where a portion of `chars` characters from pos ends: after a sentence's or clause's end in its last fifth,
    if there is one."""
    end = pos + chars
    if end >= len(text):
        return len(text)
    low = pos + chars * 4 // 5
    best = max(text.rfind(c, low, end) for c in _BREAKS)
    return best + 1 if best >= low else end


def layout(texts: list[str]) -> tuple[list[int], list[list[tuple[int, int]]], int]:
    """The texts of one group cut into files of about TEXT_BYTES: each text's first file (-1: no text), its
    portions (start, end) — portion k in file first+k — and the number of files."""
    firsts: list[int] = []
    cuts: list[list[tuple[int, int]]] = []
    j = used = 0
    for text in texts:
        if not text:
            firsts.append(-1)
            cuts.append([])
            continue
        per_char = len(text.encode("utf-8")) / len(text)
        if used and TEXT_BYTES - used < 1000:  # too little room left for a useful start: the next file
            j, used = j + 1, 0
        firsts.append(j)
        mine: list[tuple[int, int]] = []
        pos = 0
        while True:
            room = TEXT_BYTES - used
            chars = max(200, int(room / per_char) - 2 * OVERLAP)
            while True:
                end = _cut(text, pos, chars)
                size = len(text[max(0, pos - OVERLAP):end + OVERLAP].encode("utf-8")) + 16
                if size <= room or chars <= 200:
                    break
                chars = max(200, chars * room // size - 20)
            mine.append((pos, end))
            used += size
            pos = end
            if pos >= len(text):
                break
            j, used = j + 1, 0
        cuts.append(mine)
    return firsts, cuts, (j + 1 if used else j)


_ANY_DIGIT = re.compile(r"\d")


def _portion_tokens(text: str, cuts: list[tuple[int, int]]) -> list[tuple[set[int], set[str]]]:
    """The tokens of each portion that no earlier portion has (a token's first portion): pairs as pair_codes,
    numbers as strings. A pair across a cut belongs to the portion before it; a number to the portion it starts in."""
    seen: set[int] = set()
    seen_n: set[str] = set()
    out: list[tuple[set[int], set[str]]] = []
    for a, b in cuts:
        codes = pair_codes(normalise(text[a:b + 1]))
        codes -= seen
        seen |= codes
        nums: set[str] = set()
        # whole numbers: not the tail of one begun before a, up to the end of one running past b
        st, ext = a, b
        while st < b and st > 0 and text[st - 1].isdigit():
            st += 1
        while ext < len(text) and text[ext].isdigit():
            ext += 1
        if _ANY_DIGIT.search(text, st, ext):
            nums = numbers(normalise(text[st:ext])) - seen_n
            seen_n |= nums
        out.append((codes, nums))
    return out


def _codes_of(toks: set[str]) -> set[int]:
    return {ord(x[0]) | ord(x[1]) << 16 for x in toks}


def _record_entries(e: Entry, n: int, text: str, cuts: list[tuple[int, int]]
                    ) -> tuple[list[int], list[int], list[str], list[int], bytes]:
    """A record's pairs (pair_codes) and their packed posting entries, its longer tokens (numbers, keys) and theirs,
    and all its tokens as cache state (their count, the pair codes as 4 bytes each, the longer tokens "\0"-joined)."""
    t = normalise(e.title)
    t_pairs, t_long = _codes_of(pairs(t)), numbers(t).union(e.keys)
    base = n * 2 << 8
    codes: list[int] = []
    code_entries: list[int] = []
    longs: list[str] = []
    long_entries: list[int] = []
    for k, (new, nums) in enumerate(_portion_tokens(text, cuts)):
        if new:  # (with pairs of a space: build_full drops them once, not record by record)
            titled = new & t_pairs
            new -= titled
            codes += new
            code_entries += [base | k] * len(new)
            codes += titled
            code_entries += [base | 256 | k] * len(titled)
            t_pairs -= titled
        if nums:
            titled_n = nums & t_long
            nums -= titled_n
            longs += nums
            long_entries += [base | k] * len(nums)
            longs += titled_n
            long_entries += [base | 256 | k] * len(titled_n)
            t_long -= titled_n
    found, found_long = set(codes), set(longs)
    # in the title (or a key) only
    codes += t_pairs
    code_entries += [base | 256] * len(t_pairs)
    longs += t_long
    long_entries += [base | 256] * len(t_long)
    if e.fields:
        s = normalise(e.fields)
        more = _codes_of(pairs(s)) - found - t_pairs
        codes += more
        code_entries += [base] * len(more)
        more_long = numbers(s) - found_long - t_long
        longs += more_long
        long_entries += [base] * len(more_long)
    blob = len(codes).to_bytes(4, "little") + array("I", codes).tobytes() + "\0".join(longs).encode("utf-8")
    return codes, code_entries, longs, long_entries, blob


def _unblob(blob: bytes) -> list[str]:
    """The tokens of a record's cache state."""
    end = 4 + 4 * int.from_bytes(blob[:4], "little")
    return ([code_pair(c) for c in array("I", blob[4:end]) if is_pair(c)]
            + (blob[end:].decode("utf-8").split("\0") if blob[end:] else []))


def _meta_files(entries: list[Entry], firsts: list[int]) -> dict[str, bytes]:
    def one(e: Entry, j: int) -> dict:
        m: dict = dict(e.meta)
        if e.summary:
            m["b"] = " ".join(e.summary.split())
        if j >= 0:
            m["j"] = j
        return m

    return {f"m/{g}.js": _js("gkSearchMeta", g, [one(e, j) for e, j in zip(entries[g * CHUNK:(g + 1) * CHUNK],
                                                                          firsts[g * CHUNK:(g + 1) * CHUNK], strict=True)])
            for g in range((len(entries) + CHUNK - 1) // CHUNK)}


def _text_files(g: int, texts: list[str], firsts: list[int], cuts: list[list[tuple[int, int]]], count: int
                ) -> dict[str, bytes]:
    """x/{g}-{j}.js: the portions of group g's texts, each with OVERLAP characters on either side."""
    files: list[list] = [[] for _ in range(count)]
    for i, (text, first, mine) in enumerate(zip(texts, firsts, cuts, strict=True)):
        for k, (a, b) in enumerate(mine):
            files[first + k].append([g * CHUNK + i, text[max(0, a - OVERLAP):b + OVERLAP]])
    return {f"x/{g}-{j}.js": _text_js(g, j, items) for j, items in enumerate(files)}


def _text_js(g: int, j: int, items: list) -> bytes:
    payload = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
    return f'gkSearchText("{g}-{j}",{payload});\n'.encode()


def _shard_files(postings: dict[str, str], shards: int) -> dict[str, bytes]:
    grouped: list[dict[str, str]] = [{} for _ in range(shards)]
    for tok, posting in postings.items():
        grouped[shard_of(tok, shards)][tok] = posting
    return {f"s/{k}.js": _js("gkSearchShard", k, g) for k, g in enumerate(grouped)}


def _group_texts(entries: list[Entry], g: int) -> list[str]:
    return [e.text for e in entries[g * CHUNK:(g + 1) * CHUNK]]


def build_full(entries: list[Entry], salt: str = "", extra: dict | None = None) -> tuple[dict[str, bytes], dict]:
    """Every index file (path under search/index/ -> bytes) and the state a rebuild starts from."""
    n_all = len(entries)
    shards = shard_count(n_all)
    codec = Codec(n_all)
    by_code: defaultdict[int, list[int]] = defaultdict(list)
    by_long: defaultdict[str, list[int]] = defaultdict(list)
    blobs: list[bytes] = []
    firsts: list[int] = []
    counts: list[int] = []
    files: dict[str, bytes] = {}
    for g in range((n_all + CHUNK - 1) // CHUNK):
        texts = _group_texts(entries, g)
        f, cuts, count = layout(texts)
        firsts += f
        counts.append(count)
        files.update(_text_files(g, texts, f, cuts, count))
        for i, (text, mine) in enumerate(zip(texts, cuts, strict=True)):
            n = g * CHUNK + i
            codes, code_entries, longs, long_entries, blob = _record_entries(entries[n], n, text, mine)
            deque(map(list.append, map(by_code.__getitem__, codes), code_entries), maxlen=0)
            deque(map(list.append, map(by_long.__getitem__, longs), long_entries), maxlen=0)
            blobs.append(blob)
    postings = {code_pair(c): codec.posting(a) for c, a in by_code.items() if c & 0xFFFF > 32 and c >> 16 > 32}
    postings.update((tok, codec.posting(a)) for tok, a in by_long.items())
    del by_code, by_long
    keys = [_entry_key(e) for e in entries]
    files.update(_shard_files(postings, shards))
    meta_files = _meta_files(entries, firsts)
    files["manifest.js"] = _manifest_file(shards, keys, meta_files, salt, extra or {})
    files.update(meta_files)
    state = {"format": FORMAT, "salt": salt, "shards": shards, "urls": [e.meta["u"] for e in entries],
             "keys": keys, "blobs": blobs, "firsts": firsts, "counts": counts}
    return files, state


def _patch(entries: list[Entry], state: dict, tree: Path, extra: dict) -> tuple[dict[str, bytes | None], list[int]] | None:
    """The files that differ from the cached index `tree` when only some records' text changed (None: a file to
    delete); None: rebuild."""
    if state.get("format") != FORMAT or state.get("urls") != [e.meta["u"] for e in entries]:
        return None
    keys = [_entry_key(e) for e in entries]
    changed = [i for i, (a, b) in enumerate(zip(keys, state["keys"], strict=True)) if a != b]
    if len(changed) > MAX_PATCHED:
        return None
    shards, codec = state["shards"], Codec(len(entries))
    if len(os.listdir(tree / "s")) != shards:  # the cached index was tampered with
        return None
    # a changed text moves the files of the records after it in its group: the whole group is laid out again
    edits: defaultdict[str, dict[int, int | None]] = defaultdict(dict)
    files: dict[str, bytes | None] = {}
    redone: list[int] = []
    for g in sorted({i // CHUNK for i in changed}):
        texts = _group_texts(entries, g)
        f, cuts, count = layout(texts)
        state["firsts"][g * CHUNK:g * CHUNK + len(texts)] = f
        files.update(_text_files(g, texts, f, cuts, count))
        for j in range(count, state["counts"][g]):
            files[f"x/{g}-{j}.js"] = None
        state["counts"][g] = count
        for i, (text, mine) in enumerate(zip(texts, cuts, strict=True)):
            n = g * CHUNK + i
            for tok in _unblob(state["blobs"][n]):
                edits[tok][n] = None
            codes, code_entries, longs, long_entries, blob = _record_entries(entries[n], n, text, mine)
            for c, entry in zip(codes, code_entries, strict=True):
                if c & 0xFFFF > 32 and c >> 16 > 32:
                    edits[code_pair(c)][n] = entry
            for tok, entry in zip(longs, long_entries, strict=True):
                edits[tok][n] = entry
            state["blobs"][n] = blob
            redone.append(n)
    by_shard: defaultdict[int, list[str]] = defaultdict(list)
    for tok in edits:
        by_shard[shard_of(tok, shards)].append(tok)
    for k, toks in by_shard.items():
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
        files[f"s/{k}.js"] = _js("gkSearchShard", k, group)
    meta_files = _meta_files(entries, state["firsts"])
    files["manifest.js"] = _manifest_file(shards, keys, meta_files, state["salt"], extra)
    files.update(meta_files)
    state["keys"] = keys
    return files, redone


def write(entries: list[Entry], out_dir: Path, state_dir: Path | None = None, salt: str = "",
          extra: dict | None = None) -> IndexStats:
    """Write the index of `entries` (in their result order) into out_dir (replaced).

    state_dir keeps the last index and every record's tokens; a later call whose records are the same pages
    (same URLs, same order) re-tokenises only the groups of the changed ones and rewrites only the files that differ.
    salt: what else shaped the records (the code that prepares their text); another salt starts from scratch.
    extra: settings written into the manifest for the search page (synonyms).
    """
    started = time.perf_counter()
    extra = extra or {}
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tree = state_dir / "tree" if state_dir else None
    state_file = state_dir / "state.pickle" if state_dir else None
    patched = -1
    result = None
    if state_file is not None and tree is not None and state_file.is_file() and (tree / "manifest.js").is_file():
        try:
            with open(state_file, "rb") as fh:
                state = pickle.load(fh)
            result = _patch(entries, state, tree, extra) if state.get("salt") == salt else None
        except Exception:  # a damaged or foreign cache is simply ignored
            result = None
    if result is not None and tree is not None and state_file is not None:
        changes, redone = result
        patched = len(redone)
        state_file.unlink()  # the tree is about to change: until the new state is saved, the next build starts over
        for rel, data in changes.items():
            if data is None:
                (tree / rel).unlink(missing_ok=True)
        link_tree(tree, out_dir)
        for rel, data in changes.items():
            old = tree / rel
            if data is not None and (not old.is_file() or old.read_bytes() != data):
                write_atomic(old, data)  # a new file: the copy linked into out_dir keeps the old bytes
                place(old, out_dir / rel)
        _save_state(state_file, state)
    else:
        files, state = build_full(entries, salt, extra)
        for sub_dir in ("s", "m", "x"):
            (out_dir / sub_dir).mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        for rel, data in files.items():
            path = out_dir / rel
            with naming(path):
                fd = os.open(path, flags, 0o644)
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                finally:
                    os.close(fd)
        del files
        if tree is not None and state_file is not None:
            state_file.unlink(missing_ok=True)
            shutil.rmtree(tree, ignore_errors=True)
            link_tree(out_dir, tree)
            _save_state(state_file, state)
    count, size = 0, 0
    for dirpath, _dirs, names in os.walk(out_dir):
        for name in names:
            count += 1
            size += os.stat(os.path.join(dirpath, name)).st_size
    return IndexStats(len(entries), time.perf_counter() - started, count, size, patched)


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
