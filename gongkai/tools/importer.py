"""Import a bureau's existing column table (.csv or .xlsx) into catalog/columns.yml.

The table has a header row with 一级栏目 / 二级栏目 / 三级栏目 / 更新频率 / 负责科室 (序号 and a title row above
are allowed), written as bureaus write them: 二级栏目名称, 一级目录, 一级事项, 事项类别/事项名称, 更新时限,
责任科室（单位）… An empty cell means "same as above", as merged cells do in a spreadsheet: a row's deepest
filled 栏目 cell names its column, the empty cells to its left repeat the row above. Rows that cannot be placed
are reported with their row numbers; every other row becomes a column, in the table's order.

A 标准目录 of 公开事项 (公开内容（要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体 with ■/□ boxes, √ columns
for 公开对象 and 公开方式, often under a second header row) gives each column its 公开事项. Columns that are
not part of the catalogue (备注, 序号, 咨询电话 …) are never published: their text is kept as a YAML comment
beside the column, and the output names them.

gongkai's own download of the 标准目录 (build/catalogue_export.py) reads back as the catalogue it was made from: one
row per 公开事项 with its name under 公开事项 (a column's rows become one column with several 公开事项), 对应标准事项
back to `implements` (by item id, or by the download's wording when the id is gone), the column's id from the last
part of its 网址. Without an 更新频率 column (most published 标准目录), a 公开时限 stays the 公开事项's: only a
periodic one also gives the column's 更新频率, and the columns left without one are listed for the clerk.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from gongkai.errors import Problem
from gongkai.frequency import VOCABULARY, parse_schedule
from gongkai.load import slugs
from gongkai.load.columns import RESERVED_SLUGS
from gongkai.model import ColumnKind
from gongkai.vocab import CHANNEL_SYNONYMS, CHANNELS, FREQUENCIES

LEVEL_NAMES = ("一级栏目", "二级栏目", "三级栏目")
# header text (without spaces, brackets and a trailing 名称) -> field
HEADERS: dict[str, str] = {
    "序号": "seq", "编号": "seq",
    "一级栏目": "l1", "一级": "l1", "一级目录": "l1", "一级事项": "l1", "一级公开事项": "l1", "事项类别": "l1",
    "栏目": "l1", "栏目分类": "l1", "栏目类别": "l1", "一级分类": "l1", "二级分类": "l2", "三级分类": "l3",
    "二级栏目": "l2", "二级": "l2", "二级目录": "l2", "二级事项": "l2", "二级公开事项": "l2", "事项名称": "l2",
    "事项": "l2", "子栏目": "l2", "下级栏目": "l2", "子目录": "l2",
    "三级栏目": "l3", "三级": "l3", "三级目录": "l3", "三级事项": "l3", "三级公开事项": "l3",
    "更新频率": "frequency", "更新周期": "frequency", "更新时限": "frequency", "更新要求": "frequency",
    "更新频次": "frequency",
    "负责科室": "office", "责任科室": "office", "负责处室": "office", "责任处室": "office", "责任部门": "office",
    "负责部门": "office", "责任单位": "office", "负责单位": "office", "责任股室": "office", "负责股室": "office",
    "承办科室": "office", "牵头科室": "office", "主管科室": "office", "主办科室": "office", "维护科室": "office",
    "承办股室": "office", "牵头股室": "office", "承办处室": "office", "牵头处室": "office",
    "栏目说明": "description", "说明": "description",
    # 公开事项
    "公开内容": "content", "公开内容要素": "content", "内容要求": "content", "公开要素": "content",
    "公开依据": "basis", "依据": "basis",
    "公开时限": "deadline", "时限": "deadline", "公开时间": "deadline",
    "公开主体": "subject", "主体": "subject",
    "公开渠道和载体": "channels", "公开渠道": "channels", "公开载体": "channels", "渠道和载体": "channels",
    "公开对象": "audience", "公开方式": "mode", "公开层级": "level",
    # gongkai's own download of the 标准目录 (build/catalogue_export.py): one row per 公开事项, its name in 公开事项
    # (a table without a 二级 column means its 二级 by it: see find_header), the standard items it carries out,
    # and the column's address, whose last part is the column's id
    "公开事项": "item", "对应标准事项": "implements", "对应标准": "implements",
    "网址": "url", "栏目网址": "url", "栏目地址": "url", "栏目链接": "url",
}
# cells of a second header row that are √ columns, each one value of a field
TICKS: dict[str, tuple[str, str]] = {
    "全社会": ("audience", "全社会"), "特定群体": ("audience", "特定群体"), "特定群众": ("audience", "特定群体"),
    "主动": ("mode", "主动"), "主动公开": ("mode", "主动"), "依申请": ("mode", "依申请"), "依申请公开": ("mode", "依申请"),
    "省级": ("level", "省级"), "市级": ("level", "市级"), "县级": ("level", "县级"), "乡级": ("level", "乡级"),
    "镇级": ("level", "乡级"), "乡镇级": ("level", "乡级"), "村级": ("level", "村级"),
    "乡、村级": ("level", "乡、村级"), "乡村级": ("level", "乡、村级"), "县级以上": ("level", "县级以上"),
}
ITEM_KEYS = ("content", "basis", "deadline", "subject", "channels", "audience", "mode", "level")
FIELD_LABELS = {"l1": "一级栏目", "l2": "二级栏目", "l3": "三级栏目", "frequency": "更新频率", "office": "负责科室",
                "description": "栏目说明", "content": "公开内容（要素）", "basis": "公开依据", "deadline": "公开时限",
                "subject": "公开主体", "channels": "公开渠道和载体", "audience": "公开对象", "mode": "公开方式",
                "level": "公开层级", "item": "公开事项", "implements": "对应标准事项", "url": "网址"}
_TICKED = {"√", "✓", "✔", "■", "☑", "是", "●", "v", "V"}


def header_key(text: str) -> str:
    """A header cell as looked up: no spaces, no bracketed note （单位）/(要素), no trailing 名称."""
    key = re.sub(r"\s+", "", text)
    bare = re.sub(r"[（(][^）)]*[）)]", "", key)
    for k in (key, bare, bare.removesuffix("名称"), key.removesuffix("名称")):
        if k in HEADERS or k in TICKS:
            return k
    return bare


@dataclass
class Item:
    """A 公开事项 read from a row (fields of model.PublicItem)."""

    name: str
    content: str = ""
    basis: str = ""
    deadline: str = ""
    subject: str = ""
    channels: list[str] = field(default_factory=list)
    audience: str = ""
    mode: str = ""
    level: list[str] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)  # national standard item ids (gongkai/standards)


@dataclass
class Row:
    number: int  # row number in the table (spreadsheet row, or CSV record line)
    cells: dict[str, str]
    ticks: dict[str, list[str]] = field(default_factory=dict)  # field -> values whose √ column is ticked
    extra: list[tuple[str, str]] = field(default_factory=list)  # (header, text) of columns not imported


@dataclass
class Node:
    name: str
    row: int | None = None  # the row that named this column itself (None: only a parent of other rows)
    frequency: str = ""
    office: str = ""
    description: str = ""
    children: list[Node] = field(default_factory=list)
    id: str = ""  # explicit id, only when the pinyin initials collide or are unusable
    kind: ColumnKind | None = None  # set by the caller (gongkai new: guide, reports); default section or documents
    page: str = ""  # a page column's file under content/ (gongkai new: the 依申请公开 page)
    link: str = ""  # a link column's address (`url`), kept from the catalogue an import replaces
    inspect_as: str = ""  # 检查归类, likewise
    art20: list[int] = field(default_factory=list)  # 第二十条 items, likewise
    items: list[Item] = field(default_factory=list)  # 公开事项
    notes: list[str] = field(default_factory=list)  # text of columns not imported (备注 …): YAML comments only
    implements: list[str] = field(default_factory=list)  # national standard item ids the column itself carries out


@dataclass
class ImportResult:
    roots: list[Node]
    problems: list[Problem]
    rows: int
    ignored_headers: list[str]
    notes: list[str] = field(default_factory=list)  # what the output says besides problems (channels read as 其他)
    standards: list[str] = field(default_factory=list)  # 领域 whose standard items 对应标准事项 names, in table order
    without_frequency: list[tuple[int, str]] = field(default_factory=list)  # (row, column trail): 更新频率 to fill
    derived_frequency: list[tuple[int, str, str]] = field(default_factory=list)  # (row, trail, 更新频率 from 公开时限)
    has_office: bool = True  # the table has a 负责科室 column
    sheet: str = ""  # the worksheet read when it was not the first (the first had no header)

    @property
    def errors(self) -> list[Problem]:
        """Rows that could not be placed (warnings, such as an unreadable 更新频率 kept verbatim, are not)."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def columns(self) -> int:
        def count(nodes: list[Node]) -> int:
            return sum(1 + count(n.children) for n in nodes)

        return count(self.roots)


