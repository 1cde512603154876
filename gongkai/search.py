"""Chinese full-text search: a Pagefind (extended) index fed from the model, written into the site. No MkDocs.

Each record is one page's own text (a document's title, 文号 and body; a column's name, description and page
text), never the navigation around it, so the index stays small and indexing stays fast at 10,000 documents.
Only the extended Pagefind binary segments Chinese words (DESIGN §5): we insist on it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache, link_tree
from .model import Column, Document
from .pages import SitePlan
from .validity import validity

OUTPUT = "pagefind"
LANGUAGE = "zh"
# Pagefind's ready-made UIs: the search page has its own (assets/gongkai/search.js), so these are left out.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)

_MD_CLEANUP = [
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"<[^>\n]+>"), " "),  # inline HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"\{[:#.][^}\n]*\}"), " "),  # attr_list
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)]|!!!|\?\?\?)\s+", re.M), ""),  # block markers
    (re.compile(r"^[\s|:\-]+$", re.M), " "),  # table rules
    (re.compile(r"[*_`|~]+"), " "),
    (re.compile(r"\s+"), " "),
]


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body, for the index (cheap: no Markdown rendering)."""
    text = markdown
    for pattern, repl in _MD_CLEANUP:
        text = pattern.sub(repl, text)
    return text.strip()


@dataclass
class Record:
    url: str  # site-relative, e.g. documents/x.html; the search page resolves it against the site root
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


@dataclass
class IndexStats:
    records: int
    seconds: float
    files: int
    bytes: int


def document_record(plan: SitePlan, doc: Document) -> Record:
    v = validity(doc, plan.today)
    meta = {"title": doc.title, "kind": "文件", "date": doc.published.isoformat()}
    optional = {
        "doc_number": doc.doc_number, "publisher": doc.publisher, "column": doc.columns[0].name if doc.columns else "",
        "validity": v.label if v else "", "status": doc.status,
        "effective": doc.effective.isoformat() if doc.effective else "", "expires": doc.expires.isoformat() if doc.expires else "",
    }
    meta.update({k: val for k, val in optional.items() if val})
    content = " ".join(p for p in (doc.title, doc.doc_number, doc.publisher, plain_text(doc.body)) if p)
    # No Pagefind filters: their files list values in hash-map order, so the index would differ on every build.
    return Record(doc.href, content, meta, {}, {"date": doc.published.isoformat()})


def column_record(plan: SitePlan, col: Column) -> Record | None:
    if col.kind == "link":
        return None
    parts = [col.name, col.description]
    if col.kind == "page":
        parts.append(plain_text(plan.cat.pages.get(col.page, "")))
    elif col.kind == "guide" and plan.cat.guide is not None:
        parts.append(plain_text(plan.cat.guide.body))
    trail = " › ".join(a.name for a in col.ancestors + [col])
    return Record(col.href, " ".join(p for p in parts if p), {"title": col.name, "kind": "栏目", "trail": trail})


def package_record(pkg: object) -> Record | None:
    """A 主题服务包, if the model carries them (catalog/packages.yml)."""
    href, name = getattr(pkg, "href", ""), getattr(pkg, "name", "")
    if not href or not name:
        return None
    parts = [name, getattr(pkg, "summary", "")]
    for attr in ("items", "materials", "steps", "faq"):
        value = getattr(pkg, attr, None)
        if value:
            parts.append(plain_text(" ".join(_strings(value))))
    return Record(href, " ".join(p for p in parts if p), {"title": name, "kind": "主题服务包"})


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif hasattr(value, "__dict__"):
        yield from _strings(vars(value))


def records(plan: SitePlan) -> list[Record]:
    """Every searchable page, in a stable order (the index is byte-identical for the same input)."""
    out = [document_record(plan, d) for d in sorted(plan.cat.published_documents, key=lambda d: d.id)]
    out += [r for r in (column_record(plan, c) for c in plan.cat.columns()) if r]
    out += [r for r in (package_record(p) for p in plan.cat.packages) if r]
    return out


