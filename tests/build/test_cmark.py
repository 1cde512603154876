"""cmark-gfm without cmarkgfm's leak (gongkai/build/cmark.py): the same HTML, and memory handed back."""

from __future__ import annotations

from pathlib import Path

import cmarkgfm

from gongkai.build import cmark
from gongkai.build.render import _EXTENSIONS, _OPTIONS, render_markdown

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "markdown" / "report-2012.md"  # a real 年度报告, with a table and links


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def test_same_html_as_cmarkgfm() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    samples = [text, "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n", "见 www.gov.cn 与 https://www.mca.gov.cn/。", "", "<p>原始 HTML</p>"]
    for sample in samples:
        assert cmark.to_html(sample, _OPTIONS, _EXTENSIONS) == cmarkgfm.markdown_to_html_with_extensions(
            sample, options=_OPTIONS, extensions=_EXTENSIONS)


def test_rendering_keeps_no_memory() -> None:
    """cmarkgfm's own function keeps the parsed tree and the HTML of every call (about 50 KB for a body like this
    table-heavy report taken 10 times): 400 renders would keep ~90 MB. Ours keeps nothing per call."""
    body = FIXTURE.read_text(encoding="utf-8") * 10
    for _ in range(50):  # the allocator's own pools settle first
        render_markdown(body)
    before = rss_kb()
    for _ in range(400):
        render_markdown(body)
    grown_mb = (rss_kb() - before) / 1024
    assert grown_mb < 10, f"rendering 400 bodies kept {grown_mb:.0f} MB"
