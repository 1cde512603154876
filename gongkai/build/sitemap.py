"""sitemap.xml and sitemap.xml.gz: every published page with a stable date (never the build's clock).

Both are cached (.cache/gongkai/, build/cache.py) by their entries: a rebuild that changed no address and no date
links last build's files instead of writing a large site's megabytes (and gzipping them) again.
"""

from __future__ import annotations

import gzip
import html
import io
from pathlib import Path

from gongkai.build.cache import BuildCache
from gongkai.build.exports import rows_digest
from gongkai.build.pages import SitePlan
from gongkai.sitepaths import PATHS

XML = "sitemap.xml"
GZ = "sitemap.xml.gz"


def entries(plan: SitePlan) -> list[tuple[str, str]]:
    """(href, lastmod) of every page in the sitemap, in its order. A paged column's extra pages (page-2.html …; a
    政策文件 column's lists and browse pages) are pages of the site like its column page, with the column's date: a
    new document moves rows onto every one of them."""
    cat = plan.cat
    today = plan.today.isoformat()
    out: list[tuple[str, str]] = [(PATHS.home, today)]
    extra = plan.paged_links()
    for col in cat.columns():
        docs = cat.documents_in(col)  # newest first: the column's date is its newest document's
        lastmod = docs[0].published.isoformat() if docs else today
        out.append((col.href, lastmod))
        out += [(href, lastmod) for href, _ in extra.get(col.path, ())]
    out.append((PATHS.catalogue, today))
    out += [(pkg.href, today) for pkg in sorted(cat.packages, key=lambda p: p.id)]
    out += [(d.href, today) for d in sorted(cat.decisions.all, key=lambda d: d.id)]
    out += [(doc.href, doc.published.isoformat()) for doc in sorted(cat.published_documents, key=lambda d: d.id)]
    return out


def sitemap_xml(base: str, pages: list[tuple[str, str]]) -> bytes:
    buf = io.StringIO()
    buf.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    for href, lastmod in pages:
        buf.write(f"  <url><loc>{html.escape(base + href)}</loc><lastmod>{lastmod}</lastmod></url>\n")
    buf.write("</urlset>\n")
    return buf.getvalue().encode("utf-8")


def gzipped(data: bytes) -> bytes:
    """The same bytes for the same data: no time stamp, no file name in the gzip header."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    return raw.getvalue()


def write(plan: SitePlan, site: Path, cache: BuildCache | None = None) -> list[str]:
    """Write sitemap.xml and sitemap.xml.gz into the built site (over MkDocs' own); returns their paths."""
    cache = cache if cache is not None else BuildCache(None)
    base = plan.cat.site.site_url
    pages = entries(plan)
    # the key: every address and date printed (the build date is among them wherever a page has no date of its
    # own), and the site's address in front of every one
    key = (rows_digest(pages) if cache.enabled else "", base)
    made: dict[str, bytes] = {}

    def xml() -> bytes:
        if "xml" not in made:
            made["xml"] = sitemap_xml(base, pages)
        return made["xml"]

    cache.put(site / XML, xml, XML, *key)  # one key per file: the cache keeps one file per key
    cache.put(site / GZ, lambda: gzipped(xml()), GZ, *key)
    return [XML, GZ]
