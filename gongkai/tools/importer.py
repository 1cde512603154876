"""Import a bureau's existing column table (.csv or .xlsx) into catalog/columns.yml.

The table has a header row with 一级栏目 / 二级栏目 / 三级栏目 / 更新频率 / 负责科室 (序号 and a title row above
are allowed). An empty cell means "same as above", as merged cells do in a spreadsheet: a row's deepest filled
栏目 cell names its column, the empty cells to its left repeat the row above. Rows that cannot be placed are
reported with their row numbers; every other row becomes a column, in the table's order.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.errors import Problem
from gongkai.load import slugs
from gongkai.load.columns import RESERVED_SLUGS
from gongkai.model import ColumnKind
from gongkai.vocab import FREQUENCIES, normalize_frequency

LEVEL_NAMES = ("一级栏目", "二级栏目", "三级栏目")
# header text (without spaces) -> field
HEADERS: dict[str, str] = {
    "序号": "seq", "编号": "seq",
    "一级栏目": "l1", "一级": "l1", "一级目录": "l1", "一级事项": "l1", "一级公开事项": "l1",
    "二级栏目": "l2", "二级": "l2", "二级目录": "l2", "二级事项": "l2", "二级公开事项": "l2",
    "三级栏目": "l3", "三级": "l3", "三级目录": "l3", "三级事项": "l3", "三级公开事项": "l3",
    "更新频率": "frequency", "更新周期": "frequency",
    "负责科室": "office", "责任科室": "office", "负责处室": "office", "责任处室": "office", "责任部门": "office",
    "负责部门": "office", "责任单位": "office", "负责单位": "office",
    "栏目说明": "description", "说明": "description", "备注": "description", "公开内容": "description",
}
FIELD_LABELS = {"l1": "一级栏目", "l2": "二级栏目", "l3": "三级栏目", "frequency": "更新频率", "office": "负责科室",
                "description": "栏目说明"}


@dataclass
class Row:
    number: int  # row number in the table (spreadsheet row, or CSV record line)
    cells: dict[str, str]


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


@dataclass
class ImportResult:
    roots: list[Node]
    problems: list[Problem]
    rows: int
    ignored_headers: list[str]

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


def read_xlsx(path: Path, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or non-xlsx file
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


def read_table(path: Path, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix == ".xls":
        raise TableError("不支持旧版 .xls 文件：请在 Excel/WPS 中另存为 .xlsx 或 .csv")
    raise TableError(f"不支持的文件类型「{suffix or '无扩展名'}」：请使用 .csv 或 .xlsx")


def find_header(table: list[tuple[int, list[str]]]) -> tuple[int, dict[int, str], list[str]]:
    """(index of the header row, column index -> field, headers not imported)."""
    for i, (_, cells) in enumerate(table[:20]):
        keys = [re.sub(r"\s+", "", c) for c in cells]
        if any(HEADERS.get(k) == "l1" for k in keys):
            mapping: dict[int, str] = {}
            ignored: list[str] = []
            for j, k in enumerate(keys):
                fld = HEADERS.get(k)
                if fld and fld not in mapping.values():
                    mapping[j] = fld
                elif k:
                    ignored.append(cells[j])
            return i, mapping, ignored
    raise TableError("找不到表头：表格前 20 行中应有一行包含「一级栏目」，以及「二级栏目」「三级栏目」「更新频率」「负责科室」")


# --- building the tree -------------------------------------------------------------------------------


def build_tree(rows: list[Row], file: str) -> tuple[list[Node], list[Problem]]:
    problems: list[Problem] = []
    roots: list[Node] = []
    by_path: dict[tuple[str, ...], Node] = {}
    prev: tuple[str, ...] = ()
    inherited = {"frequency": "", "office": ""}

    def error(row: Row, fld: str | None, message: str) -> None:
        problems.append(Problem(file, row.number, fld, f"第 {row.number} 行：{message}"))

    for row in rows:
        names = [row.cells.get(k, "") for k in ("l1", "l2", "l3")]
        if not any(row.cells.values()):
            continue  # a blank line
        filled = [i for i, n in enumerate(names) if n]
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
        freq_text = row.cells.get("frequency", "") or inherited["frequency"]
        office = row.cells.get("office", "") or inherited["office"]
        if freq_text:
            freq = normalize_frequency(freq_text)
            if not freq:
                error(row, "更新频率", f"更新频率「{freq_text}」无法识别，已留空；可选：{'、'.join(FREQUENCIES)}")
            node.frequency = freq
        node.office = office
        node.description = row.cells.get("description", "")
        inherited = {"frequency": freq_text, "office": office}
        prev = key
    assign_ids(roots)
    return roots, problems


def assign_ids(roots: list[Node]) -> None:
    """Give an explicit id only where the pinyin initials would collide or cannot serve as an address."""
    explicit: set[str] = set()

    def walk(nodes: list[Node], top: bool) -> None:
        seen: set[str] = set()
        for n in nodes:
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


def import_table(path: Path, sheet: str | None = None) -> ImportResult:
    table = read_table(path, sheet)
    if not table:
        raise TableError("表格是空的")
    h, mapping, ignored = find_header(table)
    rows = [Row(number, {fld: cells[j] if j < len(cells) else "" for j, fld in mapping.items()})
            for number, cells in table[h + 1:]]
    roots, problems = build_tree(rows, path.name)
    return ImportResult(roots, problems, sum(1 for r in rows if any(r.cells.values())), ignored)


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
        out.append(f"{pad}- name: {scalar(n.name)}\n")
        pad += "  "
        if n.id:
            out.append(f"{pad}id: {n.id}\n")
        kind = n.kind or (ColumnKind.SECTION if n.children else ColumnKind.DOCUMENTS)
        out.append(f"{pad}kind: {kind.value}\n")
        if n.frequency:
            out.append(f"{pad}frequency: {scalar(n.frequency)}\n")
        if n.office:
            out.append(f"{pad}office: {scalar(n.office)}\n")
        if n.description:
            out.append(f"{pad}description: {scalar(n.description)}\n")
        if n.children:
            out.append(f"{pad}children:\n")
            for c in n.children:
                emit(c, indent + 4)

    for i, root in enumerate(result.roots):
        if i:
            out.append("\n")
        emit(root, 2)
    return "".join(out)
