"""The output manifest: every file of the built site with its size, SHA-256 and why it is there.

Written by the build beside the site (site/ -> site.manifest.json, renamed into place right after site/ is
switched, gongkai/build/staging.py) and never inside it: the site folder is what gets served, and a manifest
in it could not list its own hash. Used by

- `gongkai publish` (gongkai/tools/deploy.py): refuses a site/ that does not match it, verifies every uploaded
  file against it and prints what changed between two published versions (`diff`);
- reviewers and tests: no output file without a reason (`Reason.kind == "unknown"` marks one).

Deterministic: the same site/ and reasons give the same bytes (entries sorted by path, no clock). The `source`
field names the git commit the build ran on, which is an input like the files themselves.

For other tools (withdrawal, orphan checks): `load(path)` -> Manifest; `Manifest.entries` sorted by path;
`Manifest.by_path()`; `check_tree(manifest, site_dir)` -> Chinese problems; `diff(old, new)` -> Changes;
`Reasons` collects reasons (exact paths and folder prefixes) before `build` walks the tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, groupby, repeat
from json.encoder import encode_basestring
from operator import attrgetter, itemgetter, methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gongkai.model import Catalogue
from gongkai.statcheck import HashRecord, Signature, signature

if TYPE_CHECKING:
    from gongkai.build.doclines import DocLines

FORMAT = "gongkai-manifest/1"


def _plain(text: str) -> bool:
    """Whether json.encoder.encode_basestring (ensure_ascii=False) would leave text as it is, only quoted: no quote,
    no backslash, no control character (isprintable also refuses some other characters: then False, and the
    encoder is used — the same text, only slower). Megabytes scanned at C speed, where a regular expression took
    tens of milliseconds."""
    return '"' not in text and "\\" not in text and text.isprintable()

# kind -> what a reviewer reads (gongkai publish prints these)
KINDS: dict[str, str] = {
    "document": "文件页",
    "attachment": "文件附件",
    "content": "content/ 中的文件",
    "column": "栏目页",
    "package": "主题服务包页",
    "page": "生成的页面",
    "theme": "主题文件",
    "sitemap": "站点地图",
    "export": "数据导出",
    "feed": "订阅源",
    "feed-alias": "栏目旧地址的订阅源（与新地址相同）",
    "poster": "海报",
    "application-form": "政府信息公开申请表（PDF、DOCX）",
    "search": "搜索索引",
    "redirect": "旧地址跳转页",
    "withdrawn-column": "已撤销栏目的旧地址页",
    "withdrawal": "已撤回文件的旧地址页（该信息已撤回）",
    "removed-document": "文件已删除的旧地址页（该信息已移除）",
    "unknown": "来源不明",
}


class ManifestError(Exception):
    """A manifest that cannot be read; the message is in Chinese and names the file."""


class Reason(NamedTuple):
    """Why a file is in the site. kind: a key of KINDS; ref: which document id, column path, package id, theme
    folder …; source: the input file it comes from, relative to the site's root folder, when there is one.

    A named tuple (immutable, ordered by its fields, printed like the frozen dataclass it was): one is made for each
    published document on every build, where a frozen dataclass's __init__ (three checked assignments and a dict)
    cost 1 us each, half the manifest's reasons step at 10,000 documents."""

    kind: str
    ref: str = ""
    source: str = ""


UNKNOWN = Reason("unknown")
SEARCH = Reason("search")  # every file of the search index (gongkai/build/search.py keeps their lines: KeptFolder)


class Entry(NamedTuple):
    """One file of the site (a named tuple: made for each of the 37,000 files of a 10,000-document site on every
    build, where a frozen dataclass's checked assignments cost more than the rest of the entry)."""

    path: str  # relative to the site folder, with forward slashes
    size: int
    sha256: str
    reason: Reason

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256, "kind": self.reason.kind,
                "ref": self.reason.ref, "source": self.reason.source}


def _reason_json(r: Reason) -> str:
    enc = encode_basestring
    return f'"kind": {enc(r.kind)}, "ref": {enc(r.ref)}, "source": {enc(r.source)}}}'


def line(path: str, size: int, sha256: str, reason: Reason) -> str:
    """One entry's line as Manifest.to_bytes writes it (json.dumps of Entry.to_json, indented)."""
    enc = encode_basestring
    return f'  {{"path": {enc(path)}, "size": {size}, "sha256": {enc(sha256)}, ' + _reason_json(reason)


