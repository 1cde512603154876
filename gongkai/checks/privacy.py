"""Privacy gate (保密审查): find personal data in every text that will be published.

Runs at the end of loading, before anything is written. It looks for three kinds of personal data:

- 居民身份证号: 18 characters, valid region prefix and birth date, GB 11643 check character; or the 15-digit
  first generation (valid region and a 19YYMMDD birth date, no check digit);
- 手机号码: 11 digits ``1[3-9]…`` in a usual grouping (``13800138000``, ``138 0013 8000``, ``+86 138-0013-8000``);
- 银行卡号: 13–19 digits passing the Luhn check, starting like a card (3/4/5/6/9), written in one run,
  in groups of four, or 6 + rest.

Digits may be full-width (``１３８…``) and split by single spaces or dashes. A number that is part of a longer
run of digits or letters (索引号, 统一社会信用代码, order numbers) is not a hit; neither are masked forms
(``3301**********1234``) nor phone numbers with an area code (``0571-87000000``).

A document may allow a listed hit with ``privacy_ok: [{match, reason}]`` in its front matter (惩戒性公示 …);
``privacy_ok`` in ``catalog/site.yml`` allows a number everywhere (e.g. an official mobile hotline).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import statcheck
from gongkai.checks.disclosure import withheld_files
from gongkai.checks.indexno import credit_check_char
from gongkai.errors import Problems
from gongkai.fsutil import rel_posix, sorted_files, suffix_of
from gongkai.load.reports import is_report_source
from gongkai.load.yamlsrc import Node, Seq, YamlSyntaxError, load_yaml
from gongkai.memo import MISSING, Memo
from gongkai.model import Catalogue, Changes, Column, Document

KIND_LABELS = {"id": "居民身份证号", "mobile": "手机号码", "bank": "银行卡号"}

# Full-width digits, letters X and separators map one-to-one onto ASCII, so offsets stay valid.
_NORMALISE = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "－": "-", "‐": "-", "‑": "-",
     "‒": "-", "–": "-", "—": "-", "\u3000": " ", "\xa0": " ", "\u2009": " ", "\u202f": " "}
)
# a digit group, with the X that ends a 身份证号 written right after it or, after a separator, on its own
_GROUP_RE = re.compile(r"[0-9]+[Xx]?|[Xx]")
MAX_DIGITS = 19

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_REGIONS = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
               50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ID15_GROUPINGS = {(15,), (6, 6, 3)}
_MOBILE_GROUPINGS = {(11,), (3, 4, 4), (3, 8), (7, 4), (4, 4, 3), (4, 7)}
_TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".json", ".xml", ".html", ".htm", ".svg", ".js", ".css", ".yml", ".yaml", ".md"}
MAX_TEXT_FILE = 20 * 1024 * 1024
WITHDRAWALS_FILE = "catalog/withdrawals.yml"
# Files of catalog/ that are never published: the withdrawal record (its reasons may name the person concerned).
UNPUBLISHED_FILES = frozenset({WITHDRAWALS_FILE})


# --- detection ------------------------------------------------------------------------------------


def is_id_number(code: str) -> bool:
    """An 18-character 居民身份证号 with a plausible region, birth date and GB 11643 check character."""
    if len(code) != 18 or not code[:17].isdigit() or not (code[17].isdigit() or code[17] in "Xx"):
        return False
    if int(code[:2]) not in _ID_REGIONS:
        return False
    year, month, day = int(code[6:10]), int(code[10:12]), int(code[12:14])
    if not (1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return False
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return False
    total = sum(int(c) * w for c, w in zip(code[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == code[17].upper()


def is_id_number_15(code: str) -> bool:
    """A 15-digit first-generation 居民身份证号 (issued until 2004, still on old lists): region, then YYMMDD of a
    birth in the 1900s, then a 3-digit sequence; no check digit, so region and date must both be plausible."""
    if len(code) != 15 or not code.isdigit() or int(code[:2]) not in _ID_REGIONS or code[2:6] == "0000":
        return False
    year, month, day = 1900 + int(code[6:8]), int(code[8:10]), int(code[10:12])
    if not (1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return False
    return not (month == 2 and day == 29 and year % 4 != 0)


def is_uscc(code: str) -> bool:
    """An 18-character 统一社会信用代码 with a valid GB 32100 check character."""
    code = code.upper()
    return len(code) == 18 and credit_check_char(code[:17]) == code[17]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _bank_grouping(groups: tuple[int, ...]) -> bool:
    if len(groups) == 1:
        return True
    if all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4:
        return True
    return len(groups) == 2 and groups[0] == 6


def classify(code: str, groups: tuple[int, ...]) -> str | None:
    """The kind of personal data a digit string is ('id', 'mobile', 'bank'), or None."""
    if code[-1] in "Xx":
        return "id" if is_id_number(code) else None
    n = len(code)
    if n == 18 and is_id_number(code):
        return "id"
    if n == 15 and groups in _ID15_GROUPINGS and is_id_number_15(code):
        return "id"
    if n == 11 and code[0] == "1" and code[1] in "3456789" and groups in _MOBILE_GROUPINGS:
        return "mobile"
    if 13 <= n <= MAX_DIGITS and code[0] in "34569" and _bank_grouping(groups) and luhn_ok(code):
        if n == 18 and is_uscc(code):
            return None
        return "bank"
    return None


# str.translate looks every character of a Chinese text up in the table; replacing only the few characters
# that change is many times faster and gives the same string.
_NORMALISE_RE = re.compile("[" + re.escape("".join(chr(k) for k in _NORMALISE)) + "]")


def _normalised_char(m: re.Match[str]) -> str:
    return _NORMALISE[ord(m.group())]


def normalise(text: str) -> str:
    return _NORMALISE_RE.sub(_normalised_char, text)


def digits_of(text: str) -> str:
    """The comparable form of a number: ASCII digits and an upper-case X, nothing else."""
    return "".join(c for c in normalise(text).upper() if c.isdigit() or c == "X")


# The shortest hit is an 11-digit mobile number: a run with fewer digits needs no closer look.
_MIN_DIGITS = 11


def _raw_class(ascii_chars: str) -> str:
    """A regex character class of these ASCII characters and of every character `normalise` maps onto one."""
    chars = ascii_chars + "".join(chr(k) for k, v in _NORMALISE.items() if v in ascii_chars)
    return "[" + re.escape(chars) + "]"


_DIGIT = _raw_class("0123456789")
_SEP = _raw_class(" -")
_X = _raw_class("Xx")
_ALNUM = _raw_class("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# A token: a run of digit groups separated by single spaces or dashes, optionally ending with X (身份证 check
# character), also after a separator (…0307 002 X: the 18th character is often set apart); not preceded by a digit,
# not followed by a letter or digit: 11330100002489999F (统一社会信用代码) is no hit. Written for the text as it is,
# each class holding what `normalise` maps onto it (one-to-one, so offsets are those of the text; only a token is
# normalised), and only where 11 digits follow with at most one separator between two of them: every hit has that
# many, while most runs of digits (amounts, dates, table cells) have fewer.
#
# Leaving out the tokens with fewer digits finds every other token the scan of all of them finds (the scan before
# session 16: tests/checks/test_privacy_scan.py keeps it and compares): a token ends at the last end of a digit
# group (or X) of its run that no digit or letter follows, so a token found at a later start inside a left-out
# token's run ends no later than that token, and holds fewer digits. The digit comes before the lookbehind so that
# the regex engine tries only digits as starts (a pattern that begins with an assertion is tried at every character).
_CANDIDATE_RE = re.compile(
    f"{_DIGIT}(?<!{_DIGIT}{_DIGIT})(?=(?:{_SEP}?{_DIGIT}){{{_MIN_DIGITS - 1}}})"
    f"{_DIGIT}*(?:{_SEP}{_DIGIT}+)*(?:{_SEP}?{_X})?(?!{_ALNUM})"
)


def _byte_classes() -> tuple[bytes, bytes]:
    """The translate table and the bytes to delete of _may_have_candidate.

    In a text's UTF-8 bytes, every ASCII digit and the last byte of every other character `normalise` makes a digit
    (full-width ０-９) becomes b"1"; every other byte of those and every byte of a character that normalises to a
    separator is deleted (unless it is a "1": 0x90-0x94 end both ０-４ and ‐-—); all other bytes become b"x". So a
    run of digit groups joined by separators comes out as an unbroken run of at least as many b"1"s as it has
    digits. The converse need not hold (a character made only of such bytes, like ） or ’, joins or lengthens runs):
    that only sends a few more texts to the exact scan.
    """
    ones, dropped = set(b"0123456789"), set(b" -")
    for k, v in _NORMALISE.items():
        encoded = chr(k).encode()
        if v.isdigit():
            ones.add(encoded[-1])
            dropped.update(encoded[:-1])
        elif v in " -":
            dropped.update(encoded)
    dropped -= ones
    table = bytes(0x31 if i in ones else 0x78 for i in range(256))
    return table, bytes(sorted(dropped))


_BYTE_TABLE, _BYTES_DROPPED = _byte_classes()
_ELEVEN_DIGITS = b"1" * _MIN_DIGITS


def _may_have_candidate(text: str) -> bool:
    """False when the text surely holds no run of 11 digits with separators between them (almost every text).

    Encoding, translating and a substring search run at C speed over the bytes, several times faster than a regex
    that has to stop at every digit of a body full of tables (amounts, dates, counts). A text where it is True is
    scanned with _CANDIDATE_RE, which decides.
    """
    return _ELEVEN_DIGITS in text.encode("utf-8", "surrogatepass").translate(_BYTE_TABLE, _BYTES_DROPPED)


# Long texts (pages, attachments; documents as a whole: document_hits) are scanned once: their hits are remembered
# across builds, by a digest of the text, in the build's memo (the cache drops it when the code changes).
_MEMO_MIN_CHARS = 512


def find(text: str, memo: Memo | None = None) -> Iterator[tuple[str, str, int]]:
    """Every (kind, digits, offset) of personal data in a text."""
    if len(text) < _MIN_DIGITS:
        return iter(())
    if memo is None or len(text) < _MEMO_MIN_CHARS:
        return _find(text)
    if not _may_have_candidate(text):  # (most texts: looking is cheaper than hashing the text for the memo)
        return iter(())
    key = ("privacy.find", hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest())
    hits = memo.get(key)
    if hits is MISSING:
        hits = tuple(_hits(text))
        memo.put(key, hits)
    return iter(hits)


def _find(text: str) -> Iterator[tuple[str, str, int]]:
    """find's hits, without the memo."""
    if _may_have_candidate(text):
        yield from _hits(text)


