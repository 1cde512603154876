"""sitemap.xml and sitemap.xml.gz: every page meant to be found, with a stable date (never the build's clock).

Listed: the home page, every column with its extra pages (page-2.html …; a 政策文件 column's lists and browse
pages), the 标准目录, the 主题服务包, the published lists that may be indexed, the decision pages, the site's own
pages (站内搜索, 无障碍声明, 网站地图, 联系我们, 隐私声明, 网站声明) and every published document. Not listed: pages
that ask search engines not to index them — the 404 page, the redirects and notices at old addresses
(build/redirects.py, build/withdrawn.py), 公示名单 and lists published for a period (build/lists.py).

The sitemaps.org protocol allows at most 50,000 addresses and 50 MB (52,428,800 bytes, uncompressed) per file.
Above that, sitemap.xml is a <sitemapindex> of part files beside it (a sitemap may only list addresses under its
own folder, so the parts cannot go into a subfolder): sitemap-pages.xml for everything but the document pages,
and one part per year of publication, sitemap-documents-2024.xml, in (date, id) order. A year too large for one
file continues in sitemap-documents-2024-2.xml …; the pages in sitemap-pages-2.xml …. The parts are named by what
they hold, not numbered, so that a new document changes only its year's part (the last piece of it: new
documents are the newest), and a document of a year not yet listed adds a part without renaming any other.
sitemap.xml.gz is always sitemap.xml gzipped (the index, above the limit).

Material's instant navigation (navigation.instant, off in the example) reads the <url> entries of sitemap.xml to
tell the site's own links; with an index it finds none and lets every link load normally.

Every file is cached (.cache/gongkai/, build/cache.py) by its own entries: a rebuild that changed no address and
no date links last build's files instead of writing a large site's megabytes (and gzipping them) again.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import html
import io
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from gongkai.build import exports
from gongkai.build import lists as list_pages
from gongkai.build.cache import BuildCache
from gongkai.build.exports import rows_digest
from gongkai.build.pages import SitePlan
from gongkai.listmodel import DataList
from gongkai.model import SORT_KEY, Document
from gongkai.sitepaths import PATHS

XML = "sitemap.xml"
GZ = "sitemap.xml.gz"
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
URLSET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n'
URLSET_FOOT = "</urlset>\n"
INDEX_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n'
INDEX_FOOT = "</sitemapindex>\n"
PAGES_PART = "pages"  # sitemap-pages.xml: every page but the documents'


@dataclass(frozen=True)
class Limits:
    """What one sitemap file may hold (sitemaps.org): addresses, and bytes before compression."""

    urls: int = 50_000
    bytes: int = 52_428_800


PROTOCOL = Limits()

Entry = tuple[str, str]  # (site-relative address, lastmod as YYYY-MM-DD)


def site_pages(plan: SitePlan) -> list[Entry]:
    """(href, lastmod) of every listed page that is not a document's, in the sitemap's order. A paged column's extra
    pages are pages of the site like its column page, with the column's date: a new document moves rows onto
    every one of them. A page with no date of its own carries the build date."""
    cat = plan.cat
    today = plan.today.isoformat()
    out: list[Entry] = [(PATHS.home, today)]
    extra = plan.paged_links()
    for col in cat.columns():
        docs = cat.documents_in(col)  # newest first: the column's date is its newest document's
        lastmod = docs[0].published.isoformat() if docs else today
        out.append((col.href, lastmod))
        out += [(href, lastmod) for href, _ in extra.get(col.path, ())]
    out.append((PATHS.catalogue, today))
    out += [(pkg.href, today) for pkg in sorted(cat.packages, key=lambda p: p.id)]
    out += [(d.href, today) for d in sorted(cat.decisions.all, key=lambda d: d.id)]
    for lst in list_pages.published_lists(cat):
        if list_pages.head(lst):  # noindex: 公示名单, lists published for a period
            continue
        lastmod = list_date(lst, plan.today).isoformat()
        out += [(lst.page_href(n), lastmod) for n in range(1, list_pages.page_count(lst) + 1)]
    out += [(href, today) for href in (PATHS.search, PATHS.accessibility, PATHS.sitemap, PATHS.contact,
                                       PATHS.privacy, PATHS.terms)]
    return out


def list_date(lst: DataList, today: dt.date) -> dt.date:
    """The day a list's pages last changed: its publication, or the latest day a record's term ended and the
    record left the pages (a row is shown up to its `until` day, build/load lists.py)."""
    gone = [r.until for r in lst.rows if r.until is not None and r.until < today]
    return max([lst.published, *(d + dt.timedelta(days=1) for d in gone)])


_BY_ID = operator.attrgetter("id")
_HREF, _LASTMOD = operator.itemgetter(0), operator.itemgetter(1)


def entries(plan: SitePlan, pages: list[Entry] | None = None, documents: Documents | None = None) -> list[Entry]:
    """(href, lastmod) of every page in a single sitemap.xml, in its order: the site's pages (site_pages(), when
    not given), then the documents by id (documents: their entries as write() has them)."""
    return (site_pages(plan) if pages is None else pages) + (documents or Documents(plan)).by_id()


def parts(plan: SitePlan, base: str, limits: Limits = PROTOCOL, pages: list[Entry] | None = None,
          documents: Documents | None = None) -> list[tuple[str, list[Entry]]]:
    """(file name, entries) of each part of a sitemap index, in the index's order (see the module's docstring);
    pages: site_pages(), when already made; documents: the documents' entries as write() has them."""
    groups: list[tuple[str, list[Entry]]] = [(PAGES_PART, site_pages(plan) if pages is None else pages)]
    groups += [(f"documents-{year}", rows) for year, rows in (documents or Documents(plan)).by_year()]
    out: list[tuple[str, list[Entry]]] = []
    for name, rows in groups:
        for k, piece in enumerate(pieces(base, rows, limits), start=1):
            out.append((f"sitemap-{name}.xml" if k == 1 else f"sitemap-{name}-{k}.xml", piece))
    return out


