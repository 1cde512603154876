"""gongkai.load.urlrecord: reading, writing and updating catalog/urls.lock.yml, and the old-URL pages (in process).

The end-to-end path (gongkai lock, then mkdocs build, then the redirect in Chromium) is tests/e2e/test_redirects.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from bs4 import BeautifulSoup

from gongkai.errors import Problems
from gongkai.load import urlrecord
from gongkai.load.loader import load_columns
from gongkai.load.urlrecord import Entry, OldPage

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


def roots_of(tmp_path: Path, text: str = COLUMNS) -> list:
    (tmp_path / "catalog").mkdir(parents=True, exist_ok=True)
    (tmp_path / "catalog" / "columns.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    problems = Problems()
    roots = load_columns(tmp_path, problems)
    assert problems.items == []
    return roots


def write_lock(root: Path, text: str) -> None:
    (root / "catalog").mkdir(parents=True, exist_ok=True)
    (root / urlrecord.LOCK_REL).write_text(textwrap.dedent(text), encoding="utf-8")


def by_path(roots: list, path: str):
    return next(c for r in roots for c in r.walk() if c.path == path)


# --- identity, dump, load ---------------------------------------------------------------------------


def test_identity_is_the_id_unless_another_column_shares_it(tmp_path):
    roots = roots_of(tmp_path)
    assert urlrecord.identity(by_path(roots, "fdzdgknr/ghjh"), roots) == "ghjh"
    # 部门文件 twice (bmwj under two parents): the full path names each
    assert urlrecord.identity(by_path(roots, "fdzdgknr/bmwj"), roots) == "fdzdgknr/bmwj"
    assert urlrecord.identity(by_path(roots, "jdbz/bmwj"), roots) == "jdbz/bmwj"


def test_dump_is_sorted_one_line_per_url_and_reads_back(tmp_path):
    entries = [Entry("b/index.html", "b", "乙"), Entry("a/x/index.html", "a/x", '带"引号"的名称')]
    text = urlrecord.dump_record(entries)
    assert text.startswith(urlrecord.HEADER)
    body = text[len(urlrecord.HEADER):]
    assert body == ('urls:\n'
                    '  "a/x/index.html": {column: "a/x", name: "带\\"引号\\"的名称"}\n'
                    '  "b/index.html": {column: "b", name: "乙"}\n')
    write_lock(tmp_path, text)
    problems = Problems()
    back = urlrecord.load_record(tmp_path, problems)
    assert problems.items == []
    assert [(e.url, e.column, e.name, e.line) for e in back] == [
        ("a/x/index.html", "a/x", '带"引号"的名称', 6), ("b/index.html", "b", "乙", 7)]
    assert urlrecord.dump_record([]).endswith("urls: {}\n")


def test_no_file_is_none_and_an_empty_file_is_no_entries(tmp_path):
    assert urlrecord.load_record(tmp_path, Problems()) is None
    write_lock(tmp_path, "# 只有注释\n")
    problems = Problems()
    assert urlrecord.load_record(tmp_path, problems) == [] and problems.items == []


def test_every_mistake_in_the_record_names_its_line_and_field(tmp_path):
    write_lock(tmp_path, """\
        urls:
          "a/index.html": {column: "a", name: "甲"}
          "b/index.html": {colum: "b", name: "乙"}
          "/c/index.html": {column: "c"}
          "d/../index.html": {column: "d"}
          "e/page.html": {column: "e"}
          "f/index.html": "f"
          "g/index.html": {name: "庚"}
          "https://x.example/index.html": {column: "x"}
        extra: 1
        """)
    problems = Problems()
    entries = urlrecord.load_record(tmp_path, problems)
    assert [e.url for e in entries] == ["a/index.html", "b/index.html", "g/index.html"]
    got = [(p.line, p.field, p.message) for p in problems.errors]
    assert all(p.file == urlrecord.LOCK_REL for p in problems.items)

    def has(line, field, *words):
        return any(ln == line and fl == field and all(w in msg for w in words) for ln, fl, msg in got)

    assert has(3, "colum", "未知字段「colum」", "column")
    assert has(3, "column", "缺少必填字段「column」")  # the entry is kept, with an empty column
    assert has(4, "urls", "地址「/c/index.html」无效")
    assert has(5, "urls", "地址「d/../index.html」无效")
    assert has(6, "urls", "地址「e/page.html」无效")
    assert has(None, None, "地址「f/index.html」的记录应为键值对象")
    assert has(8, "column", "缺少必填字段「column」")
    assert has(9, "urls", "https://x.example/index.html")
    assert has(10, "extra", "未知字段「extra」")
    assert len(got) == 9


def test_urls_must_be_a_mapping(tmp_path):
    write_lock(tmp_path, "urls:\n  - a/index.html\n")
    problems = Problems()
    assert urlrecord.load_record(tmp_path, problems) == []
    [p] = problems.errors
    assert (p.line, p.field) == (1, "urls") and "应为「地址: {column: 栏目标识, name: 栏目名称}」的键值对象，实际是列表" in p.message


def test_broken_yaml_is_one_problem_with_its_line(tmp_path):
    write_lock(tmp_path, 'urls:\n  "a/index.html": {column: "a"\n')
    problems = Problems()
    assert urlrecord.load_record(tmp_path, problems) == []
    [p] = problems.errors
    assert p.file == urlrecord.LOCK_REL and p.line == 3 and "YAML 格式错误" in p.message


# --- update ------------------------------------------------------------------------------------------


def test_first_lock_records_every_column(tmp_path):
    roots = roots_of(tmp_path)
    upd = urlrecord.update_record([], roots)
    assert [(e.url, e.column, e.name) for e in upd.entries] == [
        ("fdzdgknr/bmwj/index.html", "fdzdgknr/bmwj", "部门文件"),
        ("fdzdgknr/ghjh/index.html", "ghjh", "规划计划"),
        ("fdzdgknr/index.html", "fdzdgknr", "法定主动公开内容"),
        ("jdbz/bmwj/index.html", "jdbz/bmwj", "部门文件"),
        ("jdbz/gztj/index.html", "gztj", "工作推进"),
        ("jdbz/index.html", "jdbz", "监督保障"),
    ]
    assert sorted(upd.added, key=lambda e: e.url) == upd.entries  # all new, in catalogue order
    assert upd.renamed == [] and upd.withdrawn == [] and upd.unknown_renames == []
    # locking again adds nothing
    again = urlrecord.update_record(upd.entries, roots)
    assert again.added == [] and again.entries == upd.entries


def test_a_rename_keeps_old_urls_and_never_drops_an_entry(tmp_path):
    old = urlrecord.update_record([], roots_of(tmp_path / "v1")).entries
    # 规划计划 renamed 规划与计划 (auto id ghjh -> ghyjh), 工作推进 withdrawn, 部门文件 under 监督保障 now unique
    v2 = roots_of(tmp_path / "v2", """\
        columns:
          - name: 法定主动公开内容
            children:
              - name: 规划与计划
          - name: 监督保障
            children:
              - name: 部门文件
        """)
    upd = urlrecord.update_record(old, v2, {"ghjh": "ghyjh", "nosuch": "x"})
    urls = {e.url: (e.column, e.name) for e in upd.entries}
    assert urls["fdzdgknr/ghjh/index.html"] == ("ghyjh", "规划计划")  # old URL, now pointing at the new column
    assert urls["fdzdgknr/ghyjh/index.html"] == ("ghyjh", "规划与计划")
    assert urls["jdbz/bmwj/index.html"] == ("bmwj", "部门文件")  # identity refreshed: the id is unique now
    assert len(upd.entries) == len(old) + 1  # nothing dropped, one URL added
    assert [e.url for e in upd.added] == ["fdzdgknr/ghyjh/index.html"]
    assert upd.renamed == [("ghjh", "ghyjh", 1), ("nosuch", "x", 0)] and upd.unknown_renames == ["nosuch"]
    assert sorted(e.url for e in upd.withdrawn) == ["fdzdgknr/bmwj/index.html", "jdbz/gztj/index.html"]


# --- pages for old URLs ----------------------------------------------------------------------------


def test_old_pages_redirect_or_say_withdrawn(tmp_path):
    roots = roots_of(tmp_path)
    entries = [Entry("fdzdgknr/index.html", "fdzdgknr", "法定主动公开内容"),  # live: no page
               Entry("old/ghjh/index.html", "ghjh", "规划计划"),  # moved: redirect
               Entry("old/bmwj/index.html", "bmwj", "部门文件"),  # bmwj is ambiguous: withdrawn
               Entry("old/qhdm/index.html", "qhdm", "区划地名")]  # gone: withdrawn
    pages = urlrecord.old_pages(entries, roots)
    assert [(p.url, p.name, p.target.href if p.target else None) for p in pages] == [
        ("old/bmwj/index.html", "部门文件", None),
        ("old/ghjh/index.html", "规划计划", "fdzdgknr/ghjh/index.html"),
        ("old/qhdm/index.html", "区划地名", None)]


def test_redirect_page_is_relative_escaped_and_not_indexed(tmp_path):
    target = by_path(roots_of(tmp_path), "fdzdgknr/ghjh")
    text = urlrecord.render_old_page(OldPage("a/b/c/index.html", "<规划>", target), "某局&<x>")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../../../fdzdgknr/ghjh/index.html"
    assert soup.find("link", rel="canonical")["href"] == "../../../fdzdgknr/ghjh/index.html"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("a", id="gk-redirect").get_text() == "法定主动公开内容 / 规划计划"
    assert soup.title.get_text() == "栏目地址已变更 - 某局&<x>"
    assert "「<规划>」" in soup.get_text() and "<规划>" not in text  # escaped in the markup


def test_withdrawn_page_links_the_catalogue_and_home():
    text = urlrecord.render_old_page(OldPage("x/y/index.html", "区划地名", None), "示例局")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.h1.get_text() == "本栏目已撤销"
    assert soup.find("a", id="gk-catalogue")["href"] == "../../bzml/index.html"
    assert [a["href"] for a in soup.find_all("a")] == ["../../bzml/index.html", "../../index.html"]
    assert soup.find("meta", attrs={"http-equiv": "refresh"}) is None


def test_check_warns_about_unrecorded_and_ambiguous_urls(tmp_path):
    """The loader's check of the record: never an error for a missing URL, a warning naming `gongkai lock`."""
    import datetime as dt

    from gongkai.load.loader import load_catalogue

    root = tmp_path / "site"
    (root / "catalog").mkdir(parents=True)
    (root / "catalog" / "site.yml").write_text("name: 测试局\norg_code: 11330100002489999F\nsite_url: https://t.example.gov.cn/\n",
                                               encoding="utf-8")
    roots_of(root)
    write_lock(root, '# 记录\nurls:\n  "fdzdgknr/index.html": {column: "fdzdgknr", name: "法定主动公开内容"}\n'
                     '  "old/index.html": {column: "bmwj", name: "部门文件"}\n')
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    problems = Problems()
    urlrecord.check(cat, problems)
    assert problems.errors == []
    missing, ambiguous = sorted(problems.warnings, key=lambda p: p.line or 0)
    assert (missing.line, missing.field) == (None, "urls") and "地址记录缺少 5 个当前栏目地址" in missing.message
    assert "gongkai lock" in missing.message and "部门文件（fdzdgknr/bmwj/index.html）" in missing.message
    assert (ambiguous.line, ambiguous.field) == (4, "column") and "「bmwj」对应多个栏目" in ambiguous.message
