"""Pages of MkDocs' page pipeline (home, columns, 标准目录, packages, fixed pages, shells) reused from the build cache
(gongkai/mkdocs/pagecache.py): a warm build after a change writes exactly the bytes a cold build of the same inputs
writes elsewhere, for every input that shapes such a page, and the cache is really used (hits counted).

Each case: the example bureau (with an overrides/ folder) built once (cache filled), the input changed, built again
(warm), its inputs copied into a fresh folder and built there (cold); the two site/ trees and site.manifest.json
compared byte for byte, the change checked to be on the pages, and the number of pages taken from the cache checked
(all of them after no change; none after a change every frame shows)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site, tree_digest
from gongkai.build.cache import BuildCache
from gongkai.mkdocs.pagecache import Unstable, picture
from gongkai.mkdocs.plugin import GongkaiPlugin

DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）: in bmwj, lsjz and zcwj
MAIN_HTML = '{% extends "gongkai.html" %}\n{% block announce %}{% include "partials/gk-notice.html" %}{% endblock %}\n'
NOTICE = "系统维护通知：第一次"


@dataclass
class Pages:
    """What the page cache did in one build (MkDocs keeps one plugin instance across builds in a process)."""

    found: set[str]  # pages linked from the cache (their address)
    rendering: set[str]  # pages Material rendered (their source name)
    plans: int  # pages of MkDocs' pipeline that gongkai makes
    cache_on: bool

    @property
    def rendered_html(self) -> set[str]:
        return {src.removesuffix(".md") + ".html" for src in self.rendering}


def build(root: Path, build_date: str = BUILD_DATE) -> Pages:
    """`mkdocs build` of root in this process (the plugin's real build path); what its page cache did.
    Without the search index (not made by MkDocs' page pipeline; both builds of a case alike)."""
    config = build_in_process(root, build_date, {"GONGKAI_SEARCH": "0"})
    plugin = config.plugins["gongkai"]
    cache = plugin.page_cache
    return Pages(set(cache.found) if cache else set(), set(cache.rendering) if cache else set(), len(plugin.plans),
                 cache is not None)


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """The example with an override template and partial, built once: its cache holds every page."""
    root = copy_example(tmp_path_factory.mktemp("pagecache") / "base")
    (root / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (root / "overrides" / "main.html").write_text(MAIN_HTML, encoding="utf-8")
    (root / "overrides" / "partials" / "gk-notice.html").write_text(NOTICE, encoding="utf-8")
    first = build(root)
    assert first.cache_on and not first.found  # nothing cached yet: all rendered
    assert len(first.rendering) == first.plans > 40
    return root


def warm_copy(warmed: Path, dest: Path) -> Path:
    shutil.copytree(warmed, dest, symlinks=True)
    return dest


def check_warm_equals_cold(root: Path, tmp_path: Path, build_date: str = BUILD_DATE):
    """Build root warm and a copy of its inputs cold; both trees byte-identical. Returns the warm plugin and files."""
    plugin = build(root, build_date)
    cold = cold_copy(root, tmp_path / "cold")
    build(cold, build_date)
    warm_files = same_site(root, cold)
    assert len(warm_files) > 100
    return plugin, warm_files


def pages_with(files: dict[str, bytes], text: str) -> list[str]:
    return sorted(n for n, v in files.items() if n.endswith(".html") and text.encode() in v)


def test_unchanged_pages_come_from_the_cache(warmed, tmp_path):
    root = warm_copy(warmed, tmp_path / "warm")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert plugin.cache_on and not plugin.rendering  # Material rendered nothing
    assert len(plugin.found) == plugin.plans
    assert NOTICE in files["index.html"].decode()  # the override is on the cached pages


def test_document_body_edited(warmed, tmp_path):
    """A body is on its own page only: the column pages and the other pages come from the cache."""
    root = warm_copy(warmed, tmp_path / "warm")
    (root / DOC).write_text((root / DOC).read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n", encoding="utf-8")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert "本办法由示例市民政局负责解释。" in files["documents/szmz-2022-2.html"].decode()
    assert not plugin.rendering and len(plugin.found) == plugin.plans


def test_document_title_changed(warmed, tmp_path):
    """A title is on the column pages that list the document (and the home page's latest): those are rendered."""
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / DOC, "title: ", "title: 修订：")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    listing = [n for n in pages_with(files, "修订：示例市临时救助实施办法") if not n.startswith("documents/")]
    assert len(listing) >= 3  # bmwj, lsjz, zcwj
    assert set(listing) <= plugin.rendered_html
    assert plugin.found  # the others from the cache


def test_column_renamed(warmed, tmp_path):
    """Every frame holds the navigation (Material prunes it to the current section, so not every page shows this
    name; the tabs and neighbours still come from it): a renamed column renders every page again."""
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert len(pages_with(files, "本部门文件")) >= 10
    assert not plugin.found


def test_document_taken_out_of_a_column(warmed, tmp_path):
    """A column's document list changed: the document leaves zcwj (政策文件) and stays in its other columns."""
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / DOC, "columns: [bmwj, lsjz, zcwj]", "columns: [bmwj, lsjz]")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert "示例市临时救助实施办法" not in files["zcwj/index.html"].decode()
    assert "示例市临时救助实施办法" in (warmed / "site" / "zcwj" / "index.html").read_text(encoding="utf-8")
    assert plugin.found and plugin.rendering


def test_document_added_to_a_column(warmed, tmp_path):
    root = warm_copy(warmed, tmp_path / "warm")
    text = (root / DOC).read_text(encoding="utf-8")
    new = (text.replace("title: 示例市临时救助实施办法（试行）", "title: 示例市临时救助补充通知")
           .replace("示民规〔2022〕2号", "示民规〔2022〕9号").replace("2022-00001", "2022-00091")
           .replace("columns: [bmwj, lsjz, zcwj]", "columns: [lsjz]"))
    (root / DOC).with_name("szmz-2022-9.md").write_text(new, encoding="utf-8")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert any(n.endswith("/lsjz/index.html") for n in pages_with(files, "示例市临时救助补充通知"))
    assert plugin.rendering


def test_document_withdrawn(warmed, tmp_path):
    """A withdrawal (catalog/withdrawals.yml) takes the document off every column page that listed it."""
    root = warm_copy(warmed, tmp_path / "warm")
    (root / "catalog" / "withdrawals.yml").write_text(
        "withdrawals:\n  - {id: szmz-2022-2, date: 2026-11-20, reason: 误发布}\n", encoding="utf-8")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert [n for n in pages_with(files, "示例市临时救助实施办法（试行）") if not n.startswith("documents/")] == []
    assert plugin.rendering


def test_site_yml_changed(warmed, tmp_path):
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / "catalog" / "site.yml", "name: 示例市民政局\n", "name: 示例市民政局（新）\n")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert "示例市民政局（新）" in files["index.html"].decode()
    assert not plugin.found  # the bureau's name is in every header


@pytest.mark.parametrize("name", ["main.html", "partials/gk-notice.html"])
def test_override_template_changed(warmed, tmp_path, name):
    """The bureau's overrides/: the template itself, or a partial it includes (a theme file MkDocs never names)."""
    root = warm_copy(warmed, tmp_path / "warm")
    path = root / "overrides" / name
    path.write_text(path.read_text(encoding="utf-8").replace("{% endblock %}", "（今晚）{% endblock %}")
                    .replace(NOTICE, NOTICE + "（已更新）"), encoding="utf-8")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    shown = "（今晚）" if name == "main.html" else "（已更新）"
    assert len(pages_with(files, shown)) > 40
    assert not plugin.found


def test_theme_icon_added(warmed, tmp_path):
    """Any file of a theme folder counts (an icon under overrides/.icons/ included by a template)."""
    root = warm_copy(warmed, tmp_path / "warm")
    (root / "overrides" / ".icons" / "gk").mkdir(parents=True)
    (root / "overrides" / ".icons" / "gk" / "mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M1 1h22v22H1z"/></svg>', encoding="utf-8")
    edit(root / "overrides" / "partials" / "gk-notice.html", NOTICE, NOTICE + '{% include ".icons/gk/mark.svg" %}')
    check_warm_equals_cold(root, tmp_path)
    # the icon's bytes change, nothing else: the pages show the new drawing
    icon = root / "overrides" / ".icons" / "gk" / "mark.svg"
    icon.write_text(icon.read_text(encoding="utf-8").replace("M1 1h22v22H1z", "M2 2h20v20H2z"), encoding="utf-8")
    shutil.rmtree(tmp_path / "cold")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert len(pages_with(files, "M2 2h20v20H2z")) > 40
    assert not plugin.found


def test_build_date_changed(warmed, tmp_path):
    """The build date reaches column pages through their bodies (a policy's validity): rendered again; the frames
    do not show it."""
    root = warm_copy(warmed, tmp_path / "warm")
    plugin, files = check_warm_equals_cold(root, tmp_path, build_date="2027-02-01")  # a policy effective 2027-01-01 now in force
    before = tree_digest(warmed / "site")
    changed = sorted(n for n in files if n.endswith("index.html") and files[n] != before.get(n))
    assert changed  # the listings show validity as of the build date
    assert set(changed) <= plugin.rendered_html
    assert plugin.found  # pages without a date-dependent part still cached


def test_mkdocs_yml_changed(warmed, tmp_path):
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / "mkdocs.yml", "site_name: 示例市民政局政府信息公开专栏\n", "site_name: 示例市民政局政府信息公开专栏（测试）\n")
    plugin, files = check_warm_equals_cold(root, tmp_path)
    assert len(pages_with(files, "政府信息公开专栏（测试）")) > 40
    assert not plugin.found


def test_bodies_of_cached_pages_are_not_read(warmed, tmp_path, monkeypatch):
    """A page the page cache has is keyed on its body's key (a listing's): its body is not even read (the plugin's
    bodies_later, _fill_bodies). The pages Material renders get theirs: see test_mkdocs_yml_changed (every frame
    changed, every body from the cache) and the next test."""
    reads: list[str] = []
    real = BuildCache.read
    monkeypatch.setattr(BuildCache, "read", lambda cache, key, *a: reads.append(key) or real(cache, key, *a))
    root = warm_copy(warmed, tmp_path / "warm")
    plugin = build(root)
    assert not plugin.rendering and len(plugin.found) == plugin.plans and reads == []
    cold = cold_copy(root, tmp_path / "cold")
    build(cold)
    same_site(root, cold)


def test_bodies_are_not_read_when_a_bureau_template_names_only_pages(tmp_path, monkeypatch):
    """A bureau's template that names `pages` without `content` (the pages' titles, their number) shows no page's
    body: the pages are still taken from the cache and their bodies never read, and a warm build after a document's
    edit is a cold build's, byte for byte. (One naming `content` too turns the page cache off: OTHER_CONTENT,
    tests/mkdocs/test_pagecache_neighbours.py.)"""
    root = copy_example(tmp_path / "site")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "main.html").write_text(
        '{% extends "gongkai.html" %}\n{% block announce %}{{ pages|length }} {{ pages[3].title }}{% endblock %}\n',
        encoding="utf-8")
    build(root)
    edit(root / "content/documents/2026/szmz-2026-2.md", "规范相关管理，制定本办法。", "规范相关管理，特制定本办法。")
    reads: list[str] = []
    real = BuildCache.read
    monkeypatch.setattr(BuildCache, "read", lambda cache, key, *a: reads.append(key) or real(cache, key, *a))
    config = build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    plugin = config.plugins["gongkai"]
    assert plugin.page_cache is not None and "pages" in plugin.page_cache.named and plugin.page_cache.found
    assert len(reads) < len(plugin.body_keys) and len(plugin.body_keys) > 20
    cold = cold_copy(root, tmp_path / "cold")
    build(cold)
    same_site(root, cold)