STATE = "sitemap-documents"  # BuildCache.keep_state: (load token, {source file: entry}, by id, by year)
_FILE = operator.attrgetter("source.file")


def _entry(doc: Document) -> Entry:
    return doc.href, doc.published.isoformat()


class Documents:
    """The published documents' entries (href, lastmod) in the two orders a sitemap lists them: by id (one
    sitemap.xml) and by year, each year by (date, id) (the parts of an index) — made when first asked for, or taken
    over from the last finished build (100,000 entries made, sorted and grouped on every rebuild otherwise).

    They are taken over (BuildCache.state, kept with the load's token) only when every entry is the same as then:
    the changes are relative to the very load they were made from (`Changes.follows`) and nothing but documents
    changed (the same build date: a scheduled document's publication is of that date), the export rows' rule
    (exports.trusted); and each changed or removed document has the entry it had then, or had none and has none
    (not published then and now). Every other
    document is, as the load compares it, what it was then: published as then, with the same id and date. Editing
    a body keeps them all; a new document, one withdrawn, a new date or id makes them again."""

    def __init__(self, plan: SitePlan, cache: BuildCache | None = None):
        self.cat = plan.cat
        self.cache = cache if cache is not None and cache.enabled else None
        # source file -> entry; the entries by id; by year (the same tuples: kept once, each list a list of references)
        self._by_file: dict[str, Entry] | None = None
        self._by_id: list[Entry] | None = None
        self._by_year: list[tuple[int, list[Entry]]] | None = None
        changes = self.cat.changes
        if self.cache is not None:
            kept = self.cache.state(STATE)
            # (the rule the export rows' digests are kept by: the same entries of the same documents)
            if exports.trusted(kept, changes) and self._same(kept[1]):
                self._by_file, self._by_id, self._by_year = kept[1], kept[2], kept[3]

    def _same(self, before: dict[str, Entry]) -> bool:
        """Whether each changed or removed document's entry is the one kept (None: not published, then or now),
        and as many documents are published as then (the changed ones looked up by their ids, unique in a load)."""
        changes, document = self.cat.changes, self.cat.document
        now: dict[str, Entry] = {}
        for i in changes.ids:
            d = document(i)
            if d is not None and d.is_public and d.source.file in changes.documents:
                now[d.source.file] = _entry(d)
        if any(now.get(f) != before.get(f) for f in (*changes.documents, *changes.removed)):
            return False
        return len(before) == len(self.cat.published_documents)

    def by_file(self) -> dict[str, Entry]:
        if self._by_file is None:
            self._by_file = {_FILE(d): _entry(d) for d in self.cat.published_documents}
        return self._by_file

    def by_id(self) -> list[Entry]:
        if self._by_id is None:
            entry = self.by_file().__getitem__
            self._by_id = list(map(entry, map(_FILE, sorted(self.cat.published_documents, key=_BY_ID))))
        return self._by_id

    def by_year(self) -> list[tuple[int, list[Entry]]]:
        if self._by_year is None:
            entry = self.by_file().__getitem__
            groups: dict[int, list[Entry]] = {}
            for doc in sorted(self.cat.published_documents, key=SORT_KEY):  # (published, id): in C, 100,000 of them
                groups.setdefault(doc.published.year, []).append(entry(_FILE(doc)))
            self._by_year = sorted(groups.items())
        return self._by_year

    def keep(self) -> None:
        """Kept for the next build (BuildCache.keep_state: written if this build finishes), with this load's token:
        the entries by source file and both orders as far as this build made or took them over."""
        token = self.cat.changes.token
        if self.cache is not None and token:
            self.cache.keep_state(STATE, (token, self.by_file(), self._by_id, self._by_year))


def _url_line(base: str, href: str, lastmod: str) -> str:
    return f"  <url><loc>{html.escape(base + href)}</loc><lastmod>{lastmod}</lastmod></url>\n"


