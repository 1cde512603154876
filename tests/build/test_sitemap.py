"""gongkai.build.sitemap: sitemap.xml lists every page meant to be found and nothing else, and above the protocol's
limits (50,000 addresses, 50 MB per file) becomes a sitemap index of parts split so that a change rewrites only
the parts it shows in.

The limits are a parameter of sitemap.write: the tests lower them on the example bureau instead of building
50,000 pages (the plugin's call is given the lowered limits for the builds through MkDocs).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit
from gongkai.build import sitemap
from gongkai.build.cache import BuildCache
from gongkai.build.pages import SitePlan
from gongkai.build.render import Renderer
from gongkai.load.loader import load_catalogue

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DAY = dt.date.fromisoformat(BUILD_DATE)
# a body-only change: the sitemap prints no body
BODY_ONLY = ("content/documents/2022/szmz-2022-2.md", "制定本办法。", "制定本办法。本办法由示例市民政局负责解释。")


def add_document(root: Path, doc_id: str = "szmz-2026-xz", published: str = "2026-11-23") -> None:
    """A document in 部门文件 (by default the newest of the site)."""
    year = published[:4]
    (root / f"content/documents/{year}/{doc_id}.md").parent.mkdir(exist_ok=True)
    (root / f"content/documents/{year}/{doc_id}.md").write_text(
        f"---\ntitle: 关于公布第四季度临时救助对象名单的通知（{doc_id}）\npublisher: 示例市民政局\n"
        f"index_no: 11330100002489999F/{year}-00099\npublished: {published}\ncolumns: [bmwj]\n---\n\n名单见附件。\n",
        encoding="utf-8")


# --- reading a built site ---------------------------------------------------------------------------------


def read_sitemaps(site: Path, base: str) -> tuple[dict[str, str], list[str]]:
    """(address -> lastmod of every listed page, the part files of an index ([] for a single sitemap.xml)).
    Checks the protocol on the way: the namespace, at most one level of index, parts beside sitemap.xml and
    listed once, no address twice, every address under the site's address."""
    root = ET.parse(site / "sitemap.xml").getroot()
    parts: list[str] = []
    if root.tag == NS + "sitemapindex":
        files = []
        for s in root.findall(NS + "sitemap"):
            loc = s.findtext(NS + "loc")
            assert loc and loc.startswith(base) and "/" not in loc.removeprefix(base), loc  # beside sitemap.xml
            name = loc.removeprefix(base)
            lastmod = s.findtext(NS + "lastmod")
            files.append((name, lastmod))
        parts = [name for name, _ in files]
        assert len(set(parts)) == len(parts)
        urlsets = []
        for name, lastmod in files:
            part = ET.parse(site / name).getroot()
            assert part.tag == NS + "urlset", name
            mods = [u.findtext(NS + "lastmod") for u in part.findall(NS + "url")]
            assert mods and lastmod == max(mods), name  # the index dates a part by its newest entry
            urlsets.append(part)
    else:
        assert root.tag == NS + "urlset"
        urlsets = [root]
    listed: dict[str, str] = {}
    for urlset in urlsets:
        for u in urlset.findall(NS + "url"):
            loc, lastmod = u.findtext(NS + "loc"), u.findtext(NS + "lastmod")
            assert loc and loc.startswith(base), loc
            href = loc.removeprefix(base)
            assert href not in listed, f"listed twice: {href}"
            assert lastmod is not None and dt.date.fromisoformat(lastmod) <= DAY, (href, lastmod)
            listed[href] = lastmod
    return listed, parts


ROBOTS = re.compile(r'<meta name="robots" content="([^"]*)"')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)"')


def html_pages(site: Path) -> dict[str, str]:
    """Site-relative path -> text of every HTML page of the built site."""
    out = {}
    for dirpath, _, names in os.walk(site):
        for name in names:
            if name.endswith(".html"):
                full = Path(dirpath) / name
                out[full.relative_to(site).as_posix()] = full.read_text(encoding="utf-8")
    return out