class TableError(Exception):
    """The table cannot be read at all (format, encoding, no header)."""


# --- reading the table into rows of text ------------------------------------------------------------


def clean(value: object) -> str:
    """Cell text: line breaks inside a cell are a wrapped line, joined without a space between Chinese."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\u3000", " ").strip()

    def join(m: re.Match) -> str:
        a, b = m.string[m.start() - 1] if m.start() else "", m.string[m.end()] if m.end() < len(m.string) else ""
        return " " if (a.isascii() and a.isalnum() and b.isascii() and b.isalnum()) else ""

    text = re.sub(r"\s*\n\s*", join, text)
    return re.sub(r"[ \t]+", " ", text)


def read_csv(path: Path) -> list[tuple[int, list[str]]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise TableError("无法识别文件编码：请另存为 UTF-8 编码的 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = 1
    for record in reader:
        out.append((start, [clean(c) for c in record]))
        start = reader.line_num + 1
    return out


# Spreadsheet formats gongkai cannot read, as a clerk knows them, and the program that saves them as .xlsx.
# WPS 表格's own .et/.ett are the usual ones in a Chinese office; like .xls they are binary (OLE2) files, for
# which no well-kept Python reader exists (openpyxl reads .xlsx only).
SAVE_AS_XLSX = {
    ".xls": ("Excel 97-2003 工作簿（.xls）", "Excel 或 WPS"),
    ".xlt": ("Excel 97-2003 模板（.xlt）", "Excel 或 WPS"),
    ".et": ("WPS 表格文件（.et）", "WPS"),
    ".ett": ("WPS 表格模板（.ett）", "WPS"),
    ".ods": ("OpenDocument 表格（.ods）", "WPS 或 LibreOffice"),
    ".numbers": ("Numbers 表格（.numbers）", "Numbers"),
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the binary .xls/.et container, whatever the file is called


def save_as_xlsx(path: Path, kind: str, program: str) -> str:
    """What to do with a spreadsheet gongkai cannot read: open it in `program` and save it as .xlsx (named)."""
    return (f"「{path.name}」是{kind}，不能直接导入：请在 {program} 中打开它，选择「文件 → 另存为」，文件类型选"
            f"「Excel 工作簿（*.xlsx）」，保存为「{path.stem}.xlsx」后导入该文件（也可以另存为 .csv）")


def read_xlsx(path: Path, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or non-xlsx file
        with open(path, "rb") as fh:
            if fh.read(len(OLE2_MAGIC)) == OLE2_MAGIC:  # an .xls or WPS .et renamed to .xlsx
                raise TableError(save_as_xlsx(path, "旧版 Excel（.xls）或 WPS 表格（.et）文件，只是扩展名改成了 .xlsx",
                                              "WPS 或 Excel")) from None
        raise TableError(f"无法读取 Excel 文件（{type(exc).__name__}）：请确认是 .xlsx 格式") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise TableError(f"没有名为「{sheet}」的工作表，可选：{'、'.join(wb.sheetnames)}")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    grid = [[cell.value for cell in row] for row in ws.iter_rows()]
    # a merged range: every cell in it carries the top-left cell's value
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return [(i + 1, [clean(v) for v in row]) for i, row in enumerate(grid)]


def sheet_names(path: Path) -> list[str]:
    """The worksheets of an .xlsx file (none for a CSV)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # read_table has already said what is wrong with it
        return []
    names = list(wb.sheetnames)
    wb.close()
    return names


