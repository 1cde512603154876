"""The pages that keep old column URLs alive, from the URL record (catalog/urls.lock.yml, read by the loader).

For each recorded URL:

- the URL is a current column's URL: a normal page, nothing to do;
- the identity names exactly one current column: a redirect page to that column's new URL, and when that column
  is paged (a documents column's page-2.html …, a 政策文件 column's normative-2.html, year-2024.html …) one at
  each of its extra pages' old addresses, to the same page at the new address. The record keeps the column's
  address, not how many pages it had there: the column's pages now stand for them (a column only grows, so
  every page it had at the old address has its redirect; a page the column no longer has was emptied anyway);
- otherwise: a "本栏目已撤销" page linking to the catalogue table (at the column page's address only: how many
  pages a column that is gone had is not known).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from gongkai.build import staging
from gongkai.build.render import relurl
from gongkai.fsutil import naming
from gongkai.load.columns import column_index
from gongkai.model import Catalogue, Column, RecordedUrl
from gongkai.sitepaths import PATHS


@dataclass(frozen=True)
class OldPage:
    """A page generated at an old URL: a redirect (target set) or a withdrawn-column notice."""

    url: str
    name: str
    target: Column | None
    # a page of the target column besides its column page (a paged column's page-2.html …): its address and title
    target_href: str = ""
    target_title: str = ""

    @property
    def to(self) -> str:
        """Site-relative address the redirect leads to."""
        assert self.target is not None
        return self.target_href or self.target.href


def old_pages(entries: list[RecordedUrl], roots: list[Column],
              paged: dict[str, list[tuple[str, str]]] | None = None) -> list[OldPage]:
    """Pages for recorded URLs that are no longer a column's URL, sorted by URL (a moved column's extra pages right
    after its column page).

    paged: column path -> (address, title) of its extra pages (SitePlan.paged_links); each gets a redirect from the same
    file name in the old folder."""
    live = {c.href for r in roots for c in r.walk()}
    index = column_index(roots)
    out: list[OldPage] = []
    for e in sorted(entries, key=lambda x: x.url):
        if e.url in live:
            continue
        targets = index.get(e.column, [])
        target = targets[0] if len(targets) == 1 else None
        out.append(OldPage(e.url, e.name, target))
        if target is None or not paged:
            continue
        old_folder, new_folder = _folder(e.url), _folder(target.href)
        for href, title in paged.get(target.path, []):
            out.append(OldPage(f"{old_folder}/{href.removeprefix(new_folder + '/')}", e.name, target, href, title))
    return out


def _folder(href: str) -> str:
    return href.rsplit("/", 1)[0]


def _page(title: str, head: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n{head}"
        "<style>body{font:20px/1.8 sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#1a1a1a}"
        "a{color:#0b57a4}h1{font-size:1.5em}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n</body>\n</html>\n"
    )


def moved_page(heading: str, lead: str, to: str, link_text: str, site_name: str) -> str:
    """The page left at an old address that moved (a column's or a document's): a static site cannot answer 301,
    so a refresh to the new address, canonical and noindex, and the link for readers whose browser does not follow.
    lead is HTML; to is the relative address."""
    q = html.escape(to, quote=True)
    head = (f"<meta http-equiv=\"refresh\" content=\"0; url={q}\">\n<link rel=\"canonical\" href=\"{q}\">\n"
            "<meta name=\"robots\" content=\"noindex\">\n")
    body = (f"<h1>{heading}</h1>\n<p>{lead}</p>\n"
            f"<p><a id=\"gk-redirect\" href=\"{q}\">{html.escape(link_text)}</a></p>\n"
            "<p>如果页面没有自动跳转，请点击上面的链接，并更新您的收藏。</p>\n")
    return _page(f"{heading} - {site_name}", head, body)


def render_old_page(page: OldPage, site_name: str) -> str:
    if page.target is not None:
        return moved_page("栏目地址已变更", f"「{html.escape(page.name)}」栏目已迁移到新地址：",
                          relurl(page.url, page.to), page.target_title or page.target.trail_text(), site_name)
    cat = html.escape(relurl(page.url, PATHS.catalogue), quote=True)
    home = html.escape(relurl(page.url, PATHS.home), quote=True)
    body = (f"<h1>本栏目已撤销</h1>\n<p>「{html.escape(page.name)}」栏目已撤销，原有信息不再在此发布。</p>\n"
            f"<p>请在<a id=\"gk-catalogue\" href=\"{cat}\">政府信息公开标准目录</a>中查找所需信息，"
            f"或返回<a href=\"{home}\">{html.escape(site_name)}首页</a>。</p>\n")
    return _page(f"本栏目已撤销 - {site_name}", "<meta name=\"robots\" content=\"noindex\">\n", body)


def write_old_pages(cat: Catalogue, site_dir: Path, paged: dict[str, list[tuple[str, str]]] | None = None
                    ) -> list[OldPage]:
    """Write redirect and withdrawn pages into the (staging) site folder; returns those written (the manifest's
    reasons for them). paged: the paged columns' extra pages (SitePlan.paged_links; their old addresses redirect
    too)."""
    written = []
    for page in old_pages(cat.url_record or [], cat.roots, paged):
        out = site_dir / page.url
        if staging.taken(out):  # never overwrite a page the build made (or claimed from the kept tree)
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        with naming(out):
            out.write_text(render_old_page(page, cat.site.name), encoding="utf-8")
        written.append(page)
    return written


__all__ = ["OldPage", "old_pages", "render_old_page", "write_old_pages"]
