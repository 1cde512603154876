"""Finished pages of MkDocs' own page pipeline, reused when nothing that shapes them changed.

The home page, every column page, the 标准目录, package and list pages, the fixed pages and the shells of document
and paged-column pages go through MkDocs: gongkai renders each body (plugin.on_page_content), then Material renders
the frame around it (header, tabs, the whole navigation with this page's place in it, footer). The frame is most of
the cost — a 10,000-document site has ~400 such pages and the navigation alone is thousands of links per page — and
after editing one document almost none of these pages change.

So each finished page is kept in the build cache (gongkai/build/cache.py, pages/<key>.html, hard-linked into the
new site) under a key of everything that can change its bytes, and a page whose key is found is not handed to
Material at all. The body is in the key as the HTML gongkai just rendered (not as its inputs): a body is cheap next
to its frame, and keying on its output cannot miss an input that a template reaches for — except a body the build
cache keeps by its inputs (SitePlan.body_inputs: the listings), whose key stands for its bytes and is used instead.

What a page of MkDocs depends on, and where each is in the key (`Frame` once per build, `PageCache.key` per page):
  - gongkai's code, its templates and its theme folder (main.html, gongkai.html, partials/, assets/), the versions
    of Jinja2, Python …: `BuildCache.key` prefixes every key with `code_key()`.
  - MkDocs' and Material's templates and Python (they render the frame, say `mkdocs-1.6.1` in the generator tag):
    their versions, and those of Python-Markdown and pymdown-extensions (MkDocs runs the page's generated source
    through it).
  - The bureau's overrides/ (or theme.custom_dir) and any other theme folder outside those packages: the names and
    bytes of all their files (templates, partials, .icons/ used by `{% include %}`, CSS …).
  - Every resolved setting of mkdocs.yml after gongkai's on_config (site_name, site_url, theme features, palette,
    language, logo, favicon, extra — which holds site.yml as `gk_site` —, extra_css/javascript, copyright,
    repo_url, edit_uri, the nav …), so a change of mkdocs.yml, of site.yml or an !ENV value counts. Not site_dir
    (each build writes into its own staging folder; no template shows it) and not the plugin objects (their names
    and their settings instead).
  - The navigation: every section, page and link with its title and address, in order. Each page shows all of it
    (tabs, sidebar), marks its own path in it and links its neighbours: a column renamed, added, moved or removed
    changes every page's frame.
  - Every page MkDocs builds (address and title: the `pages` variable of the template context) and MkDocs' build
    time (`build_date_utc`), only when a file of a bureau's theme folder names them; Material's and gongkai's
    templates use neither (tests/mkdocs/test_pagecache.py checks). gongkai's build date reaches a page only through
    its body (validity, 公示期 …), which is in the key as HTML.
  - The page itself: its address, canonical and absolute address, edit address, title, its `meta` (gongkai's head
    tags, kind, column, shell mark), its table of contents, its body HTML, and its neighbours and parent (also in the
    navigation, named here as well so the key does not rest on MkDocs' way of finding them).
A value whose picture is not stable (an object printed with its memory address) turns the cache off for the build:
a key that changes every build costs only time, but one that ignores a value could publish a stale page.

Only when gongkai is the only MkDocs plugin: another plugin's page hooks (on_page_context, on_post_page …) could
depend on anything. A cached page is linked into the new site after MkDocs wrote everything it writes (a file
MkDocs copied over a link would write into the cache).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from gongkai.build.cache import BuildCache, folder_digest

VERSION = 1  # of the key's layout
# packages whose templates or Python shape a page MkDocs renders (their files are not hashed: installed, versioned)
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "markupsafe")
# settings that do not reach a page: the staging folder this build writes into, the plugin objects (described by
# their names and settings instead)
SKIPPED_SETTINGS = frozenset({"site_dir", "plugins"})


class Unstable(Exception):
    """A value without a stable picture: caching pages would be unsafe."""


def picture(value: Any, root: str = "") -> Any:
    """A plain, deterministic picture of a value for hashing: the same value gives the same picture in every
    process. Dataclasses with every field; mappings sorted; unknown objects by their repr, refused when the repr
    holds a memory address (Unstable). root: the site's folder, written as `<root>` in paths (no page shows where
    the site's folder is: a moved or copied folder keeps its cache)."""
    if isinstance(value, str):
        return _relative(value, root)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return (type(value).__name__, value.isoformat())
    if isinstance(value, (list, tuple)):
        return tuple(picture(v, root) for v in value)
    if isinstance(value, dict) or _is_mapping(value):
        return ("map",) + tuple(sorted(((repr(picture(k, root)), picture(v, root)) for k, v in value.items()),
                                      key=lambda kv: kv[0]))
    if isinstance(value, (set, frozenset)):
        return ("set",) + tuple(sorted(repr(picture(v, root)) for v in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # every field, those left out of the repr too (Column.parent would recurse: its path is in `path`)
        return (type(value).__name__,) + tuple((f.name, picture(getattr(value, f.name), root))
                                               for f in dataclasses.fields(value) if f.name != "parent")
    if isinstance(value, os.PathLike):
        return ("path", _relative(os.fspath(value), root))
    text = repr(value)
    if " at 0x" in text or "object at" in text:
        raise Unstable(f"{type(value).__module__}.{type(value).__qualname__}")
    return (type(value).__name__, _relative(text, root))


def _relative(text: str, root: str) -> str:
    return text.replace(root, "<root>") if root and root in text else text


def _is_mapping(value: Any) -> bool:
    return hasattr(value, "items") and hasattr(value, "keys") and callable(value.items)


def _package_dir(name: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _versions() -> tuple[str, ...]:
    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} -")
    return tuple(out)


def theme_dirs_picture(dirs: Iterable[str], gongkai_theme: Path, root: str = "") -> tuple[tuple[str, str], ...]:
    """Each theme folder, first match first: an installed package's (MkDocs, Material) by its version, gongkai's
    by gongkai's code (in every key), any other (overrides/, custom_dir) by the bytes of all its files. Also whether
    a bureau's template names `build_date_utc` (then MkDocs' build time is an input)."""
    installed = {"mkdocs": _package_dir("mkdocs"), "mkdocs-material": _package_dir("material")}
    out = []
    for d in dirs:
        path = Path(d).resolve()
        name = _relative(d, root)
        if path == gongkai_theme.resolve():
            out.append((name, "gongkai"))
            continue
        owner = next((n for n, base in installed.items() if base is not None and (path == base or base in path.parents)), None)
        if owner is not None:
            out.append((name, owner))
        elif path.is_dir():
            out.append((name, folder_digest(path, suffixes=None)))
        else:
            out.append((name, "missing"))
    return tuple(out)


# variables of MkDocs' template context that Material's and gongkai's templates do not use (a test checks): in the
# key only when a bureau's template names them — they change often and would otherwise turn every page over
#   build_date_utc: MkDocs' build time (the moment of the build unless SOURCE_DATE_EPOCH is set)
#   pages: every page MkDocs builds (a page or a paged column's shell added or removed, a title changed)
OPTIONAL_CONTEXT = ("build_date_utc", "pages")


def bureau_theme_dirs(dirs: Iterable[str], gongkai_theme: Path) -> list[Path]:
    """The theme folders that are the bureau's own (overrides/, theme.custom_dir …): every existing one outside the
    installed MkDocs, Material and gongkai."""
    installed = [p for p in (_package_dir("mkdocs"), _package_dir("material"), gongkai_theme.resolve()) if p is not None]
    out = []
    for d in dirs:
        path = Path(d).resolve()
        if not any(path == base or base in path.parents for base in installed) and path.is_dir():
            out.append(path)
    return out


# what leads a template from one page to others (MkDocs' pages, navigation and page objects): with one of PARTS also
# named, a bureau's template may print another page's body, table of contents, Markdown or meta, which no page's key
# holds (its neighbours are keyed by title and address only) — then no page is taken from the cache (OTHER_CONTENT)
REACH = ("pages", "nav", "next_page", "previous_page", "parent", "children", "ancestors")
PARTS = ("content", "toc", "markdown", "meta")
OTHER_CONTENT = "other pages' content"


def bureau_names(dirs: Iterable[str], gongkai_theme: Path) -> frozenset[str]:
    """Which of OPTIONAL_CONTEXT a file of a theme folder outside MkDocs, Material and gongkai mentions; and
    OTHER_CONTENT when those files name one of PARTS and any of REACH (a template may show another page's body, table
    of contents …). An HTML <meta> tag is not a page's meta."""
    names = (*OPTIONAL_CONTEXT, *REACH, *PARTS)
    patterns = {name: re.compile(rb"\b" + name.encode() + rb"\b") for name in names}
    patterns["meta"] = re.compile(rb"(?<!<)\bmeta\b|<meta(?![\s/>])")  # (not <meta name=…>; `a<meta.x` is)
    found: set[str] = set()
    for path in bureau_theme_dirs(dirs, gongkai_theme):
        for dirpath, _dirs, files in os.walk(path):
            for f in files:
                with open(os.path.join(dirpath, f), "rb") as fh:
                    data = fh.read()
                found.update(name for name, pattern in patterns.items() if pattern.search(data))
    named = {name for name in found if name in OPTIONAL_CONTEXT}
    if any(name in found for name in PARTS) and any(name in found for name in REACH):
        named.add(OTHER_CONTENT)
    return frozenset(named)


def nav_picture(items: Iterable[Any]) -> tuple:
    """Sections, pages and links of the navigation, with titles and addresses, in order."""
    out: list[tuple] = []
    for item in items:
        children = getattr(item, "children", None)
        if getattr(item, "is_section", False):
            out.append(("section", item.title, nav_picture(children or [])))
        elif getattr(item, "is_page", False):
            out.append(("page", item.title, item.url, item.file.src_uri, nav_picture(children or [])))
        else:
            out.append(("link", item.title, getattr(item, "url", None)))
    return tuple(out)


def config_picture(config: Any, root: str = "") -> tuple:
    """Every setting of the resolved MkDocs config but SKIPPED_SETTINGS; the plugins by name and settings; paths in
    the site's folder relative to it."""
    parts = []
    for key in sorted(config.keys()):
        if key in SKIPPED_SETTINGS:
            continue
        value = config[key]
        if key == "theme":
            # static_templates is a set: its order changes with each process's string hashing, so it is sorted
            value = ("theme", value.name, tuple(value.dirs), tuple(sorted(value.static_templates)),
                     picture({k: value[k] for k in value}, root))
        parts.append((key, picture(value, root)))
    plugins = config["plugins"]
    parts.append(("plugins", tuple((name, picture(dict(getattr(p, "config", {}) or {}), root))
                                   for name, p in plugins.items())))
    return tuple(parts)


def toc_picture(toc: Iterable[Any]) -> tuple:
    return tuple((t.title, t.id, t.level, toc_picture(t.children)) for t in toc)


def _neighbour(page: Any) -> tuple | None:
    return None if page is None else (getattr(page, "title", None), getattr(page, "url", None))


class PageCache:
    """The finished pages of one build: which were found (to link), which were rendered (to keep)."""

    def __init__(self, cache: BuildCache, frame: str, named: frozenset[str] = frozenset()):
        self.cache = cache
        self.frame = frame  # the digest of everything pages share (Frame)
        self.named = named  # which of OPTIONAL_CONTEXT a bureau's template names (bureau_names)
        self.found: dict[str, str] = {}  # dest_uri -> key: pages taken from the cache, linked in `link_found`
        self.rendering: dict[str, str] = {}  # src_uri -> key: pages Material renders this build, kept in `keep`

    @classmethod
    def start(cls, cache: BuildCache, config: Any, nav: Any, pages: Iterable[Any], gongkai_theme: Path,
              build_time: Any, root: Path) -> PageCache | None:
        """The page cache of this build, or None: no cache folder, another plugin, or an unstable setting."""
        if not cache.enabled or list(config["plugins"].keys()) != ["gongkai"]:
            return None
        dirs = list(config["theme"].dirs)
        top = os.fspath(root)
        named = bureau_names(dirs, gongkai_theme)
        if OTHER_CONTENT in named:  # every page rendered, with every body filled in (plugin._fill_bodies)
            return None
        try:
            frame = cache.key(
                "mkdocs-page", VERSION, _versions(),
                theme_dirs_picture(dirs, gongkai_theme, top),
                config_picture(config, top),
                nav_picture(nav.items), getattr(nav.homepage, "url", None),
                tuple((p.file.src_uri, p.url, p.title) for p in pages) if "pages" in named else (),
                build_time.isoformat() if "build_date_utc" in named else "",
            )
        except Unstable:
            return None
        return cls(cache, frame, named)

    def key(self, page: Any, body_key: str | None = None) -> str:
        """The key of one finished page (everything of its own that reaches the template), with the frame.
        body_key: the build cache key the page's body (page.content) was taken from or kept under, which stands for
        its bytes (gongkai/mkdocs/plugin.py _render_body): hashed instead of the body itself (a listing's body is
        up to a few hundred KB; ~0.07 s CPU for all of them on every build)."""
        return self.cache.key(
            self.frame, page.file.src_uri, page.file.dest_uri, page.url, page.canonical_url, page.abs_url,
            page.edit_url, page.title, picture(page.meta), toc_picture(page.toc),
            ("body", body_key) if body_key else page.content,
            _neighbour(page.previous_page), _neighbour(page.next_page), _neighbour(page.parent),
            tuple(_neighbour(a) for a in page.ancestors), page.is_homepage,
        )

    def take(self, page: Any, body_key: str | None = None) -> bool:
        """True: the page is in the cache (linked into the site by `link_found`, Material need not render it)."""
        key = self.key(page, body_key)
        self.cache.use(key)
        if self.cache.lookup(key) is not None:
            self.found[page.file.dest_uri] = key
            return True
        self.rendering[page.file.src_uri] = key
        return False

    def keep(self, page: Any, output: str) -> tuple[int, str] | None:
        """Store a page Material just rendered (the bytes MkDocs writes); (size, SHA-256) of them."""
        key = self.rendering.get(page.file.src_uri)
        if key is None or not output.strip():
            return None
        data = output.encode("utf-8", errors="xmlcharrefreplace")  # as mkdocs.commands.build writes it
        sha = hashlib.sha256(data).hexdigest()
        self.cache.record(key, self.cache.store(key, data), sha)
        return len(data), sha

    def link_found(self, site: Path) -> dict[str, tuple[int, str]]:
        """Link the cached pages into the site; (size, SHA-256) of each by its path, for the output manifest."""
        out = {}
        for dest, key in self.found.items():
            target = site / dest  # (its folder made by the link when it is not claimed: gongkai/build/cache.py place)
            if not self.cache.link(key, target):  # gone since `take` (deleted by hand): a clear failure, not a hole
                raise FileNotFoundError(f"缓存的页面文件丢失：{self.cache.page_path(key)}（请删除 .cache/gongkai/ 后重新生成）")
            out[dest] = self.cache.digest(key)
        return out
