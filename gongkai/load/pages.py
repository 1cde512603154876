"""content/pages/*.md: the single pages of `page` columns, and their optional `updated` date."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.fields import Fields
from gongkai.load.sources import front_matter_yaml, is_file, read_utf8, safe_content_path
from gongkai.load.yamlsrc import split_front_matter
from gongkai.memo import Memo
from gongkai.model import Column, ColumnKind, Page


def load_pages(root: Path, roots: list[Column], problems: Problems, memo: Memo | None = None,
               refused: set[str] | frozenset[str] = frozenset()) -> dict[str, Page]:
    """The page of every `page` column, by its path under content/; sets the columns' `page` and `updated`.
    refused: paths under content/ not to be read (load/contenttree.py has reported them)."""
    pages: dict[str, Page] = {}
    for r in roots:
        for col in r.walk():
            if col.kind is not ColumnKind.PAGE:
                continue
            ref = col.page or f"pages/{col.slug}.md"
            target = safe_content_path(root / "content", ref, root)
            if target is None:
                problems.error(col.source.file, col.line_of("page"), "page", f"页面文件「{ref}」不能离开 content/ 目录")
            elif not is_file(target):
                problems.error(col.source.file, col.line_of("page"), "page", f"栏目「{col.name}」的页面文件 content/{ref} 不存在")
            elif posixpath.normpath(ref) in refused:
                continue
            else:
                text = read_utf8(target, rel_posix(root, target), problems)
                if text is None:
                    continue
                fm, body, _ = split_front_matter(text)
                col.page = ref
                col.updated = _page_updated(rel_posix(root, target), fm, problems, memo)
                pages[ref] = Page(f"content/{ref}", body, text)
    return pages


def _page_updated(file: str, fm: str | None, problems: Problems, memo: Memo | None) -> dt.date | None:
    """The optional `updated` date (更新日期) in a page's front matter, for gongkai inspect."""
    if not fm:
        return None
    data = front_matter_yaml(file, fm, problems, memo=memo)
    if not isinstance(data, dict) or "updated" not in data:
        return None
    f = Fields(problems, file, data, {k: k for k in data}, "页面 front matter")
    return f.date("updated")

