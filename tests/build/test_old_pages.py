"""gongkai.build.redirects: the pages written at old column URLs (in process, from a column tree and record entries).

Through gongkai lock, mkdocs build and Chromium: tests/e2e/test_redirects.py.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from conftest import columns_of
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
