"""`mkdocs serve` watches content/, catalog/ and the bureau's overrides/: a saved document, a renamed column and an
edited template show up in the open browser without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from serving import free_port, interruptible, stop, wait_http

from conftest import BUILD_DATE, copy_example, edit

FOOTER = Path(__file__).resolve().parents[2] / "gongkai" / "mkdocs" / "theme" / "partials" / "footer.html"


def test_serve_live_reloads_a_renamed_column(tmp_path, browser):
    root = copy_example(tmp_path / "site-root")
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=interruptible)
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
        stop(proc)  # as Ctrl+C: serve removes its temporary folders


def test_serve_shows_a_build_error_in_the_open_page_and_recovers(tmp_path, browser):
    """A full-width colon typed into columns.yml while the page is open: the page turns into the error list
    (file:line, Chinese, the real cause first) instead of hanging, and back into the page once it is fixed."""
    root = copy_example(tmp_path / "site-root")
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=interruptible)
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
        stop(proc)  # as Ctrl+C: serve removes its temporary folders


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


def fetch(url: str) -> BeautifulSoup:
    with urllib.request.urlopen(url, timeout=120) as r:  # serve holds a request while it rebuilds
        return BeautifulSoup(r.read().decode("utf-8"), "html.parser")


def wait_page(url: str, shows, what: str, proc, timeout: float = 120) -> BeautifulSoup:
    """The served page at url once shows(page) holds; fails naming `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "mkdocs serve exited"
        page = fetch(url)
        if shows(page):
            return page
        time.sleep(0.2)
    raise AssertionError(f"{url}: {what} not served within {timeout:.0f} s")


def serve_logged(root: Path, port: int, temp: Path, *options: str) -> tuple[subprocess.Popen, list[str]]:  # type: ignore[type-arg]
    """`mkdocs serve OPTIONS` of root on port, its temporary folders made in temp (created here); the lines it
    prints are appended to the list as they come."""
    temp.mkdir()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", TMPDIR=str(temp))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=interruptible)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    return proc, log


def test_serve_shows_each_saved_change(tmp_path):
    """A real `mkdocs serve`, its pages read over HTTP as a browser reloads them: a document's text saved, a
    column renamed in columns.yml, a template of the bureau's overrides/ edited — each is served, and nothing
    of the earlier state stays (the rebuilds update the site serve built before, gongkai/build/staging.py)."""
    root = copy_example(tmp_path / "site-root")
    footer = root / "overrides" / "partials" / "footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_text(FOOTER.read_text(encoding="utf-8").replace("主办单位：", "主办单位（页脚甲）：", 1), encoding="utf-8")
    doc = root / "content" / "documents" / "2022" / "szmz-2022-2.md"
    port = free_port()
    temp = tmp_path / "tmp"  # serve's temporary site folder goes here (tempfile.mkdtemp), with gongkai's kept tree
    proc, log = serve_logged(root, port, temp, "--livereload")

    def builds() -> int:
        return sum("网站生成完成" in line for line in log)

    try:
        base = f"http://127.0.0.1:{port}/"
        url = base + "documents/szmz-2022-2.html"
        wait_http(url, 300, proc)
        page = fetch(url)
        assert "主办单位（页脚甲）" in page.get_text()
        column = next(a["href"] for a in page.select("nav.md-tabs a, .md-nav a, a") if a.get_text(strip=True) == "部门文件")
        column_url = urllib.request.urljoin(url, column)
        assert fetch(column_url).select_one("h1.gk-title").get_text() == "部门文件"
        time.sleep(3)
        # watched by the system's change notices (gongkai/mkdocs/servewatch.py), not polled; the build reading
        # every file is no change: nothing is rebuilt until a file is saved
        assert builds() == 1, log
        assert any("正在监视" in line and "overrides" in line for line in log), log

        doc.write_text(doc.read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n", encoding="utf-8")
        page = wait_page(url, lambda p: "本办法由示例市民政局负责解释。" in p.get_text(), "the saved sentence", proc)
        assert page.select_one("h1").get_text(strip=True).startswith("示例市临时救助实施办法")

        edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
        listing = wait_page(column_url, lambda p: p.select_one("h1.gk-title").get_text() == "本部门文件",
                            "the renamed column", proc)
        assert "示例市临时救助实施办法（试行）" in listing.get_text()  # its documents still listed
        page = fetch(url)  # the document's page names its column anew, and keeps the saved sentence
        names = [a.get_text(strip=True) for a in page.select("a")]
        assert "本部门文件" in names and "部门文件" not in names
        assert "本办法由示例市民政局负责解释。" in page.get_text()

        edit(footer, "主办单位（页脚甲）", "主办单位（页脚乙）")
        for address in (url, column_url, base + "index.html"):
            shown = wait_page(address, lambda p: "主办单位（页脚乙）" in p.get_text(), "the edited footer", proc)
            assert "页脚甲" not in shown.get_text()
        assert "本办法由示例市民政局负责解释。" in fetch(url).get_text()
        done = builds()
        time.sleep(3)
        assert builds() == done, log  # and nothing after the last save
    finally:
        stop(proc)  # as Ctrl+C: serve removes its temporary folder, gongkai the tree it kept beside it
    assert sorted(p.name for p in temp.iterdir()) == []


def test_serve_stopped_by_an_input_error_says_the_site_was_not_built(tmp_path):
    """`mkdocs serve` on a site with a wrong date: the error list comes first after the start, and the end of that
    build says the site was not built — not 「网站生成完成」, which a clerk reads as success (the build that finished
    is the error list's page). Once the file is fixed and saved, the rebuild says it is built."""
    root = copy_example(tmp_path / "site-root")
    doc = root / "content" / "documents" / "2022" / "szmz-2022-2.md"
    good = doc.read_text(encoding="utf-8")
    text = good.split("\n")
    n = next(i for i, line in enumerate(text) if line.startswith("published:"))
    text[n] = "published: 2022-13-01"
    doc.write_text("\n".join(text), encoding="utf-8")
    port = free_port()
    proc, log = serve_logged(root, port, tmp_path / "tmp")
    try:
        wait_http(f"http://127.0.0.1:{port}/", 300, proc)
        deadline = time.monotonic() + 30  # (the lines are read by a thread: the one before listening read too)
        while not any("预览地址" in line for line in log) and time.monotonic() < deadline:
            time.sleep(0.1)
        lines = [line.rstrip() for line in log]
        said = [line for line in lines if not line.startswith(" ")]  # (the list's items are indented)
        assert said[0] == "信息      -  正在生成网站……", lines
        assert said[1] == "错误      -  发现 1 处错误，网站未能生成，预览页面改为显示这份错误列表：", lines
        assert lines[2].startswith(f"  content/documents/2022/szmz-2022-2.md:{n + 1}: 错误: 字段「published」：日期「2022-13-01」无效")
        assert said[2] == ("错误      -  网站未能生成：发现 1 处错误，见上面的列表。预览页面显示的是这份错误列表，"
                           "改正并保存后自动重新生成"), lines
        assert not any("网站生成完成" in line for line in lines), lines
        doc.write_text(good, encoding="utf-8")
        deadline = time.monotonic() + 120
        while not any("网站生成完成" in line for line in log) and time.monotonic() < deadline:
            assert proc.poll() is None, log
            time.sleep(0.2)
        assert any("网站生成完成" in line for line in log), log
    finally:
        stop(proc)


def test_serve_clean_serves_each_saved_change(tmp_path):
    """`mkdocs serve --clean` starts up as a build (MkDocs calls on_startup with command="build") and turns into a
    preview only at on_serve, after its first build. Each save is rebuilt and served like `mkdocs serve`'s: the
    check that the preview address is free is made before the first build only — a rebuild testing the port the
    server itself listens on failed every save with 「预览地址 … 已被占用」 (fixed in 2e141ca)."""
    root = copy_example(tmp_path / "site-root")
    doc = root / "content" / "documents" / "2022" / "szmz-2022-2.md"
    port = free_port()
    temp = tmp_path / "tmp"
    proc, log = serve_logged(root, port, temp, "--clean")

    def rebuilt(builds: int) -> None:
        """The rebuild after a save finished (its 「网站生成完成」 line); fails at once on a rebuild's error (serve
        then holds every request until a build succeeds: a page fetched meanwhile would only wait)."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert not [line for line in log if line.startswith("错误") or "已被占用" in line], "".join(log)
            assert proc.poll() is None, "".join(log)
            if sum("网站生成完成" in line for line in log) > builds:
                return
            time.sleep(0.1)
        raise AssertionError("no rebuild within 120 s:\n" + "".join(log))

    try:
        url = f"http://127.0.0.1:{port}/documents/szmz-2022-2.html"
        wait_http(url, 300, proc)
        for sentence in ("本办法由示例市民政局负责解释。", "本办法自印发之日起施行。"):
            builds = sum("网站生成完成" in line for line in log)
            doc.write_text(doc.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
            rebuilt(builds)
            wait_page(url, lambda p, s=sentence: s in p.get_text(), "the saved sentence", proc, 30)
        assert "本办法由示例市民政局负责解释。" in fetch(url).get_text()  # the first save's change kept
        assert not any("已被占用" in line for line in log), "".join(log)
    finally:
        stop(proc)  # as Ctrl+C: serve removes its temporary folder, gongkai what it kept beside it
    assert sorted(p.name for p in temp.iterdir()) == []


def test_serve_on_a_port_in_use_stops_before_building_with_a_chinese_message(tmp_path):
    """A second preview started on the port of the first: one Chinese line saying what to do, no traceback, and
    no temporary copy of the site left behind (MkDocs binds only after building the whole site)."""
    root = copy_example(tmp_path / "site-root")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", TMPDIR=str(temp))
    import socket

    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert f"预览地址 127.0.0.1:{port} 已被占用" in done.stderr
    assert "Traceback" not in done.stderr and "Address already in use" not in done.stderr
    assert "正在生成网站" not in done.stderr.split("已被占用")[0].split("\n")[-1]
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("to", ["group", "process"])
def test_gongkai_serve_stopped_by_ctrl_c_leaves_no_copy_of_the_site(tmp_path, to):
    """Ctrl+C stops `gongkai serve` once, and MkDocs removes its temporary copy of the site before the command ends
    (subprocess.run killed it 0.25 s after, in the middle of that). Sent by a terminal, it reaches the whole
    foreground group; sent by a tool (an IDE's stop button, `kill -INT`), gongkai's process alone — which is
    MkDocs itself on POSIX (gongkai/cli/build.py): with MkDocs as its child, gongkai waited for a second Ctrl+C."""
    import signal

    root = copy_example(tmp_path / "site-root")
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", TMPDIR=str(temp))
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "-a", f"127.0.0.1:{port}"], cwd=root,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=interruptible, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/zcwj/index.html", proc=proc)
        assert any(p.name.startswith("mkdocs_") for p in temp.iterdir())  # the copy the test expects to go
        if to == "group":
            os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends Ctrl+C: to the whole foreground group
        else:
            os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        stderr = proc.stderr.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, stderr  # MkDocs' own: `mkdocs serve` ends normally on Ctrl+C
    assert "正在停止预览" in stderr
    assert sorted(p.name for p in temp.iterdir()) == []
