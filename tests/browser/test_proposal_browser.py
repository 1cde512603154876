"""The 栏目调整方案 report and a preview page in headless Chromium: offline (nothing requested outside localhost),
axe-core clean in the standard view and in 长辈版, and the report printable on A4."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from proposal_scenario import CHANGES, RSXX_INTO, TODAY, commit_proposal

from browser import axe_violations, elder_on, serve, watch
from conftest import copy_example, run_cli
from gongkai.tools.proposal import build_proposal, format_html


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example with the proposal committed: the report (with a rule break: 人事信息's document has no
    destination) and the preview site (built from the proposal where it goes to 工作推进), on localhost."""
    root = commit_proposal(copy_example(tmp_path_factory.mktemp("proposal-browser")), CHANGES + RSXX_INTO)
    out = root / "site-preview"
    r = run_cli(root, "preview", "HEAD~1", extra_env={"NO_MKDOCS_2_WARNING": "1"})
    assert r.returncode == 0, r.stderr
    # the report with a rule break, to show the 问题 table as well
    (root / "catalog" / "changes.yml").write_text(CHANGES, encoding="utf-8")
    (out / "report.html").write_text(format_html(build_proposal("HEAD~1", str(root), root, TODAY)), encoding="utf-8")
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def contexts(browser):
    standard = browser.new_context()
    elder = browser.new_context()
    elder.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    yield {"standard": standard, "elder": elder}
    standard.close()
    elder.close()


def _open(contexts, mode: str, url: str):
    page = contexts[mode].new_page()
    blocked, failed, errors = watch(page)
    page.goto(url, wait_until="networkidle")
    return page, blocked, failed, errors


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_report_offline_and_axe_clean(served, contexts, mode):
    page, blocked, failed, errors = _open(contexts, mode, served + "report.html")
    if mode == "elder":  # the report has no script; its large-text mode is the same class 长辈版 sets on the site
        page.evaluate("document.documentElement.classList.add('gk-elder')")
        assert page.eval_on_selector("body", "e => parseFloat(getComputedStyle(e).fontSize)") >= 20
    assert page.locator("#changes tbody tr").count() == 6
    assert page.locator("#problems tbody tr").count() == 1
    violations = axe_violations(page)
    page.close()
    assert (blocked, failed, errors) == ([], [], [])
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


# With some fonts (Debian's Noto CJK) the PDF's ToUnicode map gives a glyph shared with a radical as the radical:
# U+2F6C ⽬ for 目 (NFKC maps the Kangxi radicals back), U+2EC5 ⻅ for 见 (the CJK Radicals Supplement has no
# normalization: the simplified forms this report prints, mapped here). The same text to a reader.
_RADICALS = str.maketrans("⺠⻅⻓⻔⻛⻢⻋⻜⻘⻉⻚⻥⻦⻬⻮⻰⻳⻆", "民见长门风马车飞青贝页鱼鸟齐齿龙龟角")


def _readable(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_RADICALS)


def test_report_prints_on_a4(served, contexts, tmp_path):
    page = contexts["standard"].new_page()
    page.goto(served + "report.html", wait_until="networkidle")
    pdf = page.pdf(prefer_css_page_size=True)
    page.close()
    out: Path = tmp_path / "report.pdf"
    out.write_bytes(pdf)
    from pypdf import PdfReader

    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    # A4 landscape: 297 x 210 mm = 841.9 x 595.3 pt
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = _readable("".join(p.extract_text() for p in reader.pages))
    assert "栏目调整方案" in text and "人事信息" in text and "分管领导审批意见" in text
    assert all(round(float(pg.mediabox.width)) == 842 for pg in reader.pages)
    # nothing is cut off on the right: at the printable width of A4 landscape (297 mm - 2 x 12 mm = 273 mm = 1032
    # CSS px) the printed layout is no wider than the page
    page = contexts["standard"].new_page()
    page.set_viewport_size({"width": 1032, "height": 730})
    page.goto(served + "report.html", wait_until="networkidle")
    page.emulate_media(media="print")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.close()
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("mode", ["standard", "elder"])
@pytest.mark.parametrize("path", ["zdlyxxgk/hydj/index.html", "bzml/index.html", "documents/szmz-2026-rs-1.html"])
def test_preview_page_offline_and_axe_clean(served, contexts, mode, path):
    page, blocked, failed, errors = _open(contexts, mode, served + path)
    assert elder_on(page) == (mode == "elder")
    banner = page.locator("#gk-preview-banner")
    assert banner.is_visible() and banner.inner_text().startswith("预览：栏目调整方案（未发布）")
    violations = axe_violations(page)
    page.close()
    assert (blocked, failed, errors) == ([], [], [])
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