def test_a_page_rendered_without_the_body_left_for_later_fails(warmed, tmp_path, monkeypatch):
    """The check of the rule above: bodies left for later and never filled in publish empty columns once Material
    renders the pages again (mkdocs.yml changed), and the comparison with a cold build fails."""
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / "mkdocs.yml", "site_name: 示例市民政局政府信息公开专栏\n", "site_name: 示例市民政局政府信息公开专栏（测试）\n")
    with monkeypatch.context() as m:
        m.setattr(GongkaiPlugin, "_fill_bodies", lambda plugin, taken: setattr(plugin, "bodies_later", None))
        build(root)
    cold = cold_copy(root, tmp_path / "cold")
    build(cold)
    with pytest.raises(AssertionError, match="index.html"):
        same_site(root, cold)


def test_another_plugin_turns_the_cache_off(warmed, tmp_path):
    """Another plugin's page hooks could depend on anything: no page is taken from or put into the cache."""
    root = warm_copy(warmed, tmp_path / "warm")
    edit(root / "mkdocs.yml", "plugins:\n  - gongkai\n", "plugins:\n  - gongkai\n  - search\n")
    plugin = build(root)
    assert not plugin.cache_on


def test_picture_refuses_values_without_a_stable_picture():
    class Thing:
        pass

    assert picture({"b": [1, 2], "a": (3,)}) == picture({"a": [3], "b": (1, 2)})
    with pytest.raises(Unstable):
        picture({"x": Thing()})


