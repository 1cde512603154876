"""Bodies of the pages that list documents (home, documents and 政策文件 columns, sections, 年度报告) reused from the
build cache by their inputs (gongkai/build/pages.py SitePlan.body_inputs, gongkai/mkdocs/plugin.py on_page_content):
a warm build after a change writes exactly the bytes a cold build of the same inputs writes elsewhere, for every input
such a body is keyed on, and an unchanged body is really taken from the cache (counted).

Each case changes one input that only a listing shows (a row's field, a 解读's form or withdrawal, the validity as of
the build date, a column's header, a child's 更新频率) on a page that nothing else changes, so a key that left the
input out would publish the old body and the comparison with the cold build fails. The page cache (pagecache.py,
keyed on the body's HTML) is on in both builds: a stale body would go through it unnoticed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site, tree_digest
from gongkai.build.pages import CACHED_BODIES

POLICY = "content/documents/2026/szmz-2026-2.md"  # in bmwj, ylzc, zcwj; interpreted by szmz-2026-2-jd (图解)
JD = "content/documents/2026/szmz-2026-2-jd.md"  # the 解读: in zcjd and ylzc, not in zcwj (政策文件)
TEMPORARY = "content/documents/2022/szmz-2022-2.md"  # 临时救助实施办法（试行）: bmwj, lsjz, zcwj; expired 2024-04-30


@dataclass
class Bodies:
    cached: list[str]  # src_uri of the bodies taken from the cache
    rendered: list[str]  # src_uri of the bodies keyed and rendered
    keyed: set[str]  # src_uri of the pages whose body is keyed (CACHED_BODIES)


def build(root: Path, build_date: str = BUILD_DATE) -> Bodies:
    """`mkdocs build` of root in this process (the plugin's real build path), without the search index."""
    config = build_in_process(root, build_date, {"GONGKAI_SEARCH": "0"})
    plugin = config.plugins["gongkai"]
    keyed = {p.src_uri for p in plugin.plans.values() if p.template in CACHED_BODIES and not p.markdown}
    return Bodies(list(plugin.bodies["cached"]), list(plugin.bodies["rendered"]), keyed)


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    root = copy_example(tmp_path_factory.mktemp("bodycache") / "base")
    first = build(root)
    assert not first.cached and set(first.rendered) == first.keyed and len(first.keyed) > 20
    return root


def warm_equals_cold(warmed: Path, tmp_path: Path, change, build_date: str = BUILD_DATE) -> tuple[Bodies, dict]:
    """Copy the warmed site, change it, build it warm and a copy of its inputs cold: both trees byte-identical."""
    root = shutil.copytree(warmed, tmp_path / "warm", symlinks=True)
    change(root)
    bodies = build(root, build_date)
    cold = cold_copy(root, tmp_path / "cold")
    build(cold, build_date)
    warm_files = same_site(root, cold)
    assert len(warm_files) > 100
    return bodies, warm_files


def page(files: dict, name: str) -> str:
    return files[name].decode("utf-8")


def test_unchanged_bodies_come_from_the_cache(warmed, tmp_path):
    """A document's body edited: no listing shows it, every keyed body is taken from the cache."""
    def change(root):
        (root / POLICY).write_text((root / POLICY).read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n",
                                   encoding="utf-8")

    bodies, files = warm_equals_cold(warmed, tmp_path, change)
    assert "本办法由示例市民政局负责解释。" in page(files, "documents/szmz-2026-2.html")
    assert bodies.rendered == [] and set(bodies.cached) == bodies.keyed


def _withdraw_jd(root: Path) -> None:
    (root / "catalog" / "withdrawals.yml").write_text(
        "withdrawals:\n  - {id: szmz-2026-2-jd, date: 2026-11-20, reason: 误发布}\n", encoding="utf-8")


# (what changes, the change, a page whose body shows it (never the changed document's own column only by a
# title), text there after the change)
CASES = {
    "解读的形式": (lambda r: edit(r / JD, "form: 图解", "form: 问答"), "zcwj/index.html", 'data-form="问答"'),
    "解读撤回": (_withdraw_jd, "zcwj/index.html", None),
    "文号": (lambda r: edit(r / POLICY, "示民规〔2026〕2号", "示民规〔2026〕20号"), "zcwj/index.html", "示民规〔2026〕20号"),
    "发布日期": (lambda r: edit(r / POLICY, "published: 2026-03-16", "published: 2026-03-17"), "zcwj/index.html",
             'datetime="2026-03-17"'),
    "索引号": (lambda r: edit(r / POLICY, "2489999F/2026-00004", "2489999F/2026-00044"), "zcwj/index.html",
            "2489999F/2026-00044"),
    "发布机构": (lambda r: edit(r / POLICY, "publisher: 示例市民政局\n", "publisher: 示例市民政局办公室\n"),
             "zcwj/index.html", "示例市民政局办公室"),
    "主题分类": (lambda r: edit(r / POLICY, "topic: 民政、扶贫、救灾\\社会福利", "topic: 综合政务"), "zcwj/index.html", None),
    # still 现行有效 (the default term ran to 2028-04-15): only the badge's data-expires changes
    "有效期至": (lambda r: edit(r / POLICY, "effective: 2026-04-16\n", "effective: 2026-04-16\nexpires: 2029-04-15\n"),
             "zcwj/index.html", 'data-expires="2029-04-15"'),
    "失效": (lambda r: edit(r / TEMPORARY, "expires: 2024-04-30", "expires: 2028-04-30"), "zcwj/index.html",
           'data-expires="2028-04-30"'),
    "栏目负责科室": (lambda r: edit(r / "catalog" / "columns.yml", "每月更新\n            office: 社会救助处\n            implements: [shjz-11]",
                               "每月更新\n            office: 临时救助科\n            implements: [shjz-11]"),
               None, "负责科室：临时救助科"),
    "下级栏目更新频率": (lambda r: edit(r / "catalog" / "columns.yml", "name: 养老机构名录\n            kind: documents\n            frequency: 每季度更新",
                                   "name: 养老机构名录\n            kind: documents\n            frequency: 每半年更新"),
                   None, "每半年更新"),
}


@pytest.mark.parametrize("what", list(CASES))
def test_a_listed_input_changed(warmed, tmp_path, what):
    change, name, shown = CASES[what]
    bodies, files = warm_equals_cold(warmed, tmp_path, change)
    before = tree_digest(warmed / "site")
    if name is None:  # the pages whose body shows the new text
        changed = sorted(n for n, v in files.items() if n.endswith("index.html") and shown.encode() in v)
        assert changed, shown
    else:
        if shown is not None:
            assert shown in page(files, name)
        assert files[name] != before[name]
        changed = [name]
    listings = {n.removesuffix(".html") + ".md" for n in changed} & bodies.keyed  # not e.g. the 标准目录
    assert listings and listings <= set(bodies.rendered)
    assert bodies.cached  # the other bodies from the cache


def test_interpretation_withdrawn_leaves_the_policy_row(warmed, tmp_path):
    """The policy stays on 政策文件; only its row's 解读 link goes (the 解读 itself was never listed there)."""
    bodies, files = warm_equals_cold(warmed, tmp_path, _withdraw_jd)
    html = page(files, "zcwj/index.html")
    assert "示例市社区居家养老服务补贴暂行办法" in html and "szmz-2026-2-jd.html" not in html
    assert "szmz-2026-2-jd.html" in (warmed / "site" / "zcwj" / "index.html").read_text(encoding="utf-8")


def test_validity_as_of_the_build_date(warmed, tmp_path):
    """Nothing changed but the build date: a 暂行办法 published 2026-03-16 without `expires` (the default term of 2
    years: until 2028-04-15) is 已失效 on 2028-05-01, on every listing of it, although no input file changed."""
    bodies, files = warm_equals_cold(warmed, tmp_path, lambda r: None, build_date="2028-05-01")
    row = page(files, "zcwj/index.html").split("szmz-2026-2.html", 1)[1].split("</tr>", 1)[0]
    assert "已失效" in row and "现行有效" in (warmed / "site" / "zcwj" / "index.html").read_text(encoding="utf-8").split(
        "szmz-2026-2.html", 1)[1].split("</tr>", 1)[0]
    assert "zcwj/index.md" in bodies.rendered


def test_a_bureau_template_turns_body_caching_off(warmed, tmp_path):
    """A template in overrides/gongkai/ may show anything of the catalogue: no body is keyed, all are rendered, and
    a change of the template is on every listing."""
    def change(root):
        own = root / "overrides" / "gongkai"
        own.mkdir(parents=True)
        head = (Path(__file__).parents[2] / "gongkai" / "build" / "templates" / "_head.html").read_text(encoding="utf-8")
        (own / "_head.html").write_text(head + "<p>本栏目由第一版模板生成</p>\n", encoding="utf-8")

    bodies, files = warm_equals_cold(warmed, tmp_path, change)
    assert bodies.cached == [] and bodies.rendered == []
    assert "本栏目由第一版模板生成" in page(files, "zcwj/index.html")
