"""The 政府信息公开申请表, for 公民 and for 法人或者其他组织: a printable PDF drawn with the embedded poster font
(the same fonts and reportlab set-up as build/posters.py: every character is drawn, no font needed on the
reader's computer) and a DOCX (python-docx) that staff and applicants can fill in on a computer.

Both are deterministic: same site.yml and build date, same bytes (the PDF's dates and ID, the DOCX's core
properties and the ZIP entries' times all come from the build date).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path

from gongkai.application import (
    DELIVERY,
    FORMATS,
    FORMS,
    FORMS_DIR,
    INFO_FIELDS,
    REQUIRED_FIELDS,
    SIGNATURE,
    FormKind,
    form_name,
    form_notes,
    form_title,
)
from gongkai.build.cache import BuildCache, fingerprint
from gongkai.build.posters import _register_fonts, dated_canvas
from gongkai.model import Catalogue, ColumnKind
from gongkai.typeset import BOLD, REGULAR, SIZES, wrap
from gongkai.typeset import width as text_width

INK = (0.1, 0.1, 0.1)


def form_files(cat: Catalogue) -> list[tuple[FormKind, str, str]]:
    """(kind, format, site-relative path) of every form the site publishes: none without a 依申请公开 column, and
    no PDF while the font lacks a character it would print (checks in load/site.py, `gongkai check`)."""
    if cat.first_column(ColumnKind.APPLICATION) is None:
        return []
    rules = cat.site.application
    out = []
    for kind in FORMS:
        if rules is not None and not rules.pdf_blocked:
            out.append((kind, "PDF", f"{FORMS_DIR}/{form_name(kind, 'pdf')}"))
        out.append((kind, "DOCX", f"{FORMS_DIR}/{form_name(kind, 'docx')}"))
    return out


def _label(field: str) -> str:
    return ("* " if field in REQUIRED_FIELDS else "") + field


# --- PDF ---------------------------------------------------------------------------------------------


def pdf_bytes(cat: Catalogue, kind: FormKind) -> bytes:
    _register_fonts()
    site = cat.site
    rules = cat.site.application
    w, h = SIZES["A4"]
    buf = io.BytesIO()
    c = dated_canvas(buf, (w, h), cat.build_date, 11)  # the PDF /ID and dates from the build date
    title = form_title(site, kind)
    c.setTitle(title)
    c.setAuthor(site.name)
    c.setSubject("政府信息公开申请表")
    c.setCreator("gongkai")
    c.setProducer("gongkai")
    c.setFillColorRGB(*INK)
    c.setStrokeColorRGB(*INK)
    m = 48.0
    right = w - m
    y = h - m - 20
    size = 17.0
    while text_width(title, BOLD, size) > right - m and size > 11:
        size -= 1
    c.setFont(BOLD, size)
    c.drawCentredString(w / 2, y, title)
    y -= 26
    c.setLineWidth(0.8)
    row = 34.0
    side = 26.0  # the vertical 申请人信息 / 所需信息情况 band
    lab = 112.0
    half = (right - m - side) / 2

    def cell_text(text: str, x: float, top: float, cw: float, ch: float, font: str = REGULAR, fs: float = 10.5) -> None:
        lines = wrap(text, font, fs, cw - 8)
        c.setFont(font, fs)
        lead = fs * 1.3
        start = top - (ch - lead * len(lines)) / 2 - fs
        for i, ln in enumerate(lines):
            c.drawString(x + 4, start - i * lead, ln)

    def band(text: str, top: float, height: float) -> None:
        c.rect(m, top - height, side, height)
        c.setFont(BOLD, 11)
        n = len(text)
        step = min(15.0, (height - 8) / max(n, 1))
        first = top - (height - step * n) / 2 - 11
        for i, ch in enumerate(text):
            c.drawCentredString(m + side / 2, first - i * step, ch)

    # applicant block: fields in pairs
    pairs = [kind.fields[i:i + 2] for i in range(0, len(kind.fields), 2)]
    top = y
    block = row * (len(pairs) + 1)
    band("申请人信息", top, block)
    c.rect(m + side, top - row, right - m - side, row)
    cell_text(f"申请人类型：{kind.label}", m + side, top, right - m - side, row, BOLD)
    for r, pair in enumerate(pairs):
        t = top - row * (r + 1)
        for k, field in enumerate(pair):
            x = m + side + k * half
            c.rect(x, t - row, lab, row)
            c.rect(x + lab, t - row, half - lab, row)
            cell_text(_label(field), x, t, lab, row)
    y = top - block
    # the information asked for
    info_h = 230.0
    fmt_h = row
    block = info_h + 2 * fmt_h
    band("所需信息情况", y, block)
    x = m + side
    c.rect(x, y - info_h, lab, info_h)
    c.rect(x + lab, y - info_h, right - x - lab, info_h)
    cell_text(_label("所需信息描述") + "（" + INFO_FIELDS[0] + "）", x, y, lab, info_h, fs=9.5)
    t = y - info_h
    for label, options in (("获取信息的载体形式", FORMATS), ("获取信息的途径", DELIVERY)):
        c.rect(x, t - fmt_h, lab, fmt_h)
        c.rect(x + lab, t - fmt_h, right - x - lab, fmt_h)
        cell_text(label, x, t, lab, fmt_h, fs=9.5)
        cell_text("　".join(f"□ {o}" for o in options), x + lab, t, right - x - lab, fmt_h)
        t -= fmt_h
    y -= block
    # signature
    sig_h = 44.0
    c.rect(m, y - sig_h, side + lab, sig_h)
    cell_text(SIGNATURE[0], m, y, side + lab, sig_h)
    c.rect(m + side + lab, y - sig_h, half * 2 - lab - 110, sig_h)
    c.rect(right - 110 - lab + 40, y - sig_h, lab - 40, sig_h)
    cell_text(SIGNATURE[1], right - 110 - lab + 40, y, lab - 40, sig_h)
    c.rect(right - 110, y - sig_h, 110, sig_h)
    cell_text("　　年　月　日", right - 110, y, 110, sig_h)
    y -= sig_h + 22
    # notes
    c.setFont(BOLD, 11)
    c.drawString(m, y, "填表说明")
    y -= 16
    for i, note in enumerate(form_notes(site, rules)):
        for j, ln in enumerate(wrap(f"{i + 1}. {note}", REGULAR, 9.5, right - m - 12)):
            c.setFont(REGULAR, 9.5)
            c.drawString(m + (12 if j else 0), y, ln)
            y -= 13
    c.showPage()
    c.save()
    return buf.getvalue()


# --- DOCX --------------------------------------------------------------------------------------------


def docx_bytes(cat: Catalogue, kind: FormKind) -> bytes:
    from docx import Document as DocxDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    site = cat.site
    rules = cat.site.application
    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    title = form_title(site, kind)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(title)
    run.bold = True
    run.font.size = Pt(16)
    fields = list(kind.fields)
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row(*cells: str) -> None:
        r = table.add_row().cells
        for i, text in enumerate(cells):
            r[i].text = text

    top = table.add_row().cells
    merged = top[0].merge(top[3])
    merged.text = f"申请人信息（{kind.label}）"
    for i in range(0, len(fields), 2):
        pair = fields[i:i + 2]
        row(_label(pair[0]), "", _label(pair[1]) if len(pair) > 1 else "", "")
    info = table.add_row().cells
    info[0].text = _label("所需信息描述")
    info_cell = info[1].merge(info[3])
    info_cell.text = INFO_FIELDS[0] + "：\n\n\n\n"
    for label, options in (("获取信息的载体形式", FORMATS), ("获取信息的途径", DELIVERY)):
        r = table.add_row().cells
        r[0].text = label
        r[1].merge(r[3]).text = "　".join(f"□ {o}" for o in options)
    sig = table.add_row().cells
    sig[0].text = SIGNATURE[0]
    sig[2].text = SIGNATURE[1]
    sig[3].text = "　　年　月　日"
    doc.add_paragraph()
    head = doc.add_paragraph()
    head.add_run("填表说明").bold = True
    for i, note in enumerate(form_notes(site, rules)):
        doc.add_paragraph(f"{i + 1}. {note}")
    props = doc.core_properties
    when = dt.datetime(*cat.build_date.timetuple()[:3], tzinfo=dt.UTC)
    props.title = title
    props.author = site.name
    props.last_modified_by = site.name
    props.subject = "政府信息公开申请表"
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue(), cat.build_date)


def _fixed_zip(data: bytes, day: dt.date) -> bytes:
    """The same ZIP with every entry dated `day` (python-docx stamps the time of saving)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- publishing ----------------------------------------------------------------------------------------


def form_inputs(cat: Catalogue, kind: FormKind, fmt: str) -> tuple:
    """What one form's bytes depend on besides gongkai itself: the bureau's name, contact block and
    application rules, the build date (printed in the file's dates)."""
    return ("application-form", kind.key, fmt, cat.site.name, fingerprint(cat.site.contact),
            fingerprint(cat.site.application), cat.build_date.isoformat())


def publish(cat: Catalogue, site_dir: Path, cache: BuildCache | None = None) -> list[Path]:
    """Write site/forms/sqb-{gm,fr}.{pdf,docx} (cached like the posters)."""
    cache = cache if cache is not None else BuildCache(None)
    out = []
    makers = {"PDF": pdf_bytes, "DOCX": docx_bytes}
    for kind, fmt, rel in form_files(cat):
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        cache.put(target, functools.partial(makers[fmt], cat, kind), *form_inputs(cat, kind, fmt))
        out.append(target)
    return out