def test_material_and_gongkai_templates_use_neither_optional_context_variable():
    """MkDocs' build_date_utc and pages are left out of the key unless a bureau's template names them: true only while
    no template of Material's or gongkai's reads them (Jinja's own list of each template's free variables)."""
    import jinja2
    import jinja2.meta
    import material
    from mkdocs.theme import Theme

    from gongkai.mkdocs.pagecache import OPTIONAL_CONTEXT
    from gongkai.mkdocs.plugin import THEME_DIR

    env = Theme(name="material").get_env()  # with MkDocs' filters (url, script_tag …)
    folders = [Path(material.__file__).parent / "templates", THEME_DIR]
    templates = [p for f in folders for p in f.rglob("*.html")]
    assert len(templates) > 40

    def free_variables(source: str) -> set[str]:
        while True:  # filters of plugins not in use (Material's blog templates: date …) as pass-throughs
            try:
                return jinja2.meta.find_undeclared_variables(env.parse(source))
            except jinja2.TemplateAssertionError as exc:
                missing = re.match(r"No (filter|test) named '([^']+)'", str(exc))
                assert missing, exc
                getattr(env, "filters" if missing.group(1) == "filter" else "tests")[missing.group(2)] = lambda v, *a, **k: v

    used = {p.name: free_variables(p.read_text(encoding="utf-8")) for p in templates}
    assert any("page" in names for names in used.values())  # the check does see context variables
    assert {name: sorted(set(OPTIONAL_CONTEXT) & names) for name, names in used.items() if set(OPTIONAL_CONTEXT) & names} == {}


