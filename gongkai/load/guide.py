"""content/guide.md: the 政府信息公开指南, its revision date and record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.load.fields import Fields
from gongkai.load.sources import NO_FRONT_MATTER, front_matter_yaml, read_utf8
from gongkai.load.yamlsrc import split_front_matter
from gongkai.memo import Memo
from gongkai.model import Guide, Revision, Source

GUIDE_FILE = "content/guide.md"
GUIDE_FIELDS = {"title": "标题", "revised": "修订时间", "revisions": "修订记录"}
REVISION_FIELDS = {"date": "修订日期", "note": "修订说明"}


def load_guide(root: Path, problems: Problems, memo: Memo | None = None,
               refused: set[str] | frozenset[str] = frozenset()) -> Guide | None:
    """refused: paths under content/ not to be read (load/contenttree.py has reported them)."""
    path = root / GUIDE_FILE
    name = rel_posix(root, path)
    if not path.exists() or GUIDE_FILE.removeprefix("content/") in refused:
        return None
    text = read_utf8(path, name, problems)
    if text is None:
        return None
    fm, body, _ = split_front_matter(text)
    data: Any = {}
    if fm:
        data = front_matter_yaml(name, fm, problems, memo=memo)
        if data is NO_FRONT_MATTER:
            return None
        data = data or {}
    f = Fields(problems, name, data, GUIDE_FIELDS, "公开指南 front matter")
    revisions: list[Revision] = []
    for r in f.records("revisions", REVISION_FIELDS, "修订记录", "每项包含 date（修订日期）和 note（修订说明）"):
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
                 source=Source(name, f.line("revised") or 1), text=text)

