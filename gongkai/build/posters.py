"""Printable posters of themed service packages (上墙上栏, 扫码可看): one PDF page per package.

reportlab with an embedded TrueType subset of Noto Sans SC (gongkai/build/fonts/, made by
scripts/make_poster_font.py): never reportlab's built-in CID fonts, which print blank on a computer
without the font (DESIGN §6). reportlab draws nothing for a character the font lacks, so every
printed character is checked first (checks/posterfonts.py, run when the catalogue is loaded). Text is
measured and broken by gongkai/typeset.py, which reads the same fonts without reportlab.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.build import qr
from gongkai.build.cache import BuildCache, fingerprint
from gongkai.load.packages import package_url
from gongkai.model import Catalogue, Package
from gongkai.typeset import BOLD, FONT_DIR, FONT_FILES, MARGIN, REGULAR, SIZES, fit_title, width, wrap

if TYPE_CHECKING:
    from reportlab.pdfgen import canvas as rl_canvas
# reportlab itself is imported where a PDF is made: a rebuild whose posters and 申请表 come from the cache never
# needs it (importing it is about 0.2 s of every build).

POSTER_DIR = "posters"  # folder of the built site
COMBINED = "packages"  # name of the PDF with every package: packages-A4.pdf

# Fixed words printed on every poster.
LABEL_SERIES = "主题服务包"
LABEL_ITEMS = "事项清单"
LABEL_SCAN = "扫码查看最新内容"
LABEL_PHONE = "咨询电话："
LABEL_DATE = "制作日期："
LABEL_MORE = "……等共 {n} 项，扫码查看全部"

RED = (0.69, 0.11, 0.13)
INK = (0.1, 0.1, 0.1)
GREY = (0.3, 0.3, 0.3)


class PosterError(Exception):
    """A poster cannot be made; the message is for the user, in Chinese."""


@functools.cache
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


# --- page layout (in points, origin at the bottom left; sizes designed for A4 and scaled) -------


@dataclass
class Box:
    x: float
    y: float  # bottom
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h


@dataclass
class Line:
    text: str
    x: float
    y: float  # baseline
    font: str
    size: float
    color: tuple[float, float, float] = INK


@dataclass
class Layout:
    """Where everything of one poster goes; tests read the boxes to look at the rendered page."""

    size: tuple[float, float]
    url: str
    header: Box
    title: Box
    qr: Box  # the QR code including its quiet zone
    lines: list[Line] = field(default_factory=list)
    rules: list[Box] = field(default_factory=list)  # red rules and markers


def _shrink(text: str, font: str, size: float, max_width: float) -> float:
    """The size at which one line of text fits max_width (never above size)."""
    w = width(text, font, size)
    return size if w <= max_width else size * max_width / w


def layout(cat: Catalogue, pkg: Package, paper: str) -> Layout:
    pw, ph = SIZES[paper]
    s = pw / SIZES["A4"][0]
    m = MARGIN * s
    tw = pw - 2 * m
    url = package_url(cat, pkg)
    out_lines: list[Line] = []
    rules: list[Box] = []

    # header band: the bureau and the series name
    header = Box(0, ph - 64 * s, pw, 64 * s)
    series_w = width(LABEL_SERIES, REGULAR, 15 * s)
    out_lines.append(Line(cat.site.name, m, header.y + 24 * s, BOLD, _shrink(cat.site.name, BOLD, 20 * s, tw - series_w - 20 * s),
                          (1, 1, 1)))
    out_lines.append(Line(LABEL_SERIES, pw - m - series_w, header.y + 25 * s, REGULAR, 15 * s, (1, 1, 1)))

    # title: two lines at most at full size, else smaller
    title_lines, tsize = fit_title(pkg.name, s, tw)
    y = header.y - 22 * s
    title_top = y
    for t in title_lines:
        y -= tsize * 1.05
        out_lines.append(Line(t, m, y, BOLD, tsize))
        y -= tsize * 0.3
    title = Box(m, y, tw, title_top - y)
    rules.append(Box(m, y - 10 * s, 80 * s, 4 * s))
    y -= 26 * s

    # bottom block, from the bottom up: footer, URL, call to action, QR code
    footer_y = m * 0.8
    date_text = LABEL_DATE + cat.build_date.isoformat()
    name_size = _shrink(cat.site.name, REGULAR, 11 * s, tw - width(date_text, REGULAR, 11 * s) - 20 * s)
    out_lines.append(Line(cat.site.name, m, footer_y, REGULAR, name_size, GREY))
    out_lines.append(Line(date_text, pw - m - width(date_text, REGULAR, 11 * s), footer_y, REGULAR, 11 * s, GREY))
    rules.append(Box(m, footer_y + 16 * s, tw, 0.8 * s))
    url_size = 13 * s
    while width(url, REGULAR, url_size) > tw and url_size > 6 * s:
        url_size -= 0.5 * s
    url_y = footer_y + 40 * s
    out_lines.append(Line(url, (pw - width(url, REGULAR, url_size)) / 2, url_y, REGULAR, url_size))
    scan_size = 22 * s
    scan_y = url_y + url_size + 14 * s
    out_lines.append(Line(LABEL_SCAN, (pw - width(LABEL_SCAN, BOLD, scan_size)) / 2, scan_y, BOLD, scan_size, RED))
    qr_side = 270 * s  # 37 + 8 modules of 6 pt (2.1 mm) for a typical URL: a phone reads it at arm's length
    qr_box = Box((pw - qr_side) / 2, scan_y + scan_size * 1.1, qr_side, qr_side)
    bottom_limit = qr_box.top + 18 * s

    # middle: summary, 事项清单, 咨询电话 — smaller type until it fits, then the list is cut with a note
    out_lines += _middle(pkg, m, tw, y, bottom_limit, s)
    return Layout((pw, ph), url, header, title, qr_box, out_lines, rules)


def _middle(pkg: Package, m: float, tw: float, top: float, bottom: float, s: float) -> list[Line]:
    """Summary, 事项清单 and 咨询电话 between the title and the QR code.

    Smaller type first; then the summary is shortened with an ellipsis; then the list is cut with a printed
    note (等共 N 项，扫码查看全部). The page behind the QR code has everything.
    """
    phone = LABEL_PHONE + "、".join(pkg.phone) if pkg.phone else ""
    scales = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66)

    def fits(lines: list[Line]) -> bool:
        return not lines or min(ln.y for ln in lines) >= bottom

    for scale in scales:
        lines = _middle_lines(pkg, phone, m, tw, top, s * scale, s, len(pkg.items))
        if fits(lines):
            return lines
    k = s * scales[-1]
    # the 事项清单 is what the poster is for: shorten the summary first (to two lines), then cut the list
    summary_lines = len(wrap(pkg.summary, REGULAR, 15 * k, tw))
    for limit in range(summary_lines - 1, 1, -1):
        lines = _middle_lines(pkg, phone, m, tw, top, k, s, len(pkg.items), limit)
        if fits(lines):
            return lines
    limit = min(summary_lines, 2)
    for keep in range(len(pkg.items) - 1, -1, -1):
        lines = _middle_lines(pkg, phone, m, tw, top, k, s, keep, limit)
        if fits(lines):
            return lines
    return _middle_lines(pkg, phone, m, tw, top, k, s, 0, 1)


def _middle_lines(pkg: Package, phone: str, m: float, tw: float, top: float, k: float, s: float,
                  keep: int, summary_limit: int | None = None) -> list[Line]:
    out: list[Line] = []
    y = top
    size = 15 * k
    summary = wrap(pkg.summary, REGULAR, size, tw)
    if summary_limit is not None and len(summary) > summary_limit:
        summary = summary[:summary_limit]
        last = summary[-1]
        while last and width(last + "……", REGULAR, size) > tw:
            last = last[:-1]
        summary[-1] = last + "……"
    for t in summary:
        y -= size * 1.5
        out.append(Line(t, m, y, REGULAR, size, GREY))
    y -= 14 * s
    head = 17 * k
    y -= head * 1.3
    out.append(Line(LABEL_ITEMS, m, y, BOLD, head, RED))
    indent = width("00. ", REGULAR, size)
    for i, item in enumerate(pkg.items[:keep], 1):
        for j, t in enumerate(wrap(item, REGULAR, size, tw - indent)):
            y -= size * 1.55
            if j == 0:
                out.append(Line(f"{i}. ", m, y, REGULAR, size))
            out.append(Line(t, m + indent, y, REGULAR, size))
    if keep < len(pkg.items):
        y -= size * 1.55
        out.append(Line(LABEL_MORE.format(n=len(pkg.items)), m, y, REGULAR, size, GREY))
    if phone:
        y -= 10 * s
        for t in wrap(phone, BOLD, size, tw):
            y -= size * 1.55
            out.append(Line(t, m, y, BOLD, size))
    return out


# --- drawing -----------------------------------------------------------------------------------


def draw(c: rl_canvas.Canvas, lay: Layout) -> None:
    c.setFillColorRGB(*RED)
    c.rect(lay.header.x, lay.header.y, lay.header.w, lay.header.h, stroke=0, fill=1)
    for r in lay.rules:
        c.rect(r.x, r.y, r.w, r.h, stroke=0, fill=1)
    for ln in lay.lines:
        c.setFillColorRGB(*ln.color)
        c.setFont(ln.font, ln.size)
        c.drawString(ln.x, ln.y, ln.text)
    _draw_qr(c, lay.url, lay.qr)


def _draw_qr(c: rl_canvas.Canvas, url: str, box: Box) -> None:
    """Dark modules as one filled path of horizontal runs, on a white quiet zone of qr.BORDER modules."""
    rows = qr.matrix(url)
    n = len(rows) + 2 * qr.BORDER
    mod = box.w / n
    c.setFillColorRGB(1, 1, 1)
    c.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    for r, row in enumerate(rows):
        y = box.top - (r + qr.BORDER + 1) * mod
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                # a hair of overlap with the next row avoids white seams in anti-aliased viewers
                path.rect(box.x + (start + qr.BORDER) * mod, y, (col - start) * mod, mod + 0.01)
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)


def write_pdf(cat: Catalogue, packages: list[Package], paper: str, path: Path) -> Path:
    """One PDF, one page per package; same input and build date give the same bytes."""
    data = pdf_bytes(cat, packages, paper)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def dated_canvas(buf: io.BytesIO, pagesize: tuple[float, float], day: dt.date, font_size: float) -> rl_canvas.Canvas:
    """A reportlab canvas whose bytes depend on the build date only.

    reportlab seeds the PDF /ID from SOURCE_DATE_EPOCH when it is set: it is pinned to the build date while the
    canvas is made (not the time of day in the variable, nor whether it is set), and the dates written into the
    file are the build date. The initial font is the embedded one: no stray unembedded Helvetica.
    """
    from reportlab.pdfgen import canvas as rl_canvas

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(*day.timetuple()[:3], tzinfo=dt.UTC).timestamp()))
    try:
        c = rl_canvas.Canvas(buf, pagesize=pagesize, invariant=1, pageCompression=1, lang="zh-CN",
                             initialFontName=REGULAR, initialFontSize=font_size)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    stamp = f"D:{day:%Y%m%d}000000+00'00'"
    c.setDateFormatter(lambda *_: stamp)
    return c


def pdf_bytes(cat: Catalogue, packages: list[Package], paper: str) -> bytes:
    """The bytes of write_pdf's file."""
    if paper not in SIZES:
        raise PosterError(f"纸张尺寸「{paper}」无效，可选：{'、'.join(SIZES)}")
    _register_fonts()
    buf = io.BytesIO()
    c = dated_canvas(buf, SIZES[paper], cat.build_date, 12)
    title = packages[0].name if len(packages) == 1 else f"{cat.site.name}主题服务包"
    c.setTitle(title)
    c.setAuthor(cat.site.name)
    c.setSubject(LABEL_SCAN)
    c.setCreator("gongkai")
    c.setProducer("gongkai")
    for pkg in packages:
        draw(c, layout(cat, pkg, paper))
        c.showPage()
    c.save()
    return buf.getvalue()


