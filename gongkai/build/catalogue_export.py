"""The whole 标准目录 as a table to download (data/catalogue.csv, data/catalogue.xlsx): one row per 公开事项, a
column without 公开事项 as one row of its own, the columns in the catalogue's order.

The headers are the ones bureaus use (and `gongkai import` reads), so the file can be handed to a 上级 or opened
in Excel/WPS as it is. 对应标准事项 names the national standard items (gongkai/standards) a row carries out — its
公开事项's `implements`, else its column's — as the 标准目录 page does: 「shjz-03 社会救助：最低生活保障 / 政策法规文件」. Bytes are deterministic: the .xlsx carries the build date, never the wall clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

from gongkai.model import Catalogue, Column, PublicItem
from gongkai.standards import item_labels

CSV_PATH = "data/catalogue.csv"
XLSX_PATH = "data/catalogue.xlsx"
HEADER = ["序号", "一级栏目", "二级栏目", "三级栏目", "更新频率", "负责科室", "公开事项", "公开内容（要素）", "公开依据",
          "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式", "公开层级", "对应标准事项", "网址"]
WIDTHS = (6, 16, 16, 16, 14, 12, 16, 30, 30, 20, 14, 20, 10, 8, 10, 30, 40)


def _row(n: int, col: Column, item: PublicItem | None, base: str, labels: dict[str, str]) -> list[str]:
    trail = [c.name for c in col.trail] + [""] * (3 - col.level)
    fields = ([item.name, item.content, item.basis, item.deadline, item.subject, "、".join(item.channels), item.audience,
               item.mode, "、".join(item.level)] if item is not None else [""] * 9)
    refs = (item.implements if item is not None and item.implements else col.implements)
    standard = "；".join(f"{ref} {labels[ref]}" if ref in labels else ref for ref in refs)
    return [str(n), *trail, col.frequency, col.office, *fields, standard, base + col.href]


def catalogue_rows(cat: Catalogue) -> list[list[str]]:
    rows: list[list[str]] = []
    labels = item_labels(cat.standards)
    for col in cat.columns():
        items: list[PublicItem | None] = list(col.items) or [None]
        for item in items:
            rows.append(_row(len(rows) + 1, col, item, cat.site.site_url, labels))
    return rows


def catalogue_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM: Excel on a Chinese PC opens it as UTF-8


def catalogue_xlsx(rows: list[list[str]], title: str, day: dt.date) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "标准目录"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([int(r[0]), *r[1:]])
    ws.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGHIJKLMNOPQ", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    stamp = dt.datetime(day.year, day.month, day.day)
    wb.properties.created = wb.properties.modified = stamp
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps every zip entry, and the document's modified time, with the wall clock: the build date instead
    iso = f"{stamp.isoformat()}Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + iso + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    return out.getvalue()
