"""MkDocs' Markdown step, skipped for the pages gongkai generates.

Every page gongkai adds (plugin.on_files: home, columns, 标准目录, shells …) reaches MkDocs as a front matter with
its title and no Markdown at all: gongkai renders the body itself (plugin.on_page_content). MkDocs would still set
up a Python-Markdown instance with every configured extension for each of them (~0.1 s CPU for the 131 pages of a
10,000-document site on every build) to convert an empty string. `render` sets exactly what Page.render sets for an
empty source (Markdown.convert returns "" before any extension runs) and hands anything else to Page.render.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

# the logger whose level decides whether Page.render records links_to_anchors (mkdocs/structure/pages.py)
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def render(page: Page, config: Any, files: Any) -> None:
    """Page.render for a page of gongkai's: nothing to convert (an empty or blank source); else MkDocs' own."""
    if page.markdown is None or page.markdown.strip():
        Page.render(page, config, files)
        return
    page.content = ""
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {}
