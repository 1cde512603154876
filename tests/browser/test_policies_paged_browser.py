"""A large 政策文件 column in real headless Chromium (issue 18, issue 16): rows chunks loaded from file:// and over
http, filters and the search over every row, 显示更多, the 解读 form filter, the paged no-JS list, 375 px, axe.

The site: 1,300 documents (tests/fixtures/policies_large.py), built once per session (conftest.large_policy_site).
"""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures.policies_large import DAY

from browser import axe_violations, overflow, serve, watch
from gongkai.build.paging import PAGE_ROWS
from gongkai.load.loader import load_catalogue

# policies.js has shown the lists (data-gk-ready: the filter in force) or given up loading rows (data-gk-error)
READY = "() => { const d = document.querySelector('[data-gk-policies]').dataset; return d.gkReady !== undefined || d.gkError !== undefined; }"


@pytest.fixture(scope="module")
def docs(large_policy_site):
    cat = load_catalogue(large_policy_site, DAY)
    return cat.documents_in(next(c for c in cat.columns() if c.kind == "policies"))


@pytest.fixture(scope="module")
def index(large_policy_site):
    return large_policy_site / "site" / "zcwj" / "index.html"


def _open(browser, url: str, width: int = 1280, js: bool = True):
    """A page in a context of its own; waits for policies.js on the column page (index.html)."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=js)
    page = ctx.new_page()
    if js:
        page.clock.install(time=dt.datetime.fromisoformat(f"{DAY}T10:00:00+08:00"))
    if url.startswith("http"):
        page.blocked, page.failed, page.errors = watch(page)  # (its routing serves no file:// address)
    else:
        page.blocked, page.failed, page.errors = [], [], []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("requestfailed", lambda r: page.failed.append(r.url))
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url)
    if js and "/index.html" in url:
        page.wait_for_selector("form.gk-pfilter:not([hidden])")
        page.wait_for_function(READY)
    return page


def _wait(page, part: str) -> None:
    page.wait_for_function("p => decodeURIComponent(document.querySelector('[data-gk-policies]').dataset.gkReady).includes(p)", arg=part)


def _shown(page) -> dict[str, list[str]]:
    out = {}
    for key in ("normative", "others"):
        hrefs = page.eval_on_selector_all(f"#gk-{key} tbody tr td:first-child > a", "els => els.map(a => a.getAttribute('href'))")
        out[key] = [h.rsplit("/", 1)[1].removesuffix(".html") for h in hrefs]
    return out


def _chunks(page) -> list[str]:
    return [u.split("/_rows/")[1] for u in page.requests if "/_rows/" in u]


def test_opening_loads_no_chunk_and_shows_the_first_page(browser, index, docs):
    page = _open(browser, index.as_uri())
    shown = _shown(page)
    assert shown["normative"] == [d.id for d in docs if d.normative][:PAGE_ROWS]
    assert shown["others"] == [d.id for d in docs if not d.normative][:PAGE_ROWS]
    assert _chunks(page) == []  # a reader who only looks at the newest documents loads nothing more
    assert not page.is_visible("[data-gk-pager]")  # 显示更多 instead of the static pages
    assert page.errors == []
    page.context.close()


def test_a_filter_from_file_loads_every_chunk_and_works_over_all_rows(browser, index, docs):
    page = _open(browser, index.as_uri() + "#year=2012")
    _wait(page, "year=2012")
    assert sorted(_chunks(page)) == ["normative-1.js", "normative-2.js", "others-1.js", "others-2.js"]
    shown = _shown(page)
    assert shown["normative"] == [d.id for d in docs if d.normative and d.published.year == 2012]
    assert shown["others"] == [d.id for d in docs if not d.normative and d.published.year == 2012]
    # the counts of the other facets now follow the condition (every row is here)
    n = len([d for d in docs if d.published.year == 2012 and d.publisher == "民政部"])
    assert page.eval_on_selector('select[name=publisher] option[value="民政部"]', "o => o.textContent") == f"民政部（{n}）"
    assert page.errors == [] and page.failed == []
    page.context.close()


def test_search_finds_a_document_deep_in_the_last_chunk(browser, index, docs):
    old = [d for d in docs if not d.normative][-3]  # far beyond the page's own rows: in others-2.js
    page = _open(browser, index.as_uri())
    page.fill("#gk-pq", old.doc_number.replace("〔", "[").replace("〕", "]"))
    _wait(page, "q=")
    assert _shown(page) == {"normative": [], "others": [old.id]}
    page.fill("#gk-pq", old.index_no)
    _wait(page, old.index_no)
    assert _shown(page)["others"] == [old.id]
    page.context.close()


def test_interpretation_form_filter(browser, index, docs):
    """Issue 16: a citizen lists the documents that have a 图解."""
    page = _open(browser, index.as_uri())
    page.select_option("select[name=form]", "图解")
    _wait(page, "form=")
    shown = _shown(page)
    want = [d for d in docs if "图解" in {j.form for j in d.interpretations}]
    assert want and sorted(shown["normative"] + shown["others"]) == sorted(d.id for d in want)
    forms = page.eval_on_selector_all(".gk-policytable tbody tr", "rs => rs.map(r => [...r.querySelectorAll('.gk-jd a')].map(a => a.dataset.form))")
    assert all("图解" in f for f in forms)
    page.select_option("select[name=form]", "*")
    _wait(page, "form=*")
    shown = _shown(page)
    assert sorted(shown["normative"] + shown["others"]) == sorted(d.id for d in docs if d.interpretations)
    page.context.close()


def test_show_more_loads_one_chunk_and_builds_the_same_rows_as_the_static_page(browser, index, docs):
    page = _open(browser, index.as_uri())
    page.click('[data-gk-plist="normative"] [data-gk-more]')
    page.wait_for_function("() => document.querySelectorAll('#gk-normative tbody tr').length === 200")
    assert _chunks(page) == ["normative-1.js"]
    built = page.eval_on_selector_all("#gk-normative tbody tr", "rs => rs.slice(100).map(r => r.outerHTML)")
    two = _open(browser, index.with_name("normative-2.html").as_uri())  # gongkai.js refreshes its badges too
    static = two.eval_on_selector_all("#gk-normative tbody tr", "rs => rs.map(r => r.outerHTML)")
    assert built == static  # rowElement (policies.js) and policyrow (_doctable.html) agree, badge and 解读 links too
    assert any("gk-jd" in r for r in built) and any("data-gk-state" in r for r in built)
    two.context.close()
    page.context.close()


def test_over_http_chunks_carry_the_build_version(browser, large_policy_site):
    with serve(large_policy_site / "site") as url:
        page = _open(browser, url + "zcwj/index.html#validity=repealed")
        _wait(page, "validity=repealed")
        version = page.evaluate("JSON.parse(document.querySelector('[data-gk-pdata]').textContent).version")
        assert _chunks(page) and all(c.endswith("?v=" + version) for c in _chunks(page))
        labels = set(page.eval_on_selector_all("[data-gk-validity]", "es => es.map(e => e.textContent)"))
        assert labels == {"已废止"}
        assert page.blocked == [] and page.failed == [] and page.errors == []
        page.context.close()


def test_a_chunk_that_cannot_load_leaves_the_paged_list(browser, large_policy_site, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(large_policy_site / "site" / "zcwj", site / "zcwj")
    shutil.copytree(large_policy_site / "site" / "assets", site / "assets")
    (site / "zcwj" / "_rows" / "others-2.js").unlink()
    page = _open(browser, (site / "zcwj" / "index.html").as_uri() + "#q=样本")
    page.wait_for_selector("[data-gk-policies][data-gk-error]")
    assert "未能载入" in page.inner_text(".gk-pfilter__status")
    assert page.is_visible('[data-gk-plist="normative"] [data-gk-pager]')
    page.context.close()


def test_without_javascript_the_paged_list_and_browse_pages(browser, index):
    page = _open(browser, index.as_uri(), js=False)
    assert not page.is_visible("form.gk-pfilter")
    assert page.is_visible('[data-gk-plist="normative"] [data-gk-pager]')
    assert page.is_visible("nav.gk-pbrowse")  # inside <noscript>: shown when scripts are off
    # a click waits only for the navigation to commit: wait for the new page's load before counting its rows
    page.click('[data-gk-plist="others"] [data-gk-pager] a[rel=next]')
    page.wait_for_url("**/zcwj/others-2.html")
    assert page.locator("table.gk-policytable tbody tr").count() == PAGE_ROWS
    page.click("nav.gk-pbrowse a:text-is('图解')")
    page.wait_for_url("**/zcwj/form-graphic.html")
    page.context.close()


@pytest.mark.parametrize("name", ["index.html", "normative-3.html", "topic-{key}.html"])
def test_phone_width_and_axe(browser, index, name):
    from gongkai.build.policies import _key

    name = name.format(key=_key("民政、扶贫、救灾\\社会福利"))
    js = name == "index.html"
    page = _open(browser, index.with_name(name).as_uri() + ("#form=*" if js else ""), width=375)
    if js:
        _wait(page, "form=*")
    out = overflow(page)
    assert out["scrollWidth"] <= out["width"], out
    assert axe_violations(page) == []
    assert page.errors == []
    page.context.close()
