"""gongkai's own full-text index: static, sharded character bigrams that the search page reads. No MkDocs.

Text is normalised (NFKC, lower case) and split into runs of CJK characters, ASCII letters and digits; every
overlapping pair of characters in a run is a token, so 报告 is found inside 年度报告 and 2024 inside 〔2024〕3号.
A query matches the records holding all of its tokens.

Files under site/search/index/, all JavaScript that calls a global callback, so the search page loads them with
<script src> and works from file:// as well as over http(s):

- manifest.js  gkSearchManifest({...}): record count, shard count, chunk size, the posting alphabet, a version;
- s/{k}.js     gkSearchShard(k, {token: postings}): the tokens with crc32(utf-8) % shards == k;
- m/{k}.js     gkSearchMeta(k, [meta, ...]): what a result shows, for records k*CHUNK .. k*CHUNK+CHUNK-1.

Postings: the record numbers holding the token, as values n*2+t (t: the token is in the title), ascending,
delta-encoded, each delta written in base 32 most significant digit first: leading digits from CONT, the last
from FINAL; a token in more than a sixth of the records as a bitmap (Codec.posting). A query downloads the manifest, one shard per token and the metadata chunks of the results it shows.

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

FORMAT = 2
CHUNK = 32  # records per metadata file: the 20 results a page shows fetch at most 20 small files
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


def tokens(text: str) -> set[str]:
    """Every pair of neighbouring characters within a run (separators are spaces after normalise: not alnum)."""
    s = normalise(text)
    return set(filter(str.isalnum, set(map(add, s, s[1:]))))


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


def _manifest_file(shards: int, keys: list[bytes], meta_files: dict[str, bytes], salt: str) -> bytes:
    """The manifest, with a version that changes whenever any index file does (every record's text and URL,
    every result's metadata, the code): the page adds it to the shard and chunk addresses it loads over http(s),
    so a browser or proxy never mixes files of two builds."""
    h = hashlib.blake2b(salt.encode(), digest_size=8)
    for key in keys:
        h.update(key)
    for rel in sorted(meta_files):
        h.update(meta_files[rel])
    return _js("gkSearchManifest", None, {**manifest(len(keys), shards), "version": h.hexdigest()})


def _entry_key(e: Entry) -> bytes:
    return hashlib.blake2b(f"{e.title}\0{e.raw}".encode(), digest_size=16).digest()


# --- building ------------------------------------------------------------------------------------------


def _meta_files(entries: list[Entry]) -> dict[str, bytes]:
    return {f"m/{k}.js": _js("gkSearchMeta", k, [e.meta for e in entries[k * CHUNK:(k + 1) * CHUNK]])
            for k in range((len(entries) + CHUNK - 1) // CHUNK)}


def _shard_files(postings: dict[str, str], shards: int) -> dict[str, bytes]:
    grouped: list[dict[str, str]] = [{} for _ in range(shards)]
    for tok, posting in postings.items():
        grouped[shard_of(tok, shards)][tok] = posting
    return {f"s/{k}.js": _js("gkSearchShard", k, g) for k, g in enumerate(grouped)}


def _blob(toks: set[str]) -> str:
    return "".join(toks)  # cache state only, never output: any order


def _unblob(blob: str) -> list[str]:
    return [blob[i:i + 2] for i in range(0, len(blob), 2)]


def build_full(entries: list[Entry], salt: str = "") -> tuple[dict[str, bytes], dict]:
    """Every index file (path under search/index/ -> bytes) and the state a rebuild starts from."""
    n = len(entries)
    shards = shard_count(n)
    codec = Codec(n)
    lists: defaultdict[str, array] = defaultdict(partial(array, "I"))
    title_blobs, blobs = [], []
    for i, e in enumerate(entries):
        in_title = tokens(e.title)
        rest = tokens(e.text) - in_title
        v = i * 2
        for tok in rest:
            lists[tok].append(v)
        v += 1
        for tok in in_title:
            lists[tok].append(v)
        title_blobs.append(_blob(in_title))
        blobs.append(_blob(rest))
    postings = {tok: codec.posting(a) for tok, a in lists.items()}
    del lists
    keys = [_entry_key(e) for e in entries]
    files = _shard_files(postings, shards)
    meta_files = _meta_files(entries)
    files["manifest.js"] = _manifest_file(shards, keys, meta_files, salt)
    files.update(meta_files)
    state = {"format": FORMAT, "salt": salt, "shards": shards, "urls": [e.meta["u"] for e in entries],
             "keys": keys, "title_blobs": title_blobs, "blobs": blobs}
    return files, state


def _patch(entries: list[Entry], state: dict, tree: Path) -> tuple[dict[str, bytes], list[int]] | None:
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
        in_title = tokens(entries[i].title)
        rest = tokens(entries[i].text) - in_title
        for tok in rest:
            edits[tok][i] = i * 2
        for tok in in_title:
            edits[tok][i] = i * 2 + 1
        state["title_blobs"][i], state["blobs"][i] = _blob(in_title), _blob(rest)
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
    meta_files = _meta_files(entries)
    files["manifest.js"] = _manifest_file(shards, keys, meta_files, state["salt"])
    files.update(meta_files)
    state["keys"] = keys
    return files, changed


def write(entries: list[Entry], out_dir: Path, state_dir: Path | None = None, salt: str = "") -> IndexStats:
    """Write the index of `entries` (in their result order) into out_dir (replaced).

    state_dir keeps the last index and every record's tokens; a later call whose records are the same pages
    (same URLs, same order) re-tokenises only the changed ones and rewrites only the files that differ.
    salt: what else shaped the records (the code that prepares their text); another salt starts from scratch.
    """
    started = time.perf_counter()
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
            result = _patch(entries, state, tree) if state.get("salt") == salt else None
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
        files, state = build_full(entries, salt)
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


def search(out_dir: Path, query: str) -> list[tuple[int, bool]]:
    """(record number, all tokens in its title) of every record matching query, title hits first, then in order."""
    m = _unjs(b"x(0," + (out_dir / "manifest.js").read_bytes()[len("gkSearchManifest("):])
    codec = Codec(m["records"])
    found: dict[int, bool] | None = None
    for tok in sorted(tokens(query)):
        group = _unjs((out_dir / "s" / f"{shard_of(tok, m['shards'])}.js").read_bytes())
        here = {v >> 1: bool(v & 1) for v in codec.values(group.get(tok, ""))}
        found = here if found is None else {n: t and here[n] for n, t in found.items() if n in here}
    return sorted((found or {}).items(), key=lambda nt: (not nt[1], nt[0]))
