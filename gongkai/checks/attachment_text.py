"""The text of published Office and PDF attachments, piece by piece with where each piece is, for the privacy gate.

A 名单.xlsx with a 身份证号 is the commonest way personal data reaches a government site; Word and PDF
attachments come next. Each format is read with the library that reads it best and nothing more:

- .xlsx/.xlsm: openpyxl (already used for table import), every sheet, every cell with a value ("名单!C3");
- .docx: python-docx: body paragraphs, table cells, headers and footers of every section;
- .pdf: pypdf, the text layer of every page (a page without one is reported: a scan cannot be checked).

Old binary formats (.doc, .xls, .wps, .et) have no reader here: they are listed as not checked, so staff know
to check them by hand or to save them as .docx/.xlsx. A file that cannot be opened is listed the same way.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXTRACTED = (".xlsx", ".xlsm", ".docx", ".pdf")
UNREADABLE_FORMATS = (".doc", ".xls", ".wps", ".et", ".dps", ".ppt", ".rtf")
MAX_CELLS = 2_000_000  # a sheet bigger than this is not a 公示名单 but a data dump: read it all the same, lazily


@dataclass(frozen=True)
class Piece:
    """A piece of an attachment's text: `where` names the sheet/cell, page/line, paragraph or table cell."""

    where: str
    text: str


@dataclass
class Extracted:
    pieces: list[Piece] = field(default_factory=list)
    unchecked: str = ""  # why (some of) the file could not be checked, for a warning; "" when all was read


def extract(path: Path) -> Extracted:
    """The text pieces of an attachment; never raises for a damaged file (it is reported as not checked)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(path)
        if suffix == ".docx":
            return _docx(path)
        if suffix == ".pdf":
            return _pdf(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, RecursionError) as exc:
        return Extracted(unchecked=f"文件无法打开（{type(exc).__name__}），未能检查其中的个人信息")
    except Exception as exc:  # noqa: BLE001 - the readers raise their own kinds for damaged files
        return Extracted(unchecked=f"文件无法打开（{type(exc).__name__}），未能检查其中的个人信息")
    if suffix in UNREADABLE_FORMATS:
        return Extracted(unchecked=f"旧版 {suffix} 格式无法读取文字，未能检查其中的个人信息")
    return Extracted()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(path: Path) -> Extracted:
    import openpyxl
    from openpyxl.utils import get_column_letter

    out = Extracted()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    text = _cell_text(value)
                    if text.strip():
                        out.pieces.append(Piece(f"工作表「{ws.title}」单元格 {get_column_letter(c)}{r}", text))
    finally:
        wb.close()
    return out


def _docx(path: Path) -> Extracted:
    import docx

    out = Extracted()
    d = docx.Document(str(path))

    def blocks(container: Any, label: str) -> None:
        for i, p in enumerate(container.paragraphs, start=1):
            if p.text.strip():
                out.pieces.append(Piece(f"{label}第 {i} 段", p.text))
        for t, table in enumerate(container.tables, start=1):
            for r, row in enumerate(table.rows, start=1):
                seen: set[int] = set()
                for c, cell in enumerate(row.cells, start=1):
                    if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                        continue
                    seen.add(id(cell._tc))
                    if cell.text.strip():
                        out.pieces.append(Piece(f"{label}表格 {t} 第 {r} 行第 {c} 列", cell.text))

    blocks(d, "正文")
    for s, section in enumerate(d.sections, start=1):
        for name, part in (("页眉", section.header), ("页脚", section.footer),
                           ("首页页眉", section.first_page_header), ("首页页脚", section.first_page_footer)):
            if part.is_linked_to_previous and s > 1:
                continue
            blocks(part, f"第 {s} 节{name}" if len(d.sections) > 1 else name)
    return out


def _pdf(path: Path) -> Extracted:
    import pypdf

    out = Extracted()
    reader = pypdf.PdfReader(str(path))
    blank: list[int] = []
    for n, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if not text.strip():
            blank.append(n)
            continue
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                out.pieces.append(Piece(f"第 {n} 页第 {i} 行", line))
    if blank:
        pages = "全部页面" if len(blank) == len(reader.pages) else "第 " + "、".join(map(str, blank[:10])) + " 页"
        out.unchecked = f"PDF {pages}没有文字层（可能是扫描件），未能检查其中的个人信息，请人工审查"
    return out
