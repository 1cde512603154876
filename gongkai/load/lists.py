"""catalog/lists.yml: published lists read from spreadsheets under content/, checked and masked (no MkDocs).

Each list names its spreadsheet (.xlsx or .csv), the sheet, its category, 发布日期 and 公示期, and declares every
field it publishes: type, mask, whether it is shown, searchable, a filter. Cells are read, checked by type
(dates, amounts, 统一社会信用代码) and masked here, before anything is written: the model keeps only the masked
values of the shown fields (gongkai/listmodel.py). The privacy gate then scans those values like any other
published text (checks/privacy.py), so a personal number left unmasked stops the build naming file, sheet, row
and column. The spreadsheets themselves are source data, never copied into the site (checks/publication.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gongkai import masking
from gongkai.checks.indexno import credit_check_char
from gongkai.errors import Problems
from gongkai.fsutil import rel_posix
from gongkai.listmodel import (
    CATEGORIES,
    FIELD_TYPES,
    FILTER_TYPES,
    MASKS,
    MUST_MASK,
    DataList,
    ListField,
    Row,
    type_of_heading,
    until_of,
)
from gongkai.load import sheets, slugs
from gongkai.load.columns import column_index, unknown_column_message
from gongkai.load.fields import Fields, type_name
from gongkai.load.sheets import cell_text
from gongkai.load.sources import read_yaml_file
from gongkai.memo import Memo
from gongkai.model import Column, ColumnKind

LISTS_FILE = "catalog/lists.yml"
TOP_FIELDS = {"terms": "公示期限（按类别，月数）", "lists": "名单列表"}
LIST_FIELDS = {
    "id": "名单标识", "title": "名单标题", "column": "所属栏目", "file": "表格文件", "sheet": "工作表",
    "header_row": "表头所在行", "category": "类别", "published": "发布日期", "period_start": "公示期开始",
    "period_end": "公示期结束", "document": "相关文件", "description": "说明", "record_date": "起算日期字段",
    "record_months": "每条记录公示月数", "fields": "字段",
}
FIELD_FIELDS = {"name": "字段名（表头）", "type": "类型", "mask": "遮蔽方式", "show": "是否公开", "search": "可搜索",
                "filter": "可筛选"}
MAX_ROWS = 100_000


def load_lists(root: Path, roots: list[Column], build_date: dt.date, problems: Problems, memo: Memo | None = None,
               keep: dict[str, Any] | None = None, documents: Container[str] | None = None) -> list[DataList]:
    """Every list of catalog/lists.yml (an optional file), read and masked; `ended` set from the build date.

    documents: the ids of the documents loaded, which a list's `document` must name (None: not checked)."""
    path = root / LISTS_FILE
    if not path.exists():
        return []
    name = rel_posix(root, path)
    data = read_yaml_file(root, path, problems, memo=memo, keep=keep)
    if data is None:
        return []
    top = Fields(problems, name, data, TOP_FIELDS, "名单配置")
    if not top.ok:
        return []
    terms = _terms(top)
    index = column_index(roots)
    out: list[DataList] = []
    seen: dict[str, DataList] = {}
    for f in top.records("lists", LIST_FIELDS, "名单", "每项写 id、title、column、file、fields 等"):
        lst = _load_list(root, f, index, terms, build_date, problems, memo)
        if lst is None:
            continue
        if lst.document and documents is not None and lst.document not in documents:
            f.err("document", f"相关文件「{lst.document}」不存在：应为 content/documents/ 中某份文件的标识（文件名去掉 .md）")
        if lst.id in seen:
            f.err("id", f"名单标识「{lst.id}」重复：第 {seen[lst.id].line} 行已使用")
            continue
        seen[lst.id] = lst
        out.append(lst)
    return out


