"""Each kind of bad input: a Chinese message naming file and line, and a non-zero exit of `gongkai check`.

In process: the loader's report and the check command (click's runner). That a failing `mkdocs build` prints the
same report and leaves site/ untouched is tests/e2e/test_atomic.py (one real build per kind of failure).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import BUILD_DATE, cli, make_site
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

COLUMNS = """\
columns:
  - name: 法定主动公开内容
    frequency: 及时更新
    office: 办公室
    children:
      - name: 部门文件
        kind: documents
        frequency: 及时更新
        office: 各科室
      - name: 规划计划
        kind: documents
        frequency: 每年更新
        office: 办公室
"""

GOOD_DOC = """\
---
title: 示例市民政局关于做好冬季救助工作的通知
doc_number: 示民函〔2026〕3号
published: 2026-01-05
columns: [bmwj]
---

正文。
"""

CASES = {
    "malformed_yaml": (
        {"catalog/columns.yml": COLUMNS.replace("    office: 办公室\n    children:", "    office: [办公室\n    children:")},
        ["catalog/columns.yml:", "YAML 格式错误"],
    ),
    "missing_required_field": (
        {"content/documents/2026/a.md": GOOD_DOC.replace("title: 示例市民政局关于做好冬季救助工作的通知\n", "")},
        ["content/documents/2026/a.md:2:", "字段「title」", "缺少必填字段"],
    ),
    "unknown_column_id": (
        {"content/documents/2026/a.md": GOOD_DOC.replace("columns: [bmwj]", "columns:\n  - bmwj\n  - zcjd")},
        ["content/documents/2026/a.md:7:", "字段「columns」", "栏目「zcjd」在标准目录", "不存在"],
    ),
    "invalid_date": (
        {"content/documents/2026/a.md": GOOD_DOC.replace("published: 2026-01-05", "published: 2026-02-30")},
        ["content/documents/2026/a.md:4:", "字段「published」", "日期「2026-02-30」无效"],
    ),
    "duplicate_id": (
        {"catalog/columns.yml": COLUMNS.replace("      - name: 规划计划\n", "      - name: 规划计划\n        id: bmwj\n")},
        ["catalog/columns.yml:11:", "字段「id」", "地址都是「bmwj」"],
    ),
    "duplicate_explicit_id_in_other_branches": (
        {"catalog/columns.yml": COLUMNS + "  - name: 监督保障\n    id: jd\n    children:\n      - name: 工作推进\n        id: gztj\n"
         "        kind: documents\n  - name: 其他\n    id: qt\n    children:\n      - name: 另一个\n        id: gztj\n        kind: documents\n"},
        ["catalog/columns.yml:24:", "字段「id」", "栏目标识「gztj」重复", "第 18 行"],
    ),
    "fourth_level": (
        {"catalog/columns.yml": COLUMNS.replace(
            "      - name: 规划计划\n",
            "      - name: 财政资金\n        children:\n          - name: 预算\n            children:\n"
            "              - name: 部门预算\n                kind: documents\n      - name: 规划计划\n")},
        ["catalog/columns.yml:13:", "字段「children」", "第 3 级栏目", "最多三级"],
    ),
    "slug_collision": (
        # 补贴文件 and 补贴外径 both have the pinyin initials btwj
        {"catalog/columns.yml": COLUMNS.replace("      - name: 部门文件\n", "      - name: 补贴文件\n        kind: documents\n"
                                                "      - name: 补贴外径\n")},
        ["catalog/columns.yml:8:", "字段「id」", "栏目「补贴外径」与同级栏目「补贴文件」（第 6 行）", "地址都是「btwj」"],
    ),
}


def _write(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def good_site(root):
    return make_site(root, COLUMNS, {"2026/a.md": GOOD_DOC})


def test_slug_collision_fixture_really_collides():
    from gongkai.load.slugs import initials

    assert initials("补贴文件") == "btwj"


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_stops_with_clear_message(case, tmp_path):
    files, expected = CASES[case]
    root = good_site(tmp_path / "site-root")
    load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))  # the good site loads
    _write(root, files)

    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
    report = info.value.report()  # what `mkdocs build` prints when it stops (the plugin raises it as PluginError)
    for fragment in expected:
        assert fragment in report, (fragment, report)
    assert report.startswith("发现 ") and "已停止生成，未写入任何文件" in report.splitlines()[0]

    check = cli(root, "check")
    assert check.returncode == 1
    for fragment in expected:
        assert fragment in check.stderr, (fragment, check.stderr)
    assert not (root / "site").exists()


def test_all_problems_reported_together(tmp_path):
    doc_a = GOOD_DOC.replace("published: 2026-01-05", "published: 2026-13-01")
    doc_b = GOOD_DOC.replace("columns: [bmwj]", "columns: [nope]")
    root = make_site(tmp_path, COLUMNS.replace("kind: documents\n        frequency: 每年更新", "kind: documnts\n        frequency: 每年更新"),
                     {"2026/a.md": doc_a, "2026/b.md": doc_b})
    check = cli(root, "check")
    assert check.returncode == 1
    err = check.stderr
    assert "发现 3 处错误" in err
    assert "content/documents/2026/a.md:4" in err and "content/documents/2026/b.md:5" in err
    assert "catalog/columns.yml:11" in err and "栏目类型「documnts」无效" in err
    assert not (root / "site").exists()


def test_unknown_field_is_reported_not_dropped(tmp_path):
    root = make_site(tmp_path, COLUMNS, {"2026/a.md": GOOD_DOC.replace("doc_number:", "doc_numbr:")})
    check = cli(root, "check")
    assert check.returncode == 1
    assert "未知字段「doc_numbr」" in check.stderr and "doc_number" in check.stderr


def test_check_passes_on_good_site(tmp_path):
    check = cli(good_site(tmp_path), "check")
    assert check.returncode == 0, check.stderr
    assert "校验通过" in check.stdout
