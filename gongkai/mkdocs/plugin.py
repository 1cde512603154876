"""MkDocs plugin: a thin adapter from the gongkai model to MkDocs pages, nav and files.

Event order (mkdocs 1.6): on_config -> on_pre_build -> on_files -> on_nav -> on_page_* -> on_post_build.
"""

from __future__ import annotations

import functools
import gc
import gzip
import hashlib
import html
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from gongkai import statcheck
from gongkai.build import (
    application_forms,
    doclines,
    exports,
    lists,
    manifest,
    meta,
    outputcheck,
    posters,
    preview,
    publish,
    search,
    sitemap,
    staging,
)
from gongkai.build.bodykeys import ListingKeys
from gongkai.build.cache import BuildCache, no_gc
from gongkai.build.lock import BuildLock, LockBusy, waiting_message
from gongkai.build.pages import SHELL_URI, SitePlan
from gongkai.build.redirects import write_old_pages
from gongkai.build.render import Renderer, jinja_bytecode_cache, template_error_message
from gongkai.build.withdrawn import write_notices
from gongkai.build.writeerrors import is_write_error, write_error_message
from gongkai.checks.publication import configured_assets
from gongkai.errors import GongkaiError
from gongkai.fsutil import remove_path
from gongkai.load.builddate import build_date_from_env
from gongkai.load.loader import Laps, load_catalogue
from gongkai.mkdocs import contentwalk, exitfast, logzh, nomarkdown, serve_error
from gongkai.mkdocs.pagecache import PageCache, bureau_theme_dirs
from gongkai.mkdocs.serveaddr import address_problem
from gongkai.mkdocs.servewatch import NativeWatch
from gongkai.mkdocs.session import ServeSession
from gongkai.mkdocs.theme_files import drop_unused_theme_files, list_visible_theme_files
from gongkai.sitepaths import PATHS

log = logging.getLogger("mkdocs.plugins.gongkai")
# gongkai's part of the theme (main.html, header, footer, assets/gongkai/): installed with the package, placed
# between the bureau's overrides/ and Material, so MkDocs renders its templates and copies its assets.
THEME_DIR = Path(__file__).parent / "theme"
# What every gongkai site needs of Material, whatever mkdocs.yml says: the layout the templates and chrome.css
# are made for, and no web fonts (an intranet site must not fetch anything from outside).
THEME_FEATURES = ("navigation.tabs", "navigation.indexes", "navigation.prune", "navigation.top")
THEME_PALETTE = {"scheme": "default", "primary": "custom", "accent": "custom"}  # colours in chrome.css (WCAG AA)
MARKDOWN_EXTENSIONS = ("tables", "toc", "attr_list", "admonition")


def env_off(name: str) -> bool:
    """A feature switched off in the environment (GONGKAI_CACHE=0, GONGKAI_SEARCH=false …)."""
    return os.environ.get(name, "").strip() in ("0", "false", "no")


# what a build makes from the loaded model, read by its own later steps only (mkdocs serve: dropped when a rebuild
# shows its list of input errors instead, _serve_with_errors)
LAST_BUILD = ("cat", "renderer", "plan", "plans", "recycled", "files", "old_pages", "notices", "sitemap_files",
              "digests", "search_lines", "write_counts")


