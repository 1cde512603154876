"""gongkai diff: two catalogues compared column by column (files and git revisions)."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

from conftest import cli
from gongkai.errors import Problems
from gongkai.load.columns import load_columns
from gongkai.tools.diff import compare, format_text

OLD = """\
columns:
  - name: 政府信息公开指南
    kind: documents
    frequency: 及时更新
    office: 办公室
  - name: 法定主动公开内容
    children:
      - name: 政策法规
        children:
          - name: 部门文件
            frequency: 及时更新
            office: 各科室
          - name: 规范性文件清理结果
            id: qljg
            frequency: 每年更新
            office: 政策法规科
      - name: 工作动态
        id: gzdt
        frequency: 及时更新
        office: 办公室
      - name: 规划计划
        frequency: 及时更新
        office: 办公室
      - name: 人事信息
        frequency: 及时更新
        office: 组织人事科
  - name: 监督保障
    children:
      - name: 工作推进
        frequency: 每月更新
        office: 办公室
"""

# renamed: gzdt (explicit id) 工作动态 -> 工作信息; moved: qljg to 监督保障;
# removed: 人事信息; added: 政务公开工作要点; frequency: 工作推进; office: 部门文件;
# auto-id rename 规划计划 -> 规划与计划 shows as removed + added, with a hint.
NEW = """\
columns:
  - name: 政府信息公开指南
    kind: documents
    frequency: 及时更新
    office: 办公室
  - name: 法定主动公开内容
    children:
      - name: 政策法规
        children:
          - name: 部门文件
            frequency: 及时更新
            office: 政策法规科
      - name: 工作信息
        id: gzdt
        frequency: 及时更新
        office: 办公室
      - name: 规划与计划
        frequency: 及时更新
        office: 办公室
  - name: 监督保障
    children:
      - name: 工作推进
        frequency: 每季度更新
        office: 办公室
      - name: 规范性文件清理结果
        id: qljg
        frequency: 每年更新
        office: 政策法规科
      - name: 政务公开工作要点
        frequency: 每年更新
        office: 办公室
