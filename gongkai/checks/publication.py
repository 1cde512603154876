"""Publishing follows decisions, not folders: which files under content/ reach the site, and why (no MkDocs).

MkDocs copies every file it finds under docs_dir. gongkai copies a file (other than the Markdown it renders
itself) only when a decision names it:

- an attachment of a published (主动公开) document;
- a link or image in the body of a published document, a page column or the guide: Markdown links and
  images, reference definitions, raw HTML <a href> and <img src> (not inside code spans or HTML comments,
  which the rendered page does not turn into links), resolved against the Markdown file as MkDocs does (and,
  failing that, against the page that shows the body; gongkai/links.py); absolute and outside addresses are
  not files here, and a relative target that names no existing file is an error with file:line.
  Read from the Markdown without rendering it: the loader stays free of renderers, and a body costs one
  substring test when it has no link at all;
- a site asset declared in catalog/site.yml `assets` (logo, 党政机关网站标识 …): a file or a folder/.

Attachments of documents that are not 主动公开 stay out even when something else links them (a warning says
so), unless a published document attaches them too. Everything else is an orphan: not copied, and listed by
`gongkai check` and the build log with 「未被任何文件或单页引用，不会发布」 so staff can attach or delete it.
"""

from __future__ import annotations

import marshal
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.checks.disclosure import withheld_files
from gongkai.errors import Problems
from gongkai.links import (
    LinkMap,
    Missing,
    Target,
    body_start_line,
    document_pages,
    find_targets,
    line_of,
    missing_message,
    site_links,
)
from gongkai.load.reports import is_report_source
from gongkai.memo import Memo
from gongkai.model import Catalogue, ColumnKind, Document

ORPHAN_NOTICE = "未被任何文件或单页引用，不会发布"
SITE_FILE = "catalog/site.yml"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Reason:
    """Why a file is published: kind "attachment" or "link" (of document `source`), "page" or "guide" (a link in
    the body of column `source`), "asset" (site.yml)."""

    kind: str
    source: str = ""  # document id or column path
    label: str = ""  # the document id or column name, for messages

    def __str__(self) -> str:
        return {"attachment": f"文件「{self.label}」的附件", "link": f"文件「{self.label}」正文中的链接",
                "page": f"单页「{self.label}」中的链接", "guide": f"公开指南「{self.label}」中的链接",
                "asset": "网站资源（site.yml 的 assets）"}.get(self.kind, self.kind)


@dataclass
class Publication:
    """The decision for every file under content/ that is not rendered Markdown."""

    reasons: dict[str, list[Reason]] = field(default_factory=dict)  # published path -> why
    withheld: set[str] = field(default_factory=set)  # attachments of documents that are not 主动公开
    orphans: list[str] = field(default_factory=list)  # sorted
    links: LinkMap | None = None  # what relative links in bodies lead to (gongkai/links.py), for the build

    def is_published(self, path: str) -> bool:
        return path in self.reasons

    @property
    def published(self) -> set[str]:
        return set(self.reasons)


def resolve_link(target: str, page: str) -> str | None:
    """The site path a relative link on `page` (a path like a/b/index.md or documents/x.html) points to."""
    target = target.strip()
    if not target or target.startswith(("#", "/", "\\")) or _SCHEME.match(target):
        return None
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), urllib.parse.unquote(target)))
    if path.startswith("../") or path in ("..", "."):
        return None
    return path


def link_targets(markdown: str) -> tuple[str, ...]:
    """The link and image targets of a Markdown body (as written: relative, encoded …), in order (gongkai/links.py)."""
    return tuple(t.text for t in find_targets(markdown))


def body_files(markdown: str, page: str, files: Iterable[str] | dict[str, str],
               targets: tuple[str, ...] | None = None) -> list[str]:
    """The files (paths under content/, not Markdown) that a body on `page` links or embeds.

    targets: link_targets(markdown), when known (remembered across builds for document bodies).
    """
    out: list[str] = []
    for target in link_targets(markdown) if targets is None else targets:
        path = resolve_link(target, page)
        if path is not None and path in files and not path.endswith(".md") and path not in out:
            out.append(path)
    return out