def _line_bound(base: str, rows: list[Entry]) -> int:
    """At most how many bytes the rows' lines take: escaping makes a character at most 6 bytes (&quot;), UTF-8 at
    most 4; the fixed text and a date are ASCII. Cheap, so that a file well within the limit is not rendered to
    learn so."""
    fixed = len(_url_line("", "", "0000-00-00"))
    return (fixed + 6 * len(base)) * len(rows) + 6 * sum(map(len, map(_HREF, rows)))  # (no Python loop per row)


def fits(base: str, rows: list[Entry], limits: Limits) -> bool:
    """Whether one urlset file can hold the rows."""
    if len(rows) > limits.urls:
        return False
    room = limits.bytes - len(URLSET_HEAD) - len(URLSET_FOOT)
    if _line_bound(base, rows) <= room:
        return True
    return sum(len(_url_line(base, href, lastmod).encode("utf-8")) for href, lastmod in rows) <= room


def pieces(base: str, rows: list[Entry], limits: Limits) -> list[list[Entry]]:
    """The rows cut, in their order, into the fewest consecutive files each within the limits (at least one)."""
    if fits(base, rows, limits):
        return [rows]
    room = limits.bytes - len(URLSET_HEAD) - len(URLSET_FOOT)
    out: list[list[Entry]] = []
    current: list[Entry] = []
    size = 0
    for href, lastmod in rows:
        n = len(_url_line(base, href, lastmod).encode("utf-8"))
        if n > room:  # one address longer than a whole file: the protocol's 2,048 characters make this impossible
            raise ValueError(f"sitemap: address too long for one file: {href}")
        if current and (len(current) >= limits.urls or size + n > room):
            out.append(current)
            current, size = [], 0
        current.append((href, lastmod))
        size += n
    out.append(current)
    return out


def sitemap_xml(base: str, pages: Iterable[Entry]) -> bytes:
    buf = io.StringIO()
    buf.write(URLSET_HEAD)
    for href, lastmod in pages:
        buf.write(_url_line(base, href, lastmod))
    buf.write(URLSET_FOOT)
    return buf.getvalue().encode("utf-8")


def index_xml(base: str, files: Iterable[Entry]) -> bytes:
    """A <sitemapindex> of (file name, latest lastmod of its entries)."""
    buf = io.StringIO()
    buf.write(INDEX_HEAD)
    for name, lastmod in files:
        buf.write(f"  <sitemap><loc>{html.escape(base + name)}</loc><lastmod>{lastmod}</lastmod></sitemap>\n")
    buf.write(INDEX_FOOT)
    return buf.getvalue().encode("utf-8")


def gzipped(data: bytes) -> bytes:
    """The same bytes for the same data: no time stamp, no file name in the gzip header."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    return raw.getvalue()


def write(plan: SitePlan, site: Path, cache: BuildCache | None = None, limits: Limits = PROTOCOL) -> list[str]:
    """Write sitemap.xml and sitemap.xml.gz (and, above the limits, the parts of the index) into the built site
    (over MkDocs' own); returns their site-relative paths. limits: the protocol's, smaller in tests."""
    cache = cache if cache is not None else BuildCache(None)
    documents = Documents(plan, cache)
    out = _write(plan, site, cache, limits, documents)
    documents.keep()
    return out


def _write(plan: SitePlan, site: Path, cache: BuildCache, limits: Limits, documents: Documents) -> list[str]:
    base = plan.cat.site.site_url
    head = site_pages(plan)
    if len(head) + len(plan.cat.published_documents) <= limits.urls:
        pages = entries(plan, head, documents)
        if fits(base, pages, limits):
            _put_pair(cache, site, lambda: sitemap_xml(base, pages), pages, base)
            return [XML, GZ]
    index: list[Entry] = []
    for name, rows in parts(plan, base, limits, head, documents):
        # the key: every address and date printed (the build date is among them wherever a page has no date of
        # its own), the site's address in front of every one, and the file's name (one key per file)
        key = (rows_digest(rows) if cache.enabled else "", base)
        cache.put(site / name, functools.partial(sitemap_xml, base, rows), name, *key)
        index.append((name, max(map(_LASTMOD, rows))))
    _put_pair(cache, site, lambda: index_xml(base, index), index, base, "index")
    return [XML, GZ, *(name for name, _ in index)]


def _put_pair(cache: BuildCache, site: Path, make: Callable[[], bytes], rows: list[Entry], base: str, *kind: str) -> None:
    """sitemap.xml from make() and sitemap.xml.gz of the same bytes, each cached by rows (what the file prints)."""
    key = (rows_digest(rows) if cache.enabled else "", base, *kind)
    made: dict[str, bytes] = {}

    def xml() -> bytes:
        if "xml" not in made:
            made["xml"] = make()
        return made["xml"]

    cache.put(site / XML, xml, XML, *key)  # one key per file: the cache keeps one file per key
    cache.put(site / GZ, lambda: gzipped(xml()), GZ, *key)
