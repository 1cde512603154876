"""Import a bureau's existing 公开目录 (a table of documents) and its folder of files as Markdown documents.

The table is what old CMSes export and what staff keep in Excel: a header row (a title row above it is allowed)
with 索引号, 标题/名称/信息名称, 文号/发文字号, 发布机构, 成文日期, 发布日期/公开日期/生成日期, 主题分类, 所属栏目,
有效性, 附件 … in any order and under any of the names real tables use (HEADERS). Each row becomes
content/documents/{year}/{id}.md with front matter; its files come from the folder:

- the row's own file (a 文件/正文文件 column, else the file whose name is the title, 文号 or 索引号):
  .docx is converted to the Markdown body (headings, lists, tables; a table with merged cells is kept as HTML,
  which Markdown tables cannot express; embedded pictures extracted beside the document) with mammoth;
  .pdf bodies are its text layer (pypdf), for search and the privacy gate; .doc/.wps/.xls (old binary formats)
  are attached with a note that their text was not extracted. The original is always kept as an attachment;
- the 附件 column names further files (separated by ；;、 or line breaks), attached as they are.

Columns are matched by id, path or name (also a path of names, 一级 > 二级). A row that cannot be placed (no
title, no date, an unknown column, a file that is not in the folder) is reported with its row number, and
nothing is written for it. Document ids: from the 索引号 when it has the standard form (…/YYYY-NNNNN ->
YYYY-NNNNN, unique within one bureau and stable), else the year and the pinyin initials of the title (a suffix when
the import repeats one): the automatic id of load/docids.py, so a file staff rename to its title keeps its address.
Re-running is safe: a document already imported (same id and title) is left alone unless `force`; a dry run
writes nothing and says what would change. Files are written only after every row was read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.checks.indexno import INDEX_RE
from gongkai.errors import Problem, Problems
from gongkai.load import docids
from gongkai.load.columns import load_columns
from gongkai.load.documents import QUOTES, unknown_topic_message
from gongkai.load.site import load_site
from gongkai.load.urlrecord import read_record
from gongkai.load.yamlsrc import split_front_matter
from gongkai.model import Column
from gongkai.tools.importer import TableError, other_sheet_note, read_with_header, scalar

# header text (spaces removed) -> field
HEADERS: dict[str, str] = {
    "标题": "title", "名称": "title", "信息名称": "title", "文件名称": "title", "文件标题": "title", "题名": "title",
    "索引号": "index_no", "索引编号": "index_no",
    "文号": "doc_number", "发文字号": "doc_number", "文件编号": "doc_number", "发文号": "doc_number",
    "发布机构": "publisher", "发文机构": "publisher", "发文单位": "publisher", "发布单位": "publisher",
    "成文日期": "written", "印发日期": "written",
    "发布日期": "published", "公开日期": "published", "生成日期": "published", "发文日期": "published",
    "发布时间": "published", "公开时间": "published",
    "主题分类": "topic", "主题": "topic",
    "所属栏目": "column", "栏目名称": "column", "栏目": "column", "公开目录": "column", "信息类别": "column",
    "有效性": "validity", "效力状态": "validity", "状态": "validity",
    "附件": "attachments", "附件名称": "attachments",
    "文件": "file", "正文文件": "file", "文件名": "file", "原文": "file", "正文": "file",
    "内容概述": "summary", "摘要": "summary",
    "公开方式": "disclosure", "公开属性": "disclosure",
    "序号": "seq",
}
LABELS = {"title": "标题", "index_no": "索引号", "doc_number": "文号", "publisher": "发布机构", "written": "成文日期",
          "published": "发布日期", "topic": "主题分类", "column": "所属栏目", "validity": "有效性", "attachments": "附件",
          "file": "文件", "summary": "内容概述", "disclosure": "公开方式"}
VALIDITY = {"有效": "", "现行有效": "", "废止": "废止", "已废止": "废止", "失效": "失效", "已失效": "失效",
            "修改": "修改", "已修改": "修改", "修订": "修改"}
DISCLOSURE = {"主动公开": "主动公开", "依申请公开": "依申请公开", "不予公开": "不予公开", "不公开": "不予公开"}
OLD_FORMATS = (".doc", ".wps", ".xls", ".et", ".ppt", ".dps", ".rtf")
_DATE = re.compile(r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SPLIT = re.compile(r"\s*[；;、\n|]\s*")


def parse_date(text: str) -> dt.date | None:
    """2024年3月5日, 2024/3/5, 2024.03.05, 2024-03-05 10:20:00, 20240305 -> a date; None if none of these. A
    5-digit number is Excel's day number (45370 = 2024-03-19): what a date cell shows once its format is lost (set
    to 常规/General, or copied as values), read between 1990 and 2099 only."""
    text = text.strip()
    serial = re.fullmatch(r"(\d{5})(?:\.\d+)?", text)
    if serial and 32874 <= int(serial[1]) <= 73050:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial[1]))
    m = _DATE.match(text)
    parts = (m[1], m[2], m[3]) if m else (text[:4], text[4:6], text[6:8]) if re.fullmatch(r"\d{8}", text) else None
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


@dataclass
class Planned:
    """One document to write: its Markdown file and the files copied beside it."""

    row: int
    id: str
    md: Path  # content/documents/{year}/{id}.md
    text: str
    files: dict[Path, bytes | Path] = field(default_factory=dict)  # destination -> bytes or source file to copy
    notes: list[str] = field(default_factory=list)  # what the staff should know (text not extracted …)
    action: str = "new"  # new | unchanged | overwrite | skip (exists, no --force)


@dataclass
class DocImport:
    planned: list[Planned]
    problems: list[Problem]
    rows: int
    ignored_headers: list[str]
    sheet_note: str = ""  # the worksheet read when it was not the first (the first had no header)


# --- the table -------------------------------------------------------------------------------------


def find_header(table: list[tuple[int, list[str]]]) -> tuple[int, dict[int, str], list[str]]:
    for i, (_, cells) in enumerate(table[:20]):
        keys = [re.sub(r"\s+", "", c).rstrip("：:") for c in cells]
        if any(HEADERS.get(k) == "title" for k in keys):
            mapping: dict[int, str] = {}
            ignored: list[str] = []
            for j, k in enumerate(keys):
                fld = HEADERS.get(k)
                if fld and fld not in mapping.values():
                    mapping[j] = fld
                elif k:
                    ignored.append(cells[j])
            return i, mapping, ignored
    raise TableError("找不到表头：表格前 20 行中应有一行包含「标题」（或「名称」「信息名称」），"
                     "以及「发布日期」「所属栏目」等")


def _column_lookup(roots: list[Column]) -> dict[str, list[Column]]:
    """A column by id, slug path, name, or path of names (一级/二级, 一级>二级 …)."""
    out: dict[str, list[Column]] = {}
    for root in roots:
        for col in root.walk():
            names = [a.name for a in col.ancestors] + [col.name]
            # every tail of the path of names too: tables name a column by its last two levels (最低生活保障/办事指南)
            # where the catalogue puts them under a 领域 (社会救助/最低生活保障/办事指南); ambiguity is reported
            tails = {"/".join(names[i:]) for i in range(len(names) - 1)}
            for key in {col.id, col.path, col.name, *tails}:
                out.setdefault(key, []).append(col)
    return out


def _drop_title_heading(body: str, title: str, doc_number: str = "", publisher: str = "") -> str:
    """The body without its opening title: the page already shows the title as its heading, and a Word file typed
    with the title as 标题 1 would put it on the page twice. A 公文 (GB/T 9704) opens with the 发文机关标志
    (「莒南县民政局文件」) and the 发文字号 above the title: those lines go with it — the page shows the 文号 and the
    发布机构 in its table — but only when the title follows them within the first lines (a 文号 just under the
    title goes too, as web pages print it); a body whose opening is not the title keeps everything."""
    blocks = re.split(r"\n[ \t]*\n", body.lstrip("\n"), maxsplit=4)
    masthead = {_squash(doc_number), _squash(publisher)} - {""}
    for k, block in enumerate(blocks[:4]):
        text = _squash(re.sub(r"^#{1,6}[ \t]+|[ \t]*#*[ \t]*$", "", block.strip()))
        if text == _squash(title):
            rest = blocks[k + 1:]
            if rest and doc_number and _squash(rest[0]) == _squash(doc_number):
                rest = rest[1:]  # a web page's order: the 文号 under the title
            return "\n\n".join(rest).lstrip("\n")
        if not (text in masthead or (text.endswith("文件") and len(text) <= 30)):
            break
    return body


def _without_origin(text: str) -> str:
    return re.sub(r"(?m)^# 由 gongkai import-docs 从「.*」第 \d+ 行导入\n", "", text, count=1)


def _squash(text: str) -> str:
    return unicodedata.normalize("NFKC", re.sub(r"[\s*_]+", "", text))


def _norm_column(text: str) -> str:
    return re.sub(r"\s*[>＞/\\|》→]\s*", "/", text.strip()).strip("/")


# --- the files ------------------------------------------------------------------------------------


def _index_files(folder: Path) -> dict[str, list[Path]]:
    """Files of the folder by name and by stem (NFKC, no spaces), for matching table cells to files."""
    out: dict[str, list[Path]] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.startswith((".", "~$")):
            for key in {p.name, p.stem, p.relative_to(folder).as_posix()}:
                out.setdefault(unicodedata.normalize("NFKC", re.sub(r"\s+", "", key)), []).append(p)
    return out


def _lookup(index: dict[str, list[Path]], name: str) -> list[Path]:
    return index.get(unicodedata.normalize("NFKC", re.sub(r"\s+", "", name)), [])


def docx_to_markdown(path: Path, image_prefix: str) -> tuple[str, dict[str, bytes], list[str]]:
    """(Markdown body, {image file name: bytes}, messages) of a .docx, through mammoth's HTML."""
    import mammoth

    images: dict[str, bytes] = {}

    def convert_image(image) -> dict[str, str]:
        ext = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp"}.get(image.content_type, "bin")
        name = f"image{len(images) + 1}.{ext}"
        with image.open() as fh:
            images[name] = fh.read()
        return {"src": f"{image_prefix}{name}", "alt": image.alt_text or f"图{len(images)}"}

    with open(path, "rb") as fh:
        result = mammoth.convert_to_html(fh, convert_image=mammoth.images.img_element(convert_image))
    messages = [m.message for m in result.messages if m.type == "error"]
    return html_to_markdown(result.value), images, messages