# A text the quick look lets through that is longer than this is halved at a line break, and each half that the quick
# look lets through is looked at the same way, down to pieces this long: the regex, several times slower per character
# than the quick look, then runs only around the candidates (a body with a landline number, 0571-87000000, is let
# through as a whole).
_PIECE_CHARS = 512


def _candidates(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The tokens of _CANDIDATE_RE in text[start:end], a stretch the quick look lets through that starts at the
    text's start or after a line break and ends at its end or at a line break.

    No token holds a line break, so a search over such a stretch finds what the search over the whole text finds
    there: it starts afresh at the stretch's start (its lookbehind sees the text before) and the line break that ends
    the stretch ends a token as the end of the search range does.
    """
    if end is None:
        end = len(text)
    if end - start > _PIECE_CHARS:
        cut = text.find("\n", (start + end) // 2, end)
        if cut < 0:
            cut = text.rfind("\n", start, (start + end) // 2)
        if cut >= 0:
            before = _may_have_candidate(text[start:cut])
            if before:
                yield from _candidates(text, start, cut)
            # (the line break is no digit: when the half before has no run of 11, the half after has one)
            if not before or _may_have_candidate(text[cut + 1:end]):
                yield from _candidates(text, cut + 1, end)
            return
    yield from _CANDIDATE_RE.finditer(text, start, end)


def _hits(text: str) -> Iterator[tuple[str, str, int]]:
    """find's hits, without the memo and without the quick look first."""
    for token in _candidates(text):
        start = token.start()
        groups = [(m.group(), start + m.start()) for m in _GROUP_RE.finditer(token.group().translate(_NORMALISE))]
        i = 0
        while i < len(groups):
            found = False
            # the longest run of groups first, so 6222 0212 3456 7890 123 is one card, not a shorter one
            total = 0
            end = i
            while end < len(groups) and total + len(groups[end][0]) <= MAX_DIGITS:
                total += len(groups[end][0])
                end += 1
            for j in range(end, i, -1):
                part = groups[i:j]
                if any(g[-1] in "Xx" for g, _ in part[:-1]):
                    continue
                code = "".join(g for g, _ in part)
                kind = classify(code, tuple(len(g) for g, _ in part))
                if kind:
                    yield kind, code.upper(), part[0][1]
                    i = j
                    found = True
                    break
            if not found:
                i += 1


def mask(kind: str, code: str) -> str:
    """3301**********1234, 138****8000, 6222***********0123."""
    if kind == "mobile":
        return code[:3] + "****" + code[-4:]
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


# Every character find takes for a separator (what `normalise` makes a space or a dash): a hit's span is its digits
# and these. Derived from _NORMALISE, not listed again: a list that missed the thin spaces counted them as digits, so
# the span ended early and the hit's last digits were published after the mask.
_SEPARATORS = frozenset(" -" + "".join(chr(k) for k, v in _NORMALISE.items() if v in " -"))


def mask_numbers(text: str) -> tuple[str, int]:
    """The text with every personal number found in it masked in place (138****8000), and how many there were.

    For free text the bureau chose to publish with masking (a 留言's 问题 quoting the writer's mobile): the
    offsets of `find` are those of the original text, so each hit is replaced where it stands, separators and all.
    """
    hits = list(find(text))
    if not hits:
        return text, 0
    out, pos = [], 0
    for kind, code, offset in hits:
        end, seen = offset, 0
        while end < len(text) and seen < len(code):  # the hit's span: its digits and the separators between them
            if text[end] not in _SEPARATORS:
                seen += 1
            end += 1
        out += [text[pos:offset], mask(kind, code)]
        pos = end
    out.append(text[pos:])
    return "".join(out), len(hits)


def mask_any(text: str) -> str:
    """Mask whatever an allowance names, even when it is no hit (a stale or mistyped allowance)."""
    for kind, code, _ in find(text):
        return mask(kind, code)
    code = digits_of(text)
    if len(code) < 9:
        return "*" * len(text)
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


# --- what is scanned -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str
    code: str  # digits (and X), normalised
    file: str
    line: int | None
    field: str | None
    place: str = ""  # inside an Office/PDF attachment: sheet and cell, page and line … (checks/attachment_text.py)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def masked(self) -> str:
        return mask(self.kind, self.code)


@dataclass
class Allowance:
    """One privacy_ok entry: a number that may be published here, and why."""

    match: str
    reason: str
    file: str
    line: int | None
    document: Document | None = None  # None: site-wide (catalog/site.yml)
    hits: list[Hit] = field(default_factory=list)

    @property
    def code(self) -> str:
        return digits_of(self.match)

    @property
    def masked(self) -> str:
        if self.hits:
            return self.hits[0].masked
        return mask_any(self.match)


@dataclass
class Report:
    hits: list[Hit] = field(default_factory=list)  # blocking
    allowances: list[Allowance] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (file, why): attachments whose text was not read
    documents_hit: list[Document] = field(default_factory=list, repr=False)  # published documents with a hit, in order

    @property
    def used(self) -> list[Allowance]:
        return [a for a in self.allowances if a.hits]

    @property
    def stale(self) -> list[Allowance]:
        return [a for a in self.allowances if not a.hits]


@dataclass(frozen=True)
class Text:
    """One published text and where it starts."""

    file: str
    line: int | None
    field: str | None
    text: str
    document: Document | None = None


@dataclass(frozen=True)
class AttachmentFile:
    """A published Office or PDF file of content/: its text is extracted (checks/attachment_text.py) and scanned."""

    file: str  # content/…
    path: Path | str
    owners: tuple[Document, ...]  # the published documents attaching it (their privacy_ok applies)


def attachment_hits(unit: AttachmentFile, memo: Memo | None = None) -> tuple[list[Hit], str]:
    """The hits in an attachment's text, and why (part of) it could not be checked ("" if all was read).

    Remembered across builds by a digest of the file's bytes: reading a workbook or a PDF is the slow part. The
    digest itself is known without reading the file again when its stat data vouches for it (gongkai/statcheck.py).
    """
    return _scanned(unit, memo)[1:]


def _scanned(unit: AttachmentFile, memo: Memo | None) -> tuple[str, list[Hit], str]:
    """attachment_hits, after the file's digest ("": it cannot be read)."""
    try:
        digest = statcheck.sha256_of(unit.path, unit.file, memo)
    except OSError:
        return "", [], "文件无法读取，未能检查其中的个人信息"
    return (digest, *_attachment_hits(unit, digest, memo))


def _attachment_hits(unit: AttachmentFile, digest: str, memo: Memo | None) -> tuple[list[Hit], str]:
    """attachment_hits of a file whose bytes have this digest."""
    from gongkai.checks.attachment_text import extract

    key = ("privacy.attachment", digest)
    found = memo.get(key) if memo is not None else MISSING
    if found is MISSING:
        extracted = extract(Path(unit.path))
        pieces = tuple((kind, code, piece.where) for piece in extracted.pieces for kind, code, _ in find(piece.text))
        found = (pieces, extracted.unchecked)
        if memo is not None:
            memo.put(key, found)
    pieces, unchecked = found
    return [Hit(kind, code, unit.file, None, None, where) for kind, code, where in pieces], unchecked


def scan_text(t: Text, memo: Memo | None = None) -> Iterator[Hit]:
    for kind, code, offset in find(t.text, memo):
        line = t.line + t.text.count("\n", 0, offset) if t.line else None
        yield Hit(kind, code, t.file, line, t.field)


def yaml_texts(file: str, data: Any, document: Document | None = None, path: str = "", skip: tuple[str, ...] = ()) -> Iterator[Text]:
    """Every scalar of parsed YAML (strings and numbers), with its line."""
    stack: list[tuple[Any, str, int | None]] = [(data, path, getattr(data, "line", None) or None)]
    while stack:
        value, where, line = stack.pop()
        if isinstance(value, Node):
            for key, item in value.items():
                if key in skip:
                    continue
                stack.append((item, f"{where}.{key}" if where else key, value.line_of(key) or None))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                item_line = value.line_of(i) if isinstance(value, Seq) else line
                stack.append((item, f"{where}[{i + 1}]", item_line or None))
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((item, f"{where}.{key}", line))
        elif isinstance(value, str | int) and not isinstance(value, bool):
            text = str(value)
            # a block scalar (|, >) starts on the line below its key
            start = line + 1 if line and "\n" in text.rstrip("\n") else line
            yield Text(file, start, where or None, text, document)


def object_texts(file: str, line: int | None, obj: Any, where: str = "") -> Iterator[Text]:
    """Every string of a model object (dataclasses, lists, dicts), generically; documents and columns excluded."""
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(obj, where)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if value:
                yield Text(file, line, path or None, value)
            continue
        if isinstance(value, Document | Column | Path) or id(value) in seen:
            continue
        seen.add(id(value))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                stack.append((getattr(value, f.name), f"{path}.{f.name}" if path else f.name))
        elif isinstance(value, list | tuple):
            stack.extend((item, f"{path}[{i + 1}]") for i, item in enumerate(value))
        elif isinstance(value, dict):
            stack.extend((item, f"{path}.{k}") for k, item in value.items())


def _read_text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_TEXT_FILE:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _parse_yaml(text: str, line_offset: int = 0) -> Any:
    try:
        return load_yaml(text, line_offset=line_offset)
    except (YamlSyntaxError, RecursionError):
        return None  # the loader has reported it


def _rel(root: Path, path: Path) -> str:
    return rel_posix(root, path)


def published_texts(cat: Catalogue) -> Iterator[Text]:
    """Every text that will be published, with file and line. The gate's reach is this function."""
    from gongkai.checks.attachment_text import extract

    for unit in _published_units(cat):
        if isinstance(unit, Text):
            yield unit
        elif isinstance(unit, AttachmentFile):
            for piece in extract(Path(unit.path)).pieces:
                yield Text(unit.file, None, piece.where, piece.text, unit.owners[0] if unit.owners else None)
        elif isinstance(unit, Document):
            yield from document_texts(cat, unit)


class _Documents(list[Document]):
    """The published documents, in order, as one unit of the gate's scan (DocumentHits.found_in)."""


def _published_units(cat: Catalogue, block: bool = False, attaching: list[Document] | None = None,
                     ) -> Iterator[Text | Document | AttachmentFile | _Documents]:
    """published_texts, with each published document as one unit (its texts: document_texts); block: all of them
    as one _Documents unit instead (where the documents come among the units). attaching: with block, the published
    documents that have an attachment (attaching), in load order, when known."""
    root = cat.root_dir
    # catalog/*.yml: site, columns, packages … scanned as written (as the loader parsed them), so every line is exact
    catalog = root / "catalog"
    yaml_files: set[str] = set()
    if catalog.is_dir():
        for path in sorted(p for p in catalog.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()):
            name = _rel(root, path)
            if name in UNPUBLISHED_FILES:
                continue
            if name in cat.catalog_files:
                data = cat.catalog_files[name]
            else:  # a file the loader does not read is scanned all the same
                text = _read_text(path)
                if text is None:
                    continue
                data = _parse_yaml(text)
            yaml_files.add(name)
            yield from yaml_texts(name, data, skip=("privacy_ok",))
    # the titles that withdrawal notices show (catalog/withdrawals.yml itself is not published)
    for w in cat.withdrawals:
        if w.title and not w.personal_data:
            yield Text(WITHDRAWALS_FILE, w.line, "title", w.title)
    # packages as loaded (a fallback for whatever is not in catalog/*.yml)
    for pkg in cat.packages:
        src = getattr(pkg, "source", None)
        file = getattr(src, "file", None) or "catalog/packages.yml"
        if file not in yaml_files:
            yield from object_texts(file, getattr(src, "line", None), pkg)
    # mkdocs.yml (site_name, copyright …) and the bureau's templates
    for path in [root / "mkdocs.yml", *sorted((root / "overrides").rglob("*"))]:
        if path.is_file() and path.suffix in _TEXT_SUFFIXES:
            text = _read_text(path)
            if text is not None:
                yield Text(_rel(root, path), 1, None, text)
    # documents: front matter (every field but privacy_ok) and body; only 主动公开 ones are published
    content = root / "content"
    attached: dict[str, list[Document]] = {}
    published = cat.published_documents
    if block:
        yield _Documents(published)
        # (the documents with attachments only: most have none)
        for doc in [d for d in published if d.attachments] if attaching is None else attaching:
            for att in doc.attachments:
                attached.setdefault(att.path, []).append(doc)
    else:
        for doc in published:
            yield doc
            for att in doc.attachments:
                attached.setdefault(att.path, []).append(doc)
    # attachments of documents that are not 主动公开 (and of no public one) are not copied into the site (as the
    # publication check found them: the same documents, decided once)
    withheld = cat.publication.withheld if cat.publication is not None else withheld_files(cat)
    # the guide and pages, as written (front matter included)
    if cat.guide is not None:
        yield Text(cat.guide.source.file, 1, None, cat.guide.text)
    # annual reports (content/reports/*.yml): their narrative is published on the report's page
    for rep in cat.reports:
        for key, line, value in rep.texts:
            yield Text(rep.file, line, key, value)
    for ref in sorted(cat.pages):
        page = cat.pages[ref]
        yield Text(page.file, 1, None, page.text)
    # published lists (catalog/lists.yml): every published cell as masked, at its sheet, row and column
    yield from list_texts(cat)
    # 留言选登 read from an export (catalog/messages.yml `spreadsheets:`): each published cell, at its row and column
    yield from message_texts(cat)
    # every other text file under content/ that is copied to the site as it is: attachments, linked files and
    # site assets (checks/publication.py decides; orphans are not published, so not scanned)
    pub, tree = cat.publication, cat.content_tree
    if pub is not None and tree is not None:
        copied = [(rel, Path(tree.files[rel])) for rel in sorted(pub.reasons) if rel in tree.files
                  and _copied_text_file(rel.rpartition("/")[2])]
    elif content.is_dir():
        copied = [(_rel(content, path), path) for path in sorted_files(content, keep=_copied_text_file)]
    else:
        copied = []
    for rel, path in copied:
        if rel in withheld or is_report_source(rel):  # reports: scanned above, with their fields
            continue
        text = _read_text(path)
        if text is None:
            continue
        owners: list[Document | None] = [*attached.get(rel, [])] or [None]
        # an attachment is allowed what the documents attaching it allow; in the gate's scan the first one's texts
        # put every hit in `seen` (the same text, file and line for each owner): the others' would add nothing
        for owner in owners[:1] if block else owners:
            yield Text(f"content/{rel}", 1, None, text, owner)
    # Office and PDF files copied to the site (attachments, linked files): their text, extracted
    if pub is not None and tree is not None:
        extracted = _extracted_suffixes()
        files = tree.files  # (the path as a string: a Path each is most of this pass; extract makes one if it reads)
        binaries: list[tuple[str, str | Path]] = [(rel, files[rel]) for rel in sorted(pub.reasons) if rel in files
                                                  and suffix_of(rel.rpartition("/")[2]).lower() in extracted]
    elif content.is_dir():
        binaries = [(_rel(content, path), path) for path in sorted_files(content, keep=_extracted_file)]
    else:
        binaries = []
    for rel, where in binaries:
        if rel not in withheld:
            yield AttachmentFile(f"content/{rel}", where, tuple(attached.get(rel, [])))


def list_texts(cat: Catalogue) -> Iterator[Text]:
    """The cells of the published lists as they will be published (masked), one Text each."""
    for lst in cat.lists:
        if not lst.is_published:
            continue
        shown = lst.shown
        for row in lst.live_rows:
            for fld, value in zip(shown, row.values, strict=True):
                if len(value) >= _MIN_DIGITS:
                    yield Text(lst.source_file, row.number, f"工作表 {lst.sheet} 第 {row.number} 行 {fld.name} 列", value)


def message_texts(cat: Catalogue) -> Iterator[Text]:
    """The texts of the 留言 read from spreadsheets, as they will be published (the YAML ones: catalog/*.yml above)."""
    interaction = getattr(cat, "interaction", None)
    for m in getattr(interaction, "messages", []):
        if not m.places:
            continue
        for key, value in m.texts():
            place = m.places.get(key) or m.places.get("question")  # a title made from the question
            yield Text(m.file, m.line, place, value)


def document_hits(cat: Catalogue, doc: Document, memo: Memo | None = None) -> list[Hit]:
    """The hits in a document's texts (document_texts), in order.

    Taken from what builds remembered (memo, DocumentHits) when the document's file is the one remembered: its
    texts, lines and field names come from that file alone. (Nothing is put: a folder's entry holds every published
    document of it, which the gate's scan of all of them writes.)
    """
    return list(DocumentHits(memo).get(cat, doc))


DOCUMENT_HITS = "privacy.documents"  # memo key (DOCUMENT_HITS, folder): {source file: (line, digest, hits)}
FOUND = ("privacy.found",)  # memo key: (a load's token, {source file: hits} of its published documents with a
# hit, the folders of DOCUMENT_HITS entries it used, {content/… file: SHA-256} of the Office and PDF files it scanned)


class DocumentHits:
    """document_hits of every published document, as remembered: one memo entry per folder of document files,
    holding each file's hits under its front matter's line and the digest the loader took of its bytes (what the
    hits come from alone). A rebuild gets a few dozen entries instead of one per document (10,000 memo keys to
    read, mark used and write back), and `save` puts only the folders where a document's file changed, came or
    went - the grouping of the load's snapshot (load/snapshot.py).

    Even comparing every document's line and digest is a pass over all of them on every build, so the gate also
    keeps FOUND: which published documents had a hit at all, with the load's token (model.Changes). When this
    load's changes follow that token, a document not among them is, in everything its hits come from, what it was
    in that load: its hits are FOUND's (none, for almost all of them). Only the changed ones are looked up by line
    and digest (or scanned); the folders' entries are kept alive, and a folder where a document changed or went is
    put as it was with those entries replaced or left out. Likewise an Office or PDF file the gate of that load
    scanned and whose stat data has not changed since (not in the changes' `inputs`, the snapshot's racy-safe stat
    rule) has the bytes it had: its hits are looked up by the digest FOUND names, without a stat.
    """

    def __init__(self, memo: Memo | None, changes: Changes | None = None):
        self.memo = memo
        self.old: dict[str, dict[str, tuple[int | None, str, tuple[Hit, ...]]]] = {}  # folder -> as remembered
        self.now: dict[str, dict[str, tuple[int | None, str, tuple[Hit, ...]]]] = {}  # folder -> this build's
        self.dirty: set[str] = set()  # folders with an entry not taken over as remembered
        self.token = "" if changes is None else changes.token  # FOUND is put with it (none: not put)
        self.found: dict[str, tuple[Hit, ...]] = {}  # this load's published documents with a hit
        self.kept: dict[str, tuple[Hit, ...]] | None = None  # FOUND of the load the changes follow
        self.redo: frozenset[str] = frozenset()  # then: the documents still looked up one by one (changed)
        self.removed: frozenset[str] = frozenset()  # then: the documents gone since, left out of their folders
        self.folders: tuple[str, ...] = ()  # then: the folders that load used, kept alive
        self.files: dict[str, str] = {}  # this load's scanned Office and PDF files -> SHA-256
        self.kept_files: dict[str, str] = {}  # those of the load the changes follow, unchanged since
        if memo is not None and changes is not None and changes.known:
            was = memo.get(FOUND)
            # (follows, not Changes.keeps: a document's hits come from its own file alone, and a scanned Office or
            # PDF file's are kept only while its stat data is unchanged — not in `inputs`, below — so another input
            # or build date changes none of them)
            if isinstance(was, tuple) and len(was) == 4 and changes.follows(was[0]):
                self.kept, self.folders = was[1], was[2]
                self.redo, self.removed = changes.documents, changes.removed
                # (only where stat data is trusted at all: with GONGKAI_TRUST_STAT=0 the snapshot's `inputs` still
                # compare stat data an earlier build recorded, and every file is to be read and hashed again)
                if getattr(memo, "clock", None) is not None:
                    inputs = changes.inputs
                    self.kept_files = {f: d for f, d in was[3].items() if f not in inputs}

    def get(self, cat: Catalogue, doc: Document) -> Sequence[Hit]:
        """The document's hits (a tuple, not copied: the gate only reads it), by its line and digest."""
        digest = doc.source_digest
        memo = self.memo
        file = doc.source.file
        if not digest or memo is None:  # (read without the memo: always among the changes, in no folder's entry)
            hits = tuple(hit for t in document_texts(cat, doc) for hit in scan_text(t))
        else:
            folder = file.rpartition("/")[0]
            now = self.now.get(folder)
            if now is None:
                now = self._folder(folder)
            line = doc.source.line
            was = self.old[folder].get(file)
            if was is not None and was[0] == line and was[1] == digest:
                now[file] = was
                hits = was[2]
            else:
                hits = tuple(hit for t in document_texts(cat, doc) for hit in scan_text(t))
                now[file] = (line, digest, hits)
                self.dirty.add(folder)
        if hits:
            self.found[file] = hits
        return hits

    def _folder(self, folder: str) -> dict[str, tuple[int | None, str, tuple[Hit, ...]]]:
        """This build's entry of a folder, begun: empty when every published document of it is looked up; as
        remembered less the documents gone when only the changed ones are (the others' entries hold as they are)."""
        assert self.memo is not None
        old = self.memo.get((DOCUMENT_HITS, folder))
        old = self.old[folder] = old if isinstance(old, dict) else {}
        now = self.now[folder] = {} if self.kept is None else {f: e for f, e in old.items() if f not in self.removed}
        return now

    def found_in(self, cat: Catalogue, docs: list[Document], candidates: list[Document] | None = None,
                 ) -> list[tuple[Document, Sequence[Hit]]]:
        """The published documents (all of them, in order) that have a hit, each with its hits, in order.
        candidates: when FOUND is followed, the documents of `docs` that may have one, in order (the last load's with
        a hit and the changed ones, load/stepkeep.py), when known: the others are not looked at."""
        kept, get = self.kept, self.get
        if kept is None:
            return [(doc, hits) for doc in docs if (hits := get(cat, doc))]
        memo = self.memo
        assert memo is not None
        for folder in self.folders:
            memo.get((DOCUMENT_HITS, folder))  # (used: not dropped from the memo)
        for file in self.removed:  # (a folder a document went from is put without it)
            folder = file.rpartition("/")[0]
            if folder not in self.now:
                self._folder(folder)
        redo = self.redo
        out: list[tuple[Document, Sequence[Hit]]] = []
        among = docs if candidates is None else candidates
        for doc in [d for d in among if (f := d.source.file) in kept or f in redo]:  # (one C-level test each)
            file = doc.source.file
            if file in redo:
                hits = get(cat, doc)
            else:
                hits = self.found[file] = kept[file]
            if hits:
                out.append((doc, hits))
        return out

    def attachment(self, unit: AttachmentFile) -> tuple[list[Hit], str]:
        """attachment_hits(unit), by the digest FOUND names when the file has not changed since."""
        memo = self.memo
        digest = self.kept_files.get(unit.file)
        if digest is not None and memo is not None:
            memo.get(("source.stat", unit.file))  # (statcheck.sha256_of's record: used, not dropped from the memo)
            hits, unchecked = _attachment_hits(unit, digest, memo)
        else:
            digest, hits, unchecked = _scanned(unit, memo)
        if digest:
            self.files[unit.file] = digest
        return hits, unchecked

    def save(self) -> None:
        """Put the folders whose entries differ from the remembered ones (an entry changed or came: dirty; one
        went: fewer entries, as every other entry is the remembered one), and FOUND with this load's token."""
        if self.memo is None:
            return
        for folder, now in self.now.items():
            if folder in self.dirty or len(now) != len(self.old[folder]):
                self.memo.put((DOCUMENT_HITS, folder), now)
        if self.token:
            folders = {*(f for f in self.folders if f not in self.now), *(f for f, now in self.now.items() if now)}
            self.memo.put(FOUND, (self.token, self.found, tuple(sorted(folders)), self.files))


def _extracted_suffixes() -> frozenset[str]:
    """The suffixes (lower case) of Office and PDF files whose text the gate extracts, and of old formats it reports
    as not checked."""
    from gongkai.checks.attachment_text import EXTRACTED, UNREADABLE_FORMATS

    return frozenset((*EXTRACTED, *UNREADABLE_FORMATS))


def _extracted_file(name: str) -> bool:
    """An Office or PDF file whose text the gate extracts, or an old format it reports as not checked."""
    return suffix_of(name).lower() in _extracted_suffixes()


def _copied_text_file(name: str) -> bool:
    """A text file of content/ copied into the site as it is (Markdown is published through the pages)."""
    suffix = suffix_of(name)
    return suffix.lower() in _TEXT_SUFFIXES and suffix != ".md"


def document_texts(cat: Catalogue, doc: Document) -> Iterator[Text]:
    file = doc.source.file
    fm = doc.front_matter
    if isinstance(fm, Node):
        yield from yaml_texts(file, fm, doc, skip=("privacy_ok",))
    else:  # a document not read from a file (made by a tool or a test): the fields it has
        for name in ("title", "doc_number", "index_no", "publisher", "topic"):
            yield Text(file, doc.source.line, name, getattr(doc, name), doc)
        for att in doc.attachments:
            yield Text(file, doc.source.line, "attachments", att.title, doc)
    yield Text(file, doc.body_line, None, doc.body, doc)


# --- the gate ----------------------------------------------------------------------------------------


def site_allowances(cat: Catalogue) -> list[Allowance]:
    """privacy_ok in catalog/site.yml: numbers that may appear anywhere (e.g. an official mobile hotline)."""
    return [Allowance(a.match, a.reason, cat.site.source.file, a.line) for a in cat.site.privacy_ok]


def allowing(doc: Document) -> bool:
    """A published document that allows a number (privacy_ok): the gate's allowances."""
    return bool(doc.privacy_ok) and doc.is_public


def attaching(doc: Document) -> bool:
    """A published document with an attachment: the gate scans its attachments."""
    return bool(doc.attachments) and doc.is_public


@dataclass
class Selected:
    """What the loader knows already of the published documents the gate reads (load/stepkeep.py), in load order."""

    allowing: list[Document]  # those `allowing` is true of
    attaching: list[Document]  # those `attaching` is true of
    candidates: list[Document] | None = None  # those that may have a hit (DocumentHits.found_in), when known


def scan(cat: Catalogue, memo: Memo | None = None, selected: Selected | None = None) -> Report:
    """Find every hit; sort them into blocking hits and allowed ones. selected: see Selected (else found here)."""
    report = Report()
    site_wide = site_allowances(cat)
    report.allowances += site_wide
    by_doc: dict[int, list[Allowance]] = {}
    allows = [d for d in cat.published_documents if d.privacy_ok] if selected is None else selected.allowing
    for doc in allows:  # (a few: the others have nothing to allow)
        for entry in doc.privacy_ok:
            a = Allowance(entry.match, entry.reason, doc.source.file, entry.line, doc)
            by_doc.setdefault(id(doc), []).append(a)
            report.allowances.append(a)
    seen: set[tuple[str, int | str | None, str]] = set()

    def sort(hits: Iterable[Hit], own: list[Allowance]) -> None:
        for hit in hits:
            key = (hit.file, hit.line or hit.place, hit.code)
            if key in seen:
                continue
            seen.add(key)
            allowance = _allowed(hit, own, site_wide)
            if allowance is None:
                report.hits.append(hit)
            else:
                allowance.hits.append(hit)

    documents = DocumentHits(memo, cat.changes)
    for unit in _published_units(cat, block=True, attaching=None if selected is None else selected.attaching):
        if isinstance(unit, Text):
            sort(scan_text(unit, memo), by_doc.get(id(unit.document), []) if unit.document else [])
        elif isinstance(unit, AttachmentFile):
            found, unchecked = documents.attachment(unit)
            if unchecked:
                report.unchecked.append((unit.file, unchecked))
            sort(found, [a for d in unit.owners for a in by_doc.get(id(d), [])])
        elif isinstance(unit, _Documents):  # (most documents have no hit: only those with one are sorted)
            for doc, hits in documents.found_in(cat, unit, None if selected is None else selected.candidates):
                report.documents_hit.append(doc)
                sort(hits, by_doc.get(id(doc), []))
    documents.save()
    return report


def _allowed(hit: Hit, own: Iterable[Allowance], site_wide: Iterable[Allowance]) -> Allowance | None:
    for a in [*own, *site_wide]:
        if a.code and a.code == hit.code:
            return a
    return None


def gate(cat: Catalogue, problems: Problems, memo: Memo | None = None, selected: Selected | None = None) -> Report:
    """Report every hit as an error and every unused allowance as a warning; keep the report on the catalogue.
    selected: see scan."""
    report = scan(cat, memo, selected)
    list_files = {lst.source_file for lst in cat.lists}
    message_files = {f"content/{f}" for f in getattr(getattr(cat, "interaction", None), "sheet_files", [])}
    for hit in report.hits:
        if hit.file in list_files:  # a cell of a published list: masking is set in catalog/lists.yml
            problems.error(hit.file, hit.line, hit.field,
                           f"发现疑似{hit.label}「{hit.masked}」，个人信息不得公开：请在 catalog/lists.yml 中把该字段的 "
                           "type 设为 id_number、mobile 或 bank（默认遮蔽），或设置 mask、show: false")
            continue
        if hit.file in message_files:  # a cell of a 留言 export
            problems.error(hit.file, hit.line, hit.field,
                           f"发现疑似{hit.label}「{hit.masked}」，个人信息不得公开：请在表格中删除，或在 catalog/messages.yml "
                           "该表格的设置中写 mask_numbers: true（发布时自动遮蔽），或在“是否公开”列中不选登这条留言")
            continue
        problems.error(
            hit.file, hit.line, hit.field,
            (f"{hit.place}：" if hit.place else "") +
            f"发现疑似{hit.label}「{hit.masked}」，个人信息不得公开。请去标识化处理（如写作「{hit.masked}」）；"
            "确需公开的（如惩戒性公示），在该文件 front matter 的 privacy_ok 中写明 match（原文）和 reason（依据）",
        )
    for file, why in report.unchecked:
        problems.warn(file, None, None, f"{why}（先审查、后公开：请人工确认其中没有身份证号、手机号码等个人信息）")
    for a in report.stale:
        problems.warn(a.file, a.line, "privacy_ok",
                      f"允许公开的「{a.masked}」在{'本文件' if a.document else '网站内容'}中没有出现，请删除这条过期的 privacy_ok")
    cat.privacy = report
    return report


def allowance_lines(report: Report) -> list[str]:
    """One line per allowance in use, for `gongkai check`."""
    out = []
    for a in report.used:
        where = f"{a.file}:{a.line}" if a.line else a.file
        kinds = "、".join(sorted({h.label for h in a.hits}))
        out.append(f"{where}: 个人信息公开许可：{kinds}「{a.masked}」出现 {len(a.hits)} 处，依据：{a.reason}")
    return out
