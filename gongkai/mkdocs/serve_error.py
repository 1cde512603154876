"""`mkdocs serve` while the input has errors: the open page shows them, and reloads itself once they are fixed.

MkDocs' own behaviour is to keep the browser waiting: a failed rebuild never becomes the visible build, so every
request stalls until the files are fixed (and a failed first build ends `serve`). Instead, in serve only, a
failed load becomes a build that succeeds with one plain page — the list of problems, file:line, in Chinese —
written at every address the previous build had, so whichever page is open reloads into it (MkDocs injects its
live-reload script into every HTML response), and reloads again into the real page once the build passes.
`mkdocs build` is unchanged: it stops with the same list and writes nothing.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from gongkai.errors import GongkaiError

# what the errors made `mkdocs serve` do (GongkaiError.report): site/ is never touched by serve, and the preview shows
# the list instead of the site
OUTCOME = "网站未能生成，预览页面改为显示这份错误列表"


def html_pages(site_dir: str | Path) -> list[str]:
    """The site-relative paths of the HTML pages a previous build left (read before MkDocs cleans the folder)."""
    root = Path(site_dir)
    if not root.is_dir():
        return []
    out = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".html"):
                out.append((Path(folder) / name).relative_to(root).as_posix())
    return sorted(out)


def error_page(exc: GongkaiError) -> str:
    """A self-contained page (no theme, nothing fetched) listing every problem, the real cause first."""
    items = "\n".join(
        f'<li class="{"err" if p.level == "error" else "warn"}"><code>{html.escape(p.file)}'
        f'{":" + str(p.line) if p.line else ""}</code> {html.escape(p.format().split(": ", 1)[1])}</li>'
        for p in exc.problems)
    errors = sum(1 for p in exc.problems if p.level == "error")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>生成出错：{errors} 处错误</title>
<style>body{{font:16px/1.7 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}}
h1{{font-size:1.4rem;color:#a8071a}}li{{margin:.5rem 0}}li.err code{{color:#a8071a}}li.warn code{{color:#7a4a00}}
code{{font-family:ui-monospace,monospace;word-break:break-all}}</style></head>
<body><main><h1>网站暂时无法生成：发现 {errors} 处错误</h1>
<p>请按下面的提示改正文件并保存，本页会自动刷新为改好后的页面。</p>
<ol>
{items}
</ol></main></body></html>
"""


def write_error_pages(site_dir: str | Path, pages: list[str], exc: GongkaiError) -> None:
    """The error page at each given address, at the home page and as 404.html (MkDocs serves it for a miss)."""
    root = Path(site_dir)
    text = error_page(exc)
    for rel in sorted(set(pages) | {"index.html", "404.html"}):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
