"""Document addresses for files whose names cannot be one (content/documents/2024/关于印发某某办法的通知.md).

A document is published at documents/<id>.html. The id is its `id:` when written, else its file name when that
is a valid id (letters, digits, . - _). Staff name files by their titles, and a bureau's imported files are named
so; such a document gets its id automatically, made exactly as `gongkai import-docs` makes the ids of the files it
writes (so an imported document that staff later rename in Chinese keeps its address):

- from its 索引号 when it is this bureau's (the org code before the slash): the rest, 202403-00012. Chosen first
  because the 索引号 is the document's identity in the 公开目录: unique within the bureau (checks/indexno.py),
  never changed once published, short, and what a reader quotes;
- another well-formed 索引号 (a higher authority's document republished): all of it, non-alphanumerics as -;
- else the year of its 发布日期 and the pinyin initials of its title, as column addresses are made from names:
  2024-gyyfmmbfdtz. Not the 文号: many documents (解读, 公告, 年报) have none, and import-docs does not use it.

An automatic id is only as stable as what it is made from, so `gongkai lock` records it in catalog/urls.lock.yml
(`documents:`, with the file, title and 索引号 it was made for). From then on the record decides: the document is
found by its file's path, or, when the file was renamed, by its 索引号 or its title. Renaming the file, retitling
it or adding a 索引号 later keeps the address. Two documents that would share an id are an error naming both
files and lines: a suffix picked by file order would move an address whenever a file is added before it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from gongkai.errors import Problems
from gongkai.load import slugs
from gongkai.model import Document, GoneAddress

# the common 索引号 form (checks/indexno.py has the same; not imported from there: checks come after loading)
INDEX_RE = re.compile(r"^(?P<prefix>[0-9A-Za-z-]+)/(?P<period>\d{4}|\d{6})-(?P<serial>\d{1,8})$")

FROM_INDEX = "索引号"
FROM_TITLE = "标题"
FROM_RECORD = "地址记录"
# the front-matter fields an automatic id is made from (base_id): an error in one of them leaves the id unsettled
ID_SOURCE_FIELDS = frozenset({"index_no", "title", "published"})
LOCK_FILE = "catalog/urls.lock.yml"  # load/urlrecord.py reads and writes it (and imports this module)


@dataclass(frozen=True)
class RecordedDoc:
    """One entry of the `documents:` map of catalog/urls.lock.yml: an automatic id once published."""

    id: str
    file: str  # content/documents/… as it was when recorded
    title: str
    index_no: str = ""
    doc_number: str = ""
    line: int | None = None

    @property
    def url(self) -> str:
        return f"documents/{self.id}.html"


def base_id(index_no: str, title: str, year: int, org_code: str) -> tuple[str, str]:
    """The automatic id of a document, and what it was made from (FROM_INDEX or FROM_TITLE)."""
    m = INDEX_RE.match(index_no.strip()) if index_no else None
    if m:
        if org_code and m["prefix"].upper() == org_code.upper():
            return f"{m['period']}-{m['serial']}", FROM_INDEX
        return re.sub(r"[^0-9A-Za-z]+", "-", index_no.strip()).strip("-"), FROM_INDEX
    return f"{year}-{slugs.initials(title)[:40] or 'wj'}".strip("-"), FROM_TITLE


def made_by_rule(doc: Document, org_code: str) -> bool:
    """The document's id is the one the automatic rule makes from its 索引号 or title (with the -2 … an import adds
    when it repeats one): `gongkai import-docs` writes such ids into the files it makes. `gongkai lock` records them
    as it records automatic ids, so the address is on record whatever later happens to the file's `id:` line."""
    base, _ = base_id(doc.index_no, doc.title or posixpath.basename(doc.source.file), doc.published.year, org_code)
    return re.fullmatch(re.escape(base) + r"(-\d+)?", doc.id) is not None


def needs_auto_id(stem: str) -> bool:
    """A file name that cannot be an address by itself (Chinese, spaces, brackets …)."""
    return not slugs.is_valid_doc_id(stem)


def assign_ids(docs: list[Document], record: list[RecordedDoc] | None, org_code: str, problems: Problems) -> None:
    """Give every document loaded without an id (doc.id == "") its automatic one; report shared ids.

    Order of preference: the record's entry for the same file; an entry whose file no longer exists with the same
    索引号, 文号 or title, in that order (the file was renamed); else a new id from `base_id`. Duplicates among all
    documents are reported by load_documents afterwards; here only an automatic id that meets another document is
    explained (both files, both lines, how the id was made)."""
    auto = [d for d in docs if not d.id]
    if not auto:
        return
    entries = list(record or [])
    files = {d.source.file for d in docs}
    written = {d.id for d in docs if d.id}  # ids the clerk wrote or named a file with: the record cannot take them
    by_file = {e.file: e for e in entries if e.id not in written}
    # entries left by a renamed file: its old path is no longer a document
    loose = [e for e in entries if e.file not in files and e.id not in written]
    claimed: set[str] = set()
    pending: list[Document] = []
    for doc in auto:
        entry = by_file.get(doc.source.file)
        if entry is not None and entry.id not in claimed:
            _give(doc, entry.id, FROM_RECORD, claimed)
        else:
            pending.append(doc)
    still: list[Document] = []
    for doc in pending:
        entry = _match(doc, loose, claimed)
        if entry is not None:
            _give(doc, entry.id, FROM_RECORD, claimed)
        else:
            still.append(doc)
    recorded = {e.id for e in entries}
    for doc in still:
        ident, how = base_id(doc.index_no, doc.title or posixpath.basename(doc.source.file), doc.published.year,
                             org_code)
        doc.id, doc.id_from = ident, how
        if ident in recorded and ident not in claimed:
            # the record keeps this address for another file: gone (deleted, or renamed and retitled), or given an id
            entry = next(e for e in entries if e.id == ident)
            now = "该文件现在写了自己的 id" if entry.file in files else "该文件已不在原处"
            problems.warn(doc.source.file, _line(doc), "id",
                          f"按{how}生成的网址 documents/{ident}.html 在地址记录中记的是另一份文件（{entry.file}，"
                          f"「{entry.title}」，{_record_where(entry)}），{now}；若本文件就是它（改了文件名和标题），"
                          f"无需处理，运行 gongkai lock 即可；若不是，请在本文件 front matter 中另写 id")
        claimed.add(ident)
    # recorded addresses left without a document: gone_addresses() decides what their old address shows


