"""The Material frame without its indentation (gongkai/build/compact.py): fewer bytes, the same page."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from gongkai.build.compact import compact_frame

FRAME = """<!doctype html>
<html lang="zh">
  <head>
    <title>示例 - 专栏</title>
    <script>var a = 1;
      // a comment that ends at the line break
      var b = "x\\n  y";</script>
    <style>
      .x { color: red }
    </style>
  </head>
  <body>
    <nav aria-label="导航栏">
      <a href="a.html"
         class="md-nav__link"
         title="第一行
   第二行">
        政府信息公开指南
      </a>
      <a href="b.html">制度</a> <a href="c.html">年报</a>
    </nav>
    <pre>
  保留的
    缩进
</pre>
    <textarea>
  原样
</textarea>
    <!-- a comment
         kept -->
    <!--GK:CONTENT--><!--GK:NOH1 <h1 -->
    <script id="__config" type="application/json">{"base": "..", "translations": {"clipboard.copy": "\\u590d\\u5236", "x": "</script"}}</script>
  </body>
</html>
"""


def _visible(html: str) -> list[tuple[str, tuple, str]]:
    """(tag, attributes, its text with white space collapsed as a browser shows it) of every element."""
    soup = BeautifulSoup(html, "html.parser")
    return [(e.name, tuple(sorted((k, str(v)) for k, v in e.attrs.items())),
             e.get_text() if e.name in ("pre", "textarea", "script", "style") else " ".join(e.get_text().split()))
            for e in soup.find_all(True)]


def test_the_frame_renders_the_same_in_fewer_bytes():
    out = compact_frame(FRAME)
    assert len(out.encode()) < len(FRAME.encode()) - 70
    outside = re.sub(r"<(pre|textarea|script|style)\b.*?</\1>|<!--.*?-->", "", out, flags=re.S)
    assert not re.search(r"\n[ \t]+<", outside)  # no indentation before any tag
    # every element, attribute (the title's line break too) and collapsed text as before, but the config
    before, after = _visible(FRAME), _visible(out)
    assert [e for e in before if ("id", "__config") not in e[1]] == [e for e in after if ("id", "__config") not in e[1]]
    # raw text, preformatted text, comments and the content marker as written
    for part in ("<pre>\n  保留的\n    缩进\n</pre>", "<textarea>\n  原样\n</textarea>", "<!-- a comment\n         kept -->",
                 '// a comment that ends at the line break\n      var b = "x\\n  y";', "<!--GK:CONTENT--><!--GK:NOH1 <h1 -->"):
        assert part in out
    # inline elements on one line keep the space between them
    assert '<a href="b.html">制度</a> <a href="c.html">年报</a>' in out


def test_the_config_is_the_same_json_in_utf8_and_cannot_end_its_script():
    out = compact_frame(FRAME)
    text = re.search(r'<script id="__config" type="application/json">(.*?)</script>', out, re.S).group(1)
    assert "复制" in text and "\\u590d" not in text
    assert "</script" not in text and "\\u003c/script" in text
    assert json.loads(text) == {"base": "..", "translations": {"clipboard.copy": "复制", "x": "</script"}}


def test_a_config_that_is_not_json_is_left_alone():
    frame = '<script id="__config" type="application/json">{not json}</script>'
    assert compact_frame(frame) == frame
