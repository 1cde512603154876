"""`gongkai withdraw`: take a published document down at once, and record it (no MkDocs).

Why a command and not only a front-matter field: withdrawing is an act with a time, a reason and a person
responsible, done in a hurry. The command writes all three into the record the build reads
(catalog/withdrawals.yml, load/withdrawals.py: one place, committed, never published), takes the document's
page and its own attachments out of site/ at once (the page becomes the 「该信息已撤回」 notice), removes every
copy from the build cache (.cache/gongkai/: finished pages, exports and feeds naming it, the search index
state, its parsed front matter), and then rebuilds, so lists, feeds, exports and the search index drop it in
the same atomic swap as any build. If the rebuild stops (a 主题服务包 still cites the document …), the record
and the purge stand, and the message says what to fix.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.build.cache import STATES, memo_files, write_atomic
from gongkai.build.withdrawn import render_notice
from gongkai.load.packages import PACKAGES_FILE
from gongkai.load.withdrawals import append_entry
from gongkai.load.yamlsrc import split_front_matter
from gongkai.model import Catalogue, Document, GoneAddress, Withdrawal

CACHE_DIR = Path(".cache") / "gongkai"


@dataclass
class Purge:
    site_files: list[str] = field(default_factory=list)  # removed or replaced in site/ (site-relative)
    cache_files: int = 0  # files removed from .cache/gongkai/
    memo_entries: int = 0  # parsed-YAML and scan results forgotten


def default_person(root: Path) -> str:
    """Who runs the command: git's user.name in the repository, else the login name."""
    try:
        out = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("USER") or os.environ.get("USERNAME") or ""


def make_withdrawal(doc: Document, day: dt.date, reason: str, personal_data: bool, by: str) -> Withdrawal:
    return Withdrawal(doc.id, day, reason.strip(), personal_data, by.strip(), doc.title, doc.index_no, doc.published)


def own_files(cat: Catalogue, doc: Document) -> list[str]:
    """Files of content/ published only because of this document (its attachments, files only its body links)."""
    pub = cat.publication
    if pub is None:
        return sorted({a.path for a in doc.attachments})
    out = []
    for path, reasons in pub.reasons.items():
        if reasons and all(r.kind in ("attachment", "link") and r.source == doc.id for r in reasons):
            out.append(path)
    return sorted(out)


def purge_site(site: Path, cat: Catalogue, doc: Document, w: Withdrawal) -> list[str]:
    """The document's page becomes the withdrawal notice; its own files leave site/. Lists, feeds, exports and
    the search index are rebuilt by the build that follows."""
    if not site.is_dir():
        return []
    done: list[str] = []
    page = site / doc.href
    if page.exists():
        write_atomic(page, render_notice(w, cat.site.name).encode("utf-8"))  # a new file: cache links stay intact
        done.append(doc.href)
    for rel in own_files(cat, doc):
        path = site / rel
        if path.is_file() or path.is_symlink():
            path.unlink()
            done.append(rel)
    return done


def purge_cache(folder: Path, doc: Document, root: Path, copies: set[bytes] = frozenset()) -> tuple[int, int]:  # type: ignore[assignment]
    """Remove from the build cache every finished file that names the document, the cached copies of its own
    files (copies: their bytes), the search index state, what steps kept of the last build (BuildCache.state), and
    the remembered front matter and scan results of its source. Returns (files removed, memo entries dropped)."""
    if not folder.is_dir():
        return 0, 0
    needles = [f"{doc.id}.html".encode()]
    if len(doc.title) >= 4:
        needles.append(doc.title.encode("utf-8"))
    removed = 0
    pages = folder / "pages"
    if pages.is_dir():
        for dirpath, _dirs, names in os.walk(pages):
            for name in names:
                path = Path(dirpath) / name
                # posters are compressed PDFs: the title cannot be searched for, and they are few and quick to redo
                if name.endswith(".pdf") or _contains(path, needles) or _is_copy(path, copies):
                    path.unlink(missing_ok=True)
                    removed += 1
    search = folder / "search"
    if search.is_dir():
        removed += sum(len(names) for _d, _s, names in os.walk(search))
        shutil.rmtree(search, ignore_errors=True)
    states = folder / STATES  # what steps kept of the last build (its page's key): nothing of it is kept
    if states.is_file():
        states.unlink()  # (the next build makes every page key and row afresh)
        removed += 1
    digest = doc.source_digest
    memo_needles = [n for n in (doc.source.file.encode("utf-8"), digest.encode(), *needles) if n]
    keys = _front_matter_keys(doc, root)
    return removed, sum(_forget_memo(path, memo_needles, keys) for path in memo_files(folder))


def _is_copy(path: Path, copies: set[bytes]) -> bool:
    """Whether the file holds exactly one of copies (compared by size first: most files are read for nothing)."""
    if not copies:
        return False
    try:
        size = path.stat().st_size
        return any(len(c) == size for c in copies) and path.read_bytes() in copies
    except OSError:
        return False


