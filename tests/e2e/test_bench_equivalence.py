"""The benchmark's synthetic bureau builds the same kinds of pages as the example bureau, and the build cache
and worker processes never change a byte of the output (scripts/bench.py, gongkai/build/cache.py)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, run_build, tree_digest
from gongkai.build import manifest

N_DOCS = 120


def load_bench():
    spec = importlib.util.spec_from_file_location("gongkai_bench", REPO / "scripts" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("bench")
    facts = load_bench().generate(root, N_DOCS)
    return root, facts


def build(root: Path, **env: str) -> dict[str, bytes]:
    """Every file of site/, and the manifest beside it (checked against the files: its hashes of document pages
    come from the renderer and the cache, not from reading the files)."""
    result = run_build(root, extra_env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tree_digest(root / "site")
    assert manifest.check_tree(manifest.load(root / "site.manifest.json"), root / "site") == []
    out["../site.manifest.json"] = (root / "site.manifest.json").read_bytes()
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def outline(page: BeautifulSoup, selector: str) -> list[tuple[str, str]]:
    """Tag names and classes of an element's direct children: the structure a template gives a page."""
    node = page.select_one(selector)
    assert node is not None, selector
    return [(c.name, " ".join(c.get("class", []))) for c in node.find_all(recursive=False)]


def test_bench_site_shape(bench_site):
    root, facts = bench_site
    assert facts["columns"] >= 100
    assert facts["levels"] == 3
    columns = (root / "catalog" / "columns.yml").read_text(encoding="utf-8")
    for kind in ("section", "documents", "policies", "guide", "page", "reports", "link"):
        assert f"kind: {kind}" in columns
    docs = sorted((root / "content" / "documents").rglob("*.md"))
    assert len(docs) == facts["documents"]
    text = "".join(p.read_text(encoding="utf-8") for p in docs)
    for field in ("interprets:", "replaced_by:", "status: 废止", "status: 修改", "status: 失效", "normative: true",
                  "disclosure: 依申请公开", "attachments:", "year:"):
        assert field in text, field
    body = docs[len(docs) // 2].read_text(encoding="utf-8").split("---", 2)[2]
    assert 2000 <= sum(1 for ch in body if "\u4e00" <= ch <= "\u9fff") <= 4000


def test_cache_and_workers_never_change_the_output(bench_site, tmp_path):
    root, facts = bench_site
    shutil.rmtree(root / ".cache", ignore_errors=True)
    plain = build(root, GONGKAI_CACHE="0", GONGKAI_WORKERS="1")
    # nothing cached: the folder holds only the build lock (gongkai/build/lock.py)
    assert [p.name for p in (root / ".cache" / "gongkai").iterdir()] == ["build.lock"]
    cold = build(root, GONGKAI_WORKERS="2")  # cold cache, two worker processes
    assert (root / ".cache" / "gongkai" / "pages").is_dir()
    warm = build(root, GONGKAI_WORKERS="2")  # every document page from the cache
    assert cold.keys() == plain.keys()
    assert [k for k in cold if cold[k] != plain[k]] == []
    assert [k for k in warm if warm[k] != cold[k]] == []
    assert warm.keys() == cold.keys()

    # Edit one document: the rebuild equals a cold build of the edited site, and its page changed.
    doc = root / facts["edit_doc"]
    doc.write_text(doc.read_text(encoding="utf-8") + "\n补充说明：本文件自发布之日起施行。\n", encoding="utf-8")
    rebuilt = build(root)
    edited = f"documents/{doc.stem}.html"
    assert rebuilt[edited] != warm[edited]
    assert "补充说明：本文件自发布之日起施行。" in rebuilt[edited].decode("utf-8")
    shutil.rmtree(root / ".cache")
    assert build(root, GONGKAI_CACHE="0") == rebuilt

    # Rename a column: every page of a document in it shows the new name, cached or not.
    columns = root / "catalog" / "columns.yml"
    columns.write_text(columns.read_text(encoding="utf-8").replace("name: 最低生活保障", "name: 城乡低保", 1),
                       encoding="utf-8")
    build(root)  # warm the cache with the old pages removed
    renamed = build(root)
    assert renamed == build(root, GONGKAI_CACHE="0")
    in_column = [k for k, v in renamed.items() if k.startswith("documents/") and "zd1-1/index.html" in v.decode("utf-8")]
    assert in_column and all("城乡低保" in renamed[k].decode("utf-8") for k in in_column)


def test_bench_pages_are_the_example_pages(bench_site, example_site):
    root, _ = bench_site
    site = root / "site"
    if not site.exists():
        build(root)
    # every document page parsed once: the first normative one in force, the validity labels, the 解读 links
    bn_doc = None
    labels: set[str] = set()
    src = jd = False
    for page in map(soup, sorted((site / "documents").glob("*.html"))):
        if bn_doc is None and page.select_one("table.gk-docmeta .gk-badge--valid"):
            bn_doc = page
        labels |= {b.get_text() for b in page.select("span.gk-badge[data-gk-validity]")}
        src = src or page.select_one("#gk-rel-src") is not None
        jd = jd or page.select_one("#gk-rel-jd") is not None
    # a document page: same chrome, same metadata table, same article structure
    ex_doc = soup(example_site / "documents" / "szmz-2024-3.html")  # a normative document in force
    assert bn_doc is not None
    assert outline(bn_doc, "body") == outline(ex_doc, "body")
    assert [th.get_text() for th in bn_doc.select("table.gk-docmeta th")] == \
        [th.get_text() for th in ex_doc.select("table.gk-docmeta th")]
    for selector in ("nav.gk-breadcrumb", "article.gk-document", "h1.gk-doc-title", "div.gk-doc-body", "p.gk-doc-columns"):
        assert bn_doc.select_one(selector) is not None, selector
    # validity: every label of the example appears in the bench site, with the same badge markup
    assert {"现行有效", "尚未生效", "已修改", "已失效", "已废止"} <= labels
    # 解读 links both ways
    assert src and jd
    # list pages: a documents column, the policies column, a section, reports, the catalogue table, search
    pairs = {
        "documents": ("fdzdgknr/zcfg/bmwj/index.html", "zd/zd1/zd1-1/index.html", "table.gk-doclist"),
        "policies": ("zcwj/index.html", "zcwj/gfxwj/index.html", "table.gk-doclist"),
        "section": ("fdzdgknr/index.html", "fd/index.html", "ul.gk-children"),
        "reports": ("zfxxgknb/index.html", "ndbg/index.html", "section.gk-report-year"),
        "catalogue": ("bzml/index.html", "bzml/index.html", "table.gk-catalogue"),
    }
    for kind, (ex_path, bn_path, selector) in pairs.items():
        ex, bn = soup(example_site / ex_path), soup(site / bn_path)
        assert outline(bn, "body") == outline(ex, "body"), kind
        assert ex.select_one(selector) is not None and bn.select_one(selector) is not None, kind
    if (example_site / "search" / "index").is_dir():
        assert (site / "search" / "index" / "manifest.js").is_file()
