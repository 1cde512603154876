"""Load catalog/ and content/ into the validated model, collecting every problem."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from gongkai.build.posters import check_coverage
from gongkai.checks import privacy
from gongkai.checks.consistency import check_consistency
from gongkai.checks.guide import check_guide
from gongkai.checks.indexno import check_index_numbers
from gongkai.checks.validity import apply_default_terms
from gongkai.errors import GongkaiError, Problem, Problems
from gongkai.fsutil import rel_posix, sorted_files
from gongkai.load import slugs
from gongkai.load.fields import Fields, type_name
from gongkai.load.inspection_rules import parse_rules
from gongkai.load.packages import load_packages, warn_outdated_policies
from gongkai.load.sources import NO_FRONT_MATTER, bad_byte_line, front_matter_yaml, not_utf8, read_utf8, read_yaml_file
from gongkai.load.yamlsrc import Seq, split_front_matter
from gongkai.model import (
    COLUMN_KINDS,
    DISCLOSURE_VALUES,
    STATUS_VALUES,
    Attachment,
    Catalogue,
    Column,
    Contact,
    Document,
    Guide,
    Revision,
    Site,
    Source,
)
from gongkai.vocab import FREQUENCIES, GOV_CN_TOPICS, normalize_frequency

MAX_LEVELS = 3
# Top-level URL folders the generator itself uses.
RESERVED_SLUGS = {
    "documents", "data", "posters", "assets", "search", "accessibility", "bzml", "pages", "files",
    "packages", "pagefind", "javascripts", "stylesheets", "feeds", "redirects", "sitemap",
}

SITE_FIELDS = {
    "name": "机构名称", "org_code": "统一社会信用代码", "site_url": "网站地址", "site_id": "网站标识码",
    "description": "网站简介", "contact": "联系方式", "host": "主办单位", "icp": "ICP备案号",
    "psb": "公安机关备案号", "topics": "主题分类", "validity": "有效期规则", "guide": "公开指南规则",
    "privacy_ok": "全站个人信息公开许可（由隐私检查读取）", "inspection": "检查规则（gongkai inspect）",
}
CONTACT_FIELDS = {
    "office": "政府信息公开工作机构", "address": "地址", "postcode": "邮编", "hours": "办公时间",
    "phone": "电话", "fax": "传真", "email": "电子邮箱",
}
COLUMN_FIELDS = {
    "name": "栏目名称", "id": "栏目标识", "kind": "栏目类型", "frequency": "更新频率", "office": "负责科室",
    "description": "栏目说明", "page": "页面文件", "url": "链接地址", "children": "下级栏目",
}
DOCUMENT_FIELDS = {
    "title": "标题", "id": "文件标识", "doc_number": "文号", "index_no": "索引号", "publisher": "发布机构",
    "written": "成文日期", "published": "发布日期", "topic": "主题分类", "columns": "所属栏目",
    "disclosure": "公开属性", "normative": "行政规范性文件", "effective": "施行日期", "expires": "有效期至",
    "status": "状态", "status_date": "状态变更日期", "replaced_by": "替代文件", "interprets": "解读的文件",
    "attachments": "附件", "privacy_ok": "个人信息公开依据", "year": "报告年度", "summary": "内容概述",
    "scheduled": "预定发布",
}
GUIDE_FIELDS = {"title": "标题", "revised": "修订时间", "revisions": "修订记录"}


def rel(root: Path, path: Path) -> str:
    return rel_posix(root, path)


# --- site.yml ---------------------------------------------------------------------------------


def load_site(root: Path, problems: Problems) -> Site:
    path = root / "catalog" / "site.yml"
    name = rel(root, path)
    data = read_yaml_file(root, path, problems)
    f = Fields(problems, name, data if data is not None else {}, SITE_FIELDS, "site.yml")
    site_url = f.str("site_url", required=True)
    if site_url and not re.match(r"^https?://[^/\s]+", site_url):
        f.err("site_url", f"「{site_url}」不是以 http:// 或 https:// 开头的绝对地址")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    contact = Contact()
    if f.has("contact"):
        c = Fields(problems, name, f.raw("contact"), CONTACT_FIELDS, "contact")
        contact = Contact(**{k: c.str(k) for k in CONTACT_FIELDS})
    topics = f.str_list("topics") or list(GOV_CN_TOPICS)
    site = Site(
        name=f.str("name", required=True),
        org_code=f.str("org_code", required=True),
        site_url=site_url,
        site_id=f.str("site_id"),
        description=f.str("description"),
        contact=contact,
        host=f.str("host"),
        icp=f.str("icp"),
        psb=f.str("psb"),
        topics=topics,
        source=Source(name, f.start_line),
    )
    if not site.host:
        site.host = site.name
    if f.has("validity"):
        v = Fields(problems, name, f.raw("validity"), {"default_term_years": "默认有效期（年）",
                   "provisional_term_years": "暂行/试行有效期（年）"}, "validity")
        site.default_term_years = v.int("default_term_years", 5, minimum=1)
        site.provisional_term_years = v.int("provisional_term_years", 2, minimum=1)
    if f.has("guide"):
        g = Fields(problems, name, f.raw("guide"), {"stale_months": "指南修订提醒（月）"}, "guide")
        site.guide_stale_months = g.int("stale_months", 12, minimum=1)
    if f.has("inspection"):
        site.inspection = parse_rules(problems, name, f.raw("inspection"))
    return site


# --- columns.yml ------------------------------------------------------------------------------


def load_columns(root: Path, problems: Problems) -> list[Column]:
    path = root / "catalog" / "columns.yml"
    name = rel(root, path)
    data = read_yaml_file(root, path, problems)
    if data is None:
        return []
    if isinstance(data, dict) and "columns" in data:
        if set(data) - {"columns"}:
            extra = "、".join(sorted(set(data) - {"columns"}))
            problems.error(name, data.line_of(sorted(set(data) - {"columns"})[0]), None, f"未知的顶层字段：{extra}")
        data = data["columns"]
    if not isinstance(data, list):
        problems.error(name, getattr(data, "line", None), "columns", f"标准目录应为栏目列表，实际是{type_name(data)}")
        return []
    roots = _load_column_list(data, None, 1, name, problems)
    _check_ids(roots, name, problems)
    return roots


def _load_column_list(items: list, parent: Column | None, level: int, file: str, problems: Problems) -> list[Column]:
    out: list[Column] = []
    for i, item in enumerate(items):
        line = items.line_of(i) if isinstance(items, Seq) else None
        if not isinstance(item, dict):
            problems.error(file, line, None, f"第 {level} 级栏目的第 {i + 1} 项应为键值对象，实际是{type_name(item)}")
            continue
        col = _load_column(item, parent, level, file, problems)
        if col is not None:
            out.append(col)
    # sibling slug collisions
    seen: dict[str, Column] = {}
    for col in out:
        if col.slug in seen:
            other = seen[col.slug]
            problems.error(
                file, col.line_of("id"), "id",
                f"栏目「{col.name}」与同级栏目「{other.name}」（第 {other.line_of('id')} 行）的地址都是「{col.slug}」，"
                "请为其中一个设置不同的 id",
            )
        else:
            seen[col.slug] = col
        if level == 1 and col.slug in RESERVED_SLUGS:
            problems.error(file, col.line_of("id"), "id", f"一级栏目地址「{col.slug}」是系统保留名称，请设置其他 id")
    return out


def _load_column(item: dict, parent: Column | None, level: int, file: str, problems: Problems) -> Column | None:
    f = Fields(problems, file, item, COLUMN_FIELDS, "栏目")
    name = f.str("name", required=True)
    explicit = f.str("id")
    if explicit:
        slug = explicit
        if not slugs.is_valid_slug(explicit):
            f.err("id", f"栏目标识「{explicit}」无效：只能用小写字母、数字和连字符，且以字母或数字开头")
    else:
        slug = slugs.initials(name)
        if name and not slug:
            f.err("name", f"无法从栏目名称「{name}」生成地址，请设置 id")
    children_raw = item.get("children") if isinstance(item, dict) else None
    kind = f.str("kind", default="section" if children_raw else "documents")
    if kind not in COLUMN_KINDS:
        f.err("kind", f"栏目类型「{kind}」无效，可选：" + "、".join(f"{k}（{v}）" for k, v in COLUMN_KINDS.items()))
        kind = "section"
    frequency = f.str("frequency")
    if frequency and not normalize_frequency(frequency):
        f.err("frequency", f"更新频率「{frequency}」无效，可选：{'、'.join(FREQUENCIES)}")
    frequency = normalize_frequency(frequency)  # 每季度 as the importer reads it: 每季度更新
    col = Column(
        name=name, slug=slug or f"column-{f.start_line}", kind=kind, frequency=frequency, office=f.str("office"),
        description=f.str("description"), page=f.str("page"), url=f.str("url"), id_explicit=bool(explicit),
        parent=parent, source=Source(file, f.start_line), field_lines=dict(f.node.key_lines),
    )
    if kind == "link":
        if not col.url:
            f.err("url", f"外部链接栏目「{name}」缺少必填字段「url」", f.start_line)
        elif not re.match(r"^https?://", col.url):
            f.err("url", f"链接地址「{col.url}」应以 http:// 或 https:// 开头")
    elif col.url:
        f.err("url", "只有 link（外部链接）类型的栏目可以设置 url")
    if col.page and kind not in ("page", "guide"):
        f.err("page", "只有 page（单页）或 guide 类型的栏目可以设置 page")
    if children_raw is not None:
        if level >= MAX_LEVELS:
            f.err("children", f"栏目「{name}」是第 {level} 级栏目，不能再有下级栏目：标准目录最多三级")
        elif not isinstance(children_raw, list):
            f.err("children", f"下级栏目应为列表，实际是{type_name(children_raw)}")
        else:
            col.children = _load_column_list(children_raw, col, level + 1, file, problems)
    return col


def _check_ids(roots: list[Column], file: str, problems: Problems) -> None:
    explicit: dict[str, Column] = {}
    for root in roots:
        for col in root.walk():
            if col.id_explicit:
                if col.id in explicit:
                    other = explicit[col.id]
                    problems.error(file, col.line_of("id"), "id",
                                   f"栏目标识「{col.id}」重复：已被栏目「{other.name}」（第 {other.line_of('id')} 行）使用")
                else:
                    explicit[col.id] = col


NAME_KEY = "\0name:"  # index keys of column names (never a valid reference: a NUL cannot be written in YAML text)


def column_index(roots: list[Column]) -> dict[str, list[Column]]:
    """Every way a document may name a column: its id, and its full path; and its name under NAME_KEY, only to
    answer a reference by name with the id to write."""
    index: dict[str, list[Column]] = {}
    for root in roots:
        for col in root.walk():
            index.setdefault(col.id, []).append(col)
            if col.path != col.id:
                index.setdefault(col.path, []).append(col)
            index.setdefault(NAME_KEY + col.name, []).append(col)
    return index


def unknown_column_message(ref: str, index: dict[str, list[Column]]) -> str:
    """What to say about a column reference that matches no id or path."""
    named = index.get(NAME_KEY + ref.strip(), [])
    if len(named) == 1:
        return f"「{ref}」是栏目名称，这里要写栏目标识：请写「{named[0].id}」"
    if named:
        return f"「{ref}」是 {len(named)} 个栏目的名称，这里要写栏目标识，请写其中一个的完整路径：" + "、".join(c.path for c in named)
    return f"栏目「{ref}」在标准目录 catalog/columns.yml 中不存在"


# --- documents ---------------------------------------------------------------------------------


def _safe_rel_path(base: Path, ref: str, root: Path) -> Path | None:
    """Resolve a path written by the author, refusing anything outside content/."""
    if not ref or ref.startswith("/") or re.match(r"^[A-Za-z]:", ref) or "\\" in ref or "\0" in ref or len(ref) > 1024:
        return None
    try:
        target = (base / ref).resolve()
    except (OSError, ValueError, RuntimeError):  # a symlink loop, a name the system refuses …
        return None
    content = (root / "content").resolve()
    if content != target and content not in target.parents:
        return None
    return target


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system …
        return False


def read_source(path: Path) -> tuple[str, str]:
    """The text of a UTF-8 file as Path.read_text gives it (universal newlines), and a digest of its bytes."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # UnicodeDecodeError: its .object is the whole file, for the message
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, hashlib.sha256(raw).hexdigest()  # SHA-256: hardware-accelerated on most CPUs, the fastest here


