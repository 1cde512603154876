"""content/documents/**/*.md: one document each, front matter and Markdown body."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from operator import methodcaller
from pathlib import Path

from gongkai.errors import Problems
from gongkai.fsutil import rel_posix, sorted_files
from gongkai.load import docids, slugs
from gongkai.load.allowances import read_allowances
from gongkai.load.columns import column_index, unknown_column_message
from gongkai.load.contenttree import ContentTree
from gongkai.load.doccache import DocumentCache
from gongkai.load.fields import Fields, type_name
from gongkai.load.renames import column_ref_key
from gongkai.load.sources import (
    NO_FRONT_MATTER,
    bad_byte_line,
    decode_source,
    front_matter_yaml,
    is_file,
    not_utf8,
    safe_content_path,
)
from gongkai.load.yamlsrc import Seq, split_front_matter
from gongkai.memo import Memo
from gongkai.model import (
    DISCLOSURE_VALUES,
    INTERPRETATION_FORMS,
    SORT_KEY,
    STATUS_VALUES,
    Attachment,
    Column,
    Document,
    Site,
    Source,
)
from gongkai.vocab import GOV_CN_TOPICS

DOCUMENT_FIELDS = {
    "title": "标题", "id": "文件标识", "doc_number": "文号", "index_no": "索引号", "publisher": "发布机构",
    "written": "成文日期", "published": "发布日期", "topic": "主题分类", "columns": "所属栏目",
    "disclosure": "公开属性", "normative": "行政规范性文件", "effective": "施行日期", "expires": "有效期至",
    "status": "状态", "status_date": "状态变更日期", "replaced_by": "替代文件", "interprets": "解读的文件",
    "attachments": "附件", "privacy_ok": "个人信息公开依据", "year": "报告年度", "summary": "内容概述",
    "scheduled": "预定发布", "decision": "所属重大行政决策（catalog/decisions.yml 的事项标识）",
    "form": "解读形式（文字解读、图文解读、图解、视频、音频、问答、新闻发布会）",
    "stage": "决策阶段（决策草案、征求意见、意见反馈、列席、决策文件、政策解读、执行评估）",
}
_CAPTIONS = re.compile(r"""<track\s[^>]*\bkind\s*=\s*["']?(?:captions|subtitles)""", re.I)
ATTACHMENT_FIELDS = {"title": "附件名称", "file": "附件文件"}  # an attachment written as {title, file}


QUOTES = "“”‘’「」『』\"'"


def unknown_topic_message(topic: str, topics: list[str]) -> str:
    """What to say about a 主题分类 not in the list: where the list comes from (a new site's site.yml has none:
    gongkai's built-in gov.cn classes), the quotation marks typed around it, the classes it is part of, the list."""
    own = list(topics) != GOV_CN_TOPICS
    where = " site.yml 的主题分类（topics）" if own else "主题分类表（site.yml 没有写 topics，用内置的政务公开工作主题分类）"
    said = f"主题分类「{topic}」不在{where}中"
    quotes = "".join(dict.fromkeys(c for c in topic if c in QUOTES))
    bare = "".join(c for c in topic if c not in QUOTES).strip()
    top = bare.split("\\")[0]
    if quotes:  # 「topic: “民政”」: the clerk's quotation marks are read as part of the value
        said += f"：值中的引号「{quotes}」不是分类名称的一部分，请去掉"
        if top in topics:
            return said + f"，写作 topic: {bare}"
    near = [t for t in topics if top and (top in t or t in top)]
    if near:
        said += "；是不是：" + "".join(f"「{t}」" for t in near)
    return said + "。可选：" + "".join(f"「{t}」" for t in topics)


def read_source(path: Path) -> tuple[str, str]:
    """The text of a UTF-8 file as Path.read_text gives it (universal newlines), and a digest of its bytes."""
    raw = path.read_bytes()
    return decode_source(raw), hashlib.sha256(raw).hexdigest()  # SHA-256: hardware-accelerated, the fastest here



