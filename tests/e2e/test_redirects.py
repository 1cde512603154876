"""Old column URLs keep working: redirects after a rename and a move, a notice for a withdrawn column.

The URL record (catalog/urls.lock.yml) is written by `gongkai lock`; the build only reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from browser import serve
from conftest import BUILD_DATE, REPO, cli, make_site, run_build, run_cli, tree_digest
from gongkai.build.redirects import write_old_pages
from gongkai.errors import GongkaiError
from gongkai.load import urlrecord
from gongkai.load.loader import load_catalogue

V1 = """\
columns:
  - name: 法定主动公开内容
    children:
      - name: 政策法规
        children:
          - name: 部门文件
            frequency: 及时更新
            office: 各科室
          - name: 规范性文件清理结果
            id: qljg
            frequency: 每年更新
            office: 政策法规科
      - name: 规划计划
        frequency: 及时更新
        office: 办公室
      - name: 区划地名
        frequency: 及时更新
        office: 区划地名处
  - name: 监督保障
    children:
      - name: 工作推进
        frequency: 及时更新
        office: 办公室
"""

# 规划计划 (auto id ghjh) renamed 规划与计划 (ghyjh); qljg moved to 监督保障; 区划地名 withdrawn.
V2 = """\
columns:
  - name: 法定主动公开内容
    children:
      - name: 政策法规
        children:
          - name: 部门文件
            frequency: 及时更新
            office: 各科室
      - name: 规划与计划
        frequency: 及时更新
        office: 办公室
  - name: 监督保障
    children:
      - name: 工作推进
        frequency: 及时更新
        office: 办公室
      - name: 规范性文件清理结果
        id: qljg
        frequency: 每年更新
        office: 政策法规科
"""

DOC = """\
---
title: 示例市民政事业发展规划
published: 2026-06-30
columns: [{col}]
---

正文。
"""

CLEANUP_DOC = """\
---
title: 示例市民政局关于规范性文件清理结果的公告
published: 2026-05-20
columns: [qljg]
---