def load_document(root: Path, path: Path, site: Site, index: dict[str, list[Column]], problems: Problems) -> Document | None:
    name = rel(root, path)
    try:
        text, digest = read_source(path)
    except UnicodeDecodeError as exc:
        problems.unreadable_file(name, bad_byte_line(exc), not_utf8(exc), f"document:{path.stem}")
        return None
    fm, body, body_line = split_front_matter(text)
    if fm is None:
        problems.unreadable_file(name, 1, "缺少以 --- 开头的 front matter（标题、发布日期、所属栏目等）", f"document:{path.stem}")
        return None
    if fm == "" and body_line == 1:
        problems.unreadable_file(name, 1, "front matter 没有以 --- 结束", f"document:{path.stem}")
        return None
    data = front_matter_yaml(name, fm, problems, f"document:{path.stem}")
    if data is NO_FRONT_MATTER:
        return None
    if data is None:
        data = {}
    f = Fields(problems, name, data, DOCUMENT_FIELDS, "文件 front matter")
    if not f.ok:
        return None
    doc_id = f.str("id") or path.stem
    if not slugs.is_valid_doc_id(doc_id):
        if f.has("id"):
            f.err("id", f"文件标识「{doc_id}」无效：只能用字母、数字、点、连字符和下划线")
        else:
            f.err(None, f"文件名「{path.name}」不能直接作为网址，请改用字母数字文件名，或在 front matter 中设置 id", 1)
    published = f.date("published", required=True)
    doc = Document(
        id=doc_id,
        title=f.str("title", required=True),
        published=published or dt.date(1970, 1, 1),
        source=Source(name, f.start_line),
        doc_number=f.str("doc_number"),
        index_no=f.str("index_no"),
        publisher=f.str("publisher") or site.name,
        written=f.date("written"),
        topic=f.str("topic"),
        column_refs=f.str_list("columns", required=True),
        disclosure=f.choice("disclosure", DISCLOSURE_VALUES, default="主动公开"),
        normative=f.bool("normative"),
        effective=f.date("effective"),
        expires=f.date("expires"),
        status=f.choice("status", STATUS_VALUES),
        status_date=f.date("status_date"),
        replaced_by=f.str("replaced_by"),
        interprets=f.str("interprets"),
        scheduled=f.bool("scheduled"),
        body=body,
        body_line=body_line,
    )
    doc.extra["summary"] = f.str("summary")
    doc.extra["front_matter"] = data  # every field with its line, for the privacy gate
    doc.extra["lines"] = dict(getattr(data, "key_lines", {}))  # field -> line, for later checks
    doc.extra["source_digest"] = digest  # the build cache's stand-in for the body and front matter
    if f.has("year"):
        doc.year = f.int("year", 0, minimum=1900)
    if doc.topic:
        top = doc.topic.split("\\")[0]
        if top not in site.topics:
            f.err("topic", f"主题分类「{doc.topic}」不在 site.yml 的主题分类表中")
    if doc.written and published and doc.written > published:
        f.err("written", f"成文日期 {doc.written} 晚于发布日期 {published}")
    if doc.effective and doc.expires and doc.expires < doc.effective:
        f.err("expires", f"有效期至 {doc.expires} 早于施行日期 {doc.effective}")
    if doc.replaced_by and not doc.status:
        f.err("replaced_by", "设置了替代文件，但没有设置状态（废止/修改/失效）")
    # columns
    for i, ref in enumerate(doc.column_refs):
        raw = f.raw("columns")
        line = raw.line_of(i) if isinstance(raw, Seq) else f.line("columns")
        cols = index.get(ref.strip("/"), [])
        if not cols:
            f.err("columns", unknown_column_message(ref, index), line, after="catalog/columns.yml")
        elif len(cols) > 1:
            paths = "、".join(c.path for c in cols)
            f.err("columns", f"栏目标识「{ref}」不唯一（{paths}），请写完整路径", line)
        elif cols[0] in doc.columns:
            f.err("columns", f"栏目「{ref}」重复列出", line)
        else:
            col = cols[0]
            if col.kind not in ("documents", "policies", "reports"):
                f.err("columns", f"栏目「{col.name}」的类型是 {col.kind}（{col.kind_label}），不能放文件", line)
            doc.columns.append(col)
    # attachments
    raw_att = f.raw("attachments")
    if raw_att is not None:
        if not isinstance(raw_att, list):
            f.err("attachments", f"附件应为列表，实际是{type_name(raw_att)}")
        else:
            for i, item in enumerate(raw_att):
                line = raw_att.line_of(i) if isinstance(raw_att, Seq) else f.line("attachments")
                if isinstance(item, str):
                    title, file = Path(item).name, item
                elif isinstance(item, dict):
                    a = Fields(problems, name, item, {"title": "附件名称", "file": "附件文件"}, "附件")
                    file = a.str("file", required=True)
                    title = a.str("title") or Path(file).name
                else:
                    f.err("attachments", f"第 {i + 1} 个附件应为文件路径或 {{title, file}}", line)
                    continue
                target = _safe_rel_path(path.parent, file, root)
                if target is None:
                    f.err("attachments", f"附件路径「{file}」不能是绝对路径，也不能离开 content/ 目录", line)
                elif not _is_file(target):
                    f.err("attachments", f"附件文件「{file}」不存在", line)
                else:
                    doc.attachments.append(Attachment(title=title, path=rel(root / "content", target)))
    # privacy allowances: checked by the privacy gate
    for p in f.records("privacy_ok", privacy.ALLOWANCE_FIELDS, "privacy_ok", privacy.ALLOWANCE_HINT):
        doc.privacy_ok.append({"match": p.str("match", required=True), "reason": p.str("reason", required=True),
                               "line": p.start_line})
    return doc


