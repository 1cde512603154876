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

- manifest.js  gkSearchManifest({...}): record count, shard count, chunk size, the posting alphabet, a version,
               the synonyms;
- s/{k}.js     gkSearchShard(k, {token: postings}): the tokens with crc32(utf-8) % shards == k;
- m/{k}.js     gkSearchMeta(k, [meta, ...]): what a result shows — title, 文号, date, validity, and the first
               LEAD characters of its text (its excerpt) — for records k*CHUNK .. k*CHUNK+CHUNK-1.

Postings: the record numbers holding the token, as values n*2+t (t: the token is in the title; a key counts as
title), ascending, delta-encoded, each delta written in base 32 most significant digit first: leading digits
from CONT, the last from FINAL; a token in more than a sixth of the records as a bitmap (Codec.posting). A query
downloads the manifest, one shard per token and the metadata chunks of the results it shows.

Why the excerpt is the start of the text, not the text around the hit: that needs each shown record's text,
one file per record (10,000 more files to write at every build; creating files is what this machine is slowest
at) or chunks of several records' texts (well over 150 KB for one page of results).

A rebuild re-tokenises only records whose text changed and rewrites only the shards they touch (the last index
and every record's tokens are kept in the build cache); the result is byte-identical to a cold build.
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
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import add, and_, rshift, sub
from pathlib import Path

from gongkai.build.cache import link_tree, place, write_atomic
from gongkai.fsutil import naming

FORMAT = 3
CHUNK = 16  # records per metadata file: the 10 results a page shows fetch at most 10 files of about 6 KB
LEAD = 80  # characters of a record's text in its metadata: the excerpt a result shows
FINAL = "0123456789abcdefghijklmnopqrstuv"
CONT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_$!*~."
SEPARATORS = re.compile(r"[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ONE = re.compile("1")
_CODE = re.compile("[" + re.escape(CONT) + "]*[" + FINAL + "]")
# With more changed records than this a rebuild starts from scratch (patching shard by shard costs more).
MAX_PATCHED = 200


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


# CJK and full-width punctuation: NFKC turns it into ASCII punctuation, a separator either way. Blanking it first
# leaves most Chinese text already in NFKC form, which unicodedata checks ten times faster than it normalises.
# (〸〹〺 U+3038–303A become 十卄卅 under NFKC: left alone.)
_PUNCT = re.compile(r"[\u3000-\u3006\u3008-\u3037\u303b-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+")


def normalise(text: str) -> str:
    text = _PUNCT.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return SEPARATORS.sub(" ", text.lower())


_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"(?<![0-9])[0-9]{4,12}(?![0-9])")


def pairs(s: str) -> set[str]:
    """Every pair of neighbouring characters within a run of normalised text (separators are spaces: not alnum)."""
    return set(filter(str.isalnum, set(map(add, s, s[1:]))))


def numbers(s: str) -> set[str]:
    """Every number of 4 to 12 digits in normalised text, as a token ("#2024")."""
    return {"#" + d for d in _DIGITS.findall(s) if 3 < len(d) < 13}


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


class Codec:
    """Precomputed codes for every value a posting of `records` records can take (lookups run in C)."""

    def __init__(self, records: int):
        self.n = records
        self.bits = max(24, (records + 23) // 24 * 24)
        self.enc = [_code(v) for v in range(2 * records + 2)]
        self.dec = {c: v for v, c in enumerate(self.enc)}

    def encode(self, values) -> str:
        """Ascending values -> their delta codes."""
        return "".join(map(self.enc.__getitem__, map(sub, values, chain((0,), values))))

    def decode(self, codes: str) -> list[int]:
        return list(accumulate(map(self.dec.__getitem__, _CODE.findall(codes))))

    # A token in more than a sixth of the records is written as a bitmap instead (shorter, and a rebuild flips
    # one bit): "#" + base64 of one bit per record (most significant first, padded to whole base64 groups)
    # + "," + the delta codes of the record numbers that have it in their title.

    def posting(self, values) -> str:
        """Ascending values n*2+t -> the posting string."""
        if len(values) * 6 <= self.n:
            return self.encode(values)
        bits = bytearray(b"0") * self.bits
        deque(map(bits.__setitem__, map(rshift, values, repeat(1)), repeat(49)), maxlen=0)
        titles = list(map(rshift, compress(values, map(and_, values, repeat(1))), repeat(1)))
        return self._dense(int(bits, 2), titles)

    def _dense(self, bits: int, titles: list[int]) -> str:
        return "#" + base64.b64encode(bits.to_bytes(self.bits // 8, "big")).decode("ascii") + "," + self.encode(titles)

    def _undense(self, posting: str) -> tuple[int, list[int]]:
        body, titles = posting[1:].split(",")
        return int.from_bytes(base64.b64decode(body), "big"), self.decode(titles)

    def values(self, posting: str) -> list[int]:
        """The posting string -> ascending values n*2+t."""
        if not posting.startswith("#"):
            return self.decode(posting)
        bits, titles = self._undense(posting)
        in_title = set(titles)
        ones = format(bits, f"0{self.bits}b")
        return [n * 2 + (n in in_title) for n in (m.start() for m in _ONE.finditer(ones))]

    def edit(self, posting: str, edits: dict[int, int | None]) -> str:
        """The posting with record i's value replaced by edits[i] (None: record i does not have the token)."""
        if posting.startswith("#"):
            bits, titles = self._undense(posting)
            for i, v in edits.items():
                mask = 1 << (self.bits - 1 - i)
                bits = bits | mask if v is not None else bits & ~mask
                pos = bisect.bisect_left(titles, i)
                if pos < len(titles) and titles[pos] == i:
                    del titles[pos]
                if v is not None and v & 1:
                    titles.insert(pos, i)
            if bits.bit_count() * 6 > self.n:
                return self._dense(bits, titles)
            values = self.values(self._dense(bits, titles))
        else:
            values = self.decode(posting)
            for i, v in edits.items():
                pos = bisect.bisect_left(values, i * 2)
                if pos < len(values) and values[pos] >> 1 == i:
                    del values[pos]
                if v is not None:
                    values.insert(pos, v)
        return self.posting(values) if values else ""


def _js(callback: str, key: int | None, value: object) -> bytes:
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    head = f"{callback}({key}," if key is not None else f"{callback}("
    return (head + payload + ");\n").encode("utf-8")


def _unjs(data: bytes) -> dict:
    text = data.decode("utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def manifest(records: int, shards: int) -> dict:
    return {"format": FORMAT, "records": records, "shards": shards, "chunk": CHUNK, "final": FINAL, "cont": CONT}


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


def lead(e: Entry, text: str) -> str:
    """A result's excerpt: the page's own summary, or the start of its text, whitespace runs as one space."""
    words = (e.summary or text[:LEAD * 3]).split()
    out = " ".join(words)
    return out if len(out) <= LEAD else out[:LEAD] + "……"


# --- building ------------------------------------------------------------------------------------------


def _meta_files(entries: list[Entry], leads: list[str]) -> dict[str, bytes]:
    return {f"m/{k}.js": _js("gkSearchMeta", k, [{**e.meta, "b": b} if b else e.meta for e, b in
                                                zip(entries[k * CHUNK:(k + 1) * CHUNK], leads[k * CHUNK:(k + 1) * CHUNK],
                                                    strict=True)])
            for k in range((len(entries) + CHUNK - 1) // CHUNK)}


def _shard_files(postings: dict[str, str], shards: int) -> dict[str, bytes]:
    grouped: list[dict[str, str]] = [{} for _ in range(shards)]
    for tok, posting in postings.items():
        grouped[shard_of(tok, shards)][tok] = posting
    return {f"s/{k}.js": _js("gkSearchShard", k, g) for k, g in enumerate(grouped)}


# cache state only, never output: a record's tokens as one string, the pairs first, then "\0" and the longer
# tokens (numbers, keys) separated by "\0"
def _blob(two: set[str], longer: set[str]) -> str:
    return "".join(two) + "\0" + "\0".join(longer) if longer else "".join(two)


def _unblob(blob: str) -> list[str]:
    two, _, longer = blob.partition("\0")
    return [two[i:i + 2] for i in range(0, len(two), 2)] + (longer.split("\0") if longer else [])


def _record_tokens(e: Entry, text: str) -> tuple[set[str], set[str], str, str]:
    """(tokens in the title and the keys, the other tokens, and both as cache blobs)."""
    t = normalise(e.title)
    t_two, t_long = pairs(t), numbers(t).union(e.keys)
    s = normalise(f"{text}\n{e.fields}" if e.fields else text)
    r_two, r_long = pairs(s) - t_two, numbers(s) - t_long
    return t_two | t_long, r_two | r_long, _blob(t_two, t_long), _blob(r_two, r_long)


def build_full(entries: list[Entry], salt: str = "", extra: dict | None = None) -> tuple[dict[str, bytes], dict]:
    """Every index file (path under search/index/ -> bytes) and the state a rebuild starts from."""
    n = len(entries)
    shards = shard_count(n)
    codec = Codec(n)
    lists: defaultdict[str, array] = defaultdict(partial(array, "I"))
    title_blobs, blobs, leads = [], [], []
    for i, e in enumerate(entries):
        text = e.text
        in_title, rest, title_blob, blob = _record_tokens(e, text)
        v = i * 2
        for tok in rest:
            lists[tok].append(v)
        v += 1
        for tok in in_title:
            lists[tok].append(v)
        title_blobs.append(title_blob)
        blobs.append(blob)
        leads.append(lead(e, text))
    postings = {tok: codec.posting(a) for tok, a in lists.items()}
    del lists
    keys = [_entry_key(e) for e in entries]
    files = _shard_files(postings, shards)
    meta_files = _meta_files(entries, leads)
    files["manifest.js"] = _manifest_file(shards, keys, meta_files, salt, extra or {})
    files.update(meta_files)
    state = {"format": FORMAT, "salt": salt, "shards": shards, "urls": [e.meta["u"] for e in entries],
             "keys": keys, "title_blobs": title_blobs, "blobs": blobs, "leads": leads}
    return files, state


def _patch(entries: list[Entry], state: dict, tree: Path, extra: dict) -> tuple[dict[str, bytes], list[int]] | None:
    """The files that differ from the cached index `tree` when only some records' text changed; None: rebuild."""
    if state.get("format") != FORMAT or state.get("urls") != [e.meta["u"] for e in entries]:
        return None
    keys = [_entry_key(e) for e in entries]
    changed = [i for i, (a, b) in enumerate(zip(keys, state["keys"], strict=True)) if a != b]
    if len(changed) > MAX_PATCHED:
        return None
    shards, codec = state["shards"], Codec(len(entries))
    if len(os.listdir(tree / "s")) != shards:  # the cached index was tampered with
        return None
    # token -> {record: new value or None (gone)}
    edits: defaultdict[str, dict[int, int | None]] = defaultdict(dict)
    for i in changed:
        for tok in _unblob(state["title_blobs"][i]) + _unblob(state["blobs"][i]):
            edits[tok][i] = None
        text = entries[i].text
        in_title, rest, title_blob, blob = _record_tokens(entries[i], text)
        for tok in rest:
            edits[tok][i] = i * 2
        for tok in in_title:
            edits[tok][i] = i * 2 + 1
        state["title_blobs"][i], state["blobs"][i] = title_blob, blob
        state["leads"][i] = lead(entries[i], text)
    by_shard: defaultdict[int, list[str]] = defaultdict(list)
    for tok in edits:
        by_shard[shard_of(tok, shards)].append(tok)
    files: dict[str, bytes] = {}
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
    meta_files = _meta_files(entries, state["leads"])
    files["manifest.js"] = _manifest_file(shards, keys, meta_files, state["salt"], extra)
    files.update(meta_files)
    state["keys"] = keys
    return files, changed


def write(entries: list[Entry], out_dir: Path, state_dir: Path | None = None, salt: str = "",
          extra: dict | None = None) -> IndexStats:
    """Write the index of `entries` (in their result order) into out_dir (replaced).

    state_dir keeps the last index and every record's tokens; a later call whose records are the same pages
    (same URLs, same order) re-tokenises only the changed ones and rewrites only the files that differ.
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
        files, changed = result
        patched = len(changed)
        state_file.unlink()  # the tree is about to change: until the new state is saved, the next build starts over
        link_tree(tree, out_dir)
        for rel, data in files.items():
            old = tree / rel
            if not old.is_file() or old.read_bytes() != data:
                write_atomic(old, data)  # a new file: the copy linked into out_dir keeps the old bytes
                place(old, out_dir / rel)
        _save_state(state_file, state)
    else:
        files, state = build_full(entries, salt, extra)
        for sub_dir in ("s", "m"):
            (out_dir / sub_dir).mkdir(parents=True, exist_ok=True)
        for rel, data in files.items():
            with naming(out_dir / rel):
                (out_dir / rel).write_bytes(data)
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
    """What result n shows (its metadata and excerpt)."""
    chunk = _read_manifest(out_dir)["chunk"]
    return _unjs((out_dir / "m" / f"{n // chunk}.js").read_bytes())[n % chunk]


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
    m = _read_manifest(out_dir)
    codec = Codec(m["records"])
    cache: dict[str, dict[int, bool]] = {}

    def posting(tok: str) -> dict[int, bool]:
        if tok not in cache:
            group = _unjs((out_dir / "s" / f"{shard_of(tok, m['shards'])}.js").read_bytes())
            cache[tok] = {v >> 1: bool(v & 1) for v in codec.values(group.get(tok, ""))}
        return cache[tok]

    found: dict[int, bool] | None = None
    for word in query.split():
        hits: dict[int, bool] = {}
        for variant in variants(word, m.get("synonyms", {})):
            toks = query_tokens(variant)
            if not toks:
                continue
            here: dict[int, bool] | None = None
            for tok in toks:
                p = posting(tok)
                here = dict(p) if here is None else {n: t and p[n] for n, t in here.items() if n in p}
            for n, t in (here or {}).items():
                hits[n] = hits.get(n, False) or t
        if not any(query_tokens(v) for v in variants(word, m.get("synonyms", {}))):
            continue
        found = hits if found is None else {n: t and hits[n] for n, t in found.items() if n in hits}
    keyed: dict[int, int] = {}
    for rank, key in enumerate(query_keys(query)):
        for n in posting(key):
            keyed.setdefault(n, rank)
    out = {n: (0, keyed[n]) for n in keyed}
    for n, t in (found or {}).items():
        out.setdefault(n, (1 if t else 2, 0))
    return [(n, tier) for n, (tier, _) in sorted(out.items(), key=lambda kv: (kv[1], kv[0]))]