def _terms(top: Fields) -> dict[str, int | None]:
    terms: dict[str, int | None] = {c.name: c.record_months for c in CATEGORIES.values()}
    raw = top.raw("terms")
    if raw is None:
        return terms
    if not isinstance(raw, dict):
        top.err("terms", f"应为「类别: 月数」的键值对象，实际是{type_name(raw)}")
        return terms
    for key, value in raw.items():
        line = raw.line_of(key) if hasattr(raw, "line_of") else top.line("terms")
        if key not in CATEGORIES:
            top.err("terms", f"类别「{key}」无效，可选：{'、'.join(CATEGORIES)}", line)
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            top.err("terms", f"类别「{key}」的公示期限应为正整数（月数），或留空表示不限，实际是「{value}」", line)
        else:
            terms[key] = value
    return terms


def _load_list(root: Path, f: Fields, index: dict[str, list[Column]], terms: dict[str, int | None],
               build_date: dt.date, problems: Problems, memo: Memo | None = None) -> DataList | None:
    list_id = f.str("id", required=True)
    if list_id and not slugs.is_valid_slug(list_id):
        f.err("id", f"名单标识「{list_id}」无效：只能用小写字母、数字和连字符，且以字母或数字开头")
    title = f.str("title", required=True)
    category = f.choice("category", list(CATEGORIES), default="其他") or "其他"
    published = f.date("published", required=True)
    start, end = f.date("period_start"), f.date("period_end")
    if start and end and end < start:
        f.err("period_end", f"公示期结束日期 {end} 早于开始日期 {start}")
    if end and not start and published and end < published:
        f.err("period_end", f"公示期结束日期 {end} 早于发布日期 {published}")
    column: Column | None = None
    ref = f.str("column", required=True)
    if ref:
        cols = index.get(ref.strip("/"), [])
        if not cols:
            f.err("column", unknown_column_message(ref, index, lambda c: c.kind is ColumnKind.LISTS), after="catalog/columns.yml")
        elif len(cols) > 1:
            f.err("column", f"栏目标识「{ref}」不唯一，请写完整路径：" + "、".join(c.path for c in cols))
        elif cols[0].kind is not ColumnKind.LISTS:
            f.err("column", f"栏目「{cols[0].name}」的类型是 {cols[0].kind.value}（{cols[0].kind.label}），"
                            "名单只能放在 kind: lists 的栏目中", after="catalog/columns.yml")
        else:
            column = cols[0]
    fields = _fields(f)
    record_date = f.str("record_date")
    months = terms.get(category)
    if f.has("record_months"):
        months = f.int("record_months", default=months or 36, minimum=1)
    if record_date:
        declared = next((x for x in fields if x.name == record_date), None)
        if declared is None or declared.type != "date":
            f.err("record_date", f"起算日期字段「{record_date}」应是 fields 中一个 type: date 的字段")
    elif months is not None:
        f.err("record_date", f"「{category}」类名单的每条记录自其决定日期起公示 {months} 个月：请写 record_date"
                             "（表格中决定日期所在的字段名）", f.start_line)
    lst = DataList(id=list_id, title=title, column_ref=ref, file=f.str("file", required=True), sheet=f.str("sheet"),
                   category=category, published=published or build_date, period_start=start, period_end=end,
                   document=f.str("document"), description=f.str("description"), record_date=record_date,
                   record_months=months if record_date else None, fields=fields, line=f.start_line, column=column)
    header_row = f.int("header_row", default=1, minimum=1)
    if lst.file and fields:
        _read(root, f, lst, header_row, problems, memo)
    lst.ended = bool(end and build_date > end) or bool(published and published > build_date)
    lst.live_rows = [r for r in lst.rows if r.until is None or r.until >= build_date]
    return lst


