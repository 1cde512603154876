"""What an imported column table cannot say, kept from the catalogue it replaces (`gongkai import -o
catalog/columns.yml` on a site that has one).

The clerk's round trip is: download the 标准目录 (data/catalogue.xlsx), edit it in Excel, import it back. The
download carries names, 更新频率, 负责科室, 公开事项, 对应标准事项 and the 网址, but not a column's kind, its
说明, its page file, link, 检查归类 or 第二十条 items. Written over the old file as they came, the guide column
became an empty document list (the 公开指南 was no longer published), the 政策文件 library lost its filters, the
申请须知, 留言选登 and 年报 pages went, and `gongkai check` passed. A clerk who also deleted the 网址 column (「群众
用不着」) moved every column with an explicit id to a new address.

So each imported column is matched to the old one it is — by its address when the table gave the 网址 (the
path of ids; a column moved under another parent by the id its 网址 ends in, when no other column has it), else by
its names from the top (社会救助 / 最低生活保障 / 办事指南) — and takes from it what the table has no column for. What the table does say (names, 更新频率, 负责科室, 公开事项, implements) always wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.load import slugs
from gongkai.model import Column, ColumnKind
from gongkai.tools.importer import Node

# Kinds the table's shape decides (a row with rows under it is a section, one without is a document list); the
# other kinds (guide, policies, reports, application …) have no children, so a column keeps one while it has none.
_SHAPE_KINDS = {ColumnKind.SECTION, ColumnKind.DOCUMENTS}


@dataclass
class Kept:
    kinds: list[str] = field(default_factory=list)  # "trail（kind）" of columns whose kind was kept
    ids: list[str] = field(default_factory=list)  # trails of columns whose id (address) was kept by name
    other: int = 0  # columns that kept a 说明, page, link, 检查归类 or 第二十条 items
    gone: list[str] = field(default_factory=list)  # "trail（id）" of old columns no row of the table is


def keep_from_existing(roots: list[Node], existing: list[Column]) -> Kept:
    """Fill in each imported column what the table cannot carry, from the matching column of `existing`."""
    by_path = {c.path: c for r in existing for c in r.walk()}
    by_trail: dict[tuple[str, ...], list[Column]] = {}
    by_id: dict[str, list[Column]] = {}
    for r in existing:
        for c in r.walk():
            by_trail.setdefault(tuple(a.name for a in c.trail), []).append(c)
            by_id.setdefault(c.id, []).append(c)
    kept = Kept()

    def walk(nodes: list[Node], path: str, trail: tuple[str, ...]) -> None:
        for n in nodes:
            names = (*trail, n.name)
            own = f"{path}/{n.id or slugs.initials(n.name)}".lstrip("/")
            old = by_path.get(own)
            if old is None and n.id and len(by_id.get(n.id, [])) == 1:
                old = by_id[n.id][0]  # moved under another parent in the table: its 网址 still names it
            if old is None:
                same = by_trail.get(names, [])
                old = same[0] if len(same) == 1 else None
                if old is not None and old.slug != (n.id or slugs.initials(n.name)):
                    n.id = old.slug  # the address the column had: the table did not give it
                    kept.ids.append(" / ".join(names))
            if old is not None:
                _take(n, old, kept, names)
                own = old.path
                matched.add(id(old))
            walk(n.children, own, names)

    matched: set[int] = set()
    walk(roots, "", ())
    # a row deleted in Excel by mistake removes a column and its address: said, not only seen in a later check
    kept.gone = [f"{c.trail_text()}（{c.id}）" for r in existing for c in r.walk() if id(c) not in matched]
    return kept


def _take(n: Node, old: Column, kept: Kept, names: tuple[str, ...]) -> None:
    if n.kind is None and old.kind not in _SHAPE_KINDS and not n.children:
        n.kind = old.kind
        kept.kinds.append(f"{' / '.join(names)}（{old.kind.value}）")
    took = False
    for attr, value in (("description", old.description), ("page", old.page), ("link", old.url),
                        ("inspect_as", old.inspect_as)):
        if value and not getattr(n, attr):
            setattr(n, attr, value)
            took = True
    if old.art20 and not n.art20:
        n.art20 = list(old.art20)
        took = True
    kept.other += took
