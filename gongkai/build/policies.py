"""The 政策文件 column (kind `policies`): two lists and the facets to filter them (no MkDocs).

行政规范性文件 are listed apart from 其他文件. Facets: 发布机构, 发布年份, 主题分类, 有效性, 政策解读的形式.

A column of at most ONE_PAGE_MAX documents holds every row in its page: policies.js filters them in the
reader's browser, reading the rows themselves. A larger column stays small whatever its size (≤ 300 KB at
10,000 or 100,000 documents):

- its page holds the first PAGE_ROWS rows of each list, which is also page 1 of the paged lists a reader
  without JavaScript walks with 上一页/下一页 ({column}/normative-2.html …, {column}/others-2.html …);
  each document is on exactly one page of that walk;
- without JavaScript the filters become static browse pages, each paged the same way: one per 发布年份
  ({column}/year-2024.html), 主题分类 (top and second level), 发布机构 and 解读形式. Not 有效性: it is
  computed with the reader's date (gongkai.js), and a page written at the build date would go stale;
  nor combinations of filters or the text search, which a static site cannot precompute;
- with JavaScript, policies.js loads the rows of the lists in chunks ({column}/_rows/normative-1.js …),
  scripts that call a global function, loaded with <script src> like the search index (fetch() of a file://
  address is refused by Chromium): the next chunk when the reader asks for more rows, every chunk when the
  reader filters or searches (both work over all rows).

The extra pages are not MkDocs pages: the plugin renders one shell per column (Material's frame with
markers, as for document pages) and fills it with each page's body (policy_pages, fill_policy_pages), so a
column of 10,000 documents costs milliseconds per page, not a Material render each.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from gongkai.build.paging import PAGE_ROWS, first_row, is_paged, page_count, page_slice
from gongkai.build.paging import pager as pager  # also gongkai.build.pages' import
from gongkai.checks.validity import CSS, LABELS
from gongkai.model import INTERPRETATION_FORMS, Column, Document

# query keys in the page URL (#year=2024&topic=…): a filtered view can be shared and reopened
FACET_KEYS = ("publisher", "year", "topic", "validity", "form")
CHUNK_ROWS = 500  # rows per data chunk for policies.js (about 100 KB)
DATA_DIR = "_rows"  # {column}/_rows/*.js; column ids cannot start with "_", so no column folder is named so
SHELL_NAME = "__policies_shell__"  # {column}/__policies_shell__.html: rendered by MkDocs, filled, deleted (documents columns too)
# the filter value "any 解读", and file names of the 解读 forms (ASCII: addresses that survive any server)
ANY_FORM = "*"
FORM_SLUGS = {"文字解读": "text", "图文解读": "illustrated", "图解": "graphic", "视频": "video", "音频": "audio",
              "问答": "qa", "新闻发布会": "press"}
assert set(FORM_SLUGS) == set(INTERPRETATION_FORMS)
MAIN_LISTS = (("normative", "行政规范性文件"), ("others", "其他文件"))


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    level: int = 1  # 2: a second-level 主题分类 (父类\子类)


def topic_options(rows: list[dict[str, Any]], vocabulary: list[str]) -> list[Option]:
    """Top-level topics in the vocabulary's order, each followed by its second levels."""
    tops: Counter[str] = Counter()
    subs: Counter[str] = Counter()
    for r in rows:
        topic = r["doc"].topic
        if not topic:
            continue
        tops[topic.split("\\")[0]] += 1
        if "\\" in topic:
            subs[topic] += 1
    order = {t: i for i, t in enumerate(vocabulary)}
    out: list[Option] = []
    for top in sorted(tops, key=lambda t: (order.get(t, len(order)), t)):
        out.append(Option(top, top, tops[top]))
        for sub in sorted(s for s in subs if s.split("\\")[0] == top):
            out.append(Option(sub, sub.split("\\", 1)[1], subs[sub], 2))
    return out


