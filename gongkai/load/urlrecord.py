"""The record of every column URL ever published (catalog/urls.lock.yml), and the pages that keep old URLs alive.

The record is committed with the catalogue and written only by `gongkai lock`; the build reads it and never
changes it, so the redirect pages depend on nothing but the repository. Each entry maps one URL to the identity
of the column it belonged to: the column id (or its full path when the id is not unique). At build time:

- the URL is a current column's URL: a normal page, nothing to do;
- the identity names exactly one current column: a redirect page to that column's new URL;
- otherwise: a "本栏目已撤销" page linking to the catalogue table.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from gongkai.build.render import relurl
from gongkai.errors import Problems
from gongkai.load.fields import Fields, type_name
from gongkai.load.loader import EXTENSIONS, column_index
from gongkai.load.sources import read_yaml_file
from gongkai.load.yamlsrc import Node
from gongkai.model import Catalogue, Column

LOCK_REL = "catalog/urls.lock.yml"
CATALOGUE_HREF = "bzml/index.html"
HEADER = """\
# 地址记录：本站发布过的每个栏目地址，以及它属于哪个栏目（column：栏目标识）。
# 由 `gongkai lock` 生成和更新，请随目录一起提交到 git，不要手工删除条目：
# 栏目移动或改名后，旧地址靠这里的记录跳转到新地址；栏目撤销后，旧地址显示“本栏目已撤销”。
# 没有设置 id 的栏目改名后地址会变：运行 gongkai lock --rename 旧标识=新标识 让旧地址跳转到新栏目。
"""


@dataclass(frozen=True)
class Entry:
    url: str  # site-relative, e.g. fdzdgknr/zcfg/bmwj/index.html
    column: str  # column id, or its full path when the id is not unique
    name: str  # the column's name when the URL was last live
    line: int | None = None


@dataclass(frozen=True)
class OldPage:
    """A page generated at an old URL: a redirect (target set) or a withdrawn-column notice."""

    url: str
    name: str
    target: Column | None


# --- reading and writing the record ---------------------------------------------------------------


def lock_path(root: Path) -> Path:
    return root / LOCK_REL


def load_record(root: Path, problems: Problems) -> list[Entry] | None:
    """The entries of the lock file, or None when the site has none. Problems name file, line and field."""
    path = lock_path(root)
    if not path.exists():
        return None
    data = read_yaml_file(root, path, problems)
    if data is None:
        return []
    f = Fields(problems, LOCK_REL, data, {"urls": "地址列表"}, "地址记录")
    raw = f.raw("urls")
    if raw is None:
        return []
    if not isinstance(raw, dict):
        f.err("urls", f"应为「地址: {{column: 栏目标识, name: 栏目名称}}」的键值对象，实际是{type_name(raw)}")
        return []
    entries: list[Entry] = []
    for url, item in raw.items():
        line = raw.line_of(url) if isinstance(raw, Node) else None
        e = Fields(problems, LOCK_REL, item, {"column": "栏目标识", "name": "栏目名称"}, f"地址「{url}」的记录")
        if not e.ok:
            continue
        if not url.endswith("/index.html") or url.startswith(("/", ".")) or ".." in url or "://" in url:
            problems.error(LOCK_REL, line, "urls", f"地址「{url}」无效：应为站内栏目地址，如 fdzdgknr/zcfg/index.html")
            continue
        entries.append(Entry(url, e.str("column", required=True), e.str("name"), line))
    return sorted(entries, key=lambda x: x.url)


def dump_record(entries: list[Entry]) -> str:
    """The lock file text: sorted by URL, one line per URL (JSON strings are valid YAML)."""
    out = [HEADER, "urls:\n"]
    for e in sorted(entries, key=lambda x: x.url):
        column, name = json.dumps(e.column, ensure_ascii=False), json.dumps(e.name, ensure_ascii=False)
        value = f"{{column: {column}, name: {name}}}"
        out.append(f"  {json.dumps(e.url, ensure_ascii=False)}: {value}\n")
    if not entries:
        out[-1] = "urls: {}\n"
    return "".join(out)


def identity(col: Column, roots: list[Column]) -> str:
    """How the record names a column: its id when no other column has it, else its full path."""
    index = column_index(roots)
    return col.id if len(index.get(col.id, [])) == 1 else col.path


@dataclass
class LockUpdate:
    entries: list[Entry]
    added: list[Entry]
    renamed: list[tuple[str, str, int]]  # old identity, new identity, entries changed
    withdrawn: list[Entry]  # recorded URLs whose column no longer exists
    unknown_renames: list[str]  # --rename sources found in no entry


def update_record(old: list[Entry], roots: list[Column], renames: dict[str, str] | None = None) -> LockUpdate:
    """Add every current column URL, refresh names of live URLs, apply renames; never drop an entry."""
    renames = renames or {}
    by_url = {e.url: e for e in old}
    renamed: list[tuple[str, str, int]] = []
    unknown: list[str] = []
    for src, dst in sorted(renames.items()):
        hits = [u for u, e in by_url.items() if e.column == src]
        if not hits:
            unknown.append(src)
        for u in hits:
            by_url[u] = Entry(u, dst, by_url[u].name)
        renamed.append((src, dst, len(hits)))
    added: list[Entry] = []
    for root in roots:
        for col in root.walk():
            ident = identity(col, roots)
            prev = by_url.get(col.href)
            entry = Entry(col.href, ident, col.name)
            if prev is None:
                added.append(entry)
            by_url[col.href] = entry
    entries = sorted(by_url.values(), key=lambda x: x.url)
    index = column_index(roots)
    withdrawn = [e for e in entries if len(index.get(e.column, [])) != 1]
    return LockUpdate(entries, added, renamed, withdrawn, unknown)


# --- what the build makes of it --------------------------------------------------------------------


def old_pages(entries: list[Entry], roots: list[Column]) -> list[OldPage]:
    """Pages for recorded URLs that are no longer a column's URL, sorted by URL."""
    live = {c.href for r in roots for c in r.walk()}
    index = column_index(roots)
    out: list[OldPage] = []
    for e in sorted(entries, key=lambda x: x.url):
        if e.url in live:
            continue
        targets = index.get(e.column, [])
        out.append(OldPage(e.url, e.name, targets[0] if len(targets) == 1 else None))
    return out


