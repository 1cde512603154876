"""gongkai.load.urlrecord: reading, writing and updating catalog/urls.lock.yml (in process).

The pages for old URLs: tests/build/test_redirects.py; the record against the catalogue: tests/checks/test_url_record_check.py;
the end-to-end path (gongkai lock, then mkdocs build, then the redirect in Chromium): tests/e2e/test_redirects.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import columns_of
from gongkai.errors import Problems
from gongkai.load import urlrecord
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


def roots_of(tmp_path: Path, text: str = COLUMNS) -> list:
    return columns_of(tmp_path, text)


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
    # the line of the unclosed brace itself (yamlhelp, since session 16), not PyYAML's next line where it noticed
    assert p.file == urlrecord.LOCK_REL and p.line == 2 and "YAML 格式错误" in p.message
    assert "花括号「{」没有用「}」结束" in p.message


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
