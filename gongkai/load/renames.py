"""Column references that a rename broke, answered from the URL record (catalog/urls.lock.yml).

A column without an explicit `id` gets its address from its name: 区划地名 (qhdm) renamed 区划地名管理 becomes
qhdmgl, and every document that says `columns: [qhdm]` no longer finds it. The record remembers every address
ever published and the column it belonged to, so it can tell what happened:

- `gongkai lock --rename qhdm=qhdmgl` recorded the rename: the old address now belongs to qhdmgl. Documents
  that still write qhdm are placed in qhdmgl, each with a warning to update it (`aliases`).
- nothing recorded it: the old address belongs to no current column, and exactly one current column under the
  same parent has an address the record has never seen — the renamed one. One error, at that column in
  columns.yml, says which `id:` keeps its address; the documents' own errors only repeat it and are left out
  (`explain_renamed`).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict

from gongkai.errors import Problems
from gongkai.load.columns import column_index
from gongkai.model import Column, RecordedUrl

COLUMNS_FILE = "catalog/columns.yml"


def column_ref_key(ref: str) -> str:
    """The Problem.after key of a document's reference to a column that does not exist."""
    return f"column:{ref.strip('/')}"


def _old_path(entry: RecordedUrl) -> str:
    return entry.url.removesuffix("/index.html")


def aliases(record: list[RecordedUrl] | None, roots: list[Column]) -> dict[str, Column]:
    """Old references (slug and path of a recorded address) that the record maps to a current column at another address."""
    if not record:
        return {}
    index = column_index(roots)
    out: dict[str, Column] = {}
    for entry in record:
        targets = index.get(entry.column, [])
        old = _old_path(entry)
        if len(targets) != 1 or targets[0].path == old:
            continue
        for ref in (old, posixpath.basename(old)):
            if ref not in index:  # a reference that still names a current column keeps its meaning
                out.setdefault(ref, targets[0])
    return out


def explain_renamed(record: list[RecordedUrl] | None, roots: list[Column], problems: Problems) -> None:
    """One error at a renamed column for all the documents whose references it broke (see the module docstring)."""
    if not record:
        return
    broken: dict[str, int] = defaultdict(int)  # reference -> how many documents' errors name it
    for p in problems.items:
        for key in p.after_keys:
            if key.startswith("column:"):
                broken[key.removeprefix("column:")] += 1
    if not broken:
        return
    index = column_index(roots)
    recorded = {e.url for e in record}
    new_columns = [c for r in roots for c in r.walk() if c.href not in recorded]
    for entry in record:
        old = _old_path(entry)
        refs = [r for r in (old, posixpath.basename(old), entry.column) if r in broken]
        if not refs or index.get(entry.column):
            continue
        parent = posixpath.dirname(old)
        candidates = [c for c in new_columns if posixpath.dirname(c.path) == parent]
        if len(candidates) != 1:
            continue
        col = candidates[0]
        count = sum(broken[r] for r in dict.fromkeys(refs))
        problems.error(COLUMNS_FILE, col.line_of("name"), "id",
                       f"栏目「{col.name}」的地址由「{posixpath.basename(old)}」变成了「{col.slug}」（原名「{entry.name}」，"
                       f"名称改了，又没有写 id），有 {count} 处文件引用仍写着「{refs[0]}」：请给这个栏目加上 "
                       f"id: {posixpath.basename(old)}，地址和文件就都不用改")
        problems.unreadable.update({COLUMNS_FILE, *(column_ref_key(r) for r in refs)})
