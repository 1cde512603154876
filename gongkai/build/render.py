"""Jinja2 and Markdown rendering shared by every page type (no MkDocs)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import posixpath
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from cmarkgfm.cmark import Options

from gongkai.build import cmark
from gongkai.build.sanitize import sanitize_html
from gongkai.sitepaths import PATHS

TEMPLATE_DIR = Path(__file__).parent / "templates"


def relurl(from_href: str, to_href: str) -> str:
    """Relative URL from one site-relative page to another, so file:// browsing works."""
    if "://" in to_href or to_href.startswith(("mailto:", "tel:", "#")):
        return to_href
    to_path, _, frag = to_href.partition("#")
    rel = _relpath(to_path or from_href, from_href)
    if to_path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{frag}" if frag else "")


@functools.lru_cache(maxsize=1024)
def _folder_parts(from_href: str) -> tuple[str, ...] | None:
    """The folders of a plain site-relative page address ('a/b/index.html' -> ('a', 'b')); None if not plain."""
    parts = tuple(p for p in from_href.split("/")[:-1] if p)
    if from_href.startswith("/") or any(p in (".", "..") for p in parts):
        return None
    return parts


def _relpath(path: str, from_href: str) -> str:
    """posixpath.relpath(path, dirname(from_href) or "."), without its two abspath calls for plain addresses.

    A column page lists thousands of documents: this runs once per row.
    """
    start = _folder_parts(from_href)
    if start is not None and path and not path.startswith("/"):
        target = [p for p in path.split("/") if p]
        if not any(p in (".", "..") for p in target):
            i = 0
            for a, b in zip(start, target, strict=False):
                if a != b:
                    break
                i += 1
            return "/".join([".."] * (len(start) - i) + target[i:]) or "."
    return posixpath.relpath(path, posixpath.dirname(from_href) or ".")


def cn_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def make_env(root: Path | None = None, bytecode: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """Templates in overrides/gongkai/ (the bureau's) win over the package's own.

    bytecode: where compiled templates are kept between builds (see jinja_bytecode_cache)."""
    loaders: list[jinja2.BaseLoader] = []
    if root is not None and (root / "overrides" / "gongkai").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(root / "overrides" / "gongkai")))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATE_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode,
    )
    env.filters["date"] = cn_date
    env.globals["paths"] = PATHS  # the site's fixed addresses: url(paths.catalogue) …
    return env


def jinja_bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in folder between builds, or None (no cache).

    Compiling the ~60 templates of a page (gongkai's and Material's) costs about a second on every build, a
    large share of a rebuild that changes nothing. Jinja keys each entry by the template's source checksum, so
    an edited template or an upgraded theme is compiled afresh, and it writes entries by rename, so concurrent
    builds never read half an entry; what is cached never changes the output."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout builds, only slower
    return _QuietBytecodeCache(str(folder))


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A cache entry that cannot be written (disk full, read-only folder) is skipped: the build goes on with
    the template it just compiled, and the real write errors are those of site/, reported by the build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


# --- Markdown: one CommonMark + GFM dialect for document bodies, pages, the guide and report narratives ---------
#
# cmark-gfm (GitHub's C implementation, through cmarkgfm's wheels) renders a body 15-20 times faster than
# Python-Markdown did, and the same text renders the same on every page kind. Raw HTML passes the parser
# (CMARK_OPT_UNSAFE) and is then cleaned by sanitize_html: the allow-list decides, not the parser.
# GFM extensions: tables, strikethrough (~~x~~), autolinks (www.… and https://…). Not tasklists (their
# checkboxes are <input>, which the sanitizer drops) and not GFM's tagfilter (the sanitizer removes <script>
# with its content; tagfilter would print it as text).
ENGINE = f"cmark-gfm {version('cmarkgfm')} table strikethrough autolink"
_EXTENSIONS = ["table", "strikethrough", "autolink"]
_OPTIONS = Options.CMARK_OPT_UNSAFE

