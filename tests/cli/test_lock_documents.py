"""`gongkai check`, `gongkai lock` and a real `mkdocs build` for a site whose documents and pages are named in
Chinese, as staff name files (issue 12): each document is published at its automatic address, `check` shows the
address until `lock` records it, and a renamed file keeps it in the built site. The titles are the real ones of
tests/fixtures/old_mulu.py (sources cited there)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from fixtures.old_mulu import ANXIN_NUMBER, ANXIN_TITLE, GUIZE_TITLE, ORG, SITE_COLUMNS, make_export

from conftest import cli, make_site, run_build
from gongkai.load.loader import load_catalogue

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
    kind: documents
  - name: 机构简介
    id: jgjj
    kind: page
    page: pages/机构简介.md
"""
GUIZE = f"""\
---
title: {GUIZE_TITLE}
index_no: {ORG}/2020-00012
published: 2020-10-10
columns: [tzgg]
---

厅机关各处（室、局），各直属事业单位：现印发给你们，请严格遵照修订后的编制规则执行。
"""
ANXIN = f"""\
---
title: {ANXIN_TITLE}
doc_number: {ANXIN_NUMBER}
published: 2023-09-28
columns: [tzgg]
---

为推进城镇燃气居民和餐饮用户“安心用气工程”建设，提出如下实施意见。
"""
ANXIN_ID = "2023-szfbgtgytjczrqjmhcyyhaxyqgcjsdssyj"


def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", COLUMNS,
                     {"通知/索引号编制规则的通知.md": GUIZE, "通知/安心用气工程实施意见.md": ANXIN},
                     pages={"pages/机构简介.md": "# 机构简介\n\n示例市民政局是市政府工作部门。\n"})