@dataclass
class KeptFolder:
    """The lines of one folder of the site that the step writing it keeps between builds (the search index's 17,600
    files at 10,000 documents, 160,000 at 100,000): a rebuild formats only the lines of the files it wrote anew
    (`update`) instead of hashing, sorting and formatting every file of the folder again.

    The step keeps them beside what it keeps of the folder and vouches for them only while its own rule trusts that
    (gongkai/build/search.py: the search index's tree, every file's device, inode, size and time as recorded,
    older than the stamp taken before writing it). `placed`: the files the step put into the staging folder this
    build (path under the folder -> its statcheck.signature without ctime: the same file, unchanged since the step
    checked it); the others it claimed from the recycled tree. `build` uses the lines only when the site holds exactly
    those files there (see there)."""

    prefix: str  # the folder's site path, ending in "/"
    reason: Reason
    paths: list[str]  # sorted, each starting with prefix
    sizes: list[int]
    lines: list[str]
    placed: dict[str, Signature] = field(default_factory=dict)

    def update(self, changes: dict[str, tuple[int, str] | None]) -> None:
        """The files (path under the folder) written anew with their (size, SHA-256), or removed (None)."""
        paths, sizes, lines = self.paths, self.sizes, self.lines
        for rel, value in sorted(changes.items()):
            path = self.prefix + rel
            i = bisect_left(paths, path)
            there = i < len(paths) and paths[i] == path
            if value is None:
                if there:
                    del paths[i], sizes[i], lines[i]
            elif there:
                sizes[i], lines[i] = value[0], line(path, value[0], value[1], self.reason)
            else:
                paths.insert(i, path)
                sizes.insert(i, value[0])
                lines.insert(i, line(path, value[0], value[1], self.reason))

    @classmethod
    def of(cls, prefix: str, reason: Reason, files: dict[str, tuple[int, str]]) -> KeptFolder:
        """The lines of every file of the folder (path under it -> (size, SHA-256))."""
        rels = sorted(files, key=prefix.__add__)
        return cls(prefix, reason, [prefix + r for r in rels], [files[r][0] for r in rels],
                   [line(prefix + r, *files[r], reason) for r in rels])


@dataclass
class Manifest:
    entries: list[Entry]  # sorted by path
    meta: dict[str, Any] = field(default_factory=dict)  # site, build_date, source (commit)
    # folders listed by their kept lines (build's `kept` and `pages`), not among entries: their paths sort between them
    folders: list[KeptFolder | DocLines] = field(default_factory=list)

    def by_path(self) -> dict[str, Entry]:
        return {e.path: e for e in self.entries}

    @property
    def files(self) -> int:
        return len(self.entries) + sum(len(f.paths) for f in self.folders)

    @property
    def total_bytes(self) -> int:
        # (no Python step per entry: 37,000 at 10,000 documents)
        return sum(map(itemgetter(1), self.entries)) + sum(sum(f.sizes) for f in self.folders)

    def to_bytes(self) -> bytes:
        """JSON, one entry per line (readable, and diffs between builds stay small)."""
        head = {"format": FORMAT, **self.meta, "files": self.files, "bytes": self.total_bytes}
        text = "{\n" + "".join(f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)},\n"
                               for k, v in head.items()) + ' "entries": [\n'
        lines = self._entry_lines()
        # a kept folder's lines go where its paths sort, with the entries under its prefix (a notice at an old
        # document address among the document pages; none in the search index's folder) merged in
        path = itemgetter(0)
        for folder in sorted(self.folders, key=attrgetter("prefix"), reverse=True):
            lo, hi = _span(self.entries, folder.prefix)
            lines[lo:hi] = _merged(folder.paths, folder.lines, list(map(path, self.entries[lo:hi])), lines[lo:hi])
        body = _joined(lines)
        return b"".join((text.encode("utf-8"), body, b"\n" if body else b"", b" ]\n}\n"))

    def _entry_lines(self) -> list[str]:
        """Each entry as `json.dumps(entry.to_json(), ensure_ascii=False)` writes it, indented — without a dict and
        an encoder pass per entry (37,000 entries at 10,000 documents): strings through json's own string encoder,
        one %-format per entry whose reason's part is written once per Reason object (the search index's 26,000
        files share one)."""
        enc = encode_basestring
        entries = self.entries
        # json's encoder (ensure_ascii=False) escapes only quotes, backslashes and control characters: when no path
        # and no hash holds one (looked for once, in all of them together), they are written between quotes as
        # they are, two encoder calls fewer per entry
        plain = _plain("".join(map(itemgetter(0), entries))) and _plain("".join(map(itemgetter(2), entries)))
        # and when no reason holds one either (the usual site: a reason per document, 10,000 and more, each a format
        # of its own below), every entry is one %-format of its six values
        fields = attrgetter("kind", "ref", "source")
        if plain and _plain("".join(chain.from_iterable(map(fields, map(itemgetter(3), entries))))):
            one = '  {"path": "%s", "size": %d, "sha256": "%s", "kind": "%s", "ref": "%s", "source": "%s"}'
            return [one % (path, size, sha, *fields(r)) for path, size, sha, r in entries]
        head = '  {"path": "%s", "size": %d, "sha256": "%s", ' if plain else '  {"path": %s, "size": %d, "sha256": %s, '
        # the entries hold every reason: no id is reused while this runs
        formats = {key: head + _reason_json(r).replace("%", "%%")
                   for key, r in {id(e[3]): e[3] for e in entries}.items()}
        if plain:
            return [formats[id(r)] % (path, size, sha) for path, size, sha, r in entries]
        return [formats[id(r)] % (enc(path), size, enc(sha)) for path, size, sha, r in entries]


