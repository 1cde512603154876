"""`gongkai standard list|add`: the shipped standards, and adding one to an existing site (written only after the
site loads with it; items some column already implements are not added again)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import MINIMAL_SITE_YML, cli, copy_example, make_site
from gongkai.load.loader import load_catalogue
from gongkai.tools import inspection

COLUMNS = """\
columns:
  - name: 政府信息公开指南
    kind: guide
    frequency: 及时更新
    office: 办公室
  # 本局原有的社会救助栏目
  - name: 社会救助
    id: shjz
    office: 救助科
    frequency: 及时更新
    children:
      - name: 低保政策
        kind: documents
        frequency: 及时更新
        implements: [shjz-03]
"""
GUIDE = {"guide.md": "---\ntitle: 政府信息公开指南\nrevised: 2026-01-05\n---\n\n指南。\n"}


def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "s", COLUMNS, site_yml=MINIMAL_SITE_YML, pages=GUIDE)


def test_list_names_each_standard_its_source_and_items(tmp_path):
    result = cli(tmp_path, "standard", "list")
    assert result.returncode == 0, result.stderr
    assert "社会救助：社会救助领域基层政务公开标准目录（民办函〔2019〕52号，2019-04-30），13 项" in result.stdout
    assert "养老服务：养老服务领域基层政务公开标准目录（民办函〔2019〕52号，2019-04-30），已收录 6 项（原表行数未能核对，不完整）" \
        in result.stdout
    assert "  shjz-13  临时救助 / 审核审批信息" in result.stdout


def test_add_writes_the_missing_items_and_declares_the_standard(tmp_path):
    root = site(tmp_path)
    before = (root / "catalog" / "columns.yml").read_text(encoding="utf-8")
    result = cli(root, "standard", "add", "社会救助")
    assert result.returncode == 0, result.stderr
    assert "落实 12 个标准事项" in result.stdout and "未重复添加的事项：shjz-03" in result.stdout
    text = (root / "catalog" / "columns.yml").read_text(encoding="utf-8")
    assert text.startswith(before) and "# 本局原有的社会救助栏目" in text  # appended; the clerk's comments kept
    columns = yaml.safe_load(text)["columns"]
    added = columns[-1]
    assert added["name"] == "社会救助" and added["id"] == "shjz-2"  # shjz was the bureau's own column's id
    leaves = [leaf for mid in added["children"] for leaf in mid["children"]]
    assert [leaf["items"][0]["implements"] for leaf in leaves] == [[f"shjz-{n:02d}"] for n in range(1, 14) if n != 3]
    assert leaves[0]["items"][0]["subject"] == "测试市民政局、乡镇人民政府（街道办事处）"
    assert yaml.safe_load((root / "catalog" / "site.yml").read_text(encoding="utf-8"))["standards"] == ["社会救助"]
    report = inspection.inspect(load_catalogue(root), load_catalogue(root).build_date)
    states = {i.id: i.state for d in report.coverage for i in d.items}
    assert states == {f"shjz-{n:02d}": "empty" for n in range(1, 14)}
    # each empty column once in the problem list, as 空白栏目 naming the item it carries out (not again per item)
    blank = {f.href: f for f in report.findings if f.kind == "empty"}
    per_page: dict[str, list[str]] = {}
    for f in report.findings:
        per_page.setdefault(f.href, []).append(f.kind)
    shjz = {href: kinds for href, kinds in per_page.items() if href.startswith("shjz-2/")}
    assert len(shjz) == 12 and all(kinds == ["empty"] for kinds in shjz.values()), shjz
    assert sorted(m for f in blank.values() for m in re.findall(r"标准目录事项 (shjz-\d\d) 因此也没有内容", f.message)) == \
        [f"shjz-{n:02d}" for n in range(1, 14)]  # shjz-03: the bureau's own column, empty too
    # again: nothing to add
    again = cli(root, "standard", "add", "社会救助")
    assert again.returncode == 0 and "未作修改" in again.stdout
    assert (root / "catalog" / "columns.yml").read_text(encoding="utf-8") == text


def test_a_second_standard_extends_the_declaration(tmp_path):
    root = site(tmp_path)
    assert cli(root, "standard", "add", "社会救助").returncode == 0
    result = cli(root, "standard", "add", "养老服务，社会救助")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((root / "catalog" / "site.yml").read_text(encoding="utf-8"))["standards"] == ["社会救助", "养老服务"]
    assert "落实 6 个标准事项" in result.stdout


def test_nothing_is_written_for_an_unknown_domain_or_a_broken_site(tmp_path):
    root = site(tmp_path)
    unknown = cli(root, "standard", "add", "安全生产")
    assert unknown.returncode == 2 and "没有「安全生产」领域的标准目录" in unknown.stderr
    columns = root / "catalog" / "columns.yml"
    columns.write_text(columns.read_text(encoding="utf-8") + "  - name: 坏栏目\n    kind: nonsense\n", encoding="utf-8")
    broken = columns.read_text(encoding="utf-8")
    site_yml = (root / "catalog" / "site.yml").read_text(encoding="utf-8")
    result = cli(root, "standard", "add", "社会救助")
    assert result.returncode == 1
    assert "nonsense" in result.stderr and "请先改正以上问题" in result.stderr
    assert columns.read_text(encoding="utf-8") == broken
    assert (root / "catalog" / "site.yml").read_text(encoding="utf-8") == site_yml


def test_an_implements_id_the_site_cannot_resolve_is_an_error_at_its_line(tmp_path):
    root = make_site(tmp_path / "s", COLUMNS.replace("implements: [shjz-03]", "implements: [shjz-30, ylfw-01]"),
                     site_yml=MINIMAL_SITE_YML + "standards: [社会救助]\nstandards_not_applicable:\n  shjz-99: 无\n",
                     pages=GUIDE)
    result = cli(root, "check")
    assert result.returncode == 1
    assert "catalog/columns.yml:15" in result.stderr and "「shjz-30」不存在" in result.stderr
    assert "「ylfw-01」不存在；它属于「养老服务」领域，请在 catalog/site.yml 的 standards 中加上「养老服务」" in result.stderr
    assert "catalog/site.yml:6" in result.stderr and "「shjz-99」不存在" in result.stderr


def test_on_a_site_with_a_url_record_the_new_addresses_are_recorded(tmp_path):
    """The example keeps catalog/urls.lock.yml: without shjz-11 implemented, `standard add` adds its three columns
    and their addresses to the record (nothing else in it changes), and `gongkai check` has no new warning."""
    root = copy_example(tmp_path / "example")
    columns = root / "catalog" / "columns.yml"
    columns.write_text(columns.read_text(encoding="utf-8").replace("            implements: [shjz-11]\n", ""), encoding="utf-8")
    lock = root / "catalog" / "urls.lock.yml"
    before = lock.read_text(encoding="utf-8").splitlines()
    result = cli(root, "standard", "add", "社会救助")
    assert result.returncode == 0, result.stderr
    assert "落实 1 个标准事项：shjz-11" in result.stdout and "记录新栏目的 3 个地址" in result.stdout
    after = lock.read_text(encoding="utf-8").splitlines()
    assert sorted(set(after) - set(before)) == [
        '  "shjz/index.html": {column: "shjz", name: "社会救助"}',
        '  "shjz/shjz-lsjz/index.html": {column: "shjz-lsjz", name: "临时救助"}',
        '  "shjz/shjz-lsjz/shjz-11/index.html": {column: "shjz-11", name: "政策法规文件"}',
    ] and set(before) <= set(after)
    check = cli(root, "check")
    assert check.returncode == 0 and "2 条警告" in check.stdout, check.stdout + check.stderr


def test_the_example_already_implements_both(tmp_path):
    root = copy_example(tmp_path / "example")
    result = cli(root, "standard", "add", "社会救助", "养老服务")
    assert result.returncode == 0, result.stderr
    assert "未作修改" in result.stdout


def test_adding_a_standard_shipped_in_part_says_so(tmp_path):
    """`standard add 救灾`: the 7 items gongkai has are added, and the clerk is told on the screen (not only in a
    comment far down columns.yml) that the table has more rows to add by hand. 社会救助 is whole: no such line."""
    root = site(tmp_path)
    whole = cli(root, "standard", "add", "社会救助")
    assert whole.returncode == 0, whole.stderr
    assert "只收录了一部分" not in whole.stdout
    partial = cli(root, "standard", "add", "救灾")
    assert partial.returncode == 0, partial.stderr
    assert ("注意：救灾的标准目录 gongkai 只收录了一部分，原表其余的事项请对照原件补充栏目，见 columns.yml 中该领域上方的注释。"
            in partial.stdout)
    # the comment says how to add them: without implements (no id exists for them; one written would be an error)
    text = (root / "catalog" / "columns.yml").read_text(encoding="utf-8")
    assert "# 补充的栏目不写 implements（gongkai 没有这些事项的标识），落实情况请自行核对。" in text
