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
        thread.join()  # (shutdown returns once the loop has stopped, maybe before its thread has ended)


# --- checks shared by the browser tests of the example (tests/browser/) and of a new site (tests/e2e/test_new.py) ---

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BODY_TEXT = ".md-content__inner p"


def axe_violations(page, extra: tuple[str, ...] | list[str] = ()) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the open page (id, help, the first five nodes); `extra`: more rules
    to run by id (best practices such as landmark-unique)."""
    assert AXE.exists(), "找不到 axe-core：请先运行 npm ci（bash scripts/test.sh 会运行）"
    page.add_script_tag(path=str(AXE))
    # resultTypes: only violations are read, so axe need not build selectors for every passing node (its own advice
    # for speed); every rule still runs on every node
    result = page.evaluate("""([tags, extra]) => {
        const rules = axe.getRules(tags).filter(r => !r.tags.includes('experimental')).map(r => r.ruleId).concat(extra);
        return axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
    }""", [AXE_TAGS, list(extra)])
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


# --- widths, modes and the checks every page type passes at each (tests/test_a11y.py) --------------------------

# A desktop, a phone, and 400 % zoom of a 1280 px screen (320 CSS px: WCAG 1.4.10 reflow).
WIDTHS = {"desktop": 1280, "phone": 375, "zoom400": 320}
MODES = ("standard", "elder")


def new_context(browser, width: int, mode: str, **kwargs):
    """A browser context of that width; in 长辈版 when mode == "elder" (as a reader who switched it on before)."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, **kwargs)
    if mode == "elder":
        ctx.add_init_script("localStorage.setItem('gongkai.elder', '1')")
    return ctx


def placeholder_fit(page, selector: str) -> dict:
    """A field's placeholder as shown, and whether the browser would cut it: the text put into the (empty) field,
    its scrollWidth against its clientWidth (a search box keeps room for its clear button, which a measure of the
    text alone misses)."""
    return page.evaluate("""(sel) => {
        const f = document.querySelector(sel), shown = f.placeholder;
        f.value = shown;
        const out = {placeholder: shown, scroll: f.scrollWidth, client: f.clientWidth};
        f.value = '';
        return out;
    }""", selector)


def overflow(page) -> dict:
    """The page's width beyond the window, and the widest elements sticking out (none when the page reflows)."""
    return page.evaluate("""() => {
        const vw = document.documentElement.clientWidth, out = [];
        for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > vw + 1 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.md-sidebar--primary'))
                out.push(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') + ' ' + Math.round(r.right));
        }
        return {scrollWidth: document.scrollingElement.scrollWidth, width: vw, sticking_out: out.slice(0, 8)};
    }""")


# What Tab should reach: links, buttons, fields, and anything given tabindex >= 0 that is shown and not inert. Each
# is numbered (data-gk-t) so that the walk knows it again whatever classes scripts add on focus.
FOCUSABLE_JS = """() => {
    const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]),'
        + ' textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const all = [...document.querySelectorAll(sel)];
    all.forEach((e, i) => e.setAttribute('data-gk-t', i));
    return all.filter(e => !e.closest('[inert]') && e.tabIndex >= 0
        && e.checkVisibility({visibilityProperty: true}) && e.getClientRects().length
        && getComputedStyle(e).opacity !== '0').map(e => [e.getAttribute('data-gk-t'), e.outerHTML.slice(0, 90)]);
}"""

# Records, on every focus, what took it: whether it can be seen (on screen, not clipped to nothing, not
# transparent or hidden) and whether it shows a focus indicator (an outline or a box shadow).
RECORD_FOCUS_JS = """() => {
    window.__gkStops = [];
    document.addEventListener('focusin', ev => {
        const e = ev.target;
        if (!e || e === document.body || e === document.documentElement) return;
        const r = e.getBoundingClientRect(), cs = getComputedStyle(e), vw = document.documentElement.clientWidth;
        let seen = r.width >= 1 && r.height >= 1 && r.right > 0 && r.left < vw && cs.visibility !== 'hidden';
        for (let a = e; a && seen; a = a.parentElement) if (getComputedStyle(a).opacity === '0') seen = false;
        const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
        window.__gkStops.push({id: e.getAttribute('data-gk-t') || '?', html: e.outerHTML.slice(0, 90), seen, ring});
    }, true);
}"""


def tab_walk(page, limit: int = 400) -> tuple[list[dict], list[str]]:
    """Press Tab from the top of the page until the focus comes round again. Returns what it stopped on, and
    what it should have reached (FOCUSABLE_JS, looked at before it started) but did not."""
    expected = page.evaluate(FOCUSABLE_JS)
    page.evaluate(RECORD_FOCUS_JS)
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
    stops: list[dict] = []
    while len(stops) < limit:
        for _ in range(10):
            page.keyboard.press("Tab")
        stops = page.evaluate("window.__gkStops")
        firsts = [i for i, s in enumerate(stops) if s["id"] == stops[0]["id"] and s["html"][:30] == stops[0]["html"][:30]]
        if len(firsts) > 1:
            stops = stops[:firsts[1]]
            break
    reached = {s["id"] for s in stops}
    return stops, [html for i, html in expected if i not in reached]
