"""gongkai.build.sanitize: raw HTML in Markdown cleaned to the allow-list (in process, on HTML strings)."""

from __future__ import annotations

import pytest

from gongkai.build.sanitize import sanitize_html


@pytest.mark.parametrize("html", [
    "",
    "<p>正文</p>",
    '<table><tbody><tr><td colspan="2" rowspan="3" valign="top">合并</td></tr></tbody></table>',
    '<p style="text-align:center">居中</p>',
    '<p style="text-indent:2em;font-weight:bold">首行缩进</p>',
    '<a href="https://www.gov.cn/">中国政府网</a>',
    '<a href="http://www.example.gov.cn/a?b=1#c">链接</a>',
    '<a href="mailto:gk@example.gov.cn">邮件</a>',
    '<a href="tel:0571-87000000">电话</a>',
    '<a href="../files/a.pdf">相对链接</a>',
    '<a href="#sec">锚点</a>',
    '<img src="../img/a.png" alt="图" width="100" height="50">',
    "<u>下划线</u>H<sub>2</sub>O m<sup>2</sup><del>删</del><ins>增</ins>",
    '<ol start="3" type="a"><li>第三</li></ol>',
    '<details open=""><summary>展开</summary>内容</details>',
    '<time datetime="2024-03-15">2024年3月15日</time>',
    '<table><thead><tr><th scope="col" colspan="2">表头</th></tr></thead></table>',
])
def test_allowed_markup_passes_unchanged(html):
    assert sanitize_html(html) == html


@pytest.mark.parametrize("html, clean", [
    ("<p>前</p><script>alert(1)</script><p>后</p>", "<p>前</p><p>后</p>"),
    ("<style>body{display:none}</style>正文", "正文"),
    ('<iframe src="https://evil.example/"></iframe>正文', "正文"),
    ("<svg><script>alert(1)</script><text>字</text></svg>正文", "正文"),  # dropped with its content
    ("<object data=x></object><embed src=x>正文", "正文"),
    ("<noscript>无脚本</noscript>正文", "正文"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ('<p onclick="alert(1)" class="c">段</p>', '<p class="c">段</p>'),
    ('<details open ontoggle="alert(1)"><summary>x</summary></details>', '<details open=""><summary>x</summary></details>'),
    ('<a href="javascript:alert(1)">点</a>', "<a>点</a>"),
    ('<a href="JaVaScRiPt:alert(1)">点</a>', "<a>点</a>"),
    ('<a href=" javascript:alert(1)">点</a>', "<a>点</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">点</a>', "<a>点</a>"),
    ('<a href="vbscript:x">点</a>', "<a>点</a>"),
    ('<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'),
    ('<form action="javascript:alert(1)"><button>提交</button></form>', "提交"),  # tags gone, text kept
    ("<!-- 注释 --><p>段</p>", "<p>段</p>"),
    ('<p style="background:url(javascript:alert(1));color:red">样式</p>', '<p style="color:red">样式</p>'),
    ('<p style="position:fixed;top:0">盖住页面</p>', '<p style="">盖住页面</p>'),
    ('<a href="https://www.gov.cn/" target="_blank" rel="opener">新窗口</a>', '<a href="https://www.gov.cn/">新窗口</a>'),
    ("<marquee>滚动</marquee>", "滚动"),
    ("<p>未闭合", "<p>未闭合</p>"),  # an HTML5 parser: the output is well-formed
    ("<table><tr><td>格</td></tr></table>", "<table><tbody><tr><td>格</td></tr></tbody></table>"),
])
def test_code_and_unknown_markup_is_removed(html, clean):
    assert sanitize_html(html) == clean


def test_text_that_looks_like_markup_stays_text():
    assert sanitize_html("1 &lt; 2 &amp;&amp; a &gt; b") == "1 &lt; 2 &amp;&amp; a &gt; b"
    assert sanitize_html("<p>《示例市最低生活保障审核确认办法》</p>") == "<p>《示例市最低生活保障审核确认办法》</p>"


def test_no_payload_survives_in_any_attribute():
    payload = ('<div id="a" title="t" onmouseover="alert(1)"><a href="javascript:alert(2)" onfocus="alert(3)">x</a>'
               '<img src="javascript:alert(4)" onload="alert(5)"><table><tr><td onclick="alert(6)">c</td></tr></table></div>')
    out = sanitize_html(payload)
    assert "alert" not in out and "javascript" not in out
    assert out.startswith('<div id="a" title="t">') and "<td>c</td>" in out