def interpretations(doc: Document) -> list[Document]:
    """The published 解读 of a document, in the model's order."""
    return [d for d in doc.interpretations if d.is_public]


def doc_forms(doc: Document) -> set[str]:
    """The 解读 forms a document has (ANY_FORM when it has a 解读 at all)."""
    jds = interpretations(doc)
    return ({ANY_FORM} | {d.form for d in jds if d.form}) if jds else set()


def form_options(rows: list[dict[str, Any]]) -> list[Option]:
    """有政策解读 (any form), then each form some document's 解读 has, in the vocabulary's order."""
    counts: Counter[str] = Counter()
    for r in rows:
        counts.update(doc_forms(r["doc"]))
    out = [Option(ANY_FORM, "有政策解读", counts[ANY_FORM])]
    return out + [Option(f, f, counts[f]) for f in INTERPRETATION_FORMS if counts[f]]


def facet_options(rows: list[dict[str, Any]], topics: list[str]) -> dict[str, list[Option]]:
    publishers = Counter(r["doc"].publisher for r in rows)
    years = Counter(r["doc"].published.year for r in rows)
    states = Counter(r["validity"].css for r in rows if r["validity"])
    return {
        "publisher": [Option(p, p, n) for p, n in sorted(publishers.items(), key=lambda kv: (-kv[1], kv[0]))],
        "year": [Option(str(y), f"{y} 年", years[y]) for y in sorted(years, reverse=True)],
        "topic": topic_options(rows, topics),
        # every state is offered: a label can change in the reader's browser after the build
        "validity": [Option(CSS[label], label, states.get(CSS[label], 0)) for label in LABELS],
        "form": form_options(rows),
    }


def _key(value: str) -> str:
    """A short, stable ASCII name for a 发布机构 or 主题分类 in a file name (the same value, the same name)."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]


@dataclass
class Listing:
    """One paged sequence of rows: a main list (行政规范性文件, 其他文件) or the documents of one facet value."""

    key: str  # normative, others, year-2024, topic-1a2b3c4d, publisher-…, form-video …
    title: str  # what the pages are: 行政规范性文件; 2024 年发布的政策文件 …
    rows: list[dict[str, Any]]
    column: Column
    facet: str = ""  # the facet key of a browse listing, "" for a main list
    value: str = ""  # the facet value (as in the filter form and the URL hash)
    label: str = ""  # the value as shown (2024 年, 社会福利 …)
    with_validity: bool = field(init=False)

    def __post_init__(self) -> None:
        # the 有效性 column on every page of the listing or on none (decided over all of its rows)
        self.with_validity = any(r["validity"] for r in self.rows)

    @property
    def pages(self) -> int:
        return page_count(len(self.rows))

    def href(self, n: int) -> str:
        """Site-relative address of page n (1-based). A main list's page 1 is the column page itself."""
        folder = self.column.href.rsplit("/", 1)[0]
        if n == 1:
            return self.column.href if not self.facet else f"{folder}/{self.key}.html"
        return f"{folder}/{self.key}-{n}.html"

    def page_rows(self, n: int) -> list[dict[str, Any]]:
        return page_slice(self.rows, n)

    def filter_hash(self) -> str:
        """The filtered view of this listing on the column page (policies.js reads the hash)."""
        return f"{self.facet}={quote(self.value, safe='')}" if self.facet else ""


