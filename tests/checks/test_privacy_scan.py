"""The privacy gate's fast scan finds exactly what the scan it replaced found: same kind, digits and offset.

Session 16 replaced the scan of every run of digits in the normalised text (slow on bodies full of tables) with a
quick look at the text's bytes and a regex that matches the text as it is, only where 11 digits follow. The scan
it replaced is kept below as the reference (normalising with str.translate: the same string); the fast one must agree with it on any text.
Session 17 taught both the X set apart from the 17 digits before it (…002 X): the reference's two regexes say how.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from typing import Any

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import find as find_example
from hypothesis import strategies as st

from gongkai.checks import privacy
from gongkai.memo import MISSING

# --- the reference: privacy._find before session 16 -------------------------------------------------

_REF_NORMALISE = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "－": "-", "‐": "-", "‑": "-",
     "‒": "-", "–": "-", "—": "-", "\u3000": " ", "\xa0": " ", "\u2009": " ", "\u202f": " "}
)
_REF_TOKEN_RE = re.compile(r"(?<![0-9])[0-9]+(?:[ \-][0-9]+)*(?:[ \-]?[Xx])?(?![0-9A-Za-z])")
_REF_GROUP_RE = re.compile(r"[0-9]+[Xx]?|[Xx]")
_REF_DIGIT_CHARS = "0123456789" + "".join(chr(0xFF10 + i) for i in range(10))


def reference_find(text: str) -> Iterator[tuple[str, str, int]]:
    """Every (kind, digits, offset): the whole text normalised, every token of it looked at."""
    if len(text) < 11 or sum(map(text.count, _REF_DIGIT_CHARS)) < 11:
        return
    norm = text.translate(_REF_NORMALISE)
    for token in _REF_TOKEN_RE.finditer(norm):
        if token.end() - token.start() < 11:
            continue
        groups = [(m.group(), token.start() + m.start()) for m in _REF_GROUP_RE.finditer(token.group())]
        i = 0
        while i < len(groups):
            found = False
            total = 0
            end = i
            while end < len(groups) and total + len(groups[end][0]) <= privacy.MAX_DIGITS:
                total += len(groups[end][0])
                end += 1
            for j in range(end, i, -1):
                part = groups[i:j]
                if any(g[-1] in "Xx" for g, _ in part[:-1]):
                    continue
                code = "".join(g for g, _ in part)
                kind = privacy.classify(code, tuple(len(g) for g, _ in part))
                if kind:
                    yield kind, code.upper(), part[0][1]
                    i = j
                    found = True
                    break
            if not found:
                i += 1


class DictMemo:
    def __init__(self) -> None:
        self.data: dict[Hashable, Any] = {}

    def get(self, key: Hashable) -> Any:
        return self.data.get(key, MISSING)

    def put(self, key: Hashable, value: Any) -> None:
        self.data[key] = value


# --- generated texts ---------------------------------------------------------------------------------

FULL_WIDTH = {**{str(i): chr(0xFF10 + i) for i in range(10)}, "X": "Ｘ", "x": "ｘ"}
SEPARATORS = [" ", "-", "－", "‐", "‑", "‒", "–", "—", "\u3000", "\xa0", "\u2009", "\u202f"]


def _luhn_completed(digits: str) -> str:
    return next(digits + c for c in "0123456789" if privacy.luhn_ok(digits + c))


def _id_completed(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, privacy._ID_WEIGHTS, strict=True))
    return first17 + privacy._ID_CHECK[total % 11]


DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=20)
IDS = st.builds(lambda region, birth, serial: _id_completed(f"{region}0102{birth}{serial:03d}"),
                st.sampled_from(sorted(privacy._ID_REGIONS)),
                st.sampled_from(["19900101", "19491231", "20000229", "19850615", "20121130"]), st.integers(0, 999))
IDS_X = st.builds(lambda region, birth, serial: next(  # the next serial whose check character is X
    code for k in range(1000) if (code := _id_completed(f"{region}0102{birth}{(serial + k) % 1000:03d}")).endswith("X")),
    st.sampled_from(sorted(privacy._ID_REGIONS)), st.sampled_from(["19900101", "19491231", "20000229"]),
    st.integers(0, 999))
IDS15 = st.builds(lambda region, birth, serial: f"{region}0102{birth}{serial:03d}",
                  st.sampled_from(sorted(privacy._ID_REGIONS)), st.sampled_from(["900101", "491231", "850615"]),
                  st.integers(0, 999))
MOBILES = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
CARDS = st.builds(lambda first, n, rest: _luhn_completed(f"{first}{rest:018d}"[: n - 1]),
                  st.sampled_from("34569"), st.integers(13, 19), st.integers(0, 10**18 - 1))
NUMBERS = st.one_of(IDS, IDS_X, IDS15, MOBILES, CARDS, DIGITS)


@st.composite
def written(draw: st.DrawFn) -> str:
    """A number as people write it: cut into groups by separators, some digits full-width, perhaps an X."""
    code = draw(NUMBERS)
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(code) - 1)), max_size=4)))
    groups = [code[a:b] for a, b in zip([0, *cuts], [*cuts, len(code)], strict=True) if code[a:b]]
    out = groups[0]
    for group in groups[1:]:
        out += draw(st.sampled_from(SEPARATORS + ["  ", "--", "- "])) + group
    if draw(st.booleans()):
        out = "".join(FULL_WIDTH.get(c, c) if draw(st.booleans()) else c for c in out)
    return out + draw(st.sampled_from(["", "", "X", "x", "Ｘ", "ｘ", "A", "Ａ", "号"]))


PIECES = st.one_of(
    written(),
    st.sampled_from(["的", "申请人", "联系电话：", "，", "。", "）", "（", "’", "“", "|", " | ", "\n", ",", ".", "/",
                     "12,345.67", "2026-11-24", "2026 年 11 月", "0571-87000000", "+86 ", "*", "****", "a", "Z",
                     "Ｘ", "ｘ", "１", "０", "X", " ", "-", *SEPARATORS]),
    DIGITS,
)
TEXTS = st.lists(PIECES, max_size=14).map("".join)


# --- the fast scan against the reference ------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(text=TEXTS)
@example("身份证号：３３０１０２１９９００１０１１２３４；手机１３８－００１３－８０００。")
@example("1 2 3 4 5 6 7 8 9 0 1 2")  # no hit, but a run of 12 single digits
@example("订单号 123456789013800138000")
@example("6222\u30000212\u20093456\xa07890\u202f128")  # every exotic separator in one card
def test_fast_scan_finds_what_the_reference_finds(text):
    expected = list(reference_find(text))
    assert list(privacy.find(text)) == expected
    # with the memo: a long text is looked up by its digest (put the first time, read the second)
    memo, long = DictMemo(), text + "。" * privacy._MEMO_MIN_CHARS
    assert list(privacy.find(long, memo)) == expected
    assert list(privacy.find(long, memo)) == expected


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(st.tuples(TEXTS, st.sampled_from(["", "\n", "。", " "]), st.integers(0, 12)), max_size=6))
def test_fast_scan_on_long_texts_with_tables(pieces):
    """Numbers among table rows of amounts and dates, as in the bureau's long reports: texts long enough to be cut
    into pieces at line breaks (privacy._PIECE_CHARS), with and without a line break next to a number."""
    row = "| 2026-11-24 | 12,345.67 | 3301 | 第 15 号 |\n"
    text = "".join(row * rows + t + end for t, end, rows in pieces)
    assert list(privacy.find(text)) == list(reference_find(text))


def test_fast_scan_in_every_piece_of_a_long_text():
    """Hits at the start, at the end, in the middle, on the lines next to where the text is cut, in a long line with
    no line break to cut at, and a landline number (which lets the whole text through the quick look)."""
    row = "| 2026-11-24 | 12,345.67 | 3301 | 第 15 号 |\n"
    numbers = ["13800138000", "３３０１０２１９９００１０１１２３４", "6222 0212 3456 7890 128", "11010519491231002X"]
    for at in range(0, 120, 7):
        lines = [row] * 120
        lines[at] = f"电话 {numbers[at % 4]}\n"
        lines[119 - at] = "联系电话：0571-87000000\n"
        for text in ("".join(lines), "".join(lines).rstrip("\n"), "".join(lines).replace("\n", "；", 40)):
            expected = list(reference_find(text))
            assert expected and list(privacy.find(text)) == expected
    text = "12,345.67；" * 200 + "电话 13800138000；" + "12,345.67；" * 200
    assert [(k, c) for k, c, _ in privacy.find(text)] == [("mobile", "13800138000")] == [
        (k, c) for k, c, _ in reference_find(text)]


@pytest.mark.parametrize("kind", ["id", "mobile", "bank"])
def test_generated_texts_hold_hits_of_every_kind(kind):
    """The generator is worth its name: it makes texts with a hit of each kind, full-width digits and separators
    in it (hypothesis.find raises when none turns up; not shrunk, for speed)."""
    def wanted(text: str) -> bool:
        hits = list(reference_find(text))
        return any(k == kind for k, _, _ in hits) and any(c in text for c in "０１２３４５６７８９") and any(
            s in text for s in SEPARATORS[2:])

    text = find_example(TEXTS, wanted, settings=settings(max_examples=5000, database=None, phases=[Phase.generate]))
    assert list(privacy.find(text)) == list(reference_find(text))


@pytest.mark.parametrize("separator", SEPARATORS)
def test_quick_look_lets_every_separator_through(separator):
    """The byte-level quick look never drops a text the exact scan has a hit in, whatever joins the groups."""
    for digits in ("138", "１３８"):
        text = f"手机{digits}{separator}0013{separator}８０００，"
        assert privacy._may_have_candidate(text)
        assert [(k, c) for k, c, _ in privacy.find(text)] == [("mobile", "13800138000")]
        assert list(privacy.find(text)) == list(reference_find(text))


def test_quick_look_drops_texts_without_a_long_run():
    assert not privacy._may_have_candidate("| 2026-11-24 | 12,345.67 | 3301 |\n" * 50)
    assert not privacy._may_have_candidate("１２３４５－６７８９０")
    assert privacy._may_have_candidate("１２３４５－６７８９０１")