class GongkaiConfig(Config):
    root = c.Optional(c.Type(str))  # folder with catalog/ and content/; default: mkdocs.yml's folder
    build_date = c.Optional(c.Type(str))  # YYYY-MM-DD; default: env GONGKAI_BUILD_DATE / SOURCE_DATE_EPOCH / today
    cache = c.Type(bool, default=True)  # reuse unchanged document pages from .cache/gongkai/ (env GONGKAI_CACHE=0: off)
    # another build of the same site running: wait for it (default), or give up at once (env GONGKAI_LOCK_WAIT=0)
    lock_wait = c.Type(bool, default=True)
    # a preview of a proposed catalogue against OLD (a git revision, folder or columns.yml; env GONGKAI_PREVIEW):
    # every page carries 「预览：栏目调整方案（未发布）」, changed columns are marked, and the output is never published
    preview = c.Optional(c.Type(str))


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    supports_multiple_instances = False
    # what `mkdocs serve` keeps from one rebuild to the next (gongkai/mkdocs/session.py); None: one build (also when
    # MkDocs' build() is called without on_startup). Set by on_startup, or by on_serve (`serve --clean` starts up
    # as a build)
    session: ServeSession | None = None
    command = "build"
    address_checked = False  # mkdocs serve: whether it can listen where asked was checked (on_config, serveaddr.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        logzh.install()  # MkDocs' own progress lines and level names in Chinese
        self.dirty = dirty
        self.command = command
        self.serve_error: tuple[GongkaiError, list[str]] | None = None
        self.preview = None  # the 栏目调整方案 a preview build shows (on_config)
        self.session = ServeSession() if command == "serve" else None
        self.address_checked = False
        if not getattr(self, "kept_until_exit", False):  # what the plugin holds is not freed object by object
            exitfast.keep_until_exit(self)
            self.kept_until_exit = True

    def on_config(self, config):
        # mkdocs serve: what the last rebuild left in the attributes below (its model, plans, pages, nav …) is
        # freed in the background once this rebuild is served, not object by object as they are replaced
        held = dict(vars(self)) if self.session is not None else None
        # 0. One build at a time per site (a scheduled build, a manual one, mkdocs serve): the lock is taken
        #    before anything is written, then what killed builds left beside site/ is removed.
        root = Path(self.config.root or os.path.dirname(config.config_file_path)).resolve()
        self.root = root
        self.staging: Path | None = None  # mkdocs serve builds again with this plugin: nothing of the last build
        self.nav = None  # on_nav: what every page's frame shows (the page cache's key)
        self.page_cache: PageCache | None = None  # on_env: finished pages of MkDocs reused (gongkai/mkdocs/pagecache.py)
        self.pages: list = []  # every page MkDocs builds, for the template context (cached ones are not built)
        self.body_salt: tuple | None = None  # SitePlan.body_salt: column and home bodies cached (on_page_content)
        self.listing_keys: ListingKeys | None = None  # the keys of those bodies (with body_salt)
        self.bodies: dict[str, list[str]] = {"cached": [], "rendered": []}  # keyed bodies of this build (src_uri)
        self.body_keys: dict[str, str] = {}  # src_uri -> the build cache key of its body (_render_body; page cache)
        # keyed bodies not read yet (_render_body), src_uri -> (page, plan, body, key): a page the page cache has never
        # needs its body. None: made at once — when another plugin may look at page.content (no page cache then)
        self.bodies_later: dict[str, tuple] | None = {} if list(config.plugins.keys()) == ["gongkai"] else None
        self.site_pubdate: str | None = None  # meta.latest_date of the whole site (on_page_markdown)
        session = self.session
        if session is not None:  # first: a failing check below releases the lock, which the save holds meanwhile
            session.begin()  # the last rebuild's background save done (it holds the lock meanwhile)
            session.retire(held)
        del held
        check_mkdocs_config(config, root)
        if self.command == "serve" and not self.address_checked:  # before the first build only:
            problem = address_problem(config.dev_addr.host, config.dev_addr.port)  # later the server holds it
            if problem is not None:
                raise PluginError(problem)
            self.address_checked = True
        previous = getattr(self, "lock", None)
        if previous is not None:  # mkdocs serve: a rebuild after a build that ended without releasing it
            previous.release()
        self.lock = BuildLock(root / ".cache" / "gongkai")
        wait = self.config.lock_wait and not env_off("GONGKAI_LOCK_WAIT")
        try:
            self.lock.acquire(wait, on_wait=lambda message: print(message, file=sys.stderr, flush=True))
        except LockBusy as busy:
            raise PluginError(waiting_message(busy.holder, wait=False)) from None
        cleaned = staging.remove_stale(config.site_dir)
        if cleaned:  # (MkDocs' "Cleaning site directory" is not printed: logzh.py)
            log.info(f"{logzh.CLEANED}：{'、'.join(p.name for p in cleaned[:3])}{' 等' if len(cleaned) > 3 else ''}")
        # the manifest's source (git commit, uncommitted inputs): git runs beside the build from now on
        self.source = manifest.SourceState(root) if getattr(self, "command", "build") != "serve" else None
        config.extra["gk_paths"] = PATHS  # the fixed pages the theme's header and footer link (serve's error page too)
        # 1. Load and validate everything before a single file is written.
        import datetime as dt

        started = time.process_time()  # the CPU this process spent before: Python, imports, mkdocs.yml
        laps = Laps()
        # Everything from here to the plans lives until the build ends (the memo, the model, the pages' contexts):
        # the collector is off until it is all made and frozen below, or it walks the growing heap for nothing
        # (~0.35 s CPU of a 10,000-document rebuild, most of it one full collection while the plans are made).
        # In mkdocs serve the session turned it off already (session.begin) and turns it on (session.loaded).
        collecting = gc.isenabled()
        try:
            gc.disable()
            if self.config.build_date:
                try:
                    build_date = dt.date.fromisoformat(self.config.build_date)
                except ValueError:
                    raise PluginError(f"mkdocs.yml: 错误: gongkai 插件的 build_date「{self.config.build_date}」"
                                      "无效，应写作 YYYY-MM-DD") from None
            else:
                build_date = build_date_from_env()
            # a preview's pages differ from the site's (the banner): cached, they would push the site's out
            previewing = bool(self.config.preview or os.environ.get("GONGKAI_PREVIEW", "").strip())
            cache_off = not self.config.cache or env_off("GONGKAI_CACHE") or previewing
            folder = None if cache_off else root / ".cache" / "gongkai"
            # mkdocs serve: the last build's cache index and memo, in memory, instead of reading them back; written
            # back in the background once the rebuild is served
            previous = session.kept_cache(folder) if session is not None else None
            code = session.code_key() if session is not None and folder is not None else None
            # GONGKAI_TRUST_STAT=0: read and hash every cached file instead of trusting its stat (gongkai/statcheck.py)
            self.cache = BuildCache(folder, previous, trust_stat=statcheck.enabled(), code=code,
                                    defer_saves=session is not None)
            # what the last load gives this one: its walk of content/ with the files the watcher saw change since,
            # its decoded document records (gongkai/load/kept.py)
            kept = session.load_kept(root) if session is not None else None
            # compiled Jinja templates (gongkai's and the theme's, see on_env): kept even in a preview
            jinja_off = not self.config.cache or env_off("GONGKAI_CACHE")
            self.bytecode = jinja_bytecode_cache(None if jinja_off else root / ".cache" / "gongkai" / "jinja")
            self.preview = self._preview(config, root, build_date)
            moved = self.preview.moved_refs() if self.preview is not None else None
            laps("cache")
            with self.cache.memo() as memo:
                laps("memo read")
                self.cat = load_catalogue(root, build_date, memo, moved, laps, kept)
                self.renderer = Renderer(root, self.bytecode)
                self.plan = SitePlan(self.cat, self.renderer, self.preview.marks() if self.preview else None)
                self.plans = {p.src_uri: p for p in self.plan.plans(memo)}  # memo: e.g. a package page's QR code
                # column and home bodies reused by their inputs (on_page_content); None: rendered every build
                self.body_salt = self.plan.body_salt() if self.cache.enabled else None
                # the listings' body keys: the last finished build's where the change cannot reach them (bodykeys.py)
                self.listing_keys = ListingKeys(self.plan, self.cache, self.body_salt) if self.body_salt is not None else None
                laps("plans")
            laps("memo save")
        except BaseException as exc:  # the collector back on, whatever stopped the load
            if collecting:
                gc.enable()
            if not isinstance(exc, GongkaiError):
                raise
            if self.command != "serve":
                raise PluginError(exc.report()) from None
            return self._serve_with_errors(config, exc)
        self.serve_error = None
        logzh.set_failed(None)
        cpu = sum(c for _, _, c in laps.items)
        (log.info if os.environ.get("GONGKAI_TIMING") else log.debug)(
            f"gongkai load timing: {laps.text()}; total {sum(w for _, w, _ in laps.items):.2f} s ({cpu:.2f} s CPU; "
            f"{started:.2f} s CPU before, start-up)")
        # The catalogue lives until the build ends: keep the garbage collector from walking it again and again
        # (about 0.4 s of a 10,000-document rebuild); unfrozen when the build ends (mkdocs serve builds again).
        gc.freeze()
        if session is not None:
            session.loaded()  # the collector runs again, on what this build makes from now on
        elif collecting:
            gc.enable()
        for w in self.cat.warnings:
            log.warning(w.format())
        for t in self.cat.todos:  # required information not yet written: shown, but not a warning
            log.info(t.format())
        setup_theme(config, root)
        # 2. Site-wide settings from site.yml.
        if not config.site_url:
            config.site_url = self.cat.site.site_url
        # 3. The navigation is exactly the catalogue tree.
        config.nav = html_titles(self.plan.nav())  # Material prints nav titles as HTML: escape them
        # 4. Our stylesheet and script.
        for css in ("assets/gongkai/gongkai.css", "assets/gongkai/participation.css"):
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in ("assets/gongkai/gongkai.js", "assets/gongkai/participation.js"):
            if all(str(s) != js for s in config.extra_javascript):
                config.extra_javascript.append(js)
        # 4b. Site data for the header, footer and head of overrides/main.html.
        config.extra["gk_site"] = self.cat.site
        # 5. Write into a staging folder of this build's own; it replaces site/ only when the build succeeded.
        #    (mkdocs serve gives a temporary folder as site_dir: site/ is never touched while previewing.)
        self.final_site_dir = config.site_dir
        self.staging = staging.new_staging_dir(config.site_dir)
        # Always an empty staging folder, `--dirty` too: a copy of site/ would keep what this build must not
        # publish (an orphan, a withdrawn document's page). See gongkai/build/outputcheck.py.
        config.site_dir = str(self.staging)
        # A rebuild updates the previous tree instead of writing every file anew (gongkai/build/staging.py); in
        # mkdocs serve too, where each save rebuilds the whole site into serve's temporary folder: the kept tree is
        # beside that folder and removed when serve stops (on_shutdown)
        self.recycled: staging.Recycled | None = None
        if self.cache.enabled:
            self.recycled = staging.Recycled(Path(self.final_site_dir), self.staging, self.cache.clock)
            # mkdocs serve: the kept tree as listed once the last rebuild was served, while its folders say so
            self.recycled.register(session.kept_listing() if session is not None else None)
        self.files: Files | None = None
        self.copies: list[File] = []  # files MkDocs would copy that gongkai puts into the site (on_env)
        self.old_pages: list = []
        self.notices: dict[str, str] = {}  # old document address -> what is there now (build/withdrawn.py)
        self.sitemap_files: list[str] = []  # sitemap.xml, .gz and the parts of an index (build/sitemap.py)
        self.digests: dict[str, tuple[int, str]] = {}
        # 6. Files of content/ that mkdocs.yml names (theme.logo, extra_css …) are published only when declared.
        named = outputcheck.mkdocs_named_files(config)
        problems = configured_assets(named, self.cat.publication, self.cat.content_tree.files)
        if problems:
            raise PluginError("\n".join(problems))
        return config

    def _preview(self, config, root: Path, build_date):
        """The 栏目调整方案 this build previews (None: a normal build). A preview never writes into the site's
        normal output folder: what is there may be published, and a preview must not be."""
        old = self.config.preview or os.environ.get("GONGKAI_PREVIEW", "").strip()
        if not old:
            config.extra.pop("gk_preview", None)
            return None
        from gongkai.tools.proposal import build_proposal

        normal = (root / "site").resolve()
        if getattr(self, "command", "build") != "serve" and Path(config.site_dir).resolve() == normal:
            raise PluginError(f"预览（对比 {old}）不能写入 site/：site/ 是正式网站的输出，可能被发布。"
                              "请运行 gongkai preview 旧版本（写入 site-preview/），或 gongkai build -d 其他文件夹")
        proposal = build_proposal(old, str(root), root, build_date)  # GongkaiError: reported like the site's own
        config.extra["gk_preview"] = {"old": proposal.old_label, "changes": len(proposal.rows),
                                      "problems": len(proposal.breaks),
                                      "removed": [r.old.trail for r in proposal.rows if r.new is None and r.old]}
        return proposal

    def _serve_with_errors(self, config, exc: GongkaiError):
        """`mkdocs serve` with input errors: a build of nothing but the error list (see serve_error.py)."""
        log.error(exc.report(serve_error.OUTCOME))
        logzh.set_failed(sum(1 for p in exc.problems if p.level == "error"))  # its end says the site was not built
        if self.session is not None:
            self.session.loaded()
        # what the last good build made is of no use to this one nor to the next, which loads anew: dropped with the
        # rest of that build (session.retire, session.stopped) instead of held while the error list is served, as
        # when serve starts with an error (nothing of it below is read by a build of the error list)
        for name in LAST_BUILD:
            self.__dict__.pop(name, None)
        # kept while the list is served, without its traceback: the frames of the load it stopped hold the model
        # loaded so far (more than a whole model's objects at 10,000 documents, measured 2026-12-02)
        exc.__traceback__ = None
        self.serve_error = (exc, serve_error.html_pages(config.site_dir))
        config.nav = []
        return config

    def on_pre_build(self, config) -> None:
        self.timer = {"pre_build": time.perf_counter()}  # MkDocs' own steps between the plugin's events (GONGKAI_TIMING)
        # MkDocs walks docs_dir next: content/ as the load listed it instead (on_files, gongkai/mkdocs/contentwalk.py)
        self.walk = None
        self.newest: dict = {}  # column path -> the newest date of its documents and its descendants' (_newest)
        list_visible_theme_files(config.theme)  # MkDocs lists the theme's files next: not Material's 14,000 icons
        if self.serve_error is None and list(config.plugins.keys()) == ["gongkai"] and self.cat.content_tree is not None:
            self.walk = contentwalk.Walk.hide(config)

    def _mark(self, step: str) -> None:
        if hasattr(self, "timer"):
            self.timer[step] = time.perf_counter()

    def on_files(self, files: Files, config) -> Files:
        self._mark("files")
        walk, self.walk = getattr(self, "walk", None), None
        if walk is not None:  # content/ back in place (on_pre_build pointed MkDocs' walk at an empty folder)
            walk.restore()
        if self.serve_error is not None:
            return Files([])
        # Publishing follows decisions, not folders (checks/publication.py): a file of content/ is copied only
        # when a published document attaches it, a published body links it, or site.yml declares it.
        found: list[tuple[str, str | None]]
        if walk is not None:  # the files of content/ as the load's walk listed them (gongkai/mkdocs/contentwalk.py)
            found = contentwalk.tree_entries(self.cat.content_tree, config.docs_dir, self.cat.publication)
        else:
            content = os.path.normpath(config.docs_dir)
            ours = [f for f in files if f.generated_by is None and f.src_dir and os.path.normpath(f.src_dir) == content]
            found = [(f.src_uri, f.abs_src_path) for f in ours]
        try:
            keep = contentwalk.content_decisions(found, self.cat, self.plans)
        except GongkaiError as exc:
            raise PluginError(exc.report()) from None
        if walk is not None:
            files = walk.files(files, (p for p, _ in found), keep, config)
        else:
            for f in ours:  # content/reports/*.yml: source data, never copied (the report is on its document's page)
                if not contentwalk.copied(f.src_uri, keep):
                    files.remove(f)
        drop_unused_theme_files(files, config.docs_dir)  # Material's lunr search, source maps, favicon
        for uri, plan in self.plans.items():
            # the title as escaped HTML (Material prints page.meta.title unescaped), as a quoted YAML scalar
            title = json.dumps(html.escape(plan.title), ensure_ascii=False)
            # no Markdown for MkDocs: bodies are rendered by gongkai's own engine in on_page_content
            files.append(File.generated(config, uri, content=f"---\ntitle: {title}\n---\n"))
        return files

    def on_nav(self, nav, config, files: Files):
        self.nav = nav
        self._mark("nav")
        return nav

    def on_env(self, env, config, files: Files):
        timer = getattr(self, "timer", {})
        loop = time.perf_counter() - timer["nav"] if "nav" in timer else 0.0  # MkDocs' page loop (the bodies)
        self.files = files  # the final list of files MkDocs copies and renders: reasons for the manifest
        if self.listing_keys is not None:  # every page's body made (MkDocs' page loop): kept if this build finishes
            self.listing_keys.keep()
        env.bytecode_cache = getattr(self, "bytecode", None)  # Material's templates compiled once, not on every build
        taken: set[str] = set()
        if self.serve_error is None and self.nav is not None:
            taken = self._take_cached_pages(config, files)
        # (a bureau's template that may show another page's content, naming `content` and `pages`, `nav` …, turns the
        # page cache off: pagecache.OTHER_CONTENT; then nothing is taken and every body is filled in)
        self._fill_bodies(taken)
        self.copies = self._take_static_files(config, files) if self.serve_error is None else []
        if {"pre_build", "files", "nav"} <= set(timer):
            (log.info if os.environ.get("GONGKAI_TIMING") else log.debug)(
                f"gongkai mkdocs timing: files {timer['files'] - timer['pre_build']:.2f} s (MkDocs' walk of content/ "
                f"and the theme); pages {loop:.2f} s, cached pages and files {time.perf_counter() - timer['nav'] - loop:.2f} s "
                f"({len(self.bodies['cached'])} bodies cached, {len(self.bodies['rendered'])} keyed and rendered, "
                f"{self.listing_keys.taken if self.listing_keys else 0} listing keys kept, {len(taken)} pages cached)")
        return env

    def _take_static_files(self, config, files: Files) -> list[File]:
        """The files MkDocs would copy (attachments, theme assets) that gongkai puts into the site itself, from the
        cache (`_put_static_files`): in a rebuild that recycles the previous tree, an unchanged one is claimed
        there instead of copied, renamed in and its old copy deleted (~1,000 files of 24 MB at 10,000 documents).

        Left to MkDocs: everything when another plugin is configured (it may expect its own copies, or rewrite
        them in place — a linked file is shared with the cache), files it renders (extra_templates) and files
        under the search index's folder (which the index replaces whole)."""
        if self.recycled is None or list(config.plugins.keys()) != ["gongkai"]:
            return []
        templates = set(config.extra_templates)
        taken = [f for f in files if f.abs_src_path is not None and not f.is_documentation_page()
                 and f.inclusion.is_included() and f.src_uri not in templates
                 and not f.dest_uri.startswith(search.OUTPUT + "/")]
        for f in taken:
            files.remove(f)
        return taken

    def _put_static_files(self, site: Path) -> None:
        """The files `_take_static_files` took from MkDocs, put at their place now that every writer is done (none
        may write into a file linked from the cache). Where another writer put a file at the same place, that one
        stays, as when MkDocs had copied first and it was overwritten."""
        base = os.fspath(site) + "/"  # (strings, not a Path each: a thousand files on every rebuild)
        for f in self.copies:
            target = base + f.dest_uri
            if staging.taken(target):
                continue
            assert f.abs_src_path is not None  # (put_copy makes target's folder only when it places the file)
            self.digests[f.dest_uri] = self.cache.put_copy(f.abs_src_path, target)

    def _take_cached_pages(self, config, files: Files) -> set[str]:
        """Pages whose finished HTML an earlier build made from the same inputs: left out of MkDocs' page loop
        (Material does not render them) and linked into the site after MkDocs wrote its files. Their src_uri."""
        from mkdocs.utils import get_build_datetime

        self.pages = [f.page for f in files.documentation_pages()]
        self.page_cache = PageCache.start(self.cache, config, self.nav, self.pages, THEME_DIR, get_build_datetime(),
                                          self.root)
        taken: set[str] = set()
        if self.page_cache is None:
            return taken
        for f in list(files.documentation_pages()):
            if f.src_uri in self.plans and self.page_cache.take(f.page, self.body_keys.get(f.src_uri)):
                files.remove(f)
                taken.add(f.src_uri)
        return taken

    def on_page_context(self, context, page, config, nav):
        if self.page_cache is not None:
            context["pages"] = self.pages  # as if every page were built (the cached ones are not)
        return context

    @event_priority(100)  # first: the bytes Material rendered, before any other plugin (then nothing is cached)
    def on_post_page(self, output: str, page, config) -> str:
        if self.page_cache is not None:
            made = self.page_cache.keep(page, output)
            if made is not None:
                self.digests[page.file.dest_uri] = made
        return output

    def on_pre_page(self, page, config, files):
        if self.serve_error is None and page.file.src_uri in self.plans:  # no Markdown: MkDocs' step skipped
            page.render = functools.partial(nomarkdown.render, page)
        return page

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        plan = self.plans.get(page.file.src_uri)
        if plan is not None:
            page.meta["gk_kind"] = plan.column.kind.value if plan.column else plan.template.removesuffix(".html")
            if plan.column:
                page.meta["gk_column"] = plan.column.name
            if page.file.src_uri == SHELL_URI or plan.meta.get("shell"):  # filled later: documents, 政策文件 pages
                page.meta["gk_shell"] = True
            else:
                pubdate = ""
                if plan.column is None:  # the newest of all documents: the same on every page outside the catalogue
                    if self.site_pubdate is None:
                        self.site_pubdate = meta.latest_date(self.cat, None)
                    pubdate = self.site_pubdate
                else:
                    pubdate = (self._newest(plan.column) or self.cat.build_date).isoformat()
                page.meta["gk_head"] = meta.page_head(self.cat, plan.title, plan.column, page.meta["gk_kind"], pubdate)
                page.meta["gk_head"] += plan.meta.get("head", "")  # e.g. noindex of a 公示名单 (build/lists.py)
        return markdown

    def _newest(self, column):
        """meta.latest_date of a column without its fallback: the newest publication date of its documents and its
        descendants' (None: none). Each column's documents looked at once per build, not again for every ancestor."""
        found = self.newest.get(column.path, False)
        if found is False:
            docs = self.cat.documents_in(column)  # newest first (by publication date, then id)
            dates = [docs[0].published] if docs else []
            dates += [n for child in column.children if (n := self._newest(child)) is not None]
            found = self.newest[column.path] = max(dates, default=None)
        return found

    def on_page_content(self, html: str, page, config, files) -> str:
        plan = self.plans.get(page.file.src_uri)
        if plan is None:
            return html
        body = self.plan.body(plan)  # a page or guide column's Markdown, in the dialect of document bodies
        page.toc = get_toc(body.toc_tokens())  # type: ignore[arg-type]  # Material's 目录 beside the page
        try:
            return self._render_body(plan, body, page)
        except jinja2.TemplateError as exc:
            raise PluginError(template_error_message(exc)) from None

    def _render_body(self, plan, body, page) -> str:
        """The page's body: from the build cache when an earlier build rendered it from the same inputs
        (SitePlan.body_inputs: a list of documents costs a key, not a render), else rendered and kept."""
        keys = self.listing_keys
        key = keys.key(plan, self.plan.body_inputs) if keys is not None else None
        if key is None:
            return self.plan.render(plan, body)
        self.cache.use(key)
        self.body_keys[plan.src_uri] = key  # the body's bytes are those of the key: the page cache keys on it
        if self.bodies_later is not None:  # made when MkDocs is to render the page (_fill_bodies)
            self.bodies_later[plan.src_uri] = (page, plan, body, key)
            return ""
        return self._keyed_body(plan, body, key)

    def _fill_bodies(self, taken: set[str]) -> None:
        """The bodies _render_body left for later, for the pages MkDocs renders: every page but those the page cache
        has (taken: their src_uri), whose finished HTML is keyed on the body's key and never needs the body."""
        later, self.bodies_later = self.bodies_later or {}, None
        for src_uri, (page, plan, body, key) in later.items():
            if src_uri in taken:
                self.bodies["cached"].append(src_uri)
                continue
            try:
                page.content = self._keyed_body(plan, body, key)
            except jinja2.TemplateError as exc:
                raise PluginError(template_error_message(exc)) from None

    def _keyed_body(self, plan, body, key: str) -> str:
        """A keyed body: the cached one, else rendered and kept."""
        found = self.cache.read(key)
        if found is not None:
            self.bodies["cached"].append(plan.src_uri)
            return found.decode("utf-8", errors="surrogatepass")
        self.bodies["rendered"].append(plan.src_uri)
        text = self.plan.render(plan, body)
        data = text.encode("utf-8", errors="surrogatepass")
        self.cache.record(key, self.cache.store(key, data), hashlib.sha256(data).hexdigest())
        return text

    @event_priority(0)
    def _on_post_build_write(self, config) -> None:
        """Everything the core writes into the staging folder (documents, sitemap, exports …)."""
        if self.serve_error is not None:
            serve_error.write_error_pages(config.site_dir, self.serve_error[1], self.serve_error[0])
            return
        if self.page_cache is not None:  # after MkDocs wrote everything: nothing it copies lands on a cached file
            try:
                self.digests.update(self.page_cache.link_found(Path(config.site_dir)))
            except FileNotFoundError as exc:
                raise PluginError(str(exc)) from None
        try:
            self._write_output(config)
        except jinja2.TemplateError as exc:
            raise PluginError(template_error_message(exc)) from None

    def _write_output(self, config) -> None:
        site = self.staging
        assert site is not None  # set by on_config
        shell_path = site / SHELL_URI.replace(".md", ".html")
        shell = shell_path.read_text(encoding="utf-8")
        shell_path.unlink()
        missing = publish.shell_problems(shell)
        if missing:
            raise PluginError("documents/ 文件页外壳: 错误: 主题模板缺少" + "、".join(missing) +
                              "，文件页无法生成。若 overrides/main.html 是自己写的，请让它以 {% extends \"gongkai.html\" %} 开头，"
                              "并保留 gongkai 的 site_meta、extrahead、content 区块")
        t0 = time.perf_counter()
        counts = publish.write_documents(self.plan, shell, site, self.cache, self.digests)
        t1 = time.perf_counter()
        paged = publish.write_paged_columns(self.plan, site, self.cache)  # large columns: pages 2 … (政策文件: rows chunks)
        self.write_counts = {"documents": counts, "paged": paged}  # (tests: what was keyed, rendered, cached)
        t1b = time.perf_counter()
        self.sitemap_files = sitemap.write(self.plan, site, self.cache)  # cached like the exports; above 50,000 pages an index and its parts
        exports.write_exports(self.cat, site, self.cache, self.plan.affected_documents)  # data/documents.json|csv, feeds/*.xml (主动公开 only)
        lists.write_outputs(self.cat, site)  # data/lists/*: the published lists, masked (catalog/lists.yml)
        posters.publish(self.cat, site, self.cache)  # site/posters/: printable PDFs of every 主题服务包 (cached)
        application_forms.publish(self.cat, site, self.cache)  # site/forms/: 申请表 PDF and DOCX (cached)
        # Old column URLs from catalog/urls.lock.yml: redirects to moved columns, notices for withdrawn ones.
        self.old_pages = write_old_pages(self.cat, site, self.plan.paged_links())
        # old document addresses: 「该信息已撤回」 (withdrawals), 「该信息已移除」 or a redirect (recorded, file gone)
        notices = write_notices(self.cat, site)
        self.notices = notices
        stray = outputcheck.unpublished_outputs(site, self.cat, notices)  # nothing undecided, whatever wrote it
        if stray:
            raise PluginError(outputcheck.stray_message(stray))
        if self.preview is not None:  # the plain pages say it is a preview too
            preview.mark_pages(site, [p.url for p in self.old_pages] + sorted(notices), self.preview.old_label)
        t2 = time.perf_counter()
        self.search_lines = None
        if not env_off("GONGKAI_SEARCH"):  # off: quick previews, bench
            # (the manifest's lines; mkdocs serve writes no manifest: it patches them only when that is cheap)
            self.search_lines = search.build_index(self.plan, site, self.cache,
                                                   read_all=getattr(self, "command", "build") != "serve").lines
        self._put_static_files(site)  # last: nothing writes over them
        t3 = time.perf_counter()
        # read by scripts/bench.py, which sets GONGKAI_TIMING=1; otherwise only with `mkdocs build -v`, so the
        # clerk's build log carries no English line of ours
        (log.info if os.environ.get("GONGKAI_TIMING") else log.debug)(f"gongkai timing: documents {t1 - t0:.2f} s ({counts['rendered']} rendered, {counts['cached']} cached, "
                 f"{counts['keyed']} keyed); "
                 f"paged columns {t1b - t1:.2f} s ({paged['rendered']} rendered, {paged['cached']} cached, {paged['kept']} keys kept); "
                 f"sitemap/exports/posters {t2 - t1b:.2f} s; search {t3 - t2:.2f} s")

    @event_priority(-100)  # after every other plugin's post_build: nothing may fail once site/ is replaced
    def _on_post_build_publish(self, config) -> None:
        if self.serve_error is not None:
            self.lock.release()  # the preview of the error list: nothing to switch, the next rebuild needs the lock
            gc.unfreeze()  # (frozen by the serve session at on_config)
            if self.session is not None:
                self.session.stopped()  # the last good build's model dropped in the background
            return
        assert self.staging is not None  # set by on_config
        written = None
        t0 = time.perf_counter()
        if getattr(self, "command", "build") != "serve":  # a preview needs no manifest
            written = staging.staged_manifest_path(self.staging)
            self._write_manifest(config, written)
        t1 = time.perf_counter()
        # `mkdocs build --strict` aborts on warnings only after post_build: decide here, before site/ is touched.
        if config.strict and publish.strict_warnings():
            raise PluginError("strict 模式下构建出现警告（见上文），已停止；site/ 保持原样")
        self.cache.finish()  # drop cache entries this build did not use; the last write of the build
        t2 = time.perf_counter()
        final = Path(self.final_site_dir)
        staging.swap_into_place(self.staging, final, (written, staging.manifest_path(final)) if written else None,
                                self.recycled)
        if self.recycled is not None:  # the old site, kept for the next build, holds no withdrawn document
            gone = outputcheck.withdrawn_paths(self.cat)
            self.recycled.forget([*gone.pages, *gone.files])
        kept = f"{len(self.recycled.claimed)} files kept" if self.recycled is not None else "not recycled"
        (log.info if os.environ.get("GONGKAI_TIMING") else log.debug)(
            f"gongkai output timing: manifest {t1 - t0:.2f} s; cache index {t2 - t1:.2f} s; "
            f"switch {time.perf_counter() - t2:.2f} s ({kept})")
        config.site_dir = self.final_site_dir
        if self.session is not None:
            # the cache written, the kept tree listed for the next rebuild, the garbage collected and the lock
            # released in the background (session.py)
            self.session.built(self.cache, self.lock.release, final if self.recycled is not None else None)
            return
        self.lock.release()
        gc.unfreeze()

    on_post_build = CombinedEvent(_on_post_build_write, _on_post_build_publish)

    def _write_manifest(self, config, path: Path) -> None:
        """site.manifest.json: every output file, its SHA-256 and why it is there (gongkai/build/manifest.py).

        The garbage collector paused meanwhile: the step makes a reason, an entry and a line per file (tens of
        thousands, all kept until the file is written, none garbage), over which it walked again and again: manifest.build
        took 16 ms with it and 9 without at 10,000 documents (medians, in-process), more as the heap grows."""
        with no_gc():
            self._write_manifest_now(config, path)

    def _write_manifest_now(self, config, path: Path) -> None:
        folder = self.cache.folder if self.cache.enabled else None
        # the document pages' lines kept from the last build (build/doclines.py); where the site does not hold
        # exactly those pages (a page's path taken by another file), listed with the other files, as before
        pages = doclines.take(folder, self.cache.code, self.cat) if folder is not None else None
        result = self._manifest(config, pages)
        if pages is not None and not any(f is pages for f in result.folders):
            pages.forget()
            pages = None
            result = self._manifest(config, None)
        unknown = [e.path for e in result.entries if e.reason.kind == "unknown"]
        if unknown:
            log.warning(f"输出清单：{len(unknown)} 个文件不知从何而来（不是文件、单页、栏目、附件、主题或 gongkai "
                        f"生成的文件）：{'、'.join(unknown[:10])}{' 等' if len(unknown) > 10 else ''}")
        manifest.write(result, path)
        if pages is not None:
            pages.save(self.cache.code, self.cat.changes.token)

    def _manifest(self, config, pages: doclines.DocLines | None) -> manifest.Manifest:
        """The manifest of the staging folder (and the recycled tree's claimed files); pages: the document pages
        listed by their kept lines (else by their reasons, like the other files)."""
        copied = copied_files([*(self.files or ()), *getattr(self, "copies", ())], config, self.root)
        reasons = manifest.site_reasons(self.cat, self.plans.values(), copied, self.old_pages, documents=pages is None)
        for rel in self.sitemap_files:  # the parts of a sitemap index (build/sitemap.py)
            reasons.add(rel, manifest.Reason("sitemap"))
        for href, kind in self.notices.items():  # pages at old document addresses (build/withdrawn.py)
            reasons.add(href, manifest.document_address_reason(href, kind, self.cat))
        for template in config.theme.static_templates:
            if template not in reasons.exact:
                reasons.add(template, manifest.Reason("theme", theme_label(template_dir(config, template), self.root),
                                                      template))
        assert self.staging is not None  # set by on_config
        head = manifest.site_meta(self.cat, getattr(self, "source", None))
        if self.preview is not None:  # gongkai publish refuses a preview (gongkai/tools/deploy.py)
            head["preview"] = {"old": self.preview.old_label, "changes": len(self.preview.rows)}
        recycled = getattr(self, "recycled", None)
        folder = self.cache.folder
        return manifest.build(self.staging, reasons, head, self.digests, self.cache.outputs(),
                              recycled.claimed if recycled else None, recycled.path if recycled else None,
                              stamp=(lambda: statcheck.clock(folder)) if folder is not None else None,
                              kept=getattr(self, "search_lines", None), pages=pages)

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()
        source = getattr(self, "source", None)
        if source is not None:
            source.result()  # git done, not left running
        walk = getattr(self, "walk", None)
        if walk is not None:  # failed between on_pre_build and on_files
            walk.restore()
        if self.session is not None:
            self.session.loaded()  # (stopped before the end of the load)
            # a save still running in the background (started by this build's on_post_build, before an error MkDocs
            # raised after it) holds the lock and releases it itself: finished first, never released twice at once;
            # the next build reads the cache back from its folder (what this one changed in memory is not saved)
            self.session.failed()
        staged = getattr(self, "staging", None)
        recycled = getattr(self, "recycled", None)
        if recycled is not None:
            recycled.unregister()
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
            staging.staged_manifest_path(staged).unlink(missing_ok=True)
        final = getattr(self, "final_site_dir", None)
        lock = getattr(self, "lock", None)
        if lock is not None:
            lock.release()
        if is_write_error(error) and final is not None and staged is not None:
            folders = [str(staged), str(staging.staged_manifest_path(staged)), str(self.root / ".cache")]
            name = os.path.basename(str(final).rstrip("/\\")) + "/"
            log.error(write_error_message(error, folders, str(self.root), name))
            raise Abort("已停止生成（写入失败）") from None

    def on_shutdown(self) -> None:
        """mkdocs serve stopped: it deletes its temporary site folder; what gongkai kept beside it goes too — the
        previous tree, the manifest of the first build of `mkdocs serve --clean` (a build until on_serve), and the
        staging folder of a rebuild Ctrl+C interrupted. `mkdocs build` keeps site.gongkai-prev for the next build."""
        watch = getattr(self, "native_watch", None)
        if watch is not None:
            watch.stop()
        if self.session is not None:
            self.session.close()  # the last rebuild's cache written
        final = getattr(self, "final_site_dir", None)
        if self.command == "serve" and final is not None:
            remove_path(staging.previous_tree_path(final))
            remove_path(staging.manifest_path(final))
            staging.remove_stale(final)  # no other build writes beside serve's own temporary folder

    def on_serve(self, server: Any, config, builder) -> Any:
        # Editing the catalogue rebuilds and reloads the open page; so does editing a template of the bureau's own
        # theme folder (overrides/: MkDocs watches theme folders only with --watch-theme, and then Material's too)
        server.watch(str(self.root / "catalog"))
        for folder in bureau_theme_dirs(config.theme.dirs, THEME_DIR):
            server.watch(str(folder))
        self.command = "serve"  # `mkdocs serve --clean` announces itself as a build; its rebuilds are previews
        self.address_checked = True  # the server is made and about to listen: on_config must not test its own port
        if self.session is None:
            self.session = ServeSession()
        # the system's change notices instead of MkDocs' polling of every file twice a second; which files changed,
        # for the next rebuild's load (servewatch.py)
        self.native_watch = NativeWatch(server, self.session.changes)
        self.native_watch.take_over()
        return server