def check_against_site(site: Path, base: str) -> tuple[dict[str, str], set[str], list[str]]:
    """The sitemap(s) of a built site against its pages: every listed address is a page of the site whose canonical
    address is the listed one, and every page that does not ask search engines to stay away (noindex) is listed.
    Returns (listed, the pages not to be indexed, the part files)."""
    listed, parts = read_sitemaps(site, base)
    pages = html_pages(site)
    missing = sorted(set(listed) - set(pages))
    assert not missing, f"listed but not built: {missing}"
    noindex = set()
    for rel, text in pages.items():
        head = text[:text.find("</head>")]
        robots = ROBOTS.search(head)
        if robots and "noindex" in robots.group(1):
            noindex.add(rel)
            assert rel not in listed, f"listed, but the page says noindex: {rel}"
            continue
        assert rel in listed, f"an indexable page missing from the sitemap: {rel}"
        canonical = CANONICAL.search(head)
        assert canonical and canonical.group(1) == base + rel, rel
    return listed, noindex, parts


# --- the example bureau through MkDocs --------------------------------------------------------------------


@pytest.fixture
def lowered(monkeypatch):
    """The plugin's call to sitemap.write with lowered limits (each part at most `urls` addresses)."""
    def lower(urls: int) -> None:
        monkeypatch.setattr(sitemap, "write", functools.partial(original, limits=sitemap.Limits(urls=urls)))

    original = sitemap.write
    return lower


def sitemap_files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in site.iterdir() if p.name.startswith("sitemap")}