def decide(cat: Catalogue, problems: Problems, memo: Memo | None = None,
           documents: tuple[dict[str, str], dict[str, str]] | None = None) -> Publication:
    """Which files under content/ are published; orphans become warnings, bad asset entries errors.

    documents: links.document_pages(cat), when made already."""
    tree = cat.content_tree
    files: dict[str, str] = getattr(tree, "files", {}) if tree is not None else {}
    pub = Publication()
    # (path, reason's fields) already listed: a file many bodies link is common (the fields, not the Reason: a
    # tuple of strings hashes in C, a dataclass through its Python __hash__, thousands of times per build)
    given: set[tuple[str, str, str, str]] = set()

    def publish(path: str, why: Reason) -> None:
        key = (path, why.kind, why.source, why.label)
        if key not in given:
            given.add(key)
            pub.reasons.setdefault(path, []).append(why)

    published = cat.published_documents
    for doc in published:
        if doc.attachments:  # (most have none; one Reason for all of a document's attachments: it is frozen)
            why = Reason("attachment", doc.id, doc.id)
            for att in doc.attachments:
                publish(att.path, why)
    pub.withheld = withheld_files(cat)

    def linked(path: str, where: Reason, file: str) -> None:
        if path in pub.withheld:
            problems.warn(file, None, None, f"链接的 content/{path} 是不公开文件的附件，不会发布，链接将失效；"
                          "请删除链接，或确认该附件可以公开后由公开的文件引用")
            return
        publish(path, where)

    # links and images in bodies: resolved against the Markdown file (gongkai/links.py); a missing target is an error
    links = pub.links = site_links(cat, documents)
    resolve = links.resolve

    def body(targets: Sequence[Target], text: str | Callable[[], str], first_line: int, file: str, page: str,
             why: Reason) -> None:
        """text: the body, or a function giving it (a reused document's body is read only to name a line)."""
        source = file.removeprefix("content/")
        for t in targets:
            r = resolve(t.text, source, page)
            if isinstance(r, Missing):
                markdown = text if isinstance(text, str) else text()
                problems.error(file, line_of(markdown, t.start, first_line), None, missing_message(t.text, r))
            elif r is not None and r.kind == "file":
                linked(r.path, why, file)

    for doc in published:
        targets = doc.link_target_tuple()  # (no copy for each of 10,000 documents: most link nothing)
        if not targets:
            continue
        # written out (body()'s work, for each of thousands of documents that link something): the document's Reason
        # made only when a target is a file, its body read only to name the line of a missing target
        file = doc.source.file
        source = file.removeprefix("content/")
        href = doc.href
        link: Reason | None = None
        for t in targets:
            r = resolve(t.text, source, href)
            if r is None:
                continue
            if isinstance(r, Missing):
                problems.error(file, line_of(doc.body, t.start, doc.body_line), None, missing_message(t.text, r))
            elif r.kind == "file":
                if link is None:
                    link = Reason("link", doc.id, doc.id)
                linked(r.path, link, file)
    guide_done = False
    for col in cat.columns():
        if col.kind is ColumnKind.PAGE and col.page in cat.pages:
            page = cat.pages[col.page]
            body(find_targets(page.body), page.body, body_start_line(page.text, page.body), page.file, col.src_uri,
                 Reason("page", col.path, col.name))
        elif col.kind is ColumnKind.GUIDE and cat.guide is not None and not guide_done:
            guide_done = True
            g = cat.guide
            body(find_targets(g.body), g.body, body_start_line(g.text, g.body), g.source.file, col.src_uri,
                 Reason("guide", col.path, col.name))

    for path in _assets(cat, files, pub.withheld, problems):
        publish(path, Reason("asset"))

    # the spreadsheets of catalog/lists.yml hold the unmasked data: source only, whatever links or attaches them
    sources = {lst.file for lst in cat.lists}
    for path in sorted(sources & set(pub.reasons)):
        problems.error(f"content/{path}", None, None, "是 catalog/lists.yml 中名单的原始表格（未遮蔽个人信息），"
                       "不能作为附件、链接或网站资源发布：请链接名单页面或其导出的 CSV")
        del pub.reasons[path]
    # the 留言 exports of catalog/messages.yml: the writers' names and numbers are in them
    exports = set(getattr(getattr(cat, "interaction", None), "sheet_files", []))
    for path in sorted(exports & set(pub.reasons)):
        problems.error(f"content/{path}", None, None, "是 catalog/messages.yml 中留言选登的原始表格（含留言人个人信息），"
                       "不能作为附件、链接或网站资源发布：请链接留言选登栏目")
        del pub.reasons[path]
    sources |= exports
    hidden = tree.is_hidden if tree is not None else (lambda p: False)
    refused: set[str] = getattr(tree, "refused", set())
    pub.orphans = sorted(p for p in files if p not in pub.reasons and p not in pub.withheld and not p.endswith(".md")
                         and not hidden(p) and p not in refused and not is_report_source(p)  # reports: source data
                         and p not in sources)
    for path in pub.orphans:
        problems.warn(f"content/{path}", None, None, f"{ORPHAN_NOTICE}（需要公开的，请作为主动公开文件的附件"
                      "或在单页中链接；网站标志等请列入 catalog/site.yml 的 assets；否则请删除）")
    return pub