def html_to_markdown(fragment: str) -> str:
    """mammoth's HTML (well-formed, a known small set of tags) as Markdown; merged-cell tables stay HTML."""
    try:
        root = ET.fromstring(f"<div>{fragment}</div>")
    except ET.ParseError:
        return fragment  # raw HTML is valid Markdown; the sanitizer cleans it when rendered
    blocks: list[str] = []
    for el in root:
        out = _block(el)
        if out.strip():
            blocks.append(out.rstrip())
    return "\n\n".join(blocks) + "\n"


def _inline(el: ET.Element) -> str:
    parts = [_esc(el.text or "")]
    for child in el:
        inner = _inline(child)
        tag = child.tag
        if tag in ("strong", "b") and inner.strip():
            parts.append(f"**{inner.strip()}**")
        elif tag in ("em", "i") and inner.strip():
            parts.append(f"*{inner.strip()}*")
        elif tag == "a" and child.get("href"):
            parts.append(f"[{inner}]({child.get('href')})")
        elif tag == "img":
            parts.append(f"![{_esc(child.get('alt', ''))}]({child.get('src', '')})")
        elif tag == "br":
            parts.append("<br>")
        elif tag in ("sup", "sub"):
            parts.append(f"<{tag}>{inner}</{tag}>")
        else:
            parts.append(inner)
        parts.append(_esc(child.tail or ""))
    return "".join(parts)