def load_documents(root: Path, site: Site, roots: list[Column], problems: Problems) -> list[Document]:
    folder = root / "content" / "documents"
    if not folder.exists():
        return []
    index = column_index(roots)
    docs: list[Document] = []
    seen: dict[str, Document] = {}
    paths = sorted_files(folder, ".md")  # = sorted(p for p in folder.rglob("*.md") if p.is_file()), faster
    for path in paths:
        doc = load_document(root, path, site, index, problems)
        if doc is None:
            continue
        if doc.id in seen:
            other = seen[doc.id]
            problems.error(doc.source.file, doc.source.line, "id",
                           f"文件标识「{doc.id}」重复：已被 {other.source.file} 使用")
            continue
        seen[doc.id] = doc
        docs.append(doc)
    _link_documents(docs, problems)
    return docs


def _link_documents(docs: list[Document], problems: Problems) -> None:
    by_id = {d.id: d for d in docs}
    for doc in docs:
        if doc.interprets:
            target = by_id.get(doc.interprets)
            if target is None:
                problems.error(doc.source.file, doc.extra["lines"].get("interprets", doc.source.line), "interprets",
                               f"被解读的文件「{doc.interprets}」不存在",
                               after=f"document:{doc.interprets}")
            else:
                target.interpretations.append(doc)
        if doc.replaced_by:
            if doc.replaced_by not in by_id:
                problems.error(doc.source.file, doc.extra["lines"].get("replaced_by", doc.source.line), "replaced_by",
                               f"替代文件「{doc.replaced_by}」不存在",
                               after=f"document:{doc.replaced_by}")
            else:
                by_id[doc.replaced_by].replaces.append(doc)
    for doc in docs:
        doc.interpretations.sort(key=lambda d: d.sort_key)
        doc.replaces.sort(key=lambda d: d.sort_key)


