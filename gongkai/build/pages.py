"""The pages of the site, derived from the model: what to render where (no MkDocs)."""

from __future__ import annotations

import functools
import hashlib
import heapq
import html
import marshal
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Any

from markupsafe import Markup

from gongkai.build import lists as list_pages
from gongkai.build.application_page import application_context, statistics_context
from gongkai.build.cache import fingerprint, folder_digest
from gongkai.build.columnpages import ColumnPages
from gongkai.build.decision_pages import decision_context, decision_src_uri, decisions_column_context, document_decision
from gongkai.build.interaction_pages import faq_column_context, interaction_link, messages_column_context
from gongkai.build.keptparts import KeptParts
from gongkai.build.package_pages import package_context, package_src_uri, packages_column_context
from gongkai.build.paging import page_slice
from gongkai.build.policies import (
    SHELL_NAME,
    Listing,
    PolicyColumn,
    PolicyPages,
    Shape,
    pager,
    subpage_context,
    subpage_title,
)
from gongkai.build.render import Rendered, Renderer, render_markdown
from gongkai.build.report_tables import report_tables
from gongkai.checks.guide import contact_rows
from gongkai.checks.validity import Validity, validity
from gongkai.links import LinkMap, Resolved, rewrite, rewrites, site_links, url_for
from gongkai.memo import MISSING, Memo
from gongkai.model import SORT_KEY, Catalogue, Changes, Column, ColumnKind, Document, Service
from gongkai.sitepaths import PATHS, source_uri

HOME_URI = source_uri(PATHS.home)
CATALOGUE_URI = source_uri(PATHS.catalogue)
SEARCH_URI = source_uri(PATHS.search)  # full-text search (gongkai.searchindex); not in the nav
ACCESSIBILITY_URI = source_uri(PATHS.accessibility)  # 无障碍声明, linked from the footer; not in the nav
# The site's own pages, linked from every footer (政府网站发展指引): 网站地图, 联系我们, 隐私声明, 网站声明
SITEMAP_URI = source_uri(PATHS.sitemap)
CONTACT_URI = source_uri(PATHS.contact)
PRIVACY_URI = source_uri(PATHS.privacy)
TERMS_URI = source_uri(PATHS.terms)
SHELL_URI = "documents/__shell__.md"
TITLE_MARK = "GKSHELLTITLE"
CONTENT_MARK = "<!--GK:CONTENT-->"
# Per-page <head> additions (gov meta tags …) of a document page go here.
HEAD_MARK = "<!--GK:HEAD-->"
# Material adds an <h1> of the page title unless the content has one: the shell says it has.
NOH1_MARK = "<!--GK:NOH1 <h1 -->"
ROW_SEP = "\x1e"  # between the rows of _policyrows.html (a control character no escaped text holds)
# Bodies kept in the build cache by their inputs (SitePlan.body_inputs; plugin.on_page_content): the pages that list
# documents, whose bodies are most of MkDocs' page step on a large site. Every value these templates (and those they
# include: _head, _breadcrumb, _doctable, _badge) show is in body_inputs; a template added here must be checked
# the same way (tests/mkdocs/test_bodycache.py changes each input and compares with a cold build).
CACHED_BODIES = frozenset({"home.html", "column_documents.html", "column_policies.html", "column_section.html",
                           "column_reports.html"})


# What the site plan keeps for the next build, in the memo (gongkai/memo.py) in parts (gongkai/build/keptparts.py):
# ("pictures", folder): the picture digests of the published documents of one folder, {source file: digest}
# (remember_pictures), marshalled; ("shape", column path): a paged 政策文件 column's (rows, shape) (remember_shapes);
# LATEST: the ids of the newest published documents, newest first (latest_documents); MEDIA (media_documents)
PLAN_MEMO = ("site-plan",)
PICTURES = "pictures"
SHAPE = "shape"
LATEST = ("latest",)
MEDIA = ("media",)  # the ids of the public 图解, 视频 and 音频 解读 (media_documents)
# how many documents beyond the home page's 最新公开 latest_documents keeps: edits and removals among the newest
# documents may take that many of them out before the whole list is sorted again
LATEST_MARGIN = 64
_FORM = attrgetter("form")
MEDIA_TAGS = {"图解": "img", "视频": "video", "音频": "audio"}  # a 解读's form -> the element its page shows (media_of)


def _shared_key(shared: tuple) -> str:
    """What every extra page of a paged column shows alike (the column, its head tags, the 分类浏览), digested once:
    in each page's key as a short string, not repr'd again for each of its pages (Chinese text, checked character
    by character)."""
    return hashlib.blake2b(repr(shared).encode("utf-8"), digest_size=20).hexdigest()


def _row_string(doc: str, shown: str | None, memo: dict[Any, Any]) -> str:
    """A list row's picture (its document's picture digest, its validity's repr) as one short ASCII string: a
    paged page's key is the repr of a hundred rows, and the repr of a validity's Chinese text, checked character by
    character, cost more than the rest of the key. memo: the validities' short digests of this build."""
    short = memo.get(("validity", shown))
    if short is None:
        short = memo["validity", shown] = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"{doc} {short}"


def _digest(picture: tuple) -> str:
    """A picture of a document or column (plain values, nested tuples), as a short string for the keys holding it."""
    return f"{picture[0]}:{hashlib.blake2b(repr(picture).encode('utf-8'), digest_size=16).hexdigest()}"


def same_rows(path: str, then: int, now: int, touched: frozenset[str] | None) -> bool:
    """Whether the column at `path` lists the very rows, in the same order, that it listed in the build a kept
    result of it was made by — given that the result is trusted (Changes.keeps: made from the very load this
    one's changes are relative to, nothing but documents changed since): none of the documents it lists had its
    picture made afresh this build (`touched`: SitePlan.touched_columns; None, not known: every column counts as
    touched), and it lists as many rows now as then.

    A document joins or leaves a column only by changing (its columns, withdrawal, embargo are in the change set),
    removal or the build date; one that joins is a changed document in the column (touched). So if none is
    touched, the rows now are those of then minus the ones that left — the same list exactly when the count is the
    same (the order is the documents' date order, unchanged for unchanged documents). The rule of every result kept
    from a column's rows: a listing body's key (bodykeys.ListingKeys), a paged column's page keys (PagedKeys: the
    column and each under it), a 政策文件 column's shape (kept_shape)."""
    return touched is not None and path not in touched and then == now


