"""The site's fixed addresses (site-relative), named once.

The page plan, the sitemap and the old-URL pages use them in code; page templates get them as `paths`
(gongkai/build/render.py) and the theme's header and footer as `config.extra.gk_paths` (the plugin).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SitePaths:
    home: str = "index.html"
    catalogue: str = "bzml/index.html"  # 政府信息公开标准目录 (biaozhun mulu)
    search: str = "search/index.html"
    accessibility: str = "accessibility/index.html"  # 无障碍声明
    # the site's own pages, linked from every footer (政府网站发展指引)
    sitemap: str = "about/sitemap/index.html"  # 网站地图
    contact: str = "about/contact/index.html"  # 联系我们
    privacy: str = "about/privacy/index.html"  # 隐私声明
    terms: str = "about/terms/index.html"  # 网站声明


PATHS = SitePaths()

# Top-level folders the generator itself writes (or MkDocs and Material do): no first-level column may take one.
RESERVED_FOLDERS = frozenset({
    *(href.split("/")[0] for href in (PATHS.catalogue, PATHS.search, PATHS.accessibility, PATHS.sitemap)),
    "documents", "data", "posters", "assets", "pages", "files", "packages", "pagefind", "javascripts",
    "stylesheets", "feeds", "redirects", "sitemap",
})


def source_uri(href: str) -> str:
    """The Markdown source MkDocs renders at a page address: bzml/index.html -> bzml/index.md."""
    return href.removesuffix(".html") + ".md"