# --- guide and pages ------------------------------------------------------------------------------


def load_guide(root: Path, problems: Problems) -> Guide | None:
    path = root / "content" / "guide.md"
    name = rel(root, path)
    if not path.exists():
        return None
    text = read_utf8(path, name, problems)
    if text is None:
        return None
    fm, body, _ = split_front_matter(text)
    data: Any = {}
    if fm:
        data = front_matter_yaml(name, fm, problems)
        if data is NO_FRONT_MATTER:
            return None
        data = data or {}
    f = Fields(problems, name, data, GUIDE_FIELDS, "公开指南 front matter")
    revisions: list[Revision] = []
    for r in f.records("revisions", {"date": "修订日期", "note": "修订说明"}, "修订记录", "每项包含 date（修订日期）和 note（修订说明）"):
        d = r.date("date", required=True)
        if d:
            revisions.append(Revision(d, r.str("note")))
    revisions.sort(key=lambda r: r.date, reverse=True)
    revised = f.date("revised")
    if revised is None and revisions:
        revised = revisions[0].date
    if revised is None:
        f.err("revised", "公开指南缺少修订时间「revised」", 1)
    return Guide(title=f.str("title") or "政府信息公开指南", revised=revised, revisions=revisions, body=body,
                 source=Source(name, f.line("revised") or 1))


