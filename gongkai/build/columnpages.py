"""A documents column (kind `documents`) of many documents as static pages (no MkDocs).

A column of at most ONE_PAGE_MAX documents lists them all on its page, as it always did. A larger column's
page would grow without bound (a 政策解读 column of a big bureau holds thousands of 解读), so it is paged:

- the column page ({column}/index.html) is page 1 and shows the newest PAGE_ROWS documents;
- pages 2 … N are {column}/page-2.html … page-N.html, each the next PAGE_ROWS documents, newest first;
- every page says 第 k / N 页 and which rows it shows, and links 上一页/下一页 (rel="prev"/"next"), the first,
  the last and the pages near it: plain links, so paging works without JavaScript and from file://;
- each published document of the column is on exactly one page. A page's address depends only on its
  number, so the addresses are stable; which documents a page shows moves on as new ones are published,
  as on every newest-first list.

Pages 2 … N are not MkDocs pages: like a paged 政策文件 column (gongkai/build/policies.py), the plugin renders
one shell per column (Material's frame with markers) and each page's body is filled into it, so a column of
10,000 documents costs milliseconds per page, not a Material render each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# one paging rule for every paged list: a paged 政策文件 list's page size, threshold and arithmetic
from gongkai.build.paging import first_row, is_paged, page_count, page_slice
from gongkai.model import Column

PAGE_PREFIX = "page-"  # {column}/page-2.html …: column ids are pinyin or ASCII ids, never "page-2.html"


@dataclass
class ColumnPages:
    """The pages of one documents column (rows: its published documents, newest first).

    given: the rows, or how to make them, with `total` their number: they are made when a page that shows them is
    rendered or keyed — not at all in a rebuild that takes every key of the column over (bodykeys.py), where a
    100,000-document site's columns would otherwise make a row for each of their documents on every rebuild."""

    column: Column
    given: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]]
    total: int | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        if callable(self.given):
            self.given = self.given()
        return self.given

    @property
    def count(self) -> int:
        """The number of rows (without making them when `total` is given)."""
        return len(self.rows) if self.total is None else self.total

    @property
    def paged(self) -> bool:
        return is_paged(self.count)

    @property
    def title(self) -> str:
        """What the pager's label names (「政策解读分页」)."""
        return self.column.name

    @property
    def pages(self) -> int:
        return page_count(self.count) if self.paged else 1

    def href(self, n: int) -> str:
        """Site-relative address of page n (1-based): page 1 is the column page itself."""
        if n == 1:
            return self.column.href
        return f"{self.folder()}/{PAGE_PREFIX}{n}.html"

    def page_links(self) -> list[tuple[str, str]]:
        """(site-relative address, title) of each extra page: the sitemap lists them, a moved column's old
        addresses redirect to them."""
        return [(self.href(n), self.page_title(n)) for n in self.extra_pages()]

    def page_rows(self, n: int) -> list[dict[str, Any]]:
        if not self.paged:
            return self.rows
        return page_slice(self.rows, n)

    def first(self, n: int) -> int:
        """The position (1-based) of page n's first row in the whole list."""
        return first_row(n) if self.paged else 1

    def page_title(self, n: int) -> str:
        return self.column.name if n == 1 else f"{self.column.name}（第 {n} 页）"

    def extra_pages(self) -> list[int]:
        """The numbers of the pages written besides the column page."""
        return list(range(2, self.pages + 1))

    def output_paths(self) -> list[str]:
        """Site-relative paths of the extra pages (without making them)."""
        return [self.href(n) for n in self.extra_pages()]

    def files(self) -> dict[str, bytes]:
        """Data files besides the pages: none (the pages are plain HTML; no script reads the rows)."""
        return {}

    def folder(self) -> str:
        return self.column.href.rsplit("/", 1)[0]