def read_table(path: Path, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix in SAVE_AS_XLSX:
        raise TableError(save_as_xlsx(path, *SAVE_AS_XLSX[suffix]))
    raise TableError(f"不支持的文件类型「{suffix or '无扩展名'}」：请使用 .csv 或 .xlsx")


@dataclass
class Header:
    row: int  # index of the (lower) header row in the table
    fields: dict[int, str]  # column index -> field
    ticks: dict[int, tuple[str, str]]  # column index -> (field, value) of a √ column
    ignored: dict[int, str]  # column index -> header text of a column not imported


LEVELS = ("l1", "l2", "l3")


def _next_level(fields: dict[int, str], fld: str) -> str | None:
    """The first level below `fld` that no column has taken yet, when every level below is free."""
    taken = set(fields.values())
    below = LEVELS[LEVELS.index(fld) + 1:]
    return below[0] if below and not taken.intersection(below) else None


def find_header(table: list[tuple[int, list[str]]]) -> Header:
    """The header row: the first of the first 20 rows naming a first level (一级栏目, 一级事项, 事项类别 …). A cell
    it leaves empty takes the row above's text (a two-row header whose upper cells are merged downwards), and
    √ columns (全社会, 主动 …) are read under the upper cell they belong to."""
    for i, (_, cells) in enumerate(table[:20]):
        keys = [header_key(c) for c in cells]
        if not any(HEADERS.get(k) == "l1" for k in keys):
            continue
        above = table[i - 1][1] if i else []
        fields: dict[int, str] = {}
        ticks: dict[int, tuple[str, str]] = {}
        ignored: dict[int, str] = {}
        for j, k in enumerate(keys):
            text = cells[j]
            if not k and j < len(above) and above[j]:
                text, k = above[j], header_key(above[j])
            fld = HEADERS.get(k)
            if k in TICKS:
                ticks[j] = TICKS[k]
            elif fld and fld != "seq" and fld not in fields.values():
                fields[j] = fld
            elif fld in LEVELS and (deeper := _next_level(fields, fld)):
                # 栏目分类 | 栏目名称: both read as a first level; the later one is the level below, not dropped
                fields[j] = deeper
            elif k and fld != "seq":
                ignored[j] = text
        if "item" in fields.values() and "l2" not in fields.values():
            # 一级事项 | 公开事项 | 公开内容 …: the 公开事项 column is the second level, one column per row
            fields = {j: "l2" if f == "item" else f for j, f in fields.items()}
        return Header(i, fields, ticks, ignored)
    raise TableError("找不到表头：表格前 20 行中应有一行包含「一级栏目」（或一级事项、事项类别等），"
                     "以及「二级栏目」「三级栏目」「更新频率」「负责科室」")


# --- building the tree -------------------------------------------------------------------------------


def split_channels(text: str) -> tuple[list[str], list[str]]:
    """(fixed channels, texts that are none of them) of a 公开渠道和载体 cell: 「■政府网站 □两微一端 …」 (only the
    ticked boxes) or a plain list 「政府网站，公开查阅点」."""
    boxed = re.findall(r"([■□☑☐口])\s*([^■□☑☐口]+)", text)
    if boxed:
        names = [n.strip(" ，,、；;") for box, n in boxed if box in "■☑"]
    else:
        names = [n for n in re.split(r"[、，,；;\s]+", text) if n]
    out: list[str] = []
    unknown: list[str] = []
    for name in names:
        name = name.strip()
        channel = CHANNEL_SYNONYMS.get(name, name)
        if channel not in CHANNELS:
            unknown.append(name)
            channel = "其他"
        if channel not in out:
            out.append(channel)
    return out, unknown


def unread_cells(row: Row, item: Item) -> list[str]:
    """公开对象 / 公开方式 cells the item could not take (the 莒南县 table's 公开方式 says 「全文发布」, not 主动 or
    依申请): kept as comments over the column, as the table's other columns are, not dropped without a word."""
    return [f"{FIELD_LABELS[fld]}（原文）：{row.cells[fld]}" for fld in ("audience", "mode")
            if row.cells.get(fld, "").strip() and not getattr(item, fld)]


def row_item(row: Row, name: str, unknown_channels: dict[str, list[int]]) -> Item:
    channels, unknown = split_channels(row.cells.get("channels", ""))
    for u in unknown:
        unknown_channels.setdefault(u, []).append(row.number)
    audience = row.cells.get("audience", "") or "、".join(row.ticks.get("audience", []))
    mode = row.cells.get("mode", "") or "、".join(row.ticks.get("mode", []))
    audience = {"特定群众": "特定群体"}.get(audience, audience)
    mode = {"主动公开": "主动", "依申请公开": "依申请"}.get(mode, mode)
    level = [v for v in re.split(r"[、，,；;\s]+", row.cells.get("level", "")) if v] or row.ticks.get("level", [])
    return Item(name, row.cells.get("content", ""), row.cells.get("basis", ""), row.cells.get("deadline", ""),
                row.cells.get("subject", ""), channels, audience if audience in ("全社会", "特定群体") else "",
                mode if mode in ("主动", "依申请") else "", level)


@dataclass
class TreeFacts:
    """What build_tree finds besides the tree and the problems, for the output to say (see ImportResult)."""

    standards: list[str] = field(default_factory=list)
    without_frequency: list[tuple[int, str]] = field(default_factory=list)
    derived_frequency: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class StandardRefs:
    """The national standard items gongkai ships (gongkai/standards), as a 对应标准事项 cell names them: by id
    (shjz-03) or by the wording of the catalogue download (「社会救助：最低生活保障 / 政策法规文件」)."""

    domains: dict[str, str]  # item id -> 领域
    by_label: dict[str, str]  # wording, without spaces -> item id
    labels: dict[str, str]  # item id -> the download's wording


def _label_key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace(":", "：").replace("／", "/")


def standard_refs() -> StandardRefs:
    from gongkai.errors import Problems
    from gongkai.standards import available, item_labels, load_standard

    problems = Problems()
    standards = [s for d in available() if (s := load_standard(d, problems)) is not None]
    domains = {i.id: s.domain for s in standards for i in s.items}
    by_label: dict[str, str] = {}
    short: dict[str, list[str]] = {}
    labels = item_labels(standards)
    for ident, label in labels.items():
        by_label[_label_key(label)] = ident
        short.setdefault(_label_key(label.partition("：")[2]), []).append(ident)
    for key, ids in short.items():  # 「最低生活保障 / 政策法规文件」 without the 领域: when only one standard has it
        if len(ids) == 1:
            by_label.setdefault(key, ids[0])
    return StandardRefs(domains, by_label, labels)


def parse_refs(text: str, refs: StandardRefs) -> tuple[list[str], list[str], list[str]]:
    """(standard item ids, parts naming none, parts whose wording is another item's than their id's) of a 对应标准事项
    cell: 「shjz-05 社会救助：最低生活保障 / 审核信息；shjz-06 …」. The id decides; a wording alone is looked up."""
    ids: list[str] = []
    unknown: list[str] = []
    mismatched: list[str] = []
    for part in re.split(r"[；;\n]+", text):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([a-z]+-\d+)(?:\s+|$)(.*)$", part)
        ident = m[1] if m and m[1] in refs.domains else refs.by_label.get(_label_key(m[2] if m else part), "")
        if m and ident == m[1] and m[2] and refs.by_label.get(_label_key(m[2])) != ident:
            mismatched.append(part)
        if not ident:
            unknown.append(part)
        elif ident not in ids:
            ids.append(ident)
    return ids, unknown, mismatched


def url_id(url: str) -> str:
    """The column id a column's address ends in (…/fdzdgknr/jgzn/index.html → jgzn), or "" when it ends otherwise."""
    from urllib.parse import urlsplit

    path = re.sub(r"/index\.html?$", "/", urlsplit(url.strip()).path)
    if not path.endswith("/"):
        return ""
    last = path.rstrip("/").rpartition("/")[2]
    return last if slugs.is_valid_slug(last) else ""


def frequency_from_deadline(deadline: str) -> str:
    """The 更新频率 a 公开时限 gives when it is a period, else "": the vocabulary's word for its cycle
    (每季度结束后15个工作日内, 每年1月31日前 → 每季度更新, 每年更新), the text itself when it says only how often
    (每20个工作日更新); an event-driven limit (「制定或获取信息之日起10个工作日内」) gives none."""
    schedule = parse_schedule(deadline)
    if schedule.period is None:
        return ""
    word = schedule.label
    if word in VOCABULARY and VOCABULARY[word] == (schedule.period, False):
        return word
    if not schedule.event and not schedule.anchor:
        return schedule.text
    return f"最长{schedule.period.label}更新一次"


def build_tree(rows: list[Row], file: str, notes: list[str] | None = None,
               facts: TreeFacts | None = None) -> tuple[list[Node], list[Problem]]:
    """The column tree of the rows; `notes` collects what the output should say (channels read as 其他 …),
    `facts` what the caller may tell the clerk about (columns needing an 更新频率, 领域 referred to)."""
    notes = notes if notes is not None else []
    facts = facts if facts is not None else TreeFacts()
    first = rows[0].cells if rows else {}
    has_frequency = "frequency" in first
    # a table with a 公开事项 column names each row's 公开事项 there, and a column may have several rows (one per
    # 公开事项, as gongkai's download writes them); without it every row of a 公开事项 table is one column's only item
    has_item_column = "item" in first
    has_items = has_item_column or any(k in first or r.ticks for r in rows[:1] for k in ITEM_KEYS)
    refs = standard_refs() if "implements" in first else None
    unknown_channels: dict[str, list[int]] = {}
    problems: list[Problem] = []
    roots: list[Node] = []
    by_path: dict[tuple[str, ...], Node] = {}
    prev: tuple[str, ...] = ()
    inherited = {"frequency": "", "office": ""}

    def error(row: Row, fld: str | None, message: str) -> None:
        problems.append(Problem(file, row.number, fld, f"第 {row.number} 行：{message}"))

    def carries_item(row: Row) -> bool:
        if not has_item_column:
            return has_items
        return bool(row.cells.get("item") or row.ticks or any(row.cells.get(k) for k in ITEM_KEYS))

    def standard_items(row: Row, node: Node) -> list[str]:
        if refs is None or not row.cells.get("implements"):
            return []
        ids, unknown, mismatched = parse_refs(row.cells["implements"], refs)
        for part in mismatched:
            ident = part.split()[0]
            problems.append(Problem(file, row.number, "对应标准事项",
                                    f"第 {row.number} 行：对应标准事项「{part}」的标识 {ident} 是「{refs.labels[ident]}」，"
                                    f"与所写名称不符；已按标识导入，请核对", "warning"))
        for part in unknown:
            problems.append(Problem(file, row.number, "对应标准事项",
                                    f"第 {row.number} 行：对应标准事项「{part}」不是 gongkai 随附的基层政务公开标准目录中的事项"
                                    f"（可写事项标识，如 shjz-03），未导入，原文写在该栏目上方的注释中", "warning"))
            node.notes.append(f"对应标准事项（原文）：{part}")
        for ident in ids:
            if refs.domains[ident] not in facts.standards:
                facts.standards.append(refs.domains[ident])
        return ids

    for row in rows:
        names = [row.cells.get(k, "") for k in ("l1", "l2", "l3")]
        if not any(row.cells.values()):
            continue  # a blank line
        filled = [i for i, n in enumerate(names) if n]
        if not filled and has_item_column and prev and carries_item(row):
            filled, names = [len(prev) - 1], list(prev) + [""] * (3 - len(prev))  # merged 栏目 cells: the same column
        if not filled:
            error(row, None, "没有栏目名称（一级/二级/三级栏目都为空），无法放入目录：" + "，".join(
                f"{FIELD_LABELS.get(k, k)}「{v}」" for k, v in row.cells.items() if v and k != "seq"))
            continue
        deepest = filled[-1]
        path: list[str] = []
        placed = True
        for k in range(deepest + 1):
            if names[k]:
                path.append(names[k])
            elif k < len(prev) and tuple(path) == prev[:k]:
                path.append(prev[k])  # empty cell: same as the row above
            else:
                what = "、".join(LEVEL_NAMES[j] for j in range(k + 1) if not names[j])
                error(row, FIELD_LABELS[f"l{k + 1}"], f"{LEVEL_NAMES[deepest]}「{names[deepest]}」的{what}为空，上一行也没有可沿用的上级栏目，无法放入目录")
                placed = False
                break
        if not placed:
            continue
        key = tuple(path)
        node = by_path.get(key)
        if node is not None and node.row is not None:
            if has_item_column and node.items and carries_item(row):
                # one more 公开事项 of the column: the column's own cells were read from its first row
                for fld, have in (("frequency", node.frequency), ("office", node.office)):
                    if row.cells.get(fld) and parse_schedule(row.cells[fld]).text != have and row.cells[fld] != have:
                        problems.append(Problem(file, row.number, FIELD_LABELS[fld],
                                                f"第 {row.number} 行：栏目「{' / '.join(path)}」的{FIELD_LABELS[fld]}写作"
                                                f"「{row.cells[fld]}」，与第 {node.row} 行的「{have}」不同；一个栏目只有一个"
                                                f"{FIELD_LABELS[fld]}，已按第 {node.row} 行导入，请核对", "warning"))
                item = row_item(row, row.cells.get("item") or path[-1], unknown_channels)
                item.implements = standard_items(row, node)
                node.items.append(item)
                node.notes += unread_cells(row, item)
                prev = key
                continue
            error(row, LEVEL_NAMES[deepest], f"栏目「{' / '.join(path)}」与第 {node.row} 行重复，未导入")
            continue
        # create missing ancestors and the column itself, in table order
        for depth in range(1, len(key) + 1):
            sub = key[:depth]
            if sub not in by_path:
                n = Node(sub[-1])
                by_path[sub] = n
                (by_path[sub[:-1]].children if depth > 1 else roots).append(n)
        node = by_path[key]
        node.row = row.number
        # an empty cell is 同上 in a hand-kept table; a row of gongkai's own download (it carries the column's 网址)
        # states each column's own values, and a section row's empty 更新频率 is empty, not the row above's
        ditto = {} if row.cells.get("url") else inherited
        freq_text = row.cells.get("frequency", "") or ditto.get("frequency", "")
        office = row.cells.get("office", "") or ditto.get("office", "")
        pending_note = ""
        if not has_frequency:
            # a 公开事项 table has a 公开时限 (how soon each piece of information is published), not an 更新频率
            # (how often the column must change): only a periodic 公开时限 says how often
            freq_text = frequency_from_deadline(row.cells.get("deadline", ""))
            if freq_text:
                facts.derived_frequency.append((row.number, " / ".join(path), freq_text))
            else:
                facts.without_frequency.append((row.number, " / ".join(path)))
                when = f"公开时限「{row.cells['deadline']}」不是固定周期" if row.cells.get("deadline") else "没有公开时限"
                pending_note = f"更新频率待填写（frequency）：栏目表没有更新频率列，{when}"
        if freq_text:
            schedule = parse_schedule(freq_text)
            if not schedule.known:
                problems.append(Problem(file, row.number, "更新频率",
                                        f"第 {row.number} 行：更新频率「{freq_text}」无法识别出更新周期或时限，已按原文保留，"
                                        f"检查时不判断是否超期；可写 {'、'.join(FREQUENCIES)}，或写明期限，如「最迟6个月内必须有更新」",
                                        "warning"))
            node.frequency = schedule.text
        node.office = office
        node.description = row.cells.get("description", "")
        node.notes = [f"{header}：{text}" for header, text in row.extra if text] + ([pending_note] if pending_note else [])
        if row.cells.get("url"):
            node.id = url_id(row.cells["url"])
            if not node.id:
                node.notes.append(f"网址：{row.cells['url']}")
        if carries_item(row):
            before = sum(len(v) for v in unknown_channels.values())
            item = row_item(row, row.cells.get("item") or path[-1], unknown_channels)
            item.implements = standard_items(row, node)
            node.items.append(item)
            node.notes += unread_cells(row, item)
            if sum(len(v) for v in unknown_channels.values()) > before:
                node.notes.append(f"公开渠道和载体（原文）：{row.cells.get('channels', '')}")
        else:
            node.implements = standard_items(row, node)
        inherited = {"frequency": freq_text if has_frequency else "", "office": office}
        prev = key
    for name, numbers in unknown_channels.items():
        notes.append(f"公开渠道「{name}」（第 {'、'.join(map(str, numbers))} 行）不是规定的 13 种公开渠道和载体之一，"
                     "已记为「其他」，原文写在该栏目上方的注释中")
    assign_ids(roots)
    return roots, problems


def assign_ids(roots: list[Node]) -> None:
    """Give an explicit id only where the pinyin initials would collide or cannot serve as an address."""
    explicit: set[str] = set()

    def walk(nodes: list[Node], top: bool) -> None:
        seen: set[str] = set()
        for n in nodes:
            if n.id and n.id not in seen and n.id not in explicit:  # read from the table (网址) or given before
                explicit.add(n.id)
                seen.add(n.id)
                walk(n.children, False)
                continue
            slug = slugs.initials(n.name)
            base = slug or "lm"
            if not slug or len(slug) > 64 or (top and slug in RESERVED_SLUGS) or slug in seen:
                base = base[:56]
                i = 2
                candidate = f"{base}-{i}"
                while candidate in seen or candidate in explicit:
                    i += 1
                    candidate = f"{base}-{i}"
                n.id = candidate
                explicit.add(candidate)
                slug = candidate
            seen.add(slug)
            walk(n.children, False)

    walk(roots, True)


H = TypeVar("H")


def read_with_header(path: Path, sheet: str | None, find: Callable[[list[tuple[int, list[str]]]], H]
                     ) -> tuple[list[tuple[int, list[str]]], H, str]:
    """(rows, header found by `find`, the worksheet read when not the first). A workbook that opens on a 填表说明
    or 导出说明 sheet has its table on another one: without a sheet named, the first sheet with a header is read."""
    table = read_table(path, sheet)
    if not table and sheet is not None:
        raise TableError("表格是空的")
    try:
        return table, find(table), ""
    except TableError as exc:
        names = sheet_names(path) if sheet is None else []
        for name in names[1:]:
            other = read_table(path, name)
            try:
                return other, find(other), name
            except TableError:
                continue
        if not table:
            raise TableError("表格是空的") from None
        if len(names) > 1:
            raise TableError(f"{exc}（查看了全部 {len(names)} 个工作表：{'、'.join(names)}）") from None
        raise


def other_sheet_note(path: Path, chosen: str, what: str) -> str:
    return (f"第一个工作表「{sheet_names(path)[0]}」中没有{what}的表头，已读取工作表「{chosen}」"
            "（要读取别的工作表请加 --sheet 工作表名称）")


def import_table(path: Path, sheet: str | None = None) -> ImportResult:
    table, h, chosen = read_with_header(path, sheet, find_header)
    rows: list[Row] = []
    for number, cells in table[h.row + 1:]:
        padded = cells + [""] * (max([*h.fields, *h.ticks, *h.ignored, 0]) + 1 - len(cells))
        row = Row(number, {fld: padded[j] for j, fld in h.fields.items()})
        for j, (fld, value) in h.ticks.items():
            if padded[j].strip() in _TICKED:
                row.ticks.setdefault(fld, []).append(value)
        row.extra = [(h.ignored[j], padded[j]) for j in sorted(h.ignored)]
        rows.append(row)
    notes: list[str] = []
    facts = TreeFacts()
    roots, problems = build_tree(rows, path.name, notes, facts)
    ignored = [h.ignored[j] for j in sorted(h.ignored)]
    if chosen:
        notes.insert(0, other_sheet_note(path, chosen, "栏目表"))
    return ImportResult(roots, problems, sum(1 for r in rows if any(r.cells.values())), ignored, notes,
                        facts.standards, facts.without_frequency, facts.derived_frequency,
                        has_office="office" in h.fields.values(), sheet=chosen)


# --- writing columns.yml ---------------------------------------------------------------------------

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def scalar(text: str) -> str:
    """A YAML scalar: plain when it is safe, else a JSON string (valid YAML)."""
    if (_PLAIN.match(text) and ": " not in text and not text.endswith((":", " ")) and text.lower() not in _YAML_WORDS
            and not re.match(r"^[\d.+-]", text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def to_yaml(result: ImportResult, source_name: str, notes: list[str] | None = None) -> str:
    """columns.yml text; `notes` are comment lines added to the header."""
    out = [
        f"# 政府信息公开标准目录：由 gongkai import 从「{source_name}」导入（{result.rows} 行，{result.columns} 个栏目）。\n",
        "# 请逐一核对 kind（栏目类型）：有下级栏目的为 section，其余暂定为 documents（文件列表），\n",
        "# 公开指南、单页、年报等请改为 guide、page、reports；需要长期保持地址的栏目请设置 id。\n",
        *(notes or []),
        "columns:\n",
    ]

    def emit(n: Node, indent: int) -> None:
        pad = " " * indent
        for note in n.notes:  # 备注 and other columns not imported: for staff, never published
            out.append(f"{pad}# {' '.join(note.split())}\n")
        out.append(f"{pad}- name: {scalar(n.name)}\n")
        pad += "  "
        if n.id:
            out.append(f"{pad}id: {n.id}\n")
        kind = n.kind or (ColumnKind.SECTION if n.children else ColumnKind.DOCUMENTS)
        out.append(f"{pad}kind: {kind.value}\n")
        if n.page:
            out.append(f"{pad}page: {scalar(n.page)}\n")
        if n.link:
            out.append(f"{pad}url: {scalar(n.link)}\n")
        if n.frequency:
            out.append(f"{pad}frequency: {scalar(n.frequency)}\n")
        if n.office:
            out.append(f"{pad}office: {scalar(n.office)}\n")
        if n.description:
            out.append(f"{pad}description: {scalar(n.description)}\n")
        if n.inspect_as:
            out.append(f"{pad}inspect_as: {scalar(n.inspect_as)}\n")
        if n.art20:
            out.append(f"{pad}art20: [{', '.join(map(str, n.art20))}]\n")
        if n.implements:
            out.append(f"{pad}implements: [{', '.join(n.implements)}]\n")
        if n.items:
            out.append(f"{pad}items:\n")
            for item in n.items:
                out.append(f"{pad}  - name: {scalar(item.name)}\n")
                if item.implements:
                    out.append(f"{pad}    implements: [{', '.join(item.implements)}]\n")
                for key in ("content", "basis", "deadline", "subject"):
                    if getattr(item, key):
                        out.append(f"{pad}    {key}: {scalar(getattr(item, key))}\n")
                if item.channels:
                    out.append(f"{pad}    channels: [{', '.join(scalar(c) for c in item.channels)}]\n")
                for key in ("audience", "mode"):
                    if getattr(item, key):
                        out.append(f"{pad}    {key}: {scalar(getattr(item, key))}\n")
                if item.level:
                    out.append(f"{pad}    level: [{', '.join(scalar(v) for v in item.level)}]\n")
        if n.children:
            out.append(f"{pad}children:\n")
            for c in n.children:
                emit(c, indent + 4)

    for i, root in enumerate(result.roots):
        if i:
            out.append("\n")
        emit(root, 2)
    return "".join(out)
