#!/usr/bin/env python3
"""How long `mkdocs serve` takes from saving a document to the open browser page showing the change.

    python scripts/bench.py --docs 2000 --keep /tmp/site --generate-only
    python scripts/serve_latency.py /tmp/site --edits 5

Starts `mkdocs serve --livereload` in SITE, opens one document's page in headless Chromium (tests/browser.py,
Debian's chromium through Playwright), then, several times: appends a sentence with a fresh marker to the
document's Markdown file and waits until the page in the browser shows it (the livereload script reloads the
page after the rebuild). Prints each time from the write to the marker being in the page's text, and the
rebuild times mkdocs serve logged.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from serving import free_port, wait_http  # noqa: E402 (tests/ is on the path from the line above)


def pick_document(site: Path) -> Path:
    """A published document in the middle of the site (the bench's documents are named by their id)."""
    docs = sorted((site / "content" / "documents").rglob("*.md"))
    for doc in docs[len(docs) // 2:]:
        text = doc.read_text(encoding="utf-8")
        if "disclosure:" not in text and "scheduled:" not in text:
            return doc
    raise SystemExit("no published document found")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="a site folder (mkdocs.yml, catalog/, content/)")
    ap.add_argument("--edits", type=int, default=5, help="how many saves to time (default 5)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for the first build and each change")
    args = ap.parse_args()
    from browser import launch

    site = args.site.resolve()
    doc = pick_document(site)
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.setdefault("GONGKAI_BUILD_DATE", "2026-11-24")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    original = doc.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        url = f"http://127.0.0.1:{port}/documents/{doc.stem}.html"
        started = time.perf_counter()
        try:
            wait_http(url, args.timeout, proc)
        except TimeoutError as exc:
            raise SystemExit(f"mkdocs serve: {exc}") from None
        print(f"first build served after {time.perf_counter() - started:.1f} s: {url}")
        with launch() as browser:
            page = browser.new_page()  # type: ignore[attr-defined]
            page.goto(url)
            time.sleep(2)  # the first build's last writes and the watcher settle
            for n in range(args.edits):
                marker = f"第{n + 1}次保存标记{time.time_ns() % 10**9}"
                t0 = time.perf_counter()
                doc.write_text(doc.read_text(encoding="utf-8") + f"\n{marker}：补充说明有关事项。\n", encoding="utf-8")
                page.wait_for_function(f"document.body && document.body.innerText.includes({marker!r})",
                                       timeout=args.timeout * 1000, polling=20)
                times.append(time.perf_counter() - t0)
                print(f"save {n + 1}: {times[-1]:.2f} s from writing the file to the browser showing it")
                time.sleep(1.5)
    finally:
        doc.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    builds = [float(m[1]) for line in log if (m := re.search(r"(?:用时|in) ([\d.]+) ?(?:秒|seconds)", line))]
    print(f"save to browser: median {statistics.median(times):.2f} s, best {min(times):.2f} s, worst {max(times):.2f} s")
    if builds:
        print("mkdocs serve's own build times (first build, then each rebuild): " + ", ".join(f"{b:.2f} s" for b in builds))


if __name__ == "__main__":
    main()