正文。
"""

OLD_PLAN = "fdzdgknr/ghjh/index.html"
NEW_PLAN = "fdzdgknr/ghyjh/index.html"
OLD_QLJG = "fdzdgknr/zcfg/qljg/index.html"
NEW_QLJG = "jdbz/qljg/index.html"
WITHDRAWN = "fdzdgknr/qhdm/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = {  # old feed address -> new one (feeds/columns/<column path>.xml)
    "feeds/columns/fdzdgknr/ghjh.xml": "feeds/columns/fdzdgknr/ghyjh.xml",  # renamed
    "feeds/columns/fdzdgknr/zcfg/qljg.xml": "feeds/columns/jdbz/qljg.xml",  # moved
}
WITHDRAWN_FEED = "feeds/columns/fdzdgknr/qhdm.xml"


def _v2(root: Path) -> None:
    (root / "catalog" / "columns.yml").write_text(V2, encoding="utf-8")
    (root / "content" / "documents" / "ghjh.md").write_text(DOC.format(col="ghyjh"), encoding="utf-8")


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory) -> Path:
    """v1 published and locked, then v2 with a rename, a move and a withdrawal, locked with --rename, built."""
    root = make_site(tmp_path_factory.mktemp("redirects"), V1, {"ghjh.md": DOC.format(col="ghjh"), "qljg.md": CLEANUP_DOC})
    r = cli(root, "lock")
    assert r.returncode == 0, r.stderr
    r = run_build(root)
    assert r.returncode == 0, r.stderr
    v1_feeds = root.parent / "v1-feeds"  # what a feed reader subscribed to before the rename and the move
    for old in [*FEEDS, WITHDRAWN_FEED]:
        (v1_feeds / old).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / "site" / old, v1_feeds / old)
    _v2(root)
    r = cli(root, "lock", "--rename", "ghjh=ghyjh")
    assert r.returncode == 0, r.stderr
    assert "区划地名" in r.stdout and "本栏目已撤销" in r.stdout
    r = run_build(root)  # into the same site/ that v1 was built into
    assert r.returncode == 0, r.stderr
    return root


def test_lock_records_old_and_new_urls(renamed_site):
    text = (renamed_site / "catalog" / "urls.lock.yml").read_text(encoding="utf-8")
    for url in (OLD_PLAN, NEW_PLAN, OLD_QLJG, NEW_QLJG, WITHDRAWN):
        assert f'"{url}"' in text
    assert f'"{OLD_PLAN}": {{column: "ghyjh", name: "规划计划"}}' in text
    urls, _, documents = text.partition("\ndocuments:\n")
    for part in (urls, documents):  # each map sorted (the published document ghjh.md is recorded too)
        lines = [line for line in part.splitlines() if line.startswith("  ")]
        assert lines == sorted(lines)
    assert '"documents/ghjh.html": {file: "content/documents/ghjh.md"' in documents
    # running it again changes nothing
    r = cli(renamed_site, "lock", "--check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_redirect_pages_are_relative_and_canonical(renamed_site):
    site = renamed_site / "site"
    for old, new in ((OLD_PLAN, NEW_PLAN), (OLD_QLJG, NEW_QLJG)):
        soup = BeautifulSoup((site / old).read_text(encoding="utf-8"), "html.parser")
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = refresh.split("url=", 1)[1]
        assert not target.startswith(("/", "http")), target
        assert (site / old).parent.joinpath(target).resolve() == (site / new).resolve()
        assert soup.find("link", rel="canonical")["href"] == target
        assert soup.find("a", id="gk-redirect")["href"] == target
    # the v1 page is gone from site/: the old URL is now the redirect, not a stale copy
    assert "栏目地址已变更" in (site / OLD_PLAN).read_text(encoding="utf-8")


def test_old_urls_redirect_in_chromium(renamed_site, browser):
    page = browser.new_page()
    with serve(renamed_site / "site") as url:
        for old, new, name in ((OLD_PLAN, NEW_PLAN, "规划与计划"), (OLD_QLJG, NEW_QLJG, "规范性文件清理结果")):
            page.goto(url + old)
            page.wait_for_url(url + new, timeout=10_000)
            assert page.locator("h1.gk-title").inner_text() == name
        # the renamed column still lists its document after the redirect
        page.goto(url + OLD_PLAN)
        page.wait_for_url(url + NEW_PLAN, timeout=10_000)
        assert page.get_by_text("示例市民政事业发展规划").count() >= 1
        # a withdrawn column: a page that says so, linking to the catalogue table (not a bare 404)
        response = page.goto(url + WITHDRAWN)
        assert response.status == 200
        assert page.locator("h1").inner_text() == "本栏目已撤销"
        assert "区划地名" in page.locator("main").inner_text()
        page.locator("#gk-catalogue").click()
        page.wait_for_url(url + "bzml/index.html", timeout=10_000)
    # from file:// as well (relative URLs only)
    page.goto((renamed_site / "site" / OLD_QLJG).as_uri())
    page.wait_for_url((renamed_site / "site" / NEW_QLJG).as_uri(), timeout=10_000)
    assert page.locator("h1.gk-title").inner_text() == "规范性文件清理结果"
    page.close()


def atom(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """(self link, entries as (id, title, published)) of an Atom feed, which must parse as one."""
    feed = ET.parse(path).getroot()
    assert feed.tag == ATOM + "feed", path
    self_link = next(a.get("href") for a in feed.iter(ATOM + "link") if a.get("rel") == "self")
    entries = [(e.findtext(ATOM + "id"), e.findtext(ATOM + "title"), e.findtext(ATOM + "published"))
               for e in feed.iter(ATOM + "entry")]
    return self_link, entries


def test_old_feed_addresses_keep_giving_the_columns_entries(renamed_site):
    """A feed reader subscribed to a column's feed before the rename or the move (it cannot follow the HTML
    redirect): the old address still parses as Atom with the same entries, and its self link names the new one."""
    site, v1 = renamed_site / "site", renamed_site.parent / "v1-feeds"
    base = "https://test.example.gov.cn/"
    for old, new in FEEDS.items():
        _, subscribed = atom(v1 / old)
        assert subscribed, old  # the column had an entry before
        self_link, entries = atom(site / old)
        assert entries == subscribed
        assert self_link == base + new
        assert (site / old).read_bytes() == (site / new).read_bytes()
    # a withdrawn column's feed is gone (nothing left to subscribe to), as its page says
    assert (v1 / WITHDRAWN_FEED).is_file() and not (site / WITHDRAWN_FEED).exists()
    entries = {e["path"]: e for e in json.loads((renamed_site / "site.manifest.json").read_text())["entries"]}
    for old in FEEDS:
        assert (entries[old]["kind"], entries[old]["source"]) == ("feed-alias", "catalog/urls.lock.yml"), entries[old]


def test_output_does_not_depend_on_build_order(renamed_site, tmp_path):
    """v2 built fresh (never having built v1) gives the same old-URL pages as v2 built over v1."""
    fresh = tmp_path / "fresh"
    shutil.copytree(renamed_site, fresh, ignore=shutil.ignore_patterns("site"))
    r = run_build(fresh)
    assert r.returncode == 0, r.stderr
    a, b = tree_digest(renamed_site / "site"), tree_digest(fresh / "site")
    assert sorted(a) == sorted(b)
    for url in (OLD_PLAN, OLD_QLJG, WITHDRAWN, NEW_PLAN, NEW_QLJG, *FEEDS, *FEEDS.values()):
        assert a[url] == b[url]


def test_unrecorded_url_warns_and_bad_record_stops(tmp_path):
    """In process: the loader's warnings are what the build logs, write_old_pages is what the build calls to write
    the old-URL pages, and a loader error is what stops the build before anything is written (tests/e2e/test_atomic.py)."""
    root = make_site(tmp_path / "s", V1, {"ghjh.md": DOC.format(col="ghjh")})
    assert cli(root, "lock").returncode == 0
    _v2(root)
    # not locked yet: a warning that names the command; the moved column still redirects by its id
    cat = load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
    [warning] = [w.format() for w in cat.warnings if w.file == urlrecord.LOCK_REL]
    assert "gongkai lock" in warning and "规划与计划" in warning
    out = tmp_path / "out"
    assert len(write_old_pages(cat, out)) == 3
    assert "栏目地址已变更" in (out / OLD_QLJG).read_text(encoding="utf-8")
    # without --rename the auto-id rename is a withdrawn column
    assert "本栏目已撤销" in (out / OLD_PLAN).read_text(encoding="utf-8")
    r = cli(root, "check")
    assert r.returncode == 0 and "gongkai lock" in r.stderr
    r = cli(root, "lock", "--check")
    assert r.returncode == 1
    # a broken record stops the build with file, line and field
    lock = root / "catalog" / "urls.lock.yml"
    lock.write_text(lock.read_text(encoding="utf-8").replace('{column: "bmwj", ', '{colum: "bmwj", '), encoding="utf-8")
    with pytest.raises(GongkaiError) as info:
        load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
    assert any(p.file == urlrecord.LOCK_REL and p.line and p.field == "colum" for p in info.value.problems)
    r = cli(root, "check")
    assert r.returncode == 1 and "catalog/urls.lock.yml:" in r.stderr and "colum" in r.stderr


def test_example_url_record_is_current():
    """The example's committed catalog/urls.lock.yml lists every column URL (else: run gongkai lock and commit).
    Run as its own process: `python -m gongkai.cli` as a scheduled job starts it."""
    r = run_cli(REPO, "lock", "--check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_bad_record_stops_a_loader_imported_alone(tmp_path):
    """The URL record is validated by load_catalogue() itself, whatever else was imported: in a fresh interpreter
    that imports only the loader, a malformed urls.lock.yml is an error naming file, line and field."""
    root = make_site(tmp_path / "s", V1, {"ghjh.md": DOC.format(col="ghjh")})
    assert cli(root, "lock").returncode == 0
    lock = root / "catalog" / "urls.lock.yml"
    text = lock.read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if '{column: "bmwj", ' in ln)
    lock.write_text(text.replace('{column: "bmwj", ', '{colum: "bmwj", '), encoding="utf-8")
    code = (
        "import sys\n"
        "from gongkai.load.loader import load_catalogue\n"
        "from gongkai.errors import GongkaiError\n"
        "assert not any(m.startswith(('gongkai.build.redirects', 'gongkai.cli', 'gongkai.mkdocs')) for m in sys.modules)\n"
        "try:\n"
        f"    load_catalogue({str(root)!r})\n"
        "except GongkaiError as exc:\n"
        "    print('\\n'.join(p.format() for p in exc.problems if p.level == 'error'))\n"
        "    sys.exit(3)\n"
    )
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, PYTHONPATH=str(REPO))
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stdout + r.stderr
    assert f"catalog/urls.lock.yml:{line}: 错误: " in r.stdout and "「colum」" in r.stdout
