"""gongkai.build.redirects: the pages written at old column URLs (in process, from a column tree and record entries).

Through gongkai lock, mkdocs build and Chromium: tests/e2e/test_redirects.py.
"""

from __future__ import annotations

import json
import posixpath
import re
import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import build_in_process, cli, columns_of, make_site
from gongkai.build import redirects
from gongkai.build.redirects import OldPage
from gongkai.model import RecordedUrl as Entry

COLUMNS = """\
columns:
  - name: 法定主动公开内容
    children:
      - name: 部门文件
      - name: 规划计划
  - name: 监督保障
    children:
      - name: 工作推进
      - name: 部门文件
"""


def roots_of(tmp_path):
    return columns_of(tmp_path, COLUMNS)


def by_path(roots: list, path: str):
    return next(c for r in roots for c in r.walk() if c.path == path)


def test_old_pages_redirect_or_say_withdrawn(tmp_path):
    roots = roots_of(tmp_path)
    entries = [Entry("fdzdgknr/index.html", "fdzdgknr", "法定主动公开内容"),  # live: no page
               Entry("old/ghjh/index.html", "ghjh", "规划计划"),  # moved: redirect
               Entry("old/bmwj/index.html", "bmwj", "部门文件"),  # bmwj is ambiguous: withdrawn
               Entry("old/qhdm/index.html", "qhdm", "区划地名")]  # gone: withdrawn
    pages = redirects.old_pages(entries, roots)
    assert [(p.url, p.name, p.target.href if p.target else None) for p in pages] == [
        ("old/bmwj/index.html", "部门文件", None),
        ("old/ghjh/index.html", "规划计划", "fdzdgknr/ghjh/index.html"),
        ("old/qhdm/index.html", "区划地名", None)]


def test_redirect_page_is_relative_escaped_and_not_indexed(tmp_path):
    target = by_path(roots_of(tmp_path), "fdzdgknr/ghjh")
    text = redirects.render_old_page(OldPage("a/b/c/index.html", "<规划>", target), "某局&<x>")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../../../fdzdgknr/ghjh/index.html"
    assert soup.find("link", rel="canonical")["href"] == "../../../fdzdgknr/ghjh/index.html"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("a", id="gk-redirect").get_text() == "法定主动公开内容 / 规划计划"
    assert soup.title.get_text() == "栏目地址已变更 - 某局&<x>"
    assert "「<规划>」" in soup.get_text() and "<规划>" not in text  # escaped in the markup


def test_withdrawn_page_links_the_catalogue_and_home():
    text = redirects.render_old_page(OldPage("x/y/index.html", "区划地名", None), "示例局")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.h1.get_text() == "本栏目已撤销"
    assert soup.find("a", id="gk-catalogue")["href"] == "../../bzml/index.html"
    assert [a["href"] for a in soup.find_all("a")] == ["../../bzml/index.html", "../../index.html"]
    assert soup.find("meta", attrs={"http-equiv": "refresh"}) is None


def test_a_moved_columns_extra_pages_redirect_to_the_same_page(tmp_path):
    roots = roots_of(tmp_path)
    entries = [Entry("old/ghjh/index.html", "ghjh", "规划计划"), Entry("old/qhdm/index.html", "qhdm", "区划地名")]
    paged = {"fdzdgknr/ghjh": [("fdzdgknr/ghjh/page-2.html", "规划计划（第 2 页）"),
                               ("fdzdgknr/ghjh/page-3.html", "规划计划（第 3 页）")]}
    pages = redirects.old_pages(entries, roots, paged)
    assert [(p.url, p.to if p.target else None) for p in pages] == [
        ("old/ghjh/index.html", "fdzdgknr/ghjh/index.html"),
        ("old/ghjh/page-2.html", "fdzdgknr/ghjh/page-2.html"),
        ("old/ghjh/page-3.html", "fdzdgknr/ghjh/page-3.html"),
        ("old/qhdm/index.html", None)]  # a withdrawn column: its page count is unknown, its column page only
    soup = BeautifulSoup(redirects.render_old_page(pages[2], "某局"), "html.parser")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../../fdzdgknr/ghjh/page-3.html"
    assert soup.find("a", id="gk-redirect").get_text() == "规划计划（第 3 页）"


