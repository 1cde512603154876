"""The output manifest (site.manifest.json): every file of the built site, its size, SHA-256 and why it is there."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

from test_redirects import NEW_PLAN, OLD_PLAN, WITHDRAWN, renamed_site  # noqa: F401  (fixture)

from conftest import BUILD_DATE, build_in_process, make_site, run_build
from gongkai.build import manifest
from gongkai.build.manifest import Reason
from gongkai.load.loader import load_catalogue


def _walk(site) -> list[str]:
    out = []
    for dirpath, dirs, files in os.walk(site):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
            out.append(os.path.relpath(os.path.join(dirpath, name), site).replace(os.sep, "/"))
    return sorted(out)


def test_the_manifest_covers_exactly_the_files_of_the_example(example_site):
    root = example_site.parent
    man = manifest.load(root / "site.manifest.json")
    assert [e.path for e in man.entries] == _walk(example_site)
    assert manifest.check_tree(man, example_site) == []  # every size and SHA-256 as in the files
    assert [e.path for e in man.entries if e.reason.kind == "unknown"] == []
    assert man.meta["build_date"] == BUILD_DATE and man.meta["site"]["name"] == "示例市民政局"
    assert man.meta["source"] == {"commit": None, "uncommitted": None}  # a copy outside git
    by = man.by_path()
    cat = load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
    for doc in cat.published_documents:
        assert by[doc.href].reason == Reason("document", doc.id, doc.source.file)
    withheld = [d for d in cat.documents if not d.is_public]
    assert all(d.href not in by for d in withheld)
    for col in cat.columns():
        assert by[col.href].reason.kind == "column" and by[col.href].reason.ref == col.path
    page_col = next(c for c in cat.columns() if c.kind == "page")
    assert by[page_col.href].reason.source == f"content/{page_col.page}"
    for pkg in cat.packages:
        assert by[pkg.href].reason == Reason("package", pkg.id, "catalog/packages.yml")
        assert by[f"posters/{pkg.id}-A4.pdf"].reason == Reason("poster", pkg.id, "catalog/packages.yml")
    assert by["index.html"].reason == Reason("page", "home")
    assert by["search/index.html"].reason == Reason("page", "search")
    assert by["404.html"].reason == Reason("theme", "gongkai", "404.html")  # gongkai's Chinese 404
    assert by["assets/gongkai/gongkai.css"].reason == Reason("theme", "gongkai", "assets/gongkai/gongkai.css")
    bundle = next(p for p in by if p.startswith("assets/javascripts/bundle."))
    assert by[bundle].reason.ref == "material"
    assert by["sitemap.xml"].reason.kind == by["sitemap.xml.gz"].reason.kind == "sitemap"
    assert by["data/documents.json"].reason == Reason("export", "json")
    assert by["feeds/index.xml"].reason.kind == "feed"
    index = [e for e in man.entries if e.path.startswith("search/index/")]
    assert len(index) > 5 and {e.reason.kind for e in index} == {"search"}
    kinds = {e.reason.kind for e in man.entries}
    assert kinds >= {"document", "column", "page", "package", "theme", "sitemap", "export", "feed", "poster", "search"}
    # the header counts what the entries say
    text = (root / "site.manifest.json").read_text(encoding="utf-8")
    assert f'"files": {len(man.entries)},' in text and f'"bytes": {man.total_bytes},' in text
    assert manifest.load(root / "site.manifest.json").to_bytes() == text.encode("utf-8")


def test_check_tree_reports_every_difference(example_site, tmp_path):
    man = manifest.load(example_site.parent / "site.manifest.json")
    site = tmp_path / "site"
    shutil.copytree(example_site, site)
    (site / "index.html").write_bytes((site / "index.html").read_bytes() + b" ")
    (site / "extra.txt").write_text("x", encoding="utf-8")
    (site / "404.html").unlink()
    os.unlink(site / "sitemap.xml")
    os.symlink("/etc/hostname", site / "sitemap.xml")
    problems = manifest.check_tree(man, site)
    assert "内容与清单不符：index.html" in problems
    assert "文件夹中有、清单中没有：extra.txt" in problems
    assert "清单中有、文件夹中没有：404.html" in problems
    assert "不是普通文件（链接或特殊文件）：sitemap.xml" in problems
    assert len(problems) == 4


def test_diff_lists_added_changed_removed():
    def m(**files: str) -> manifest.Manifest:
        return manifest.Manifest([manifest.Entry(p.replace("_", "/"), 1, h, manifest.UNKNOWN) for p, h in sorted(files.items())])

    changes = manifest.diff(m(a="1", b="2", c="3"), m(b="2", c="4", d="5"))
    assert (changes.added, changes.changed, changes.removed) == (["d"], ["c"], ["a"])
    assert manifest.diff(None, m(a="1")).added == ["a"]


def test_attachments_name_the_documents_that_list_them(tmp_path):
    columns = "columns:\n  - name: 部门文件\n    id: bmwj\n    kind: documents\n"
    doc = """\
    ---
    title: 关于{n}的通知
    published: 2024-05-0{d}
    columns: [bmwj]
    attachments:
      - title: 附件表格
        file: ../files/table.xlsx
    ---

    正文。
    """
    root = make_site(tmp_path / "site-root", columns, {"a.md": doc.format(n="甲", d=1), "b.md": doc.format(n="乙", d=2)})
    (root / "content" / "files").mkdir()
    (root / "content" / "files" / "table.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    by = manifest.load(root / "site.manifest.json").by_path()
    assert by["files/table.xlsx"].reason == Reason("attachment", "a、b", "content/files/table.xlsx")
    assert [p for p, e in by.items() if e.reason.kind == "unknown"] == []


def test_the_rebuild_after_a_cold_build_does_not_read_its_files_again(tmp_path, monkeypatch):
    """The manifest hashes the files a cold build wrote (all but the document pages it rendered) and records them
    with a stamp taken just before reading them: the next build trusts their stat data and reads almost none of them
    again (only what was written in the stamp's own tick of the file system's clock). With the build's start stamp
    it read them all again (100,000 documents: 1.2 GB)."""
    columns = "columns:\n  - name: 部门文件\n    id: bmwj\n    kind: documents\n"
    doc = "---\ntitle: 关于{n}的通知\npublished: 2024-05-0{d}\ncolumns: [bmwj]\n---\n\n正文{n}。\n"
    root = make_site(tmp_path / "site-root", columns, {f"{n}.md": doc.format(n=n, d=d) for d, n in enumerate("甲乙丙", 1)})
    read: list[str] = []
    hash_file_stat = manifest.hash_file_stat

    def counted(path):
        read.append(os.fspath(path))
        return hash_file_stat(path)

    monkeypatch.setattr(manifest, "hash_file_stat", counted)
    build_in_process(root)
    cold = len(read)
    assert cold > 5  # theme files, column pages … (the search index's files: hashed by the search step)
    read.clear()
    build_in_process(root)
    assert len(read) < cold / 4, read


def test_old_addresses_are_redirects_or_withdrawn_notices(renamed_site):  # noqa: F811
    by = manifest.load(renamed_site / "site.manifest.json").by_path()
    assert by[OLD_PLAN].reason == Reason("redirect", NEW_PLAN.removesuffix("/index.html"), "catalog/urls.lock.yml")
    assert by[WITHDRAWN].reason.kind == "withdrawn-column"
    assert [p for p, e in by.items() if e.reason.kind == "unknown"] == []


def test_source_state_names_the_commit_and_uncommitted_inputs(tmp_path):
    root = make_site(tmp_path / "repo", "columns:\n  - name: 部门文件\n    id: bmwj\n    kind: documents\n")
    git = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.gov.cn", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    assert manifest.source_state(root) == {"commit": head, "uncommitted": False}
    (root / "unrelated.txt").write_text("not an input of the site", encoding="utf-8")
    assert manifest.source_state(root)["uncommitted"] is False
    (root / "content" / "documents" / "new.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8")
    assert manifest.source_state(root) == {"commit": head, "uncommitted": True}
    assert manifest.source_state(tmp_path / "nowhere") == {"commit": None, "uncommitted": None}