def load_pages(root: Path, roots: list[Column], problems: Problems) -> dict[str, str]:
    pages: dict[str, str] = {}
    for r in roots:
        for col in r.walk():
            if col.kind != "page":
                continue
            ref = col.page or f"pages/{col.slug}.md"
            target = _safe_rel_path(root / "content", ref, root)
            if target is None:
                problems.error(col.source.file, col.line_of("page"), "page", f"页面文件「{ref}」不能离开 content/ 目录")
            elif not _is_file(target):
                problems.error(col.source.file, col.line_of("page"), "page", f"栏目「{col.name}」的页面文件 content/{ref} 不存在")
            else:
                text = read_utf8(target, rel(root, target), problems)
                if text is None:
                    continue
                fm, body, _ = split_front_matter(text)
                col.page = ref
                col.updated = _page_updated(rel(root, target), fm, problems)
                pages[ref] = body
    return pages


def _page_updated(file: str, fm: str | None, problems: Problems) -> dt.date | None:
    """The optional `updated` date (更新日期) in a page's front matter, for gongkai inspect."""
    if not fm:
        return None
    data = front_matter_yaml(file, fm, problems)
    if not isinstance(data, dict) or "updated" not in data:
        return None
    f = Fields(problems, file, data, {k: k for k in data}, "页面 front matter")
    return f.date("updated")


