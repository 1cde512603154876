"""The tokens of search records, and where in each record's text each token first occurs. No MkDocs.

A record is its text cut into portions (searchindex.layout), its title, its other searched fields (文号, 索引号,
发布机构) and its exact keys. Its tokens (searchindex module docstring) are every pair of neighbouring characters
and every number of 4 to 12 digits in the normalised text — NFKC, lower case, anything but letters, digits and CJK
characters a separator — and the keys. For each token a record has one value (VAL_BITS bits):
`in_title << 8 | k`, k the portion of the text where the token first occurs (0 when it is only in the title or
the fields); searchindex.pack() adds the record number.

Where a portion starts: a pair belongs to the portion its first character is in, a number to the portion it
starts in; characters are normalised one at a time (char_map), so positions never move. A text with a character
that NFKC may join to its neighbour (combining marks, Hangul jamo, characters outside the BMP) is normalised
portion by portion with searchindex.normalise instead: exact, and slower.

Two implementations that give the same values: scan() in plain Python, for the few records a rebuild re-reads
(importing numpy would cost a rebuild more than it saves), and scan_many() with numpy, for a cold build of
thousands of records (the per-character work in C: about 20 times faster). tests/build/test_searchscan.py checks
that they agree on real and random text.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

TEXT_LIMIT = 256  # portion numbers 0..255 (searchindex.MAX_PIECE); a later portion counts as the 255th
FIELDS = 510  # scan order values: a portion k < 256; the fields (not shown, not in the title); the title
TITLE = 511
_ALLOWED = re.compile(r"[0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"(?<![0-9])[0-9]{4,12}(?![0-9])")


@dataclass
class Item:
    """What is scanned of one record."""

    text: str
    cuts: Sequence[tuple[int, int]]  # the portions of text, contiguous from 0 to len(text)
    title: str
    fields: str = ""
    keys: Sequence[str] = ()


@dataclass
class Scanned:
    """One record's tokens: pair codes (first character + second << 16) ascending with their values, and the longer
    tokens (numbers "#2024", keys "=w…") with theirs."""

    codes: list[int]
    vals: list[int]
    longs: dict[str, int]


# --- characters -----------------------------------------------------------------------------------------------


@functools.cache
def _seconds() -> frozenset[int]:
    """Second halves of canonical compositions: NFKC may join them to the character before."""
    out = set()
    for cp in range(65536):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            parts = d.split()
            if len(parts) == 2:
                out.add(int(parts[1], 16))
    return frozenset(out)


def _char(cp: int) -> tuple[str, int]:
    """What a BMP character normalises to on its own (NFKC, lower case, each character that is not a letter, digit
    or CJK character a space), and a flag: 1 for a character whose normalisation takes more than one character,
    2 for one whose normalisation depends on its neighbours (see the module docstring)."""
    c = chr(cp)
    if 0xD800 <= cp < 0xE000:
        return " ", 2
    x = unicodedata.normalize("NFKC", c).lower()
    out = _mapped(c, x)
    seconds = _seconds()
    if (unicodedata.combining(c) or unicodedata.category(c).startswith("M") or cp in seconds
            or 0x1100 <= cp < 0x1200 or 0x3130 <= cp < 0x3190 or 0xA960 <= cp < 0xA980 or 0xD7B0 <= cp < 0xD800
            or 0xFFA0 <= cp < 0xFFE0 or any(unicodedata.combining(ch) or ord(ch) in seconds for ch in x)):
        return out, 2
    return out, 0 if len(out) == 1 else 1


def _mapped(c: str, x: str) -> str:
    """What the character c normalises to on its own (x: its NFKC, lower case), separators as spaces."""
    out = "".join(ch if _ALLOWED.match(ch) else " " for ch in x) if x != c or not _ALLOWED.match(c) else c
    return " " if out.isspace() else out


@functools.cache
def char_map() -> tuple[list[str], bytearray]:
    """_char() of every BMP character (the numpy scan's tables; about 0.1 s to make)."""
    both = [_char(cp) for cp in range(65536)]
    return [m for m, _f in both], bytearray(f for _m, f in both)


class _Lazy(dict):
    """_char() of the characters a text has, taken when first met from the tables CHARS_FILE holds (read without
    numpy: a rebuild reads a few records, and making _char's table of canonical compositions took it 0.1 s), or
    made by _char when the file is not for this Python's Unicode version (str.translate takes it as its table:
    code point -> string)."""

    def __init__(self, which: int):
        super().__init__()
        self.which = which

    def __missing__(self, cp: int):
        if cp >= 0x10000:
            value = " " if self.which == 0 else 2
        else:
            tables = _file_tables()
            value = _char(cp)[self.which] if tables is None else _from_file(tables, cp)[self.which]
        self[cp] = value
        return value


@functools.cache
def _file_tables() -> tuple[bytes, dict[int, str]] | None:
    """CHARS_FILE's kind of every BMP character and the mapped character of those of kind 2, or None when the file
    is missing or of another Unicode version (char_tables_bytes says what it holds)."""
    try:
        head, _, packed = CHARS_FILE.read_bytes().partition(b"\n")
    except OSError:
        return None
    if head != f"gongkai-searchchars {unicodedata.unidata_version}".encode():
        return None
    raw = zlib.decompress(packed)
    kinds, others = raw[:65536], raw[65536:]
    pairs = memoryview(others).cast("H")
    return kinds, {pairs[i]: chr(pairs[i + 1]) for i in range(0, len(pairs), 2)}


def _from_file(tables: tuple[bytes, dict[int, str]], cp: int) -> tuple[str, int]:
    """_char(cp) from CHARS_FILE's tables; the mapping of a character that normalises to more than one character
    (kind 0, flagged) is made here (the file keeps only its flag). tests/build/test_searchscan.py checks it is
    _char's for every BMP character."""
    kinds, others = tables
    k = kinds[cp]
    kind, flag = k & 3, k >> 2
    if kind == 0:
        c = chr(cp)
        return (" " if flag == 0 else _mapped(c, unicodedata.normalize("NFKC", c).lower())), flag
    return (chr(cp) if kind == 1 else others[cp]), flag


_MAPPED = _Lazy(0)
_FLAGS = _Lazy(1)


def _hard(text: str, flags) -> bool:
    """Whether text has a character normalised with its neighbours (then searchindex.normalise, portion by portion)."""
    return bool(text) and (max(text) > "\uffff" or any(flags[ord(c)] == 2 for c in set(text)))


# --- plain Python -------------------------------------------------------------------------------------------


class _Found:
    """Tokens seen so far: the smallest value of each outside the title, and those in the title."""

    def __init__(self) -> None:
        self.best: dict = {}
        self.titled: set = set()

    def add(self, toks, val: int) -> None:
        if val == TITLE:
            self.titled.update(toks)
            return
        best = self.best
        for t in toks:
            was = best.get(t)
            if was is None or val < was:
                best[t] = val

    def values(self) -> dict:
        """token -> in_title << 8 | k, in token order."""
        out = {}
        for t in sorted(self.best.keys() | self.titled):
            v = self.best.get(t, FIELDS)
            out[t] = (t in self.titled) << 8 | (v if v < TEXT_LIMIT else 0)
        return out


def _pair_codes(s: str) -> set[int]:
    """The pairs of s as codes (first character + second << 16); a pair with a space is no token."""
    b = s.encode("utf-16-le")
    codes = set(memoryview(b[: len(b) // 4 * 4]).cast("I"))
    b2 = b[2:]
    codes.update(memoryview(b2[: len(b2) // 4 * 4]).cast("I"))
    return {c for c in codes if c & 0xFFFF != 32 and c >> 16 != 32}


def _normalised(s: str, flags, mapped) -> str:
    from gongkai.build.searchindex import normalise

    return normalise(s) if _hard(s, flags) else s.translate(mapped)


def scan(item: Item) -> Scanned:
    """One record's tokens and values, in plain Python."""
    mapped, flags = _MAPPED, _FLAGS
    from gongkai.build.searchindex import normalise

    text, cuts = item.text, item.cuts
    hard = _hard(text, flags)
    pieces = [normalise(text[a:b]) if hard else text[a:b].translate(mapped) for a, b in cuts]
    pairs, longs = _Found(), _Found()
    for k, piece in enumerate(pieces):  # with the first character of the next: a pair across a cut is this one's
        nxt = pieces[k + 1][:1] if k + 1 < len(pieces) else ""
        pairs.add(_pair_codes(piece + nxt), min(k, TEXT_LIMIT - 1))
    starts, pos = [], 0
    for piece in pieces:
        starts.append(pos)
        pos += len(piece)
    for m in _NUMBER.finditer("".join(pieces)):
        longs.add(("#" + m[0],), min(bisect_right(starts, m.start()) - 1, TEXT_LIMIT - 1))
    for s, val in ((item.fields, FIELDS), (item.title, TITLE)):
        if s:
            norm = _normalised(s, flags, mapped)
            pairs.add(_pair_codes(norm), val)
            longs.add(["#" + d for d in _NUMBER.findall(norm)], val)
    longs.add(item.keys, TITLE)
    values = pairs.values()
    return Scanned(list(values), list(values.values()), longs.values())


# --- numpy ---------------------------------------------------------------------------------------------------


CHARS_FILE = Path(__file__).with_name("searchchars.bin")  # the numpy scan's tables, written out (char_tables_bytes)


def char_tables_bytes() -> bytes:
    """The numpy scan's tables as the file CHARS_FILE holds them, from char_map() (about 0.3 s to make, in each of
    a cold build's processes; reading the file takes a millisecond): the Unicode version, then compressed one byte
    per BMP character — 0 a space, 1 itself, 2 another character; its flag (_char) times 4 — and the code point
    and mapped character of each of the others (UTF-16-LE pairs). tests/build/test_searchscan.py checks it."""
    mapped, flags = char_map()
    kinds = bytearray(65536)
    others = bytearray()
    for cp, m in enumerate(mapped):
        kind = 0 if len(m) != 1 or m == " " else 1 if ord(m) == cp else 2
        kinds[cp] = kind | flags[cp] << 2
        if kind == 2:
            others += cp.to_bytes(2, "little") + ord(m).to_bytes(2, "little")
    return f"gongkai-searchchars {unicodedata.unidata_version}\n".encode() + zlib.compress(bytes(kinds + others), 9)


@functools.cache
def _tables() -> tuple[Any, Any]:
    """(mapped code unit of every BMP character: 32 for a space or more than one character, flags), as arrays:
    from CHARS_FILE when it was written for this Python's Unicode version, else made from char_map()."""
    import numpy as np

    try:
        data = CHARS_FILE.read_bytes()
        head, _, packed = data.partition(b"\n")
        ok = head == f"gongkai-searchchars {unicodedata.unidata_version}".encode()
    except OSError:
        ok = False
    if ok:
        raw = np.frombuffer(zlib.decompress(packed), dtype=np.uint8)
        kinds, others = raw[:65536], raw[65536:].view("<u2").reshape(-1, 2)
        table = np.where(kinds & 3 == 1, np.arange(65536, dtype=np.uint16), np.uint16(32)).astype(np.uint16)
        table[others[:, 0]] = others[:, 1]
        return table, (kinds >> 2).astype(np.uint8)
    mapped, flags = char_map()
    table = np.array([ord(m) if len(m) == 1 else 32 for m in mapped], dtype=np.uint16)
    return table, np.frombuffer(bytes(flags), dtype=np.uint8)


_SLOW = 0xFFFF  # in _joint_table: a character flagged by _char (never a mapped character: U+FFFF maps to a space)


@functools.cache
def _joint_table() -> Any:
    """_tables()'s mapped code unit of every BMP character, _SLOW for the characters it flags (those records are
    scanned by scan(), and their stretch blanked before the pairs are made)."""
    import numpy as np

    table, flags = _tables()
    assert not (table == _SLOW).any()
    return np.where(flags != 0, np.uint16(_SLOW), table).astype(np.uint16)


def scan_many(items: Sequence[Item], first_rec: int = 0) -> tuple[Any, Any, Any, list[dict[str, int]]]:
    """scan() of many records at once: (codes, records, values) of every pair token, ordered by record then code
    (records numbered from `first_rec`), and every record's longer tokens with their values.

    The records are put end to end (text, fields, title, each followed by a line break), each character mapped by
    a table, pairs made by shifting by one, and every (record, pair, first portion) made unique by one sort of
    64-bit keys: record << 41 | code << 9 | value. Values only grow along a record (portions, then the fields,
    then the title), so the first of a (record, pair) is its first portion. A record with a character whose
    normalisation is not one character is blanked out here and scanned by scan()."""
    import numpy as np

    joint = _joint_table()
    n_items = len(items)
    joined = "".join(chain.from_iterable((it.text, "\n", it.fields, "\n", it.title, "\n") for it in items))
    raw = np.frombuffer(joined.encode("utf-16-le"), dtype=np.uint16)
    del joined
    # where each record's text, fields and title start, in UTF-16 code units (a character outside the BMP is two)
    lens = np.array([(len(it.text), len(it.fields), len(it.title)) for it in items], dtype=np.int64).reshape(-1, 3)
    if len(raw) != int(lens.sum()) + 3 * n_items:
        lens = np.array([[len(x.encode("utf-16-le")) // 2 for x in (it.text, it.fields, it.title)] for it in items],
                        dtype=np.int64).reshape(-1, 3)
    ends = np.cumsum(lens.sum(axis=1) + 3)
    starts = ends - (lens.sum(axis=1) + 3)
    u = joint[raw]  # (one lookup for both tables: a character of its own record's scan() is _SLOW)
    del raw
    odd = np.flatnonzero(u == _SLOW)
    slow_at = np.unique(np.searchsorted(ends, odd, side="right")).tolist() if len(odd) else []
    del odd
    longs: list[dict[str, int]] = [{} for _ in items]
    slow: list[tuple[int, Scanned]] = []
    for i in slow_at:
        done = scan(items[i])
        slow.append((first_rec + i, done))
        longs[i] = done.longs
        u[starts[i]:ends[i]] = 32  # no tokens here: scan() gave them
    # the stretches of one (record, value), as record << 41 | value, and where each starts
    bound_pos: list[int] = []
    bound_key: list[int] = []
    for i, (it, pos, (n_text, n_fields, _n_title)) in enumerate(zip(items, starts.tolist(), lens.tolist(), strict=True)):
        hi = (first_rec + i) << 41
        for k, (a, _b) in enumerate(it.cuts):
            bound_pos.append(pos + a)
            bound_key.append(hi | min(k, TEXT_LIMIT - 1))
        bound_pos += [pos + n_text, pos + n_text + n_fields + 2]
        bound_key += [hi | FIELDS, hi | TITLE]
    bpos = np.array(bound_pos + [len(u)], dtype=np.int64)
    at_pos = np.repeat(np.array(bound_key, dtype=np.uint64), np.diff(bpos))  # record << 41 | value of each position
    del bpos, bound_pos, bound_key
    _numbers(u, at_pos, items, first_rec, longs)
    for i, it in enumerate(items):  # keys of records without numbers
        if it.keys and not longs[i]:
            f = _Found()
            f.add(it.keys, TITLE)
            longs[i] = f.values()
    filled = u != 32
    pair = filled[:-1] & filled[1:]
    del filled
    keys = at_pos[:-1][pair] | _pair_codes_at(u)[pair].astype(np.uint64) << np.uint64(9)
    del pair, at_pos
    keys.sort()  # (np.unique hashes first: several times slower here)
    # per (record, code): the smallest value is the first portion; the largest says whether the title has it
    rc = keys >> np.uint64(9)
    new = np.flatnonzero(np.concatenate(([len(rc) > 0], rc[1:] != rc[:-1])))
    last = np.concatenate((new[1:] - 1, [len(keys) - 1] if len(keys) else [])).astype(np.int64)
    lo = (keys[new] & np.uint64(511)).astype(np.uint16)
    hi_v = (keys[last] & np.uint64(511)).astype(np.uint16)
    vals = np.where(lo < TEXT_LIMIT, lo, 0).astype(np.uint16) | np.where(hi_v == TITLE, 256, 0).astype(np.uint16)
    rc = rc[new]
    codes = (rc & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    recs = (rc >> np.uint64(32)).astype(np.int64)
    if slow:  # merged in record order
        codes = np.concatenate([codes] + [np.array(s.codes, dtype=np.uint32) for _r, s in slow])
        recs = np.concatenate([recs] + [np.full(len(s.codes), r, dtype=np.int64) for r, s in slow])
        vals = np.concatenate([vals] + [np.array(s.vals, dtype=np.uint16) for _r, s in slow])
        order = np.lexsort((codes, recs))
        codes, recs, vals = codes[order], recs[order], vals[order]
    return codes, recs, vals, longs


def _pair_codes_at(u) -> Any:
    """The code of the pair at every position of u (u[i] + u[i+1] << 16): its 16-bit units read two at a time as
    32-bit ones, from the even positions and from the odd (on a little-endian machine; else shifted and added)."""
    import numpy as np

    n = len(u)
    if sys.byteorder != "little" or n < 2:
        u32 = u.astype(np.uint32)
        return u32[:-1] | u32[1:] << 16
    out = np.empty(n - 1, dtype=np.uint32)
    out[0::2] = u[:n // 2 * 2].view(np.uint32)
    out[1::2] = u[1:1 + (n - 1) // 2 * 2].view(np.uint32)
    return out


def _numbers(u, at_pos, items: Sequence[Item], first_rec: int, longs: list[dict[str, int]]) -> None:
    """The number tokens ("#2024": runs of 4 to 12 digits) of the mapped text u, with the keys, into longs.

    Each run is made one integer (its digits' value and its length, which keeps leading zeros) and the runs are
    made unique per record with numpy before any string is made: a table repeats the same years and amounts in
    every row, and making a string of each occurrence cost more than the rest of the scan of them."""
    import numpy as np

    dig = np.zeros(len(u) + 2, dtype=bool)
    dig[1:-1] = (u >= 48) & (u <= 57)
    edges = np.flatnonzero(dig[1:] != dig[:-1])
    run_a, run_b = edges[0::2], edges[1::2]
    ok = (run_b - run_a >= 4) & (run_b - run_a <= 12)
    if not ok.any():
        return
    run_a, run_b = run_a[ok], run_b[ok]
    lens = run_b - run_a
    offs = np.concatenate(([0], np.cumsum(lens)))
    run_of = np.repeat(np.arange(len(lens)), lens)
    at = np.arange(offs[-1])
    # the table maps every digit to ASCII 0-9: each digit times its power of ten, summed per run (< 10**12)
    digits = u[run_a[run_of] + (at - offs[run_of])].astype(np.int64) - 48
    power = (lens[run_of] - 1 - (at - offs[run_of])).astype(np.int64)
    value = np.add.reduceat(digits * np.power(np.int64(10), power), offs[:-1])
    del digits, power, run_of, at
    num = value | lens.astype(np.int64) << 40
    hi = at_pos[run_a]
    recs_n = (hi >> np.uint64(41)).astype(np.int64)
    vals_n = (hi & np.uint64(511)).astype(np.int64)
    # per (record, number), in the order of the text (a stable sort): values grow along the record, so the first
    # is its first value and the last is TITLE when the title has it
    order = np.lexsort((num, recs_n))
    num, recs_n, vals_n = num[order], recs_n[order], vals_n[order]
    new = np.concatenate(([True], (num[1:] != num[:-1]) | (recs_n[1:] != recs_n[:-1])))
    first_at = np.flatnonzero(new)
    last_at = np.concatenate((first_at[1:] - 1, [len(num) - 1]))
    lo = vals_n[first_at]
    entry = np.where(vals_n[last_at] == TITLE, 256, 0) | np.where(lo < TEXT_LIMIT, lo, 0)
    u_num = num[first_at]
    u_rec = recs_n[first_at]
    toks = list(map("#{1:0{0}d}".format, (u_num >> 40).tolist(), (u_num & ((1 << 40) - 1)).tolist()))
    cut = np.flatnonzero(np.concatenate(([True], u_rec[1:] != u_rec[:-1], [True]))).tolist()
    entries = entry.tolist()
    recs_l = u_rec.tolist()
    for a, b in zip(cut, cut[1:], strict=False):
        r = recs_l[a] - first_rec
        mine = dict(zip(toks[a:b], entries[a:b], strict=True))
        for key in items[r].keys:
            mine[key] = 256
        longs[r] = {t: mine[t] for t in sorted(mine)}