def kept_shape(kept: KeptParts, pc: PolicyColumn, changes: Changes, touched: frozenset[str] | None) -> Shape | None:
    """A 政策文件 column's shape as an earlier build made it, when it holds now (else None): bodykeys.ListingKeys'
    rule — kept by the very load these changes are relative to and nothing but documents changed since
    (Changes.keeps of the token KeptParts' header was written with: the column's name and address, site.yml's
    topics and the build date are the same), and the column lists the same rows as then (same_rows): then so are
    its listings."""
    if not changes.keeps(kept.made_by):
        return None
    found = kept.get((SHAPE, pc.column.path))
    return found[1] if found is not MISSING and same_rows(pc.column.path, found[0], pc.total, touched) else None


class _NoPicture(Exception):
    """A value of a body's context without a stable picture (SitePlan.body_inputs)."""


@dataclass
class PagePlan:
    """One generated page: where it goes, its title, and how its body is made."""

    src_uri: str
    title: str
    template: str
    # the template's values, or how to make them (a documents column's rows: made when its body is keyed or
    # rendered, not at all when its key is taken over, bodykeys.py); read them as `context`
    given: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    markdown: str = ""  # the Markdown of a page or guide column's body (rendered by Renderer, not by MkDocs)
    column: Column | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def context(self) -> dict[str, Any]:
        if callable(self.given):
            self.given = self.given()
        return self.given

    @property
    def href(self) -> str:
        return self.src_uri[:-3] + ".html"


@dataclass
class Subpage:
    """One extra page of a paged column: its address, what it shows besides the column's shell, the site and the
    templates (its cache key: build/publish.py write_paged_columns), and how to make it (only when not cached)."""

    href: str
    inputs: tuple[Any, ...]
    make: Callable[[], bytes]


def strip_leading_h1(text: str) -> str:
    """The page header already shows the column name: drop a leading '# …' line."""
    return re.sub(r"\A\s*#\s[^\n]*\n", "", text, count=1)


def art20_rows(cat: Catalogue) -> list[tuple[str, str, list[Column], str]]:
    """The 标准目录 page's 《条例》第二十条 table: (第…项, what it covers, its columns, why 本机关不涉及); empty when
    the catalogue declares no `art20`."""
    from gongkai.checks.art20 import art20_columns
    from gongkai.vocab import ART20_ITEMS, art20_label

    served = art20_columns(cat)
    if not any(served.values()):
        return []
    return [(art20_label(n), ART20_ITEMS[n - 1], served[n], cat.site.art20_not_applicable.get(n, "")) for n in range(1, 16)]


def standard_rows(cat: Catalogue) -> list[tuple[Any, list[tuple[str, str, list[Column], str]]]]:
    """The 标准目录 page's table per declared national standard: (standard, [(item id, 一级/二级事项, the columns
    that implement it, why 本机关不涉及)])."""
    return [(std, [(item.id, item.title, cat.implementers(item.id), cat.site.standards_not_applicable.get(item.id, ""))
                   for item in std.items]) for std in cat.standards]


def standard_items(cat: Catalogue) -> dict[str, str]:
    """Item id -> 「社会救助：最低生活保障 / 政策法规文件」, for the 公开事项 that name the standard item they carry out."""
    from gongkai.standards import item_labels

    return item_labels(cat.standards)