@dataclass
class PolicyPages:
    """Everything the paged form of one policies column needs (no extra pages when it fits on one page)."""

    column: Column
    paged: bool
    main: list[Listing]
    browse: list[tuple[str, str, list[Listing]]]  # (facet key, heading, listings)
    _files: dict[str, bytes] | None = field(default=None, init=False, repr=False)

    def pages(self) -> list[tuple[Listing, int]]:
        """Every extra page to write: (listing, page number); the column page itself is not among them."""
        if not self.paged:
            return []
        out = [(lst, n) for lst in self.main for n in range(2, lst.pages + 1)]
        out += [(lst, n) for _, _, group in self.browse for lst in group for n in range(1, lst.pages + 1)]
        return out

    def page_links(self) -> list[tuple[str, str]]:
        """(site-relative address, title) of each extra page: the sitemap lists them, a moved column's old
        addresses redirect to them."""
        return [(lst.href(n), subpage_title(lst, n)) for lst, n in self.pages()]

    def files(self) -> dict[str, bytes]:
        """The rows chunks for policies.js (made once: the page's version is their digest)."""
        if self._files is None:
            self._files = data_files(self)
        return self._files

    def output_paths(self) -> list[str]:
        """Site-relative paths of the extra pages and the rows chunks (without making them)."""
        chunks = [f"{self.folder()}/{chunk_name(lst, k)}" for lst in self.main for k in range(chunk_count(lst))] if self.paged else []
        return [lst.href(n) for lst, n in self.pages()] + chunks

    def folder(self) -> str:
        return self.column.href.rsplit("/", 1)[0]


# What the sitemap, the manifest and the redirects of moved columns need of a paged 政策文件 column without its rows:
# the (address, title) of each extra page, and the site paths of its extra pages and rows chunks (PolicyColumn.shape)
Shape = tuple[tuple[tuple[str, str], ...], tuple[str, ...]]


class PolicyColumn:
    """A 政策文件 column's rows, facets and listings (PolicyPages), made only when something asks for them.

    Its page's body is keyed on its rows, its extra pages on theirs, and the data for policies.js is made from them:
    when a rebuild takes over the body's and the pages' keys (bodykeys.py), none of that is needed, and at 100,000
    documents the column's ~24,000 rows, five facets and their browse listings cost ~0.15 s of every rebuild. What is
    still needed of an untouched column — its extra pages' addresses and titles, its output paths — is its `shape`,
    kept from the build that made it (SitePlan.remember_shapes, under the same rule as the keys)."""

    def __init__(self, column: Column, rows: Callable[[], list[dict[str, Any]]], total: int, topics: list[str]):
        self.column = column
        self.total = total  # the number of rows (its published documents), known without making them
        self._make_rows: Callable[[], list[dict[str, Any]]] | None = rows
        self._rows: list[dict[str, Any]] = []
        self.topics = topics
        self._context: dict[str, Any] | None = None
        self.kept: Shape | None = None  # the shape taken over from an earlier build (remember_shapes)

    @property
    def paged(self) -> bool:
        return is_paged(self.total)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The column's rows (doc_row of each published document, newest first): what its body is keyed on."""
        if self._make_rows is not None:
            self._rows, self._make_rows = self._make_rows(), None
        return self._rows

    def context(self, data: bool = True) -> dict[str, Any]:
        """The page's template context: the rows, policy_context's lists, facets and browse listings, and (data)
        the data for policies.js of a paged column. Made once."""
        if self._context is None:
            self._context = {"column": self.column, "rows": self.rows}
            self._context.update(policy_context(self.rows, self.topics, self.column, data=False))
        return with_data(self._context) if data and "policy_data" not in self._context else self._context

    @property
    def pages(self) -> PolicyPages:
        return self.context(data=False)["policy_pages"]

    def shape(self) -> Shape:
        """What the sitemap, manifest and redirects need of the column: kept, or made from its rows."""
        if self.kept is not None:
            return self.kept
        if not self.paged:
            return (), ()
        return tuple(self.pages.page_links()), tuple(self.pages.output_paths())

    def page_links(self) -> list[tuple[str, str]]:
        """PolicyPages.page_links (from the kept shape when the rows were not made)."""
        return list(self.shape()[0])

    def output_paths(self) -> list[str]:
        """PolicyPages.output_paths (from the kept shape when the rows were not made)."""
        return list(self.shape()[1])

    def files(self) -> dict[str, bytes]:
        return self.pages.files()

    def folder(self) -> str:
        return self.column.href.rsplit("/", 1)[0]


