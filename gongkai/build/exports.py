"""Exports for reuse and for the city's 主动公开公文库: data/documents.json, data/documents.csv, Atom feeds.

Only 主动公开 documents appear (Catalogue.published_documents). Output is deterministic: sorted,
dated from the documents themselves and the build date, never from the wall clock.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import marshal
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import compress, repeat
from operator import attrgetter, is_
from pathlib import Path
from typing import Any

from gongkai.build import catalogue_export
from gongkai.build.cache import BuildCache
from gongkai.build.redirects import old_pages  # feed_aliases: the same decisions as the old column pages
from gongkai.build.report_data import report_csv, report_dict
from gongkai.checks.validity import validity
from gongkai.model import SORT_KEY, Catalogue, Changes, Column, Document

JSON_PATH = "data/documents.json"
CSV_PATH = "data/documents.csv"
REPORTS_JSON = "data/reports.json"  # the annual reports' numbers (content/reports/), the published ones
REPORTS_CSV = "data/reports.csv"
SITE_FEED = "feeds/index.xml"
FEED_SIZE = 50  # newest entries per feed
TZ = "+08:00"  # dates are China Standard Time
ATOM_NS = "http://www.w3.org/2005/Atom"

CSV_HEADER = ["索引号", "标题", "文号", "发布机构", "成文日期", "发布日期", "主题分类", "行政规范性文件",
              "施行日期", "有效期至", "有效性", "所属栏目", "网址"]


def column_feed_path(col: Column) -> str:
    return _feed_at(col.path)


def _feed_at(column_path: str) -> str:
    return f"feeds/columns/{column_path}.xml"


def feed_columns(cat: Catalogue) -> list[Column]:
    return [c for c in cat.columns() if c.kind.has_feed]


def feed_aliases(cat: Catalogue) -> dict[str, Column]:
    """Old feed addresses of moved or renamed columns -> the column they belong to now, from the URL record.

    A feed reader cannot follow the HTML redirect page left at a column's old URL (build/redirects.py), and a
    static site cannot send an HTTP 301, so the old feed address gets the new feed itself: the same bytes, whose
    self link, feed id and entry ids are those of the new address. Readers that honour the self link
    (RFC 4287 4.2.7.2) move the subscription to the new address; the others keep reading the old address, which
    stays current because it is rewritten by every build; nobody sees an entry twice (same ids). A withdrawn
    column's old feed address is not kept: there is nothing left to subscribe to, and a missing feed says so.
    """
    live = {column_feed_path(c) for c in feed_columns(cat)}
    out: dict[str, Column] = {}
    for page in old_pages(cat.url_record or [], cat.roots):
        if page.target is None or not page.target.kind.has_feed:
            continue
        old = _feed_at(page.url.removesuffix("/index.html"))
        if old not in live:
            out[old] = page.target
    return out


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _newest_first(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=SORT_KEY, reverse=True)


# A published document's row: exactly the values its record (JSON) and its CSV line are written from, in this
# order. The rows are the cache key of both files (a row that differs from the last build's changes the key), so
# every value a record shows is here, and nothing else. Dates as written (YYYY-MM-DD, or "" when not given).
ROW_FIELDS = ("id", "index_no", "title", "doc_number", "publisher", "written", "published", "topic", "summary",
              "normative", "effective", "expires", "expires_default", "status", "status_date",
              "validity",  # the label validity() gives on the build date: not the date itself, which would change
                           # every row every day; a label that changes (尚未生效 → 现行有效) changes the row
              "replaced_by", "interprets",  # the id only while that document is published, else ""
              "interpretations",  # ids of the published documents interpreting it
              "columns",  # (path, name) of each column it is in
              "attachments")  # (title, site-relative path) of each attachment


def document_rows(cat: Catalogue, newest: list[Document] | None = None) -> list[tuple]:
    """The rows (ROW_FIELDS) of every published document, newest first (newest: those documents, sorted)."""
    today = cat.build_date
    columns: dict[int, tuple[str, str]] = {}  # id(column) -> (path, name): a path walks the column's ancestors

    def public_id(ref: str) -> str:
        target = cat.document(ref) if ref else None
        return target.id if target is not None and target.is_public else ""

    rows = []
    for d in _newest_first(cat.published_documents) if newest is None else newest:
        v = validity(d, today)
        rows.append((
            d.id, d.index_no, d.title, d.doc_number, d.publisher, _iso(d.written), d.published.isoformat(), d.topic,
            d.summary, d.normative, _iso(d.effective), _iso(d.expires), d.expires_default, d.status,
            _iso(d.status_date), v.label if v else "",
            public_id(d.replaced_by) if d.replaced_by else "", public_id(d.interprets) if d.interprets else "",
            tuple(x.id for x in d.interpretations if x.is_public) if d.interpretations else (),
            tuple(columns.get(id(c)) or columns.setdefault(id(c), (c.path, c.name)) for c in d.columns),
            tuple((a.title, a.path) for a in d.attachments) if d.attachments else ()))
    return rows


def rows_digest(rows: list[tuple]) -> str:
    """A digest of rows of plain values (str, bool, int, None, tuples and lists of them), for cache keys.

    Several times faster than hashing their repr, and as exact: marshal's format 2 writes a value the same way
    whatever objects hold it (formats 3 and 4 add back-references to objects met twice and mark interned
    strings). The bytes may differ between Python versions, which are part of every cache key (code_key).
    """
    return hashlib.blake2b(marshal.dumps(rows, 2), digest_size=20).hexdigest()


SOURCE_FILE = attrgetter("source.file")
ROWS_STATE = "export-rows"  # BuildCache.keep_state: (load token, {source file: digest of its document's row})


def trusted(kept: Any, changes: Changes) -> bool:
    """Whether a state kept by the last finished build as (load token, …) — the row digests, the sitemap's entries —
    holds for this one's unchanged documents (Changes.keeps)."""
    return kept is not None and changes.keeps(kept[0])