class SitePlan:
    """All pages of a catalogue, and the shared context to render them."""

    def __init__(self, cat: Catalogue, renderer: Renderer, marks: dict[str, list[str]] | None = None):
        self.cat = cat
        # a preview of a 栏目调整方案 (gongkai/tools/proposal.py): column path -> 新增/改名/移动 … to mark it with
        self.marks = marks or {}
        self.renderer = renderer
        self.today = cat.build_date
        self.reports = {r.year: r for r in cat.reports}  # annual reports by year, shown on their document's page
        self._links: LinkMap | None = getattr(cat.publication, "links", None)
        self._plans: list[PagePlan] = []  # the last plans() made
        self._pictures: dict[int, str] = {}  # id of a document or column -> its picture's digest (body_inputs)
        # source file of a published document -> its picture's digest, made or reused once per build (remember_pictures;
        # read through _digests: the kept folders' parts are decoded only when a listing is pictured)
        self._doc_digests: dict[str, str] = {}
        self._undecoded: list[bytes] = []  # the kept parts of folders no change reached, marshalled
        # the published documents whose pictures remember_pictures made afresh (None: it has not run this build)
        self._repictured: list[Document] | None = None
        self._media: dict[int, str] = {}  # id of a 图解/视频/音频 解读 -> media_of, once per build
        self._validities: dict[Validity, str] = {}  # a validity -> its picture (body_inputs)
        self._row_validity: dict[int, Validity | None] = {}  # id of a document -> its validity on list rows
        self._template_inputs: tuple[str, ...] | None = None
        # (folder of the Markdown file, folder of the page), target -> its URL on the page (None: left as written)
        self._urls: dict[tuple[tuple[str, str], str], str | None] = {}

    def template_inputs(self) -> tuple[str, ...]:
        """What every page filled into a shell depends on besides its own values and the shell, for the build cache:
        the bureau's templates (overrides/, page bodies in overrides/gongkai/), site.yml, the Markdown engine.
        Made once per build (gongkai's own code and templates are in every cache key already)."""
        if self._template_inputs is None:
            overrides = self.cat.root_dir / "overrides"
            self._template_inputs = (folder_digest(overrides) if overrides.is_dir() else "",
                                     repr(fingerprint(self.cat.site)), self.renderer.engine)
        return self._template_inputs

    @property
    def links(self) -> LinkMap:
        """What relative links in bodies lead to (decided while loading: checks/publication.py)."""
        if self._links is None:
            self._links = site_links(self.cat)
        return self._links

    def linked_body(self, body: str, file: str, page: str) -> str:
        """A page or guide body with its relative links and images rewritten for the column page (gongkai/links.py)."""
        return rewrite(body, rewrites(body, file.removeprefix("content/"), page, self.links))

    # context helpers used by templates
    def doc_row(self, doc: Document) -> dict[str, Any]:
        # (a document is on two or three lists and the home page: its validity made once per build)
        return self.doc_rows([doc])[0]

    def doc_rows(self, docs: list[Document]) -> list[dict[str, Any]]:
        """doc_row of each document, in one loop: the columns of a 10,000-document site list 18,000 rows."""
        known, today = self._row_validity, self.today
        out = []
        for doc in docs:
            found = known.get(id(doc), known)
            if found is known:
                found = known[id(doc)] = validity(doc, today)
            out.append({"doc": doc, "validity": found})
        return out

    def base_context(self) -> dict[str, Any]:
        return {"site": self.cat.site, "cat": self.cat, "today": self.today, "validity": lambda d: validity(d, self.today)}

    def column_plan(self, col: Column) -> PagePlan:
        ctx: dict[str, Any] = {"column": col}
        markdown = ""
        kind = col.kind
        if kind is ColumnKind.SECTION:
            ctx["children"] = [(c, self._count(c)) for c in col.children]
        elif kind is ColumnKind.POLICIES:  # the lists, newest first, and their facets: made only when asked
            docs = self.cat.documents_in(col)
            pc = PolicyColumn(col, functools.partial(self.doc_rows, docs), len(docs), self.cat.site.topics)
            # (the data for policies.js when the page is rendered: its rows chunks made only then or when written)
            return PagePlan(col.src_uri, col.name, kind.template, pc.context, "", col, {"listing": pc})
        elif kind.has_feed:  # a documents column: the list, newest first, its rows made only when asked
            docs = self.cat.documents_in(col)
            cp = ColumnPages(col, functools.partial(self.doc_rows, docs), len(docs))

            def made() -> dict[str, Any]:
                out: dict[str, Any] = {"column": col, "rows": cp.rows}
                if cp.paged:  # a large column: page 1 here, pages 2 … filled into a shell
                    out.update(column_pages=cp, pager=pager)
                return out

            return PagePlan(col.src_uri, col.name, kind.template, made, "", col, {"listing": cp})
        elif kind is ColumnKind.REPORTS:
            by_year: dict[int, list[Document]] = defaultdict(list)
            for d in self.cat.documents_in(col):
                by_year[d.year or d.published.year].append(d)
            ctx["years"] = sorted(by_year.items(), reverse=True)
        elif kind is ColumnKind.PAGE:
            page = self.cat.pages.get(col.page)
            markdown = strip_leading_h1(self.linked_body(page.body, page.file, col.src_uri) if page else "")
        elif kind is ColumnKind.GUIDE and self.cat.guide is not None:
            ctx["guide"] = self.cat.guide
            ctx["contact"] = contact_rows(self.cat.site)
            guide = self.cat.guide
            markdown = strip_leading_h1(self.linked_body(guide.body, guide.source.file, col.src_uri))
        elif kind is ColumnKind.PACKAGES:
            ctx.update(packages_column_context(self.cat))
        elif kind is ColumnKind.LISTS:  # catalog/lists.yml: the lists in their 公示期
            ctx.update(list_pages.column_context(self.cat, col))
        elif kind is ColumnKind.DECISIONS:
            ctx.update(decisions_column_context(self.cat))
        elif kind is ColumnKind.APPLICATION:
            ctx.update(application_context(self.cat))
        elif kind is ColumnKind.STATISTICS:
            ctx.update(statistics_context(self.cat))
        elif kind is ColumnKind.MESSAGES:
            ctx.update(messages_column_context(self.cat))
        elif kind is ColumnKind.FAQ:
            ctx.update(faq_column_context(self.cat))
        return PagePlan(col.src_uri, col.name, kind.template, ctx, markdown, col)

    def _count(self, col: Column) -> int:
        return sum(len(self.cat.documents_in(c)) for c in col.walk() if c.kind.holds_documents)

    def _first(self, test) -> Column | None:
        return next((c for c in self.cat.columns() if test(c)), None)

    def services(self) -> list[Any]:
        """The home page's 常用服务: site.yml home.services, else every 主题服务包 and the columns citizens look for
        first (政策文件, 公开指南, 依申请公开)."""
        portal = self.cat.site.portal
        if portal.services:
            return portal.services
        out: list[Any] = [Service("package", p.id, p.name, p.summary, p.href) for p in self.cat.packages]
        for col in (self.cat.first_column(ColumnKind.POLICIES), self.cat.first_column(ColumnKind.GUIDE),
                    self._first(lambda c: "依申请公开" in c.name)):
            if col is not None:
                out.append(Service("column", col.path, col.name, col.description, col.href))
        return out

    def plans(self, memo: Memo | None = None) -> list[PagePlan]:
        """Every page MkDocs renders; memo: the build's memory of earlier builds (gongkai/memo.py)."""
        kept = KeptParts(memo, PLAN_MEMO, self.cat.changes) if memo is not None else None
        if memo is not None and kept is not None:
            self.remember_pictures(kept)
            self.remember_media(memo, kept)
        portal = self.cat.site.portal
        policies = self.cat.first_column(ColumnKind.POLICIES)
        apply = self._first(lambda c: "依申请公开" in c.name)
        latest = self.latest_documents(portal.latest, kept)
        out = [PagePlan(HOME_URI, self.cat.site.name, "home.html", {
            "roots": self.cat.roots, "services": self.services(), "policies": policies,
            "latest": [self.doc_row(d) for d in latest],
        })]
        out += [self.column_plan(col) for col in self.cat.columns()]
        out.append(PagePlan(CATALOGUE_URI, "政府信息公开标准目录", "catalogue.html",
                            {"rows": list(self.cat.columns()), "marks": self.marks, "art20": art20_rows(self.cat),
                             "standards": standard_rows(self.cat), "standard_items": standard_items(self.cat)}))
        out += [PagePlan(package_src_uri(p), p.name, "package.html", package_context(self.cat, p, self.today, memo))
                for p in self.cat.packages]  # packages/{id}/index.html: not in the nav, linked from the column
        # the pages of the published lists: {column}/{list}/index.html, page-2.html … (not in the nav)
        out += [PagePlan(src, title, template, ctx, column=col, meta={"head": list_pages.head(ctx["lst"])})
                for src, title, template, ctx, col in list_pages.page_plans(self.cat)]
        out += [PagePlan(decision_src_uri(d), d.name, "decision.html", decision_context(self.cat, d, self.today))
                for d in self.cat.decisions.all]  # decisions/{id}/index.html: linked from the 事项目录 column
        out.append(PagePlan(SEARCH_URI, "站内搜索", "search.html", {"policies": policies}))
        out.append(PagePlan(ACCESSIBILITY_URI, "无障碍声明", "accessibility.html"))
        out.append(PagePlan(SITEMAP_URI, "网站地图", "sitemap.html", {"roots": self.cat.roots, "packages": self.cat.packages}))
        out.append(PagePlan(CONTACT_URI, "联系我们", "contact.html", {
            "contact": contact_rows(self.cat.site), "apply": apply, "guide": self.cat.first_column(ColumnKind.GUIDE)}))
        # a bureau's own statement is Markdown that MkDocs renders (like a page column); else the built-in text
        for uri, title, builtin, own, ctx in ((PRIVACY_URI, "隐私声明", "privacy.html", portal.privacy_md, {}),
                                              (TERMS_URI, "网站声明", "terms.html", portal.terms_md, {"apply": apply})):
            out.append(PagePlan(uri, title, "statement_own.html" if own else builtin, ctx,
                                markdown=strip_leading_h1(own)))
        out.append(PagePlan(SHELL_URI, TITLE_MARK, "shell.html"))
        # the extra pages of a paged column (政策文件: normative-2.html, year-2024.html …; documents: page-2.html …)
        # are filled into a shell of their own, in the column's folder so that every relative address of the frame
        # stays right
        for plan in list(out):
            pp = plan.meta.get("listing")  # (column_plan: a documents or 政策文件 column's pages)
            if isinstance(pp, (PolicyColumn, ColumnPages)) and pp.paged:
                out.append(PagePlan(f"{pp.folder()}/{SHELL_NAME}.md", TITLE_MARK, "shell.html", column=pp.column,
                                    meta={"shell": True, "paged": pp}))
        self._plans = out
        if kept is not None:
            self.remember_shapes(kept, out)
            kept.save()
        return out

    def latest_documents(self, n: int, kept: KeptParts | None = None) -> list[Document]:
        """The home page's 最新公开: the n newest published documents by SORT_KEY, newest first.

        Kept for the next build as the ids of the newest n + LATEST_MARGIN (`LATEST`), and found from them when the
        kept list was made from the very load these changes are relative to: a published document that did not
        change has the same date, id and publication as then, so one outside the kept list is older than every
        document of it. If s of the kept documents are unchanged and still published (s ≥ n), the s newest of
        those and of the changed published documents are then the s newest of all — kept again as the list —,
        without walking 100,000 documents. Below n, all are sorted again."""
        changes = self.cat.changes
        before = kept.get(LATEST) if kept is not None else MISSING
        top: list[Document] | None = None
        if before is not MISSING:
            document, changed = self.cat.document, changes.documents
            same = [d for i in before if (d := document(i)) is not None and d.is_public and d.source.file not in changed]
            if len(same) >= n:
                fresh = [d for i in changes.ids if (d := document(i)) is not None and d.is_public]
                top = heapq.nlargest(len(same), {id(d): d for d in (*same, *fresh)}.values(), key=SORT_KEY)
        if top is None:
            # (sorted(…)[:n], no full sort; SORT_KEY holds the unique id, so no tie depends on the order: walked newest
            # files last to first, the heap is seldom replaced — the documents are loaded by path, years ascending)
            top = heapq.nlargest(n + LATEST_MARGIN, reversed(self.cat.published_documents), key=SORT_KEY)
        ids = [d.id for d in top]
        if kept is not None and ids != before:
            kept.put(LATEST, ids)
        return top[:n]

    def remember_shapes(self, kept: KeptParts, plans: list[PagePlan]) -> None:
        """The shape of each paged 政策文件 column (PolicyColumn.shape: its extra pages' addresses and titles, its
        output paths), taken over from the build that made it when its rows cannot have changed (kept_shape), else
        made from its rows and kept."""
        touched = self.touched_columns()
        for plan in plans:
            pc = plan.meta.get("listing")
            if not isinstance(pc, PolicyColumn) or not pc.paged:
                continue
            pc.kept = kept_shape(kept, pc, self.cat.changes, touched)
            if pc.kept is None:
                kept.put((SHAPE, pc.column.path), (pc.total, pc.shape()))

    def shell_plans(self) -> list[PagePlan]:
        """The shells of the paged columns (plans() made them): meta["paged"] is their PolicyColumn or ColumnPages."""
        return [p for p in self._plans if p.meta.get("paged") is not None]

    def paged_links(self) -> dict[str, list[tuple[str, str]]]:
        """Column path -> (address, title) of each paged column's extra pages (page-2.html …; a 政策文件 column's
        lists and browse pages): what the sitemap lists and a moved column's old addresses redirect to."""
        return {p.meta["paged"].column.path: p.meta["paged"].page_links() for p in self.shell_plans()}

    def subpages(self, plan: PagePlan, shell: str) -> dict[str, bytes]:
        """The extra pages of a paged column (plan: its shell's plan), filled into the rendered shell."""
        return {page.href: page.make() for page in self.subpage_list(plan, shell)}

    def subpage_list(self, plan: PagePlan, shell: str) -> list[Subpage]:
        """The extra pages of a paged column, each with what it shows (its cache key) and made only when asked."""
        if isinstance(plan.meta["paged"], ColumnPages):
            return self.column_subpage_list(plan.meta["paged"], shell)
        return self.policy_subpage_list(plan, shell)

    def row_inputs(self, row: dict[str, Any], memo: dict[Any, Any]) -> tuple[Any, ...]:
        """What a list row shows of its document (title, link, 文号, 索引号, 发布机构, date, 主题分类, validity, its 解读
        with their forms): a subpage's cache key holds one per row. The same picture as the rows of a cached column
        body (`_row_picture`: the document's list-picture digest, kept from the previous build for the documents the
        load's change set vouches for — remember_pictures —, and its validity as of the build date): the extra pages
        show the rows with the same macros (_doctable.html). Fingerprinting each of the 11,000 rows of a
        10,000-document site's paged columns anew took ~40 ms of every rebuild. memo: the pictures of this build
        (a 政策文件 row is on a page of its main list and of each browse listing it is in)."""
        found = memo.get(("row", id(row)))
        if found is not None:
            return found
        picture = self._picture(row)  # a doc_row: (("doc", digest), ("validity", repr of its Validity)), _row_picture
        if type(picture) is tuple and len(picture) == 2 and picture[0][0] == "doc" and picture[1][0] == "validity":
            # as one short ASCII string: a page's key is the repr of a hundred rows, and the repr of a validity's
            # Chinese text, checked character by character, cost more than the rest of the key
            picture = _row_string(picture[0][1], picture[1][1], memo)
        memo["row", id(row)] = picture
        return picture

    def row_pictures(self, rows: list[dict[str, Any]], pictures: dict[int, Any], memo: dict[Any, Any]) -> list[int]:
        """The ids of rows (their position in `pictures`, which gets the picture, row_inputs, of each row not in it
        yet): a page's rows in its key are then `pictures` looked up by a slice of these ids — a 政策文件 row is on a
        page of its main list and of four or five browse listings, each of the 250,000 row places of a
        100,000-document site's paged pages looked up at C speed rather than pictured by a call each."""
        ids = list(map(id, rows))
        if pictures.keys() >= set(ids):
            return ids
        digests, validities = self._digests(), self._validities
        for r, key in zip(rows, ids, strict=True):
            if key in pictures:
                continue
            # what row_inputs makes of a list row whose document's and validity's pictures are made already (the
            # usual row: body_inputs pictured them), without the calls and tuples of the general way there
            doc, valid = r.get("doc"), r.get("validity")
            found = digests.get(doc.source.file) if len(r) == 2 and type(doc) is Document else None
            shown = None if valid is None else validities.get(valid) if type(valid) is Validity else None
            if found is not None and (shown is not None or valid is None):
                pictures[key] = _row_string(found, shown, memo)
            else:
                pictures[key] = self.row_inputs(r, memo)
        return ids

    def column_subpages(self, cp: ColumnPages, shell: str) -> dict[str, bytes]:
        """Pages 2 … of a paged documents column (gongkai/build/columnpages.py), filled into its shell."""
        return {page.href: page.make() for page in self.column_subpage_list(cp, shell)}

    def column_subpage_list(self, cp: ColumnPages, shell: str) -> list[Subpage]:
        from gongkai.build.meta import page_head
        from gongkai.build.publish import fill_shell

        col = cp.column
        tags = page_head(self.cat, TITLE_MARK, col, col.kind.value)  # once, with a mark for the title
        base = self.base_context()
        memo: dict[Any, Any] = {}
        # the column as its pages show it (breadcrumb, 更新频率, 负责科室, description, feed) and their head tags
        shared = ("documents-page", fingerprint(col, 1, memo), col.path, col.frequency, col.office, col.description,
                  tags, cp.pages, len(cp.rows))
        shared_key = _shared_key(shared)

        def make(n: int, href: str, title: str) -> bytes:
            body = self.renderer.render("column_documents_page.html", href, **(base | {
                "column": col, "column_pages": cp, "page_number": n, "title": title, "pager": pager}))
            head = f'<link rel="canonical" href="{html.escape(self.cat.site.site_url + href, quote=True)}">\n' + \
                tags.replace(TITLE_MARK, html.escape(title, quote=True))
            return fill_shell(shell, title, body, head).encode("utf-8")

        out = []
        pictures: dict[int, Any] = {}
        ids = self.row_pictures(cp.rows, pictures, memo) if cp.paged else []
        for n in cp.extra_pages():
            href, title = cp.href(n), cp.page_title(n)
            rows = tuple(map(pictures.__getitem__, page_slice(ids, n)))  # (cp.page_rows(n): the same slice)
            out.append(Subpage(href, (shared_key, n, href, title, rows), functools.partial(make, n, href, title)))
        return out

    def policy_subpages(self, plan: PagePlan, shell: str) -> dict[str, bytes]:
        """The extra pages of a paged 政策文件 column (plan: its shell's plan), filled into the rendered shell."""
        return {page.href: page.make() for page in self.policy_subpage_list(plan, shell)}

    def policy_subpage_list(self, plan: PagePlan, shell: str) -> list[Subpage]:
        from gongkai.build.meta import page_head
        from gongkai.build.publish import fill_shell

        pp: PolicyPages = plan.meta["paged"].pages
        # the rows are rendered when a page that shows them is made, in the variant (with or without the 有效性
        # column) its listing shows, each once: the pages share the column's folder, so a row's relative addresses
        # are the same on each of them. Rows of cached pages are not rendered at all.
        cached: dict[bool, dict[str, Markup]] = {True: {}, False: {}}

        def rows_html(rows: list[dict[str, Any]], flag: bool) -> dict[str, Markup]:
            done = cached[flag]
            todo = list({r["doc"].id: r for r in rows if r["doc"].id not in done}.values())
            if todo:
                text = self.renderer.render("_policyrows.html", pp.column.href, rows=todo, with_validity=flag, sep=ROW_SEP)
                done.update((r["doc"].id, Markup(h)) for r, h in zip(todo, text.split(ROW_SEP), strict=False))  # noqa: S704
            return done

        base = self.base_context()
        # the column's meta tags once, with a mark where each page's title goes
        tags = page_head(self.cat, TITLE_MARK, pp.column, pp.column.kind.value)
        browse: dict[str, Markup] = {}  # the 分类浏览 of each listing's pages (the listing itself marked current)

        def make(lst: Listing, n: int, href: str, title: str) -> bytes:
            if lst.key not in browse:
                browse[lst.key] = Markup(self.renderer.render("_policybrowse.html", lst.href(1), **(base | {  # noqa: S704
                    "browse": pp.browse, "current": lst if lst.facet else None})))
            ctx = base | subpage_context(pp, lst, n) | {"cached": rows_html(lst.page_rows(n), lst.with_validity),
                                                        "browse_html": browse[lst.key]}
            body = self.renderer.render("column_policies_page.html", href, **ctx)
            head = f'<link rel="canonical" href="{html.escape(self.cat.site.site_url + href, quote=True)}">\n' + \
                tags.replace(TITLE_MARK, html.escape(title, quote=True))
            return fill_shell(shell, title, body, head).encode("utf-8")

        memo: dict[Any, Any] = {}
        col = pp.column
        # what every page of the column shows alike: the column (breadcrumb, its link and name), the head tags and
        # the 分类浏览 (every listing's name, address and count)
        shared = ("policies-page", fingerprint(col, 1, memo), tags,
                  tuple((key, heading, tuple((b.key, b.value, b.label, b.href(1), len(b.rows)) for b in group))
                        for key, heading, group in pp.browse))
        shared_key = _shared_key(shared)
        out = []
        pictures: dict[int, Any] = {}
        ids: dict[int, list[int]] = {}  # id(listing) -> its rows' ids
        for lst, n in pp.pages():
            href, title = lst.href(n), subpage_title(lst, n)
            listing = (lst.key, lst.title, lst.facet, lst.value, lst.label, lst.with_validity, lst.pages, len(lst.rows))
            row_ids = ids.get(id(lst))
            if row_ids is None:
                row_ids = ids[id(lst)] = self.row_pictures(lst.rows, pictures, memo)
            rows = tuple(map(pictures.__getitem__, page_slice(row_ids, n)))  # (lst.page_rows(n): the same slice)
            out.append(Subpage(href, (shared_key, listing, n, href, title, rows), functools.partial(make, lst, n, href, title)))
        return out

    def body_salt(self) -> tuple | None:
        """What every cached body depends on besides its own inputs (gongkai's code and templates are in every key
        of the build cache): site.yml and the Markdown engine. None: bodies are not cached, because the bureau has
        templates of its own in overrides/gongkai/ — such a template may show anything of the catalogue."""
        own = self.cat.root_dir / "overrides" / "gongkai"
        if own.is_dir() and any(f.is_file() for f in own.rglob("*")):
            return None
        return ("body", fingerprint(self.cat.site), self.renderer.engine)

    def body_inputs(self, plan: PagePlan) -> tuple | None:
        """Everything the body of a page of CACHED_BODIES shows, as plain values: its key in the build cache (with
        body_salt). None: a body rendered every build (no list of documents: cheap; or a page or guide Markdown).

        A list of documents (a documents or 政策文件 column) is keyed on its column and its rows: each document's
        fields the lists show (title, 文号, dates, 索引号, 发布机构, 主题, validity as of the build date, its public
        解读 with their forms …); paging, facets and the 政策文件 data are made from those, the column and site.yml's
        topics (in body_salt) by gongkai's code (in every key). Other pages' contexts are pictured whole."""
        if plan.template not in CACHED_BODIES or plan.markdown:
            return None
        col = plan.column
        try:
            if col is not None and col.kind.has_feed:  # (what _picture makes of {"rows": rows}, row by row at once)
                # (the rows from the listing: a 政策文件 column's context would make its facets and policies.js data)
                listing = plan.meta.get("listing")
                rows = listing.rows if listing is not None else plan.context["rows"]
                return (plan.src_uri, plan.template, plan.title, self._picture(col),
                        (("rows", self._rows_picture(rows)),))
            return (plan.src_uri, plan.template, plan.title, self._picture(col), self._picture(plan.context))
        except _NoPicture:  # a value printed with its memory address: rendered, never keyed on something unstable
            return None

    def remember_pictures(self, kept: KeptParts) -> None:
        """The digest of each published document's picture (`_doc_picture`: what the lists show of it), the previous
        build's for the documents the load's change set vouches for, and kept for the next build.

        A picture is made of the document's own fields and its public 解读's (id, title, form): the previous digest
        holds unless the document is `affected` (changed, or a 解读 or a document it replaces or names changed or
        went). The digests are kept per folder of documents (PICTURES parts of PLAN_MEMO), trusted only when made
        from the very load this one's changes are relative to (KeptParts); else every picture is made again
        (~0.1 s at 10,000 documents). A rebuild makes the affected documents' pictures (found from the changed ones:
        affected_documents) and writes again only the parts of the folders that a changed, removed or affected
        document is in; the other parts are neither decoded nor written unless a listing is pictured (_digests).
        (An unchanged published document was published by the load the parts were made from, so its folder's part
        has its digest: a folder's part is complete once the changes are applied to it.)"""
        changes = self.cat.changes
        previous = [part for part in kept.parts() if part[0] == PICTURES]
        parts = {part[1]: kept.get(part) for part in previous}
        # (KeptParts.trusted — follows —, not Changes.keeps: a picture reads its document and its 解读 alone)
        if kept.trusted and MISSING not in parts.values():
            redo = self.affected_documents(changes)
            gone = changes.documents | changes.removed  # (their entries dropped; the published among them made again)
        else:  # nothing to trust: every picture made, every part written anew (none of the previous carried over)
            for part in previous:
                kept.drop(part)
            redo, gone, parts = self.cat.published_documents, frozenset(), {}
        made = {d.source.file: _digest(self._doc_picture(d)) for d in redo}
        dirty: dict[str, dict[str, str]] = {}
        for file in (*gone, *made):
            dirty.setdefault(posixpath.dirname(file), {})
        for folder, entries in dirty.items():
            data = parts.pop(folder, None)
            if data is not None:
                entries.update(marshal.loads(data))
        for file in gone:
            dirty[posixpath.dirname(file)].pop(file, None)
        for file, digest in made.items():
            dirty[posixpath.dirname(file)][file] = digest
        for folder, entries in dirty.items():
            if entries:
                kept.put((PICTURES, folder), marshal.dumps(entries))
                self._doc_digests.update(entries)
            else:
                kept.drop((PICTURES, folder))
        self._undecoded = list(parts.values())  # (the folders no change reached: carried over as they are)
        self._repictured = redo

    def _digests(self) -> dict[str, str]:
        """Source file of each published document -> its picture's digest (remember_pictures): the kept parts of
        the folders no change reached are decoded when a listing is first pictured."""
        if self._undecoded:
            for data in self._undecoded:
                self._doc_digests.update(marshal.loads(data))
            self._undecoded = []
        return self._doc_digests

    def affected_documents(self, changes: Changes) -> list[Document]:
        """The published documents `changes.affected` says may differ, found from the changed documents: a document
        is affected when it changed, or a document it names (interprets, replaced_by) or that names it
        (interpretations, replaces) changed — relations the load makes both ways (documents._link_documents), so
        they are the changed documents and their relations. A name of a removed document is not found that way: then
        every published document is asked (a load whose documents name a missing one fails anyway)."""
        if not changes.known or changes.removed_ids:
            return [d for d in self.cat.published_documents if changes.affected(d)]
        document = self.cat.document
        out: list[Document] = []
        for i in changes.ids:
            c = document(i)
            if c is None:
                continue
            out.append(c)
            out += c.interpretations
            out += c.replaces
            out += [t for ref in (c.interprets, c.replaced_by) if ref and (t := document(ref)) is not None]
        return [d for d in {id(d): d for d in out}.values() if d.is_public]

    def touched_columns(self) -> frozenset[str] | None:
        """The paths of the columns that list a document whose picture remember_pictures made afresh this build
        (changed, affected by a change, or not remembered); None when it has not run (every listing counts as
        touched). A list of documents outside these shows the same rows as in the build the remembered pictures
        are from, provided nothing but documents changed and its number of rows is the same (same_rows)."""
        if self._repictured is None:
            return None
        return frozenset(c.path for d in self._repictured for c in d.columns)

    def listing_size(self, plan: PagePlan) -> int | None:
        """The number of rows of a page that lists documents (a documents or 政策文件 column), None for any other."""
        col = plan.column
        if col is None or not col.kind.has_feed or plan.src_uri != col.src_uri:
            return None
        return len(self.cat.documents_in(col))  # (its rows: doc_rows of these, made only when asked)

    def _rows_picture(self, rows: list[Any]) -> tuple:
        """_picture of a listing's rows (doc_row), in one loop: a 政策文件 column lists thousands."""
        digests, validities = self._digests(), self._validities
        out = []
        for row in rows:
            if type(row) is not dict or len(row) != 2 or "doc" not in row or "validity" not in row:
                out.append(self._picture(row))
                continue
            doc, valid = row["doc"], row["validity"]
            found = digests.get(doc.source.file) if type(doc) is Document else None
            if found is None:
                found = self._picture(doc)
            shown = None if valid is None else validities.get(valid) if type(valid) is Validity else None
            if shown is None and valid is not None:
                shown = self._picture(valid)
            out.append((("doc", found), ("validity", shown)))
        return tuple(out)

    def _row_picture(self, row: dict[str, Any]) -> Any:
        """A list row (doc_row) as `_picture` pictures a dict, without going through it value by value: a listing
        holds thousands of rows."""
        doc, valid = row["doc"], row["validity"]
        found = self._digests().get(doc.source.file) if type(doc) is Document else None
        if found is None:
            found = self._picture(doc)
        shown = self._validities.get(valid) if type(valid) is Validity else None
        if shown is None:
            shown = self._picture(valid)
        return (("doc", found), ("validity", shown))

    def _picture(self, value: Any) -> Any:
        """A plain picture of a value of a body's context: documents and columns by what pages show of them.

        A document or column is pictured once per build, as a digest of its picture (`_digest`): a list of
        10,000 rows is then 10,000 short ASCII strings to repr in its key, not each row's Chinese text again on
        every page that lists it (a document is on two or three lists and the home page)."""
        kind = type(value)
        if value is None or kind is str or kind is int or kind is bool:
            return value
        if kind is dict:
            if len(value) == 2 and "doc" in value and "validity" in value:  # a list row: thousands in a listing
                return self._row_picture(value)
            return tuple(sorted([(str(k), self._picture(v)) for k, v in value.items()]))
        if kind is list or kind is tuple:
            return tuple([self._picture(v) for v in value])
        if kind is Validity:  # on every row: repr'd once per kind of validity (a frozen dataclass: equal by fields)
            found = self._validities.get(value)
            if found is None:
                found = self._validities[value] = repr(value)
            return found
        if isinstance(value, (Document, Column)):
            found = self._digests().get(value.source.file) if isinstance(value, Document) else None
            if found is None:
                found = self._pictures.get(id(value))
            if found is None:
                picture = self._doc_picture(value) if isinstance(value, Document) else self._column_picture(value)
                found = self._pictures[id(value)] = _digest(picture)
            return found
        if isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, dict):
            return tuple(sorted((str(k), self._picture(v)) for k, v in value.items()))
        if isinstance(value, (list, tuple)):
            return tuple(self._picture(v) for v in value)
        text = repr(value)  # a dataclass of plain fields: Service …
        if " at 0x" in text:
            raise _NoPicture(type(value).__qualname__)
        return text

    def _doc_picture(self, d: Document) -> tuple:
        """What lists of documents show of one (rows, 解读 links, filters, the 政策文件 data, report years)."""
        jds = tuple((j.id, j.title, j.form, j.href) for j in d.interpretations if j.is_public)
        return ("doc", d.id, d.href, d.title, d.doc_number, d.index_no, d.publisher, d.published, d.written, d.topic,
                d.normative, d.status, d.status_date, d.effective, d.expires, d.year, d.form, d.is_public, jds)

    def _column_picture(self, c: Column) -> tuple:
        """What pages show of a column: its header, breadcrumb, feed link, and its children (sections, home)."""
        return ("col", c.path, c.href, c.name, c.kind.value, c.frequency, c.office, c.description,
                tuple((a.name, a.href) for a in c.ancestors), tuple(self._picture(ch) for ch in c.children))

    def body(self, plan: PagePlan) -> Rendered:
        """The body of a page or guide column: its Markdown in the same dialect as document bodies."""
        return render_markdown(plan.markdown)

    def render(self, plan: PagePlan, body: Rendered | None = None) -> str:
        """The page's HTML inside Material's layout; body: `self.body(plan)` when the caller already has it."""
        if body is None:
            body = self.body(plan)
        ctx = self.base_context() | plan.context | {"body": body.html, "plan": plan}
        return self.renderer.render(plan.template, plan.href, **ctx)

    # documents are rendered outside MkDocs' page pipeline (see plugin.on_post_build)
    def document_context(self, doc: Document) -> dict[str, Any]:
        """What document.html shows besides the document itself and its body.

        The build cache (gongkai/cache.py) keys each finished page on this dict and the document: a template
        that shows more of the catalogue (other documents, columns, anything that depends on the build date)
        must receive it here, not reach for it through `cat` or `today`, or a cached page would go stale.
        """
        return {
            "doc": doc,
            "v": validity(doc, self.today),
            "replaced_by": self.cat.document(doc.replaced_by) if doc.replaced_by else None,
            "interprets": self.cat.document(doc.interprets) if doc.interprets else None,
            "interpretations": [d for d in doc.interpretations if d.is_public],
            "replaces": [(d, validity(d, self.today)) for d in doc.replaces if d.is_public],
            "columns": doc.columns,
            "report": self.report_context(doc),
            # its relative links and images: target as written -> URL on this page (a linked document's new id counts)
            # (from the targets the build cache keeps with a document: an unchanged body is not read for its key)
            "links": self.document_links(doc),
            "decision": document_decision(self.cat, doc, self.today),  # a stage of a 重大行政决策: the way back
            "interaction": interaction_link(self.cat, doc),  # 「我要留言」 on a policy page
            # each 解读's form (图解, 视频 …) as a badge: here, so the cache keys the page on it
            "interpretation_forms": {d.id: d.form for d in doc.interpretations if d.is_public},
            # a 图解's image, a 视频's or 音频's player, shown beside the policy too (可视化解读 where it is read)
            "interpretation_media": {d.id: m for d in doc.interpretations if d.is_public and (m := self.media_of(d))},
        }

    def document_links(self, doc: Document) -> dict[str, str]:
        """links.rewrites of a document's body for its page: target as written -> URL on the page.

        From the targets the build cache keeps with a document (an unchanged body is not read), each resolved once
        per build for all the documents in one folder (what a target leads to depends only on the folders of the
        Markdown file and of the page, and on the build's LinkMap): a bureau's documents link the same
        attachments and images again and again, and every document page's cache key needs this."""
        targets = doc.link_targets()
        if not targets:
            return {}
        source = doc.source.file.removeprefix("content/")
        page = doc.href
        folders = (posixpath.dirname(source), posixpath.dirname(page))
        known = self._urls
        out: dict[str, str] = {}
        for t in targets:
            key = (folders, t.text)
            url = known.get(key, "")
            if url == "":
                r = self.links.resolve(t.text, source, page)
                url = known[key] = url_for(r, page) if isinstance(r, Resolved) else None
            if url is not None and url != t.text:
                out[t.text] = url
        return out

    def media_of(self, doc: Document) -> str:
        """The first image (图解) or the first player (视频, 音频) of a 解读's body, as its own page renders it.

        Every document page is in documents/, so the addresses the 解读's page uses are right on the policy's
        page as well; the HTML is the sanitizer's output, so only allowed elements and attributes are in it.
        Made once per build (each policy page's context asks for its 解读's), and kept across builds by the digest
        of the 解读's file (remember_media): its body is then not read at all."""
        tag = MEDIA_TAGS.get(doc.form)
        if tag is None:
            return ""
        found = self._media.get(id(doc))
        if found is None:
            found = self._media[id(doc)] = self._make_media(doc, tag)
        return found

    def _make_media(self, doc: Document, tag: str) -> str:
        # the links as on the 解读's own page (document_links: what links.rewrites of its body gives there)
        html = self.renderer.markdown(rewrite(doc.body, self.document_links(doc)))  # the body read from its file
        pattern = r"<img\b[^>]*>" if tag == "img" else rf"<{tag}\b.*?</{tag}>"
        m = re.search(pattern, html, re.DOTALL)
        return m.group() if m else ""

    def remember_media(self, memo: Memo, kept: KeptParts | None = None) -> None:
        """media_of of every public 图解, 视频 and 音频 解读, from the memo when an earlier build made it from the same
        file (its SHA-256: the body), address, form and links as resolved on its page (a linked file published or
        not, a moved document …) with the same Markdown engine; gongkai's own code is in every memo's key.
        Which documents those are is kept for the next build (media_documents). One missed would only cost its
        body's reading: media_of makes what this did not."""
        for doc in self.media_documents(kept):
            tag = MEDIA_TAGS[doc.form]
            key = ("interpretation-media", doc.source.file, doc.source_digest, doc.href, doc.form,
                   tuple(sorted(self.document_links(doc).items())), self.renderer.engine)
            found = memo.get(key)
            if found is MISSING:
                found = self._make_media(doc, tag)
                memo.put(key, found)
            self._media[id(doc)] = found

    def media_documents(self, kept: KeptParts | None = None) -> list[Document]:
        """The public 图解, 视频 and 音频 解读 (with a file): kept for the next build as their ids (MEDIA), and found
        from them and the changed documents when the kept list was made from the very load these changes are
        relative to — whether a document is one depends on its own fields and file only, the same for an unchanged
        document. Else picked out in C from every published document (0.3 µs each: 30 ms at 100,000 documents)."""
        before = kept.get(MEDIA) if kept is not None else MISSING
        if before is not MISSING:
            document, changed = self.cat.document, self.cat.changes.documents
            docs = [d for i in before if (d := document(i)) is not None and d.source.file not in changed]
            docs += [d for i in self.cat.changes.ids if (d := document(i)) is not None]
            docs = [d for d in docs if d.is_public and d.form in MEDIA_TAGS]
        else:
            published = self.cat.published_documents
            docs = list(compress(published, map(MEDIA_TAGS.__contains__, map(_FORM, published))))
        docs = [d for d in docs if d.interprets and d.source_digest]
        ids = [d.id for d in docs]
        if kept is not None and ids != before:
            kept.put(MEDIA, ids)
        return docs

    def report_of(self, doc: Document):
        """The annual report (content/reports/YEAR.yml) a document in a `reports` column publishes, if any."""
        return self.reports.get(doc.year) if doc.year and any(c.kind == "reports" for c in doc.columns) else None

    def report_context(self, doc: Document) -> dict[str, Any] | None:
        """The annual report a document publishes: a document in a `reports` column whose `year` has a report in
        content/reports/. Its narrative is rendered here, so the build cache keys the page on the report's HTML."""
        rep = self.report_of(doc)
        if rep is None:
            return None
        md = self.renderer.markdown
        return {"year": rep.year, "overview": md(rep.overview), "problems": md(rep.problems),
                "other_matters": md(rep.other_matters), "tables": report_tables(rep)}

    def document_html(self, doc: Document, context: dict[str, Any] | None = None) -> str:
        context = context or self.document_context(doc)
        body = self.renderer.markdown(rewrite(doc.body, context.get("links") or {}))
        ctx = self.base_context() | context | {"body": body}
        return self.renderer.render("document.html", doc.href, **ctx)

    def nav(self) -> list[dict[str, Any]]:
        """MkDocs nav: exactly the catalogue tree."""

        def item(col: Column) -> dict[str, Any]:
            marks = self.marks.get(col.path)
            title = f"{col.name}【{'、'.join(marks)}】" if marks else col.name
            if col.children:
                return {title: [col.src_uri] + [item(c) for c in col.children]}
            return {title: col.src_uri}

        return [item(c) for c in self.cat.roots]
