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
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
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
    out = "".join(ch if _ALLOWED.match(ch) else " " for ch in x) if x != c or not _ALLOWED.match(c) else c
    if out.isspace():
        out = " "
    seconds = _seconds()
    if (unicodedata.combining(c) or unicodedata.category(c).startswith("M") or cp in seconds
            or 0x1100 <= cp < 0x1200 or 0x3130 <= cp < 0x3190 or 0xA960 <= cp < 0xA980 or 0xD7B0 <= cp < 0xD800
            or 0xFFA0 <= cp < 0xFFE0 or any(unicodedata.combining(ch) or ord(ch) in seconds for ch in x)):
        return out, 2
    return out, 0 if len(out) == 1 else 1


@functools.cache
def char_map() -> tuple[list[str], bytearray]:
    """_char() of every BMP character (the numpy scan's tables; about 0.1 s to make)."""
    both = [_char(cp) for cp in range(65536)]
    return [m for m, _f in both], bytearray(f for _m, f in both)


class _Lazy(dict):
    """_char() of the characters a text has, made when first met: a rebuild reads a few records and should not
    make the tables of all 65,536 (str.translate takes it as its table: code point -> string)."""

    def __init__(self, which: int):
        super().__init__()
        self.which = which

    def __missing__(self, cp: int):
        value = _char(cp)[self.which] if cp < 0x10000 else (" " if self.which == 0 else 2)
        self[cp] = value
        return value


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


@functools.cache
def _tables() -> tuple[Any, Any]:
    import numpy as np

    mapped, flags = char_map()
    table = np.array([ord(m) if len(m) == 1 else 32 for m in mapped], dtype=np.uint16)
    return table, np.frombuffer(bytes(flags), dtype=np.uint8)


def scan_many(items: Sequence[Item], first_rec: int = 0) -> tuple[Any, Any, Any, list[dict[str, int]]]:
    """scan() of many records at once: (codes, records, values) of every pair token, ordered by record then code
    (records numbered from `first_rec`), and every record's longer tokens with their values.

    The texts are put end to end, each character mapped by a table, pairs made by shifting by one, and every
    (record, pair, first portion) made unique by one sort of 64-bit keys: record << 41 | code << 9 | value.
    A record with a character whose normalisation is not one character is scanned by scan()."""
    import numpy as np

    table, flags = _tables()
    longs: list[dict[str, int]] = [{} for _ in items]
    slow: list[tuple[int, Scanned]] = []
    segs: list[str] = []
    bound_pos: list[int] = []  # where each stretch with one (record, value) starts in the joined text
    bound_rec: list[int] = []
    bound_val: list[int] = []
    pos = 0
    for i, it in enumerate(items):
        whole = "\n".join((it.text, it.fields, it.title))  # (outside the BMP: surrogates, flagged)
        if whole and flags[np.frombuffer(whole.encode("utf-16-le"), dtype=np.uint16)].any():
            done = scan(it)
            slow.append((first_rec + i, done))
            longs[i] = done.longs
            continue
        rec = first_rec + i
        for k, (a, _b) in enumerate(it.cuts):
            bound_pos.append(pos + a)
            bound_rec.append(rec)
            bound_val.append(min(k, TEXT_LIMIT - 1))
        bound_pos += [pos + len(it.text), pos + len(it.text) + 1, pos + len(it.text) + len(it.fields) + 2]
        bound_rec += [rec, rec, rec]
        bound_val += [FIELDS, FIELDS, TITLE]
        segs.append(whole)
        segs.append("\n")
        pos += len(whole) + 1
    u = table[np.frombuffer("".join(segs).encode("utf-16-le"), dtype=np.uint16)]
    bpos = np.array(bound_pos, dtype=np.int64)
    brec = np.array(bound_rec, dtype=np.uint64)
    bval = np.array(bound_val, dtype=np.uint64)
    # numbers: runs of 4 to 12 digits in the mapped text (few: their tokens are made one by one)
    dig = (u >= 48) & (u <= 57)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], dig, [False])).astype(np.int8)))
    run_a, run_b = edges[0::2], edges[1::2]
    ok = (run_b - run_a >= 4) & (run_b - run_a <= 12)
    if ok.any():
        mapped_text = u.tobytes().decode("utf-16-le")
        where = np.searchsorted(bpos, run_a[ok], side="right") - 1
        toks = list(map("#".__add__, map(mapped_text.__getitem__, map(slice, run_a[ok].tolist(), run_b[ok].tolist()))))
        recs_n, vals_n = brec[where], bval[where].tolist()
        cut = np.flatnonzero(np.concatenate(([True], recs_n[1:] != recs_n[:-1], [True]))).tolist()
        for lo, hi in zip(cut, cut[1:], strict=False):
            r = int(recs_n[lo])
            # values grow along the text (portions, then the fields, then the title): the first occurrence is
            # the smallest; a dict built backwards keeps the first
            first = dict(zip(reversed(toks[lo:hi]), reversed(vals_n[lo:hi]), strict=True))
            f = _Found()
            f.best = {t: v for t, v in first.items() if v != TITLE}
            f.titled = {t for t, v in zip(toks[lo:hi], vals_n[lo:hi], strict=True) if v == TITLE}
            f.add(items[r - first_rec].keys, TITLE)
            longs[r - first_rec] = f.values()
    for i, it in enumerate(items):  # keys of records without numbers
        if it.keys and not longs[i]:
            f = _Found()
            f.add(it.keys, TITLE)
            longs[i] = f.values()
    a = u[:-1].astype(np.uint64)
    b = u[1:].astype(np.uint64)
    at = np.flatnonzero((a != 32) & (b != 32))
    which = np.searchsorted(bpos, at, side="right") - 1
    keys = brec[which] << np.uint64(41) | (a[at] | b[at] << np.uint64(16)) << np.uint64(9) | bval[which]
    del a, b, at, which
    keys.sort()  # (np.unique hashes first: several times slower here)
    # per (record, code): the smallest value is the first portion; the largest says whether the title has it
    rc = keys >> np.uint64(9)
    new = np.flatnonzero(np.concatenate(([len(rc) > 0], rc[1:] != rc[:-1])))
    last = np.concatenate((new[1:] - 1, [len(keys) - 1] if len(keys) else [])).astype(np.int64)
    lo = (keys[new] & np.uint64(511)).astype(np.uint16)
    hi = (keys[last] & np.uint64(511)).astype(np.uint16)
    vals = np.where(lo < TEXT_LIMIT, lo, 0).astype(np.uint16) | np.where(hi == TITLE, 256, 0).astype(np.uint16)
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