# --- a real build: a paged documents column and a paged 政策文件 column moved into a section ---------------------

MOVED_DOCS = 320  # over paging.ONE_PAGE_MAX: four pages


def _build_moved(root: Path, day: str, new_columns: str) -> None:
    assert cli(root, "lock").returncode == 0  # the record of the column addresses before the move
    (root / "catalog" / "columns.yml").write_text(new_columns, encoding="utf-8")
    assert cli(root, "lock").returncode == 0  # the move recorded: the old addresses stay in the record
    build_in_process(root, day, {"GONGKAI_SEARCH": "0"})


def _sitemap(site: Path) -> dict[str, str]:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    base = "https://test.example.gov.cn/"
    return {loc.removeprefix(base): mod for loc, mod in re.findall(r"<loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", text)}


def _redirect_of(site: Path, rel: str) -> str:
    """The site-relative address the old page at rel refreshes to (checked to be a redirect page)."""
    soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == "栏目地址已变更"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    to = soup.find("meta", attrs={"http-equiv": "refresh"})["content"].removeprefix("0; url=")
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), to))


def test_moved_paged_documents_column_keeps_every_page_address(tmp_path):
    from fixtures.column_large import COLUMNS, DAY, documents

    root = make_site(tmp_path / "s", COLUMNS, documents(MOVED_DOCS))
    # 政策解读 (zcjd) moved out of 政策文件 into a section of its own
    moved = COLUMNS.replace("""      - name: 政策解读
        id: zcjd
        kind: documents
        frequency: 及时更新
        office: 办公室
""", "") + """  - name: 解读回应
    id: jdhy
    kind: section
    children:
      - name: 政策解读
        id: zcjd
        kind: documents
        frequency: 及时更新
        office: 办公室
"""
    _build_moved(root, DAY.isoformat(), moved)
    site = root / "site"
    new = sorted(p.name for p in (site / "jdhy" / "zcjd").glob("page-*.html"))
    assert new == ["page-2.html", "page-3.html", "page-4.html"]
    assert not (site / "zcwj" / "zcjd" / "page-5.html").exists()
    assert _redirect_of(site, "zcwj/zcjd/index.html") == "jdhy/zcjd/index.html"
    for name in new:  # each old page address leads to the same page at the new address
        assert _redirect_of(site, f"zcwj/zcjd/{name}") == f"jdhy/zcjd/{name}"
    # the manifest says why each old page is there (gongkai publish relies on every file having a reason)
    kinds = {e["path"]: e["kind"] for e in json.loads((root / "site.manifest.json").read_text(encoding="utf-8"))["entries"]}
    for name in ["index.html", *new]:
        assert kinds[f"zcwj/zcjd/{name}"] == "redirect"
    # the sitemap lists the new pages 2 … with the column's date, none of the redirects
    sitemap = _sitemap(site)
    for name in new:
        assert sitemap[f"jdhy/zcjd/{name}"] == sitemap["jdhy/zcjd/index.html"]
    assert not [u for u in sitemap if u.startswith("zcwj/zcjd/")]


def test_moved_paged_policies_column_keeps_its_list_and_browse_addresses(tmp_path):
    from fixtures.policies_large import COLUMNS, DAY, documents

    root = make_site(tmp_path / "s", COLUMNS, documents(MOVED_DOCS))
    moved = """\
columns:
  - name: 政策
    id: zc
    kind: section
    children:
      - name: 政策文件
        id: zcwj
        kind: policies
        description: 本机关行政规范性文件和其他政策文件。
  - name: 政策解读
    id: zcjd
"""
    _build_moved(root, DAY.isoformat(), moved)
    site = root / "site"
    written = sorted(p.name for p in (site / "zc" / "zcwj").glob("*.html") if p.name != "index.html")
    assert "others-2.html" in written and any(n.startswith("year-") for n in written)
    for name in written:  # every extra page: the paged lists and the browse pages
        assert _redirect_of(site, f"zcwj/{name}") == f"zc/zcwj/{name}"
    sitemap = _sitemap(site)
    assert sorted(u.removeprefix("zc/zcwj/") for u in sitemap if u.startswith("zc/zcwj/")) == sorted([*written, "index.html"])


