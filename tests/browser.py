"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, a localhost server, and the checks the browser
tests share (axe-core, outside requests, 长辈版).

Browser tests never skip: if Chromium is missing, they fail with a clear message.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from pagetypes import is_local

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]


def chromium_path() -> str:
    path = os.environ.get("GONGKAI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("找不到 chromium：请先运行 bash scripts/test.sh（会用 apt-get 安装 Debian 的 chromium）")
    return path


@contextlib.contextmanager
def launch() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at a free port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- checks shared by the browser tests of the example (tests/browser/) and of a new site (tests/e2e/test_new.py) ---

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BODY_TEXT = ".md-content__inner p"


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the open page (id, help, the first five nodes)."""
    assert AXE.exists(), "找不到 axe-core：请先运行 npm ci（bash scripts/test.sh 会运行）"
    page.add_script_tag(path=str(AXE))
    # resultTypes: only violations are read, so axe need not build selectors for every passing node (its own advice
    # for speed); every rule still runs on every node
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def font_px(page, selector: str = BODY_TEXT) -> float:
    return page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def elder_on(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('gk-elder')")


def watch(page) -> tuple[list[str], list[str], list[str]]:
    """Block every request that leaves localhost; record blocked and failed requests and console errors."""
    blocked: list[str] = []
    failed: list[str] = []
    console_errors: list[str] = []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("response", lambda resp: failed.append(f"{resp.status} {resp.url}") if resp.status >= 400 else None)
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    return blocked, failed, console_errors
