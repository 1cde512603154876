"""The build-cache keys of the bodies that list documents, kept from one finished build to the next.

A documents or 政策文件 column's body is cached by its inputs (SitePlan.body_inputs: the column and, row by row, each
document's list-picture digest and validity). Making that key pictures and hashes every row: 18,000 rows and ~75 ms
of every rebuild of a 10,000-document site (100,000 documents: ten times that), though editing one document changes
the rows of two or three columns. So the keys of the last finished build are kept (BuildCache.keep_state) with its
load's token, and a column's key is taken over without looking at its rows when all of this holds:

- the kept keys are trusted as publish.document_keys trusts its own (publish.trusted): made from the very load this
  one's changes are relative to and nothing but documents changed since (Changes.keeps: no column, site.yml,
  template or other input, the same build date, so the same validities), and the same salt (gongkai's code and
  SitePlan.body_salt: site.yml, the Markdown engine);
- the column lists the same rows as then (pages.same_rows): no document it lists now had its picture made afresh
  this build (SitePlan.touched_columns: changed, affected by a change — a 解读 it shows, what it replaces —, or not
  remembered), so every row it lists has the digest the kept key was made from, and it lists as many rows as then
  (which, none touched, makes them the same rows in the same order: see same_rows).

Any other column's key is made from its inputs, as in a cold build. The keys are kept again (all of them, made or
taken over) only when this build finishes (BuildCache.finish writes the states).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from gongkai.build.cache import BuildCache
from gongkai.build.pages import PagePlan, SitePlan, same_rows
from gongkai.build.publish import trusted
from gongkai.model import Column

STATE = "listing-body-keys"  # BuildCache.state: (load token, salt, {src_uri: (rows, key)}) of the last finished build


class ListingKeys:
    """One build's keys of the listing bodies: taken over from the last finished build where the change cannot reach
    them, else made; kept for the next build by `keep`."""

    def __init__(self, plan: SitePlan, cache: BuildCache, body_salt: tuple):
        self.plan = plan
        self.cache = cache
        self.body_salt = body_salt
        self.salt = cache.key("column-body", body_salt)  # what every key holds besides the page's own inputs
        changes = plan.cat.changes
        self.token = changes.token
        kept = cache.state(STATE)
        self.kept: dict[str, tuple[int, str]] = kept[2] if trusted(kept, changes, self.salt) else {}
        self.touched = plan.touched_columns()  # (None: every column counts as touched, same_rows)
        self.made: dict[str, tuple[int, str]] = {}  # src_uri -> (rows, key) of this build's listing bodies
        self.taken = 0  # keys taken over (tests, GONGKAI_TIMING)

    def key(self, page: PagePlan, inputs: Callable[[PagePlan], Any]) -> str | None:
        """The cache key of a page's body (None: not cached); inputs: SitePlan.body_inputs, asked only when the key
        is not taken over."""
        size = self.plan.listing_size(page)
        if size is not None:
            found = self.kept.get(page.src_uri)
            assert page.column is not None  # (listing_size: a column's own page)
            if found is not None and same_rows(page.column.path, found[0], size, self.touched):
                self.made[page.src_uri] = found
                self.taken += 1
                return found[1]
        made = inputs(page)
        if made is None:
            return None
        key = self.cache.key("column-body", self.body_salt, made)
        if size is not None:
            self.made[page.src_uri] = (size, key)
        return key

    def keep(self) -> None:
        """Keep this build's listing keys for the next build (written only if this build finishes)."""
        if self.token:
            self.cache.keep_state(STATE, (self.token, self.salt, dict(self.made)))


def shown(column: Column) -> Iterator[Column]:
    """The columns whose documents a column's extra pages show something of: the column's rows, and the newest date
    of it and every column under it (their head's PubDate, meta.latest_date)."""
    return column.walk()


# BuildCache.state: (load token, salt, {shell src_uri: (rows, shell salt, pages, rows chunks)})
PAGED_STATE = "paged-page-keys"


class PagedKeys:
    """One build's keys of the paged columns' extra pages (page-2.html …; a 政策文件 column's lists and browse pages),
    taken over from the last finished build by ListingKeys' rule, else made (SitePlan.subpage_list).

    Each page's key holds its rows' pictures and what every page of its column shows alike: the column, the 分类浏览
    (every listing's name and count) and its head tags, whose PubDate is the newest document of the column *and its
    descendants* (meta.latest_date). So a column's pages are taken over when the kept keys are trusted (publish.trusted),
    the column's shell and templates give the same salt (write_paged_columns), and for the column and each column
    under it, none of its documents was touched and it lists as many as then (pages.same_rows): then every listing
    of the column holds the same rows in the same order, and every page the same key — and a 政策文件 column the
    same rows chunks for policies.js (kept by their SHA-256). Taking over a column's keys skips picturing its rows
    (~100,000 row places at 100,000 documents), hashing every page's key and making the rows chunks."""

    def __init__(self, plan: SitePlan, cache: BuildCache):
        self.plan = plan
        changes = plan.cat.changes
        self.token = changes.token
        self.salt = cache.key("paged-page-keys")
        kept = cache.state(PAGED_STATE)
        self.kept: dict[str, tuple[tuple, str, tuple, tuple]] = kept[2] if trusted(kept, changes, self.salt) else {}
        self.touched = plan.touched_columns()  # (None: every column counts as touched, same_rows)
        self.cache = cache
        self.made: dict[str, tuple[tuple, str, tuple, tuple]] = {}
        self.taken = 0  # columns whose keys were taken over (tests, GONGKAI_TIMING)

    def rows(self, shell: PagePlan) -> tuple:
        """The number of documents of the shell's column and of each column under it."""
        assert shell.column is not None
        documents_in = self.plan.cat.documents_in
        return tuple((c.path, len(documents_in(c))) for c in shown(shell.column))

    def pages(self, shell: PagePlan, salt: str) -> tuple[tuple[str, str], ...] | None:
        """(address, key) of each extra page of the shell's column, as the last finished build made them; None when
        the change may reach them (then they are made: `made`)."""
        found = self.kept.get(shell.src_uri)
        if found is None or found[1] != salt:
            return None
        then, now, touched = found[0], self.rows(shell), self.touched
        # (the same columns, each listing the same rows as then)
        if len(then) != len(now) or not all(p == q and same_rows(q, a, b, touched)
                                            for (p, a), (q, b) in zip(then, now, strict=True)):
            return None
        self.made[shell.src_uri] = found
        self.taken += 1
        return found[2]

    def chunks(self, shell: PagePlan) -> tuple[tuple[str, str], ...]:
        """(site path, SHA-256) of each rows chunk of a column whose pages' keys `pages` took over."""
        return self.made[shell.src_uri][3]

    def record(self, shell: PagePlan, salt: str, pages: tuple[tuple[str, str], ...],
               chunks: tuple[tuple[str, str], ...]) -> None:
        """The (address, key) of each extra page of a column and the (site path, SHA-256) of each of its rows
        chunks, made this build."""
        self.made[shell.src_uri] = (self.rows(shell), salt, pages, chunks)

    def keep(self) -> None:
        """Keep this build's keys for the next build (written only if this build finishes)."""
        if self.token:
            self.cache.keep_state(PAGED_STATE, (self.token, self.salt, dict(self.made)))