def _contains(path: Path, needles: list[bytes]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(n in data for n in needles)


def _front_matter_keys(doc: Document, root: Path) -> set[tuple[int, str]]:
    """The memo key of the document's front matter (yamlsrc.load_yaml: line offset and text)."""
    try:
        text = (root / doc.source.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    fm = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))[0]
    return {(1, fm)} if fm else set()


def _forget_memo(path: Path, needles: list[bytes], keys: set[tuple[int, str]] = frozenset()) -> int:  # type: ignore[assignment]
    """Drop the entries of one memo file (cache.memo_files) whose key or value mentions the document."""
    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
        items = data["items"]
    except Exception:  # missing or foreign: nothing remembered
        return 0
    keep = {}
    for key, value in items.items():
        if key in keys:
            continue
        blob = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        if not any(n in blob for n in needles):
            keep[key] = value
    dropped = len(items) - len(keep)
    if dropped:
        write_atomic(path, pickle.dumps({**data, "items": keep}, protocol=pickle.HIGHEST_PROTOCOL))
    return dropped


@dataclass(frozen=True)
class Match:
    """A document that the text given instead of its id names (a clerk copies the 文号 from the paper)."""

    id: str
    title: str
    file: str
    by: str  # 文号, 索引号, 标题 or 文件名: what the text matched


def matches(cat: Catalogue, text: str) -> list[Match]:
    """The documents (and deleted documents' recorded addresses) whose 文号, 索引号, title or file name is `text`.

    A 文号 matches whatever its brackets and spaces (示民规[2024]3号 is 示民规〔2024〕3号: checks/consistency.py);
    a file name with or without .md and its folder. An empty list: nothing that text could mean."""
    from gongkai.checks.consistency import doc_number_key

    text = text.strip()
    if not text:
        return []
    key = doc_number_key(text)
    name = text.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".md")
    out: list[Match] = []
    for doc in sorted(cat.documents, key=lambda d: d.id):
        by = ("文号" if doc.doc_number and doc_number_key(doc.doc_number) == key else
              "索引号" if doc.index_no and doc.index_no.strip() == text else
              "标题" if doc.title.strip() == text else
              "文件名" if Path(doc.source.file).stem == name else "")
        if by:
            out.append(Match(doc.id, doc.title, doc.source.file, by))
    known = {m.id for m in out}
    for gone in sorted(cat.gone, key=lambda g: g.id):
        by = ("索引号" if gone.index_no and gone.index_no.strip() == text else
              "标题" if gone.title.strip() == text else
              "文件名" if Path(gone.file).stem == name else "")
        if by and gone.id not in known:
            out.append(Match(gone.id, gone.title, f"{gone.file}（已删除）", by))
    return out


def follow_ups(cat: Catalogue, doc: Document) -> list[str]:
    """What still cites the document: packages (their 政策依据), documents it replaces or that interpret it."""
    out = []
    for pkg in cat.packages:
        if doc in pkg.policies:
            line = pkg.policy_lines.get(doc.id) or pkg.source.line
            out.append(f"{PACKAGES_FILE}:{line}: 请从主题服务包「{pkg.name}」的政策依据（policies）中删除「{doc.id}」")
    for other in cat.documents:
        for key, target in (("replaced_by", other.replaced_by), ("interprets", other.interprets)):
            if target == doc.id and other is not doc:
                line = other.line_of(key)
                out.append(f"{other.source.file}:{line}: 字段「{key}」指向被撤回的文件，请核对"
                           + ("（这份政策解读是否也应撤回）" if key == "interprets" else ""))
    return out


def withdraw(root: Path, cat: Catalogue, doc: Document, w: Withdrawal, site_dir: Path | None = None) -> Purge:
    """Record the withdrawal and purge site/ and the cache (the rebuild is the caller's: it runs MkDocs)."""
    append_entry(root, w)
    result = Purge()
    site = site_dir if site_dir is not None else root / "site"
    copies = _own_contents(cat, doc, [site, root / "content"])  # read before purge_site removes them
    result.site_files = purge_site(site, cat, doc, w)
    result.cache_files, result.memo_entries = purge_cache(root / CACHE_DIR, doc, root, copies)
    return result


def _own_contents(cat: Catalogue, doc: Document, folders: list[Path]) -> set[bytes]:
    """The bytes of the document's own files, as published (site/) and as written (content/): the build cache
    keeps its copy of each by content (BuildCache.put_copy), under a key that does not name the document."""
    out = set()
    for rel in own_files(cat, doc):
        for folder in folders:
            try:
                out.add((folder / rel).read_bytes())
            except OSError:
                continue
    return out


def withdraw_gone(root: Path, cat: Catalogue, gone: GoneAddress, w: Withdrawal, site_dir: Path | None = None) -> Purge:
    """Record the withdrawal of a document whose file was already deleted (its recorded address shows
    「该信息已移除」): the record says who, when and why; its old address becomes the withdrawal notice at once.
    Nothing else of it is left to purge: the file is gone, and every build since dropped its cache entries."""
    append_entry(root, w)
    result = Purge()
    page = (site_dir if site_dir is not None else root / "site") / gone.href
    if page.exists():
        write_atomic(page, render_notice(w, cat.site.name).encode("utf-8"))
        result.site_files.append(gone.href)
    return result