def _span(entries: list[Entry], prefix: str) -> tuple[int, int]:
    """The positions of the entries (sorted by path) whose path starts with prefix: entries[lo:hi]."""
    lo = bisect_left(entries, prefix, key=itemgetter(0))
    return lo, bisect_left(entries, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo, key=itemgetter(0))


def _merged(paths: list[str], lines: list[str], few_paths: list[str], few_lines: list[str]) -> list[str]:
    """The lines of two sorted runs of distinct paths in path order: a folder's many, and a few entries' (by bisect)."""
    if not few_paths:
        return lines
    out: list[str] = []
    at = 0
    for p, one in zip(few_paths, few_lines, strict=True):
        j = bisect_left(paths, p, at)
        out += lines[at:j]
        out.append(one)
        at = j
    out += lines[at:]
    return out


def _joined(lines: list[str]) -> bytes:
    """",\n".join(lines).encode("utf-8"), without making one string of them all where some are not ASCII: one
    attachment's reason (document ids joined by "、") made the 5.6 MB of a 10,000-document site's lines a string of
    two bytes per character, joined and then encoded character by character (40 ms; runs of ASCII lines joined and
    encoded apart: 3 ms)."""
    if all(map(str.isascii, lines)):
        return ",\n".join(lines).encode("utf-8")
    return b",\n".join(",\n".join(run).encode("utf-8") for _ascii, run in groupby(lines, key=str.isascii))


class Reasons:
    """Reasons known before the tree is walked: exact paths, and folder prefixes (the search index)."""

    def __init__(self) -> None:
        self.exact: dict[str, Reason] = {}
        self.prefixes: list[tuple[str, Reason]] = []

    def add(self, path: str, reason: Reason) -> None:
        """Later reasons for the same path win: the output file is the one written last (sitemap.xml)."""
        self.exact[path] = reason

    def add_folder(self, folder: str, reason: Reason) -> None:
        self.prefixes.append((folder.rstrip("/") + "/", reason))

    def reason(self, path: str) -> Reason:
        found = self.exact.get(path)
        if found is not None:
            return found
        return self.prefixed(path)

    def prefixed(self, path: str) -> Reason:
        """The reason of the first folder holding path (UNKNOWN if none), whatever the exact reasons say."""
        for prefix, reason in self.prefixes:
            if path.startswith(prefix):
                return reason
        return UNKNOWN

    def of_folder(self, prefix: str) -> Reason | None:
        """The reason of every path under prefix (a folder, ending in "/"), None when they may have different ones
        (an exact reason for one of them, or the reason of a folder inside it)."""
        if any(map(methodcaller("startswith", prefix), self.exact)):
            return None
        for folder, reason in self.prefixes:
            if prefix.startswith(folder):
                return reason
            if folder.startswith(prefix):
                return None
        return UNKNOWN


# --- what the build knows about its outputs -------------------------------------------------------------


