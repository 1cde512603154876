"""Exports for reuse and for the city's 主动公开公文库: data/documents.json, data/documents.csv, Atom feeds.

Only 主动公开 documents appear (Catalogue.published_documents). Output is deterministic: sorted,
dated from the documents themselves and the build date, never from the wall clock.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongkai.build import catalogue_export
from gongkai.build.cache import BuildCache
from gongkai.build.redirects import old_pages  # feed_aliases: the same decisions as the old column pages
from gongkai.build.report_data import report_csv, report_dict
from gongkai.checks.validity import validity
from gongkai.model import Catalogue, Column, Document

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
    return sorted(docs, key=lambda d: (d.published, d.id), reverse=True)


def document_record(cat: Catalogue, doc: Document, paths: dict[int, str] | None = None) -> dict[str, Any]:
    """Every metadata field of a published document, with links only to other published documents.

    paths: column paths already worked out (id(column) -> path), shared by the records of one export.
    """
    base = cat.site.site_url
    if paths is None:
        paths = {}
    v = validity(doc, cat.build_date)

    def public_id(ref: str) -> str:
        target = cat.document(ref) if ref else None
        return target.id if target is not None and target.is_public else ""

    return {
        "id": doc.id,
        "index_no": doc.index_no,
        "title": doc.title,
        "doc_number": doc.doc_number,
        "publisher": doc.publisher,
        "written": _iso(doc.written),
        "published": _iso(doc.published),
        "topic": doc.topic,
        "summary": doc.summary,
        "normative": doc.normative,
        "effective": _iso(doc.effective),
        "expires": _iso(doc.expires),
        "expires_default": doc.expires_default,
        "status": doc.status,
        "status_date": _iso(doc.status_date),
        "validity": v.label if v else "",
        "replaced_by": public_id(doc.replaced_by),
        "interprets": public_id(doc.interprets),
        "interpretations": [d.id for d in doc.interpretations if d.is_public],
        "columns": [{"path": paths.get(id(c)) or paths.setdefault(id(c), c.path), "name": c.name} for c in doc.columns],
        "attachments": [{"title": a.title, "url": base + a.path} for a in doc.attachments],
        "url": base + doc.href,
        "href": doc.href,
    }


def document_records(cat: Catalogue) -> list[dict[str, Any]]:
    """The records of every published document, newest first (shared by the JSON and the CSV export)."""
    paths: dict[int, str] = {}
    return [document_record(cat, d, paths) for d in _newest_first(cat.published_documents)]


def documents_json(cat: Catalogue, records: list[dict[str, Any]] | None = None) -> str:
    records = document_records(cat) if records is None else records
    data = {
        "site": {"name": cat.site.name, "org_code": cat.site.org_code, "site_url": cat.site.site_url},
        "build_date": cat.build_date.isoformat(),
        "validity_note": "有效性按生成日期计算；阅读时请以施行日期、有效期至和状态为准",
        "count": len(records),
        "documents": records,
    }
    return dumps_indented(data) + "\n"


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


def csv_cell(value: str) -> str:
    """A text Excel/WPS will not run as a formula: a leading = + - @ (or tab, CR) gets a ' in front (OWASP)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def documents_csv(cat: Catalogue, records: list[dict[str, Any]] | None = None) -> bytes:
    """UTF-8 with a BOM and CRLF line ends, so Excel opens the Chinese text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in document_records(cat) if records is None else records:
        writer.writerow([csv_cell(v) for v in (
            r["index_no"], r["title"], r["doc_number"], r["publisher"], r["written"], r["published"],
            r["topic"], "是" if r["normative"] else "否", r["effective"], r["expires"], r["validity"],
            "；".join(c["name"] for c in r["columns"]), r["url"])])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def atom_feed(cat: Catalogue, docs: list[Document], title: str, self_path: str, alternate: str) -> bytes:
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


def _feed_inputs(cat: Catalogue, docs: list[Document], title: str, self_path: str, alternate: str) -> tuple:
    """Everything atom_feed prints for these arguments (its cache key)."""
    newest = [(d.id, d.title, d.href, d.published, d.publisher, d.topic, d.doc_number, d.index_no,
               d.summary) for d in _newest_first(docs)[:FEED_SIZE]]
    return ("feed", cat.site.site_url, cat.site.name, cat.build_date, title, self_path, alternate, newest)


def published_reports(cat: Catalogue) -> list:
    """Reports whose document (a 主动公开 document in a reports column, with that `year`) is published."""
    years = {d.year for col in cat.columns() if col.kind == "reports" for d in cat.documents_in(col) if d.year}
    return [r for r in cat.reports if r.year in years]


def write_exports(cat: Catalogue, site: Path, cache: BuildCache | None = None) -> list[str]:
    """Write every export into the built site; returns their site-relative paths.

    With a cache, an export whose inputs are unchanged since an earlier build is linked from .cache/gongkai/
    (the same bytes) instead of being written again.
    """
    cache = cache if cache is not None else BuildCache(None)
    records = document_records(cat)
    site_info = (cat.site.name, cat.site.org_code, cat.site.site_url, cat.build_date)
    records_key = cache.key(records) if cache.enabled else ""  # once: the JSON and the CSV are made from them
    jobs: dict[str, tuple[tuple, Callable[[], bytes]]] = {
        JSON_PATH: (("json", site_info, records_key), lambda: documents_json(cat, records).encode("utf-8")),
        CSV_PATH: (("csv", records_key), lambda: documents_csv(cat, records)),
    }

    rows = catalogue_export.catalogue_rows(cat)
    title = f"{cat.site.name}政府信息公开标准目录"
    jobs[catalogue_export.CSV_PATH] = (("catalogue-csv", repr(rows)), lambda: catalogue_export.catalogue_csv(rows))
    jobs[catalogue_export.XLSX_PATH] = (("catalogue-xlsx", repr(rows), title, cat.build_date),
                                        lambda: catalogue_export.catalogue_xlsx(rows, title, cat.build_date))

    reports = published_reports(cat)
    if reports:
        data = [report_dict(r) for r in reports]
        jobs[REPORTS_JSON] = (("reports-json", repr(data)),
                              lambda: (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        jobs[REPORTS_CSV] = (("reports-csv", repr(data)), lambda: ("\ufeff" + report_csv(reports)).encode("utf-8"))

    def feed(docs: list[Document], title: str, path: str, alternate: str) -> None:
        jobs[path] = (_feed_inputs(cat, docs, title, path, alternate), lambda: atom_feed(cat, docs, title, path, alternate))

    feed(cat.published_documents, f"{cat.site.name}：最新公开信息", SITE_FEED, "")
    for col in feed_columns(cat):
        feed(cat.documents_in(col), f"{cat.site.name}：{col.name}", column_feed_path(col), col.href)
    for old, col in feed_aliases(cat).items():  # a moved or renamed column's old address: the new feed, same bytes
        jobs[old] = jobs[column_feed_path(col)]
    for rel, (inputs, make) in sorted(jobs.items()):
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        cache.put(target, make, *inputs)
    return sorted(jobs)