def test_check_lock_rename_and_build(tmp_path):
    root = site(tmp_path)
    check = cli(root, "check")
    assert check.returncode == 0, check.stderr
    shown = check.stdout + check.stderr
    assert ("content/documents/通知/索引号编制规则的通知.md:3: 警告: 字段「id」：本文件的网址是 documents/2020-00012.html"
            "（按索引号生成），尚未记入地址记录") in shown
    assert f"content/documents/通知/安心用气工程实施意见.md:2: 警告: 字段「id」：本文件的网址是 documents/{ANXIN_ID}.html" in shown
    locked = cli(root, "lock")
    assert locked.returncode == 0, locked.stderr
    assert "新增文件地址：documents/2020-00012.html（content/documents/通知/索引号编制规则的通知.md）" in locked.stdout
    assert "2 个文件地址（新增 2 个）" in locked.stdout
    assert cli(root, "lock", "--check").returncode == 0
    assert "字段「id」" not in (c := cli(root, "check")).stdout + c.stderr
    # the clerk renames one file and retitles the other; the record keeps both addresses
    docs = root / "content/documents/通知"
    (docs / "索引号编制规则的通知.md").rename(docs / "索引号编制规则.md")
    (docs / "安心用气工程实施意见.md").write_text(ANXIN.replace(ANXIN_TITLE, "关于推进“安心用气工程”建设的实施意见"),
                                               encoding="utf-8")
    assert cli(root, "lock", "--check").returncode == 1  # the record names the old file: lock again
    assert cli(root, "lock").returncode == 0
    built = run_build(root)
    assert built.returncode == 0, built.stderr
    out = root / "site"
    guize = BeautifulSoup((out / "documents/2020-00012.html").read_text(encoding="utf-8"), "html.parser")
    assert guize.find("h1").get_text(strip=True) == GUIZE_TITLE
    anxin = BeautifulSoup((out / f"documents/{ANXIN_ID}.html").read_text(encoding="utf-8"), "html.parser")
    assert anxin.find("h1").get_text(strip=True) == "关于推进“安心用气工程”建设的实施意见"
    listing = (out / "tzgg/index.html").read_text(encoding="utf-8")
    assert 'href="../documents/2020-00012.html"' in listing and f'href="../documents/{ANXIN_ID}.html"' in listing
    assert not list(out.rglob("*通知*")) and not list(out.rglob("*机构简介*"))  # no page under a Chinese file name
    page = BeautifulSoup((out / "jgjj/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "示例市民政局是市政府工作部门。" in page.get_text()


def test_lock_says_which_documents_it_could_not_read(tmp_path):
    """A document whose front matter cannot be read gets no address; `gongkai lock` records the others and says
    which file it skipped and why, instead of ending as if every address were on record."""
    root = site(tmp_path)
    (root / "content/documents/通知/坏文件.md").write_text("---\ntitle: 坏文件\npublished: 2024-01-05\ncolumns: [tzgg\n"
                                                     "---\n\n正文\n", encoding="utf-8")
    locked = cli(root, "lock")
    assert locked.returncode == 0, locked.stderr
    lines = locked.stderr.splitlines()
    assert lines[0] == "提示：1 个文件有错误，没有记下它们的地址（改正后再运行一次 gongkai lock）：", locked.stderr
    assert lines[1].startswith("  content/documents/通知/坏文件.md:"), locked.stderr
    assert "坏文件" not in (root / "catalog/urls.lock.yml").read_text(encoding="utf-8")
    assert ANXIN_ID in (root / "catalog/urls.lock.yml").read_text(encoding="utf-8")


def test_lock_records_no_address_made_from_a_field_with_an_error(tmp_path):
    """An automatic id is made from the 发布日期's year: a date that is no date (2026-13-01) made documents/1970-….html,
    and the record keeps a recorded address for good. The document gets its address once the date is corrected."""
    root = site(tmp_path)
    bad = root / "content/documents/通知/日期写错的通知.md"
    bad.write_text("---\ntitle: 日期写错的通知\npublished: 2026-13-01\ncolumns: [tzgg]\n---\n\n正文\n",
                   encoding="utf-8")
    locked = cli(root, "lock")
    assert locked.returncode == 0, locked.stderr
    lines = locked.stderr.splitlines()
    assert lines[0] == "提示：1 个文件有错误，没有记下它们的地址（改正后再运行一次 gongkai lock）：", locked.stderr
    assert lines[1].startswith("  content/documents/通知/日期写错的通知.md:3:") and "published" in lines[1], lines
    record = (root / "catalog/urls.lock.yml").read_text(encoding="utf-8")
    assert "日期写错的通知" not in record and "1970" not in record and ANXIN_ID in record
    bad.write_text(bad.read_text(encoding="utf-8").replace("2026-13-01", "2026-11-01"), encoding="utf-8")
    locked = cli(root, "lock")
    assert locked.returncode == 0 and locked.stderr == "", locked.stderr
    assert "新增文件地址：documents/2026-rqxcdtz.html（content/documents/通知/日期写错的通知.md）" in locked.stdout


def test_lock_refuses_ids_that_collide(tmp_path):
    root = site(tmp_path)
    (root / "content/documents/通知/安心用气工程（转发）.md").write_text(ANXIN, encoding="utf-8")
    locked = cli(root, "lock")
    assert locked.returncode == 2
    assert ("content/documents/通知/安心用气工程（转发）.md:2: 错误: 字段「id」：文件标识" in locked.stderr
            and "content/documents/通知/安心用气工程实施意见.md（第 2 行" in locked.stderr), locked.stderr
    assert not (root / "catalog/urls.lock.yml").exists()


def test_lock_right_after_import_docs_records_the_imported_documents(tmp_path):
    """The new-user trial: `gongkai import-docs` then `gongkai lock` said nothing of the documents, because the import
    writes each id into its file and the lock recorded only ids made while loading. The ids the import made are the
    automatic rule's: recorded the same way, so the address holds when a file later loses its `id:` line."""
    root = make_site(tmp_path / "site", SITE_COLUMNS)
    table = make_export(tmp_path / "export")
    assert cli(root, "import-docs", str(table), str(table.parent / "files")).returncode == 1  # two rows unplaced
    locked = cli(root, "lock")
    assert locked.returncode == 0, locked.stderr
    assert "4 个文件地址（新增 4 个）" in locked.stdout
    assert "新增文件地址：documents/2020-00012.html（content/documents/2020/2020-00012.md）" in locked.stdout
    record = yaml.safe_load((root / "catalog/urls.lock.yml").read_text(encoding="utf-8"))["documents"]
    assert sorted(record) == ["documents/2016-hnxmzjzfxxgkml2016ngx.html", "documents/2020-00012.html",
                              "documents/2023-00005.html", "documents/2023-sxsshjzbf.html"]
    assert record["documents/2023-00005.html"]["doc_number"] == ANXIN_NUMBER
    assert cli(root, "lock", "--check").returncode == 0
    # staff rename the file by its title (the id line still there), lock; later the id line goes and the title is
    # edited: the record still gives the address the import gave
    docs = root / "content/documents/2023"
    (docs / "2023-sxsshjzbf.md").rename(docs / "陕西省社会救助办法.md")
    assert cli(root, "lock", "--check").returncode == 1 and cli(root, "lock").returncode == 0
    text = (docs / "陕西省社会救助办法.md").read_text(encoding="utf-8")
    (docs / "陕西省社会救助办法.md").write_text(
        text.replace("id: 2023-sxsshjzbf\n", "").replace("title: 陕西省社会救助办法", "title: 陕西省社会救助办法（2023年修订）"),
        encoding="utf-8")
    cat = load_catalogue(root, dt.date(2026, 11, 24))
    doc = next(d for d in cat.documents if d.source.file.endswith("陕西省社会救助办法.md"))
    assert (doc.id, doc.title) == ("2023-sxsshjzbf", "陕西省社会救助办法（2023年修订）")
    assert not [w for w in cat.warnings if w.field == "id"]


def test_a_hand_written_id_and_an_ascii_name_are_recorded_when_published(tmp_path):
    """An id the clerk chose and an ASCII file name are addresses too once published: recorded (so the address of a
    deleted file says 「该信息已移除」 like every other, tests/e2e/test_gone_documents.py); a document that is not
    主动公开 never had an address and is not recorded."""
    root = make_site(tmp_path / "site", COLUMNS, {"gz.md": GUIZE.replace("title:", "id: guize\ntitle:"),
                                                  "notice-2024.md": ANXIN,
                                                  "internal.md": GUIZE.replace("title:", "disclosure: 不予公开\nid: nb\ntitle:")},
                     pages={"pages/机构简介.md": "# 机构简介\n"})
    locked = cli(root, "lock")
    assert locked.returncode == 0, locked.stderr
    assert "新增文件地址：documents/guize.html（content/documents/gz.md）" in locked.stdout
    assert "新增文件地址：documents/notice-2024.html（content/documents/notice-2024.md）" in locked.stdout
    record = yaml.safe_load((root / "catalog/urls.lock.yml").read_text(encoding="utf-8"))["documents"]
    assert sorted(record) == ["documents/guize.html", "documents/notice-2024.html"]
    assert record["documents/guize.html"]["title"] == GUIZE_TITLE
    assert cli(root, "lock", "--check").returncode == 0
