"""The 栏目调整方案 (gongkai diff OLD NEW --format html): two committed versions of the example bureau, the table
checked row by row, old addresses, reasons from catalog/changes.yml, and the rule checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from proposal_scenario import CHANGES, QHDM, RSXX_INTO, TODAY, YLZC, commit_proposal

from conftest import cli, copy_example
from gongkai.errors import GongkaiError
from gongkai.tools.proposal import build_proposal, format_html


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return commit_proposal(copy_example(tmp_path_factory.mktemp("proposal")))


def _row(r):
    return (r.type, r.old.trail if r.old else None, r.new.trail if r.new else None, r.old.url if r.old else None,
            r.new.url if r.new else None, r.documents, r.orphaned)


def test_table_row_by_row(repo):
    p = build_proposal("HEAD~1", "HEAD", repo, TODAY)
    rows = {(r.old.path if r.old else r.new.path): r for r in p.rows}
    assert len(p.rows) == 6
    assert _row(rows["fdzdgknr/rsxx"]) == ("撤销", "法定主动公开内容 / 人事信息", None, "fdzdgknr/rsxx/index.html", None, 1, 1)
    assert _row(rows["zdlyxxgk/qhdm"]) == ("移动", "重点领域信息公开 / 区划地名", "法定主动公开内容 / 区划地名",
                                            "zdlyxxgk/qhdm/index.html", "fdzdgknr/qhdm/index.html", 1, 0)
    assert _row(rows["zdlyxxgk/ylfw/ylzc"]) == ("拆分", "重点领域信息公开 / 养老服务 / 养老政策", None,
                                                 "zdlyxxgk/ylfw/ylzc/index.html", None, 5, 0)
    assert [t.url for t in rows["zdlyxxgk/ylfw/ylzc"].into] == ["zdlyxxgk/ylfw/ylfwzc/index.html", "zdlyxxgk/ylfw/ylfwbt/index.html"]
    assert "5 件文件移入「养老服务政策、养老服务补贴」" in rows["zdlyxxgk/ylfw/ylzc"].effect
    for new in ("ylfwzc", "ylfwbt"):
        r = rows[f"zdlyxxgk/ylfw/{new}"]
        assert (r.type, r.old, r.new.url, r.documents) == ("新增", None, f"zdlyxxgk/ylfw/{new}/index.html", 0)
        assert r.effect == "接收「养老政策」的文件"
    assert _row(rows["zdlyxxgk/hydj"]) == ("改名", "重点领域信息公开 / 婚姻登记", "重点领域信息公开 / 婚姻登记服务",
                                            "zdlyxxgk/hydj/index.html", "zdlyxxgk/hydj/index.html", 1, 0)
    # reasons, with the line they were written on
    assert rows["zdlyxxgk/hydj"].reason == "与上级部门婚姻登记服务栏目名称保持一致。"
    assert rows["zdlyxxgk/hydj"].reason_at == "HEAD:catalog/changes.yml:3"
    assert rows["zdlyxxgk/ylfw/ylzc"].reason.startswith("养老政策文件较多")
    assert rows["fdzdgknr/rsxx"].reason == ""
    # old addresses: the moved column redirects (it is in the lock); removed ones show 本栏目已撤销
    assert {a.url: (a.action, a.target.url if a.target else None) for a in p.addresses} == {
        "zdlyxxgk/qhdm/index.html": ("跳转", "fdzdgknr/qhdm/index.html"),
        "fdzdgknr/rsxx/index.html": ("显示“本栏目已撤销”", None),
        "zdlyxxgk/ylfw/ylzc/index.html": ("显示“本栏目已撤销”", None),
    }
    # the one rule broken: 人事信息's document is left in no column
    assert [(b.rule, b.where) for b in p.breaks] == [("文件无去处", "HEAD~1:catalog/columns.yml:115")]
    assert "1 件文件不再属于任何栏目" in p.breaks[0].message


def test_html_report_table(repo):
    html = format_html(build_proposal("HEAD~1", "HEAD", repo, TODAY))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.h1.get_text() == "示例市民政局2027年栏目调整方案"
    table = []
    for tr in soup.select("#changes tbody tr"):
        def cell(cls, part, tr=tr):
            el = tr.select_one(f"td.{cls} .{part}")
            return el.get_text() if el else None
        table.append((tr.select_one("td.type").get_text(), cell("old", "path"), cell("old", "url"), cell("new", "path"),
                      cell("new", "url"), tr.select_one("td.docs").get_text()))
    assert sorted(table, key=str) == sorted([
        ("撤销", "法定主动公开内容 / 人事信息", "fdzdgknr/rsxx/index.html", None, None, "1"),
        ("移动", "重点领域信息公开 / 区划地名", "zdlyxxgk/qhdm/index.html", "法定主动公开内容 / 区划地名", "fdzdgknr/qhdm/index.html", "1"),
        ("拆分", "重点领域信息公开 / 养老服务 / 养老政策", "zdlyxxgk/ylfw/ylzc/index.html",
         "拆分为：重点领域信息公开 / 养老服务 / 养老服务政策", "zdlyxxgk/ylfw/ylfwzc/index.html", "5"),
        ("新增", None, None, "重点领域信息公开 / 养老服务 / 养老服务政策", "zdlyxxgk/ylfw/ylfwzc/index.html", "0"),
        ("新增", None, None, "重点领域信息公开 / 养老服务 / 养老服务补贴", "zdlyxxgk/ylfw/ylfwbt/index.html", "0"),
        ("改名", "重点领域信息公开 / 婚姻登记", "zdlyxxgk/hydj/index.html", "重点领域信息公开 / 婚姻登记服务", "zdlyxxgk/hydj/index.html", "1"),
    ], key=str)
    # both trees carry text markers, not colour alone; a removed column is struck through in the old tree
    old_tree, new_tree = soup.select(".trees section")
    assert old_tree.select_one('li[data-path="fdzdgknr/rsxx"] > .tag').get_text() == "【撤销】"
    assert old_tree.select_one('li[data-path="fdzdgknr/rsxx"] > .gone').get_text() == "人事信息"
    assert new_tree.select_one('li[data-path="fdzdgknr/qhdm"] > .tag').get_text() == "【移动】"
    assert new_tree.select_one('li[data-path="zdlyxxgk/ylfw/ylfwbt"] > .tag').get_text() == "【新增】"
    assert new_tree.select_one('li[data-path="jdbz"] > .tag') is None  # an unchanged column has no marker
    assert [tr["data-rule"] for tr in soup.select("#problems tbody tr")] == ["文件无去处"]
    # offline and printable: nothing fetched from anywhere, an A4 page rule
    assert not soup.select("script, link, img, iframe")
    assert "@page { size: A4 landscape" in html


def test_cli_writes_report_and_fails_on_rule_breaks(repo, tmp_path):
    out = tmp_path / "方案.html"
    r = cli(repo, "diff", "HEAD~1", "HEAD", "--format", "html", "-o", str(out))
    assert r.returncode == 1, r.stderr
    assert "文件无去处" in r.stderr and "HEAD~1:catalog/columns.yml:115" in r.stderr
    assert "人事信息" in out.read_text(encoding="utf-8")
    # the same proposal with 人事信息's documents given a destination passes
    fixed = tmp_path / "fixed"
    shutil.copytree(repo / "catalog", fixed / "catalog")
    shutil.copytree(repo / "content", fixed / "content")
    (fixed / "catalog" / "changes.yml").write_text(CHANGES + RSXX_INTO,
                                                   encoding="utf-8")
    r = cli(repo, "diff", "HEAD~1", str(fixed), "--format", "html", "-o", str(out))
    assert r.returncode == 0, r.stderr
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    row = soup.select_one('#changes tr[data-old="fdzdgknr/rsxx"]')
    assert row.select_one(".type").get_text() == "合并"
    assert row.select_one(".new .path").get_text() == "并入：监督保障 / 工作推进"
    assert "gongkai lock --rename rsxx=gztj" in soup.select_one('#addresses tr[data-url="fdzdgknr/rsxx/index.html"]').get_text()
    assert soup.select_one("#verdict").get_text() == "未发现不符合规则的调整"


def test_rule_breaks_fourth_level_first_level_and_lost_url(tmp_path):
    root = copy_example(tmp_path / "site")
    old = tmp_path / "old"
    shutil.copytree(root / "catalog", old / "catalog")
    shutil.copytree(root / "content", old / "content")
    cols = root / "catalog" / "columns.yml"
    text = cols.read_text(encoding="utf-8")
    # a fourth level under 养老政策; 政府信息公开年报 removed (a required first-level column)
    text = text.replace(YLZC, YLZC + "            children:\n              - name: 养老补贴政策\n                kind: documents\n")
    start = text.index("  - name: 政府信息公开年报\n")
    text = text[:start] + text[text.index("  - name: 依申请公开\n"):]
    cols.write_text(text, encoding="utf-8")
    # a column whose address was never recorded in the lock, then removed
    lock = old / "catalog" / "urls.lock.yml"
    lock_text = lock.read_text(encoding="utf-8")
    lost = [line for line in lock_text.splitlines() if line.startswith('  "zdlyxxgk/bzgl/index.html"')]
    assert len(lost) == 1
    lock.write_text(lock_text.replace(lost[0] + "\n", ""), encoding="utf-8")
    (root / "catalog" / "urls.lock.yml").write_text(lock.read_text(encoding="utf-8"), encoding="utf-8")
    text = text.replace("      - name: 殡葬管理\n        kind: documents\n        frequency: 及时更新\n        office: 社会事务处\n", "")
    cols.write_text(text, encoding="utf-8")
    p = build_proposal(str(old), str(root), tmp_path, TODAY)
    fourth = [b for b in p.breaks if b.rule == "超过三级"]
    assert len(fourth) == 1 and "养老政策" in fourth[0].message and fourth[0].where.startswith(f"{root}/catalog/columns.yml:")
    first = [b.message for b in p.breaks if b.rule == "缺少一级栏目"]
    assert first == ["调整后的标准目录没有一级栏目「政府信息公开年报」"]
    gone = [b for b in p.breaks if b.rule == "地址失效"]
    assert len(gone) == 1 and "zdlyxxgk/bzgl/index.html" in gone[0].message
    assert gone[0].where.startswith(f"{old}/catalog/columns.yml:")  # where the column stood
    assert [a.action for a in p.addresses if a.url == "zdlyxxgk/bzgl/index.html"] == ["失效"]
    # 3 年报 documents were in the removed column and are in no other
    reports = next(r for r in p.rows if r.old and r.old.path == "zfxxgknb")
    assert (reports.type, reports.documents, reports.orphaned) == ("撤销", 3, 3)


def test_changes_yml_errors_name_file_line_and_field(repo, tmp_path):
    site = tmp_path / "s"
    shutil.copytree(repo / "catalog", site / "catalog")
    (site / "catalog" / "changes.yml").write_text(
        "title: 方案\nchanges:\n  - column: hydj\n    reasn: 笔误\n  - column: bmwj\n    reason: 没有变化\n"
        "  - column: nosuch\n    reason: 不存在\n  - column: ylzc\n    into: [nowhere]\n    reason: 拆分\n"
        "  - column: hydj\n    into: [ylfwzc]\n    reason: 不是撤销\n  - 合并养老栏目\n", encoding="utf-8")
    with pytest.raises(GongkaiError) as exc:
        build_proposal("HEAD~1", str(site), repo, TODAY)
    lines = [p.format() for p in exc.value.problems]
    where = f"{site}/catalog/changes.yml"
    assert any(line.startswith(f"{where}:4: 错误: 字段「reasn」：") and "reason" in line for line in lines), lines
    assert any(line.startswith(f"{where}:3: 错误: 字段「reason」：") for line in lines), lines  # required, missing
    assert f"{where}:5: 错误: 字段「column」：栏目「部门文件」在这次调整中没有变化，不需要填写理由" in lines
    assert f"{where}:7: 错误: 字段「column」：栏目「nosuch」在调整前后的标准目录中都不存在" in lines
    assert f"{where}:10: 错误: 字段「into」：「nowhere」在调整后的标准目录中不存在" in lines
    assert f"{where}:12: 错误: 字段「column」：栏目「hydj」已在第 3 行写过调整理由" in lines
    assert any(line.startswith(f"{where}:13: 错误: 字段「into」：只有撤销的栏目") for line in lines), lines
    assert f"{where}:15: 错误: 字段「changes」：第 6 项调整事项应为键值对象，每项写 column 和 reason，实际是文本" in lines
    assert len(lines) == 8, lines  # every problem at once


def test_columns_files_rename_hint_frequency_office(tmp_path):
    """Two bare columns.yml files (tests/tools/test_diff.py's): every kind of change gets its type and details."""
    from test_diff import NEW, OLD

    (tmp_path / "old.yml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yml").write_text(NEW, encoding="utf-8")
    p = build_proposal("old.yml", "new.yml", tmp_path, TODAY)
    rows = {(r.old.path if r.old else r.new.path): r for r in p.rows}
    assert {k: (r.type, r.details) for k, r in rows.items() if r.old and r.new} == {
        "fdzdgknr/zcfg/bmwj": ("负责科室", ["负责科室：各科室 → 政策法规科"]),
        "fdzdgknr/gzdt": ("改名", ["名称：工作动态 → 工作信息"]),
        "fdzdgknr/zcfg/qljg": ("移动", ["上级：法定主动公开内容 / 政策法规 → 监督保障"]),
        "jdbz/gztj": ("更新频率", ["更新频率：每月更新 → 每季度更新"]),
    }
    assert rows["fdzdgknr/ghjh"].type == "撤销"
    assert "gongkai lock --rename ghjh=ghyjh" in rows["fdzdgknr/ghjh"].details[0]
    assert rows["jdbz/zwgkgzyd"].type == "新增"
    # no lock beside the files: every old address that goes away would be lost
    assert sorted(a.url for a in p.addresses if a.action == "失效") == [
        "fdzdgknr/ghjh/index.html", "fdzdgknr/rsxx/index.html", "fdzdgknr/zcfg/qljg/index.html"]
    missing = [b.message for b in p.breaks if b.rule == "缺少一级栏目"]
    assert missing == ["调整后的标准目录没有一级栏目「政府信息公开制度」（调整前也没有）",
                       "调整后的标准目录没有一级栏目「政府信息公开年报」（调整前也没有）"]


def test_a_column_split_in_place_takes_into(tmp_path):
    """区划地名 becomes a 栏目分组 with two new children (the way a clerk splits a column without removing it):
    `into` in changes.yml is accepted, the row is a 拆分 with nowhere-left documents none, the old tree does not
    strike it through, and the preview places its document in the first `into` column."""
    from gongkai.load.loader import load_catalogue

    root = copy_example(tmp_path / "site")
    old = tmp_path / "old"
    shutil.copytree(root / "catalog", old / "catalog")
    shutil.copytree(root / "content", old / "content")
    cols = root / "catalog" / "columns.yml"
    text = cols.read_text(encoding="utf-8")
    assert QHDM in text
    split = ("      - name: 区划地名\n        id: qhdm\n        kind: section\n        children:\n"
             "          - name: 区划管理\n            id: qhgl\n            kind: documents\n"
             "          - name: 地名管理\n            id: dmgl\n            kind: documents\n")
    cols.write_text(text.replace(QHDM, split), encoding="utf-8")
    (root / "catalog" / "changes.yml").write_text(
        "changes:\n  - column: qhdm\n    into: [qhgl, dmgl]\n    reason: 区划和地名分开发布。\n", encoding="utf-8")
    p = build_proposal(str(old), str(root), tmp_path, TODAY)
    row = next(r for r in p.rows if r.old and r.old.path == "zdlyxxgk/qhdm")
    assert row.types[0] == "拆分" and "栏目类型" in row.types
    assert [t.url for t in row.into] == ["zdlyxxgk/qhdm/qhgl/index.html", "zdlyxxgk/qhdm/dmgl/index.html"]
    assert (row.documents, row.orphaned) == (1, 0)
    assert row.effect == "1 件文件移入「区划管理、地名管理」（需改写文件的所属栏目）"
    assert row.reason == "区划和地名分开发布。"
    assert [b.rule for b in p.breaks] == []
    soup = BeautifulSoup(format_html(p), "html.parser")
    old_tree = soup.select(".trees section")[0]
    assert old_tree.select_one('li[data-path="zdlyxxgk/qhdm"] > .gone') is None  # still there, as a group
    # the preview: the document that names qhdm goes to 区划管理, with a warning saying so
    cat = load_catalogue(root, TODAY, moved=p.moved_refs())
    doc = next(d for d in cat.documents if d.id == "szmz-2026-dm-1")
    assert [c.path for c in doc.columns] == ["zdlyxxgk/qhdm/qhgl"]
    assert any("按栏目调整方案改为栏目分组" in w.message for w in cat.warnings)
