"""A recorded document address whose file is gone (catalog/urls.lock.yml `documents:`): the old address neither
answers 404 nor keeps the old page — in `mkdocs build`, `--dirty` and cached rebuilds it shows 「该信息已移除」
(file deleted) or redirects to the document's new address (the file now has an id of its own), as the old
addresses of removed and moved columns do (build/redirects.py). The titles and numbers are the real ones of
tests/fixtures/old_mulu.py (sources cited there)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from fixtures.old_mulu import ANXIN_NUMBER, ANXIN_TITLE, GUIZE_TITLE, ORG
from test_disclosure import _scan

from conftest import BUILD_DATE, build_in_process, cli, make_site
from gongkai.build import outputcheck
from gongkai.load.loader import load_catalogue

COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
GUIZE = (f"---\ntitle: {GUIZE_TITLE}\nindex_no: {ORG}/2020-00012\npublished: 2020-10-10\ncolumns: [tzgg]\n---\n\n"
         "ZZGZBODY 现印发给你们，请严格遵照修订后的编制规则执行。\n")
ANXIN = (f"---\ntitle: {ANXIN_TITLE}\ndoc_number: {ANXIN_NUMBER}\npublished: 2023-09-28\ncolumns: [tzgg]\n---\n\n"
         "ZZAXBODY 为推进城镇燃气居民和餐饮用户“安心用气工程”建设，提出如下实施意见。\n")
ANXIN_ID = "2023-szfbgtgytjczrqjmhcyyhaxyqgcjsdssyj"


def _build(root: Path, *args: str) -> None:
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def _page(root: Path, href: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / href).read_text(encoding="utf-8"), "html.parser")


def _reasons(root: Path) -> dict[str, dict]:
    data = json.loads((root / "site.manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e for e in data["entries"]}


def test_a_deleted_recorded_file_and_a_renamed_one_in_dirty_and_cached_builds(tmp_path):
    root = make_site(tmp_path / "site", COLUMNS, {"通知/索引号编制规则的通知.md": GUIZE, "通知/安心用气工程实施意见.md": ANXIN})
    assert cli(root, "lock").returncode == 0
    _build(root)
    assert "ZZGZBODY" in (root / "site/documents/2020-00012.html").read_text(encoding="utf-8")
    docs = root / "content/documents/通知"
    (docs / "索引号编制规则的通知.md").unlink()  # deleted without `gongkai withdraw`
    (docs / "安心用气工程实施意见.md").rename(docs / "axyq-2023.md")  # renamed to an ASCII name: a new address
    for args in (("--dirty",), ()):  # --dirty first (a copy of site/ would keep the old pages), then cached
        _build(root, *args)
        assert _scan(root / "site", ["ZZGZBODY", GUIZE_TITLE]) == {}
        gone = _page(root, "documents/2020-00012.html")
        assert gone.h1.get_text() == "该信息已移除" and "该信息已从本站移除" in gone.get_text()
        assert gone.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert gone.find(id="gk-catalogue")["href"] == "../bzml/index.html"
        moved = _page(root, f"documents/{ANXIN_ID}.html")
        assert moved.h1.get_text() == "文件地址已变更" and "ZZAXBODY" not in moved.get_text()
        assert moved.find(id="gk-redirect")["href"] == "axyq-2023.html"
        assert moved.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=axyq-2023.html"
        assert "ZZAXBODY" in (root / "site/documents/axyq-2023.html").read_text(encoding="utf-8")
        reasons = _reasons(root)
        assert reasons["documents/2020-00012.html"]["kind"] == "removed-document"
        assert (reasons[f"documents/{ANXIN_ID}.html"]["kind"], reasons[f"documents/{ANXIN_ID}.html"]["ref"]) == (
            "redirect", "axyq-2023")
        cat = load_catalogue(root, None)
        assert outputcheck.unpublished_outputs(root / "site", cat, [g.href for g in cat.gone]) == []
        listing = (root / "site/tzgg/index.html").read_text(encoding="utf-8")
        assert "2020-00012.html" not in listing and 'href="../documents/axyq-2023.html"' in listing
    # the clerk records why it went: the old address becomes the withdrawal notice, the warning stops
    warned = [w for w in load_catalogue(root, None).warnings if w.field == "documents"]
    assert [w.line for w in warned] != [] and "gongkai withdraw 2020-00012" in warned[0].message
    moved = cli(root, "withdraw", ANXIN_ID, "--reason", "误发布", "--no-build")
    assert moved.returncode == 2 and "请运行 gongkai withdraw axyq-2023" in moved.stderr
    done = cli(root, "withdraw", "2020-00012", "--reason", "已被新规则替代", "--by", "王科员", "--no-build")
    assert done.returncode == 0, done.stderr
    assert "site/documents/2020-00012.html 已改为“该信息已撤回”" in done.stdout
    assert f"「{GUIZE_TITLE}」已于 {BUILD_DATE} 撤回" in (root / "site/documents/2020-00012.html").read_text(encoding="utf-8")
    _build(root, "--dirty")
    assert _page(root, "documents/2020-00012.html").h1.get_text() == "该信息已撤回"
    assert _reasons(root)["documents/2020-00012.html"]["kind"] == "withdrawal"
    cat = load_catalogue(root, None)
    assert [w for w in cat.warnings if w.field == "documents"] == [] and [g.id for g in cat.gone] == [ANXIN_ID]
    assert cat.withdrawals[0].index_no == f"{ORG}/2020-00012"


def test_publish_refuses_a_page_at_a_removed_address(tmp_path):
    """The file was deleted but site/ not rebuilt: `gongkai publish` would put the deleted document's page back on
    the server at the address the record keeps as removed. It stops, naming the address, the file and the record's
    line; after the rebuild the server shows 「该信息已移除」 there."""
    from gongkai.tools import deploy

    root = make_site(tmp_path / "site", COLUMNS, {"通知/索引号编制规则的通知.md": GUIZE, "通知/安心用气工程实施意见.md": ANXIN})
    assert cli(root, "lock").returncode == 0
    build_in_process(root)
    (tmp_path / "www").mkdir()
    target = tmp_path / "www" / "zfxxgk"
    first = cli(root, "publish", str(target))
    assert first.returncode == 0, first.stderr
    (root / "content/documents/通知/索引号编制规则的通知.md").unlink()
    refused = cli(root, "publish", str(target))
    assert refused.returncode == 1
    lock = (root / "catalog/urls.lock.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lock, 1) if "2020-00012" in text)
    file = "content/documents/通知/索引号编制规则的通知.md"
    assert (f"documents/2020-00012.html：原文件 {file} 已删除（catalog/urls.lock.yml 第 {line} 行），"
            f"要发布的网站在这个地址上却是文件页（{file}）") in refused.stderr
    assert "请运行 gongkai build 重新生成后再发布" in refused.stderr
    assert f"documents/{ANXIN_ID}.html" not in refused.stderr  # the other document is still published there
    assert len(deploy.versions(target)) == 1 and "ZZGZBODY" in (target / "documents/2020-00012.html").read_text(encoding="utf-8")
    build_in_process(root)
    second = cli(root, "publish", str(target))
    assert second.returncode == 0, second.stderr
    assert "该信息已移除" in (target / "documents/2020-00012.html").read_text(encoding="utf-8")


def test_a_deleted_file_with_an_ascii_name_leaves_the_same_notice(tmp_path):
    """An ASCII file name is the document's address (no automatic id): `gongkai lock` records it all the same, so
    deleting the file leaves 「该信息已移除」 and a warning at its record line, not a 404."""
    root = make_site(tmp_path / "site", COLUMNS, {"2023/axyq-2023.md": ANXIN, "通知/索引号编制规则的通知.md": GUIZE})
    assert cli(root, "lock").returncode == 0
    build_in_process(root)
    assert "ZZAXBODY" in (root / "site/documents/axyq-2023.html").read_text(encoding="utf-8")
    (root / "content/documents/2023/axyq-2023.md").unlink()
    build_in_process(root)
    gone = _page(root, "documents/axyq-2023.html")
    assert gone.h1.get_text() == "该信息已移除" and "ZZAXBODY" not in gone.get_text()
    assert _reasons(root)["documents/axyq-2023.html"]["kind"] == "removed-document"
    lock = (root / "catalog/urls.lock.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lock, 1) if "documents/axyq-2023.html" in text)
    [warning] = [w for w in load_catalogue(root, None).warnings if w.field == "documents"]
    assert (warning.file, warning.line) == ("catalog/urls.lock.yml", line)
    assert "gongkai withdraw axyq-2023" in warning.message