def load_document(root: Path, path: Path, site: Site, index: dict[str, list[Column]], problems: Problems,
                  memo: Memo | None = None, aliases: dict[str, Column] | None = None,
                  moved: dict[str, Column] | None = None, source: tuple[str, str] | None = None,
                  content: Path | None = None) -> Document | None:
    """moved: a preview of a 栏目调整方案 (gongkai preview): references to a column it removes -> the column its
    documents go to (catalog/changes.yml `into`), so that the proposal can be seen before the documents change.
    source: the file's text and digest when the caller has read it already (read_source).
    content: (root / "content").resolve(), when the caller has resolved it (sources.safe_content_path)."""
    name = rel_posix(root, path)
    if source is not None:
        text, digest = source
    else:
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
    # not through the memo: a document's cache record stands for its parsed front matter (load/doccache.py), so a
    # remembered tree would only be read by the next build if the file changed, and dropped by it otherwise - while
    # every tree stayed in memory for the whole build and in the memo files (~3.7 KB per document)
    data = front_matter_yaml(name, fm, problems, f"document:{path.stem}")
    if data is NO_FRONT_MATTER:
        return None
    if data is None:
        data = {}
    f = Fields(problems, name, data, DOCUMENT_FIELDS, "文件 front matter")
    if not f.ok:
        return None
    doc_id = f.str("id") or path.stem
    if f.has("id") and not slugs.is_valid_doc_id(doc_id):
        f.err("id", f"文件标识「{doc_id}」无效：只能用字母、数字、点、连字符和下划线")
    elif not f.has("id") and docids.needs_auto_id(doc_id):
        doc_id = ""  # a file named in Chinese: load_documents gives it its automatic id (load/docids.py)
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
        summary=f.str("summary"),
        form=f.choice("form", INTERPRETATION_FORMS),
        decision=f.str("decision"),
        stage=f.str("stage"),
        front_matter=data,
        field_lines=dict(getattr(data, "key_lines", {})),
        source_digest=digest,
    )
    if f.has("year"):
        doc.year = int(f.int("year", 0, minimum=1900))  # the number (not yamlsrc.TextInt): the build cache keeps it flat
    if doc.topic:
        top = doc.topic.split("\\")[0]
        if top not in site.topics:
            f.err("topic", unknown_topic_message(doc.topic, site.topics))
    if doc.normative and not doc.doc_number:
        # registered and numbered by law (国办发〔2018〕37号: 统一登记、统一编号、统一印发); the policy list shows it
        f.err("doc_number", "行政规范性文件（normative: true）必须写文号：行政规范性文件统一登记、统一编号、统一印发"
                            "（国办发〔2018〕37号），请照印发的文件写上，如 doc_number: 某民规〔2024〕1号；"
                            "不是行政规范性文件的，请删去 normative: true", f.line("normative"))
    if doc.written and published and doc.written > published:
        f.err("written", f"成文日期 {doc.written} 晚于发布日期 {published}")
    if doc.effective and doc.expires and doc.expires < doc.effective:
        f.err("expires", f"有效期至 {doc.expires} 早于施行日期 {doc.effective}")
    if doc.form and not doc.interprets:
        f.err("form", f"写了解读形式「{doc.form}」，但没有写解读的文件（interprets）：form 只用于政策解读")
    if doc.form in ("视频", "新闻发布会") and "<video" in body and not _CAPTIONS.search(body):
        f.warn("form", "视频解读没有字幕：请在 <video> 中加入 <track kind=\"captions\" src=\"….vtt\" srclang=\"zh\" label=\"中文字幕\">"
               "（听障读者需要字幕，《信息技术 互联网内容无障碍可访问性技术要求与测试方法》GB/T 37668）")
    if doc.replaced_by and not doc.status:
        f.err("replaced_by", "设置了替代文件，但没有设置状态（废止/修改/失效）")
    # columns
    for i, ref in enumerate(doc.column_refs):
        raw = f.raw("columns")
        line = raw.line_of(i) if isinstance(raw, Seq) else f.line("columns")
        cols = index.get(ref.strip("/"), [])
        renamed = (aliases or {}).get(ref.strip("/"))
        moved_to = (moved or {}).get(ref.strip("/"))
        emptied = len(cols) == 1 and not cols[0].kind.holds_documents  # split in place into a 栏目分组
        if (not cols or emptied) and moved_to is not None:
            how = f"改为{cols[0].kind.label}" if cols else "撤销"
            problems.warn(name, line, "columns", f"预览：栏目「{ref}」按栏目调整方案{how}（catalog/changes.yml 的 into），"
                                                 f"本文件在预览中放入「{moved_to.name}」；方案批准后请把这里的「{ref}」改为「{moved_to.id}」")
            cols = [moved_to]
        elif not cols and renamed is not None:  # an old reference the URL record maps to a renamed column
            problems.warn(name, line, "columns", f"栏目「{ref}」已改名为「{renamed.name}」（地址记录 catalog/urls.lock.yml 中有改名记录），"
                                                 f"本文件已放入该栏目：请把这里的「{ref}」改为「{renamed.id}」")
            cols = [renamed]
        if not cols:
            f.err("columns", unknown_column_message(ref, index), line, after=("catalog/columns.yml", column_ref_key(ref)))
        elif len(cols) > 1:
            paths = "、".join(c.path for c in cols)
            f.err("columns", f"栏目标识「{ref}」不唯一（{paths}），请写完整路径", line)
        elif cols[0] in doc.columns:
            f.err("columns", f"栏目「{ref}」重复列出", line)
        else:
            col = cols[0]
            if not col.kind.holds_documents:
                f.err("columns", f"栏目「{col.name}」的类型是 {col.kind.value}（{col.kind.label}），不能放文件", line)
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
                    a = Fields(problems, name, item, ATTACHMENT_FIELDS, "附件")
                    file = a.str("file", required=True)
                    title = a.str("title") or Path(file).name
                else:
                    f.err("attachments", f"第 {i + 1} 个附件应为文件路径或 {{title, file}}", line)
                    continue
                target = safe_content_path(path.parent, file, root, content)
                if target is None:
                    f.err("attachments", f"附件路径「{file}」不能是绝对路径，也不能离开 content/ 目录", line)
                elif not is_file(target):
                    f.err("attachments", f"附件文件「{file}」不存在", line)
                else:
                    # the path as written (a link inside content/ is published under its own name, as MkDocs copies it)
                    written = rel_posix(root / "content", Path(os.path.normpath(path.parent / file)))
                    if written.startswith(("../", "/")) or written == "..":
                        written = rel_posix(root / "content", target)
                    doc.attachments.append(Attachment(title=title, path=written))
    # privacy allowances: checked by the privacy gate
    doc.privacy_ok = read_allowances(f)
    return doc


