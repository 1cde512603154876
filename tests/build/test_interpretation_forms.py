"""政策解读 forms (`form:`): a badge on the 解读 and in the policy's 解读 section; local images and local video/audio
with captions pass the sanitizer, remote media do not; a 视频 解读 without captions is warned about."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from conftest import BUILD_DATE, load_errors, make_site
from gongkai.build.sanitize import sanitize_html
from gongkai.load.loader import load_catalogue

DAY = dt.date.fromisoformat(BUILD_DATE)


def test_local_media_pass_and_remote_media_are_dropped():
    html = sanitize_html(
        '<video controls autoplay onplay="x()" src="a.webm"><source src="../files/a.webm" type="video/webm">'
        '<source src="https://cdn.example.com/a.mp4"><track kind="captions" src="a.vtt" srclang="zh" label="中文字幕">'
        '<track kind="captions" src="//cdn.example.com/a.vtt"></video>'
        '<audio controls src="http://example.com/a.mp3"></audio><audio controls src="b.mp3"></audio>'
        '<video src="/abs.webm"></video><video src="data:video/webm;base64,AAAA"></video>')
    page = BeautifulSoup(html, "html.parser")
    videos = page.find_all("video")
    assert videos[0].get("src") == "a.webm" and videos[0].has_attr("controls")
    assert not videos[0].has_attr("autoplay") and not videos[0].has_attr("onplay")
    assert [s.get("src") for s in page.find_all("source")] == ["../files/a.webm", None]
    assert [t.get("src") for t in page.find_all("track")] == ["a.vtt", None]
    assert page.find_all("track")[0]["label"] == "中文字幕"
    assert [a.get("src") for a in page.find_all("audio")] == [None, "b.mp3"]
    assert [v.get("src") for v in videos[1:]] == [None, None]


def test_policy_page_lists_its_interpretations_with_their_form(example_site):
    page = BeautifulSoup((example_site / "documents" / "szmz-2026-4.html").read_text(encoding="utf-8"), "lxml")
    items = page.select("#gk-rel-jd + ul li")
    assert [(li.a.get_text(), li.select_one(".gk-form-badge").get_text()) for li in items] == [
        ("《示例市困境儿童分类保障办法》政策解读", "文字解读"), ("视频解读：《示例市困境儿童分类保障办法》", "视频")]
    jd = BeautifulSoup((example_site / "documents" / "szmz-2026-2-jd.html").read_text(encoding="utf-8"), "lxml")
    assert jd.select_one(".gk-doc-form .gk-form-badge").get_text() == "图解"
    img = jd.select_one(".gk-doc-body img")
    assert img["src"] == "../files/jd/szmz-2026-2-jd-tj.png" and img["alt"].startswith("一图读懂")
    assert (example_site / "files" / "jd" / "szmz-2026-2-jd-tj.png").is_file()


def test_a_visual_interpretation_is_shown_beside_the_policy(example_site):
    """The 视频 解读's player and the 图解's image on the policy's own page (their 解读 pages keep them too)."""
    page = BeautifulSoup((example_site / "documents" / "szmz-2026-4.html").read_text(encoding="utf-8"), "lxml")
    media = page.select("#gk-rel-jd + ul .gk-jd-media")
    assert [m["data-jd"] for m in media] == ["szmz-2026-4-jd-sp"]  # the 文字解读 has none
    video = media[0].video
    assert video.source["src"] == "../files/jd/szmz-2026-4-jd-sp.webm" and video.track["kind"] == "captions"
    assert video.track["src"] == "../files/jd/szmz-2026-4-jd-sp.vtt"
    assert media[0].select_one(".gk-jd-media__note a")["href"] == "szmz-2026-4-jd-sp.html"  # the 文字稿
    page = BeautifulSoup((example_site / "documents" / "szmz-2026-2.html").read_text(encoding="utf-8"), "lxml")
    (box,) = page.select("#gk-rel-jd + ul .gk-jd-media")
    assert box.a["href"] == "szmz-2026-2-jd.html"
    assert box.a.img["src"] == "../files/jd/szmz-2026-2-jd-tj.png" and box.a.img["alt"].startswith("一图读懂")


COLUMNS = "columns:\n  - name: 政策解读\n    id: zcjd\n    kind: documents\n"
POLICY = "---\ntitle: 办法\npublished: 2026-01-01\ncolumns: [zcjd]\n---\n正文\n"


def jd(extra: str, body: str = "正文") -> str:
    return f"---\ntitle: 解读\npublished: 2026-01-02\ncolumns: [zcjd]\n{extra}---\n{body}\n"


def _with_media(root):
    """The video and its captions the bodies link to (a missing file would be an error of its own)."""
    files = root / "content" / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "a.webm").write_bytes(b"\x1aE\xdf\xa3")
    (files / "a.vtt").write_text("WEBVTT\n", encoding="utf-8")
    return root


def test_form_mistakes_and_the_caption_warning(tmp_path):
    root = make_site(tmp_path / "bad", COLUMNS, {"a.md": POLICY, "b.md": jd("form: 图解\n"),
                                                  "c.md": jd("interprets: a\nform: 动漫\n")})
    found = load_errors(root, DAY)
    assert ("content/documents/b.md", 5, "form") == found[0][:3] and "interprets" in found[0][3]
    assert any(f == "content/documents/c.md" and fl == "form" and "「动漫」无效" in m for f, _, fl, m in found)
    video = '<video controls><source src="../files/a.webm" type="video/webm"></video>'
    cat = load_catalogue(_with_media(make_site(tmp_path / "warn", COLUMNS, {"a.md": POLICY, "b.md": jd("interprets: a\nform: 视频\n", video)})), DAY)
    (w,) = [w for w in cat.warnings if w.file == "content/documents/b.md"]
    assert w.field == "form" and "字幕" in w.message and 'kind="captions"' in w.message
    captioned = video.replace("</video>", '<track kind="captions" src="../files/a.vtt" srclang="zh"></video>')
    cat = load_catalogue(_with_media(make_site(tmp_path / "ok", COLUMNS, {"a.md": POLICY, "b.md": jd("interprets: a\nform: 视频\n", captioned)})), DAY)
    assert [w for w in cat.warnings if w.file == "content/documents/b.md"] == []