def gone_addresses(record: list[RecordedDoc] | None, docs: list[Document], withdrawn: set[str]) -> list[GoneAddress]:
    """The recorded addresses no document has any more (withdrawn ones excepted: their notice is the record's),
    each with the document it now is, when one is found: the same file (it got an id of its own), else a document
    with an id of its own found by 索引号, 文号, then title — the order `assign_ids` finds a renamed file by.
    Called with every loaded document (scheduled and unpublished ones too: their address is not gone)."""
    if not record:
        return []
    ids = {d.id for d in docs}
    gone = [e for e in record if e.id not in ids and e.id not in withdrawn]
    if not gone:
        return []
    by_file = {d.source.file: d for d in docs}
    targets: dict[str, Document] = {}
    for e in gone:
        same = by_file.get(e.file)
        if same is not None:
            targets[e.id] = same
    claimed = set(targets)
    taken = {id(d) for d in targets.values()}
    for doc in docs:
        # automatic ids were matched against the record already: only a document with an id of its own can be
        # one that left its recorded address (renamed to an ASCII name, or `id:` written)
        if doc.id_from or id(doc) in taken:
            continue
        entry = _match(doc, gone, claimed)
        if entry is not None:
            targets[entry.id] = doc
            claimed.add(entry.id)
    return [GoneAddress(e.id, e.file, e.title, e.index_no, e.line, targets.get(e.id)) for e in gone]


def _give(doc: Document, ident: str, how: str, claimed: set[str]) -> None:
    doc.id, doc.id_from = ident, how
    claimed.add(ident)


def _match(doc: Document, loose: list[RecordedDoc], claimed: set[str]) -> RecordedDoc | None:
    free = [e for e in loose if e.id not in claimed]
    if doc.index_no:
        hits = [e for e in free if e.index_no and e.index_no.upper() == doc.index_no.upper()]
        if hits:
            return hits[0]
    if doc.doc_number:
        hits = [e for e in free if e.doc_number == doc.doc_number and not (e.index_no and doc.index_no)]
        if len(hits) == 1:
            return hits[0]
    if doc.title:
        hits = [e for e in free if e.title == doc.title and not (e.index_no and doc.index_no)]
        if len(hits) == 1:
            return hits[0]
    return None


def _line(doc: Document) -> int | None:
    """The line an automatic id was made from: the 索引号's, else the title's."""
    if doc.id_from == FROM_INDEX:
        return doc.line_of("index_no")
    if doc.id_from == FROM_TITLE:
        return doc.line_of("title")
    return doc.source.line


def _record_where(entry: RecordedDoc) -> str:
    return f"{LOCK_FILE} 第 {entry.line} 行" if entry.line else LOCK_FILE


def describe(doc: Document) -> str:
    """How a document got its id, for messages: 按索引号生成 / 按标题拼音首字母生成 / 地址记录中记下的."""
    return {FROM_INDEX: "按索引号生成", FROM_TITLE: "按年份和标题拼音首字母生成",
            FROM_RECORD: f"地址记录 {LOCK_FILE} 中记下"}.get(doc.id_from, "")


def duplicate_message(doc: Document, other: Document) -> tuple[int | None, str]:
    """The line and text of the error for `doc`, whose id `other` (loaded earlier) already has."""
    def who(d: Document, line: int | None) -> str:
        how = describe(d)
        if how:
            return f"{d.source.file}（第 {line} 行，{how}的标识）"
        if "id" in d.field_lines:
            return f"{d.source.file}（第 {line} 行，front matter 的 id）"
        return f"{d.source.file}（文件名）"

    line = _line(doc) if doc.id_from else doc.line_of("id")
    other_line = _line(other) if other.id_from else other.line_of("id")
    free = f"{doc.id}-2"
    text = (f"文件标识「{doc.id}」重复：{who(doc, line)}与 {who(other, other_line)}的网址都是 documents/{doc.id}.html。"
            f"请在其中一份文件的 front matter 中写上不同的 id（如 id: {free}），或补上各自的索引号")
    return line, text


__all__ = ["RecordedDoc", "base_id", "made_by_rule", "needs_auto_id", "assign_ids", "gone_addresses", "describe",
           "duplicate_message", "FROM_INDEX", "FROM_TITLE", "FROM_RECORD"]
