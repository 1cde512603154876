"""The record of every column URL ever published (catalog/urls.lock.yml): reading it, and updating it for `gongkai lock`.

The record is committed with the catalogue and written only by `gongkai lock`; the build reads it and never
changes it, so the pages that keep old URLs alive (gongkai/build/redirects.py) depend on nothing but the
repository. Each entry maps one URL to the identity of the column it belonged to: the column id (or its full
path when the id is not unique).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.load import slugs
from gongkai.load.columns import column_index
from gongkai.load.docids import LOCK_FILE, RecordedDoc, made_by_rule
from gongkai.load.fields import Fields, type_name
from gongkai.load.sources import read_yaml_file
from gongkai.load.yamlsrc import Node
from gongkai.memo import Memo
from gongkai.model import Column, Document, RecordedUrl

LOCK_REL = LOCK_FILE
HEADER = """\
# 地址记录：本站发布过的每个栏目地址，以及它属于哪个栏目（column：栏目标识）。
# 由 `gongkai lock` 生成和更新，请随目录一起提交到 git，不要手工删除条目：
# 栏目移动或改名后，旧地址靠这里的记录跳转到新地址；栏目撤销后，旧地址显示“本栏目已撤销”。
# 没有设置 id 的栏目改名后地址会变：运行 gongkai lock --rename 旧标识=新标识 让旧地址跳转到新栏目。
"""
DOCS_HEADER = """\
# 本站发布过的每份文件的网址，和它的文件、标题、索引号（网址由索引号或标题自动生成的文件、gongkai import-docs 导入的文件，
# 以及文件名或 id 就是网址的主动公开文件）。自动生成的网址，以后文件改名、标题修改或补上索引号都不变（按文件路径、索引号、
# 文号或标题找回记录）；文件删除后，旧网址显示“该信息已移除”，不会变成“找不到页面”。
"""
DOC_ENTRY_FIELDS = {"file": "文件路径", "title": "标题", "index_no": "索引号", "doc_number": "文号"}


# --- reading and writing the record ---------------------------------------------------------------


def lock_path(root: Path) -> Path:
    return root / LOCK_REL


@dataclass
class UrlRecord:
    """catalog/urls.lock.yml as read: column addresses (`urls:`) and automatic document ids (`documents:`)."""

    urls: list[RecordedUrl]
    documents: list[RecordedDoc]


def load_record(root: Path, problems: Problems, memo: Memo | None = None,
                keep: dict[str, Any] | None = None) -> list[RecordedUrl] | None:
    """The column entries of the lock file, or None when the site has none. Problems name file, line and field."""
    record = read_record(root, problems, memo, keep)
    return None if record is None else record.urls


def read_record(root: Path, problems: Problems, memo: Memo | None = None,
                keep: dict[str, Any] | None = None) -> UrlRecord | None:
    """Both parts of the lock file, or None when the site has none."""
    path = lock_path(root)
    if not path.exists():
        return None
    data = read_yaml_file(root, path, problems, memo=memo, keep=keep)
    if data is None:
        return UrlRecord([], [])
    f = Fields(problems, LOCK_REL, data, {"urls": "地址列表", "documents": "自动生成的文件地址"}, "地址记录")
    return UrlRecord(_read_urls(f, problems), _read_documents(f, problems))


def _read_documents(f: Fields, problems: Problems) -> list[RecordedDoc]:
    raw = f.raw("documents")
    if raw is None:
        return []
    if not isinstance(raw, dict):
        f.err("documents", f"应为「地址: {{file: 文件路径, title: 标题}}」的键值对象，实际是{type_name(raw)}")
        return []
    out: list[RecordedDoc] = []
    for url, item in raw.items():
        line = raw.line_of(url) if isinstance(raw, Node) else None
        e = Fields(problems, LOCK_REL, item, DOC_ENTRY_FIELDS, f"文件地址「{url}」的记录")
        if not e.ok:
            continue
        ident = str(url).removeprefix("documents/").removesuffix(".html")
        if not (str(url).startswith("documents/") and str(url).endswith(".html")) or not slugs.is_valid_doc_id(ident):
            problems.error(LOCK_REL, line, "documents", f"文件地址「{url}」无效：应为 documents/标识.html，"
                                                        "标识只能用字母、数字、点、连字符和下划线")
            continue
        out.append(RecordedDoc(ident, e.str("file", required=True), e.str("title"), e.str("index_no"),
                               e.str("doc_number"), line))
    return sorted(out, key=lambda x: x.id)


def _read_urls(f: Fields, problems: Problems) -> list[RecordedUrl]:
    raw = f.raw("urls")
    if raw is None:
        return []
    if not isinstance(raw, dict):
        f.err("urls", f"应为「地址: {{column: 栏目标识, name: 栏目名称}}」的键值对象，实际是{type_name(raw)}")
        return []
    entries: list[RecordedUrl] = []
    for url, item in raw.items():
        line = raw.line_of(url) if isinstance(raw, Node) else None
        e = Fields(problems, LOCK_REL, item, {"column": "栏目标识", "name": "栏目名称"}, f"地址「{url}」的记录")
        if not e.ok:
            continue
        if not url.endswith("/index.html") or url.startswith(("/", ".")) or ".." in url or "://" in url:
            problems.error(LOCK_REL, line, "urls", f"地址「{url}」无效：应为站内栏目地址，如 fdzdgknr/zcfg/index.html")
            continue
        entries.append(RecordedUrl(url, e.str("column", required=True), e.str("name"), line))
    return sorted(entries, key=lambda x: x.url)


def dump_record(entries: list[RecordedUrl], documents: list[RecordedDoc] | tuple[()] = ()) -> str:
    """The lock file text: sorted by URL, one line per URL (JSON strings are valid YAML). The `documents:` part
    only when some document address is recorded."""
    out = [HEADER, "urls:\n"]
    for e in sorted(entries, key=lambda x: x.url):
        column, name = json.dumps(e.column, ensure_ascii=False), json.dumps(e.name, ensure_ascii=False)
        value = f"{{column: {column}, name: {name}}}"
        out.append(f"  {json.dumps(e.url, ensure_ascii=False)}: {value}\n")
    if not entries:
        out[-1] = "urls: {}\n"
    if documents:
        out.append(DOCS_HEADER)
        out.append("documents:\n")
        for d in sorted(documents, key=lambda x: x.id):
            parts = [f"file: {_q(d.file)}", f"title: {_q(d.title)}"]
            parts += [f"{k}: {_q(v)}" for k, v in (("index_no", d.index_no), ("doc_number", d.doc_number)) if v]
            out.append(f"  {_q(d.url)}: {{{', '.join(parts)}}}\n")
    return "".join(out)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def update_documents(old: list[RecordedDoc], documents: list[Document],
                     org_code: str | None = None) -> tuple[list[RecordedDoc], list[RecordedDoc]]:
    """Every automatic document id, every id written in a file that the same rule made (`gongkai import-docs`
    writes them: docids.made_by_rule), and the address of every other published document (named by an ASCII file
    name or an `id:`: once published, its address must not answer 404 when the file goes, build/withdrawn.py), with
    the file, title and 索引号 it now has; entries of documents that are gone are kept (a file that comes back gets
    its address back). Returns (entries, added)."""
    by_id = {e.id: e for e in old}
    added: list[RecordedDoc] = []
    for doc in documents:
        if not doc.id_from and not doc.is_public and not (org_code is not None and made_by_rule(doc, org_code)):
            continue
        entry = RecordedDoc(doc.id, doc.source.file, doc.title, doc.index_no, doc.doc_number)
        if doc.id not in by_id:
            added.append(entry)
        by_id[doc.id] = entry
    return sorted(by_id.values(), key=lambda x: x.id), added


def identity(col: Column, roots: list[Column]) -> str:
    """How the record names a column: its id when no other column has it, else its full path."""
    index = column_index(roots)
    return col.id if len(index.get(col.id, [])) == 1 else col.path


@dataclass
class LockUpdate:
    entries: list[RecordedUrl]
    added: list[RecordedUrl]
    renamed: list[tuple[str, str, int]]  # old identity, new identity, entries changed
    withdrawn: list[RecordedUrl]  # recorded URLs whose column no longer exists
    unknown_renames: list[str]  # --rename sources found in no entry


def update_record(old: list[RecordedUrl], roots: list[Column], renames: dict[str, str] | None = None) -> LockUpdate:
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
            by_url[u] = RecordedUrl(u, dst, by_url[u].name)
        renamed.append((src, dst, len(hits)))
    added: list[RecordedUrl] = []
    for root in roots:
        for col in root.walk():
            ident = identity(col, roots)
            prev = by_url.get(col.href)
            entry = RecordedUrl(col.href, ident, col.name)
            if prev is None:
                added.append(entry)
            by_url[col.href] = entry
    entries = sorted(by_url.values(), key=lambda x: x.url)
    index = column_index(roots)
    withdrawn = [e for e in entries if len(index.get(e.column, [])) != 1]
    return LockUpdate(entries, added, renamed, withdrawn, unknown)


__all__ = ["LOCK_REL", "load_record", "read_record", "UrlRecord", "dump_record", "update_record", "update_documents",
           "identity", "lock_path"]