# CommonMark's emphasis rules were written for languages with spaces between words: "**主动公开。**本机关…"
# does not close the bold (the closing ** is preceded by punctuation and followed by a letter), nor does
# "第**（一）**项" open it. Chinese is written exactly like this. So before parsing, a marker character that
# CommonMark counts as punctuation is put between such a delimiter run and the Han character beside it; the
# marker makes the run flanking, and every marker is removed from the HTML again (so it cannot show anywhere,
# in code neither). A body that already contains the marker is parsed as written.
_MARK = "\u2058"  # FOUR DOT PUNCTUATION (Po): never written by a bureau; cmark classes it as punctuation
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PUNCT = "!-/:-@\\[-`{-~\u2010-\u2027\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u00b7"
_CLOSE_BEFORE_HAN = re.compile(f"(?<=[{_PUNCT}])(\\*+|~~)(?=[{_HAN}])")
_OPEN_AFTER_HAN = re.compile(f"(?<=[{_HAN}])(\\*+|~~)(?=[{_PUNCT}])")
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]*>")
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")
# GFM's autolinks run to the next space or "<"; Chinese has no spaces, so "见 www.gov.cn。电话" would link
# "www.gov.cn。电话". A bare address ends at its first non-ASCII character (then GFM's rule for trailing
# punctuation applies); the rest is text again.
_AUTOLINK = re.compile(r'<a href="([^"]*)">([^<]*[^\x00-\x7f][^<]*)</a>')
_LINK_PREFIXES = ("", "http://", "mailto:")


def _trim_autolink(m: re.Match[str], source: str) -> str:
    href, text = html.unescape(m.group(1)), html.unescape(m.group(2))
    target = unquote(href)
    prefix = next((p for p in _LINK_PREFIXES if target == p + text), None)
    if prefix is None or f"<{text}>" in source:  # [text](address) or <address>: as written
        return m.group(0)
    cut = next(i for i, ch in enumerate(text) if ord(ch) > 0x7F)
    address = text[:cut].rstrip(".,:;!?'\"*_~")
    if not address or address in ("www.", "http://", "https://"):
        return html.escape(text, quote=False)
    rest = text[len(address):]
    return f'<a href="{html.escape(prefix + address)}">{html.escape(address, quote=False)}</a>{html.escape(rest, quote=False)}'


def cjk_emphasis(text: str) -> str:
    """The Markdown with markers that let ** and * open and close next to Chinese punctuation (see above)."""
    if _MARK in text or ("*" not in text and "~~" not in text):
        return text
    text = _CLOSE_BEFORE_HAN.sub(lambda m: m.group(1) + _MARK, text)
    return _OPEN_AFTER_HAN.sub(lambda m: _MARK + m.group(1), text)


def slugify(text: str) -> str:
    """The heading id Python-Markdown's toc gave (kept so that links to #… stay valid): ASCII words only, so a
    Chinese heading gets an empty slug and then a number (_1, _2 …)."""
    import unicodedata

    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def unique_id(base: str, used: set[str]) -> str:
    """base, or base_1, base_2 … (an empty base: _1, _2 …): the first not yet used on the page."""
    ident = base
    if ident in used or not ident:
        m = _IDCOUNT.match(ident)
        stem, count = (m.group(1), int(m.group(2))) if m else (ident, 0)
        while True:
            count += 1
            ident = f"{stem}_{count}"
            if ident not in used:
                break
    used.add(ident)
    return ident


@dataclass(frozen=True)
class Heading:
    """A heading of a rendered body: for the page's table of contents (Material's right-hand 目录)."""

    level: int
    id: str
    title: str  # HTML: the heading's text, escaped
    children: list[Heading] = field(default_factory=list)


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: list[Heading]  # nested: an h3 under the h2 before it

    def toc_tokens(self) -> list[dict[str, Any]]:
        """The headings as MkDocs' toc tokens (mkdocs.structure.toc.get_toc)."""

        def token(h: Heading) -> dict[str, Any]:
            return {"level": h.level, "id": h.id, "name": h.title, "children": [token(c) for c in h.children]}

        return [token(h) for h in self.headings]