def rows_key(cat: Catalogue, newest: list[Document], cache: BuildCache,
             affected: Callable[[Changes], list[Document]] | None = None) -> str:
    """The key of the rows of `newest` (the published documents, newest first): a digest of each row's digest, in
    order — as exact as a digest of the rows themselves.

    A row is a function of its document, the documents it names or that name it (a 解读's id, its policy's), the
    columns' names and the build date (有效性). The previous finished build's row digests are kept (keep_state) with
    its load's token; they are taken over only when this load's changes are relative to that very load and nothing
    but documents changed since (`Changes.keeps`: no columns.yml, site.yml … edit, the same build date), and then
    not for a document the changes reach (`affected`): its row is made again. Making and digesting all 10,000 rows
    of a large site took ~70 ms of every rebuild; after editing one document, one row.

    Why the reached ones too, though a row shows another document only by its id while it is published (so a change
    of that document alone changes its own row or the list, and with them this key): a digest kept stale stays
    until its document changes, and then may equal the one kept — a document whose replacement is published gets
    replaced_by (its row changes, the key changes with the replacement's row); it then drops replaced_by, and its
    row is again the stale digest's, every other row as before: the key of the step before, its JSON linked
    (tests/build/test_exports_cache.py, the relation history). affected: SitePlan.affected_documents (the reached
    ones found from the changed ones, not by asking every document: publish.reached)."""
    from gongkai.build import publish  # (its rule for what the changes reach; it imports the renderer's modules)

    changes = cat.changes
    kept = cache.state(ROWS_STATE)
    before: dict[str, bytes] = kept[1] if trusted(kept, changes) else {}
    sources = list(map(SOURCE_FILE, newest))  # (one pass over the documents' objects: 10,000 of them, in C)
    found = list(map(before.get, sources))
    digests: dict[str, bytes | None] = dict(zip(sources, found, strict=True))
    reached = publish.reached(changes, newest, affected) if before else frozenset()
    # made again: what was not kept, and what the changes reach (positions picked in C: no Python loop per row)
    again = {*compress(range(len(found)), map(is_, found, repeat(None))),
             *(compress(range(len(sources)), map(reached.__contains__, sources)) if reached else ())}
    todo = [newest[i] for i in sorted(again)]
    for d, row in zip(todo, document_rows(cat, todo), strict=True):
        digests[d.source.file] = hashlib.blake2b(marshal.dumps(row, 2), digest_size=16).digest()
    if changes.token:
        cache.keep_state(ROWS_STATE, (changes.token, digests))
    return hashlib.blake2b(b"".join([digests[s] for s in sources]), digest_size=20).hexdigest()  # type: ignore[misc]