def test_a_bureau_template_naming_pages_puts_them_in_the_key(tmp_path):
    from gongkai.mkdocs.pagecache import bureau_names
    from gongkai.mkdocs.plugin import THEME_DIR

    (tmp_path / "main.html").write_text('{% extends "gongkai.html" %}{% block x %}{{ pages|length }}{% endblock %}',
                                        encoding="utf-8")
    assert bureau_names([str(tmp_path), str(THEME_DIR)], THEME_DIR) == {"pages"}
    (tmp_path / "main.html").write_text("{{ build_date_utc }}", encoding="utf-8")
    assert bureau_names([str(tmp_path)], THEME_DIR) == {"build_date_utc"}


def test_a_bureau_template_that_may_show_another_pages_content_turns_the_page_cache_off(tmp_path):
    """`content` with a way to other pages (nav, next_page, pages …) in the bureau's templates: OTHER_CONTENT, and
    PageCache.start gives no cache; either alone is not (a block named content, a nav partial)."""
    from gongkai.mkdocs.pagecache import OTHER_CONTENT, bureau_names
    from gongkai.mkdocs.plugin import THEME_DIR

    (tmp_path / "main.html").write_text("{% block content %}{{ super() }}{% endblock %}", encoding="utf-8")
    assert bureau_names([str(tmp_path)], THEME_DIR) == frozenset()
    (tmp_path / "nav.html").write_text("{% for item in nav %}{{ item.title }}{% endfor %}", encoding="utf-8")
    assert OTHER_CONTENT in bureau_names([str(tmp_path)], THEME_DIR)  # content (main.html) and nav (nav.html)
    (tmp_path / "main.html").unlink()
    assert bureau_names([str(tmp_path)], THEME_DIR) == frozenset()


@pytest.mark.parametrize("part", ["toc", "markdown", "meta"])
def test_a_bureau_template_that_may_show_another_pages_parts_turns_the_page_cache_off(tmp_path, part):
    """Another page's table of contents, Markdown or meta is no more in a page's key than its body: with a way to
    other pages, OTHER_CONTENT; an HTML <meta> tag is not the page's meta."""
    from gongkai.mkdocs.pagecache import OTHER_CONTENT, bureau_names
    from gongkai.mkdocs.plugin import THEME_DIR

    (tmp_path / "main.html").write_text(f"{{% for p in pages %}}{{{{ p.{part} }}}}{{% endfor %}}", encoding="utf-8")
    assert OTHER_CONTENT in bureau_names([str(tmp_path)], THEME_DIR)
    (tmp_path / "main.html").write_text('<meta name="x"><meta/>{% if 1<pages|length %}{% endif %}', encoding="utf-8")
    assert bureau_names([str(tmp_path)], THEME_DIR) == {"pages"}
    (tmp_path / "main.html").write_text('{% for p in pages %}{{ 1<p.meta|length }}{% endfor %}', encoding="utf-8")
    assert OTHER_CONTENT in bureau_names([str(tmp_path)], THEME_DIR)