def render_markdown(text: str) -> Rendered:
    """A Markdown text as clean HTML, every heading with an id, and its headings."""
    if not text.strip():
        return Rendered("", [])
    marked = cjk_emphasis(text)
    out = cmark.to_html(marked, _OPTIONS, _EXTENSIONS)
    if marked is not text:
        out = out.replace(_MARK, "")
    if "<a href" in out:
        out = _AUTOLINK.sub(lambda m: _trim_autolink(m, text), out)
    used: set[str] = set()
    flat: list[Heading] = []

    def heading(m: re.Match[str]) -> str:
        level, inner = int(m.group(1)), m.group(2)
        name = " ".join(_TAG.sub("", inner).split())  # as Python-Markdown's toc: the text, entities kept
        ident = unique_id(slugify(html.unescape(name)), used)
        flat.append(Heading(level, ident, name))
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    out = _HEADING.sub(heading, out)
    out = clean(text, out.strip())  # no trailing newline (as Python-Markdown gave)
    if "<table>\n<thead>" in out:
        out = _GFM_TABLE.sub(_compact_table, out)
    return Rendered(out, nest(flat))


# A GFM table as cmark-gfm writes it puts align="right" on every cell of a right-aligned column and a line break
# after every tag: on a page with a 200-row table of amounts that is a sixth of the page (the 公示 lists and
# 资金 tables bureaus publish). The alignment of a column is said once, on the table (data-gk-align="2r 4c":
# column 2 right, 4 centred; gongkai.css aligns those columns' cells), and the line breaks around rows go (white
# space between table rows is never shown). The one after each cell stays: a program that reads the page's text
# (textContent, a crawler) keeps the cells apart. Left is what a cell without align gets anyway. Only
# tables of cmark's own shape are changed (no attribute but align on a cell, one alignment per column); a table
# written in HTML is left as written. Columns beyond ALIGN_COLUMNS keep their align attributes.
ALIGN_COLUMNS = 16
_GFM_TABLE = re.compile(r"<table>\n<thead>\n.*?</table>", re.S)
_CELL_TAG = re.compile(r"<t[hd](?=[ >])[^>]*>")
_CELL = re.compile(r'<(t[hd])(?: align="(left|center|right)")?>')
_TABLE_BREAK = re.compile(r"(</?(?:thead|tbody|tr)>)\n")  # not after a cell: its text stays apart from the next's


_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_ROWS_AND_CELLS = re.compile(r"</?tr>|<t[hd](?=[ >])[^>]*>")  # _CELL_TAG, and where each row starts and ends
_UNALIGN = [(f'<{t} align="{a}">', f"<{t}>") for t in ("th", "td") for a in ("left", "center", "right")]
_UNBREAK = [(f"<{c}{t}>\n", f"<{c}{t}>") for t in ("thead", "tbody", "tr") for c in ("", "/")]  # = _TABLE_BREAK


def _compact_table(m: re.Match[str]) -> str:
    table = m.group(0)
    if table.find("<table", 1) != -1:
        return table
    # The common case, checked with one scan in C instead of a Python step per cell (that loop was more than half
    # the time of rendering a body full of tables): the row and cell tags in order are exactly those of cmark-gfm's
    # shape (each row holds the header row's cells: cmark-gfm pads or cuts every row to them), every row closed,
    # no cell outside a row. Then removing every align attribute of a cell tag and the line breaks after row tags
    # (plain replaces: the strings cannot overlap) is exactly what the loop does; anything else takes the loop.
    tags = _ROWS_AND_CELLS.findall(table)
    n = tags.index("</tr>") - 1 if "</tr>" in tags else 0
    head = tags[1:n + 1]
    if 0 < n <= ALIGN_COLUMNS and tags[0] == "<tr>" and all(_CELL.fullmatch(t) for t in head):
        row = ["<tr>", *(t.replace("<th", "<td", 1) for t in head), "</tr>"]
        rows, extra = divmod(len(tags) - n - 2, n + 2)
        if not extra and tags[n + 2:] == row * rows:
            said = " ".join(f"{k + 1}{a[0]}" for k, t in enumerate(head)
                            if (a := t[t.find('"') + 1:-2]) in ("right", "center"))
            for old, new in _UNALIGN + _UNBREAK:
                table = table.replace(old, new)
            return table.replace("<table>", f'<table data-gk-align="{said}">', 1) if said else table
    return _compact_table_cells(table)