def test_example_sitemap_lists_every_page_meant_to_be_found_and_splits_into_an_index(tmp_path, lowered, monkeypatch):
    root = copy_example(tmp_path / "bureau")
    base = load_catalogue(root, DAY).site.site_url
    # pages that must not be listed besides the 404 page and the 公示名单: a redirect at a moved column's old
    # address, the notice of a withdrawn column, the notice at a withdrawn document's address
    edit(root / "catalog/urls.lock.yml", "urls:\n", 'urls:\n  "old/ghjh/index.html": {column: "ghjh", name: "规划计划"}\n'
         '  "qhdm-old/index.html": {column: "qhdmjl", name: "区划地名记录"}\n')
    (root / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - {id: szmz-2021-6, date: 2026-11-20, reason: 内容有误}\n", encoding="utf-8")
    env = {"GONGKAI_SEARCH": "0"}
    build_in_process(root, extra_env=env)
    site = root / "site"
    listed, noindex, parts = check_against_site(site, base)
    assert parts == []
    assert {"404.html", "old/ghjh/index.html", "qhdm-old/index.html", "documents/szmz-2021-6.html",
            "zdlyxxgk/shjzhshfl/jzdxgs/dibao-2026-11/index.html",
            "zdlyxxgk/shjzhshfl/jzdxgs/dibao-2026-11/page-2.html"} == noindex
    # the pages this change added to the sitemap: the site's own pages, and the lists that may be indexed
    for href in ("about/sitemap/index.html", "about/contact/index.html", "about/privacy/index.html",
                 "about/terms/index.html", "accessibility/index.html", "search/index.html"):
        assert listed[href] == BUILD_DATE
    assert listed["fdzdgknr/sgs/xzxk-2026/index.html"] == "2026-11-18"  # the list's publication date
    assert listed["documents/szmz-2022-2.html"] == "2022-04-11"
    single = (site / "sitemap.xml").read_bytes()
    assert sitemap.gzipped(single) == (site / "sitemap.xml.gz").read_bytes()

    # above the limit: an index of parts, the same addresses and dates; the manifest says why each part is there
    lowered(20)
    build_in_process(root, extra_env=env)
    split, _, parts = check_against_site(site, base)
    assert split == listed
    n_pages = len([h for h in listed if not h.startswith("documents/")])
    assert parts[:-(-n_pages // 20)] == ["sitemap-pages.xml", *(f"sitemap-pages-{k}.xml" for k in range(2, -(-n_pages // 20) + 1))]
    years = sorted({d[:4] for h, d in listed.items() if h.startswith("documents/")})
    assert years[-1] == "2026"
    assert [p for p in parts if p.startswith("sitemap-documents-")] == [  # by year, a year's pieces in order
        *(f"sitemap-documents-{y}.xml" for y in years), "sitemap-documents-2026-2.xml"]
    assert all(len(ET.parse(site / p).getroot()) <= 20 for p in parts)
    manifest = json.loads((root / "site.manifest.json").read_text(encoding="utf-8"))
    kinds = {e["path"]: e["kind"] for e in manifest["entries"]}
    assert {kinds[p] for p in ["sitemap.xml", "sitemap.xml.gz", *parts]} == {"sitemap"}
    before = sitemap_files(site)

    # a document added: its year's last part, the pages part with its column's date and the index change; every
    # other part is the same file. A warm build writes what a cold one does.
    add_document(root)
    build_in_process(root, extra_env=env)
    listed, _, parts = check_against_site(site, base)
    assert listed["documents/szmz-2026-xz.html"] == "2026-11-23"
    after = sitemap_files(site)
    changed = {name for name in after if before.get(name) != after[name]}
    assert {"sitemap.xml", "sitemap.xml.gz", "sitemap-documents-2026-2.xml"} <= changed
    assert not {p for p in changed if p.startswith("sitemap-documents-") and p != "sitemap-documents-2026-2.xml"}
    cold = cold_copy(root, tmp_path / "cold")
    build_in_process(cold, extra_env=env)
    assert sitemap_files(cold / "site") == after

    # back under the limit: one sitemap.xml again, no part left behind, the same as a cold build's
    monkeypatch.undo()
    build_in_process(root, extra_env=env)
    assert sorted(sitemap_files(site)) == ["sitemap.xml", "sitemap.xml.gz"]
    assert read_sitemaps(site, base)[0] == listed
    build_in_process(cold, extra_env=env)
    assert sitemap_files(cold / "site") == sitemap_files(site)


# --- the writer, without MkDocs ---------------------------------------------------------------------------


def write(root: Path, site: Path, cache_dir: Path | None, limits: sitemap.Limits) -> list[str]:
    cat = load_catalogue(root, DAY)
    plan = SitePlan(cat, Renderer(root, None))
    plan.plans()  # the paged columns' extra pages are in the sitemap
    cache = BuildCache(cache_dir)
    site.mkdir(parents=True, exist_ok=True)
    paths = sitemap.write(plan, site, cache, limits)
    cache.finish()
    return paths


def test_one_file_up_to_the_limit_and_an_index_above_it(tmp_path):
    root = copy_example(tmp_path / "bureau")
    cat = load_catalogue(root, DAY)
    plan = SitePlan(cat, Renderer(root, None))
    plan.plans()
    pages = sitemap.entries(plan)
    n = len(pages)
    assert write(root, tmp_path / "at", None, sitemap.Limits(urls=n)) == ["sitemap.xml", "sitemap.xml.gz"]
    single = (tmp_path / "at/sitemap.xml").read_bytes()
    assert single == sitemap.sitemap_xml(cat.site.site_url, pages)
    assert single.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    # the byte limit counts too: exactly the file's size fits, a byte less does not
    assert write(root, tmp_path / "bytes", None, sitemap.Limits(bytes=len(single))) == ["sitemap.xml", "sitemap.xml.gz"]
    above = write(root, tmp_path / "above", None, sitemap.Limits(urls=n - 1))
    assert above[:2] == ["sitemap.xml", "sitemap.xml.gz"] and len(above) > 3
    assert (tmp_path / "above/sitemap.xml").read_bytes().startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ')
    small = len(single) - 1
    split = write(root, tmp_path / "small", None, sitemap.Limits(bytes=small))
    assert len(split) > 3
    base = cat.site.site_url
    for name in split[2:]:
        data = (tmp_path / "small" / name).read_bytes()
        assert len(data) <= small
    # whichever way it is cut, the same addresses with the same dates
    assert read_sitemaps(tmp_path / "small", base)[0] == read_sitemaps(tmp_path / "at", base)[0] == \
        read_sitemaps(tmp_path / "above", base)[0]


def test_pieces_fill_each_file_to_the_limits_in_order():
    rows = [(f"documents/d{i:03}.html", "2026-01-01") for i in range(7)]
    base = "https://x.example.gov.cn/"
    assert sitemap.pieces(base, rows, sitemap.Limits(urls=3)) == [rows[:3], rows[3:6], rows[6:]]
    line = len(sitemap._url_line(base, *rows[0]).encode())
    frame = len(sitemap.URLSET_HEAD) + len(sitemap.URLSET_FOOT)
    assert sitemap.pieces(base, rows, sitemap.Limits(bytes=frame + 2 * line)) == [rows[:2], rows[2:4], rows[4:6], rows[6:]]
    assert sitemap.pieces(base, rows, sitemap.Limits(bytes=frame + 7 * line)) == [rows]
    # escaping and UTF-8 count: an address of 「&」 and Chinese takes more bytes than characters
    odd = [("lists/名录&x.html", "2026-01-01")] * 2
    big = len(sitemap._url_line(base, *odd[0]).encode())
    assert big > len(sitemap._url_line(base, *odd[0]))
    assert sitemap.pieces(base, odd, sitemap.Limits(bytes=frame + 2 * big - 1)) == [odd[:1], odd[1:]]
    with pytest.raises(ValueError):
        sitemap.pieces(base, odd, sitemap.Limits(bytes=frame + big - 1))


def test_index_parts_warm_equal_cold_and_unchanged_parts_are_last_builds_files(tmp_path):
    """With the cache: the bytes of a build without one, and a part nothing changed is linked, not written."""
    root = copy_example(tmp_path / "bureau")
    limits = sitemap.Limits(urls=20)
    builds = 0

    def build() -> tuple[Path, set[str], set[str]]:
        nonlocal builds
        builds += 1
        warm = tmp_path / f"warm{builds}"
        paths = write(root, warm, tmp_path / "cache", limits)
        cold = cold_copy(root, tmp_path / f"cold{builds}")
        assert write(cold, cold / "site", None, limits) == paths
        for rel in paths:
            assert (warm / rel).read_bytes() == (cold / "site" / rel).read_bytes(), rel
        before = tmp_path / f"warm{builds - 1}"
        changed = {p for p in paths if not (before / p).exists() or (before / p).read_bytes() != (warm / p).read_bytes()}
        linked = {p for p in paths if (before / p).exists() and (before / p).stat().st_ino == (warm / p).stat().st_ino}
        return warm, changed, linked

    site, _, _ = build()
    paths = sorted(p.name for p in site.iterdir())
    _, changed, linked = build()  # nothing changed
    assert changed == set() and linked == set(paths)

    edit(root / BODY_ONLY[0], *BODY_ONLY[1:])
    _, changed, linked = build()
    assert changed == set() and linked == set(paths)

    # a new document, the newest: the last part of its year, the parts holding its column's pages, the index
    add_document(root)
    site, changed, linked = build()
    assert "szmz-2026-xz" in (site / "sitemap-documents-2026-2.xml").read_text(encoding="utf-8")
    assert {"sitemap.xml", "sitemap.xml.gz", "sitemap-documents-2026-2.xml"} <= changed
    assert not {p for p in changed if p.startswith("sitemap-documents-") and p != "sitemap-documents-2026-2.xml"}
    assert {p for p in paths if p.startswith("sitemap-documents-") and p != "sitemap-documents-2026-2.xml"} <= linked

    # an older year gets a document: a part of its own, no other part renamed or rewritten
    add_document(root, "szmz-2020-xz", "2020-03-02")
    site, changed, _ = build()
    assert "sitemap-documents-2020.xml" in changed
    assert not {p for p in changed if p.startswith("sitemap-documents-") and p != "sitemap-documents-2020.xml"}
    assert "documents-2026-2" in (site / "sitemap.xml").read_text(encoding="utf-8")

    # the next day: the pages without a date of their own carry it (the pages parts, the index); no document part
    day_site = tmp_path / "day"
    cat = load_catalogue(root, DAY + dt.timedelta(days=1))
    plan = SitePlan(cat, Renderer(root, None))
    plan.plans()
    day_site.mkdir()
    sitemap.write(plan, day_site, None, limits)
    for p in site.iterdir():
        same = (day_site / p.name).read_bytes() == p.read_bytes()
        assert same == p.name.startswith("sitemap-documents-"), p.name


def test_list_pages_date_is_the_day_they_last_changed(tmp_path):
    """A list's pages change when it is published and when a record's term ends and it leaves them."""
    from gongkai.listmodel import DataList, Row

    lst = DataList("x", "名录", "c", "lists/x.xlsx", "", "名录", dt.date(2026, 3, 1))
    lst.rows = [Row(1, [], until=dt.date(2026, 5, 9)), Row(2, [], until=dt.date(2026, 12, 31)), Row(3, [])]
    assert sitemap.list_date(lst, dt.date(2026, 5, 9)) == dt.date(2026, 3, 1)  # still shown on its last day
    assert sitemap.list_date(lst, dt.date(2026, 5, 10)) == dt.date(2026, 5, 10)
    assert sitemap.list_date(lst, dt.date(2026, 11, 24)) == dt.date(2026, 5, 10)
