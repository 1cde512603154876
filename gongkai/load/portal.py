"""What catalog/site.yml says about the citizen's side of the site: the home page's 常用服务, the marks of a
government site (logo, favicon, 党政机关网站标识, 我为政府网站找错), the statements, and the search synonyms.

Parsed with the rest of site.yml (load_site); links to columns, packages and documents are resolved once they
are all loaded (resolve_portal, a step of the loader), so a wrong id is reported with its file, line and field.
The images it names are site assets: published like the files listed under `assets` (checks/publication.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.load.columns import column_index
from gongkai.load.documents import missing_target
from gongkai.load.fields import Fields, type_name
from gongkai.load.yamlsrc import Seq
from gongkai.model import Catalogue, Mark, Portal, Service

PORTAL_FIELDS = {
    "home": "首页设置（常用服务、最新公开条数）",
    "marks": "政府网站标识（机关标志、网站图标、党政机关网站标识、我为政府网站找错）",
    "statements": "隐私声明、网站声明的正文文件",
    "search": "站内搜索（同义词）",
}
HOME_FIELDS = {"services": "常用服务", "latest": "最新公开显示条数"}
SERVICE_FIELDS = {
    "name": "名称（默认取栏目、服务包或文件的名称）", "description": "一句话说明",
    "column": "栏目标识或路径", "package": "主题服务包标识", "document": "文件标识（文件页面网址 documents/标识.html 中的标识）", "url": "网址",
}
SERVICE_TARGETS = ("column", "package", "document", "url")
MARKS_FIELDS = {
    "logo": "机关标志图片（相对 content/，如 files/logo.png）", "favicon": "网站图标（.ico/.png/.svg，相对 content/）",
    "dzjg": "党政机关网站标识", "zhaocuo": "我为政府网站找错",
}
MARK_FIELDS = {"image": "图片（相对 content/）", "url": "链接地址", "text": "文字（无图片或内网时显示）"}
STATEMENT_FIELDS = {"privacy": "隐私声明正文（Markdown，相对 content/）", "terms": "网站声明正文（Markdown，相对 content/）"}
SEARCH_FIELDS = {
    "synonyms": "同义词组：每组是意思相同的几个词，搜任何一个都能找到其他的",
    "related": "单向扩展：搜左边的词时也查右边列出的词",
    "builtin_synonyms": "是否使用内置的民政常用同义词表（默认 true）",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico")


def parse_portal(problems: Problems, file: str, site: Fields, content: Path,
                 assets: list[tuple[str, int | None]] | None = None) -> Portal:
    """The portal settings of site.yml (`site` reads its top level); files are looked for under `content`.
    The images found are added to `assets` (path, line), so that they are published."""
    portal = Portal()
    if site.has("home"):
        h = Fields(problems, file, site.raw("home"), HOME_FIELDS, "home")
        portal.latest = h.int("latest", portal.latest, minimum=1)
        for item in h.records("services", SERVICE_FIELDS, "常用服务", "每项写 column、package、document 或 url 之一"):
            targets = [k for k in SERVICE_TARGETS if item.has(k)]
            if len(targets) != 1:
                item.err(None, "常用服务的每一项应写且只写 column（栏目）、package（服务包）、document（文件）、url（网址）之一"
                         + (f"，这里写了 {'、'.join(targets)}" if targets else ""))
                continue
            kind = targets[0]
            target = item.str(kind)
            if kind == "url" and not re.match(r"^https?://\S+$", target):
                item.err("url", f"「{target}」不是以 http:// 或 https:// 开头的网址")
                continue
            portal.services.append(Service(kind, target, item.str("name"), item.str("description"),
                                           line=item.line(kind)))
    if site.has("marks"):
        m = Fields(problems, file, site.raw("marks"), MARKS_FIELDS, "marks")
        portal.logo = _image(m, "logo", content)
        portal.favicon = _image(m, "favicon", content)
        portal.dzjg = _mark(problems, file, m, "dzjg", content)
        portal.zhaocuo = _mark(problems, file, m, "zhaocuo", content)
        if assets is not None:
            for path, key in ((portal.logo, "logo"), (portal.favicon, "favicon"),
                              (portal.dzjg.image if portal.dzjg else "", "dzjg"),
                              (portal.zhaocuo.image if portal.zhaocuo else "", "zhaocuo")):
                if path and all(path != a for a, _ in assets):
                    assets.append((path, m.line(key)))
    if site.has("statements"):
        s = Fields(problems, file, site.raw("statements"), STATEMENT_FIELDS, "statements")
        portal.privacy_page = _content_file(s, "privacy", content, (".md",))
        portal.terms_page = _content_file(s, "terms", content, (".md",))
        portal.privacy_md = _text(s, "privacy", content, portal.privacy_page)
        portal.terms_md = _text(s, "terms", content, portal.terms_page)
    if site.has("search"):
        s = Fields(problems, file, site.raw("search"), SEARCH_FIELDS, "search")
        portal.builtin_synonyms = s.bool("builtin_synonyms", True)
        portal.synonyms = _groups(s, "synonyms")
        portal.related = _related(s, "related")
    return portal


def _content_file(f: Fields, key: str, content: Path, suffixes: tuple[str, ...]) -> str:
    path = f.str(key)
    if not path:
        return ""
    rel = path.lstrip("/")
    if rel.startswith("content/"):
        rel = rel[len("content/"):]
    target = (content / rel).resolve()
    if not target.is_relative_to(content.resolve()):
        f.err(key, f"「{path}」不在 content/ 中（网站只发布 content/ 下的文件）")
    elif not rel.lower().endswith(suffixes):
        f.err(key, f"「{path}」的类型不对，应为 {'、'.join(suffixes)} 文件")
    elif not target.is_file():
        f.err(key, f"找不到文件 content/{rel}")
    else:
        return rel
    return ""


def _text(f: Fields, key: str, content: Path, rel: str) -> str:
    if not rel:
        return ""
    try:
        return (content / rel).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        f.err(key, f"content/{rel} 不是 UTF-8 编码的文本，请用 UTF-8 保存")
        return ""


def _image(f: Fields, key: str, content: Path) -> str:
    return _content_file(f, key, content, IMAGE_SUFFIXES)


def _mark(problems: Problems, file: str, m: Fields, key: str, content: Path) -> Mark | None:
    """A mark: a mapping {image, url, text}; false hides it."""
    raw = m.raw(key)
    if raw is None or raw is False:
        return None
    f = Fields(problems, file, raw, MARK_FIELDS, key)
    if not f.ok:
        return None
    mark = Mark(_image(f, "image", content), f.str("url"), f.str("text"))
    if mark.url and not re.match(r"^https?://\S+$", mark.url):
        f.err("url", f"「{mark.url}」不是以 http:// 或 https:// 开头的网址")
    if not (mark.image or mark.text or mark.url):
        f.err(None, f"{MARKS_FIELDS[key]}应写 image（图片）、url（链接）或 text（文字）；不显示时写 {key}: false")
        return None
    return mark


def _terms(m: Fields, key: str, value: Any, line: int | None) -> list[str]:
    if not isinstance(value, list) or not value:
        m.err(key, f"应为词语列表，如 [最低生活保障, 低保]，实际是{type_name(value)}", line)
        return []
    out = []
    for word in value:
        if not isinstance(word, str | int) or isinstance(word, bool) or len(str(word).strip()) < 2:
            m.err(key, f"「{word}」不是至少两个字的词语", line)
            continue
        out.append(str(word).strip())
    return out


def _groups(m: Fields, key: str) -> list[list[str]]:
    raw = m.raw(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        m.err(key, f"应为同义词组的列表，每组如 [最低生活保障, 低保]，实际是{type_name(raw)}")
        return []
    out = []
    for i, group in enumerate(raw):
        line = raw.line_of(i) if isinstance(raw, Seq) else m.line(key)
        words = _terms(m, key, group, line)
        if len(words) == 1:
            m.err(key, f"同义词组「{words[0]}」只有一个词，至少要两个", line)
        elif len(words) > 1:
            out.append(words)
    return out


def _related(m: Fields, key: str) -> dict[str, list[str]]:
    raw = m.raw(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        m.err(key, f"应为「词语: [也查的词语, …]」的键值对象，实际是{type_name(raw)}")
        return {}
    out = {}
    for word, alts in raw.items():
        line = raw.line_of(word) if hasattr(raw, "line_of") else m.line(key)
        words = _terms(m, key, alts if isinstance(alts, list) else [alts], line)
        if len(str(word).strip()) < 2:
            m.err(key, f"「{word}」不是至少两个字的词语", line)
        elif words:
            out[str(word).strip()] = words
    return out


def resolve_portal(cat: Catalogue, problems: Problems) -> None:
    """Point every 常用服务 at its page; a column, package or document that does not exist is an error."""
    file = cat.site.source.file
    index = column_index(cat.roots)
    packages = {p.id: p for p in cat.packages}
    for s in cat.site.portal.services:
        if s.kind == "column":
            cols = index.get(s.target.strip("/"), [])
            if len(cols) != 1:
                problems.error(file, s.line, "column", f"常用服务：找不到栏目「{s.target}」（写栏目标识，或完整路径如 zdlyxxgk/shjz）"
                               if not cols else f"常用服务：栏目标识「{s.target}」不唯一，请写完整路径",
                               after="catalog/columns.yml")  # quiet while columns.yml cannot be read
                continue
            s.href, s.name = cols[0].href, s.name or cols[0].name
        elif s.kind == "package":
            pkg = packages.get(s.target)
            if pkg is None:
                problems.error(file, s.line, "package", f"常用服务：找不到主题服务包「{s.target}」（catalog/packages.yml 中的 id）",
                               after="catalog/packages.yml")
                continue
            s.href, s.name = pkg.href, s.name or pkg.name
            s.description = s.description or pkg.summary
        elif s.kind == "document":
            doc = cat.document(s.target)
            if doc is None:
                problems.error(file, s.line, "document", "常用服务：" + missing_target("文件", s.target, cat.documents),
                               after=f"document:{s.target}")
                continue
            if not doc.is_public:
                problems.error(file, s.line, "document", f"常用服务：文件「{s.target}」（{doc.title}）的公开属性是"
                               f"「{doc.disclosure}」，不会在网站上公开，不能列为常用服务")
                continue
            s.href, s.name = doc.href, s.name or doc.title
        else:
            s.href = s.target
            if not s.name:
                problems.error(file, s.line, "name", "常用服务：网址一项要写 name（名称）")
