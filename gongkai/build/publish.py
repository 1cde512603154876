"""Writing the output: document pages from the shell (the sitemap: build/sitemap.py; the switch into site/:
gongkai/build/staging.py)."""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import multiprocessing as mp
import os
import posixpath
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter, is_, methodcaller, not_
from pathlib import Path
from typing import Any

from gongkai.build.arena import in_own_arena
from gongkai.build.cache import BuildCache, no_gc, page_key
from gongkai.build.compact import compact_frame
from gongkai.build.meta import document_head
from gongkai.build.pages import CONTENT_MARK, HEAD_MARK, NOH1_MARK, TITLE_MARK, SitePlan
from gongkai.build.readahead import read_ahead, unread_sources
from gongkai.fsutil import naming
from gongkai.links import Target, relative_path
from gongkai.model import Changes, Document


def shell_problems(shell: str) -> list[str]:
    """What the Material-rendered shell lacks that every document page needs (a bureau's main.html that does not
    extend gongkai.html, a header without the page title …): filling such a shell would give wrong pages."""
    wanted = {TITLE_MARK: "页面标题（header 与 <title>）", HEAD_MARK: "页头元数据标记（<!--GK:HEAD-->）",
              CONTENT_MARK + NOH1_MARK: "正文标记（<!--GK:CONTENT-->）"}
    return [label for mark, label in wanted.items() if mark not in shell]


def fill_shell(shell: str, title: str, content: str, head: str = "") -> str:
    """One document page: the Material-rendered shell with this document's title, head tags and body."""
    out = shell.replace(TITLE_MARK, html.escape(title, quote=True))
    return out.replace(HEAD_MARK, head, 1).replace(CONTENT_MARK + NOH1_MARK, content, 1)


# Below this many pages to render, worker processes cost more than they save.
PARALLEL_MIN_PAGES = 200


@dataclass
class _Job:
    """One write_documents call, inherited by forked workers (nothing is pickled but indices and keys)."""

    plan: SitePlan
    shell: str
    site: Path
    docs: list[Document]
    cache: BuildCache | None
    keys: list[str]  # each page's cache key ("" without a cache)


_JOB: _Job | None = None


def _link_chunk(indices: list[int]) -> tuple[list[tuple[int, bool]], list[tuple[Any, ...]]]:
    """The pages found in the cache, linked into the site, in a worker process: those whose cached file is read and
    hashed to be trusted (BuildCache.needs_hashing; the first rebuild after they were written). Also those
    verifications and the claims of the recycled tree (BuildCache.rehashed: a worker's index is not the main one's)."""
    job = _JOB
    assert job is not None and job.cache is not None
    site = os.fspath(job.site)
    before = len(job.cache.rehashed)
    out = [(i, job.cache.link(job.keys[i], f"{site}/{job.docs[i].href}")) for i in indices]
    return out, job.cache.rehashed[before:]


AHEAD = 64  # pages whose source files the kernel is asked to read ahead at a time (see _render_chunk)


def _render_chunk(items: list[int]) -> list[tuple[int, int, str]]:
    """Render and write pages; with a cache, into the cache first and linked from there.
    Returns (index, size, SHA-256) of each page, for the cache index and the output manifest.

    In a thread of its own (arena.py): its allocations then come from a heap of their own, not from the loaded
    model's, whose free chunks made every medium allocation slower the larger the site (the C allocator took
    14 % of a page's CPU at 10,000 documents, 36 % at 100,000)."""
    return in_own_arena(functools.partial(_render_pages, items))


def _render_pages(items: list[int]) -> list[tuple[int, int, str]]:
    job = _JOB
    assert job is not None
    out_items = []
    for n, i in enumerate(items):
        if n % AHEAD == 0:  # the files of the pages after the next AHEAD read meanwhile, in parallel (readahead.py)
            read_ahead(unread_sources(job.docs[j] for j in items[n + AHEAD if n else 0:n + 2 * AHEAD]))
        key = job.keys[i]
        doc = job.docs[i]
        context = job.plan.document_context(doc)
        head = document_head(job.plan.cat.site, doc)
        data = fill_shell(job.shell, doc.title, job.plan.document_html(doc, context), head).encode("utf-8")
        out = job.site / doc.href
        if job.cache is not None and job.cache.enabled:
            job.cache.keep(key, data, out)
        else:
            with naming(out):
                out.write_bytes(data)
        out_items.append((i, len(data), hashlib.sha256(data).hexdigest()))
    return out_items


