"""Only what was decided to be public is published: files under content/ that no published document, page or
site.yml `assets` names stay out of site/ (and `gongkai check` lists them); symbolic links out of content/,
hard links and special files stop the build with site/ untouched; the same in `--dirty` builds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import BUILD_DATE, make_site, run_build, run_cli, tree_digest
from gongkai.checks.publication import ORPHAN_NOTICE, body_files, resolve_link
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
  - name: 申请表下载
    id: sqbxz
    kind: page
    page: pages/sqbxz.md
"""

DOC = """\
---
title: 关于某事项的通知
published: 2026-03-01
columns: [tzgg]
{extra}---

正文。{body}
"""

PAGE = """\
# 申请表下载

- [申请表](../files/form.txt)
- <img src="../files/seal.png" alt="印章">

示例代码（不是链接）：`[x](../files/code-only.txt)`
"""

ORPHANS = {"files/neibu-draft.txt": "内部草稿，勿外传\n", "files/biao.xlsx": "PK-not-really-xlsx\n",
           "files/baogao.pdf": "%PDF-1.4 draft\n", "files/code-only.txt": "只在代码里出现\n"}
LINKED = {"files/form.txt": "申请表\n", "files/seal.png": "PNG\n", "files/att.txt": "附件正文\n"}


def _site(root: Path, doc_extra: str = "attachments: [../../files/att.txt]\n", body: str = "") -> Path:
    make_site(root, COLUMNS, {"2026/a.md": DOC.format(extra=doc_extra, body=body)}, pages={"pages/sqbxz.md": PAGE})
    for rel, text in {**ORPHANS, **LINKED}.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`mkdocs build` with its log (warnings included: run_build passes -q)."""
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _site(tmp_path_factory.mktemp("orphans"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


def test_unreferenced_files_are_not_published(built):
    site = built / "site"
    for rel in ORPHANS:
        assert not (site / rel).exists(), rel
    for rel, text in LINKED.items():  # attachment, Markdown link, raw HTML <img src>
        assert (site / rel).read_text(encoding="utf-8") == text, rel
    assert sorted(p.name for p in (site / "files").iterdir()) == ["att.txt", "form.txt", "seal.png"]


def test_build_log_and_check_list_every_orphan(built):
    result = _build(built)
    assert result.returncode == 0, result.stderr
    checked = run_cli(built, "check", "--root", str(built))
    assert checked.returncode == 0, checked.stderr
    for out in (result.stderr, checked.stderr):
        named = {line.split(": ")[0].split()[-1] for line in out.splitlines() if ORPHAN_NOTICE in line}
        assert named == {f"content/{rel}" for rel in ORPHANS}, out


def test_attaching_an_orphan_publishes_it(tmp_path):
    extra = "attachments:\n  - ../../files/att.txt\n  - title: 统计表\n    file: ../../files/biao.xlsx\n  - ../../files/baogao.pdf\n"
    root = _site(tmp_path, doc_extra=extra)
    cat = load_catalogue(root, None)
    assert cat.publication.orphans == ["files/code-only.txt", "files/neibu-draft.txt"]
    assert [str(r) for r in cat.publication.reasons["files/biao.xlsx"]] == ["文件「a」的附件"]
    assert run_build(root).returncode == 0
    assert (root / "site/files/biao.xlsx").read_bytes() == (root / "content/files/biao.xlsx").read_bytes()
    assert (root / "site/files/baogao.pdf").is_file()
    assert not (root / "site/files/neibu-draft.txt").exists()


def test_body_links_count_only_in_published_bodies(tmp_path):
    root = _site(tmp_path, doc_extra="disclosure: 依申请公开\n", body="\n\n[草稿](../files/neibu-draft.txt)\n")
    cat = load_catalogue(root, None)
    assert "files/neibu-draft.txt" in cat.publication.orphans and "files/att.txt" in cat.publication.orphans
    # the same link in a published document's body (documents/a.html links ../files/…) publishes the file
    (root / "content/documents/2026/a.md").write_text(DOC.format(extra="", body="\n\n[草稿](../files/neibu-draft.txt)\n"),
                                                      encoding="utf-8")
    cat = load_catalogue(root, None)
    assert [str(r) for r in cat.publication.reasons["files/neibu-draft.txt"]] == ["文件「a」正文中的链接"]


BODIES = [
    "[a](../files/a.pdf) [b](<../files/b c.pdf>) [md](../pages/x.md) [top](#t) [out](https://x.gov.cn/files/a.pdf)",
    "![图](../files/c.png \"标题\")\n\n[引用][r]\n\n[r]: ../files/b%20c.pdf\n",
    '<a href="../files/a.pdf">a</a> <IMG SRC=../files/c.png alt=x> <a title="x" href=\'../files/d.txt#p2\'>d</a>',
    "代码 `[a](../files/a.pdf)` 不是链接；``<a href=\"../files/d.txt\">`` 也不是",
    "```\n[a](../files/a.pdf)\n```\n",
    "<!-- [a](../files/a.pdf) <img src=\"../files/c.png\"> -->正文",
    '<iframe src="../files/a.pdf"></iframe><script src="../files/d.txt"></script>',
    "[abs](/files/a.pdf) [far](../../../a.pdf) [q](../files/d.txt?v=1)",
]


@pytest.mark.parametrize("body", BODIES)
def test_body_links_are_the_links_of_the_rendered_page(body):
    """Read from the Markdown (the loader renders nothing): the same files as the links of the rendered page."""
    from bs4 import BeautifulSoup

    from gongkai.build.render import Renderer

    files = {"files/a.pdf": "", "files/b c.pdf": "", "files/c.png": "", "files/d.txt": "", "pages/x.md": ""}
    html = BeautifulSoup(Renderer(None).markdown(body), "html.parser")  # as a document page renders it
    rendered = [t.get("href") for t in html.find_all("a")] + [t.get("src") for t in html.find_all("img")]
    expected = sorted({p for p in (resolve_link(t, "documents/x.html") for t in rendered if t)
                       if p in files and not p.endswith(".md")})
    assert sorted(body_files(body, "documents/x.html", files)) == expected


def test_links_resolve_like_the_site():
    assert resolve_link("../files/a.pdf#p2", "documents/x.html") == "files/a.pdf"
    assert resolve_link("../../files/a.pdf?v=1", "yisqgk/sqbxz/index.md") == "files/a.pdf"
    assert resolve_link("/files/a.pdf", "documents/x.html") is None  # absolute: not this site's folder
    assert resolve_link("https://x.gov.cn/files/a.pdf", "documents/x.html") is None
    assert resolve_link("../../../a.pdf", "documents/x.html") is None
    assert body_files("[a](../files/a.pdf)", "documents/x.html", {"files/a.pdf": ""}) == ["files/a.pdf"]


def test_site_assets_are_declared_in_site_yml(tmp_path):
    root = _site(tmp_path)
    (root / "content/images").mkdir()
    (root / "content/images/logo.png").write_bytes(b"PNG")
    (root / "content/images/dzjg").mkdir()
    (root / "content/images/dzjg/red.png").write_bytes(b"PNG")
    site_yml = root / "catalog/site.yml"
    base = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(base + "assets:\n  - images/logo.png\n  - images/dzjg/\n", encoding="utf-8")
    pub = load_catalogue(root, None).publication
    assert [str(r) for r in pub.reasons["images/logo.png"]] == ["网站资源（site.yml 的 assets）"] and "images/dzjg/red.png" in pub.reasons
    site_yml.write_text(base + "assets:\n  - images/nosuch.png\n  - ../catalog/site.yml\n  - files/form.txt\n", encoding="utf-8")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, None)
    found = {(p.file, p.line, p.field) for p in info.value.problems if p.level == "error"}
    assert found == {("catalog/site.yml", 5, "assets"), ("catalog/site.yml", 6, "assets")}, info.value.report()


def test_mkdocs_yml_logo_must_be_declared(tmp_path):
    root = _site(tmp_path)
    (root / "content/images").mkdir()
    (root / "content/images/logo.png").write_bytes(b"PNG")
    mk = root / "mkdocs.yml"
    mk.write_text(mk.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  logo: images/logo.png\n"),
                  encoding="utf-8")
    result = run_build(root)
    assert result.returncode != 0 and "theme.logo" in result.stderr and "assets" in result.stderr, result.stderr
    assert not (root / "site").exists()
    site_yml = root / "catalog/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "assets: [images/logo.png]\n", encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert (root / "site/images/logo.png").read_bytes() == b"PNG"


# --- links, hard links, special files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """Files of the build machine outside the site's folder."""
    folder = tmp_path_factory.mktemp("machine")
    (folder / "secret.txt").write_text("本机文件 ZZMACHINESECRET\n", encoding="utf-8")
    (folder / "dir").mkdir()
    (folder / "dir" / "inner.txt").write_text("本机目录 ZZMACHINESECRET\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("what", ["file", "folder", "relative file"])
def test_a_link_out_of_content_stops_the_build_and_leaves_site_untouched(built, outside, what):
    link = built / "content" / "files" / "link"
    target = {"file": outside / "secret.txt", "folder": outside / "dir",
              "relative file": Path(os.path.relpath(outside / "secret.txt", link.parent))}[what]
    before = tree_digest(built / "site")
    assert before
    link.symlink_to(target)
    try:
        result = run_build(built)
        checked = run_cli(built, "check", "--root", str(built))
    finally:
        link.unlink()
    assert result.returncode != 0
    for out in (result.stderr, checked.stderr):
        assert "content/files/link: 错误: 符号链接指向 content/ 之外" in out, out
        assert os.path.realpath(outside / ("dir" if what == "folder" else "secret.txt")) in out
    assert checked.returncode == 1
    assert tree_digest(built / "site") == before
    assert not (built / "site.gongkai-new").exists()


def test_a_link_inside_content_is_the_file_it_points_to(tmp_path):
    root = _site(tmp_path, doc_extra="attachments: [../../files/alias.txt, ../../files/linked/att.txt]\n")
    (root / "content/files/alias.txt").symlink_to("form.txt")  # relative, inside content/
    (root / "content/files/linked").symlink_to(root / "content/files", target_is_directory=False)
    with pytest.raises(GongkaiError) as info:  # a folder linking to itself loops
        load_catalogue(root, None)
    assert "content/files/linked" in info.value.report() and "循环" in info.value.report()
    (root / "content/files/linked").unlink()
    (root / "content/shared").mkdir()
    (root / "content/shared/att.txt").write_text("共享附件\n", encoding="utf-8")
    (root / "content/files/linked").symlink_to("../shared")
    result = _build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert (site / "files/alias.txt").read_text(encoding="utf-8") == "申请表\n"
    assert not (site / "files/alias.txt").is_symlink()
    assert (site / "files/linked/att.txt").read_text(encoding="utf-8") == "共享附件\n"
    assert not (site / "shared").exists()  # the target's own path is not referenced: an orphan
    assert "content/shared/att.txt: 警告: " + ORPHAN_NOTICE in result.stderr


def test_hard_links_and_special_files_are_refused(tmp_path):
    root = _site(tmp_path)
    os.link(root / "content/files/form.txt", root / "content/files/form-copy.txt")
    os.mkfifo(root / "content/files/pipe")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, None)
    errors = {p.file: p.message for p in info.value.problems if p.level == "error"}
    assert set(errors) == {"content/files/form.txt", "content/files/form-copy.txt", "content/files/pipe"}
    assert "硬链接" in errors["content/files/form.txt"] and "特殊文件" in errors["content/files/pipe"]