def _esc(text: str) -> str:
    """Text as Markdown shows it: characters that would start markup are escaped."""
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text.replace("\n", " "))
    return re.sub(r"^(\s*)(#|\d+\.|[-+])(\s)", r"\1\\\2\3", text)


def _block(el: ET.Element, depth: int = 0) -> str:
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "#" * int(tag[1]) + " " + _inline(el).strip()
    if tag == "p":
        return _inline(el).strip()
    if tag in ("ul", "ol"):
        lines = []
        for n, li in enumerate(el.findall("li"), start=1):
            marker = f"{n}." if tag == "ol" else "-"
            text = _inline(_without(li, ("ul", "ol"))).strip()
            lines.append("    " * depth + f"{marker} {text}")
            for sub in li:
                if sub.tag in ("ul", "ol"):
                    lines.append(_block(sub, depth + 1))
        return "\n".join(lines)
    if tag == "table":
        return _table(el)
    return _inline(el).strip()


def _without(el: ET.Element, tags: tuple[str, ...]) -> ET.Element:
    copy = ET.Element(el.tag, el.attrib)
    copy.text = el.text
    copy.extend(child for child in el if child.tag not in tags)
    return copy


def _table(el: ET.Element) -> str:
    rows = [tr for tr in el.iter("tr")]
    merged = any(c.get("colspan") not in (None, "1") or c.get("rowspan") not in (None, "1")
                 for tr in rows for c in tr if c.tag in ("td", "th"))
    if merged or not rows:  # Markdown tables have no merged cells: keep the table as HTML (the sanitizer allows it)
        return ET.tostring(el, encoding="unicode", method="html")
    grid = [[_cell(c) or " " for c in tr if c.tag in ("td", "th")] for tr in rows]
    width = max(len(r) for r in grid)
    grid = [r + [" "] * (width - len(r)) for r in grid]
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
    return "\n".join(lines)