def record_of_row(row: tuple, base: str) -> dict[str, Any]:
    """The JSON record of a document row: every metadata field, links only to other published documents."""
    (doc_id, index_no, title, doc_number, publisher, written, published, topic, summary, normative, effective,
     expires, expires_default, status, status_date, label, replaced_by, interprets, interpretations, columns,
     attachments) = row
    return {
        "id": doc_id,
        "index_no": index_no,
        "title": title,
        "doc_number": doc_number,
        "publisher": publisher,
        "written": written,
        "published": published,
        "topic": topic,
        "summary": summary,
        "normative": normative,
        "effective": effective,
        "expires": expires,
        "expires_default": expires_default,
        "status": status,
        "status_date": status_date,
        "validity": label,
        "replaced_by": replaced_by,
        "interprets": interprets,
        "interpretations": list(interpretations),
        "columns": [{"path": path, "name": name} for path, name in columns],
        "attachments": [{"title": t, "url": base + path} for t, path in attachments],
        "url": f"{base}documents/{doc_id}.html",
        "href": f"documents/{doc_id}.html",
    }


def document_records(cat: Catalogue) -> list[dict[str, Any]]:
    """The records of every published document, newest first."""
    return [record_of_row(r, cat.site.site_url) for r in document_rows(cat)]


_encode_str = json.encoder.encode_basestring  # the C version where available, as json.dumps(ensure_ascii=False) uses
_SCALARS = {True: "true", False: "false", None: "null"}


def dumps_indented(value: Any, indent: str = "\n") -> str:
    """Exactly json.dumps(value, ensure_ascii=False, indent=1), several times faster.

    json.dumps falls back to its pure-Python encoder whenever indent is set; this writes the same text with the
    C string encoder. Only the types the exports use: dict with str keys, list, str, bool, None, int.
    """
    if isinstance(value, str):
        return _encode_str(value)
    if value is None or value is True or value is False:
        return _SCALARS[value]
    inner = indent + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{" + inner + ("," + inner).join(
            _encode_str(k) + ": " + dumps_indented(v, inner) for k, v in value.items()) + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(dumps_indented(v, inner) for v in value) + indent + "]"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)  # anything else (floats): as json.dumps writes it


_RECORD_FIELD_INDENT = "\n   "  # a record's fields, in the documents list of documents.json


def _json_list(items: list[str], indent: str) -> str:
    """Already encoded items as dumps_indented writes a list at this indent."""
    if not items:
        return "[]"
    inner = indent + " "
    return "[" + inner + ("," + inner).join(items) + indent + "]"


def _json_record(row: tuple, base: str) -> str:
    """The record of a row as documents.json holds it (dumps_indented of record_of_row at its depth), written
    straight from the row: every record is written again whenever one changes (a test checks both agree)."""
    e = _encode_str
    (doc_id, index_no, title, doc_number, publisher, written, published, topic, summary, normative, effective,
     expires, expires_default, status, status_date, label, replaced_by, interprets, interpretations, columns,
     attachments) = row
    href = f"documents/{doc_id}.html"
    cols = [f'{{\n     "path": {e(path)},\n     "name": {e(name)}\n    }}' for path, name in columns]
    atts = [f'{{\n     "title": {e(t)},\n     "url": {e(base + path)}\n    }}' for t, path in attachments]
    return (f'{{\n   "id": {e(doc_id)},\n   "index_no": {e(index_no)},\n   "title": {e(title)},'
            f'\n   "doc_number": {e(doc_number)},\n   "publisher": {e(publisher)},'
            f'\n   "written": {e(written)},\n   "published": {e(published)},'
            f'\n   "topic": {e(topic)},\n   "summary": {e(summary)},\n   "normative": {_SCALARS[bool(normative)]},'
            f'\n   "effective": {e(effective)},\n   "expires": {e(expires)},'
            f'\n   "expires_default": {_SCALARS[bool(expires_default)]},\n   "status": {e(status)},'
            f'\n   "status_date": {e(status_date)},\n   "validity": {e(label)},'
            f'\n   "replaced_by": {e(replaced_by)},\n   "interprets": {e(interprets)},'
            f'\n   "interpretations": {_json_list([e(i) for i in interpretations], _RECORD_FIELD_INDENT)},'
            f'\n   "columns": {_json_list(cols, _RECORD_FIELD_INDENT)},'
            f'\n   "attachments": {_json_list(atts, _RECORD_FIELD_INDENT)},'
            f'\n   "url": {e(base + href)},\n   "href": {e(href)}\n  }}')