def check_mkdocs_config(config, root: Path) -> None:
    """The settings of mkdocs.yml that gongkai cannot work without, each a Chinese error."""
    if config.theme.name != "material":
        raise PluginError(f"mkdocs.yml: 错误: 字段「theme」：gongkai 需要 Material 主题（theme: name: material），"
                          f"当前是「{config.theme.name}」")
    content = root / "content"
    if Path(config.docs_dir).resolve() != content:
        raise PluginError(f"mkdocs.yml: 错误: 字段「docs_dir」：应为 content（gongkai 从 {content} 读取文件和单页），"
                          f"当前是 {config.docs_dir}")


def setup_theme(config, root: Path) -> None:
    """Material as gongkai needs it, from any mkdocs.yml that names `theme: material` and `plugins: [gongkai]`.

    Theme folders, first match wins: the bureau's overrides/ (custom_dir, or overrides/ beside mkdocs.yml when
    custom_dir is not set), then gongkai's own part, then Material. Pages are files (xxx/index.html) so the
    site can be opened from a folder (file://); no web fonts; Chinese interface; the layout chrome.css styles.
    """
    theme = config.theme
    dirs = theme.dirs
    if theme.custom_dir is None and (root / "overrides").is_dir():
        dirs.insert(0, str(root / "overrides"))
    custom = 1 if theme.custom_dir is not None or (root / "overrides").is_dir() else 0
    if str(THEME_DIR) not in dirs:
        dirs.insert(custom, str(THEME_DIR))
    theme["font"] = False
    if theme["language"] == "en":  # Material's default
        theme["language"] = "zh"
    theme["palette"] = dict(THEME_PALETTE)
    features = list(theme["features"] or [])
    theme["features"] = features + [f for f in THEME_FEATURES if f not in features]
    config.use_directory_urls = False
    # Material's logo and drawer title link to the home page: a file, so that a site opened from a folder does
    # not show a directory listing (the default, nav.homepage, is missing: the home page is not in the nav)
    if not config.extra.get("homepage"):
        config.extra["homepage"] = "index.html"
    config.validation.nav.omitted_files = logging.DEBUG  # generated pages outside the nav are by design
    for ext in MARKDOWN_EXTENSIONS:
        if ext not in config.markdown_extensions:
            config.markdown_extensions.append(ext)