def test_dirty_build_removes_what_an_earlier_build_published(tmp_path):
    root = _site(tmp_path, doc_extra="attachments: [../../files/att.txt, ../../files/baogao.pdf]\n")
    assert run_build(root).returncode == 0
    assert (root / "site/files/baogao.pdf").is_file()
    (root / "site/files/neibu-draft.txt").write_text("left by hand\n", encoding="utf-8")  # an old orphan copy
    (root / "content/documents/2026/a.md").write_text(DOC.format(extra="attachments: [../../files/att.txt]\n", body=""),
                                                      encoding="utf-8")
    result = _build(root, "--dirty")
    assert result.returncode == 0, result.stderr
    assert not (root / "site/files/baogao.pdf").exists()
    assert not (root / "site/files/neibu-draft.txt").exists()
    assert (root / "site/files/att.txt").is_file() and (root / "site/documents/a.html").is_file()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:  # a request waits while the server rebuilds
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_dirty_follows_the_same_rules(tmp_path, outside):
    from serving import free_port, wait_http
    from test_disclosure import _scan

    root = _site(tmp_path / "root", doc_extra="attachments: [../../files/att.txt, ../../files/baogao.pdf]\n",
                 body="ZZSERVEBODY")
    port = free_port()
    (tmp_path / "tmp").mkdir()  # mkdocs serve builds into a temporary folder: here, to read every file of it
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", TMPDIR=str(tmp_path / "tmp"))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_http(base + "documents/a.html")
        assert _status(base + "files/baogao.pdf") == 200 and _status(base + "files/form.txt") == 200
        assert _status(base + "files/neibu-draft.txt") == 404
        # a link out of content/ while serving: the rebuild stops (MkDocs then holds requests until it is fixed)
        (root / "content/files/link.txt").symlink_to(outside / "secret.txt")
        (root / "content/documents/2026/a.md").write_text(
            DOC.format(extra="attachments: [../../files/att.txt, ../../files/link.txt]\n", body="ZZSERVEBODY"),
            encoding="utf-8")
        deadline = time.monotonic() + 120
        while not any("content/files/link.txt: 错误: 符号链接指向 content/ 之外" in line for line in log):
            assert time.monotonic() < deadline, "".join(log)
            time.sleep(0.5)
        # the link removed, the attachment dropped: the rebuilt (dirty) site no longer has either file
        (root / "content/files/link.txt").unlink()
        (root / "content/documents/2026/a.md").write_text(
            DOC.format(extra="attachments: [../../files/att.txt]\n", body="ZZSERVEBODY"), encoding="utf-8")
        deadline = time.monotonic() + 120
        while _status(base + "files/baogao.pdf") != 404:
            assert time.monotonic() < deadline, "".join(log)
            time.sleep(1)
        assert _status(base + "files/link.txt") == 404 and _status(base + "files/att.txt") == 200
        # serve's own folder, not gongkai's staging folder or the tree it keeps beside it for the next rebuild
        (served,) = [p for p in (tmp_path / "tmp").iterdir() if p.name.startswith("mkdocs_") and p.is_dir()
                     and "." not in p.name]
        assert _scan(served, ["ZZSERVEBODY"]) != {}  # the scan sees the document while it is published
        # withdrawn while serving (catalog/ is watched): no served file keeps it, its attachment is gone
        (root / "catalog/withdrawals.yml").write_text("withdrawals:\n  - {id: a, date: 2026-11-20, reason: 误发布}\n",
                                                      encoding="utf-8")
        deadline = time.monotonic() + 120
        while _status(base + "files/att.txt") != 404:
            assert time.monotonic() < deadline, "".join(log)
            time.sleep(1)
        assert _scan(served, ["ZZSERVEBODY", "ZZSERVEBODY".lower()]) == {}
        assert "该信息已撤回" in urllib.request.urlopen(base + "documents/a.html", timeout=120).read().decode("utf-8")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