def page_groups(lst: Listing, n: int) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The rows of page n under their list's heading: (id, 行政规范性文件|其他文件, rows); a browse listing holds
    both kinds, 行政规范性文件 first."""
    rows = lst.page_rows(n)
    out = []
    for key, title in MAIN_LISTS:
        part = [r for r in rows if bool(r["doc"].normative) == (key == "normative")]
        if part:
            out.append((key, title, part))
    return out


def _browse(column: Column, rows: list[dict[str, Any]], facets: dict[str, list[Option]]) -> list[tuple[str, str, list[Listing]]]:
    """The static browse listings: the rows of each 发布年份, 主题分类, 发布机构 and 解读形式 (行政规范性文件 first).
    One pass over the rows, whatever the number of values (a region's list may have hundreds of 发布机构)."""
    ordered = [r for r in rows if r["doc"].normative] + [r for r in rows if not r["doc"].normative]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in ordered:
        doc = r["doc"]
        groups["year", str(doc.published.year)].append(r)
        groups["publisher", doc.publisher].append(r)
        if doc.topic:
            top = doc.topic.split("\\")[0]
            groups["topic", top].append(r)
            if doc.topic != top:
                groups["topic", doc.topic].append(r)
        for form in doc_forms(doc):
            groups["form", form].append(r)

    def listing(facet: str, o: Option, key: str, title: str, label: str) -> Listing:
        return Listing(f"{facet}-{key}", title, groups[facet, o.value], column, facet, o.value, label)

    out: list[tuple[str, str, list[Listing]]] = [
        ("year", "按发布年份", [listing("year", o, o.value, f"{o.label}发布的政策文件", o.label) for o in facets["year"]]),
        ("topic", "按主题分类", [listing("topic", o, _key(o.value), f"主题分类：{o.value.replace(chr(92), ' › ')}", o.label)
                            for o in facets["topic"]]),
        ("publisher", "按发布机构", [listing("publisher", o, _key(o.value), f"{o.value}发布的政策文件", o.label)
                                for o in facets["publisher"]]),
        ("form", "按政策解读形式", [listing("form", o, "any", "有政策解读的文件", "任一形式") if o.value == ANY_FORM else
                               listing("form", o, FORM_SLUGS[o.value], f"有{o.value}形式解读的文件", o.label)
                               for o in facets["form"] if o.count]),
    ]
    return [group for group in out if group[2]]


def policy_pages(column: Column, rows: list[dict[str, Any]], facets: dict[str, list[Option]]) -> PolicyPages:
    paged = is_paged(len(rows))
    main = [Listing(key, title, [r for r in rows if bool(r["doc"].normative) == (key == "normative")], column)
            for key, title in MAIN_LISTS]
    return PolicyPages(column, paged, main, _browse(column, rows, facets) if paged else [])


# --- the rows as data for policies.js ------------------------------------------------------------------


def row_data(doc: Document, has_validity: bool, publishers: dict[str, int], topics: dict[str, int]) -> list[Any]:
    """One row for policies.js: [id, title, 文号, 索引号, publisher#, date, topic#, validity, 解读].

    validity: 0 when the document carries none, else [status, effective, expires] for gongkai.js's rule;
    解读: 0, else [[id, form], …]. Ids, not addresses: every document page is documents/{id}.html.
    """
    v: Any = [doc.status, doc.effective.isoformat() if doc.effective else "",
              doc.expires.isoformat() if doc.expires else ""] if has_validity else 0
    jds = [[d.id, d.form] for d in interpretations(doc)] or 0
    return [doc.id, doc.title, doc.doc_number, doc.index_no, publishers[doc.publisher], doc.published.isoformat(),
            topics[doc.topic], v, jds]


def _script(value: Any) -> str:
    """JSON for a script: "<" only inside strings, written as \\u003c, so no </script> or <!-- can end it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def data_files(pp: PolicyPages) -> dict[str, bytes]:
    """Site-relative path -> content of every rows chunk of a paged column ({column}/_rows/{list}-{k}.js)."""
    if not pp.paged:
        return {}
    tables = data_tables(pp)
    out: dict[str, bytes] = {}
    folder = pp.folder()
    for lst in pp.main:
        for k in range(chunk_count(lst)):
            rows = [row_data(r["doc"], bool(r["validity"]), tables["publisher"], tables["topic"])
                    for r in lst.rows[k * CHUNK_ROWS:(k + 1) * CHUNK_ROWS]]
            out[f"{folder}/{chunk_name(lst, k)}"] = f"gkPolicyRows({_script(lst.key)},{k},{_script(rows)});\n".encode()
    return out


def chunk_count(lst: Listing) -> int:
    return -(-len(lst.rows) // CHUNK_ROWS)


def chunk_name(lst: Listing, k: int) -> str:
    return f"{DATA_DIR}/{lst.key}-{k + 1}.js"


def data_tables(pp: PolicyPages) -> dict[str, dict[str, int]]:
    """发布机构 and 主题分类 by number (the chunks carry numbers, the page the names)."""
    docs = [r["doc"] for lst in pp.main for r in lst.rows]
    return {"publisher": {p: i for i, p in enumerate(sorted({d.publisher for d in docs}))},
            "topic": {t: i for i, t in enumerate(sorted({d.topic for d in docs}))}}


def page_data(pp: PolicyPages, files: dict[str, bytes]) -> Markup:
    """The JSON the column page gives policies.js: rows per page, the chunks of each list, the name tables and a
    version (the chunks' digest: over http(s) a cached chunk of another build is never mixed in)."""
    tables = data_tables(pp)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path])
    data = {
        "size": PAGE_ROWS, "version": digest.hexdigest()[:12],
        "lists": {lst.key: {"total": len(lst.rows), "chunk": CHUNK_ROWS,
                            "chunks": [chunk_name(lst, k) for k in range(chunk_count(lst))]} for lst in pp.main},
        "publishers": list(tables["publisher"]), "topics": list(tables["topic"]),
    }
    return Markup(_script(data))  # noqa: S704 (JSON with every "<" escaped: nothing in it is markup)


