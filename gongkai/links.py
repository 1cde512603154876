"""Relative links and images in Markdown bodies: resolved against the Markdown file, rewritten for the page.

Staff write a document, page or guide body as MkDocs users do: a path is relative to the Markdown file itself
(``![图](img/a.png)`` beside ``content/documents/2024/x.md``, ``[申请表](../../files/sqb.txt)``, a link to another
document's ``.md``). The page that shows the body lives elsewhere: documents/{id}.html for a document,
{column path}/index.html for a page or the guide. So every relative target is

1. resolved against the Markdown file's folder (what the author sees in an editor or on a file share); failing
   that, against the page that shows it (how gongkai resolved them before, kept so existing sites do not break);
2. looked up: a file under content/ (published by checks/publication.py, copied under its own path), or the
   Markdown of a published document / page column / the guide (a link to that page);
3. rewritten in the Markdown *source* into a URL relative to the output page, before any Markdown engine sees
   it (so this works with whichever engine renders the body, and MkDocs' own link validation of page columns
   sees only targets that exist).

A target that resolves to nothing is an error naming file and line (`gongkai check` and the build stop), as long
as it names a file (a suffix other than .html) or a Markdown page; .html and folder addresses may be pages
gongkai generates and are left as written (`gongkai inspect` checks them on the built site).
Targets inside code spans, fenced blocks and HTML comments are no links and stay untouched.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# Link targets as the rendered page has them: Markdown links and images, reference definitions, raw HTML.
_NO_LINKS = re.compile(r"<!--.*?-->|(`+).+?\1", re.S)
_TARGETS = (
    ("](", re.compile(r"\]\(\s*<([^>\n]+)>|\]\(\s*([^)\s]+)")),  # [text](target), ![alt](target), (<with space>)
    ("]:", re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)),  # [ref]: target
    ("href", re.compile(r"""<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)),  # raw HTML
    ("src", re.compile(r"""<(?:img|video|audio|source|track)\s[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)),
)
_LITERALS = ("](", "]:", "href", "HREF", "src", "SRC")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PAGE_SUFFIXES = (".html", ".htm")
_NOT_YET = object()


def _blank(m: re.Match[str]) -> str:
    """Code spans and comments replaced by as many spaces (line breaks kept): offsets stay valid."""
    return re.sub(r"[^\n]", " ", m.group())


@dataclass(frozen=True)
class Target:
    """One link target in a body: as written, and where (offsets into the body)."""

    text: str
    start: int
    end: int


def find_targets(markdown: str) -> list[Target]:
    """Every link and image target of a Markdown body, in order of position."""
    # most government documents have no link at all: two one-character scans skip them
    if ("]" not in markdown and "<" not in markdown) or not any(lit in markdown for lit in _LITERALS):
        return []
    text = _NO_LINKS.sub(_blank, markdown) if ("`" in markdown or "<!--" in markdown) else markdown
    out: list[Target] = []
    for literal, pattern in _TARGETS:
        if literal in text or literal.upper() in text:
            for m in pattern.finditer(text):
                g = next(i for i in range(1, (m.lastindex or 0) + 1) if m.group(i) is not None)
                out.append(Target(m.group(g), m.start(g), m.end(g)))
    out.sort(key=lambda t: t.start)
    return out


@dataclass(frozen=True)
class Resolved:
    """Where a relative target leads: `path` is a site path (a file of content/ or a generated page)."""

    path: str
    kind: str  # "file" | "page"
    suffix: str = ""  # "?query#fragment" as written


@dataclass(frozen=True)
class Missing:
    """A relative target that names a file or Markdown page which does not exist (or is not published)."""

    tried: str  # the content path it was resolved to (against the Markdown file)
    reason: str = ""  # why a Markdown page that exists is no link target (not published …)


def relative_path(target: str) -> tuple[str, str] | None:
    """(path, "?query#fragment") of a relative link target as written, the path decoded; None: no relative path
    (an address with a scheme, an anchor, a path from the root, nothing)."""
    raw = target.strip()
    if not raw or raw.startswith(("#", "/", "\\")) or _SCHEME.match(raw):
        return None
    cut = min((i for i in (raw.find("?"), raw.find("#")) if i >= 0), default=len(raw))
    path = urllib.parse.unquote(raw[:cut])
    return (path, raw[cut:]) if path else None


@dataclass
class LinkMap:
    """What a relative target can lead to.

    files: paths of content/ (forward slashes). pages: Markdown path under content/ -> the site page showing it
    (a published document -> documents/{id}.html; a page column's file, the guide -> the column page).
    hidden: Markdown paths under content/ that exist but have no page (a document that is not 主动公开 …) ->
    the reason, for the message.
    """

    files: Mapping[str, object]
    pages: dict[str, str]
    hidden: dict[str, str]
    refused: frozenset[str] = frozenset()  # files of content/ refused with an error already (links out, hard links)
    generated: frozenset[str] = frozenset()  # site paths of files the build writes itself (the 申请表 in forms/)
    # (target, folder of source, folder of page) -> resolve's answer: thousands of documents in a few folders link
    # the same few files (the maps above are not changed once made)
    _resolved: dict[tuple[str, str, str], Resolved | Missing | None] = field(default_factory=dict, repr=False,
                                                                            compare=False)

    def resolve(self, target: str, source: str, page: str) -> Resolved | Missing | None:
        """A target of the body of `source` (content path of its .md) shown on `page` (site path).

        None: not a relative link to something under content/ (an address, an anchor, an .html page …).
        """
        key = (target, source[:source.rfind("/") + 1], page[:page.rfind("/") + 1])  # what resolving depends on
        found = self._resolved.get(key, _NOT_YET)
        if found is _NOT_YET:
            found = self._resolved[key] = self._resolve(target, source, page)
        return found  # type: ignore[return-value]

    def _resolve(self, target: str, source: str, page: str) -> Resolved | Missing | None:
        split = relative_path(target)
        if split is None:
            return None
        path, suffix = split
        first = None
        for base in (source, page):
            cand = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
            if cand.startswith("../") or cand in ("..", "."):
                continue
            first = first or cand
            if cand in self.pages:
                return Resolved(self.pages[cand], "page", suffix)
            if cand in self.files and not cand.endswith(".md"):
                return Resolved(cand, "file", suffix)
            if cand in self.refused:
                return None  # reported by load/contenttree.py
            if cand in self.generated:
                return None  # written by the build at this address: left as written
        if path.endswith("/") or path.lower().endswith(_PAGE_SUFFIXES) or not posixpath.splitext(path)[1]:
            return None  # a folder or a page gongkai or MkDocs generates: not decidable from content/
        tried = first or posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        for base in (source, page):
            cand = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
            if cand in self.hidden:
                return Missing(cand, self.hidden[cand])
        return Missing(tried)


def url_for(resolved: Resolved, page: str) -> str:
    """The URL of a resolved target relative to the output page (works from file:// and over HTTP)."""
    rel = posixpath.relpath(resolved.path, posixpath.dirname(page) or ".")
    return urllib.parse.quote(rel, safe="/-._~") + resolved.suffix


def resolutions(markdown: str, source: str, page: str, links: LinkMap,
                targets: Iterable[Target] | None = None) -> Iterator[tuple[Target, Resolved | Missing]]:
    """Each relative target of a body with what it resolves to (targets that are no file link left out).
    targets: find_targets(markdown) when known (Document.link_targets: without reading a reused document's body)."""
    for t in find_targets(markdown) if targets is None else targets:
        r = links.resolve(t.text, source, page)
        if r is not None:
            yield t, r


def rewrites(markdown: str, source: str, page: str, links: LinkMap,
             targets: Iterable[Target] | None = None) -> dict[str, str]:
    """Target as written -> URL on the page, for every target that resolves (the build cache keys on this).
    targets: find_targets(markdown) when known (then markdown is not looked at)."""
    out: dict[str, str] = {}
    for t, r in resolutions(markdown, source, page, links, targets):
        if isinstance(r, Resolved):
            url = url_for(r, page)
            if url != t.text:
                out[t.text] = url
    return out


def rewrite(markdown: str, urls: Mapping[str, str]) -> str:
    """The body with each target in `urls` replaced by its URL (code spans and comments untouched)."""
    if not urls:
        return markdown
    parts: list[str] = []
    pos = 0
    for t in find_targets(markdown):
        url = urls.get(t.text)
        if url is None:
            continue
        parts += [markdown[pos:t.start], url]
        pos = t.end
    parts.append(markdown[pos:])
    return "".join(parts)


def line_of(markdown: str, offset: int, first_line: int) -> int:
    return first_line + markdown.count("\n", 0, offset)


def body_start_line(text: str, body: str) -> int:
    """Line of the whole file (front matter included) where a body taken from its end starts."""
    if body and text.endswith(body):
        return text.count("\n", 0, len(text) - len(body)) + 1
    return 1


def document_pages(cat: Any, docs: Iterable[Any] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The documents' part of site_links: Markdown path under content/ -> the page of each published document, and
    -> why there is none for each other one. docs: only these (each by Document.is_public); else all of cat's."""
    if docs is not None:
        pages: dict[str, str] = {}
        hidden: dict[str, str] = {}
        for doc in docs:
            if doc.is_public:
                pages[doc.source.file.removeprefix("content/")] = f"documents/{doc.id}.html"
            else:
                hidden[doc.source.file.removeprefix("content/")] = _no_page(doc)
        return pages, hidden
    # (one comprehension for the thousands of published documents, href written out: every load makes this map)
    published = cat.published_documents
    pages = {d.source.file.removeprefix("content/"): f"documents/{d.id}.html" for d in published}
    hidden = {}
    if len(published) != len(cat.documents):
        public = set(map(id, published))
        for doc in [d for d in cat.documents if id(d) not in public]:
            hidden[doc.source.file.removeprefix("content/")] = _no_page(doc)
    return pages, hidden


def _no_page(doc: Any) -> str:
    why = ("已撤回" if doc.withdrawn is not None else "尚未到发布日期（预定发布）" if doc.embargoed
           else f"是「{doc.disclosure}」的文件")
    return why + "，网站上没有它的页面"


def site_links(cat: Any, documents: tuple[dict[str, str], dict[str, str]] | None = None) -> LinkMap:
    """The LinkMap of a catalogue (gongkai.model.Catalogue): its content files and its Markdown pages.

    documents: document_pages(cat), when made already (not changed here)."""
    tree = cat.content_tree
    files: Mapping[str, object] = getattr(tree, "files", {}) if tree is not None else {}
    pages, hidden = document_pages(cat) if documents is None else (dict(documents[0]), documents[1])
    for col in cat.columns():
        kind = getattr(col.kind, "value", col.kind)
        if kind == "page" and col.page in cat.pages:
            pages[col.page] = col.href
        elif kind == "guide" and cat.guide is not None:
            pages.setdefault(cat.guide.source.file.removeprefix("content/"), col.href)
    generated: frozenset[str] = frozenset()
    if any(getattr(col.kind, "value", col.kind) == "application" for col in cat.columns()):
        from gongkai.application import form_paths  # the 申请表 the build writes (build/application_forms.py)

        generated = frozenset(form_paths())
    return LinkMap(files, pages, hidden, frozenset(getattr(tree, "refused", ())), generated)


def missing_message(target: str, missing: Missing) -> str:
    if missing.reason:
        return f"链接「{target}」指向的 content/{missing.tried} {missing.reason}：请删除链接，或改为链接可以公开的内容"
    return (f"链接或图片「{target}」指向的 content/{missing.tried} 不存在（相对路径按本 Markdown 文件所在目录解析，"
            "与 MkDocs 相同）：请检查文件名和路径，或把文件放到该位置")