def theme_label(folder: str | None, root: Path) -> str:
    """Which theme folder a file comes from, for the manifest: the bureau's overrides, gongkai's part, Material."""
    if folder is None:
        return "theme"
    path = Path(folder).resolve()
    if path == THEME_DIR.resolve():
        return "gongkai"
    if path == (root / "overrides").resolve() or root in path.parents:
        return "overrides"
    if path.name == "templates" and path.parent.name == "material":
        return "material"
    return path.name


def template_dir(config, name: str) -> str | None:
    """The theme folder a static template (404.html, sitemap.xml) is rendered from: the first that has it."""
    return next((d for d in config.theme.dirs if os.path.isfile(os.path.join(d, name))), None)


def copied_files(files: Iterable[File], config, root: Path) -> list[manifest.Copied]:
    """What MkDocs (or gongkai in its stead, plugin._put_static_files) put into the site from a folder: files from
    content/ and from the theme folders."""
    docs_dir = os.path.abspath(config.docs_dir)
    out = []
    for f in files:
        if f.src_dir is None or f.inclusion.is_excluded():
            continue  # generated (the plugin's own pages, known from their plans) or left out of the build
        if os.path.abspath(f.src_dir) == docs_dir:
            out.append(manifest.Copied(f.dest_uri, f.src_uri, "content"))
        else:
            out.append(manifest.Copied(f.dest_uri, f.src_uri, theme_label(f.src_dir, root)))
    return out


def html_titles(nav: list) -> list:
    """The nav with every title HTML-escaped: MkDocs themes render titles without autoescape."""
    out: list = []
    for item in nav:
        if isinstance(item, dict):
            out.append({html.escape(k, quote=False): html_titles(v) if isinstance(v, list) else v for k, v in item.items()})
        else:
            out.append(item)
    return out


__all__ = ["GongkaiPlugin", "gzip"]
