"""The README's nginx configuration, run on a real nginx in front of a `gongkai publish` target: MIME types and
charsets, gzip of pages and of the search index, cache headers, the 404 page, and a publication seen at once."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from serving import free_port

from conftest import REPO, run_build
from gongkai.tools import deploy

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
MIME_TYPES = "/etc/nginx/mime.types"

pytestmark = pytest.mark.skipif(NGINX is None or not os.path.exists(MIME_TYPES), reason="nginx is not installed")


def readme_nginx_config() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### nginx"):]
    match = re.search(r"```nginx\n(.*?)```", section, re.S)
    assert match, "the README has no nginx sample"
    return match.group(1)


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            status, headers, body = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, dict(exc.headers), exc.read()
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, headers, body


@pytest.fixture
def server(example_site, tmp_path):
    root = example_site.parent
    www = tmp_path / "www"
    www.mkdir()
    target = www / "zfxxgk"
    deploy.publish(example_site, root / "site.manifest.json", target)
    port = free_port()
    block = readme_nginx_config()
    assert "root /srv/www;" in block and "listen 80;" in block
    block = block.replace("root /srv/www;", f"root {www};").replace("listen 80;", f"listen 127.0.0.1:{port};")
    temp = tmp_path / "nginx"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private temporary folder
    conf = temp / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
daemon off;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{block}
}}
""", encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(temp)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "warn" not in checked.stderr, checked.stderr  # no duplicate or unknown type
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(temp)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/zfxxgk/"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert time.monotonic() < deadline and proc.poll() is None, "nginx did not start"
            time.sleep(0.1)
    try:
        yield base, root, target
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_types_compression_and_caching(server, example_site):
    base, _root, _target = server
    status, h, body = _get(base)
    assert status == 200 and body == (example_site / "index.html").read_bytes()
    assert h["Content-Type"] == "text/html; charset=utf-8" and h["Content-Encoding"] == "gzip"
    assert h["Cache-Control"] == "no-cache"
    expected = {
        "data/documents.csv": "text/csv; charset=utf-8",
        "data/documents.json": "application/json; charset=utf-8",
        "feeds/index.xml": "text/xml; charset=utf-8",
        "sitemap.xml": "text/xml; charset=utf-8",
        "search/index/manifest.js": "application/javascript; charset=utf-8",
        "assets/gongkai/gongkai.css": "text/css; charset=utf-8",
        "forms/sqb-gm.pdf": "application/pdf",
        "posters/packages-A4.pdf": "application/pdf",
        "assets/gongkai/favicon.svg": "image/svg+xml",
    }
    for rel, ctype in expected.items():
        status, h, body = _get(base + rel)
        assert status == 200, rel
        assert h["Content-Type"] == ctype, (rel, h["Content-Type"])
        assert body == (example_site / rel).read_bytes(), rel
    # the search index travels compressed (all but the smallest files: gzip_min_length)
    index = [p for p in (example_site / "search" / "index").rglob("*.js") if p.stat().st_size >= 256]
    assert len(index) >= 5
    for rel in [p.relative_to(example_site).as_posix() for p in index] + ["assets/gongkai/gongkai.css"]:
        status, h, body = _get(base + rel)
        assert h.get("Content-Encoding") == "gzip" and body == (example_site / rel).read_bytes(), rel
    # hashed theme files are cached for a year, everything else is revalidated
    bundle = next((example_site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    assert "immutable" in _get(base + "assets/javascripts/" + bundle)[1]["Cache-Control"]
    assert _get(base + "assets/gongkai/gongkai.js")[1]["Cache-Control"] == "no-cache"
    status, h, body = _get(base + "no/such/page.html")
    assert status == 404 and body == (example_site / "404.html").read_bytes()


def test_a_publication_is_served_at_once(server, tmp_path):
    base, root, target = server
    work = tmp_path / "site-root"
    shutil.copytree(root, work, symlinks=True, ignore=shutil.ignore_patterns(".cache"))
    doc = work / "content/documents/2024/szmz-2024-3.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n新发布的补充说明。\n", encoding="utf-8")
    assert run_build(work).returncode == 0
    assert "新发布的补充说明" not in _get(base + "documents/szmz-2024-3.html")[2].decode("utf-8")
    deploy.publish(work / "site", work / "site.manifest.json", target)
    assert "新发布的补充说明" in _get(base + "documents/szmz-2024-3.html")[2].decode("utf-8")
    deploy.rollback(target)
    assert "新发布的补充说明" not in _get(base + "documents/szmz-2024-3.html")[2].decode("utf-8")