def _cell(cell: ET.Element) -> str:
    """A table cell's paragraphs on one line (a Markdown table cell holds no blocks)."""
    if len(cell) == 0:
        return _esc(cell.text or "").strip()
    texts = [_inline(child).strip() for child in cell]
    return "<br>".join(t for t in texts if t)


_PARA_GOES_ON = ("，", ",", "、", "“", "（", "《", "—")  # a line ending mid-sentence continues
_PARA_END = ("。", "：", ":", "；", "！", "？", "”", "」", "）", ")")


def _join(lines: list[str]) -> str:
    """Wrapped lines as one: no space between Chinese characters, one between words."""
    out = lines[0]
    for ln in lines[1:]:
        out += (" " if out[-1].isascii() and ln[0].isascii() else "") + ln
    return out


def pdf_text(path: Path) -> tuple[str, int, int]:
    """(text layer as Markdown paragraphs, pages, pages without text) of a PDF."""
    from gongkai.checks.attachment_text import pdf_pages

    pages = pdf_pages(path)
    paras: list[str] = []
    blank = 0
    for text in pages:
        if not text.strip():
            blank += 1
            continue
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        full = max(len(ln) for ln in lines)
        para: list[str] = []
        for ln in lines:
            para.append(ln)
            # a line that ends a sentence or stops well short of the text width ends its paragraph (a PDF has
            # no paragraphs, only lines: a full-width line was wrapped and continues on the next)
            if not ln.endswith(_PARA_GOES_ON) and (ln.endswith(_PARA_END) or len(ln) < 0.8 * full):
                paras.append(_esc(_join(para)))
                para = []
        if para:
            paras.append(_esc(_join(para)))
    return "\n\n".join(paras), len(pages), blank


# --- rows to documents -----------------------------------------------------------------------------


def doc_id_for(index_no: str, title: str, year: int, org_code: str, taken: set[str]) -> str:
    """The id of an imported document: the automatic id a file named in Chinese would get (load/docids.py), so
    that renaming an imported file to its title keeps its address; a suffix when the import itself repeats one."""
    base, _ = docids.base_id(index_no, title, year, org_code)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _field(fm: str, key: str) -> str:
    m = re.search(rf"^{key}:[ \t]*(.+?)[ \t]*$", fm, re.M)
    value = m[1] if m else ""
    if value.startswith(('"', "'")):
        try:
            value = json.loads(value) if value.startswith('"') else value.strip("'")
        except ValueError:
            pass
    return value