def load_documents(root: Path, site: Site, roots: list[Column], problems: Problems,
                   memo: Memo | None = None, aliases: dict[str, Column] | None = None,
                   refused: set[str] | frozenset[str] = frozenset(),
                   withdrawn: set[str] | frozenset[str] = frozenset(),
                   moved: dict[str, Column] | None = None,
                   record: list[docids.RecordedDoc] | None = None, tree: ContentTree | None = None,
                   cache: DocumentCache | None = None) -> list[Document]:
    """refused: paths under content/ that must not be read (links out of it, hard links: load/contenttree.py).
    withdrawn: ids in the withdrawal record: read without the memo, so the build cache keeps no copy of them.
    record: the automatic ids catalog/urls.lock.yml has recorded (`documents:`), for files named in Chinese.
    tree: the walk of content/; with it and a memo, documents loaded by an earlier build are reused
    (load/doccache.py).
    cache: the load's document cache, made by the loader with the previous load's snapshot (load/snapshot.py);
    without one, one is made here that has no previous load to reuse."""
    folder = root / "content" / "documents"
    if not folder.exists():
        return []
    index = column_index(roots)
    docs: list[Document] = []
    seen: dict[str, Document] = {}
    base = os.fspath(root / "content")
    # paths relative to content/ (Path objects only for the files that are read: thousands of documents)
    rels = [rel_posix(root / "content", p) for p in sorted_files(folder, ".md")] if tree is None else _listed(tree)
    if refused:
        rels = [rel for rel in rels if rel not in refused]
    loaded: list[Document]
    # a preview's moved columns (gongkai preview) change what a reference means: never from the cache there
    if cache is None and memo is not None and tree is not None and not moved:
        cache = DocumentCache(memo, root, site, index, tree, aliases)

    content = (root / "content").resolve()  # (once: every attachment is checked to lie inside it)

    def parse(path: Path, source: tuple[str, str]) -> Document | None:
        return load_document(root, path, site, index, problems, memo, aliases, moved, source, content)

    def private(rel: str) -> bool:
        """A withdrawn document's id is known before reading it only when the file name is the id."""
        stem = _stem(rel)
        return stem in withdrawn or docids.needs_auto_id(stem)

    def one(rel: str) -> Document | None:
        hidden = bool(withdrawn) and private(rel)
        if cache is not None and not hidden:
            try:
                return cache.load(rel, problems, parse)
            except UnicodeDecodeError:
                pass  # load_document reads it again and reports it
        return load_document(root, Path(f"{base}/{rel}"), site, index, problems, None if hidden else memo, aliases, moved,
                             content=content)

    if cache is not None:
        loaded = cache.load_many(rels, problems, one, private if withdrawn else None)
    else:
        loaded = [doc for doc in map(one, rels) if doc is not None]
    docids.assign_ids(loaded, record, site.org_code, problems)
    by_id = {doc.id: doc for doc in loaded}  # (one pass: the duplicate check and the links between documents)
    if len(by_id) == len(loaded):  # (every id once: nothing to report, all kept)
        docs = loaded
    else:
        for doc in loaded:
            if doc.id in seen:
                other = seen[doc.id]
                if doc.id_from or other.id_from:
                    line, text = docids.duplicate_message(doc, other)
                    problems.error(doc.source.file, line, "id", text)
                else:
                    problems.error(doc.source.file, doc.source.line, "id",
                                   f"文件标识「{doc.id}」重复：已被 {other.source.file} 使用")
                continue
            seen[doc.id] = doc
            docs.append(doc)
        by_id = seen
    _link_documents(docs, by_id, problems)
    return docs