@dataclass(frozen=True)
class Copied:
    """A file MkDocs copied or rendered from a folder: dest (site path) and where from.

    origin: "content" for the bureau's content/ folder, else the theme folder's label ("overrides", "gongkai",
    "material"); src: the path inside that folder. reason: set by whoever decided to publish the file (e.g. the
    rule that a content file is published because a page links it) to override the reason worked out here.
    """

    dest: str
    src: str
    origin: str
    reason: Reason | None = None


def site_reasons(cat: Catalogue, plans: Iterable[Any], copied: Iterable[Copied], old_pages: Iterable[Any] = (),
                 documents: bool = True) -> Reasons:
    """Every reason the core can give for a gongkai site: generated pages (`plans`, gongkai.build.pages.PagePlan),
    files copied by MkDocs (`copied`, passed by the plugin), document pages, attachments, sitemap, exports, feeds,
    posters, the search index and old-URL pages (`old_pages`, gongkai.load.urlrecord.OldPage as written).
    documents False: not the document pages' (listed by their kept lines: gongkai/build/doclines.py)."""
    from gongkai.build import catalogue_export, exports, posters  # not at import time: gongkai publish needs none of the writers
    from gongkai.build.search import OUTPUT as SEARCH_OUTPUT
    from gongkai.typeset import SIZES

    r = Reasons()
    public = cat.published_documents
    attached: dict[str, list[str]] = {}
    for doc in filter(attrgetter("attachments"), public):  # (most documents have none: not looked at again)
        for att in doc.attachments:
            attached.setdefault(att.path, []).append(doc.id)
    for c in copied:
        if c.reason is not None:
            r.add(c.dest, c.reason)
        elif c.origin == "content":
            ids = attached.get(c.src)
            if ids:
                r.add(c.dest, Reason("attachment", "、".join(sorted(set(ids))), f"content/{c.src}"))
            else:
                r.add(c.dest, Reason("content", "", f"content/{c.src}"))
        else:
            r.add(c.dest, Reason("theme", c.origin, c.src))
    for plan in plans:
        col = getattr(plan, "column", None)
        pp = getattr(plan, "meta", {}).get("paged")
        if pp is not None:  # a paged column's shell: not published, but its extra pages (and rows chunks) are
            for path in pp.output_paths():
                r.add(path, Reason("column", pp.column.path, "catalog/columns.yml"))
            continue
        if col is not None:
            source = "catalog/columns.yml"
            if col.kind == "page" and col.page:
                source = f"content/{col.page}"
            elif col.kind == "guide" and cat.guide is not None:
                source = cat.guide.source.file
            r.add(plan.href, Reason("column", col.path, source))
        elif plan.template == "package.html":
            r.add(plan.href, Reason("package", plan.href.split("/")[1], "catalog/packages.yml"))
        else:
            r.add(plan.href, Reason("page", plan.template.removesuffix(".html"), ""))
    # a reason per published document (10,000 and more, on every build): made (tuple.__new__, not the named tuple's
    # Python-level __new__) and added in C-level loops
    if documents:
        reasons = map(tuple.__new__, repeat(Reason),
                      zip(repeat("document"), map(attrgetter("id"), public), map(attrgetter("source.file"), public)))
        r.exact.update(zip(map(attrgetter("href"), public), reasons, strict=True))
    r.add("sitemap.xml", Reason("sitemap"))
    r.add("sitemap.xml.gz", Reason("sitemap"))
    r.add(exports.JSON_PATH, Reason("export", "json"))
    r.add(exports.CSV_PATH, Reason("export", "csv"))
    r.add(catalogue_export.CSV_PATH, Reason("export", "catalogue-csv", "catalog/columns.yml"))
    r.add(catalogue_export.XLSX_PATH, Reason("export", "catalogue-xlsx", "catalog/columns.yml"))
    r.add(exports.REPORTS_JSON, Reason("export", "reports-json", "content/reports/"))
    r.add(exports.REPORTS_CSV, Reason("export", "reports-csv", "content/reports/"))
    r.add(exports.SITE_FEED, Reason("feed", ""))
    for col in exports.feed_columns(cat):
        r.add(exports.column_feed_path(col), Reason("feed", col.path, "catalog/columns.yml"))
    for old, col in exports.feed_aliases(cat).items():
        r.add(old, Reason("feed-alias", col.path, "catalog/urls.lock.yml"))
    for paper in SIZES:
        for pkg in cat.packages:
            r.add(f"{posters.POSTER_DIR}/{posters.poster_name(pkg, paper)}", Reason("poster", pkg.id, "catalog/packages.yml"))
        r.add(f"{posters.POSTER_DIR}/{posters.COMBINED}-{paper}.pdf", Reason("poster", posters.COMBINED, "catalog/packages.yml"))
    from gongkai.build.application_forms import form_files

    for kind, fmt, rel in form_files(cat):
        r.add(rel, Reason("application-form", f"{kind.key}-{fmt.lower()}", "catalog/site.yml"))
    r.add_folder(SEARCH_OUTPUT, SEARCH)
    from gongkai.build.lists import output_paths as list_outputs

    for path, list_id in list_outputs(cat):  # the published lists as CSV, JSON and the rows for lists.js
        r.add(path, Reason("export", f"list:{list_id}", "catalog/lists.yml"))
    for page in old_pages:
        if page.target is not None:
            r.add(page.url, Reason("redirect", page.target.path, "catalog/urls.lock.yml"))
        else:
            r.add(page.url, Reason("withdrawn-column", page.name, "catalog/urls.lock.yml"))
    return r