def policy_context(rows: list[dict[str, Any]], topics: list[str], column: Column, data: bool = True) -> dict[str, Any]:
    """Template context of a policies column: the two lists (their first page when paged), the facet options, and
    for a paged column the browse listings and the data for policies.js (data=False: without it; `with_data` adds
    it when the page is rendered — its rows chunks are not made in a rebuild that keeps the column's keys)."""
    facets = facet_options(rows, topics)
    pp = policy_pages(column, rows, facets)
    ctx: dict[str, Any] = {"facets": facets, "paged": pp.paged, "policy_pages": pp, "listings": pp.main,
                           "browse": pp.browse, "pager": pager}
    return with_data(ctx) if data else ctx


def with_data(ctx: dict[str, Any]) -> dict[str, Any]:
    """policy_context's context with the data for policies.js of a paged column (its rows chunks' digest …)."""
    pp: PolicyPages = ctx["policy_pages"]
    if pp.paged:
        ctx["policy_data"] = page_data(pp, pp.files())
    return ctx


def subpage_context(pp: PolicyPages, lst: Listing, n: int) -> dict[str, Any]:
    """Template context of one extra page (column_policies_page.html)."""
    first = first_row(n)
    return {"column": pp.column, "lst": lst, "n": n, "groups": page_groups(lst, n), "first": first,
            "last": first + len(lst.page_rows(n)) - 1, "browse": pp.browse, "pager": pager,
            "title": subpage_title(lst, n)}


def subpage_title(lst: Listing, n: int) -> str:
    return f"{lst.column.name}：{lst.title}" + (f"（第 {n} 页）" if lst.pages > 1 else "")
