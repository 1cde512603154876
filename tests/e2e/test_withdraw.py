"""撤回: `gongkai withdraw` takes a published document out of every output — pages, lists, the policy list, a
package's 政策依据, feeds, exports, the search index, its attachment — in `mkdocs build`, `--dirty` and cached
rebuilds; the build cache keeps no copy; the record has the entry; the old address shows 「该信息已撤回」."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_disclosure import _scan

from conftest import BUILD_DATE, make_site, run_cli
from gongkai.build import outputcheck
from gongkai.build.withdrawn import render_notice
from gongkai.errors import Problems
from gongkai.load.loader import load_catalogue
from gongkai.load.withdrawals import load_withdrawals
from gongkai.model import Withdrawal

COLUMNS = """\
columns:
  - name: 政策文件
    id: zcwj
    kind: policies
  - name: 部门文件
    id: bmwj
    kind: documents
  - name: 通知公告
    id: tzgg
    kind: documents
  - name: 主题服务包
    id: ztfwb
    kind: packages
"""

WITHDRAWN = """\
---
title: ZZWDTITLE 关于撤回事项甲的通知
doc_number: ZZWDNUM〔2026〕3号
published: 2026-03-02
summary: ZZWDSUMMARY
columns: [zcwj, bmwj, tzgg]
normative: true
attachments:
  - title: ZZWDATTTITLE
    file: ../files/wd-att.txt
---

ZZWDBODY 正文中有不应公开的内容。
"""

DOCS = {
    "wd.md": WITHDRAWN,
    "keep.md": "---\ntitle: ZZKEEPTITLE 保留的通知\npublished: 2026-03-01\ncolumns: [zcwj, bmwj]\nnormative: true\ndoc_number: 示民规〔2024〕91号\n---\n\n"
               "ZZKEEPBODY 正文。\n",
}
PAGES = {"files/wd-att.txt": "ZZWDATTFILE\n"}
PACKAGES = """\
packages:
  - id: yjs
    name: 一件事
    summary: 简介
    items: [事项]
    policies: [keep, wd]
