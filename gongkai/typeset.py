"""Poster type without reportlab: which characters the poster fonts have, how wide a text is, how it breaks.

Read straight from the TrueType files in gongkai/build/fonts/ (made by scripts/make_poster_font.py): the
character map (cmap) and the advance widths (hmtx), as reportlab reads them, so a width measured here is the
width reportlab draws. The checks (checks/posterfonts.py, run by `gongkai check` and every build) and the
poster drawing (build/posters.py) share these functions; only the drawing needs reportlab.
"""

from __future__ import annotations

import functools
import re
import struct
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path(__file__).parent / "build" / "fonts"
FONT_FILES = {"GongkaiSans": "NotoSansSC-Regular-subset.ttf", "GongkaiSans-Bold": "NotoSansSC-Bold-subset.ttf"}
REGULAR, BOLD = "GongkaiSans", "GongkaiSans-Bold"

# Paper sizes in points, as reportlab.lib.pagesizes defines them (inch = 72, cm = inch / 2.54, mm = cm * 0.1).
_MM = 72.0 / 2.54 * 0.1
SIZES: dict[str, tuple[float, float]] = {"A4": (210 * _MM, 297 * _MM), "A3": (297 * _MM, 420 * _MM)}

NO_LINE_START = set("，。、；：？！）》」』】〕〗”’…—·%,.;:?!)]}")
TOKEN = re.compile(r"[A-Za-z0-9@._:/?&=#%+\-]+|\s|.", re.S)
MAX_TITLE_LINES = 4
TITLE_SIZE, TITLE_MIN = 34.0, 20.0
MARGIN = 42.0  # page margin on A4, in points (scaled for other sizes)


class FontError(Exception):
    """A font file gongkai cannot read (a damaged installation)."""


# --- the TrueType tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontMetrics:
    """What layout needs of one TrueType font: its characters and their advance widths (in 1/1000 em)."""

    chars: frozenset[int]  # every code point the character map maps
    widths: dict[int, float]  # code point -> advance width
    default_width: float  # glyph 0 (.notdef): the width of any other character


def read_metrics(data: bytes) -> FontMetrics:
    """The cmap and hmtx of a TrueType font, read as reportlab's TTFontFile reads them."""
    try:
        tables = _tables(data)
        units_per_em = struct.unpack_from(">H", data, tables["head"] + 18)[0]
        num_hmetrics = struct.unpack_from(">H", data, tables["hhea"] + 34)[0]
        num_glyphs = struct.unpack_from(">H", data, tables["maxp"] + 4)[0]
        char_to_glyph = _cmap(data, tables["cmap"])
        scale = 1.0 if units_per_em == 1000 else 1000 / units_per_em
        advances: list[float] = []
        hmtx = tables["hmtx"]
        for glyph in range(num_hmetrics):
            aw = struct.unpack_from(">H", data, hmtx + 4 * glyph)[0]
            advances.append(aw if units_per_em == 1000 else aw * scale)
        advances += [advances[-1]] * (num_glyphs - num_hmetrics)  # the rest repeat the last advance
    except (KeyError, struct.error, IndexError) as exc:
        raise FontError(f"无法读取海报字体：{exc}") from None
    widths = {code: advances[glyph] for code, glyph in char_to_glyph.items() if glyph < len(advances)}
    # reportlab draws a no-break space as a space (and the other way round when only one is there)
    for have, alias in ((0x20, 0xA0), (0xA0, 0x20)):
        if have in char_to_glyph:
            char_to_glyph[alias] = char_to_glyph[have]
            widths[alias] = widths[have]
            break
    return FontMetrics(frozenset(char_to_glyph), widths, advances[0])


def _tables(data: bytes) -> dict[str, int]:
    count = struct.unpack_from(">H", data, 4)[0]
    out: dict[str, int] = {}
    for i in range(count):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag.decode("latin-1")] = offset
    return out


