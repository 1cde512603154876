"""公开属性: a 依申请公开 or 不予公开 document appears in no output file — pages, lists, exports, feeds,
sitemap, search data — and its attachments are not copied."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from conftest import make_site, run_build

COLUMNS = """\
columns:
  - name: 政策文件
    id: zcwj
    kind: policies
  - name: 部门文件
    id: bmwj
    kind: documents
  - name: 政策解读
    id: zcjd
    kind: documents
"""

# every field a withheld document could leak through carries its own marker
SECRETS = {
    "ysq": "依申请公开",
    "bygk": "不予公开",
}


def secret_doc(key: str, disclosure: str) -> str:
    m = f"ZZSECRET{key.upper()}"
    return f"""\
---
title: {m}TITLE 关于机密事项{key}甲乙的通知
doc_number: {m}NUM〔2024〕1号
publisher: {m}PUB
published: 2024-05-0{1 if key == 'ysq' else 2}
topic: 综合政务
summary: {m}SUMMARY
columns: [zcwj, bmwj]
disclosure: {disclosure}
normative: true
attachments:
  - title: {m}ATTTITLE
    file: ../files/{key}-att.txt
---

{m}BODY 正文内容不得公开。
"""


DOCS = {
    "pub-a.md": """\
---
title: ZZPUBLICMARK 公开的办法
doc_number: 示民规〔2024〕2号
published: 2024-04-01
columns: [zcwj, bmwj]
normative: true
status: 废止
replaced_by: s-bygk
---

公开正文 ZZPUBLICBODY。
""",
    "pub-jd.md": """\
---
title: ZZPUBLICMARK 解读
published: 2024-05-03
columns: [zcjd]
interprets: s-ysq
---

解读正文。
""",
    "s-ysq.md": secret_doc("ysq", "依申请公开"),
    "s-bygk.md": secret_doc("bygk", "不予公开"),
}
PAGES = {"files/ysq-att.txt": "ZZSECRETYSQATTFILE\n", "files/bygk-att.txt": "ZZSECRETBYGKATTFILE\n"}


def _texts(data: bytes) -> list[bytes]:
    """The bytes of a file, and their decompressed form when the file is gzip/zlib-compressed (search indexes)."""
    out = [data]
    if data[:2] == b"\x1f\x8b":
        try:
            out.append(gzip.decompress(data))
        except (OSError, EOFError):
            pass
    else:
        try:
            out.append(zlib.decompress(data))
        except zlib.error:
            pass
    return out


def _needles(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.lower().encode("utf-8"), json.dumps(marker).strip('"').encode("ascii")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("disclosure"), COLUMNS, DOCS, pages=PAGES)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _scan(site: Path, markers: list[str]) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        for blob in _texts(path.read_bytes()):
            low = blob.lower()
            for m in markers:
                if any(n in blob or n.lower() in low for n in _needles(m)):
                    hits.setdefault(m, []).append(path.relative_to(site).as_posix())
    return hits


def test_no_output_file_contains_a_withheld_document(built):
    markers = [f"ZZSECRET{k.upper()}{part}" for k in SECRETS for part in
               ("TITLE", "NUM", "PUB", "SUMMARY", "ATTTITLE", "BODY", "ATTFILE")]
    markers += ["关于机密事项ysq甲乙的通知", "关于机密事项bygk甲乙的通知", "正文内容不得公开"]
    files = [p for p in built.rglob("*") if p.is_file()]
    assert len(files) > 20
    assert _scan(built, markers) == {}


def test_the_scan_can_see_public_documents(built):
    # the same scan finds public text in pages, exports, feeds: a withheld marker would be found too
    hits = _scan(built, ["ZZPUBLICMARK", "ZZPUBLICBODY"])
    where = set(hits["ZZPUBLICMARK"])
    assert {"zcwj/index.html", "bmwj/index.html", "data/documents.json", "data/documents.csv",
            "feeds/index.xml", "feeds/columns/zcwj.xml", "documents/pub-a.html"} <= where
    assert "documents/pub-a.html" in hits["ZZPUBLICBODY"]
    # the full-text index's result metadata holds titles: a withheld title would be found there too
    assert any(p.startswith("search/index/m/") for p in hits["ZZPUBLICMARK"])


def test_no_page_url_or_link_for_withheld_documents(built):
    assert not (built / "documents" / "s-ysq.html").exists()
    assert not (built / "documents" / "s-bygk.html").exists()
    assert not (built / "files").exists() or not any((built / "files").iterdir())
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "s-ysq" not in text and "s-bygk" not in text, path


def test_exports_list_exactly_the_published_documents(built):
    data = json.loads((built / "data" / "documents.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in data["documents"]) == ["pub-a", "pub-jd"]
    assert data["count"] == 2
    by = {d["id"]: d for d in data["documents"]}
    assert by["pub-a"]["replaced_by"] == "" and by["pub-jd"]["interprets"] == ""