def _compact_table_cells(table: str) -> str:
    """_compact_table cell by cell: any table of cmark's shape, e.g. one with more than ALIGN_COLUMNS columns."""
    aligns: dict[int, str | None] = {}
    out: list[str] = []
    pos = 0
    for row in _ROW.finditer(table):
        for k, tag in enumerate(_CELL_TAG.finditer(row.group(1))):
            cell = _CELL.fullmatch(tag.group())
            if cell is None or aligns.setdefault(k, cell.group(2)) != cell.group(2):
                return table  # not cmark's shape: as written
            if k < ALIGN_COLUMNS:
                start = row.start(1) + tag.start()
                out.append(table[pos:start] + f"<{cell.group(1)}>")
                pos = row.start(1) + tag.end()
    out.append(table[pos:])
    said = " ".join(f"{k + 1}{a[0]}" for k, a in sorted(aligns.items()) if a in ("right", "center") and k < ALIGN_COLUMNS)
    body = _TABLE_BREAK.sub(r"\1", "".join(out))
    return body.replace("<table>", f'<table data-gk-align="{said}">', 1) if said else body


# A body without raw HTML: cmark-gfm itself writes only tags and attributes of the allow-list, so the sanitizer
# would return the same HTML except in how it writes void elements (<br>, <hr>, <img …>). Its HTML5 parse is
# half the rendering time of a long body full of tables: it runs only where it can change something (raw HTML,
# a link whose scheme is not allowed, quotes or numeric entities, which it writes differently).
_URL_ATTR = re.compile(r' (?:href|src)="([^"]*)"')
_SAFE_URL = re.compile(r"(?:https?://|mailto:|tel:|[^:/?#]*(?:[/?#]|$))")


def clean(source: str, out: str) -> str:
    """sanitize_html(out) for the HTML cmark-gfm rendered from `source`, without the sanitizer where it would
    change nothing (tests/build/test_render_markdown.py compares the two on every body it renders)."""
    if "<" in source or "&quot;" in out or "&#" in out:
        return sanitize_html(out)
    if "=\"" in out and not all(_SAFE_URL.match(u) for u in _URL_ATTR.findall(out)):
        return sanitize_html(out)
    return out.replace(" />", ">")


def nest(flat: list[Heading]) -> list[Heading]:
    """Headings nested by level, as Python-Markdown's nest_toc_tokens does."""
    top: list[Heading] = []
    stack: list[Heading] = []
    for h in flat:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        (stack[-1].children if stack else top).append(h)
        stack.append(h)
    return top


class Renderer:
    """Renders fragments for one catalogue: column bodies, document bodies, tables."""

    engine = ENGINE  # part of every cached page's key

    def __init__(self, root: Path | None, bytecode: jinja2.BytecodeCache | None = None):
        self.env = make_env(root, bytecode)

    def markdown(self, text: str) -> str:
        """Markdown (a document body, a report's narrative) as clean HTML."""
        return render_markdown(text).html

    def render(self, template: str, href: str, **context: Any) -> str:
        def url(target: str) -> str:
            return relurl(href, target)

        return self.env.get_template(template).render(url=url, href=href, **context)


def template_error_message(exc: jinja2.TemplateError) -> str:
    """A Chinese message naming the template file and line of a Jinja2 error, for editors of overrides/."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not line:  # runtime errors (an undefined variable …): the innermost template frame of the traceback
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".xml", ".j2")):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    where = f"{name}:{line}" if name and line else (name or "模板")
    return f"{where}: 错误: 模板无法渲染：{exc.message or type(exc).__name__}（请检查 overrides/gongkai/ 中的模板）"