# --- everything -----------------------------------------------------------------------------------


def build_date_from_env(default: dt.date | None = None) -> dt.date:
    """The build date: GONGKAI_BUILD_DATE (YYYY-MM-DD), else SOURCE_DATE_EPOCH, else today."""
    value = os.environ.get("GONGKAI_BUILD_DATE")
    if value:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise GongkaiError([Problem("环境变量 GONGKAI_BUILD_DATE", None, None,
                                        f"构建日期「{value}」无效，应写作 YYYY-MM-DD")]) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch.strip()), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise GongkaiError([Problem("环境变量 SOURCE_DATE_EPOCH", None, None,
                                        f"「{epoch}」不是有效的 Unix 时间戳（秒）")]) from None
    return default or dt.date.today()


EXTENSIONS: list = []  # callables (catalogue, problems) run after loading: packages, privacy …
EXTENSIONS += [apply_default_terms, check_index_numbers]  # 有效期 default term, 索引号 checks


def load_catalogue(root: str | Path, build_date: dt.date | None = None) -> Catalogue:
    """Load and validate everything; raise GongkaiError listing every problem."""
    # Loading makes millions of objects that all live on: the cyclic garbage collector would walk the growing
    # heap again and again for nothing (a large share of the time at 10,000 documents). Pause it meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_catalogue(root, build_date)
    finally:
        if paused:
            gc.enable()


def _load_catalogue(root: str | Path, build_date: dt.date | None) -> Catalogue:
    root = Path(root).resolve()
    problems = Problems()
    site = load_site(root, problems)
    roots = load_columns(root, problems)
    documents = load_documents(root, site, roots, problems)
    guide = load_guide(root, problems)
    if any(c.kind == "guide" for r in roots for c in r.walk()) and guide is None:
        problems.error("content/guide.md", None, None, "标准目录中有公开指南栏目（kind: guide），但该文件不存在")
    pages = load_pages(root, roots, problems)
    cat = Catalogue(site=site, roots=roots, documents=documents, root_dir=root,
                    build_date=build_date or build_date_from_env(), guide=guide, pages=pages)
    check_consistency(cat, problems)  # first: it holds back scheduled documents, which later steps then never see
    check_guide(cat, problems)
    cat.packages = load_packages(cat, problems)
    check_coverage(cat, problems)  # every character a poster prints is in the poster font
    for ext in EXTENSIONS:
        ext(cat, problems)
    warn_outdated_policies(cat, problems)  # needs the validity defaults applied above
    privacy.gate(cat, problems)  # last: it scans everything loaded above
    problems.raise_if_errors()
    cat.warnings = problems.warnings
    return cat


__all__ = ["load_catalogue", "GongkaiError", "build_date_from_env"]
