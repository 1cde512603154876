"""Raw HTML in Markdown (document bodies, pages, the guide) is cleaned to a safe allow-list.

The Markdown engine (cmark-gfm, gongkai/build/render.py) passes raw HTML through as written. Editors paste
from Word and old CMSes, so the policy is to keep the formatting gov documents use (tables with merged cells,
centred paragraphs, underline, sub/superscript, images, links) and drop everything that runs code: no
``<script>``/``<style>``/``<iframe>``/forms, no ``on…=`` handlers, no ``javascript:``/``data:`` URLs
(only http, https, mailto, tel and relative links). The cleaner is ammonia (Rust, via nh3): an HTML5 parser,
not regular expressions.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "video", "audio", "source", "track",  # 视频/音频 解读: local files only (media_filter)
}
COMMON = {"class", "id", "title", "lang", "dir", "align", "style"}
ATTRIBUTES = {
    "*": COMMON,
    "a": COMMON | {"href", "name"},
    "img": COMMON | {"src", "alt", "width", "height"},
    "td": COMMON | {"colspan", "rowspan", "valign", "width"},
    "th": COMMON | {"colspan", "rowspan", "valign", "width", "scope"},
    "col": COMMON | {"span", "width"},
    "colgroup": COMMON | {"span", "width"},
    "ol": COMMON | {"start", "type", "reversed"},
    "time": COMMON | {"datetime"},
    "details": COMMON | {"open"},
    "video": COMMON | {"src", "controls", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": COMMON | {"src", "controls", "preload", "loop"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
MEDIA_TAGS = {"video", "audio", "source", "track"}
STYLE_PROPERTIES = {
    "text-align", "text-indent", "font-weight", "font-style", "text-decoration", "vertical-align", "width",
    "color", "background-color", "line-height", "margin-left", "padding-left",
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROP_WITH_CONTENT = {"script", "style", "template", "textarea", "iframe", "object", "embed", "noscript", "svg", "math"}


def media_filter(tag: str, attr: str, value: str) -> str | None:
    """Video, audio and caption files must be files of the site (a relative address): a page must work offline and
    never make the reader's browser fetch from elsewhere. Every other attribute passes unchanged."""
    if tag in MEDIA_TAGS and attr == "src":
        v = value.strip()
        if not v or v.startswith(("/", "\\")) or ":" in v.split("/", 1)[0]:
            return None
    return value


def sanitize_html(html: str) -> str:
    """The HTML with every tag, attribute and URL outside the allow-list removed."""
    if not html:
        return html
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags=DROP_WITH_CONTENT,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties=STYLE_PROPERTIES,
        attribute_filter=media_filter,
    )
