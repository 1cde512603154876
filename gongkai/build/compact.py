"""The Material frame of a page without its indentation (no MkDocs).

Material's templates indent every line of the frame they render: on a document page a quarter of the chrome's
bytes (about 4 KB of 17 KB) are blank runs between tags, repeated on every one of the site's pages. A run of
white space that holds a line break renders as one space wherever white space collapses (everywhere in the
frame: it has no <pre> and no `white-space: pre` style), so it is written as one line break. The contents of
<pre>, <textarea>, <script> and <style>, comments and tags themselves (attribute values) are left as they are.

Material's page configuration (<script id="__config">, read by its bundle) is JSON with every Chinese
character escaped as \\uXXXX (6 bytes for 3): it is written again in UTF-8, with "<", ">" and "&" still
escaped so that nothing in it can end the script.

Only the frame is compacted (the document shell before a body is filled in): a body is never touched.
"""

from __future__ import annotations

import json
import re

# what is copied as it is: raw-text elements, comments, and tags (quoted attribute values may hold ">")
_KEEP = re.compile(
    r"<(pre|textarea|script|style)\b[^>]*>.*?</\1\s*>"
    r"|<!--.*?-->"
    r"""|<[a-zA-Z/!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""",
    re.S | re.I,
)
_RUN = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")  # white space holding a line break
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def compact_frame(html: str) -> str:
    """The page with each run of white space that holds a line break (outside <pre> … and tags) made one line
    break, and Material's configuration in UTF-8. Renders the same."""
    out: list[str] = []
    pos = 0
    for m in _KEEP.finditer(html):
        out.append(_RUN.sub("\n", html[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_RUN.sub("\n", html[pos:]))
    return _CONFIG.sub(_utf8_config, "".join(out), count=1)


def _utf8_config(m: re.Match[str]) -> str:
    try:
        value = json.loads(m.group(2))
    except ValueError:
        return m.group(0)  # not Material's JSON (a bureau's own template): left alone
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return m.group(1) + text + m.group(3)