def _assets(cat: Catalogue, files: dict[str, str], withheld: set[str], problems: Problems) -> list[str]:
    """The files named by site.yml `assets`, each entry checked (line of site.yml in every problem)."""
    out: list[str] = []
    for entry, line in getattr(cat.site, "assets", []):
        text = entry.strip()
        bad = (not text or text.startswith(("/", "\\")) or "\\" in text or "\0" in text or re.match(r"^[A-Za-z]:", text)
               or any(part == ".." for part in text.split("/")))
        if bad:
            problems.error(SITE_FILE, line, "assets", f"网站资源「{entry}」应为 content/ 中的相对路径（如 images/logo.png），"
                           "不能是绝对路径，也不能用 .. 离开 content/")
            continue
        norm = posixpath.normpath(text)
        if text.endswith("/") or norm not in files:
            prefix = "" if norm == "." else norm + "/"
            found = [p for p in files if p.startswith(prefix) and not p.endswith(".md")]
            if not found:
                problems.error(SITE_FILE, line, "assets", f"网站资源「{entry}」在 content/ 中不存在" +
                               ("（或其中没有可发布的文件）" if text.endswith("/") else ""))
                continue
        else:
            found = [norm]
            if norm.endswith(".md"):
                problems.error(SITE_FILE, line, "assets", f"「{entry}」是 Markdown 文件：单页请在 columns.yml 中作为栏目引用")
                continue
        clash = sorted(p for p in found if p in withheld)
        if clash:
            problems.error(SITE_FILE, line, "assets", f"网站资源「{entry}」包含不公开文件的附件：content/{clash[0]}"
                           + (f" 等 {len(clash)} 个" if len(clash) > 1 else ""))
            continue
        out.extend(sorted(found))
    return out


def configured_assets(named: dict[str, list[str]], pub: Publication, files: Iterable[str]) -> list[str]:
    """Problems with files of content/ that mkdocs.yml names (theme.logo, extra_css …) but site.yml does not declare.

    named: the mkdocs.yml setting -> the paths it names (relative to content/). Only paths that are files of
    content/ count (MkDocs finds the others in the theme or leaves them as addresses).
    """
    present = set(files)
    out: list[str] = []
    for setting, paths in named.items():
        for path in paths:
            norm = posixpath.normpath(path.strip().lstrip("/"))
            if norm in present and not pub.is_published(norm):
                out.append(f"mkdocs.yml: 错误: 字段「{setting}」：content/{norm} 没有在 catalog/site.yml 的 assets 中声明，"
                           f"不会发布。请在 site.yml 中加入：assets: [{norm}]")
    return out


KEPT = ("publication.kept",)  # memo key: (FORMAT, a load's token, its document count, marshalled decision, the
# footprints by folder: {folder: marshalled {source file: footprint}})
FORMAT = 3  # of KEPT's marshalled decision; 3: the footprints apart, by folder (only the changed ones' are decoded)


def footprint(doc: Document) -> tuple[Any, ...] | None:
    """What `decide` reads of one document (through the published list, withheld_files and site_links): its id,
    whether and why it is not published, its attachments and, when published, its body's link targets. None for
    the common case of a published document that attaches and links nothing: whatever its id, it adds no reason,
    no withheld file and no warning, and a link to it leads to its page (never a file, never missing)."""
    public = doc.is_public
    links: tuple[str, ...] = ()  # (what an unpublished document links is never read: its body is not published)
    if public:
        targets = doc.link_target_tuple()
        if not targets and not doc.attachments:
            return None
        links = tuple([t.text for t in targets])
    return (doc.id, public, doc.disclosure, doc.embargoed, doc.withdrawn is not None,
            tuple([a.path for a in doc.attachments]), links)