def _binary() -> str:
    """The extended Pagefind binary (pip install 'pagefind[extended]'); the plain one does not segment Chinese."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise RuntimeError("全文搜索需要 pagefind 扩展版（能切分中文词语）：请运行 pip install 'pagefind[extended]'") from None
    return str(get_executable())


class PagefindService:
    """A pipelined client of `pagefind_extended --service`, the protocol pagefind's Python and Node APIs speak:
    base64 JSON messages ending in ','. pagefind's own Python client waits 0.1 s before reading each reply
    (17 minutes for 10,000 records); this one streams every request and reads replies in a thread."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([_binary(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.replies: dict[int, dict] = {}
        self.errors: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        buf = b""
        while chunk := self.proc.stdout.read1(1 << 16):
            buf += chunk
            *messages, buf = buf.split(b",")
            for raw in messages:
                reply = json.loads(base64.b64decode(raw))
                payload = reply.get("payload", {})
                if payload.get("type") == "Error":
                    self.errors.append(str(payload.get("message")))
                if reply.get("message_id") is not None:
                    self.replies[reply["message_id"]] = payload

    def send(self, payload: dict) -> int:
        assert self.proc.stdin is not None
        self.next_id += 1
        message = {"message_id": self.next_id, "payload": payload}
        self.proc.stdin.write(base64.b64encode(json.dumps(message, ensure_ascii=False).encode("utf-8")) + b",")
        return self.next_id

    def wait(self, message_id: int, timeout: float = 600) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        while message_id not in self.replies:
            if self.errors:
                raise RuntimeError("生成搜索索引失败：" + "；".join(self.errors[:3]))
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("生成搜索索引失败：pagefind 没有响应")
            time.sleep(0.005)
        return self.replies[message_id]

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait()


def write_index(items: list[Record], out_dir: Path) -> None:
    service = PagefindService()
    try:
        new = service.wait(service.send({"type": "NewIndex", "config": {"force_language": LANGUAGE}}))
        index_id = new["index_id"]
        for r in items:
            service.send({"type": "AddRecord", "index_id": index_id, "url": r.url, "content": r.content,
                          "language": LANGUAGE, "meta": r.meta, "filters": r.filters or None, "sort": r.sort or None})
        last = service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(out_dir)})
        reply = service.wait(last)
        if reply.get("type") != "WriteFiles":
            raise RuntimeError(f"生成搜索索引失败：{reply}")
    finally:
        service.close()


def build_index(plan: SitePlan, site: Path, cache: BuildCache | None = None) -> IndexStats:
    """Write site/pagefind/: the search index of every published document and column page.

    With a build cache, an index made from exactly the same records (and Pagefind version) is reused.
    """
    started = time.perf_counter()
    out_dir = (site / OUTPUT).resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    items = records(plan)
    key = ""
    if cache is not None and cache.enabled:
        h = hashlib.blake2b(digest_size=20)
        h.update(f"{_binary()} {LANGUAGE} {UNUSED_BUNDLE_FILES}".encode())
        for r in items:
            h.update(json.dumps([r.url, r.content, r.meta, r.filters, r.sort], ensure_ascii=False, sort_keys=True).encode())
        key = h.hexdigest()
        cached = cache.tree("pagefind", key)
        if cached is not None:
            link_tree(cached, out_dir)
            files = [p for p in out_dir.rglob("*") if p.is_file()]
            return IndexStats(len(items), time.perf_counter() - started, len(files), sum(p.stat().st_size for p in files))
    write_index(items, out_dir)
    for name in UNUSED_BUNDLE_FILES:
        (out_dir / name).unlink(missing_ok=True)
    if key and cache is not None:
        cache.store_tree("pagefind", key, out_dir)
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    return IndexStats(len(items), time.perf_counter() - started, len(files), sum(p.stat().st_size for p in files))