def _existing(root: Path, org_code: str) -> dict[str, tuple[Path, str, str, str]]:
    """Documents already under content/documents/: id -> (file, title, 文号, published as written). A file named in
    Chinese (an imported one renamed by staff) under the id the loader gives it: the URL record's for its path, else
    the automatic one."""
    content_docs = root / "content" / "documents"
    out: dict[str, tuple[Path, str, str, str]] = {}
    if not content_docs.is_dir():
        return out
    record = read_record(root, Problems())
    recorded = {e.file: e.id for e in record.documents} if record is not None else {}
    for p in sorted(content_docs.rglob("*.md")):
        try:
            fm, _, _ = split_front_matter(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        fm = fm or ""
        ident, title = _field(fm, "id"), _field(fm, "title")
        if not ident and docids.needs_auto_id(p.stem):
            ident = recorded.get(p.relative_to(root).as_posix(), "")
            published = re.match(r"\d{4}", _field(fm, "published"))
            if not ident and published:
                ident, _ = docids.base_id(_field(fm, "index_no"), title, int(published[0]), org_code)
        out[ident or p.stem] = (p, title, _field(fm, "doc_number"), _field(fm, "published"))
    return out


def _same_document(existing: dict[str, tuple[Path, str, str, str]], title: str, doc_number: str,
                   published: dt.date) -> str | None:
    """The id of a document already imported that this row is, found without its id: a second export of the old
    site without the 索引号 column gives the row another automatic id, and the import wrote the document twice.
    The same title with the same 文号, or (without a 文号) the same publication date, is the same document."""
    for ident, (_, other_title, other_number, other_published) in existing.items():
        if other_title != title:
            continue
        if (doc_number and other_number == doc_number) or (not doc_number and other_published == published.isoformat()):
            return ident
    return None


def plan_import(root: Path, table: Path, folder: Path, sheet: str | None = None, force: bool = False) -> DocImport:
    """Read the table and the folder; plan every document (nothing is written here)."""
    probs = Problems()
    site = load_site(root, probs)
    roots = load_columns(root, probs)
    if probs.errors:
        raise TableError("站点配置有错误，请先运行 gongkai check 修正：" + "；".join(p.format() for p in probs.errors[:3]))
    lookup = _column_lookup(roots)
    rows_raw, (h, mapping, ignored), chosen = read_with_header(table, sheet, find_header)
    files = _index_files(folder)
    docs_dir = root / "content" / "documents"
    existing = _existing(root, site.org_code)
    taken = set(existing)
    problems: list[Problem] = []
    planned: list[Planned] = []
    count = 0
    seen_numbers: dict[str, int] = {}
    for number, cells in rows_raw[h + 1:]:
        row = {fld: cells[j].strip() if j < len(cells) else "" for j, fld in mapping.items()}
        if not any(v for k, v in row.items() if k != "seq"):
            continue
        count += 1
        errs: list[tuple[str | None, str]] = []

        def err(fld: str | None, msg: str, errs: list = errs) -> None:
            errs.append((fld, msg))

        title = row.get("title", "")
        if not title:
            err("title", "没有标题")
        published = parse_date(row.get("published", "")) if row.get("published") else None
        if row.get("published") and published is None:
            err("published", f"发布日期「{row['published']}」无法识别（可写作 2024-03-05、2024年3月5日、2024/3/5、2024.03.05）")
        written = parse_date(row.get("written", "")) if row.get("written") else None
        if row.get("written") and written is None:
            err("written", f"成文日期「{row['written']}」无法识别（可写作 2024-03-05、2024年3月5日、2024/3/5、2024.03.05）")
        if published is None and not row.get("published"):
            err("published", "没有发布日期")
        cols: list[Column] = []
        for ref in _SPLIT.split(row.get("column", "")) if row.get("column") else []:
            found = lookup.get(_norm_column(ref), [])
            if len(found) == 1:
                cols.append(found[0])
            elif found:
                paths = "、".join("/".join([a.name for a in c.ancestors] + [c.name]) + f"（{c.id}）" for c in found)
                err("column", f"所属栏目「{ref}」对应多个栏目：{paths}，请在表中写完整路径或栏目标识")
            else:
                err("column", f"所属栏目「{ref}」在标准目录 catalog/columns.yml 中找不到（可写栏目标识、名称或「一级/二级」路径）")
        if not row.get("column"):
            err("column", "没有所属栏目")
        for c in cols:
            if not c.kind.holds_documents:
                err("column", f"栏目「{c.name}」的类型是 {c.kind.value}，不能放文件")
        notes: list[str] = []
        topic = row.get("topic", "")
        bare = "".join(c for c in topic if c not in QUOTES).strip()  # 「“民政、扶贫、救灾”」: the quotes are not the topic
        if bare and site.topics and bare.split("\\")[0] in site.topics:
            topic = bare
        elif topic and site.topics:
            # which row, which value, what it could be (the loader's own message: the site's list or the built-in
            # one, the classes containing the value, the whole list), and that the rest of the row is imported
            notes.append(f"第 {number} 行的主题分类没有写入（这一行的其余内容照常导入，导入后可在文件中补写 topic）："
                         + unknown_topic_message(topic, site.topics))
            topic = ""
        validity = row.get("validity", "")
        status = VALIDITY.get(validity, None) if validity else ""
        if status is None:
            err("validity", f"有效性「{validity}」无法识别（可写：有效、废止、失效、修改）")
        disclosure = DISCLOSURE.get(row.get("disclosure", ""), "" if not row.get("disclosure") else None)
        if disclosure is None:
            err("disclosure", f"公开方式「{row['disclosure']}」无法识别（可写：主动公开、依申请公开、不予公开）")
        index_no = row.get("index_no", "")
        if index_no and not INDEX_RE.match(index_no):
            notes.append(f"索引号「{index_no}」不是“机构代码/年份-序号”的格式，未写入（可运行 gongkai assign 重新编号）")
            index_no = ""
        doc_number = row.get("doc_number", "")
        if doc_number:
            if doc_number in seen_numbers:
                err("doc_number", f"文号「{doc_number}」与第 {seen_numbers[doc_number]} 行重复")
            seen_numbers.setdefault(doc_number, number)
        # the row's own file
        main: Path | None = None
        if row.get("file"):
            found_files = _lookup(files, row["file"])
            if not found_files:
                err("file", f"文件「{row['file']}」在文件夹 {folder} 中找不到")
            elif len(found_files) > 1:
                err("file", f"文件「{row['file']}」在文件夹中有 {len(found_files)} 个同名文件：" +
                    "、".join(p.relative_to(folder).as_posix() for p in found_files[:3]))
            else:
                main = found_files[0]
        else:
            for key in (title, doc_number, row.get("index_no", "")):
                cands = [p for p in _lookup(files, key) if p.suffix.lower() in (".docx", ".pdf", *OLD_FORMATS)] if key else []
                if len(cands) == 1:
                    main = cands[0]
                    break
                if len(cands) > 1:  # prefer the editable source: .docx over .pdf over old formats
                    order = {".docx": 0, ".pdf": 1}
                    main = sorted(cands, key=lambda p: (order.get(p.suffix.lower(), 2), p.name))[0]
                    notes.append("同名文件有 " + "、".join(p.name for p in cands) + f"，正文取自 {main.name}")
                    break
        extra: list[Path] = []
        for name in _SPLIT.split(row.get("attachments", "")) if row.get("attachments") else []:
            found_files = _lookup(files, name)
            if not found_files:
                err("attachments", f"附件「{name}」在文件夹 {folder} 中找不到")
            else:
                extra.append(found_files[0])
        if errs:
            for fld, msg in errs:
                problems.append(Problem(table.name, number, LABELS.get(fld or "", fld),
                                        f"第 {number} 行：{msg}，本行未导入"))
            continue
        assert published is not None
        # id and place
        year = published.year
        base_id = doc_id_for(index_no, title, year, site.org_code, set())
        prior = existing.get(base_id)
        twin = None if prior is not None and prior[1] == title else _same_document(existing, title, doc_number, published)
        if prior is not None and prior[1] == title:
            doc_id, md = base_id, prior[0]
        elif twin is not None:
            doc_id, md = twin, existing[twin][0]
            notes.append(f"与已导入的 {md.relative_to(root).as_posix()} 标题和{'文号' if doc_number else '发布日期'}相同，"
                         "按同一份文件处理（不另建）")
        else:
            doc_id = doc_id_for(index_no, title, year, site.org_code, taken)
            md = docs_dir / str(year) / f"{doc_id}.md"
        taken.add(doc_id)
        assets = md.parent / doc_id
        p = Planned(number, doc_id, md, "", notes=notes)
        body = ""
        attachments: list[tuple[str, str]] = []
        if main is not None:
            suffix = main.suffix.lower()
            if suffix == ".docx":
                try:
                    body, images, messages = docx_to_markdown(main, f"{doc_id}/")
                except Exception as exc:  # noqa: BLE001 - a damaged file: report the row, import nothing for it
                    problems.append(Problem(table.name, number, "文件", f"第 {number} 行：{main.name} 无法读取"
                                            f"（{type(exc).__name__}），本行未导入"))
                    continue
                body = _drop_title_heading(body, title, doc_number, row.get("publisher", ""))
                for name, data in images.items():
                    p.files[assets / name] = data
                notes += [f"{main.name}：{m}" for m in messages]
            elif suffix == ".pdf":
                try:
                    body, pages, blank = pdf_text(main)
                except Exception as exc:  # noqa: BLE001
                    problems.append(Problem(table.name, number, "文件", f"第 {number} 行：{main.name} 无法读取"
                                            f"（{type(exc).__name__}），本行未导入"))
                    continue
                if blank == pages:
                    notes.append(f"{main.name} 没有文字层（扫描件），正文未提取，请人工录入内容概述或正文")
                elif blank:
                    notes.append(f"{main.name} 有 {blank} 页没有文字层，这些页的文字未提取")
                body = _drop_title_heading(body, title, doc_number, row.get("publisher", ""))
                if body:
                    body = "> 以下正文由 PDF 原件提取，格式以附件为准。\n\n" + body
            else:
                notes.append(f"{main.name} 是旧版 {suffix} 格式，正文未提取，已作为附件；建议另存为 .docx 后重新导入")
            p.files[assets / main.name] = main
            attachments.append((f"原文：{main.stem}" if suffix == ".docx" else main.stem, f"{doc_id}/{main.name}"))
        for f in extra:
            if assets / f.name not in p.files:
                p.files[assets / f.name] = f
                attachments.append((f.stem, f"{doc_id}/{f.name}"))
        if not body.strip():
            body = "正文见附件。\n" if attachments else (row.get("summary") or title) + "\n"
        # the id always written out: an id taken from the file name, or made from the title or 索引号, would move
        # the published address when staff later rename the file, retitle it or `gongkai assign` gives it a 索引号
        fm = [("title", title), ("id", doc_id), ("doc_number", doc_number),
              ("index_no", index_no), ("publisher", row.get("publisher", "")),
              ("written", written.isoformat() if written else ""), ("published", published.isoformat()),
              ("topic", topic), ("status", status or ""), ("disclosure", disclosure or ""),
              ("summary", row.get("summary", ""))]
        lines = ["---\n"] + [f"{k}: {v if k in ('written', 'published') else scalar(v)}\n" for k, v in fm if v]
        lines.append(f"columns: [{', '.join(c.id for c in cols)}]\n")
        if attachments:
            lines.append("attachments:\n")
            for t, att in attachments:
                lines.append(f"  - title: {scalar(t)}\n    file: {scalar(att)}\n")
        lines.append(f"# 由 gongkai import-docs 从「{table.name}」第 {number} 行导入\n")
        lines.append("---\n\n")
        p.text = "".join(lines) + body.rstrip() + "\n"
        if md.exists():
            # files imported before the id line was written out count as unchanged
            # and the line naming the table and row it came from does not count: the same document in another
            # export (公开目录2.xlsx, another row) is not a different document
            now = _without_origin(md.read_text(encoding="utf-8"))
            text = _without_origin(p.text)
            same = now in (text, text.replace(f"id: {scalar(doc_id)}\n", "", 1)) and all(
                d.exists() and d.read_bytes() == (s if isinstance(s, bytes) else s.read_bytes()) for d, s in p.files.items())
            p.action = "unchanged" if same else ("overwrite" if force else "skip")
        planned.append(p)
    return DocImport(planned, problems, count, ignored, other_sheet_note(table, chosen, "公开目录") if chosen else "")


def write_import(result: DocImport) -> None:
    """Write the planned documents (new, and overwritten with --force); each file through a temporary name."""
    from gongkai.build.cache import write_atomic

    for p in result.planned:
        if p.action not in ("new", "overwrite"):
            continue
        for dest, src in p.files.items():
            dest.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(src, bytes):
                write_atomic(dest, src)
            else:
                tmp = dest.with_name(f".{dest.name}.tmp")
                shutil.copyfile(src, tmp)
                tmp.replace(dest)
        p.md.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(p.md, p.text.encode("utf-8"))