"""


def _write(root: Path, text: str) -> Path:
    (root / "catalog").mkdir(parents=True, exist_ok=True)
    path = root / "catalog" / "columns.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _roots(tmp_path: Path, name: str, text: str):
    root = tmp_path / name
    _write(root, text)
    problems = Problems()
    roots = load_columns(root, problems)
    assert not problems.errors, problems.items
    return roots


def test_compare_reports_exactly_the_changes(tmp_path):
    d = compare(_roots(tmp_path, "a", OLD), _roots(tmp_path, "b", NEW))
    assert sorted(r.id for r in d.added) == ["ghyjh", "zwgkgzyd"]
    assert [r.url for r in d.added if r.id == "zwgkgzyd"] == ["jdbz/zwgkgzyd/index.html"]
    assert sorted(r.id for r in d.removed) == ["ghjh", "rsxx"]
    assert [(c.old.name, c.new.name, c.new.url) for c in d.of_kind("renamed")] == [("工作动态", "工作信息", "fdzdgknr/gzdt/index.html")]
    moved = d.of_kind("moved")
    assert [(c.new.id, c.old.url, c.new.url) for c in moved] == [
        ("qljg", "fdzdgknr/zcfg/qljg/index.html", "jdbz/qljg/index.html")]
    assert [c.new.id for c in d.of_kind("url")] == ["qljg"]  # a rename with an explicit id keeps its URL
    assert [(c.new.id, c.old.frequency, c.new.frequency) for c in d.of_kind("frequency")] == [("gztj", "每月更新", "每季度更新")]
    assert [(c.new.id, c.old.office, c.new.office) for c in d.of_kind("office")] == [("bmwj", "各科室", "政策法规科")]
    assert d.of_kind("kind") == []
    # every changed column is listed once, with exactly these changes
    assert sorted((c.new.id, tuple(c.what)) for c in d.changed) == [
        ("bmwj", ("office",)), ("gzdt", ("renamed",)), ("gztj", ("frequency",)), ("qljg", ("moved", "url"))]
    assert [(a.id, b.id) for a, b in d.rename_hints] == [("ghjh", "ghyjh")]
    text = format_text(d)
    assert "工作动态 → 工作信息（gzdt）" in text
    assert "gongkai lock --rename ghjh=ghyjh" in text


def test_same_catalogue_has_no_changes(tmp_path):
    d = compare(_roots(tmp_path, "a", OLD), _roots(tmp_path, "b", OLD))
    assert d.empty
    assert "没有变化" in format_text(d)


def test_duplicate_auto_ids_are_matched_by_path(tmp_path):
    # two columns named 工作推进 (same auto id) under different parents: nothing changed, nothing paired wrongly
    text = OLD.replace("      - name: 人事信息\n", "      - name: 工作推进\n")
    d = compare(_roots(tmp_path, "a", text), _roots(tmp_path, "b", text.replace("每月更新", "每年更新")))
    assert [(c.new.path, c.what) for c in d.changed] == [("jdbz/gztj", ["frequency"])]


def test_cli_diff_git_revisions_and_json(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    _write(repo, OLD)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=repo, check=True)
    _write(repo, NEW)
    subprocess.run([*git, "commit", "-qam", "v2"], cwd=repo, check=True)
    r = cli(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["old"] == "HEAD~1:catalog/columns.yml"
    assert sorted(x["id"] for x in data["removed"]) == ["ghjh", "rsxx"]
    assert sorted(x["id"] for x in data["added"]) == ["ghyjh", "zwgkgzyd"]
    assert [x["id"] for x in data["renamed"]] == ["gzdt"]
    assert [(x["old"]["url"], x["new"]["url"]) for x in data["moved"]] == [("fdzdgknr/zcfg/qljg/index.html", "jdbz/qljg/index.html")]
    # a revision against the working file, text output
    _write(repo, OLD)
    r = cli(repo, "diff", "HEAD")
    assert r.returncode == 0, r.stderr
    assert "撤销栏目（2）" in r.stdout and "工作信息 → 工作动态（gzdt）" in r.stdout


def test_cli_diff_bad_input_names_the_side(tmp_path):
    _write(tmp_path, OLD)
    bad = tmp_path / "bad.yml"
    bad.write_text("columns:\n  - name: 甲\n    kind: 文件列表\n", encoding="utf-8")
    r = cli(tmp_path, "diff", "bad.yml", "catalog/columns.yml")
    assert r.returncode == 2
    assert "bad.yml:3" in r.stderr and "kind" in r.stderr
    r = cli(tmp_path, "diff", "no-such-rev", "catalog/columns.yml")
    assert r.returncode == 2 and "no-such-rev" in r.stderr


def test_a_column_made_a_section_loses_frequency_and_office_in_words(tmp_path):
    """A 栏目分组 has no 更新频率 or 负责科室: splitting a column into a section is one kind change that says so, not
    two changes to （空）; turning a section back into a column says what it now has."""
    before = "columns:\n  - name: 工作动态\n    id: gzdt\n    kind: documents\n    frequency: 每月更新\n    office: 办公室\n"
    after = ("columns:\n  - name: 工作动态\n    id: gzdt\n    kind: section\n    children:\n"
             "      - name: 通知公告\n        frequency: 及时更新\n        office: 办公室\n")
    _write(tmp_path, before)
    (tmp_path / "old.yml").write_text(before, encoding="utf-8")
    (tmp_path / "new.yml").write_text(after, encoding="utf-8")
    r = cli(tmp_path, "diff", "old.yml", "new.yml")
    assert r.returncode == 0, r.stderr
    assert "（空）" not in r.stdout and "更新频率变化" not in r.stdout and "负责科室变化" not in r.stdout
    assert ("工作动态（gzdt）：文件列表 → 栏目分组；栏目分组本身不设更新频率和负责科室，由下级栏目各自填写"
            "（原更新频率“每月更新”，负责科室“办公室”）") in r.stdout, r.stdout
    back = cli(tmp_path, "diff", "new.yml", "old.yml")
    assert "栏目分组 → 文件列表；不再是栏目分组，本栏目自己设更新频率“每月更新”，负责科室“办公室”" in back.stdout, back.stdout
    assert "（空）" not in back.stdout
    # a real change of office on a column that stays a column is still reported as such
    (tmp_path / "office.yml").write_text(before.replace("office: 办公室", "office: 社会救助科"), encoding="utf-8")
    r = cli(tmp_path, "diff", "old.yml", "office.yml")
    assert "负责科室变化（1）" in r.stdout and "办公室 → 社会救助科" in r.stdout