def document_address_reason(href: str, kind: str, cat: Catalogue) -> Reason:
    """Why a page stands at an old document address (kind: build/withdrawn.py's WITHDRAWAL, REMOVED, REDIRECT)."""
    doc_id = href.removeprefix("documents/").removesuffix(".html")
    if kind == "withdrawal":
        return Reason("withdrawal", doc_id, "catalog/withdrawals.yml")
    gone = next((g for g in cat.gone if g.href == href), None)
    if kind == "redirect" and gone is not None and gone.target is not None:
        return Reason("redirect", gone.target.id, "catalog/urls.lock.yml")
    return Reason("removed-document", doc_id, "catalog/urls.lock.yml")


# --- building, reading, checking ------------------------------------------------------------------------


def hash_file(path: str | os.PathLike) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file, read in blocks."""
    return hash_file_stat(path)[:2]


def hash_file_stat(path: str | os.PathLike) -> tuple[int, str, os.stat_result]:
    """hash_file(), with the stat of the very file read (fstat of the open file after reading it): what a record of
    its hash may be keyed by. A stat taken earlier by path may be another file's, if one was renamed over it since."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
            size += len(block)
        st = os.fstat(fh.fileno())
    return size, h.hexdigest(), st


def walk(site_dir: Path) -> Iterator[tuple[str, str, os.stat_result]]:
    """(site path, file system path, lstat) of everything that is not a folder, in no particular order."""
    for dirpath, dirs, names in os.walk(site_dir):
        rel = os.path.relpath(dirpath, site_dir).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for d in list(dirs):
            full = os.path.join(dirpath, d)
            if os.path.islink(full):  # a linked folder is an entry, never followed
                dirs.remove(d)
                yield prefix + d, full, os.lstat(full)
        for name in names:
            full = os.path.join(dirpath, name)
            yield prefix + name, full, os.lstat(full)


