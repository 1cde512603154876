"""A bureau's template may show another page's content through the navigation (page.next_page, nav): the page cache
keys a page on its neighbours' titles and addresses only (pagecache._neighbour), and since d8c3ffd a cached page's
body is not even filled in (plugin.bodies_later), so a rendered page next to it shows it empty. Known defect: the
warm build differs from a cold one (3 pages at ccbf2ab, 5 at 68d9b77); strict xfail until the page cache handles it."""

from __future__ import annotations

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site

DOC = "content/documents/2022/szmz-2022-2.md"  # in bmwj, lsjz and zcwj: their listing bodies change
NEIGHBOUR = ('{% extends "gongkai.html" %}\n{% block announce %}'
             '{{ ((page.next_page.content if page.next_page else "") or "")|length }}{% endblock %}\n')


@pytest.mark.xfail(strict=True, reason="page cache ignores the neighbours' content a bureau template may show")
def test_a_template_showing_the_next_pages_content_matches_a_cold_build(tmp_path):
    root = copy_example(tmp_path / "warm")
    (root / "overrides").mkdir(exist_ok=True)
    (root / "overrides" / "main.html").write_text(NEIGHBOUR, encoding="utf-8")
    build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    edit(root / DOC, "title: ", "title: 修订：")
    config = build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    cache = config.plugins["gongkai"].page_cache
    assert cache is not None and cache.found and cache.rendering  # some pages cached, some rendered
    cold = cold_copy(root, tmp_path / "cold")
    build_in_process(cold, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    same_site(root, cold)
