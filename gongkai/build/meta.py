"""Gov page meta tags (SiteName, SiteDomain, SiteIDCode, ColumnName, ColumnType, ArticleTitle, PubDate,
ContentSource) for every page, as the 政府网站发展指引 asks and site crawlers read them. No MkDocs."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from gongkai.model import Catalogue, Column, ColumnKind, Document, Site

# 《政府网站发展指引》 groups columns into 信息发布, 解读回应, 办事服务, 互动交流 (ColumnKind.site_section).
DEFAULT_COLUMN_TYPE = "信息发布"
# Pages that are not columns of the catalogue (home, catalogue table, search, statement).
PAGE_COLUMNS = {
    "home": ("首页", "首页"),
    "catalogue": ("政府信息公开标准目录", DEFAULT_COLUMN_TYPE),
    "search": ("站内搜索", "搜索"),
    "accessibility": ("无障碍声明", "网站信息"),
    "package": ("主题服务包", "办事服务"),
    "sitemap": ("网站地图", "网站信息"),
    "contact": ("联系我们", "互动交流"),
    "privacy": ("隐私声明", "网站信息"),
    "terms": ("网站声明", "网站信息"),
}


def site_domain(site: Site) -> str:
    return urlsplit(site.site_url).hostname or ""


def column_type(col: Column) -> str:
    if col.kind is ColumnKind.DOCUMENTS and any(w in col.name for w in ("解读", "回应")):
        return "解读回应"
    return col.kind.site_section


def tags(pairs: list[tuple[str, str]]) -> str:
    """<meta name=… content=…> lines; empty values are left out."""
    return "\n".join(
        f'<meta name="{name}" content="{html.escape(value, quote=True)}">' for name, value in pairs if value
    )


def site_pairs(site: Site) -> list[tuple[str, str]]:
    return [("SiteName", site.name), ("SiteDomain", site_domain(site)), ("SiteIDCode", site.site_id)]


def latest_date(cat: Catalogue, column: Column | None) -> str:
    """PubDate of a list page: its newest document (the whole site's for pages outside the catalogue), else the build date."""
    if column is None:
        dates = [d.published for d in cat.published_documents]
    else:  # each column's documents are newest first: its first one's date is its newest (not every row looked at:
        # a paged column's pages ask this once per build, for thousands of rows)
        dates = [docs[0].published for c in column.walk() if (docs := cat.documents_in(c))]
    return max(dates, default=cat.build_date).isoformat()


def page_head(cat: Catalogue, title: str, column: Column | None = None, kind: str = "", pubdate: str = "") -> str:
    """Meta tags of a page rendered by MkDocs: home, a column, the catalogue table, search …; pubdate: its
    latest_date when the caller has it (the whole site's, the same for every page outside the catalogue)."""
    site = cat.site
    if column is not None:
        name, ctype = column.name, column_type(column)
    else:
        name, ctype = PAGE_COLUMNS.get(kind, (title, DEFAULT_COLUMN_TYPE))
    # No <link rel="alternate"> for the Atom feeds here: Material's script fetches a sitemap.xml next to every
    # alternate link (for its language switcher), which would be a request to the site's public address.
    # The feeds are linked visibly on the list pages instead.
    head = tags(site_pairs(site) + [
        ("ColumnName", name), ("ColumnType", ctype), ("ArticleTitle", title),
        ("PubDate", pubdate or latest_date(cat, column)), ("ContentSource", site.host or site.name),
    ])
    return head


def document_head(site: Site, doc: Document) -> str:
    """Meta tags and the canonical link of one document page (filled into the document shell)."""
    col = doc.columns[0] if doc.columns else None
    pairs = site_pairs(site) + [
        ("ColumnName", col.name if col else ""),
        ("ColumnType", column_type(col) if col else DEFAULT_COLUMN_TYPE),
        ("ArticleTitle", doc.title),
        ("PubDate", doc.published.isoformat()),
        ("ContentSource", doc.publisher or site.name),
    ]
    canonical = f'<link rel="canonical" href="{html.escape(site.site_url + doc.href, quote=True)}">'
    return canonical + "\n" + tags(pairs)
