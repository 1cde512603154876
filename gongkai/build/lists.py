"""Published lists (catalog/lists.yml) as pages, exports and search records (no MkDocs).

Every list is paged into static pages of PAGE_SIZE rows ({column}/{list}/index.html, page-2.html …), each a plain
HTML table readable without JavaScript and from file://, shown as cards on a phone (each cell carries its
heading). With JavaScript, lists.js filters and searches the whole list: it reads the rows from
data/lists/{id}.js, a script the page loads with a <script> element (fetch() is refused on file://), and pages
the matching rows itself. The same masked rows are exported as CSV and JSON. Nothing here sees an unmasked
value: the model holds only masked ones (gongkai/load/lists.py).

A list whose 公示期 has ended is not built at all; a page built before that carries the end date
(data-gk-until), and lists.js hides the table with the reader's date, as gongkai.js recomputes validity labels.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from gongkai.build.searchindex import Entry
from gongkai.listmodel import DataList, ListField
from gongkai.model import Catalogue, Column

PAGE_SIZE = 50
SCRIPT = "assets/gongkai/lists.js"


def published_lists(cat: Catalogue, column: Column | None = None) -> list[DataList]:
    """The lists published by this build (公示期 not over), newest first; of one column when given."""
    out = [lst for lst in cat.lists if lst.is_published and lst.column is not None
           and (column is None or lst.column is column)]
    return sorted(out, key=lambda lst: (lst.published, lst.id), reverse=True)


def page_count(lst: DataList) -> int:
    return max(1, -(-len(lst.live_rows) // PAGE_SIZE))


def facets(lst: DataList) -> list[dict[str, Any]]:
    """The filter form's fields: each filterable field with its distinct values (dates: by month)."""
    out = []
    for i, fld in enumerate(lst.shown):
        if not fld.filter:
            continue
        values: Counter[str] = Counter()
        for row in lst.live_rows:
            v = row.values[i]
            if v:
                values[v[:7] if fld.type == "date" else v] += 1
        out.append({"index": i, "field": fld, "options": sorted(values.items())})
    return out


NOINDEX = '<meta name="robots" content="noindex, noarchive">\n'


def head(lst: DataList) -> str:
    """What a list page adds to its <head>: a list published for a period only (公示名单) asks search engines
    not to index or cache it, so no copy of it outlives its 公示期 elsewhere; 名录 and 双公示 may be indexed."""
    return NOINDEX if lst.period_end is not None or lst.category == "公示名单" else ""


def column_context(cat: Catalogue, col: Column) -> dict[str, Any]:
    return {"lists": [(lst, len(lst.live_rows)) for lst in published_lists(cat, col)]}


def page_plans(cat: Catalogue) -> list[tuple[str, str, str, dict[str, Any], Column]]:
    """(src_uri, title, template, context, column) of every page of every published list."""
    out = []
    for lst in published_lists(cat):
        col = lst.column
        assert isinstance(col, Column)
        pages = page_count(lst)
        doc = cat.document(lst.document) if lst.document else None
        for n in range(1, pages + 1):
            rows = lst.live_rows[(n - 1) * PAGE_SIZE:n * PAGE_SIZE]
            src = lst.page_href(n)[:-5] + ".md"
            title = lst.title if n == 1 else f"{lst.title}（第 {n} 页）"
            ctx = {"column": col, "lst": lst, "rows": rows, "page": n, "pages": pages, "first": (n - 1) * PAGE_SIZE + 1,
                   "total": len(lst.live_rows), "facets": facets(lst), "document": doc if doc and doc.is_public else None,
                   "today": cat.build_date}
            out.append((src, title, "list_page.html", ctx, col))
    return out


# --- exports -----------------------------------------------------------------------------------------


def _records(lst: DataList) -> list[dict[str, str]]:
    names = [f.name for f in lst.shown]
    return [dict(zip(names, row.values, strict=True)) for row in lst.live_rows]


