"""`mkdocs serve` watches catalog/: renaming a column shows up in the open browser without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from serving import free_port, wait_http

from conftest import BUILD_DATE, copy_example


def test_serve_live_reloads_a_renamed_column(tmp_path, browser):
    root = copy_example(tmp_path / "site-root")
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/zcwj/index.html"
        wait_http(url, proc=proc)
        page = browser.new_page()
        page.goto(url)
        assert page.locator("h1.gk-title").inner_text() == "政策文件"
        columns = root / "catalog" / "columns.yml"
        text = columns.read_text(encoding="utf-8")
        renamed = text.replace("  - name: 政策文件\n", "  - name: 政策文件库\n    id: zcwj\n", 1)
        assert renamed != text
        columns.write_text(renamed, encoding="utf-8")
        # the livereload script in the open page reloads it after the rebuild
        page.wait_for_function("document.querySelector('h1.gk-title') && "
                               "document.querySelector('h1.gk-title').textContent === '政策文件库'", timeout=60_000)
        nav = page.locator("nav.md-tabs").inner_text()
        assert "政策文件库" in nav
        page.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_shows_a_build_error_in_the_open_page_and_recovers(tmp_path, browser):
    """A full-width colon typed into columns.yml while the page is open: the page turns into the error list
    (file:line, Chinese, the real cause first) instead of hanging, and back into the page once it is fixed."""
    root = copy_example(tmp_path / "site-root")
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/zcwj/index.html"
        wait_http(url, proc=proc)
        page = browser.new_page()
        page.goto(url)
        assert page.locator("h1.gk-title").inner_text() == "政策文件"
        columns = root / "catalog" / "columns.yml"
        good = columns.read_text(encoding="utf-8")
        lines = good.split("\n")
        n = next(i for i, line in enumerate(lines) if line.strip().startswith("frequency:"))
        lines[n] = lines[n].replace("frequency:", "frequency：", 1)
        columns.write_text("\n".join(lines), encoding="utf-8")
        page.wait_for_function("document.title.startsWith('生成出错')", timeout=60_000)
        first = page.locator("ol li").first.inner_text()
        assert first.startswith(f"catalog/columns.yml:{n + 1}")
        assert "中文冒号" in first
        assert page.locator("ol li").count() == 1  # one mistake, one message: no cascade over the documents
        columns.write_text(good, encoding="utf-8")
        page.wait_for_function("document.querySelector('h1.gk-title') && "
                               "document.querySelector('h1.gk-title').textContent === '政策文件'", timeout=60_000)
        page.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_wait_http_answers_and_gives_up_on_a_dead_server(tmp_path):
    """The one helper the serve tests and scripts/serve_latency.py share: it returns once a page answers, and stops
    waiting as soon as the server it waits for has exited (not after the whole timeout)."""
    (tmp_path / "index.html").write_text("ok", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1", "-d", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/index.html", 30, server)
    finally:
        server.terminate()
        server.wait(timeout=20)
    dead = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    dead.wait(timeout=20)
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="code 3"):
        wait_http(f"http://127.0.0.1:{free_port()}/", 60, dead)
    assert time.monotonic() - started < 5
