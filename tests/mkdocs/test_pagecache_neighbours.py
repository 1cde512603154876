"""A bureau's template may show another page's content through the navigation (page.next_page, nav, pages): the
page cache keys a page on its neighbours' titles and addresses only (pagecache._neighbour), and a cached page's body
is not even filled in (plugin.bodies_later), so a rendered page next to it would show it stale or empty (3 pages
differed from a cold build at ccbf2ab, 5 at 68d9b77). Such a template turns the page cache off
(pagecache.OTHER_CONTENT): every page rendered with every body."""

from __future__ import annotations

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site

DOC = "content/documents/2022/szmz-2022-2.md"  # in bmwj, lsjz and zcwj: their listing bodies change
NEIGHBOUR = ('{% extends "gongkai.html" %}\n{% block announce %}'
             '{{ ((page.next_page.content if page.next_page else "") or "")|length }}{% endblock %}\n')
PAGES = ('{% extends "gongkai.html" %}\n{% block announce %}'
         '{{ pages|map(attribute="content")|map("string")|map("length")|sum }}{% endblock %}\n')


@pytest.mark.parametrize("template", [NEIGHBOUR, PAGES])
def test_a_template_showing_another_pages_content_matches_a_cold_build(tmp_path, template):
    root = copy_example(tmp_path / "warm")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "main.html").write_text(template, encoding="utf-8")
    build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    edit(root / DOC, "title: ", "title: 修订：")
    config = build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    assert config.plugins["gongkai"].page_cache is None  # no page taken from the cache
    cold = cold_copy(root, tmp_path / "cold")
    build_in_process(cold, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    same_site(root, cold)


# another page's table of contents, Markdown source or meta: none of them in a page's key either (its own are)
OTHER_PARTS = ('{% extends "gongkai.html" %}\n{% block announce %}{% for p in pages %}'
               '{{ p.toc|list|length }}:{{ (p.markdown or "")|length }};{% endfor %}{% endblock %}\n')
PAGE = "content/pages/jgjj.md"  # the page of the column 机构简介


def test_a_template_showing_another_pages_toc_matches_a_cold_build(tmp_path):
    """A column's page (机构简介) gains a heading: every page printing the pages' tables of contents shows it, as a
    cold build does (the home page taken from the cache kept the old count: 机构简介:0 against 1)."""
    root = copy_example(tmp_path / "warm")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "main.html").write_text(OTHER_PARTS, encoding="utf-8")
    build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    page = root / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n\n## 新增一节\n\n新增内容。\n", encoding="utf-8")
    build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    cold = cold_copy(root, tmp_path / "cold")
    build_in_process(cold, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    same_site(root, cold)