def _stem(rel: str) -> str:
    """pathlib.PurePosixPath(rel).stem of a path ending in .md, without making a path object for each of 10,000 files."""
    name = rel.rpartition("/")[2]
    return name[:-3] or name  # (".md" alone is a name without a suffix)


def _listed(tree: ContentTree) -> list[str]:
    """The documents' paths relative to content/ as sorted_files(content/documents, ".md") finds them, from the walk
    of content/ the loader made already (no second walk): files and links to files, not what lies under a link to a
    folder (rglob does not follow those), in pathlib's order."""
    rels = [rel for rel in tree.files if rel.startswith("documents/") and rel.endswith(".md")]
    if tree.links:
        rels = [rel for rel in rels if not any("/".join(rel.split("/")[:k]) in tree.links
                                               for k in range(1, rel.count("/") + 1))]
    rels.sort(key=_PARTS)
    return rels


# pathlib's order of paths: by their parts, compared one by one. A path's string with each "/" made the lowest
# character (no name holds a NUL) sorts the same, and the key is made in C (no Python call per document)
_PARTS = methodcaller("replace", "/", "\0")


def _link_documents(docs: list[Document], by_id: dict[str, Document], problems: Problems) -> None:
    """by_id: the documents by id (each id once)."""
    several: list[list[Document]] = []  # the lists given a second document: to sort (most get none or one)
    for doc in [d for d in docs if d.interprets or d.replaced_by]:  # (a pass in one comprehension: most link none)
        if doc.interprets:
            target = by_id.get(doc.interprets)
            if target is None:
                problems.error(doc.source.file, doc.line_of("interprets"), "interprets",
                               missing_target("被解读的文件", doc.interprets, docs, doc),
                               after=f"document:{doc.interprets}")
            else:
                target.interpretations.append(doc)
                if len(target.interpretations) == 2:
                    several.append(target.interpretations)
        if doc.replaced_by:
            if doc.replaced_by not in by_id:
                problems.error(doc.source.file, doc.line_of("replaced_by"), "replaced_by",
                               missing_target("替代文件", doc.replaced_by, docs, doc),
                               after=f"document:{doc.replaced_by}")
            else:
                replaces = by_id[doc.replaced_by].replaces
                replaces.append(doc)
                if len(replaces) == 2:
                    several.append(replaces)
    for found in several:
        found.sort(key=SORT_KEY)


