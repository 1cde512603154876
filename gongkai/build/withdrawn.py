"""The old address of a withdrawn document: a plain 「该信息已撤回」 page (no MkDocs).

Why a page and not a 404: a static site cannot answer 410 Gone, and a 404 says "no such address" to the citizen
who followed a link printed in a notice or shared by a neighbour — the same address then answers differently
from every other missing page, which is exactly what people misread as a broken site. Government sites mark
taken-down items with a notice page (「该信息已撤回」/「已删除」) and keep the navigation back to the
disclosure catalogue; the column notices of urls.lock.yml (build/redirects.py) do the same for withdrawn
columns. The page carries `noindex`, so search engines drop the address, and states no reason (the reason
is in the office's record, not for publication). When the document was withdrawn because it contained
personal data, the page does not repeat its title either.

The same holds for an address catalog/urls.lock.yml recorded for a document that no document has any more
(model.GoneAddress): when the document is still published under an address of its own, its old one redirects
there, as a moved column's does; when its file was deleted without a withdrawal record, the old address says
「该信息已移除」 — without title or date, since nothing says why or when it went (the build warns until
`gongkai withdraw` records it, which turns the page into the withdrawal notice).
"""

from __future__ import annotations

import html
from pathlib import Path

from gongkai.build.redirects import _page, moved_page
from gongkai.build.render import relurl
from gongkai.model import Catalogue, GoneAddress, Withdrawal
from gongkai.sitepaths import PATHS


def render_notice(w: Withdrawal, site_name: str) -> str:
    href, title, date = w.href, w.title, w.date
    cat = html.escape(relurl(href, PATHS.catalogue), quote=True)
    search = html.escape(relurl(href, PATHS.search), quote=True)
    home = html.escape(relurl(href, PATHS.home), quote=True)
    what = "该信息" if w.personal_data or not title else f"「{html.escape(title)}」"
    body = (f"<h1>该信息已撤回</h1>\n<p>{what}已于 {date.isoformat()} 撤回，不再公开。</p>\n"
            f"<p>请在<a id=\"gk-catalogue\" href=\"{cat}\">政府信息公开标准目录</a>或"
            f"<a href=\"{search}\">站内搜索</a>中查找所需信息，或返回<a href=\"{home}\">{html.escape(site_name)}首页</a>。</p>\n")
    return _page(f"该信息已撤回 - {site_name}", "<meta name=\"robots\" content=\"noindex\">\n", body)


WITHDRAWAL, REMOVED, REDIRECT = "withdrawal", "removed", "redirect"  # what a page at an old document address is


def render_removed(gone: GoneAddress, site_name: str) -> str:
    """「该信息已移除」 at a recorded address whose file was deleted (no title: why it went is not known)."""
    href = gone.href
    cat = html.escape(relurl(href, PATHS.catalogue), quote=True)
    search = html.escape(relurl(href, PATHS.search), quote=True)
    home = html.escape(relurl(href, PATHS.home), quote=True)
    body = ("<h1>该信息已移除</h1>\n<p>该信息已从本站移除，不再在此公开。</p>\n"
            f"<p>请在<a id=\"gk-catalogue\" href=\"{cat}\">政府信息公开标准目录</a>或"
            f"<a href=\"{search}\">站内搜索</a>中查找所需信息，或返回<a href=\"{home}\">{html.escape(site_name)}首页</a>。</p>\n")
    return _page(f"该信息已移除 - {site_name}", "<meta name=\"robots\" content=\"noindex\">\n", body)


def render_moved(gone: GoneAddress, site_name: str) -> str:
    """A redirect from a recorded address to the document's address now (a static site cannot answer 301)."""
    assert gone.target is not None
    return moved_page("文件地址已变更", "本文件已迁移到新地址：", relurl(gone.href, gone.target.href), gone.target.title,
                      site_name)


def old_document_pages(cat: Catalogue) -> dict[str, tuple[str, str]]:
    """site-relative address -> (WITHDRAWAL | REMOVED | REDIRECT, page HTML) for every old document address no
    published document uses: withdrawals, and recorded addresses whose document is gone or moved."""
    if not cat.withdrawals and not cat.gone:
        return {}
    live = {d.href for d in cat.published_documents}
    out = {w.href: (WITHDRAWAL, render_notice(w, cat.site.name)) for w in cat.withdrawals if w.href not in live}
    for g in cat.gone:
        if g.href in live or g.href in out:
            continue
        if g.target is not None and g.target.is_public:
            out[g.href] = (REDIRECT, render_moved(g, cat.site.name))
        else:
            out[g.href] = (REMOVED, render_removed(g, cat.site.name))
    return out


# what the manifest may say of a file at a removed address: the notice, or the redirect to the document's new address
NOTICE_KINDS = frozenset({"withdrawal", "removed-document", "redirect"})


def removed_addresses(cat: Catalogue) -> dict[str, str]:
    """Every document address the bureau recorded as removed -> why, naming the file and the record's line: the
    withdrawals (catalog/withdrawals.yml) and the recorded addresses whose document is gone (catalog/urls.lock.yml).
    A site to publish must hold only the notice (or the redirect) there (gongkai publish, tools/deploy.py)."""
    files = {d.id: d.source.file for d in cat.documents}
    out: dict[str, str] = {}
    for w in cat.withdrawals:
        file = f"文件 {files[w.id]} " if w.id in files else "该文件"
        out[w.href] = f"{file}已撤回（catalog/withdrawals.yml 第 {w.line} 行）" if w.line else f"{file}已撤回（catalog/withdrawals.yml）"
    for g in cat.gone:
        if g.href in out:
            continue
        where = f"catalog/urls.lock.yml 第 {g.line} 行" if g.line else "catalog/urls.lock.yml"
        if g.target is not None and g.target.is_public:
            out[g.href] = f"文件 {g.file} 现在发布在 {g.target.href}（{g.target.source.file}；{where}），旧地址应为跳转页"
        else:
            out[g.href] = f"原文件 {g.file} 已删除（{where}）"
    return out


def write_notices(cat: Catalogue, site_dir: Path) -> dict[str, str]:
    """Write the pages at old document addresses into the (staging) site folder; returns address -> kind
    (WITHDRAWAL, REMOVED or REDIRECT), for the output check and the manifest."""
    out = old_document_pages(cat)
    written: dict[str, str] = {}
    for href, (kind, text) in sorted(out.items()):
        path = site_dir / href
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written[href] = kind
    return written