# --- a warm build writes what a cold build writes: a page at a moved column's old address -----------------------

LISTS_V1 = """\
columns:
  - name: 救助对象公示
    id: jzdxgs
    kind: section
    children:
      - name: 低保工作
        id: dibao
        kind: documents
        frequency: 及时更新
        office: 社会救助科
"""

# 低保工作 moved to the top level; 救助对象公示 became a lists column whose list `dibao` has its pages in the
# folder the column left (jzdxgs/dibao/index.html, page-2.html): the redirect from the old address must not
# replace them
LISTS_V2 = """\
columns:
  - name: 救助对象公示
    id: jzdxgs
    kind: lists
  - name: 低保工作
    id: dibao
    kind: documents
    frequency: 及时更新
    office: 社会救助科
"""

LIST_DOC = """\
---
title: 关于做好最低生活保障工作的通知
published: 2026-06-30
columns: [dibao]
---

正文。
"""


def test_a_warm_build_keeps_the_page_a_cold_build_keeps_at_an_old_address(tmp_path):
    """The redirect at a moved column's old address is left out where the build has a page of its own there: a page
    the build claimed from the kept previous tree (gongkai/build/staging.py) counts as much as one it wrote into
    the staging folder. Asking only whether the staging folder holds the file, a warm build (whose list pages are
    claimed, not written) put the redirect over them where a cold build kept them."""
    from fixtures.lists.shapes import BIG_LISTS, DIBAO_HEADER, dibao_rows, write_xlsx

    from conftest import cold_copy, same_site

    root = make_site(tmp_path / "s", LISTS_V1, {"dibao.md": LIST_DOC})
    assert cli(root, "lock").returncode == 0
    build_in_process(root, extra_env={"GONGKAI_SEARCH": "0"})
    (root / "catalog" / "columns.yml").write_text(LISTS_V2, encoding="utf-8")
    # the fixtures' first list, as `dibao` in the lists column jzdxgs
    lists = BIG_LISTS.split("  - id: dibao-old")[0].replace("dibao-big", "dibao")
    (root / "catalog" / "lists.yml").write_text(textwrap.dedent(lists), encoding="utf-8")
    write_xlsx(root / "content" / "lists" / "dibao.xlsx", [*DIBAO_HEADER, "备注"], [[*r, ""] for r in dibao_rows(60)],
               sheet="公示名单", title="2026年11月城乡最低生活保障对象公示名单")
    r = cli(root, "lock")
    assert r.returncode == 0, r.stdout + r.stderr
    assert '"jzdxgs/dibao/index.html": {column: "dibao"' in (root / "catalog" / "urls.lock.yml").read_text(encoding="utf-8")
    cold = cold_copy(root, tmp_path / "cold")
    build_in_process(cold, extra_env={"GONGKAI_SEARCH": "0"})
    for name in ("index.html", "page-2.html"):  # the list's pages, not redirects
        assert "栏目地址已变更" not in (cold / "site" / "jzdxgs" / "dibao" / name).read_text(encoding="utf-8")
    # the first build of v2 writes everything; each later one claims what the kept tree (two builds old) holds
    for _ in range(4):
        config = build_in_process(root, extra_env={"GONGKAI_SEARCH": "0"})
        same_site(root, cold)
    claimed = config.plugins["gongkai"].recycled.claimed
    assert "jzdxgs/dibao/index.html" in claimed and "jzdxgs/dibao/page-2.html" in claimed