"""
MARKERS = ["ZZWDTITLE", "ZZWDNUM", "ZZWDSUMMARY", "ZZWDATTTITLE", "ZZWDBODY", "ZZWDATTFILE", "关于撤回事项甲的通知"]


def _site(root: Path) -> Path:
    make_site(root, COLUMNS, DOCS, pages=PAGES)
    (root / "catalog" / "packages.yml").write_text(PACKAGES, encoding="utf-8")
    return root


def _build(root: Path, *args: str, cache: bool = True) -> None:
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    if not cache:
        env["GONGKAI_CACHE"] = "0"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def _leaks(root: Path) -> dict[str, list[str]]:
    """Every marker of the withdrawn document found in site/ or the build cache (compressed files too)."""
    hits = {f"site: {k}": v for k, v in _scan(root / "site", MARKERS).items()}
    hits |= {f"cache: {k}": v for k, v in _scan(root / ".cache" / "gongkai", MARKERS).items()}
    return hits


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory) -> Path:
    """The site built with the document published, then `gongkai withdraw --no-build` (record and purge only)."""
    root = _site(tmp_path_factory.mktemp("withdraw"))
    _build(root)
    before = _leaks(root)  # the scan sees the document everywhere it is published: a leak would be seen too
    assert {"zcwj/index.html", "bmwj/index.html", "tzgg/index.html", "packages/yjs/index.html", "data/documents.json",
            "data/documents.csv", "feeds/index.xml", "documents/wd.html"} <= set(before["site: ZZWDTITLE"])
    assert any(p.startswith("search/index/") for p in before["site: ZZWDTITLE"])
    assert before["site: ZZWDATTFILE"] == ["files/wd-att.txt"] and before["cache: ZZWDBODY"]
    result = run_cli(root, "withdraw", "wd", "--reason", "文中含有个人信息", "--personal-data", "--by", "王科员",
                     "--no-build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "catalog/packages.yml:6: 请从主题服务包「一件事」的政策依据（policies）中删除「wd」" in result.stderr
    return root


def test_the_record_has_the_entry(withdrawn):
    (w,) = load_withdrawals(withdrawn, Problems())
    assert (w.id, w.date, w.reason, w.personal_data, w.by) == ("wd", dt.date.fromisoformat(BUILD_DATE), "文中含有个人信息",
                                                               True, "王科员")
    assert w.title.startswith("ZZWDTITLE") and w.published == dt.date(2026, 3, 2)


def test_withdraw_purges_the_page_attachment_and_cache_at_once(withdrawn):
    site = withdrawn / "site"
    assert not (site / "files/wd-att.txt").exists()
    notice = BeautifulSoup((site / "documents/wd.html").read_text(encoding="utf-8"), "html.parser")
    assert notice.h1.get_text() == "该信息已撤回"
    assert "ZZWD" not in notice.get_text() and notice.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert [k for k in _leaks(withdrawn) if k.startswith("cache:")] == []


@pytest.mark.parametrize("kind", ["dirty", "cached", "clean"])
def test_no_output_or_cache_file_keeps_the_document(withdrawn, kind):
    # in this order on the same site: `--dirty` first (it used to start from a copy of site/), then rebuilds
    {"dirty": lambda: _build(withdrawn, "--dirty"), "cached": lambda: _build(withdrawn),
     "clean": lambda: _build(withdrawn, cache=False)}[kind]()
    assert _leaks(withdrawn) == {}
    site = withdrawn / "site"
    assert "ZZKEEPBODY" in (site / "documents/keep.html").read_text(encoding="utf-8")
    data = json.loads((site / "data/documents.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == ["keep"]
    pkg = BeautifulSoup((site / "packages/yjs/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [li["data-doc-id"] for li in pkg.select(".gk-package__policies li")] == ["keep"]
    assert "该信息已撤回" in (site / "documents/wd.html").read_text(encoding="utf-8")
    assert outputcheck.unpublished_outputs(site, load_catalogue(withdrawn, None), ["documents/wd.html"]) == []


def test_the_build_asks_to_remove_the_package_citation(withdrawn):
    cat = load_catalogue(withdrawn, None)
    (warning,) = [w for w in cat.warnings if w.file == "catalog/packages.yml" and "wd" in w.message]
    assert warning.line == 6 and "撤回" in warning.message and "删除" in warning.message
    assert [d.id for d in cat.packages[0].policies] == ["keep"]


def test_inspect_lists_the_withdrawals_of_the_period(withdrawn):
    out = run_cli(withdrawn, "inspect", "--today", BUILD_DATE, "--format", "json", "--root", str(withdrawn))
    report = json.loads(out.stdout)
    assert report["period_start"] == BUILD_DATE[:4] + "-01-01"
    assert report["withdrawals"] == [{"date": BUILD_DATE, "id": "wd", "title": "（含个人信息，不显示标题）", "index_no": "",
                                      "reason": "文中含有个人信息", "by": "王科员", "personal_data": True}]
    later = run_cli(withdrawn, "inspect", "--today", BUILD_DATE, "--since", "2026-11-25", "--root", str(withdrawn))
    assert "四、本期撤回的信息（2026-11-25 至 2026-11-24，0 条" in later.stdout


def test_withdraw_with_the_build_and_a_notice_that_names_the_document(tmp_path):
    root = _site(tmp_path)
    (root / "catalog/packages.yml").write_text(PACKAGES.replace(", wd]", "]"), encoding="utf-8")
    _build(root)
    result = run_cli(root, "withdraw", "wd", "--reason", "公开属性重新审定为不予公开", "--by", "王科员", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "网站已重新生成" in result.stdout
    notice = (root / "site/documents/wd.html").read_text(encoding="utf-8")
    assert "「ZZWDTITLE 关于撤回事项甲的通知」已于 2026-11-24 撤回" in notice  # not personal data: the title is shown
    assert _scan(root / "site", ["ZZWDBODY", "ZZWDATTFILE", "ZZWDNUM", "ZZWDSUMMARY"]) == {}
    title_hits = _scan(root / "site", ["ZZWDTITLE"])
    assert title_hits == {"ZZWDTITLE": ["documents/wd.html"]}
    again = run_cli(root, "withdraw", "wd", "--reason", "x", "--root", str(root))
    assert again.returncode == 0 and "无需再次撤回" in again.stdout
    assert len(load_withdrawals(root, Problems())) == 1


def test_a_deleted_document_leaves_a_dirty_build(tmp_path):
    root = _site(tmp_path)
    (root / "catalog/packages.yml").write_text(PACKAGES.replace(", wd]", "]"), encoding="utf-8")
    _build(root)
    (root / "content/documents/wd.md").unlink()
    (root / "content/files/wd-att.txt").unlink()
    _build(root, "--dirty")
    assert not (root / "site/documents/wd.html").exists()
    assert _scan(root / "site", MARKERS) == {}


def test_notice_without_title_for_personal_data():
    w = Withdrawal("x-1", dt.date(2026, 5, 1), "原因", personal_data=True, title="张三的低保公示")
    text = render_notice(w, "示例局")
    assert "张三" not in text and "原因" not in text and "已于 2026-05-01 撤回" in text
    assert "「张三的低保公示」" in render_notice(Withdrawal("x-1", dt.date(2026, 5, 1), "原因", title="张三的低保公示"), "示例局")


def test_stray_pages_of_unpublished_documents_are_found(tmp_path):
    root = _site(tmp_path)
    cat = load_catalogue(root, None)
    site = tmp_path / "out"
    (site / "documents").mkdir(parents=True)
    (site / "documents/keep.html").write_text("ok", encoding="utf-8")
    (site / "documents/gone.html").write_text("old page", encoding="utf-8")
    (site / "files").mkdir()
    (site / "files/wd-att.txt").write_text("old copy", encoding="utf-8")  # published: wd is public here
    (site / "documents/table.html").write_text("an attachment", encoding="utf-8")
    (root / "content/documents/table.html").write_text("an attachment", encoding="utf-8")
    cat = load_catalogue(root, None)
    assert outputcheck.unpublished_outputs(site, cat) == ["documents/gone.html", "documents/table.html"]  # an orphan
    cat.publication.orphans.remove("documents/table.html")  # as if a published document attached it
    cat.publication.reasons["documents/table.html"] = []
    assert outputcheck.unpublished_outputs(site, cat) == ["documents/gone.html"]
    assert outputcheck.unpublished_outputs(site, cat, ["documents/gone.html"]) == []


def test_record_errors_name_file_and_line(tmp_path):
    root = _site(tmp_path)
    (root / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - id: wd\n    date: 2026-13-01\n    reason: x\n  - id: keep\n    date: 2026-01-01\n"
        "  - id: keep\n    date: 2026-01-02\n    reason: y\n    reason_code: 1\n", encoding="utf-8")
    problems = Problems()
    load_withdrawals(root, problems)
    assert sorted((p.line, p.field) for p in problems.errors) == [(3, "date"), (5, "reason"), (10, "reason_code")]


def test_a_record_that_arrives_by_git_takes_effect_in_a_dirty_build(tmp_path):
    """The machine that publishes gets the record with `git pull` (no `gongkai withdraw` ran there): `--dirty`."""
    root = _site(tmp_path)
    _build(root)
    (root / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - id: wd\n    date: 2026-11-20\n    reason: 误发布\n    personal_data: true\n", encoding="utf-8")
    _build(root, "--dirty")
    assert _scan(root / "site", MARKERS) == {}
    assert not (root / "site/files/wd-att.txt").exists()


def test_the_record_gongkai_writes_matches_its_schema(tmp_path):
    import jsonschema
    import yaml

    from conftest import REPO
    from gongkai.load.withdrawals import append_entry

    for w in (Withdrawal("a-1", dt.date(2026, 1, 5), "误发布", by="李四", title="标题：含\"引号\"", published=dt.date(2025, 12, 1)),
              Withdrawal("b-2", dt.date(2026, 2, 1), "含个人信息", personal_data=True)):
        append_entry(tmp_path, w)
    text = (tmp_path / "catalog/withdrawals.yml").read_text(encoding="utf-8")
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    jsonschema.validate(data, json.loads((REPO / "schemas/withdrawals.schema.json").read_text(encoding="utf-8")))
    problems = Problems()
    assert [(w.id, w.title, w.personal_data) for w in load_withdrawals(tmp_path, problems)] == [
        ("a-1", "标题：含\"引号\"", False), ("b-2", "", True)]
    assert problems.items == []


def test_a_site_that_still_carries_a_withdrawn_document_is_recognised(withdrawn):
    cat = load_catalogue(withdrawn, None)
    site = withdrawn / "site"
    assert outputcheck.withdrawn_leftovers(site, cat) == []
    old = site / "documents/wd.html"
    notice = old.read_bytes()
    try:
        old.write_text("<h1>ZZWDTITLE</h1>", encoding="utf-8")  # e.g. a server copied to by hand
        (site / "files").mkdir(exist_ok=True)
        (site / "files/wd-att.txt").write_text("ZZWDATTFILE\n", encoding="utf-8")
        assert outputcheck.withdrawn_leftovers(site, cat) == ["documents/wd.html", "files/wd-att.txt"]
    finally:
        old.write_bytes(notice)
        (site / "files/wd-att.txt").unlink(missing_ok=True)


def test_publish_takes_a_withdrawn_document_off_the_server(tmp_path):
    """`gongkai publish` to a temporary target: a site still carrying the withdrawn document is refused; the next
    publication switches to a site without it and deletes the older versions that hold it; no copy stays."""
    root = _site(tmp_path / "root")
    (root / "catalog/packages.yml").write_text(PACKAGES.replace(", wd]", "]"), encoding="utf-8")
    _build(root)
    (tmp_path / "www").mkdir()
    target = tmp_path / "www" / "zfxxgk"

    def publish(*args: str):
        return run_cli(root, "publish", str(target), "--root", str(root), *args)

    first = publish()
    assert first.returncode == 0, first.stderr
    assert "ZZWDBODY" in (target / "documents/wd.html").read_text(encoding="utf-8")  # the scan below can see it
    # the record arrives (git pull) but the site was not rebuilt: refused, the live version unchanged
    (root / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - id: wd\n    date: 2026-11-20\n    reason: 误发布\n    personal_data: true\n", encoding="utf-8")
    refused = publish()
    assert refused.returncode == 1 and "仍有已撤回文件的内容（documents/wd.html、files/wd-att.txt）" in refused.stderr
    assert "documents/wd.html：文件 content/documents/wd.md 已撤回（catalog/withdrawals.yml 第 2 行）" in refused.stderr
    assert "ZZWDBODY" in (target / "documents/wd.html").read_text(encoding="utf-8")
    _build(root)
    second = publish()
    assert second.returncode == 0, second.stderr
    assert "已删除含有已撤回信息的旧版本" in second.stdout
    assert "该信息已撤回" in (target / "documents/wd.html").read_text(encoding="utf-8")
    assert _scan(tmp_path / "www", MARKERS) == {}  # the live version, the kept ones, the record beside them
    back = run_cli(root, "publish", str(target), "--rollback")
    assert back.returncode == 1 and "没有可回退的上一个版本" in back.stderr
    # a version holding it that gets back onto the server (copied by hand) is refused by --rollback
    from gongkai.tools import deploy

    live = deploy.live_version(target)
    assert live is not None
    old = live.path.with_name("0001-20260101T000000")
    shutil.copytree(live.path, old, symlinks=True)
    (old / "site/files").mkdir(exist_ok=True)
    (old / "site/files/wd-att.txt").write_text("ZZWDATTFILE\n", encoding="utf-8")
    again = run_cli(root, "publish", str(target), "--rollback", "--to", old.name)
    assert again.returncode == 1 and "含有已撤回文件的内容（files/wd-att.txt）" in again.stderr
