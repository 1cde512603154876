"""Exports: data/documents.json, data/documents.csv (UTF-8 BOM for Excel) and Atom feeds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import REPO
from gongkai.build import exports
from gongkai.load.loader import load_catalogue

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(REPO, dt.date(2026, 11, 24))


def test_json_lists_exactly_the_published_documents(cat, example_site):
    data = json.loads((example_site / "data" / "documents.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == [d.id for d in sorted(cat.published_documents, key=lambda d: (d.published, d.id), reverse=True)]
    assert data["count"] == len(cat.published_documents)
    assert data["build_date"] == "2026-11-24"
    rec = next(d for d in data["documents"] if d["id"] == "szmz-2024-3")
    doc = cat.document("szmz-2024-3")
    assert rec["index_no"] == doc.index_no and rec["doc_number"] == "示民规〔2024〕3号"
    assert rec["url"] == "https://mzj.example.gov.cn/zfxxgk/documents/szmz-2024-3.html"
    assert (example_site / rec["href"]).is_file()
    assert rec["validity"] == "现行有效" and rec["expires"] == "2029-04-14"
    assert rec["interpretations"] == ["szmz-2024-3-jd"]
    assert {"path": "zcwj", "name": "政策文件"} in rec["columns"]
    default = next(d for d in data["documents"] if d["id"] == "szmz-2026-2")
    assert default["expires"] == "2028-04-15" and default["expires_default"] is True


def test_csv_opens_in_excel_and_matches_the_json(cat, example_site):
    raw = (example_site / "data" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads Chinese correctly
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == exports.CSV_HEADER
    data = json.loads((example_site / "data" / "documents.json").read_text(encoding="utf-8"))
    assert [r["索引号"] for r in rows] == [d["index_no"] for d in data["documents"]]
    assert [r["网址"] for r in rows] == [d["url"] for d in data["documents"]]
    row = next(r for r in rows if r["文号"] == "示民规〔2019〕4号")
    assert row["有效性"] == "已废止" and row["行政规范性文件"] == "是"


def _feed(path):
    return etree.parse(str(path)).getroot()


def test_site_feed_is_valid_atom_newest_first(cat, example_site):
    root = _feed(example_site / exports.SITE_FEED)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    newest = sorted(cat.published_documents, key=lambda d: (d.published, d.id), reverse=True)[:exports.FEED_SIZE]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [d.title for d in newest]
    assert root.findtext(f"{ATOM}updated") == newest[0].published.isoformat() + "T00:00:00+08:00"
    for e in entries:  # required Atom elements
        assert e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}updated") and e.find(f"{ATOM}link").get("href").startswith("https://")


def test_one_feed_per_documents_column_linked_from_its_page(cat, example_site):
    cols = exports.feed_columns(cat)
    assert len(cols) >= 20
    for col in cols:
        path = example_site / exports.column_feed_path(col)
        entries = _feed(path).findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}id").rsplit("/", 1)[1] for e in entries] == [d.href.rsplit("/", 1)[1] for d in cat.documents_in(col)]
        page = BeautifulSoup((example_site / col.href).read_text(encoding="utf-8"), "lxml")
        link = page.select_one('a[type="application/atom+xml"]')
        if cat.documents_in(col):
            assert (example_site / col.href).parent.joinpath(link["href"]).resolve() == path.resolve()


def test_exports_are_deterministic(cat, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert exports.write_exports(cat, a) == exports.write_exports(cat, b)
    for rel in exports.write_exports(cat, a):
        assert (a / rel).read_bytes() == (b / rel).read_bytes()


def test_indented_json_writer_is_json_dumps(cat):
    """The fast writer gives exactly json.dumps(…, ensure_ascii=False, indent=1)."""
    samples = [exports.document_records(cat), {"a": "\u2028<&>\"\\\x00\x1f中文", "b": [], "c": {}, "d": [{}, [1, -2]],
                                                "e": None, "f": True, "g": False, "h": 1.5}]
    for value in samples:
        assert exports.dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_cached_exports_are_the_fresh_ones_and_follow_a_change(cat, tmp_path):
    import dataclasses

    from gongkai.build.cache import BuildCache

    fresh = tmp_path / "fresh"
    paths = exports.write_exports(cat, fresh)
    for name in ("first", "second"):  # the second build links everything from the cache
        cache = BuildCache(tmp_path / "cache")
        assert exports.write_exports(cat, tmp_path / name, cache) == paths
        cache.finish()
        for rel in paths:
            assert (tmp_path / name / rel).read_bytes() == (fresh / rel).read_bytes(), rel
    doc = sorted(cat.published_documents, key=lambda d: (d.published, d.id))[-1]  # in the site feed
    changed = dataclasses.replace(doc, title=doc.title + "（修订）")
    cat2 = dataclasses.replace(cat, documents=[changed if d is doc else d for d in cat.documents])
    cache = BuildCache(tmp_path / "cache")
    exports.write_exports(cat2, tmp_path / "third", cache)
    exports.write_exports(cat2, tmp_path / "fresh2")
    for rel in paths:
        assert (tmp_path / "third" / rel).read_bytes() == (tmp_path / "fresh2" / rel).read_bytes(), rel
    assert changed.title in (tmp_path / "third" / exports.JSON_PATH).read_text(encoding="utf-8")
    assert changed.title in (tmp_path / "third" / exports.SITE_FEED).read_text(encoding="utf-8")