def _cmap(data: bytes, base: int) -> dict[int, int]:
    """Code point -> glyph from the Unicode subtable reportlab chooses (formats 4 and 12)."""
    _version, count = struct.unpack_from(">HH", data, base)
    chosen, rank = None, 0
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        # reportlab keeps the last Unicode subtable it sees; a Mac Roman one only when there is no other
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, rank = offset, 1
        elif platform == 1 and encoding == 0 and rank != 1:
            chosen, rank = offset, 2
    if chosen is None:
        raise KeyError("cmap（没有 Unicode 字符表）")
    sub = base + chosen
    fmt = struct.unpack_from(">H", data, sub)[0]
    out: dict[int, int] = {}
    if fmt == 4:
        length = struct.unpack_from(">H", data, sub + 2)[0]
        seg_count = struct.unpack_from(">H", data, sub + 6)[0] // 2
        ends = struct.unpack_from(f">{seg_count}H", data, sub + 14)
        starts = struct.unpack_from(f">{seg_count}H", data, sub + 16 + 2 * seg_count)
        deltas = struct.unpack_from(f">{seg_count}h", data, sub + 16 + 4 * seg_count)
        range_base = sub + 16 + 6 * seg_count
        range_offsets = struct.unpack_from(f">{seg_count}H", data, range_base)
        limit = sub + length
        for n in range(seg_count):
            for code in range(starts[n], ends[n] + 1):
                if range_offsets[n] == 0:
                    glyph = (code + deltas[n]) & 0xFFFF
                else:
                    at = range_base + 2 * n + range_offsets[n] + (code - starts[n]) * 2
                    glyph = 0 if at >= limit else struct.unpack_from(">H", data, at)[0]
                    if glyph:
                        glyph = (glyph + deltas[n]) & 0xFFFF
                out[code] = glyph
    elif fmt == 12:
        groups = struct.unpack_from(">I", data, sub + 12)[0]
        for n in range(groups):
            start, end, first = struct.unpack_from(">III", data, sub + 16 + 12 * n)
            for code in range(start, end + 1):
                out[code] = first + code - start
    else:
        raise KeyError(f"cmap 格式 {fmt}")
    return out


@functools.cache
def metrics(font: str) -> FontMetrics:
    """The metrics of one of the poster fonts (REGULAR, BOLD), read once per process."""
    return read_metrics((FONT_DIR / FONT_FILES[font]).read_bytes())


# --- measuring and breaking text -------------------------------------------------------------------------


@functools.cache
def covered() -> frozenset[int]:
    """Code points every poster font can draw."""
    return frozenset.intersection(*(metrics(name).chars for name in FONT_FILES))


def missing_chars(text: str) -> list[str]:
    """Characters of text the poster font lacks (whitespace aside), in order, each once."""
    have = covered()
    out: list[str] = []
    for ch in text:
        if not ch.isspace() and ord(ch) not in have and ch not in out:
            out.append(ch)
    return out


def width(text: str, font: str, size: float) -> float:
    """The width of text in points, as reportlab's stringWidth gives it."""
    m = metrics(font)
    get, default = m.widths.get, m.default_width
    return 0.001 * size * sum(get(ord(ch), default) for ch in text)


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break text into lines no wider than max_width: by character for Chinese, by word for Latin runs.

    A closing punctuation mark never starts a line: it takes the previous character with it.
    """
    lines: list[str] = []
    cur = ""
    tokens: list[str] = []
    for tok in TOKEN.findall(text.strip()):
        # a Latin run too wide for a line on its own is broken by character
        tokens += list(tok) if len(tok) > 1 and width(tok, font, size) > max_width else [tok]
    for tok in tokens:
        if tok == "\n":
            lines.append(cur.rstrip())
            cur = ""
            continue
        cand = cur + tok
        if not cur or width(cand, font, size) <= max_width:
            cur = cand if cur or not tok.isspace() else ""
            continue
        if tok in NO_LINE_START and len(cur) > 1:
            lines.append(cur[:-1].rstrip())
            cur = cur[-1] + tok
        else:
            lines.append(cur.rstrip())
            cur = "" if tok.isspace() else tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def fit_title(name: str, s: float, text_width: float) -> tuple[list[str], float]:
    """The lines and size of a poster title at scale s: two lines at most at full size, else smaller."""
    size = TITLE_SIZE
    while True:
        lines = wrap(name, BOLD, size * s, text_width)
        if len(lines) <= 2 or size <= TITLE_MIN:
            return lines, size * s
        size -= 2


def title_fits(name: str) -> bool:
    """Whether a package name fits an A4 poster's title in MAX_TITLE_LINES lines (A3 is the same, scaled)."""
    return len(fit_title(name, 1.0, SIZES["A4"][0] - 2 * MARGIN)[0]) <= MAX_TITLE_LINES