def worker_count(pages: int) -> int:
    """Processes rendering, this one included (it forks one fewer): GONGKAI_WORKERS, else one per available
    core; 1 for small jobs."""
    if threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        return 1  # forking a process with other threads (mkdocs serve) is unsafe
    env = os.environ.get("GONGKAI_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return min(int(env), max(1, pages))
    if pages < PARALLEL_MIN_PAGES:
        return 1
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        n = os.cpu_count() or 1
    return max(1, min(n, pages // 50))


def _chunks(items: list, workers: int, most: int = 200) -> list[list]:
    size = max(1, min(most, len(items) // (workers * 8)))
    return [items[k:k + size] for k in range(0, len(items), size)]


def _shared(pool, helpers: int, fn: Callable[[list], object], chunks: Iterable[list]) -> Iterator:
    """fn of every chunk, in any order: the pool's processes and this one share the chunks. Each pool process is
    kept two chunks ahead; whenever it is, this process does the next chunk itself.

    So N cores take N - 1 forked processes, not N while this one waits: a forked process copies every page of the
    model whose objects it touches (their reference counts change), so each one costs about a third of the model's
    memory again (measured: 2 workers 180 MB beside a 330 MB model at 10,000 documents)."""
    if pool is None:
        for chunk in chunks:
            yield fn(chunk)
        return
    pending: deque = deque()
    for chunk in chunks:
        while pending and pending[0].ready():
            yield pending.popleft().get()
        if len(pending) < 2 * helpers:
            pending.append(pool.apply_async(fn, (chunk,)))
        else:
            yield fn(chunk)
    while pending:
        yield pending.popleft().get()


SOURCE_FILE = attrgetter("source.file")
KEYS_STATE = "page-keys"  # BuildCache.state: (load token, salt, {source file: page key}) of the last build


def document_keys(plan: SitePlan, salt: str, docs: list[Document], cache: BuildCache) -> tuple[list[str], int]:
    """The cache key of each document's page, and how many were made afresh.

    Making a key means making the page's whole template context and fingerprinting it (about 0.1 ms a page: a
    second at 10,000 documents). A rebuild after editing one document need not: it takes the key the last finished
    build made of every page the change cannot reach. Only when all of this holds (anything else: every key is
    made afresh, as a cold build would):

    - the load says what changed since the previous load (`cat.changes`), and that previous load is the very one
      the kept keys were made from (its token; a killed or failed build since then, or no snapshot: not trusted);
    - nothing but documents changed (`only_documents`): no column, site.yml, template, page, attachment or other
      input, and the same build date (the validity every page shows is of that date) — these two: Changes.keeps;
    - the salt is the same: gongkai's code, the shell MkDocs rendered around every page, the bureau's templates,
      site.yml and the Markdown engine;
    - and the page's document is not touched by the change (`touched`): itself, the 解读 and 替代 it shows, the
      documents its body (or a 解读's picture on it) links to.

    The keys of this build are then kept for the next one (BuildCache.keep_state: written only when the build
    finishes), with this load's token."""
    changes = plan.cat.changes
    kept = cache.state(KEYS_STATE)
    known: dict[str, str] = kept[2] if trusted(kept, changes, salt) else {}
    dirty = touched(changes, docs, plan.affected_documents) if known else frozenset()
    memo: dict[int, object] = {}  # fingerprints of shared documents and columns, for this build
    context = plan.document_context
    files = list(map(SOURCE_FILE, docs))  # (read once: the keys and the kept keys both need them)
    # the kept key of each page (None: none kept), then made afresh where there is none or the change reaches it
    # (lists walked by map and compress, not a Python loop: 100,000 pages on every rebuild at 100,000 documents)
    keys: list[Any] = list(map(known.get, files))
    afresh: Iterable[int] = compress(range(len(keys)), map(is_, keys, repeat(None)))
    if dirty:
        afresh = sorted({*afresh, *compress(range(len(files)), map(dirty.__contains__, files))})
    keyed = 0
    for i in afresh:
        doc = docs[i]
        keys[i] = page_key(salt, doc, context(doc), memo)
        keyed += 1
    if changes.token:
        cache.keep_state(KEYS_STATE, (changes.token, salt, dict(zip(files, keys, strict=True))))
    return keys, keyed


def trusted(kept: tuple[str, str, dict[str, str]] | None, changes: Changes, salt: str) -> bool:
    """Whether the kept keys (load token, salt, keys) hold for every page the change does not reach: made from the
    very load this one's changes are relative to and nothing but documents changed since (Changes.keeps), with the
    same salt."""
    return kept is not None and changes.keeps(kept[0]) and kept[1] == salt


def touched(changes: Changes, docs: list[Document],
            affected: Callable[[Changes], list[Document]] | None = None) -> frozenset[str]:
    """The source files of the documents whose pages may show something that changed, given that nothing but
    documents did: the document itself or one its page shows (changes.affected: the 解读 it has or interprets,
    what it replaces or is replaced by), a document that a relative link of its body leads to (its page's address,
    or the reason it has none), or one linked by the body of a 解读 whose picture it shows (PageSite.media_of).

    A link leads to a document's Markdown file only when its path ends with that file's name (links.LinkMap.resolve
    joins it to a folder and normalises it: the last part stays); a path ending in a folder (`..`, `.`) counts as
    leading to any. One pass over the documents, a few attribute reads each: most documents have no relation and
    no link.

    affected: SitePlan.affected_documents, when docs are the published documents: those `changes.affected` says
    may differ, found from the changed documents along their relations instead of asking every document."""
    files = changes.documents
    names = frozenset(posixpath.basename(f) for f in (*files, *changes.removed))
    if not names and not changes.removed_ids:
        return frozenset()
    # the changed documents, and those whose relations the change reaches
    out = reached(changes, docs, affected)
    if names:
        # (every published document on every rebuild: the usual one has no link)
        linking = [doc for doc, targets in zip(docs, map(LINK_TARGETS, docs), strict=True)
                   if targets and _links_to(targets, names)]
        out.update(doc.source.file for doc in linking)
        # a public 解读 with a form is a published document, so among docs: its picture shows its body's links
        shown = {id(d) for d in linking if d.is_public and d.form}
        if shown:
            out.update(doc.source.file for doc in docs
                       if doc.interpretations and any(id(d) in shown for d in doc.interpretations))
    return frozenset(out)


def reached(changes: Changes, docs: list[Document], affected: Callable[[Changes], list[Document]] | None) -> set[str]:
    """changes.reached(docs), docs being the published documents: with `affected` (SitePlan.affected_documents) from
    the changed documents and their relations, not by a pass over every document (tests/build/test_pages_affected.py
    holds the two equal)."""
    if affected is None or not changes.known:
        return changes.reached(docs)
    out = set(changes.documents)
    out.update(map(SOURCE_FILE, affected(changes)))
    return out


LINK_TARGETS = methodcaller("link_target_tuple")


def _links_to(targets: Iterable[Target], names: frozenset[str]) -> bool:
    """Whether one of a body's relative link targets may lead to a document file with one of these names."""
    for t in targets:
        text = t.text
        if "%" not in text and "." not in text[-3:]:
            for n in names:
                if n in text:
                    break
            else:
                continue  # (a quick no: neither the name nor a path ending in a folder)
        split = relative_path(text)
        if split is None:
            continue  # leads to no file of content/ (links.LinkMap.resolve)
        name = posixpath.basename(posixpath.normpath(split[0]))
        if name in names or name in ("", ".", ".."):
            return True
    return False


def write_documents(plan: SitePlan, shell: str, site: Path, cache: BuildCache | None = None,
                    digests: dict[str, tuple[int, str]] | None = None) -> dict[str, int]:
    """Every published document's page: the shell filled with its head tags and body.

    A page whose inputs are unchanged since an earlier build comes from the cache; the others are rendered. The
    keys are made in this process (tens of microseconds a page) and the cached pages linked, or claimed in the
    recycled previous tree, in one pass; worker processes (forked: they inherit the plan) only where there is
    much to do — many pages to render, or many cached pages to read and hash before they can be trusted (the
    first rebuild after a cold build). A rebuild that renders a page or two forks nothing: a forked process
    copies every page of the model it touches. The bytes written never depend on the cache or the workers.
    Returns counts: pages, rendered, cached, keyed (keys made afresh: see document_keys).
    digests: filled with each page's site path -> (size, SHA-256), which the output manifest then need not
    compute again (a cached page's are those `BuildCache.lookup` just verified).
    """
    global _JOB
    shell = compact_frame(shell)  # the frame without Material's indentation: ~4 KB less on every page
    docs = plan.cat.published_documents
    use_cache = cache is not None and cache.enabled
    keys = [""] * len(docs)
    keyed = 0
    if use_cache:
        assert cache is not None
        # digested once: the shell alone is tens of KB, and every page's key starts with the salt
        salt = cache.key("page", plan.template_inputs(), shell)
        with no_gc():  # (a few objects per page that all live on to the end of the step)
            keys, keyed = document_keys(plan, salt, docs, cache)
    hrefs = [d.href for d in docs]  # (a property: made once here, not once per use below)
    if not use_cache:  # with a cache, a folder is made only when a page is placed in it (cache.place)
        for parent in sorted({posixpath.dirname(h) for h in hrefs}):
            (site / parent).mkdir(parents=True, exist_ok=True)
    _JOB = _Job(plan, shell, site, docs, cache, keys)
    linked: list[tuple[int, str] | None] | None = None  # link_many's result when it took every page
    pool = None
    finished = False
    try:
        todo: list[int] = list(range(len(docs)))
        if use_cache:
            assert cache is not None
            hashing = cache.hashing(keys)
            workers = worker_count(len(hashing))
            hit: list[Any] = [False] * len(docs)
            if workers > 1:  # their files read and hashed on every core
                pool = mp.get_context("fork").Pool(workers - 1)
                for part, rehashed in _shared(pool, workers - 1, _link_chunk, _chunks(hashing, workers)):
                    for item in rehashed:
                        cache.verified(*item)
                    for i, found in part:
                        hit[i] = found
                here = sorted(set(todo) - set(hashing))
            else:
                here = todo
            site_str = os.fspath(site) + "/"
            with no_gc():
                if len(here) == len(docs):  # (every page: the pairs zipped in C, no index per page)
                    linked = hit = cache.link_many(site_str, list(zip(keys, hrefs, strict=True)))
                else:
                    for i, found in zip(here, cache.link_many(site_str, [(keys[i], hrefs[i]) for i in here]),
                                        strict=True):
                        hit[i] = found is not None
                todo = list(compress(range(len(hit)), map(not_, hit)))
                cache.use_all(keys)
        rendered: dict[int, tuple[int, str]] = {}
        workers = worker_count(len(todo))
        if workers > 1 and pool is None:
            pool = mp.get_context("fork").Pool(workers - 1)
        parts = (_shared(pool, workers - 1, _render_chunk, _chunks(todo, workers)) if pool is not None and len(todo) > 1
                 else [_render_chunk(todo)])
        for done in parts:
            for i, size, sha in done:
                rendered[i] = (size, sha)
        finished = True
    finally:
        if pool is not None:
            if finished:
                pool.close()
            else:  # an error here: the chunks still queued are not wanted
                pool.terminate()
            pool.join()
        _JOB = None
    if use_cache:
        assert cache is not None
        for i in todo:
            cache.record(keys[i], cache.page_path(keys[i]), rendered[i][1])
    if digests is not None:
        with no_gc():
            if linked is not None:  # (size, SHA-256) of each page linked in one pass; None where rendered, below
                digests.update(zip(hrefs, linked, strict=True))  # type: ignore[arg-type]
            elif use_cache:
                assert cache is not None
                digests.update(zip(hrefs, cache.digests(keys), strict=True))  # (a rendered page's: recorded just above)
            for i, found in rendered.items():
                digests[hrefs[i]] = found
    return {"pages": len(docs), "rendered": len(todo), "cached": len(docs) - len(todo), "keyed": keyed}


def write_paged_columns(plan: SitePlan, site: Path, cache: BuildCache | None = None) -> dict[str, int]:
    """The extra pages of every paged column: a 政策文件 column's pages and rows chunks (gongkai/build/policies.py),
    a documents column's page-2.html … (gongkai/build/columnpages.py). Each column's shell, rendered by MkDocs into
    its folder, is filled and then removed.

    With a cache, a page whose inputs are unchanged since an earlier build (what it shows: its rows, the column,
    the 分类浏览, its head tags; the shell, the bureau's templates, site.yml) comes from the cache, and only the
    others are made: editing one document re-renders the few pages that list it, or none. The rows chunks are
    cached by their content. A column the change cannot reach takes its pages' keys from the last finished build
    (bodykeys.PagedKeys): its rows are neither pictured nor its pages keyed. Returns counts: pages, rendered, cached,
    kept (pages whose key was taken over)."""
    from gongkai.build.bodykeys import PagedKeys

    use_cache = cache is not None and cache.enabled
    counts = {"pages": 0, "rendered": 0, "cached": 0, "kept": 0}
    keys = PagedKeys(plan, cache) if use_cache and cache is not None else None
    for shell_plan in plan.shell_plans():
        shell_path = site / shell_plan.href
        shell = shell_path.read_text(encoding="utf-8")
        shell_path.unlink()
        shell = compact_frame(shell)
        missing = shell_problems(shell)
        if missing:  # the documents' shell, from the same templates, is checked first: not reached in practice
            raise ValueError(f"{shell_plan.href}: 错误: 主题模板缺少" + "、".join(missing) + "，栏目的分页无法生成")
        salt = cache.key("paged", plan.template_inputs(), shell) if use_cache and cache is not None else ""
        kept = keys.pages(shell_plan, salt) if keys is not None else None
        if kept is not None and cache is not None:  # the pages' keys of the last finished build (bodykeys.PagedKeys)
            lost: dict[str, str] = {}
            folders: dict[str, list[tuple[str, str]]] = {}  # (a column's pages are all in its folder)
            for href, key in kept:
                folders.setdefault(posixpath.dirname(href), []).append((key, posixpath.basename(href)))
            for parent, pairs in sorted(folders.items()):
                (site / parent).mkdir(parents=True, exist_ok=True)
                # (claimed or linked in one pass: 2,700 pages at 100,000 documents, on every rebuild)
                found = cache.link_many(f"{os.fspath(site)}/{parent}/", pairs)
                cache.use_all(key for (key, _), hit in zip(pairs, found, strict=True) if hit is not None)
                # (a cached file gone or changed: made again below, from the column's rows)
                lost.update((f"{parent}/{name}", key) for (key, name), hit in zip(pairs, found, strict=True) if hit is None)
            counts["pages"] += len(kept)
            counts["cached"] += len(kept) - len(lost)
            counts["kept"] += len(kept)
            for page in plan.subpage_list(shell_plan, shell) if lost else []:
                if page.href in lost:
                    cache.put_keyed(site / page.href, page.make, lost[page.href])
                    counts["rendered"] += 1
        made = []
        if kept is None:
            pages = plan.subpage_list(shell_plan, shell)
            for parent in sorted({posixpath.dirname(p.href) for p in pages}):
                (site / parent).mkdir(parents=True, exist_ok=True)
            for page in pages:
                counts["pages"] += 1
                out = site / page.href
                if keys is not None and cache is not None:
                    key = cache.key(salt, page.inputs)  # (what cache.put would make of salt and the inputs)
                    made.append((page.href, key))
                    hit = cache.put_keyed(out, page.make, key)
                else:
                    hit = False
                    with naming(out):
                        out.write_bytes(page.make())
                counts["cached" if hit else "rendered"] += 1
        paged = shell_plan.meta["paged"]
        if kept is not None and keys is not None and cache is not None:  # the rows chunks as then: not made again
            for rel, sha in keys.chunks(shell_plan):  # (unless the cache lost one)
                out = site / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                cache.put_keyed(out, functools.partial(_chunk, paged, rel), cache.key("rows-chunk", sha))
            continue
        chunks = []
        for rel, data in sorted(paged.files().items()):
            out = site / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            if use_cache and cache is not None:  # stored once; a rebuild keeps the file it already has
                sha = hashlib.sha256(data).hexdigest()
                chunks.append((rel, sha))
                cache.put(out, functools.partial(bytes, data), "rows-chunk", sha)
            else:
                with naming(out):
                    out.write_bytes(data)
        if keys is not None:
            keys.record(shell_plan, salt, tuple(made), tuple(chunks))
    if keys is not None:
        keys.keep()
    return counts


def _chunk(paged: Any, rel: str) -> bytes:
    """One rows chunk of a paged column (made again only when the cache lost the kept one)."""
    return paged.files()[rel]


def strict_warnings() -> int:
    """Warnings counted so far by `mkdocs build --strict` (its CountHandler on the 'mkdocs' logger)."""
    total = 0
    for handler in logging.getLogger("mkdocs").handlers:
        counts = getattr(handler, "counts", None)
        if isinstance(counts, dict):
            total += sum(n for level, n in counts.items() if isinstance(level, int) and level >= logging.WARNING)
    return total
