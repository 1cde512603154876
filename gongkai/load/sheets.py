"""Reading one sheet of a spreadsheet under content/ (.xlsx or .csv) that a catalog file points at.

Shared by the published lists (catalog/lists.yml) and the 留言选登 export (catalog/messages.yml): the path is
checked, the cells are read once and remembered across builds by the file's digest (reading .xlsx is the slow
part), and every problem names the YAML field that pointed at the file. The spreadsheet is source data: what
is published is what the caller makes of the cells, never the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from gongkai.errors import Problems
from gongkai.load.fields import Fields
from gongkai.load.sources import is_file, safe_content_path
from gongkai.memo import MISSING, Memo

SUFFIXES = (".xlsx", ".csv")
_DATE_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?$")
# an export's 来信时间 often carries the time of day: 2026-11-09 10:23 or 2026/11/9 10:23:15
_DATE_TIME_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+|T)\d{1,2}[:：]\d{2}(?:[:：]\d{2})?$")


@dataclass
class Sheet:
    """The cells of one sheet, as read."""

    src: str  # content/… as messages name it
    name: str  # the sheet's title ("CSV" for a .csv file)
    rows: list[list[Any]]

    @property
    def where(self) -> str:
        return f"工作表「{self.name}」" if self.name else "表格"

    def cell_place(self, row: int, heading: str) -> str:
        """How a problem names a cell: 工作表 名单 第 5 行 姓名 列."""
        return f"工作表 {self.name or '（第一个）'} 第 {row} 行 {heading} 列"


def read_sheet(root: Path, f: Fields, file: str, sheet: str, problems: Problems, memo: Memo | None = None) -> Sheet | None:
    """The sheet `sheet` (or the first) of content/`file`; None after reporting why it cannot be read.

    f: the YAML mapping that names the file, whose `file` and `sheet` fields the problems point at."""
    src = f"content/{file}"
    path = safe_content_path(root / "content", file, root)
    if path is None:
        f.err("file", f"表格文件「{file}」应是 content/ 下的相对路径")
        return None
    if not path.name.lower().endswith(SUFFIXES):
        f.err("file", f"表格文件「{file}」应为 .xlsx 或 .csv（.xls 请在表格软件中另存为 .xlsx）")
        return None
    if not is_file(path):
        if is_file(root / file):  # put next to catalog/ (`file` was checked above to stay inside when under content/)
            f.err("file", f"表格文件 content/{file} 不存在；网站文件夹下的 {file} 不会被读取：file 写的是 content/ 下的路径，"
                          f"请把它移到 content/{file}")
        else:
            f.err("file", f"表格文件 content/{file} 不存在")
        return None
    if sheet and path.name.lower().endswith(".csv"):
        f.err("sheet", f"CSV 文件没有工作表，请删除 sheet: {sheet}")
    if memo is None:
        return _read(path, src, sheet, f, problems)
    key = ("sheets.grid", hashlib.blake2b(path.read_bytes(), digest_size=20).digest(), sheet)
    found = memo.get(key)
    if found is not MISSING:
        rows, name = found
        return Sheet(src, name, cast(list[list[Any]], rows))
    out = _read(path, src, sheet, f, problems)
    if out is not None:
        memo.put(key, (out.rows, out.name))
    return out


def header(sheet: Sheet, header_row: int, problems: Problems) -> list[str] | None:
    """The headings of row `header_row` (line breaks inside a heading removed)."""
    if len(sheet.rows) < header_row:
        problems.error(sheet.src, None, None, f"{sheet.where}没有第 {header_row} 行表头（header_row），表格是空的？")
        return None
    return [cell_text(v).replace("\n", "").strip() for v in sheet.rows[header_row - 1]]


def positions(headings: list[str]) -> dict[str, int]:
    """Heading -> column index (the first column of a repeated heading)."""
    out: dict[str, int] = {}
    for i, h in enumerate(headings):
        if h and h not in out:
            out[h] = i
    return out


def _read(path: Path, src: str, sheet: str, f: Fields, problems: Problems) -> Sheet | None:
    return _read_xlsx(path, src, sheet, f) if path.name.lower().endswith(".xlsx") else _read_csv(path, src, problems)


def _read_xlsx(path: Path, src: str, sheet: str, f: Fields) -> Sheet | None:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or non-xlsx file
        f.err("file", f"{src} 无法作为 .xlsx 表格读取（{type(exc).__name__}）：文件损坏，或不是 Excel 2007 以后的格式")
        return None
    try:
        if sheet:
            if sheet not in wb.sheetnames:
                f.err("sheet", f"{src} 中没有工作表「{sheet}」；有：{'、'.join(wb.sheetnames)}")
                return None
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        return Sheet(src, ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
    finally:
        wb.close()


def _read_csv(path: Path, src: str, problems: Problems) -> Sheet | None:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK unless told otherwise
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        problems.error(src, None, None, "无法读取：既不是 UTF-8 也不是 GBK 编码的 CSV")
        return None
    return Sheet(src, "CSV", [list(r) for r in csv.reader(io.StringIO(text))])


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def cell_date(cell: Any, with_time: bool = False) -> tuple[dt.date | None, str]:
    """The date of a cell, and what is wrong with it ("" when nothing; (None, "") for an empty cell).

    with_time: a time of day after the date is allowed and dropped (an export's 2026-11-09 10:23:15)."""
    if isinstance(cell, dt.datetime):
        return cell.date(), ""
    if isinstance(cell, dt.date):
        return cell, ""
    text = cell_text(cell)
    if not text:
        return None, ""
    m = _DATE_TEXT.match(text) or (_DATE_TIME_TEXT.match(text) if with_time else None)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), ""
        except ValueError:
            pass
    return None, f"日期「{text}」无效，应写作 2026-11-20、2026/11/20 或 2026年11月20日"