def check_publication(cat: Catalogue, problems: Problems, memo: Memo | None = None) -> None:
    """Load step: decide and keep the decision on the catalogue, so the build and `gongkai check` agree.

    The decision is kept in the memo with the load's token (KEPT). A load whose changes follow that token
    (`Changes.follows`) and are of documents only (no other input, the same build date, none removed or added)
    takes it over when each changed document's `footprint` is the one that load had: every other document is, in
    all `decide` reads of it, what it was then (model.Changes), so the decision and its warnings are the same;
    the LinkMap's entries of the changed documents are made again (a page's address is made of the id). The kept
    decision is put only when it made no error (that load stopped: its token is never followed anyway)."""
    changes = cat.changes
    kept = _taken_over(cat, memo)
    if kept is not None:
        pub, data, prints = kept.pub, kept.data, kept.prints
        pub.links = site_links(cat, kept.documents)
        for warning in kept.warnings:
            problems.warn(*warning)
    else:
        errors = len(problems.errors)
        start = len(problems.items)
        documents = document_pages(cat)
        pub = decide(cat, problems, memo, documents)
        if len(problems.errors) != errors:
            cat.publication = pub
            return
        warnings = [(p.file, p.line, p.field, p.message) for p in problems.items[start:] if p.level == "warning"]
        by_folder: dict[str, dict[str, Any]] = {}
        for d in cat.documents:
            if (f := footprint(d)) is not None:
                file = d.source.file
                by_folder.setdefault(file.rpartition("/")[0], {})[file] = f
        prints = {folder: marshal.dumps(found) for folder, found in by_folder.items()}
        data = marshal.dumps(([(path, [(r.kind, r.source, r.label) for r in why]) for path, why in pub.reasons.items()],
                              sorted(pub.withheld), pub.orphans, warnings, documents))
    cat.publication = pub
    if memo is not None and changes.token:
        memo.put(KEPT, (FORMAT, changes.token, len(cat.documents), data, prints))


@dataclass
class _Kept:
    """A decision taken over (_taken_over): with its warnings, the LinkMap's documents (links.document_pages) and
    KEPT's marshalled data as this load puts it again."""

    pub: Publication
    warnings: list[tuple[Any, ...]]
    documents: tuple[dict[str, str], dict[str, str]]
    data: bytes
    prints: dict[str, bytes]  # the footprints by folder, as kept (they are this load's too)


def _same_documents(cat: Catalogue, count: int) -> bool:
    """No document removed since the load that kept a decision of `count` documents, and none added."""
    return not cat.changes.removed and count == len(cat.documents)


def _taken_over(cat: Catalogue, memo: Memo | None) -> _Kept | None:
    """The decision KEPT holds, when this load may take it over (check_publication); else None."""
    changes = cat.changes
    # (not even looked up when no kept decision could hold — then it is not carried over in the memo either)
    was = None if memo is None or not changes.only_documents else memo.get(KEPT)
    if not (isinstance(was, tuple) and len(was) == 5 and was[0] == FORMAT and changes.keeps(was[1])
            and _same_documents(cat, was[2])):
        return None
    prints: dict[str, bytes] = was[4]
    changed = [d for i in changes.ids if (d := cat.document(i)) is not None]  # (by id: no pass over all documents)
    if {d.source.file for d in changed} != changes.documents:
        return None  # (a document not found by its id: the same id twice)
    try:
        # (the footprints of the changed documents' folders only: most of a large site's are never decoded)
        folders = {folder: marshal.loads(prints[folder]) if folder in prints else {}
                   for folder in {d.source.file.rpartition("/")[0] for d in changed}}
        for doc in changed:
            file = doc.source.file
            if footprint(doc) != folders[file.rpartition("/")[0]].get(file):
                return None
        reasons, withheld, orphans, warnings, (pages, hidden) = marshal.loads(was[3])
    except (EOFError, ValueError, TypeError):
        return None
    made: dict[tuple[str, str, str], Reason] = {}  # one Reason per document and kind, as decide makes them
    pub = Publication(reasons={path: [made.get(r) or made.setdefault(r, _reason(*r)) for r in why]
                               for path, why in reasons},
                      withheld=set(withheld), orphans=orphans)
    # the LinkMap's documents: the changed ones placed afresh (a footprint of None leaves out a published
    # document's id, which its page's address is made of)
    now_pages, now_hidden = document_pages(cat, changed)
    data = was[3]
    for doc in changed:
        src = doc.source.file.removeprefix("content/")
        page, reason = pages.pop(src, None), hidden.pop(src, None)
        if page != now_pages.get(src) or reason != now_hidden.get(src):
            data = b""  # (KEPT's data differs: marshalled again below)
    pages.update(now_pages)
    hidden.update(now_hidden)
    if not data:
        data = marshal.dumps((reasons, withheld, orphans, warnings, (pages, hidden)))
    return _Kept(pub, warnings, (pages, hidden), data, prints)


def _reason(kind: str, source: str, label: str, _new: Callable[[type], Any] = object.__new__) -> Reason:
    """Reason(kind, source, label) for the thousands a kept decision holds: its fields put straight into the
    instance's dict (what a frozen dataclass's __init__ does through object.__setattr__, three times slower)."""
    why: Reason = _new(Reason)
    values = why.__dict__
    values["kind"], values["source"], values["label"] = kind, source, label
    return why