def export_csv(lst: DataList) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([f.name for f in lst.shown])
    for row in lst.live_rows:
        w.writerow(row.values)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM: Excel opens UTF-8 CSV correctly only with it


def _meta(lst: DataList) -> dict[str, Any]:
    return {
        "id": lst.id, "title": lst.title, "category": lst.category, "published": lst.published.isoformat(),
        "period_start": lst.period_start.isoformat() if lst.period_start else "",
        "period_end": lst.period_end.isoformat() if lst.period_end else "",
        "fields": [{"name": f.name, "type": f.type, "masked": f.mask != "none"} for f in lst.shown],
    }


def export_json(lst: DataList) -> bytes:
    data = _meta(lst) | {"count": len(lst.live_rows), "rows": _records(lst)}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _field_js(f: ListField) -> dict[str, Any]:
    return {"n": f.name, "t": f.type, "s": f.search, "f": f.filter}


def export_script(lst: DataList, pages: int) -> bytes:
    """data/lists/{id}.js: the rows for lists.js, loaded by a <script> element (works from file://)."""
    data = {"id": lst.id, "fields": [_field_js(f) for f in lst.shown], "size": PAGE_SIZE, "pages": pages,
            "rows": [[*row.values, row.until.isoformat() if row.until else ""] for row in lst.live_rows]}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.gongkaiLists=window.gongkaiLists||{{}};window.gongkaiLists[{json.dumps(lst.id)}]={text};\n".encode()


def outputs(cat: Catalogue) -> dict[str, bytes]:
    """Site-relative path -> content of every export file of the published lists."""
    out: dict[str, bytes] = {}
    for lst in published_lists(cat):
        base = lst.export_base
        out[f"{base}.csv"] = export_csv(lst)
        out[f"{base}.json"] = export_json(lst)
        out[f"{base}.js"] = export_script(lst, page_count(lst))
    return out


def output_paths(cat: Catalogue) -> list[tuple[str, str]]:
    """(path, list id) of every export file: the manifest's reasons, without making the files."""
    return [(f"{lst.export_base}.{ext}", lst.id) for lst in published_lists(cat) for ext in ("csv", "json", "js")]


def write_outputs(cat: Catalogue, site: Path) -> list[str]:
    files = outputs(cat)
    for rel, data in sorted(files.items()):
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sorted(files)


def ended_paths(cat: Catalogue) -> tuple[list[str], list[str]]:
    """(pages, export files) of the lists whose 公示期 is over: no version on the server may keep them
    (build/outputcheck.withdrawn_paths, as for withdrawn documents: rollback refuses such a version, and
    `gongkai publish` deletes the older versions that hold one)."""
    pages: list[str] = []
    files: list[str] = []
    for lst in cat.lists:
        if lst.column is None or not lst.period_end or cat.build_date <= lst.period_end:
            continue
        pages += [lst.page_href(n) for n in range(1, max(1, -(-len(lst.rows) // PAGE_SIZE)) + 1)]
        files += [f"{lst.export_base}.{ext}" for ext in ("csv", "json", "js")]
    return pages, files


# --- search ------------------------------------------------------------------------------------------


def search_records(cat: Catalogue) -> list[Entry]:
    """One search record per page of a list: the searchable fields of its rows (masked), so a search for a
    村（社区）、机构名称 or 许可事项 finds the page that lists it."""
    out = []
    for lst in published_lists(cat):
        idx = [i for i, f in enumerate(lst.shown) if f.search]
        col = lst.column
        assert isinstance(col, Column)
        for n in range(1, page_count(lst) + 1):
            rows = lst.live_rows[(n - 1) * PAGE_SIZE:n * PAGE_SIZE]
            text = "\n".join(" ".join(row.values[i] for i in idx if row.values[i]) for row in rows)
            title = lst.title if n == 1 else f"{lst.title}（第 {n} 页）"
            meta = {"u": lst.page_href(n), "t": title, "k": lst.category, "p": col.trail_text(" › ")}
            out.append(Entry(title, f"{lst.description}\n{text}" if n == 1 else text, meta))
    return out
