"""Real .docx, .xlsx and .pdf files made from transcribed text, for the importer and privacy gate tests.

Made with the libraries Office-compatible files are made with (python-docx, openpyxl, reportlab), so the files
are what Word, WPS and a PDF printer produce structurally: paragraphs with heading styles, numbered lists,
tables with merged cells, an embedded picture, headers; a PDF with a real text layer (an embedded TrueType
subset) or without one (a page that is only a picture, as a scan is).
"""

from __future__ import annotations

import io
from pathlib import Path

FONT = Path(__file__).resolve().parent.parent / "gongkai" / "build" / "fonts" / "NotoSansSC-Regular-subset.ttf"


def png(color: tuple[int, int, int] = (20, 60, 140), size: tuple[int, int] = (60, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def make_docx(path: Path, blocks: list, header: str = "") -> Path:
    """blocks: ("h1"|"h2"|"p"|"li"|"ol", text) or ("table", rows, merges) or ("image", png bytes)."""
    import docx
    from docx.shared import Cm

    d = docx.Document()
    if header:
        d.sections[0].header.paragraphs[0].text = header
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            d.add_heading(block[1], level=1)
        elif kind == "h2":
            d.add_heading(block[1], level=2)
        elif kind == "p":
            d.add_paragraph(block[1])
        elif kind == "li":
            d.add_paragraph(block[1], style="List Bullet")
        elif kind == "ol":
            d.add_paragraph(block[1], style="List Number")
        elif kind == "table":
            rows, merges = block[1], block[2] if len(block) > 2 else []
            table = d.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    if text is not None:
                        table.cell(r, c).text = text
            for (r1, c1), (r2, c2) in merges:
                table.cell(r1, c1).merge(table.cell(r2, c2))
        elif kind == "image":
            d.add_picture(io.BytesIO(block[1]), width=Cm(4))
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def make_pdf(path: Path, pages: list[list[str]], text_layer: bool = True) -> Path:
    """A PDF with one page per list of lines; without a text layer, each page is only a picture (a scan)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("NotoSansSC", str(FONT)))
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for lines in pages:
        if text_layer:
            c.setFont("NotoSansSC", 12)
            y = 800
            for line in lines:
                c.drawString(60, y, line)
                y -= 20
        else:
            c.drawImage(ImageReader(io.BytesIO(png((230, 230, 230), (200, 280)))), 60, 400, 200, 280)
        c.showPage()
    c.save()
    return path