def poster_name(pkg: Package, paper: str) -> str:
    return f"{pkg.id}-{paper}.pdf"


def write_posters(cat: Catalogue, out: Path, paper: str = "A4", ids: list[str] | None = None) -> list[Path]:
    """One PDF per package plus one with all of them; ids picks packages (default: all)."""
    by_id = {p.id: p for p in cat.packages}
    if ids:
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            known = "、".join(by_id) or "（无）"
            raise PosterError(f"没有标识为「{'、'.join(unknown)}」的主题服务包；catalog/packages.yml 中的标识：{known}")
        chosen = [by_id[i] for i in dict.fromkeys(ids)]
    else:
        chosen = list(cat.packages)
    if not chosen:
        raise PosterError("catalog/packages.yml 中没有主题服务包，无海报可生成")
    printable = [pkg for pkg in chosen if pkg.printable]
    written = [write_pdf(cat, [pkg], paper, out / poster_name(pkg, paper)) for pkg in printable]
    if printable:
        written.append(write_pdf(cat, printable, paper, out / f"{COMBINED}-{paper}.pdf"))
    return written


def publish(cat: Catalogue, site_dir: Path, cache: BuildCache | None = None) -> list[Path]:
    """Posters of every package in every paper size, under site/posters/ for staff to print.

    With a cache, a poster whose inputs are unchanged since an earlier build is linked from .cache/gongkai/
    instead of being drawn again (the bytes are the same: see `poster_inputs`).
    """
    if not cat.packages:
        return []
    cache = cache if cache is not None else BuildCache(None)
    out: list[Path] = []
    folder = site_dir / POSTER_DIR  # (made by cache.put when a poster is placed, not when it is claimed)
    packages = [p for p in cat.packages if p.printable]  # a poster that would print blanks is not made
    if not packages:
        return []
    for paper in SIZES:
        jobs = [([pkg], poster_name(pkg, paper)) for pkg in packages] + [(packages, f"{COMBINED}-{paper}.pdf")]
        for pkgs, name in jobs:
            cache.put(folder / name, functools.partial(pdf_bytes, cat, pkgs, paper), *poster_inputs(cat, pkgs, paper))
            out.append(folder / name)
    return out


def poster_inputs(cat: Catalogue, packages: list[Package], paper: str) -> tuple:
    """Everything the bytes of one poster PDF depend on besides gongkai itself (its cache key).

    The packages with every field (and the documents they cite, with their validity inputs), the bureau's
    name and site address (printed, and in the QR code), the build date (printed, and in the PDF's dates
    and ID), the paper size. The fonts, the code and the libraries are in every key (cache.code_key).
    """
    site = (cat.site.name, cat.site.site_url)
    return ("poster", paper, site, cat.build_date.isoformat(), [(fingerprint(p), fingerprint(p.policies)) for p in packages])