def build(site_dir: Path, reasons: Reasons, meta: dict[str, Any] | None = None,
          known: dict[str, tuple[int, str]] | None = None, hashes: HashRecord | None = None,
          claimed: dict[str, tuple[int, str] | os.stat_result] | None = None, claimed_dir: Path | None = None,
          stamp: Callable[[], int] | None = None, kept: KeptFolder | None = None,
          pages: DocLines | None = None) -> Manifest:
    """Walk site_dir and list every file with its size, SHA-256 and reason.

    known: (size, sha256) of files whose hash the build already has (document pages it just wrote or verified
    in the cache); used only when the size matches. hashes: the SHA-256 an earlier build recorded of files by
    their stat data (gongkai/statcheck.py; most output files are hard links of the same files build after build),
    used where the stat data vouches for the file, and told of every file hashed here. A symbolic link or special
    file in the output is listed with kind "unknown" so that nothing in the folder goes unaccounted.

    claimed: files of the recycled previous tree (claimed_dir) that the site will hold besides those in site_dir
    (gongkai/build/staging.py: Recycled), with their (size, SHA-256) or their stat; a file in site_dir wins.

    stamp: takes a fresh statcheck.clock stamp. The files hashed here are recorded with one taken just before the
    first of them is read, not with the build's (taken when it began): every file the build wrote before the manifest
    step is then older than the stamp, and the next build trusts it by its stat instead of reading it again — after a
    cold build of 100,000 documents, the 1.2 GB of the search index and the rest of the site (racy-git's rule asks
    only that the stamp be older than the reading; a file written in the stamp's own tick is read again next time).

    kept: a folder whose lines the step that wrote it keeps (KeptFolder), used for it instead of entries when the
    site holds exactly its files: those it placed in site_dir (the same device, inode, size and time), the rest
    claimed, nothing else there,
    and one reason for all of them, the one its lines were made with. Otherwise its files are listed like the others.

    pages: the document pages with their kept lines (gongkai/build/doclines.py; their reasons are not in `reasons`),
    settled here to this build's (size, SHA-256) of each (claimed, or in site_dir) and used when the site holds every
    one of them, none of their paths has a reason of another kind and every file under their folder that is not
    one of them has a reason; else the manifest returned is short of them (its `folders` lacks `pages`: the caller
    builds it again without them, their reasons in `reasons`).
    """
    known = known or {}
    at: list[int] = []  # the stamp, once a file is to be read

    def read(path: str | os.PathLike, st: os.stat_result) -> tuple[int, str]:
        """The file's (size, SHA-256), recorded in hashes by the stat of the file read — only when that is the file
        listed with stat st (same device, inode, size and time): a file renamed over it in between (the kept tree
        is checked for that only later) must not have its hash recorded under the listed file's stat."""
        if stamp is not None and not at and hashes is not None and hashes.clock is not None:
            at.append(stamp())
        size, digest, fst = hash_file_stat(path)
        if (hashes is not None and size == fst.st_size
                and signature(fst, ctime=False) == signature(st, ctime=False)):
            hashes.put(fst, digest, at=at[0] if at else None)
        return size, digest
    def listed(rel: str, full: str, st: os.stat_result) -> Entry:
        """A file of site_dir."""
        if not stat.S_ISREG(st.st_mode):
            return Entry(rel, st.st_size, "", UNKNOWN)
        k = known.get(rel)
        if k is not None and k[0] == st.st_size:
            size, digest = k
        elif hashes is not None and (recorded := hashes.get(st)) is not None:
            size, digest = st.st_size, recorded
        else:
            size, digest = read(full, st)
        return Entry(rel, size, digest, reasons.reason(rel))

    stat_result, recorded_hash = os.stat_result, hashes.get if hashes is not None else None

    def kept_file(rel: str, value: tuple[int, str] | os.stat_result) -> tuple[int, str]:
        """(size, SHA-256) of a file claimed from the recycled tree."""
        if not isinstance(value, stat_result):  # (stat_result is a tuple too)
            return value
        if recorded_hash is not None and (recorded := recorded_hash(value)) is not None:
            return value.st_size, recorded
        assert claimed_dir is not None
        return read(claimed_dir / rel, value)

    entries: list[Entry] = []
    seen: set[str] = set()
    inside = kept.prefix if kept is not None else None
    staged_in: list[tuple[str, str, os.stat_result]] = []  # the kept folder's files in site_dir, and claimed
    claimed_in: list[tuple[str, tuple[int, str] | os.stat_result]] = []
    paged = pages.prefix if pages is not None else None
    staged_pages: list[tuple[int, str, str, os.stat_result]] = []  # (position among pages.paths, the walk's three)
    for rel, full, st in walk(site_dir):
        seen.add(rel)
        if inside is not None and rel.startswith(inside):
            staged_in.append((rel, full, st))
        elif paged is not None and rel.startswith(paged) and (i := pages.find(rel)) >= 0:  # type: ignore[union-attr]
            staged_pages.append((i, rel, full, st))
        else:
            entries.append(listed(rel, full, st))
    # (tens of thousands of files: names bound once; an Entry made by tuple.__new__, not its Python-level __new__;
    # the exact reason looked up here, the folders' only when there is none)
    exact, prefixed, add, new = reasons.exact.get, reasons.prefixed, entries.append, tuple.__new__
    presumed = 0  # claimed files under the pages' folder with no reason: the pages' (counted against them below)
    for rel, value in (claimed or {}).items():
        if rel in seen:
            continue
        if inside is not None and rel.startswith(inside):
            claimed_in.append((rel, value))
            continue
        reason = exact(rel)
        if reason is None and paged is not None and rel.startswith(paged):
            presumed += 1
            continue
        if not isinstance(value, stat_result):
            size, digest = value
        elif recorded_hash is not None and (recorded := recorded_hash(value)) is not None:
            size, digest = value.st_size, recorded
        else:  # (kept_file's last case: its first two are written out above for the tens of thousands of claims)
            assert claimed_dir is not None
            size, digest = read(claimed_dir / rel, value)
        add(new(Entry, (rel, size, digest, reason or prefixed(rel))))
    folders: list[KeptFolder | DocLines] = []
    if kept is not None:
        placed, cut = kept.placed, len(kept.prefix)
        if (len(staged_in) == len(placed) and len(staged_in) + len(claimed_in) == len(kept.paths)
                and reasons.of_folder(kept.prefix) == kept.reason
                and all(stat.S_ISREG(st.st_mode) and placed.get(rel[cut:]) == signature(st, ctime=False)
                        for rel, _f, st in staged_in)):
            # every file the folder's step put there is there (a file someone else wrote at one of its paths has
            # another inode), and as many others were claimed as the rest of its files: each claim under the
            # folder is of one of its files (the recycled tree's inode at that path, which the step claimed)
            folders.append(kept)
        else:
            entries += [listed(*one) for one in staged_in]
            entries += [Entry(rel, *kept_file(rel, value), reasons.reason(rel)) for rel, value in claimed_in]
    entries.sort(key=itemgetter(0))  # by path
    if pages is not None and _pages_held(pages, claimed, staged_pages, presumed, reasons, listed, kept_file, entries):
        folders.append(pages)
    return Manifest(entries, dict(meta or {}), folders)


