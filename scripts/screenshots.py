#!/usr/bin/env python3
"""Screenshots of a built site as a citizen sees it: a phone (375 px), 400 % zoom (320 px) or a desktop (1280 px),
in the standard layout or 长辈版, in headless Chromium (the browser the tests use).

    python scripts/screenshots.py site --width 375 --elder --out shots/
    python scripts/screenshots.py site --width 1280 --full index.html zcwj/index.html

Without page arguments: the home page, 政策文件, a document, 标准目录 and a search for 低保.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import launch, new_context, serve  # noqa: E402 - the tests' Chromium harness

DEFAULT_PAGES = ["index.html", "zcwj/index.html", "documents/szmz-2024-3.html", "bzml/index.html",
                 "search/index.html?q=低保"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="the built site folder (site/)")
    ap.add_argument("pages", nargs="*", default=DEFAULT_PAGES, help="page addresses under the site")
    ap.add_argument("--width", type=int, default=375)
    ap.add_argument("--elder", action="store_true", help="长辈版")
    ap.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    ap.add_argument("--out", type=Path, default=Path("shots"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    mode = "elder" if args.elder else "standard"
    with serve(args.site) as url, launch() as browser:
        ctx = new_context(browser, args.width, mode)
        for href in args.pages:
            page = ctx.new_page()
            page.goto(url + href, wait_until="networkidle")
            if "search/" in href:
                page.wait_for_function("document.querySelector('[data-gk-search-status]').textContent.length > 6")
            name = href.replace("/", "_").replace("?", "_").replace("=", "-")
            path = args.out / f"{args.width}-{mode}-{name}.png"
            page.screenshot(path=str(path), full_page=args.full)
            print(path, page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]"))
            page.close()
        ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
