"""The text of published Office and PDF attachments, piece by piece with where each piece is, for the privacy gate.

A 名单.xlsx with a 身份证号 is the commonest way personal data reaches a government site; Word and PDF
attachments come next. Each format is read for its text and nothing more (the gate reads every attachment on a cold build, so each
reader is the fastest exact one):

- .xlsx/.xlsm: the SpreadsheetML parts themselves (zipfile + ElementTree), every sheet, every cell with a value;
- .docx: the WordprocessingML parts themselves (zipfile + ElementTree): body paragraphs, table cells (content
  controls included), headers and footers;
- .pdf: pypdfium2, the text layer of every page (a page without one is reported: a scan cannot be checked).

Old binary formats (.doc, .xls, .wps, .et) have no reader here: they are listed as not checked, so staff know
to check them by hand or to save them as .docx/.xlsx. A file that cannot be opened is listed the same way.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

EXTRACTED = (".xlsx", ".xlsm", ".docx", ".pdf")
UNREADABLE_FORMATS = (".doc", ".xls", ".wps", ".et", ".dps", ".ppt", ".rtf")
MAX_PART = 64 * 1024 * 1024  # an XML part larger than this (uncompressed) is not a document but a zip bomb


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
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ET.ParseError, RecursionError) as exc:
        return Extracted(unchecked=f"文件无法打开（{type(exc).__name__}），未能检查其中的个人信息")
    except Exception as exc:  # noqa: BLE001 - the readers raise their own kinds for damaged files
        return Extracted(unchecked=f"文件无法打开（{type(exc).__name__}），未能检查其中的个人信息")
    if suffix in UNREADABLE_FORMATS:
        return Extracted(unchecked=f"旧版 {suffix} 格式无法读取文字，未能检查其中的个人信息")
    return Extracted()


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _xlsx(path: Path) -> Extracted:
    """Every cell with a value of every sheet, read straight from the SpreadsheetML parts.

    openpyxl reads the same values but loads styles and builds cell objects first (about 12 ms a file against
    2 ms); a sheet is streamed (iterparse), so a large 名单 does not sit in memory as a tree.
    """
    out = Extracted()
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for part in ("xl/workbook.xml", "xl/sharedStrings.xml"):
            if part in names and z.getinfo(part).file_size > MAX_PART:
                return Extracted(unchecked=f"{part} 过大，未能检查其中的个人信息")
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_S}si"):
                # rich text runs are joined; phonetic guides (rPh) are no text of the cell
                shared.append("".join(t.text or "" for child in si if child.tag in (f"{_S}t", f"{_S}r")
                                      for t in child.iter(f"{_S}t")))
        rels = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for rel in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter(f"{_REL}Relationship"):
                target = rel.get("Target", "")
                rels[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter(f"{_S}sheet"):
            name = sheet.get("name", "")
            part = rels.get(sheet.get(f"{_R}id"), "")
            if part not in names:
                continue
            with z.open(part) as fh:
                for _, cell in ET.iterparse(fh):
                    if cell.tag != f"{_S}c":
                        continue
                    text = _xlsx_value(cell, shared)
                    if text.strip():
                        out.pieces.append(Piece(f"工作表「{name}」单元格 {cell.get('r', '')}", text))
                    cell.clear()
    return out


def _xlsx_value(cell: ET.Element, shared: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_S}t"))
    v = cell.find(f"{_S}v")
    if v is None or v.text is None:
        return ""
    if kind == "s":
        try:
            return shared[int(v.text)]
        except (ValueError, IndexError):
            return ""
    if kind == "n" and ("E" in v.text or "e" in v.text or v.text.endswith(".0")):
        try:
            number = float(v.text)
        except ValueError:
            return v.text
        return str(int(number)) if number.is_integer() and abs(number) < 1e20 else v.text
    return v.text


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PART = re.compile(r"word/(header|footer)(\d*)\.xml")
def _docx(path: Path) -> Extracted:
    """Body paragraphs and tables, headers and footers, read straight from the WordprocessingML parts.

    python-docx gives the same text but builds its whole object model first (about 45 ms a file against 3 ms):
    on a cold build of a large site that is the difference between seconds and minutes of privacy checking.
    """
    out = Extracted()
    with zipfile.ZipFile(path) as z:
        parts: list[tuple[str, str]] = [("正文", "word/document.xml")]
        found = sorted((m[1], int(m[2] or 0), m[0]) for n in z.namelist() if (m := _PART.fullmatch(n)))
        for kind, number, name in found:
            label = "页眉" if kind == "header" else "页脚"
            same = sum(1 for k, _, _ in found if k == kind)
            parts.append((f"{label} {number} " if same > 1 else label, name))
        for label, name in parts:
            info = z.getinfo(name)
            if info.file_size > MAX_PART:
                out.unchecked = f"{name} 过大，未能检查其中的个人信息"
                continue
            root = ET.fromstring(z.read(name))
            container = root.find(f"{_W}body") if root.tag == f"{_W}document" else root
            if container is not None:
                _docx_blocks(container, label.rstrip(), out)
    return out


def _docx_text(el: ET.Element) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif node.tag == f"{_W}p" and parts and node is not el:
            parts.append("\n")
    return "".join(parts)


def _docx_blocks(container: ET.Element, label: str, out: Extracted) -> None:
    paragraphs = tables = 0

    def children(el: ET.Element) -> list[ET.Element]:
        kids: list[ET.Element] = []
        for child in el:
            if child.tag == f"{_W}sdt":  # a content control: its content is part of the flow
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    kids += children(content)
            else:
                kids.append(child)
        return kids

    for child in children(container):
        if child.tag == f"{_W}p":
            paragraphs += 1
            text = _docx_text(child)
            if text.strip():
                out.pieces.append(Piece(f"{label}第 {paragraphs} 段", text))
        elif child.tag == f"{_W}tbl":
            tables += 1
            for r, row in enumerate(child.findall(f"{_W}tr"), start=1):
                column = 1
                for cell in row.findall(f"{_W}tc"):
                    text = _docx_text(cell)
                    if text.strip():
                        out.pieces.append(Piece(f"{label}表格 {tables} 第 {r} 行第 {column} 列", text))
                    span = cell.find(f"{_W}tcPr/{_W}gridSpan")
                    column += int(span.get(f"{_W}val", "1")) if span is not None else 1


def pdf_pages(path: Path) -> list[str]:
    """The text layer of every page ("" for a page without one), with pdfium (the PDF engine of Chromium): about
    2 ms a file against 18 ms with a pure-Python reader."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out: list[str] = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def _pdf(path: Path) -> Extracted:
    out = Extracted()
    pages = pdf_pages(path)
    blank: list[int] = []
    for n, text in enumerate(pages, start=1):
        if not text.strip():
            blank.append(n)
            continue
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                out.pieces.append(Piece(f"第 {n} 页第 {i} 行", line))
    if blank:
        which = "全部页面" if len(blank) == len(pages) else "第 " + "、".join(map(str, blank[:10])) + " 页"
        out.unchecked = f"PDF {which}没有文字层（可能是扫描件），未能检查其中的个人信息，请人工审查"
    return out