def _fields(f: Fields) -> list[ListField]:
    out: list[ListField] = []
    items = f.records("fields", FIELD_FIELDS, "字段", "每项写 name（表头）、type、mask、show、search、filter")
    if not f.has("fields"):
        f.err("fields", "名单缺少必填字段「fields」：请逐一声明要读取的表头、类型和遮蔽方式", f.start_line)
    names: set[str] = set()
    for x in items:
        name = x.str("name", required=True)
        implied = type_of_heading(name)
        ftype = x.choice("type", list(FIELD_TYPES), default=implied) or implied
        default_mask = FIELD_TYPES[ftype][1]
        mask = x.choice("mask", list(MASKS), default=default_mask) or default_mask
        if ftype in MUST_MASK and mask == "none":
            x.err("mask", f"{FIELD_TYPES[ftype][0]}不得原样公开：请删除 mask: none（默认遮蔽），或写 hide（不显示）")
            mask = default_mask
        search = x.bool("search", default=ftype in ("text", "org"))
        flt = x.bool("filter", default=False)
        if flt and ftype not in FILTER_TYPES:
            x.err("filter", f"{FIELD_TYPES[ftype][0]}字段不能用作筛选条件（可筛选的类型：{'、'.join(FILTER_TYPES)}）")
            flt = False
        if name in names:
            x.err("name", f"字段「{name}」重复声明")
            continue
        names.add(name)
        out.append(ListField(name, ftype, mask, x.bool("show", default=True), search, flt, x.start_line))
    return out


# --- reading the spreadsheet -----------------------------------------------------------------------


def _read(root: Path, f: Fields, lst: DataList, header_row: int, problems: Problems, memo: Memo | None = None) -> None:
    sheet = sheets.read_sheet(root, f, lst.file, lst.sheet, problems, memo)
    if sheet is None:
        return
    lst.sheet = sheet.name
    src, where = sheet.src, sheet.where
    header = sheets.header(sheet, header_row, problems)
    if header is None:
        return
    position = sheets.positions(header)
    for fld in lst.fields:
        if fld.name not in position:
            found = "、".join(h for h in header if h) or "（空）"
            f.err("fields", f"字段「{fld.name}」在 {src} 的{where}第 {header_row} 行表头中没有找到；表头是：{found}",
                  fld.line)
    extra = [h for h in header if h and h not in {x.name for x in lst.fields}]
    if extra:
        f.warn("fields", f"{src} 的{where}中这些列没有在 fields 中声明，不会发布：{'、'.join(extra)}")
    if any(fld.name not in position for fld in lst.fields):
        return
    date_field = lst.record_date
    for n, raw in enumerate(sheet.rows[header_row:], start=header_row + 1):
        if all(cell_text(v).strip() == "" for v in raw):
            continue
        if len(lst.rows) >= MAX_ROWS:
            problems.error(src, n, None, f"{where}超过 {MAX_ROWS} 行，请拆分为多个名单")
            return
        values: list[str] = []
        record: dt.date | None = None
        for fld in lst.fields:
            i = position[fld.name]
            cell = raw[i] if i < len(raw) else None
            text, err = _typed(fld.type, cell)
            if err:
                problems.error(src, n, sheet.cell_place(n, fld.name), err)
            if fld.name == date_field and text:
                record = dt.date.fromisoformat(text) if not err else None
            if fld.show:
                values.append(masking.apply(fld.mask, text))
        until = until_of(record, lst.record_months) if record and lst.record_months else None
        if date_field and record is None:
            problems.error(src, n, sheet.cell_place(n, date_field), "没有日期：这条记录的公示期限从这个日期起算")
        lst.rows.append(Row(n, values, record, until))


def _typed(ftype: str, cell: Any) -> tuple[str, str]:
    """The text of a cell for its field type, and what is wrong with it ("" when nothing)."""
    text = cell_text(cell)
    if not text:
        return "", ""
    if ftype == "date":
        day, err = sheets.cell_date(cell)
        return (day.isoformat(), "") if day else (text, err)
    if ftype in ("amount", "number"):
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            return text, ""
        try:
            Decimal(text.replace(",", "").replace("，", "").removesuffix("元"))
        except InvalidOperation:
            return text, f"「{text}」不是数字"
        return text.replace("，", ","), ""
    if ftype == "uscc":
        code = text.replace(" ", "").upper()
        if len(code) != 18 or credit_check_char(code[:17]) != code[17]:
            return text, f"统一社会信用代码「{text}」无效（18 位，最后一位校验码不符）"
        return code, ""
    return text, ""
