"""One paging rule (gongkai/build/paging.py) for the paged 政策文件 lists and the paged documents columns.

The rendered pages are checked by tests/build/test_column_pages.py and test_policies_paged.py; here the rule itself
at its edges, and that both kinds of paged list take their pages from it.
"""

from __future__ import annotations

import pytest

from gongkai.build.columnpages import ColumnPages
from gongkai.build.paging import ONE_PAGE_MAX, PAGE_ROWS, first_row, is_paged, page_count, page_slice, pager
from gongkai.build.policies import Listing
from gongkai.model import Column, ColumnKind


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (PAGE_ROWS, 1), (PAGE_ROWS + 1, 2),
                                              (ONE_PAGE_MAX + 1, 4), (10 * PAGE_ROWS, 10), (10 * PAGE_ROWS + 1, 11)])
def test_page_count_at_the_edges(total, pages):
    assert page_count(total) == pages


@pytest.mark.parametrize("total", [1, PAGE_ROWS - 1, PAGE_ROWS, PAGE_ROWS + 1, 1234])
def test_every_row_is_on_exactly_one_page_in_order(total):
    rows = list(range(total))
    pages = [page_slice(rows, n) for n in range(1, page_count(total) + 1)]
    assert [r for page in pages for r in page] == rows
    assert all(0 < len(page) <= PAGE_ROWS for page in pages)
    assert [first_row(n) for n in range(1, len(pages) + 1)] == [page[0] + 1 for page in pages]
    assert page_slice(rows, page_count(total) + 1) == []


def test_paged_only_above_the_threshold():
    assert not is_paged(ONE_PAGE_MAX) and is_paged(ONE_PAGE_MAX + 1)


def test_pager_links_the_ends_and_the_neighbours():
    assert pager(1, 1) == [1]
    assert pager(1, 12) == [1, 2, 3, None, 12]
    assert pager(6, 12) == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert pager(12, 12) == [1, None, 10, 11, 12]
    assert pager(3, 5) == [1, 2, 3, 4, 5]


def _column() -> Column:
    return Column(name="政策解读", slug="zcjd", kind=ColumnKind.DOCUMENTS)


@pytest.mark.parametrize("total", [ONE_PAGE_MAX, ONE_PAGE_MAX + 1, 1234])
def test_a_documents_column_and_a_policies_list_page_alike(total):
    rows = [{"i": i, "validity": None} for i in range(total)]
    cp = ColumnPages(_column(), rows)
    lst = Listing("others", "其他文件", rows, _column())
    assert cp.paged == is_paged(total)
    if not cp.paged:  # one page: the documents column lists every row on it
        assert cp.pages == 1 and cp.page_rows(1) == rows and cp.first(1) == 1
        return
    assert cp.pages == lst.pages == page_count(total)
    for n in range(1, cp.pages + 1):
        assert cp.page_rows(n) == lst.page_rows(n) == page_slice(rows, n)
        assert cp.first(n) == first_row(n)