VALIDITY_NOTE = "有效性按生成日期计算；阅读时请以施行日期、有效期至和状态为准"


def documents_json(cat: Catalogue, rows: list[tuple] | None = None) -> bytes:
    """data/documents.json in UTF-8: exactly json.dumps(…, ensure_ascii=False, indent=1) of the site, the build
    date and every record (tests compare the two), written from the rows.

    Each record is encoded on its own and the file joined once from the parts: the whole text as one str (joined,
    then copied into the head and tail, then encoded) held about five times the file's size at once — some
    450 MB at 100,000 documents, the build's largest passing allocation outside the search index; now twice."""
    rows = document_rows(cat) if rows is None else rows
    base = cat.site.site_url
    site = dumps_indented({"name": cat.site.name, "org_code": cat.site.org_code, "site_url": base}, "\n ")
    head = (f'{{\n "site": {site},\n "build_date": {_encode_str(cat.build_date.isoformat())},'
            f'\n "validity_note": {_encode_str(VALIDITY_NOTE)},\n "count": {len(rows)},\n "documents": ')
    if not rows:
        return (head + "[]\n}\n").encode("utf-8")
    sep = b",\n  "  # _json_list's separator at this depth
    parts = [(head + "[\n  ").encode("utf-8")]
    for r in rows:
        parts.append(_json_record(r, base).encode("utf-8"))
        parts.append(sep)
    parts[-1] = b"\n ]\n}\n"
    return b"".join(parts)


