"""Writing the output: document pages from the shell, sitemap, and the atomic swap into site/."""

from __future__ import annotations

import gzip
import html
import io
import logging
import os
import shutil
from pathlib import Path

from .meta import document_head
from .pages import CONTENT_MARK, HEAD_MARK, NOH1_MARK, TITLE_MARK, SitePlan


def staging_dir(site_dir: str) -> str:
    return site_dir.rstrip("/\\") + ".gongkai-new"


def fill_shell(shell: str, title: str, content: str, head: str = "") -> str:
    """One document page: the Material-rendered shell with this document's title, head tags and body."""
    out = shell.replace(TITLE_MARK, html.escape(title, quote=True))
    return out.replace(HEAD_MARK, head, 1).replace(CONTENT_MARK + NOH1_MARK, content, 1)


def write_documents(plan: SitePlan, shell: str, site: Path) -> int:
    count = 0
    for doc in plan.cat.published_documents:
        out = site / doc.href
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(fill_shell(shell, doc.title, plan.document_html(doc), document_head(plan.cat.site, doc)), encoding="utf-8")
        count += 1
    return count


def write_sitemap(plan: SitePlan, site: Path) -> None:
    """A sitemap of every published page, with stable dates (no build-time clock)."""
    base = plan.cat.site.site_url
    entries: list[tuple[str, str]] = [("index.html", plan.today.isoformat())]
    for col in plan.cat.columns():
        docs = plan.cat.documents_in(col)
        entries.append((col.href, (docs[0].published if docs else plan.today).isoformat()))
    entries.append(("bzml/index.html", plan.today.isoformat()))
    entries += [(pkg.href, plan.today.isoformat()) for pkg in sorted(plan.cat.packages, key=lambda p: p.id)]
    for doc in sorted(plan.cat.published_documents, key=lambda d: d.id):
        entries.append((doc.href, doc.published.isoformat()))
    buf = io.StringIO()
    buf.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
    for href, lastmod in entries:
        buf.write(f"  <url><loc>{html.escape(base + href)}</loc><lastmod>{lastmod}</lastmod></url>\n")
    buf.write("</urlset>\n")
    data = buf.getvalue().encode("utf-8")
    (site / "sitemap.xml").write_bytes(data)
    with open(site / "sitemap.xml.gz", "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)


def swap_into_place(staging: Path, final: Path) -> None:
    """Replace site/ by the finished staging tree in two renames; if the second fails, put site/ back."""
    old = final.with_name(final.name + ".gongkai-old")
    if old.exists():
        shutil.rmtree(old)
    moved = False
    if final.exists():
        os.replace(final, old)
        moved = True
    try:
        os.replace(staging, final)
    except BaseException:
        if moved:
            os.replace(old, final)
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)


def strict_warnings() -> int:
    """Warnings counted so far by `mkdocs build --strict` (its CountHandler on the 'mkdocs' logger)."""
    total = 0
    for handler in logging.getLogger("mkdocs").handlers:
        counts = getattr(handler, "counts", None)
        if isinstance(counts, dict):
            total += sum(n for level, n in counts.items() if isinstance(level, int) and level >= logging.WARNING)
    return total