def _pages_held(pages: DocLines, claimed: dict[str, Any] | None, staged: list[tuple[int, str, str, os.stat_result]],
                presumed: int, reasons: Reasons, listed: Callable[[str, str, os.stat_result], Entry],
                digest: Callable[[str, Any], tuple[int, str]], entries: list[Entry]) -> bool:
    """Whether the site holds exactly the document pages `pages` lists, under their folder, and nothing else there
    without a reason (build's `pages`); then their values are settled (DocLines.settle).

    Each page is claimed at its path, or written in site_dir (`staged`: (position, path, file, stat), which wins
    over a claim of the same path); `presumed` files were claimed under the folder with no reason: as many as the
    pages claimed (and not staged) only when those are all pages: a page's path claimed with a reason of another
    kind is listed among `entries` (sorted), so none of the few entries under the folder may be at a page's path
    (else, with as many other files claimed there without a reason, the counts would agree: that path listed twice,
    the other file left out). Looked up at C level for the claimed pages: one dict lookup each."""
    lo, hi = _span(entries, pages.prefix)
    if any(pages.find(e[0]) >= 0 for e in entries[lo:hi]):  # (notices at old addresses: a handful)
        return False
    now: list[Any] = list(map(claimed.get, pages.paths)) if claimed else [None] * len(pages.paths)
    held = len(now) - now.count(None)
    exact = reasons.exact
    for i, rel, full, st in staged:
        if claimed is not None and rel in claimed:
            held -= 1
        if rel in exact or not stat.S_ISREG(st.st_mode):
            return False
        entry = listed(rel, full, st)
        now[i] = (entry.size, entry.sha256)
    if held != presumed or None in now:
        return False
    pages.settle(now, digest)
    return True


def site_meta(cat: Catalogue, source: SourceState | None = None) -> dict[str, Any]:
    """The manifest's header: which site, built for which day, from which commit (source: started by the build when
    it began, else asked now)."""
    return {"site": {"name": cat.site.name, "url": cat.site.site_url}, "build_date": cat.build_date.isoformat(),
            "source": (source or SourceState(cat.root_dir)).result()}


def source_state(root: Path) -> dict[str, Any]:
    """The git commit checked out in root and whether the site's inputs differ from it (None outside git)."""
    return SourceState(root).result()


