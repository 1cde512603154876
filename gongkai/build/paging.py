"""One paging rule for every paged list of the site (no MkDocs).

A paged 政策文件 list (gongkai/build/policies.py) and a paged documents column (gongkai/build/columnpages.py) split
their rows the same way: pages of PAGE_ROWS rows, page n (1-based) holding rows (n-1)·PAGE_ROWS … n·PAGE_ROWS-1,
a list being paged only above ONE_PAGE_MAX rows. The arithmetic lives here once, so the two cannot drift apart
(a row on two pages, or on none, would be a silent loss of a published document from the walk).
"""

from __future__ import annotations

from typing import TypeVar

PAGE_ROWS = 100  # rows of a list per static page, and per 「显示更多」
ONE_PAGE_MAX = 300  # up to this many rows, a list keeps them all on its one page (a 政策文件 page: about 180 KB)

T = TypeVar("T")


def is_paged(total: int) -> bool:
    """Whether a list of `total` rows is paged (else its one page holds every row)."""
    return total > ONE_PAGE_MAX


def page_count(total: int) -> int:
    """Pages of a paged list of `total` rows (an empty list still has its one page)."""
    return max(1, -(-total // PAGE_ROWS))


def page_slice(rows: list[T], n: int) -> list[T]:
    """The rows of page n (1-based) of a paged list."""
    return rows[(n - 1) * PAGE_ROWS:n * PAGE_ROWS]


def first_row(n: int) -> int:
    """The position (1-based) in the whole list of page n's first row."""
    return (n - 1) * PAGE_ROWS + 1


def pager(current: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and `around` either side of the current one; None: a gap."""
    keep = {1, pages} | set(range(max(1, current - around), min(pages, current + around) + 1))
    out: list[int | None] = []
    for n in sorted(keep):
        if out and out[-1] is not None and n > out[-1] + 1:
            out.append(None)
        out.append(n)
    return out
