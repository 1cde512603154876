"""The old address of a withdrawn document: a plain 「该信息已撤回」 page (no MkDocs).

Why a page and not a 404: a static site cannot answer 410 Gone, and a 404 says "no such address" to the citizen
who followed a link printed in a notice or shared by a neighbour — the same address then answers differently
from every other missing page, which is exactly what people misread as a broken site. Government sites mark
taken-down items with a notice page (「该信息已撤回」/「已删除」) and keep the navigation back to the
disclosure catalogue; the column notices of urls.lock.yml (build/redirects.py) do the same for withdrawn
columns. The page carries `noindex`, so search engines drop the address, and states no reason (the reason
is in the office's record, not for publication). When the document was withdrawn because it contained
personal data, the page does not repeat its title either.
"""

from __future__ import annotations

import html
from pathlib import Path

from gongkai.build.redirects import _page
from gongkai.build.render import relurl
from gongkai.model import Catalogue, Withdrawal
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


def notices(cat: Catalogue) -> dict[str, str]:
    """site-relative address -> notice HTML, for every withdrawal whose address no published document uses."""
    live = {d.href for d in cat.published_documents}
    return {w.href: render_notice(w, cat.site.name) for w in cat.withdrawals if w.href not in live}


def write_notices(cat: Catalogue, site_dir: Path) -> list[str]:
    """Write the notices into the (staging) site folder; returns their addresses."""
    out = notices(cat)
    for href, text in sorted(out.items()):
        path = site_dir / href
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(out)
