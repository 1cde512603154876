"""Rebuilds of the example bureau with a warm build cache: nothing redone when nothing changed, and nothing stale
when a document, a list row or an attachment changed (gongkai/build/cache.py, gongkai/memo.py)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from conftest import copy_example, run_build

DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
LIST_CSV = "content/lists/xzxk-2026.csv"  # 行政许可信息公示, GBK as bureaus export it
LIST_PAGE = "fdzdgknr/sgs/xzxk-2026/index.html"


def build(root: Path) -> None:
    result = run_build(root)
    assert result.returncode == 0, result.stderr[-3000:]


def cache_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every finished file in the cache (pages, posters, exports): inode and modification time."""
    pages = root / ".cache" / "gongkai" / "pages"
    return {p.relative_to(pages).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in pages.rglob("*") if p.is_file()}


def document_inodes(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in (root / "site" / "documents").glob("*.html")}


@pytest.fixture(scope="module")
def warm_site(tmp_path_factory) -> Path:
    """The example with one more document attachment (a workbook the privacy gate reads), built twice."""
    root = copy_example(tmp_path_factory.mktemp("rebuild"))
    workbook(root / "content" / "files" / "lsjz-shenqing.xlsx", "0571-87654321")
    doc = root / DOC
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "expires: 2024-04-30\n", "expires: 2024-04-30\nattachments:\n  - {title: 临时救助申请表, file: ../../files/lsjz-shenqing.xlsx}\n"),
        encoding="utf-8")
    build(root)
    build(root)
    return root


def workbook(path: Path, phone: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "受理窗口", "咨询电话"])
    ws.append([1, "示例市民政局社会救助处", phone])
    wb.save(path)


def test_nothing_changed_writes_nothing_of_its_own(warm_site):
    """Every document page comes from the cache (the same file, linked), and no cached file is made again."""
    before_cache, before_docs = cache_files(warm_site), document_inodes(warm_site)
    assert len(before_docs) > 20 and before_cache
    build(warm_site)
    assert cache_files(warm_site) == before_cache
    assert document_inodes(warm_site) == before_docs


def test_an_edited_document_is_rendered_again(warm_site):
    before = document_inodes(warm_site)
    doc = warm_site / DOC
    doc.write_text(doc.read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n", encoding="utf-8")
    build(warm_site)
    after = document_inodes(warm_site)
    page = (warm_site / "site" / "documents" / "szmz-2022-2.html").read_text(encoding="utf-8")
    assert "本办法由示例市民政局负责解释。" in page
    assert [name for name in after if after[name] != before.get(name)] == ["szmz-2022-2.html"]


def test_an_edited_list_row_shows_on_its_page(warm_site):
    csv = warm_site / LIST_CSV
    text = csv.read_text(encoding="gbk")
    assert "准予示例市" in text
    csv.write_text(text.replace("准予示例市", "准予（更正）示例市", 1), encoding="gbk")
    build(warm_site)
    page = (warm_site / "site" / LIST_PAGE).read_text(encoding="utf-8")
    rows = (warm_site / "site" / "data" / "lists" / "xzxk-2026.json").read_text(encoding="utf-8")
    assert "准予（更正）示例市" in page and "准予（更正）示例市" in rows


def test_an_edited_attachment_is_scanned_again(warm_site):
    """The privacy scan of an attachment is remembered by the digest of its bytes: a mobile number written into
    the workbook after a clean build stops the next one."""
    attachment = warm_site / "content" / "files" / "lsjz-shenqing.xlsx"
    site_before = sorted(os.listdir(warm_site / "site"))
    workbook(attachment, "13912345678")
    result = run_build(warm_site)
    assert result.returncode != 0
    assert "lsjz-shenqing.xlsx" in result.stderr and "手机号" in result.stderr
    assert sorted(os.listdir(warm_site / "site")) == site_before  # site/ untouched by the failed build
    workbook(attachment, "0571-87654321")
    build(warm_site)


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(warm_site):
    """Jinja's compiled templates, gongkai's and Material's, are kept in .cache/gongkai/jinja between builds
    (gongkai/build/render.py jinja_bytecode_cache); a template the bureau edits is compiled afresh, not served
    from the cache."""
    import jinja2
    import material

    folder = warm_site / ".cache" / "gongkai" / "jinja"
    cache = jinja2.FileSystemBytecodeCache(str(folder))
    base = Path(material.__file__).parent / "templates" / "base.html"
    ours = Path(__file__).parents[2] / "gongkai" / "build" / "templates" / "document.html"
    for name, path in (("base.html", base), ("document.html", ours)):
        assert (folder / (cache.pattern % cache.get_cache_key(name, str(path)))).is_file(), name
    own = warm_site / "overrides" / "gongkai" / "terms.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    terms = warm_site / "site" / "about" / "terms" / "index.html"
    for text in ("本网站声明第一版", "本网站声明第二版"):
        own.write_text('{% include "_about_head.html" %}\n<p>' + text + "</p>\n", encoding="utf-8")
        build(warm_site)
        page = terms.read_text(encoding="utf-8")
        assert text in page and page.count("本网站声明第") == 1
    own.unlink()
    build(warm_site)
