"""Every page type of the example site, by URL, for the offline, accessibility and 长辈版 browser tests; the gov meta tags."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

# Fixed URLs of the example bureau (catalog/columns.yml, content/).
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "section": "fdzdgknr/index.html",
    "documents": "fdzdgknr/zcfg/bmwj/index.html",
    "policies": "zcwj/index.html",
    "document": "documents/szmz-2024-3.html",
    "guide": "zfxxgkzn/index.html",
    "page": "fdzdgknr/jgzn/jgjj/index.html",
    "reports": "zfxxgknb/index.html",
    "report": "documents/szmz-2025-nb.html",  # an annual report: the 30号 tables from content/reports/2025.yml
    "packages": "zdlyxxgk/ztfwb/index.html",
    "decisions": "fdzdgknr/zdjcygk/jcsxml/index.html",  # 重大行政决策事项目录 (catalog/decisions.yml)
    "decision": "decisions/2026-kjetbz/index.html",  # one decision's timeline of stages
    "application": "ysqgk/sqxz/index.html",  # 依申请公开: 须知, 流程图, 申请表 (kind application)
    "statistics": "ysqgk/ysqtj/index.html",  # 依申请公开统计: part 三 of the published annual reports
    "messages": "hdhy/lyxd/index.html",  # 留言选登 (catalog/messages.yml)
    "faq": "hdhy/cjwt/index.html",  # 常见问题库 (catalog/faq.yml)
    "catalogue": "bzml/index.html",
    "search": "search/index.html?q=最低生活保障",
    "accessibility": "accessibility/index.html",
    "sitemap": "about/sitemap/index.html",
    "contact": "about/contact/index.html",
    "privacy": "about/privacy/index.html",
    "terms": "about/terms/index.html",
    "notfound": "404.html",
    "lists": "zdlyxxgk/shjzhshfl/jzdxgs/index.html",  # a lists column (catalog/lists.yml)
    "list": "zdlyxxgk/shjzhshfl/jzdxgs/dibao-2026-11/index.html",  # a 公示名单 in its 公示期 (build date 2026-11-24)
}


def page_types(site: Path) -> dict[str, str]:
    """PAGE_TYPES plus one 主题服务包 page (packages/{id}/index.html) found in the built site."""
    packages = sorted((site / "packages").glob("*/index.html"))
    assert packages, "示例网站没有生成任何主题服务包页面（packages/{id}/index.html）"
    return PAGE_TYPES | {"package": packages[0].relative_to(site).as_posix()}


def is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:"))


GOV_TAGS = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource")


def gov_meta(page: BeautifulSoup) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tag in page.select("head meta[name]"):
        if tag["name"] in GOV_TAGS:
            out.setdefault(tag["name"], []).append(tag.get("content", ""))
    return out
