"""catalog/columns.yml: the 标准目录, a tree of at most three levels of columns."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongkai.errors import Problems
from gongkai.frequency import parse_schedule
from gongkai.fsutil import rel_posix
from gongkai.load import slugs
from gongkai.load.fields import Fields, type_name
from gongkai.load.sources import read_yaml_file
from gongkai.load.yamlsrc import Node, Seq, as_text
from gongkai.memo import Memo
from gongkai.model import Column, ColumnKind, PublicItem, Source
from gongkai.sitepaths import RESERVED_FOLDERS
from gongkai.vocab import AUDIENCES, CHANNEL_SYNONYMS, CHANNELS, FREQUENCIES, INSPECTION_CLASSES, MODES

COLUMNS_FILE = "catalog/columns.yml"
MAX_LEVELS = 3
RESERVED_SLUGS = RESERVED_FOLDERS  # top-level URL folders the generator itself uses
COLUMN_FIELDS = {
    "name": "栏目名称", "id": "栏目标识", "kind": "栏目类型", "frequency": "更新频率", "office": "负责科室",
    "description": "栏目说明", "page": "页面文件", "url": "链接地址", "children": "下级栏目",
    "items": "公开事项", "inspect_as": "检查归类（国办秘函〔2019〕19号）",
    "art20": "对应《政府信息公开条例》第二十条的项（1—15）",
    "implements": "落实的国家标准目录事项（标识，如 shjz-03）",
}
ITEM_FIELDS = {
    "name": "事项名称", "content": "公开内容（要素）", "basis": "公开依据", "deadline": "公开时限", "subject": "公开主体",
    "channels": "公开渠道和载体", "audience": "公开对象", "mode": "公开方式", "level": "公开层级",
    "implements": "落实的国家标准目录事项（标识，如 shjz-03）",
}


def load_columns(root: Path, problems: Problems, memo: Memo | None = None,
                 keep: dict[str, Any] | None = None) -> list[Column]:
    path = root / COLUMNS_FILE
    name = rel_posix(root, path)
    data = read_yaml_file(root, path, problems, memo=memo, keep=keep)
    if data is None:
        return []
    if isinstance(data, dict) and "columns" in data:
        if set(data) - {"columns"}:
            extra = "、".join(sorted(set(data) - {"columns"}))
            problems.error(name, data.line_of(sorted(set(data) - {"columns"})[0]) if isinstance(data, Node) else None, None, f"未知的顶层字段：{extra}")
        data = data["columns"]
    if not isinstance(data, list):
        problems.error(name, getattr(data, "line", None), "columns", f"标准目录应为栏目列表，实际是{type_name(data)}")
        return []
    roots = _load_column_list(data, None, 1, name, problems, memo)
    _check_ids(roots, name, problems)
    return roots


def _load_column_list(items: list[Any], parent: Column | None, level: int, file: str, problems: Problems,
                      memo: Memo | None = None) -> list[Column]:
    out: list[Column] = []
    for i, item in enumerate(items):
        line = items.line_of(i) if isinstance(items, Seq) else None
        if not isinstance(item, dict):
            problems.error(file, line, None, f"第 {level} 级栏目的第 {i + 1} 项应为键值对象，实际是{type_name(item)}")
            continue
        col = _load_column(item, parent, level, file, problems, memo)
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


def _load_column(item: dict[str, Any], parent: Column | None, level: int, file: str, problems: Problems,
                 memo: Memo | None = None) -> Column | None:
    f = Fields(problems, file, item, COLUMN_FIELDS, "栏目")
    name = f.str("name", required=True)
    explicit = f.str("id")
    if explicit:
        slug = explicit
        if not slugs.is_valid_slug(explicit):
            f.err("id", f"栏目标识「{explicit}」无效：只能用小写字母、数字和连字符，且以字母或数字开头")
    else:
        slug = slugs.initials(name, memo)  # memo: no pypinyin in a rebuild
        if name and not slug:
            f.err("name", f"无法从栏目名称「{name}」生成地址，请设置 id")
    children_raw = item.get("children") if isinstance(item, dict) else None
    written = f.str("kind", default=ColumnKind.SECTION if children_raw else ColumnKind.DOCUMENTS)
    try:
        kind = ColumnKind(written)
    except ValueError:
        # the Chinese name of a kind (文件列表, 单页 …), as the list of kinds shows it: the English name is meant
        named = next((k for k in ColumnKind if written.strip() and written.strip() in (k.label, k.label.split("（")[0])), None)
        if named is not None:
            f.err("kind", f"栏目类型要写英文的类型名：「{written}」是 {named.value}（{named.label}），请写 kind: {named.value}")
        else:
            f.err("kind", f"栏目类型「{written}」无效，可选：" + "、".join(f"{k.value}（{k.label}）" for k in ColumnKind))
        # taken as meant (or as if not written): the documents that name the column are not also told it holds none
        kind = named or (ColumnKind.SECTION if children_raw else ColumnKind.DOCUMENTS)
    schedule = parse_schedule(f.str("frequency"))  # 每季度 reads as the vocabulary's 每季度更新
    if not schedule.known:
        f.warn("frequency", f"更新频率「{schedule.text}」无法识别出更新周期或时限，已按原文显示，检查时不判断是否超期；"
               f"可写 {'、'.join(FREQUENCIES)}，或写明期限，如「及时更新，最迟6个月内必须有更新」")
    inspect_as = f.choice("inspect_as", INSPECTION_CLASSES)
    col = Column(
        name=name, slug=slug or f"column-{f.start_line}", kind=kind, frequency=schedule.text, office=f.str("office"),
        description=f.str("description"), schedule=schedule, inspect_as=inspect_as, page=f.str("page"),
        url=f.str("url"), id_explicit=bool(explicit), parent=parent, source=Source(file, f.start_line),
        field_lines=dict(f.node.key_lines),
    )
    col.art20 = read_art20(f, "art20")
    col.implements = f.str_list("implements")
    col.items = [_load_item(i) for i in f.records("items", ITEM_FIELDS, "公开事项", "每项写 name、content、basis、deadline 等")]
    if kind is ColumnKind.LINK:
        if not col.url:
            f.err("url", f"外部链接栏目「{name}」缺少必填字段「url」", f.start_line)
        elif not re.match(r"^https?://", col.url):
            f.err("url", f"链接地址「{col.url}」应以 http:// 或 https:// 开头")
    elif col.url:
        f.err("url", "只有 link（外部链接）类型的栏目可以设置 url")
    if col.page and not kind.takes_page:
        f.err("page", "只有 page（单页）或 guide 类型的栏目可以设置 page")
    if children_raw is not None:
        if level >= MAX_LEVELS:
            f.err("children", f"栏目「{name}」是第 {level} 级栏目，不能再有下级栏目：标准目录最多三级")
        elif not isinstance(children_raw, list):
            f.err("children", f"下级栏目应为列表，实际是{type_name(children_raw)}")
        else:
            col.children = _load_column_list(children_raw, col, level + 1, file, problems, memo)
    return col


def read_art20(f: Fields, key: str) -> list[int]:
    """Item numbers of 《条例》第二十条 (1–15), as a list or one number."""
    raw = f.raw(key)
    if raw is None:
        return []
    values = raw if isinstance(raw, list) else [raw]
    out: list[int] = []
    for v in values:
        written = "" if isinstance(v, bool) or not isinstance(v, (int, str)) else as_text(v).strip()
        v = int(written) if written.isdigit() else v  # a number the YAML reader kept as written text
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 15:
            f.err(key, f"「{v}」无效：应写第二十条的项号 1—15，如 [1, 11]")
        elif v not in out:
            out.append(v)
    return out


def _load_item(f: Fields) -> PublicItem:
    deadline = f.str("deadline")
    schedule = parse_schedule(deadline)
    if not schedule.known:
        f.warn("deadline", f"公开时限「{deadline}」无法识别出期限，已按原文显示；"
               "可写「信息形成或者变更之日起20个工作日内」「每季度更新」等")
    channels: list[str] = []
    for written in f.str_list("channels"):
        channel = CHANNEL_SYNONYMS.get(written, written)
        if channel not in CHANNELS:
            f.err("channels", f"公开渠道和载体「{written}」不是规定的渠道，可选：{'、'.join(CHANNELS)}")
        elif channel not in channels:
            channels.append(channel)
    return PublicItem(
        name=f.str("name", required=True), content=f.str("content"), basis=f.str("basis"), deadline=deadline,
        schedule=schedule, subject=f.str("subject"), channels=channels, audience=f.choice("audience", AUDIENCES),
        mode=f.choice("mode", MODES), level=f.str_list("level"), implements=f.str_list("implements"),
        source=Source(f.file, f.start_line),
        field_lines=dict(f.node.key_lines),
    )


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
            if col.parent is not None:  # the trail of names, 法定主动公开内容/政策法规/部门文件
                index.setdefault(NAME_KEY + col.trail_text("/"), []).append(col)
    return index


def unknown_column_message(ref: str, index: dict[str, list[Column]],
                           fits: Callable[[Column], bool] = lambda c: c.kind.holds_documents) -> str:
    """What to say about a column reference that matches no id or path. fits: the columns the field may name
    (a document's: those that hold documents): the ids nearest to what was written, else all of them, so that a
    clerk who copied an example's ids (the demo's `bmwj`, absent from a new site) sees the site's own."""
    named = index.get(NAME_KEY + "/".join(part.strip() for part in ref.strip().strip("/").split("/")), [])
    if len(named) == 1:
        col = named[0]
        write = col.id if len(index.get(col.id, [])) == 1 else col.path
        return f"「{ref}」是栏目名称，这里要写栏目标识：请写「{write}」"
    if named:
        return f"「{ref}」是 {len(named)} 个栏目的名称，这里要写栏目标识，请写其中一个的完整路径：" + "、".join(c.path for c in named)
    parts = [p.strip() for p in re.split(r"[,，、;；\s]+", ref.strip()) if p.strip()]
    if len(parts) > 1 and all(p.strip("/") in index for p in parts):
        # `columns: zfcg, zcwj` is one text to YAML, as is `[zfcg，zcwj]` with a full-width comma
        return (f"「{ref}」是连在一起的 {len(parts)} 个栏目：多个栏目请写成列表，用方括号和英文逗号，"
                f"如 columns: [{', '.join(parts)}]")
    said = f"栏目「{ref}」在标准目录 catalog/columns.yml 中不存在"
    ids = list({c.id: c for cols in index.values() for c in cols if fits(c)}.items())  # in catalogue order
    near = difflib.get_close_matches(ref.strip("/"), [i for i, _ in ids], n=5, cutoff=0.6)
    if near:
        return said + "；是不是：" + "、".join(f"{i}（{index[i][0].name}）" for i in near)
    if ids:
        return said + "。可写的栏目标识：" + "、".join(f"{i}（{c.name}）" for i, c in ids)
    return said

