"""A 图解 and a 视频 解读 of the example work offline, from file:// as from a server: the image loads, the video has
a local source and a caption track whose cues load."""

from __future__ import annotations

import pytest

from browser import axe_violations


@pytest.fixture(params=["http", "file"])
def base(request, example_url, example_site):
    return example_url if request.param == "http" else example_site.as_uri() + "/"


CAPTIONS = ["示例市困境儿童分类保障办法自2027年1月1日起施行。", "困境儿童分为生活困境、监护困境和残疾困境三类。"]


def test_tujie_image_loads(browser, base):
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "http://127.0.0.1", "data:")) else None)
    page.goto(base + "documents/szmz-2026-2-jd.html", wait_until="load")
    img = page.locator(".gk-doc-body img")
    assert img.evaluate("i => i.complete && i.naturalWidth") == 720
    assert page.locator(".gk-form-badge").first.inner_text() == "图解"
    assert outside == []
    page.close()


def test_video_has_a_source_and_captions_and_plays_offline(browser, base):
    page = browser.new_page()
    page.goto(base + "documents/szmz-2026-4-jd-sp.html", wait_until="load")
    video = page.locator(".gk-doc-body video")
    assert video.locator("source").get_attribute("src") == "../files/jd/szmz-2026-4-jd-sp.webm"
    assert video.locator("track").get_attribute("kind") == "captions"
    # the file itself loads: metadata (duration) is read from the local file
    page.wait_for_function("document.querySelector('.gk-doc-body video').readyState >= 1", timeout=15000)
    assert 3.5 < video.evaluate("v => v.duration") < 4.5
    cues = page.evaluate("""() => new Promise(done => {
        const v = document.querySelector('.gk-doc-body video'); const t = v.textTracks[0]; t.mode = 'showing';
        const el = v.querySelector('track');
        const read = () => done(Array.from(t.cues || []).map(c => c.text));
        if (el.readyState === 2) read(); else { el.addEventListener('load', read); setTimeout(read, 5000); }
    })""")
    if base.startswith("http"):
        assert cues == CAPTIONS
    else:
        # Chromium never loads a <track> from file:// (a file page has an opaque origin): the page carries the
        # 文字稿 as text, so a reader of a copy on disk still has every word
        assert cues == []
    body = page.locator(".gk-doc-body").inner_text()
    assert all(line in body for line in CAPTIONS)
    page.close()


def test_the_policy_page_shows_its_visual_interpretations_offline(browser, base):
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "http://127.0.0.1", "data:")) else None)
    page.goto(base + "documents/szmz-2026-2.html", wait_until="load")
    assert page.locator(".gk-jd-media img").evaluate("i => i.complete && i.naturalWidth") == 720
    assert page.locator(".gk-jd-media img").evaluate("i => i.getBoundingClientRect().width <= i.closest('article').clientWidth")
    assert axe_violations(page) == []
    page.goto(base + "documents/szmz-2026-4.html", wait_until="load")
    assert axe_violations(page) == []
    page.wait_for_function("document.querySelector('.gk-jd-media video').readyState >= 1", timeout=15000)
    assert 3.5 < page.locator(".gk-jd-media video").evaluate("v => v.duration") < 4.5
    assert outside == []
    page.close()
