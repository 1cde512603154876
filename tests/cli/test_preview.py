"""gongkai preview OLD: the proposed catalogue built for real (mkdocs build), marked on every page, with the changed
columns marked in the nav and on the 标准目录 page, never written to site/, and refused by gongkai publish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from proposal_scenario import CHANGES, RSXX_INTO, commit_proposal

from conftest import cli, copy_example, run_build, run_cli
from gongkai.tools import deploy

BANNER = "预览：栏目调整方案（未发布）"


@pytest.fixture(scope="module")
def preview_run(tmp_path_factory):
    root = commit_proposal(copy_example(tmp_path_factory.mktemp("preview")), CHANGES + RSXX_INTO)
    r = run_cli(root, "preview", "HEAD~1", extra_env={"NO_MKDOCS_2_WARNING": "1"})
    assert r.returncode == 0, r.stderr
    assert "site-preview" in r.stdout
    return root, r


@pytest.fixture(scope="module")
def previewed(preview_run) -> Path:
    return preview_run[0]


def test_the_clerk_is_told_where_documents_went(preview_run):
    """The warnings of the preview build reach the terminal (README: 已撤销栏目中的文件在预览中放入 into 的第一个
    栏目，生成时给出警告); MkDocs' English progress lines do not."""
    out = preview_run[1].stderr
    assert "警告" in out and "按栏目调整方案撤销" in out and "方案批准后请把这里的「ylzc」改为「ylfwzc」" in out, out
    assert "清理上次生成" not in out and "网站生成完成" not in out and "INFO" not in out, out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_carries_the_banner(previewed):
    site = previewed / "site-preview"
    assert not (previewed / "site").exists()  # the site's normal output is untouched
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 60
    unmarked = [p.relative_to(site).as_posix() for p in pages if BANNER not in p.read_text(encoding="utf-8")]
    assert unmarked == []
    # the banner of a theme page, and of a plain page (the removed column's old address)
    banner = _soup(site / "index.html").select_one("#gk-preview-banner")
    assert banner.get_text(" ", strip=True).startswith(BANNER)
    assert "撤销：法定主动公开内容 / 人事信息、重点领域信息公开 / 养老服务 / 养老政策" in banner.get_text()
    old = _soup(site / "fdzdgknr" / "rsxx" / "index.html")
    assert old.select_one("#gk-preview-banner") is not None and old.h1.get_text() == "本栏目已撤销"


def test_changed_columns_marked_in_nav_and_catalogue(previewed):
    site = previewed / "site-preview"
    nav = [a.get_text(" ", strip=True) for a in _soup(site / "zdlyxxgk" / "hydj" / "index.html").select(".md-nav__link")]
    assert "婚姻登记服务【改名】" in nav
    assert "殡葬管理" in nav  # an unchanged column has no mark
    nav = [a.get_text(" ", strip=True) for a in _soup(site / "zdlyxxgk" / "ylfw" / "ylfwbt" / "index.html").select(".md-nav__link")]
    assert {"养老服务政策【新增】", "养老服务补贴【新增】"} <= set(nav)
    marks = {}
    for tr in _soup(site / "bzml" / "index.html").select("table.gk-catalogue tbody tr"):
        mark = tr.select_one(".gk-preview-mark")
        if mark is not None:
            marks[tr["data-path"]] = mark.get_text()
    assert marks == {"fdzdgknr/qhdm": "【移动】", "zdlyxxgk/ylfw/ylfwzc": "【新增】", "zdlyxxgk/ylfw/ylfwbt": "【新增】",
                     "zdlyxxgk/hydj": "【改名】"}
    # the documents of the split column are shown in its first destination (changes.yml `into`) in the preview
    listed = _soup(site / "zdlyxxgk" / "ylfw" / "ylfwzc" / "index.html").select(".md-content__inner a[href*='documents/']")
    assert len({a["href"] for a in listed}) == 5
    listed = _soup(site / "jdbz" / "gztj" / "index.html").select(".md-content__inner a[href*='documents/szmz-2026-rs-1']")
    assert listed  # 人事信息's document, merged into 工作推进


def test_publish_refuses_a_preview(previewed, tmp_path):
    manifest = json.loads((previewed / "site-preview.manifest.json").read_text(encoding="utf-8"))
    assert manifest["preview"] == {"old": "HEAD~1:catalog/columns.yml", "changes": 6}
    target = tmp_path / "www"
    r = cli(previewed, "publish", str(target), "--site", str(previewed / "site-preview"))
    assert r.returncode == 1
    assert "是栏目调整方案的预览" in r.stderr and "不能发布" in r.stderr
    assert not target.exists() and not (tmp_path / "www.versions").exists()
    # the publishing step itself refuses it too, whoever calls it
    with pytest.raises(deploy.DeployError, match="是栏目调整方案的预览"):
        deploy.publish(previewed / "site-preview", previewed / "site-preview.manifest.json", target)
    assert not target.exists() and not (tmp_path / "www.versions").exists()


def test_preview_never_writes_site(previewed):
    r = cli(previewed, "preview", "HEAD~1", "-d", "site")
    assert r.returncode == 2 and "不能写入 site/" in r.stderr
    # mkdocs build itself refuses a preview into site/ (GONGKAI_PREVIEW set by hand)
    r = run_build(previewed, extra_env={"GONGKAI_PREVIEW": "HEAD~1", "NO_MKDOCS_2_WARNING": "1"})
    assert r.returncode != 0 and "不能写入 site/" in r.stderr
    assert not (previewed / "site").exists()