class SourceState:
    """source_state(root), with git running in the background from the moment this is made until `result`.

    `git status` stats every input file against git's index (0.1 s at 10,000 documents in a repository, more at
    100,000, on every build): started when the build begins, it runs on the other core while the site is built
    instead of after it."""

    def __init__(self, root: Path):
        self.root = root
        inputs = [p for p in ("catalog", "content", "overrides", "mkdocs.yml") if (root / p).exists()]
        self._head = self._start("rev-parse", "--verify", "-q", "HEAD")
        self._status = self._start("status", "--porcelain", "--", *inputs) if self._head is not None else None
        self._result: dict[str, Any] | None = None

    def _start(self, *args: str) -> subprocess.Popen[str] | None:
        try:
            return subprocess.Popen(["git", *args], cwd=self.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True)
        except (OSError, subprocess.SubprocessError):
            return None

    @staticmethod
    def _finish(proc: subprocess.Popen[str] | None) -> tuple[int, str] | None:
        if proc is None:
            return None
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.returncode, out

    def result(self) -> dict[str, Any]:
        """{"commit": …, "uncommitted": …} (waits for git; the same answer when asked again)."""
        if self._result is None:
            head, status = self._finish(self._head), self._finish(self._status)
            if head is None or head[0] != 0 or not head[1].strip():
                self._result = {"commit": None, "uncommitted": None}
            else:
                changed = None if status is None or status[0] != 0 else bool(status[1].strip())
                self._result = {"commit": head[1].strip(), "uncommitted": changed}
        return dict(self._result)


def write(manifest: Manifest, path: Path) -> None:
    """Write the manifest to path (the caller renames it into place)."""
    with open(path, "wb") as fh:
        fh.write(manifest.to_bytes())


def load(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: 找不到输出清单。请先运行 gongkai build 生成网站（清单随网站一起生成）") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: 输出清单无法读取（{exc}）。请重新运行 gongkai build") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), list):
        raise ManifestError(f"{path}: 不是 gongkai 输出清单（format 应为 {FORMAT}）。请重新运行 gongkai build")
    try:
        entries = [Entry(str(e["path"]), int(e["size"]), str(e["sha256"]),
                         Reason(str(e["kind"]), str(e.get("ref", "")), str(e.get("source", "")))) for e in data["entries"]]
    except (KeyError, TypeError, ValueError):
        raise ManifestError(f"{path}: 输出清单的条目不完整。请重新运行 gongkai build") from None
    meta = {k: v for k, v in data.items() if k not in ("format", "files", "bytes", "entries")}
    return Manifest(sorted(entries, key=lambda e: e.path), meta)


def check_tree(manifest: Manifest, site_dir: Path, limit: int = 20) -> list[str]:
    """Differences between the manifest and the files in site_dir, in Chinese (empty: they match exactly).

    Every file is read and hashed; a folder that holds more or fewer files, or a file whose size or hash
    differs, is reported (at most `limit` lines of each kind, then a count)."""
    expected = manifest.by_path()
    problems: dict[str, list[str]] = {"missing": [], "extra": [], "changed": [], "odd": []}
    seen: set[str] = set()
    if not site_dir.is_dir():
        return [f"{site_dir}: 文件夹不存在"]
    for rel, full, st in walk(site_dir):
        seen.add(rel)
        entry = expected.get(rel)
        if entry is None:
            problems["extra"].append(rel)
        elif not stat.S_ISREG(st.st_mode):
            problems["odd"].append(rel)
        else:
            size, digest = hash_file(full)
            if size != entry.size or digest != entry.sha256:
                problems["changed"].append(rel)
    problems["missing"] = [p for p in expected if p not in seen]
    labels = {"missing": "清单中有、文件夹中没有", "extra": "文件夹中有、清单中没有", "changed": "内容与清单不符",
              "odd": "不是普通文件（链接或特殊文件）"}
    out: list[str] = []
    for kind, paths in problems.items():
        for p in sorted(paths)[:limit]:
            out.append(f"{labels[kind]}：{p}")
        if len(paths) > limit:
            out.append(f"……另有 {len(paths) - limit} 个文件{labels[kind]}")
    return out


@dataclass
class Changes:
    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def diff(old: Manifest | None, new: Manifest) -> Changes:
    """Files added, changed (other hash) and removed from old to new, each sorted."""
    before = old.by_path() if old is not None else {}
    after = new.by_path()
    return Changes(sorted(p for p in after if p not in before),
                   sorted(p for p, e in after.items() if p in before and before[p].sha256 != e.sha256),
                   sorted(p for p in before if p not in after))
