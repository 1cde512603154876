"""The preview mark on pages written outside the theme (old-address redirects, withdrawn notices).

A preview of a 栏目调整方案 (`gongkai preview`) must say so on every page: pages rendered through the theme carry
the banner from gongkai.html's `announce` block; the plain pages of build/redirects.py and build/withdrawn.py get
the same words here, inserted right after <body>.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from gongkai.fsutil import naming

TITLE = "预览：栏目调整方案（未发布）"
STYLE = "margin:0 0 1em;padding:.4em .8em;background:#8a1212;color:#fff"  # white on #8a1212: 8.6:1


def banner(old: str) -> str:
    return (f"<p class=\"gk-preview-banner\" id=\"gk-preview-banner\" role=\"note\" style=\"{STYLE}\"><strong>{TITLE}</strong>"
            f" 与 {html.escape(old)} 相比的调整。本预览不能发布。</p>\n")


def mark_pages(site: Path, hrefs: Iterable[str], old: str) -> None:
    """Insert the banner into each page (site-relative addresses) after its <body>."""
    mark = banner(old)
    for href in hrefs:
        path = site / href
        text = path.read_text(encoding="utf-8")
        if "<body>\n" not in text or TITLE in text:
            continue
        with naming(path):
            path.write_text(text.replace("<body>\n", "<body>\n" + mark, 1), encoding="utf-8")