def check(cat: Catalogue, problems: Problems) -> None:
    """Loader extension: validate the record and warn about URLs it lacks (it never stops a build for that)."""
    entries = load_record(cat.root_dir, problems)
    if entries is None:
        return
    index = column_index(cat.roots)
    recorded = {e.url for e in entries}
    missing = [c for c in cat.columns() if c.href not in recorded]
    if missing:
        sample = "、".join(f"{c.name}（{c.href}）" for c in missing[:5]) + (" 等" if len(missing) > 5 else "")
        problems.warn(LOCK_REL, None, "urls", f"地址记录缺少 {len(missing)} 个当前栏目地址：{sample}。"
                      "请运行 gongkai lock 更新并提交，否则这些地址以后变化时旧链接无法跳转")
    for e in entries:
        n = len(index.get(e.column, []))
        if n > 1:
            problems.warn(LOCK_REL, e.line, "column", f"地址「{e.url}」记录的栏目标识「{e.column}」对应多个栏目，"
                          "旧地址将显示“本栏目已撤销”；请给栏目设置唯一的 id，或把记录改为栏目的完整路径")


if check not in EXTENSIONS:
    EXTENSIONS.append(check)


def _page(title: str, head: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n{head}"
        "<style>body{font:20px/1.8 sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#1a1a1a}"
        "a{color:#0b57a4}h1{font-size:1.5em}</style>\n</head>\n<body>\n<main>\n"
        f"{body}</main>\n</body>\n</html>\n"
    )


def render_old_page(page: OldPage, site_name: str) -> str:
    if page.target is not None:
        to = relurl(page.url, page.target.href)
        q = html.escape(to, quote=True)
        trail = " / ".join(a.name for a in page.target.ancestors + [page.target])
        head = (f"<meta http-equiv=\"refresh\" content=\"0; url={q}\">\n<link rel=\"canonical\" href=\"{q}\">\n"
                "<meta name=\"robots\" content=\"noindex\">\n")
        body = (f"<h1>栏目地址已变更</h1>\n<p>「{html.escape(page.name)}」栏目已迁移到新地址：</p>\n"
                f"<p><a id=\"gk-redirect\" href=\"{q}\">{html.escape(trail)}</a></p>\n"
                "<p>如果页面没有自动跳转，请点击上面的链接，并更新您的收藏。</p>\n")
        return _page(f"栏目地址已变更 - {site_name}", head, body)
    cat = html.escape(relurl(page.url, CATALOGUE_HREF), quote=True)
    home = html.escape(relurl(page.url, "index.html"), quote=True)
    body = (f"<h1>本栏目已撤销</h1>\n<p>「{html.escape(page.name)}」栏目已撤销，原有信息不再在此发布。</p>\n"
            f"<p>请在<a id=\"gk-catalogue\" href=\"{cat}\">政府信息公开标准目录</a>中查找所需信息，"
            f"或返回<a href=\"{home}\">{html.escape(site_name)}首页</a>。</p>\n")
    return _page(f"本栏目已撤销 - {site_name}", "<meta name=\"robots\" content=\"noindex\">\n", body)


def write_old_pages(cat: Catalogue, site_dir: Path) -> int:
    """Write redirect and withdrawn pages into the (staging) site folder; returns how many."""
    entries = load_record(cat.root_dir, Problems()) or []
    pages = old_pages(entries, cat.roots)
    for page in pages:
        out = site_dir / page.url
        if out.exists():  # never overwrite a page the build made
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_old_page(page, cat.site.name), encoding="utf-8")
    return len(pages)


__all__ = ["Entry", "OldPage", "load_record", "dump_record", "update_record", "old_pages", "write_old_pages"]