def missing_target(label: str, value: str, docs: list[Document], doc: Document | None = None) -> str:
    """The message for a field naming no document (`interprets`, `replaced_by`, a package's `policies`, a portal
    service's `document`; `doc`: the document the field is in, never the one meant). A clerk writes what the document is
    known by in the office — its 文号 (示民规〔2024〕3号), its title, its file's name — where the field wants its
    文件标识: then the message says which it is and gives the identifier of the document it names. The identifier
    is not always the file's name (a Chinese file name gets one made from its 索引号 or title): it is named."""
    from gongkai.checks.consistency import doc_number_key  # (only on this error: the loader's checks come later)

    others = [d for d in docs if d is not doc]
    key = doc_number_key(value)
    stem = value.strip().removesuffix(".md").rsplit("/", 1)[-1]  # the file's name or path, as the folder shows it
    bare = value.strip().strip("《》")
    for what, found in (
        ("文号", [d for d in others if d.doc_number and doc_number_key(d.doc_number) == key]),
        ("文件名", [d for d in others if stem != value and d.id == stem]),  # an id, with .md or its folder
        ("文件名", [d for d in others if d.source.file.rsplit("/", 1)[-1].removesuffix(".md") == stem]),
        ("标题", [d for d in others if d.title.strip().strip("《》") == bare]),
    ):
        if found:
            said = f"「{value}」是{what}，这里要写{label}的文件标识（文件页面网址 documents/标识.html 中的标识）："
            if len(found) == 1:
                return said + f"请写 {found[0].id}（{found[0].source.file}）"
            return said + f"有 {len(found)} 份文件是这个{what}：" + "；".join(f"{d.id}（{d.source.file}）" for d in found[:5])
    # an id made from the title before `gongkai assign` gave the document a 索引号, from which its id is made now
    before = [d for d in others if d.id_from == docids.FROM_INDEX
              and docids.base_id("", d.title or d.source.file.rsplit("/", 1)[-1], d.published.year, "")[0] == value]
    if before:
        d = before[0]
        return (f"{label}「{value}」是 {d.source.file} 有索引号以前按标题生成的标识；它有了索引号（{d.index_no}），"
                f"标识也随之变为 {d.id}：请写 {d.id}")
    near = difflib.get_close_matches(value, [d.id for d in others], n=3, cutoff=0.6)
    hint = (f"：是不是 {'、'.join(near)}？" if near else
            "：请写该文件的文件标识（文件页面网址 documents/标识.html 中的标识，英文文件名的文件就是文件名去掉 .md）")
    return f"{label}「{value}」不存在{hint}"