def csv_cell(value: str) -> str:
    """A text Excel/WPS will not run as a formula: a leading = + - @ (or tab, CR) gets a ' in front (OWASP)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def documents_csv(cat: Catalogue, rows: list[tuple] | None = None) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, so Excel opens the Chinese text correctly."""
    base = cat.site.site_url
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([csv_cell(v) for v in (
        r[1], r[2], r[3], r[4], r[5], r[6], r[7], "是" if r[9] else "否", r[10], r[11], r[15],
        "；".join(name for _path, name in r[19]), f"{base}documents/{r[0]}.html")]
        for r in (document_rows(cat) if rows is None else rows))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def atom_feed(cat: Catalogue, docs: list[Document], title: str, self_path: str, alternate: str) -> bytes:
    """An Atom feed of the newest FEED_SIZE of docs."""
    base = cat.site.site_url
    docs = _newest_first(docs)[:FEED_SIZE]
    updated = (docs[0].published if docs else cat.build_date).isoformat() + f"T00:00:00{TZ}"
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "zh-CN"})
    sub(feed, "title", title)
    sub(feed, "id", base + self_path)
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + self_path)
    sub(feed, "link", rel="alternate", type="text/html", href=base + alternate)
    sub(feed, "updated", updated)
    author = sub(feed, "author")
    sub(author, "name", cat.site.name)
    sub(feed, "generator", "gongkai")
    for doc in docs:
        entry = sub(feed, "entry")
        sub(entry, "title", doc.title)
        sub(entry, "id", base + doc.href)
        sub(entry, "link", rel="alternate", type="text/html", href=base + doc.href)
        stamp = doc.published.isoformat() + f"T00:00:00{TZ}"
        sub(entry, "published", stamp)
        sub(entry, "updated", stamp)
        a = sub(entry, "author")
        sub(a, "name", doc.publisher)
        if doc.topic:
            sub(entry, "category", term=doc.topic)
        parts = [p for p in (doc.doc_number, f"索引号：{doc.index_no}" if doc.index_no else "",
                             doc.summary) if p]
        if parts:
            sub(entry, "summary", "；".join(parts))
    ET.indent(feed, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"


def _feed_inputs(cat: Catalogue, newest: list[Document], title: str, self_path: str, alternate: str) -> tuple:
    """Everything atom_feed prints for these arguments (its cache key); newest: the feed's entries, newest first."""
    # each entry's title, id and link (from the document id), dates, author, category and summary
    entries = [(d.id, d.title, d.published.isoformat(), d.publisher, d.topic, d.doc_number, d.index_no, d.summary)
               for d in newest]
    return ("feed", rows_digest(entries),
            cat.site.site_url,  # the feed's id and links, and each entry's
            cat.site.name,  # the feed's author
            title, self_path, alternate,
            None if newest else cat.build_date)  # `updated` of a feed without entries (else the newest entry's date)


def published_reports(cat: Catalogue) -> list:
    """Reports whose document (a 主动公开 document in a reports column, with that `year`) is published."""
    years = {d.year for col in cat.columns() if col.kind == "reports" for d in cat.documents_in(col) if d.year}
    return [r for r in cat.reports if r.year in years]


def write_exports(cat: Catalogue, site: Path, cache: BuildCache | None = None,
                  affected: Callable[[Changes], list[Document]] | None = None) -> list[str]:
    """Write every export into the built site; returns their site-relative paths.

    With a cache, an export whose inputs are unchanged since an earlier build is linked from .cache/gongkai/
    (the same bytes) instead of being written again. Each key holds exactly what its file prints (a value left
    out would publish a stale file; one too many only costs a rewrite), computed without writing the file: after
    one document is edited only the exports showing it are written again, and nothing after a build that changed
    nothing. affected: SitePlan.affected_documents, for rows_key.
    """
    cache = cache if cache is not None else BuildCache(None)
    newest = _newest_first(cat.published_documents)
    made: list[list[tuple]] = []

    def rows() -> list[tuple]:  # made only when the JSON or the CSV is written, once for both
        if not made:
            made.append(document_rows(cat, newest))
        return made[0]

    key = rows_key(cat, newest, cache, affected) if cache.enabled else ""  # once: the JSON and the CSV are written from the rows
    jobs: dict[str, tuple[tuple, Callable[[], bytes]]] = {
        # the rows; the site's name, code and address, and the build date, printed at the top
        JSON_PATH: (("json", key, cat.site.name, cat.site.org_code, cat.site.site_url, cat.build_date),
                    lambda: documents_json(cat, rows())),
        CSV_PATH: (("csv", key, cat.site.site_url), lambda: documents_csv(cat, rows())),  # the rows; each 网址
    }

    table = catalogue_export.catalogue_rows(cat)  # every cell, the 网址 with the site's address
    title = f"{cat.site.name}政府信息公开标准目录"
    table_key = repr(table)
    jobs[catalogue_export.CSV_PATH] = (("catalogue-csv", table_key), lambda: catalogue_export.catalogue_csv(table))
    # the workbook also prints its title (the bureau's name) and is dated the build date
    jobs[catalogue_export.XLSX_PATH] = (("catalogue-xlsx", table_key, title, cat.build_date),
                                        lambda: catalogue_export.catalogue_xlsx(table, title, cat.build_date))

    reports = published_reports(cat)
    if reports:
        data = [report_dict(r) for r in reports]
        jobs[REPORTS_JSON] = (("reports-json", repr(data)),
                              lambda: (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        jobs[REPORTS_CSV] = (("reports-csv", repr(data)), lambda: ("\ufeff" + report_csv(reports)).encode("utf-8"))

    def feed(newest: list[Document], title: str, path: str, alternate: str) -> None:
        jobs[path] = (_feed_inputs(cat, newest, title, path, alternate),
                      lambda: atom_feed(cat, newest, title, path, alternate))

    feed(newest[:FEED_SIZE], f"{cat.site.name}：最新公开信息", SITE_FEED, "")
    for col in feed_columns(cat):  # documents_in: newest first already
        feed(cat.documents_in(col)[:FEED_SIZE], f"{cat.site.name}：{col.name}", column_feed_path(col), col.href)
    for old, col in feed_aliases(cat).items():  # a moved or renamed column's old address: the new feed, same bytes
        jobs[old] = jobs[column_feed_path(col)]
    for rel, (inputs, make) in sorted(jobs.items()):  # (put makes a file's folder only when it places the file)
        cache.put(site / rel, make, *inputs)
    return sorted(jobs)
