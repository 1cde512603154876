"""A rebuild with a warm cache (documents remembered by file hash, memo files, finished pages, the search index,
hashes of output files; stat data trusted as git's index trusts it, gongkai/statcheck.py) writes exactly the bytes
a cold build writes, site.manifest.json included, after editing a document and an attachment (in place, keeping
their size and modification time), renaming a column and changing site.yml;
and a removed attachment stops the warm build with the cold build's error (gongkai/load/doccache.py,
gongkai/build/cache.py)."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from conftest import build_in_process, cold_copy, copy_example, edit, opened_documents, run_build, tree_digest

DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
ATTACHMENT = "content/files/lsjz-shenqing.txt"
SAME_SIZE = "content/documents/2019/szmz-2019-4.md"  # 示例市最低生活保障工作规程


def build(root: Path) -> None:
    result = run_build(root)
    assert result.returncode == 0, result.stderr[-3000:]


def test_warm_rebuilds_write_the_bytes_of_a_cold_build(tmp_path):
    root = copy_example(tmp_path / "warm")
    (root / ATTACHMENT).write_text("临时救助申请表\n", encoding="utf-8")
    edit(root / DOC, "expires: 2024-04-30\n",
         "expires: 2024-04-30\nattachments:\n  - {title: 临时救助申请表, file: ../../files/lsjz-shenqing.txt}\n")
    build(root)
    build(root)  # every cache warm
    assert any((root / ".cache" / "gongkai" / "memo").glob("*.pickle"))
    # a document (title and body), a column's name (it has an id: same address) and the bureau's name in site.yml
    edit(root / DOC, "title: ", "title: 修订：")
    (root / DOC).write_text((root / DOC).read_text(encoding="utf-8") + "\n本办法由示例市民政局负责解释。\n", encoding="utf-8")
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    edit(root / "catalog" / "site.yml", "name: 示例市民政局\n", "name: 示例市民政局（新）\n")
    # the same number of bytes in the same file, its modification time put back (only its ctime changes)
    same = root / SAME_SIZE
    st, data = same.stat(), same.read_bytes()
    changed = data.replace("坚持党委领导".encode(), "坚持党的领导".encode(), 1)
    assert changed != data and len(changed) == len(data)
    with open(same, "r+b") as fh:
        fh.write(changed)
    os.utime(same, ns=(st.st_atime_ns, st.st_mtime_ns))
    # and an attachment the same way: the site holds the rebuild's copy of it, not the one the last build put there
    # (gongkai puts the files MkDocs would copy itself, from the cache: plugin._put_static_files)
    attachment = root / ATTACHMENT
    st = attachment.stat()
    with open(attachment, "r+b") as fh:
        fh.write("临时救助审批表\n".encode())
    os.utime(attachment, ns=(st.st_atime_ns, st.st_mtime_ns))
    build(root)
    assert (root / "site" / "files" / "lsjz-shenqing.txt").read_text(encoding="utf-8") == "临时救助审批表\n"
    cold = cold_copy(root, tmp_path / "cold")
    build(cold)
    warm_files, cold_files = tree_digest(root / "site"), tree_digest(cold / "site")
    assert len(warm_files) > 100
    assert sorted(n for n in set(warm_files) | set(cold_files) if warm_files.get(n) != cold_files.get(n)) == []
    page = warm_files["documents/szmz-2022-2.html"].decode("utf-8")
    assert "修订：" in page and "本办法由示例市民政局负责解释。" in page and "示例市民政局（新）" in page
    assert any(n.endswith("/bmwj/index.html") and "本部门文件" in v.decode() for n, v in warm_files.items())
    assert "坚持党的领导" in warm_files["documents/szmz-2019-4.html"].decode("utf-8")
    assert (root / "site.manifest.json").read_bytes() == (cold / "site.manifest.json").read_bytes()
    # the attachment's file removed: the warm build stops exactly as the cold one does, site/ untouched
    (root / ATTACHMENT).unlink()
    (cold / ATTACHMENT).unlink()
    before = tree_digest(root / "site")
    warm_run, cold_run = run_build(root), run_build(cold)
    assert warm_run.returncode != 0 and cold_run.returncode != 0
    assert "lsjz-shenqing.txt" in warm_run.stderr and "不存在" in warm_run.stderr
    assert warm_run.stderr.replace(str(root), "ROOT") == cold_run.stderr.replace(str(cold), "ROOT")
    assert tree_digest(root / "site") == before


VIDEO = "content/documents/2026/szmz-2026-4-jd-sp.md"  # 视频解读, its captions removed below: a warning
CAPTIONS = '<track kind="captions" src="../files/jd/szmz-2026-4-jd-sp.vtt" srclang="zh" label="中文字幕" default>\n'


def logged_build(root: Path, caplog) -> list[str]:
    """build_in_process, returning the warnings it logged (the build's report of the site's problems)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        build_in_process(root)
    return [r.getMessage().replace(str(root), "ROOT") for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_warm_rebuild_reads_only_the_documents_it_needs(tmp_path, caplog, monkeypatch):
    """Documents with a warning are reused with it (the same report as a cold build), and an unchanged document's
    file is not even opened: a rebuild reads the edited document, the 解读 whose image or player a policy's page
    shows (pages.py media_of), and in the search index the edited record's group of CHUNK records - nothing else.
    The output is a cold build's, byte for byte."""
    from gongkai.build.searchindex import CHUNK

    root = copy_example(tmp_path / "warm")
    edit(root / VIDEO, CAPTIONS, "")
    cold_report = logged_build(root, caplog)
    assert any("视频解读没有字幕" in m and "szmz-2026-4-jd-sp.md" in m for m in cold_report)
    logged_build(root, caplog)  # files saved within the clock tick of the first build's stamp are trusted now
    media = {f"content/documents/{p.relative_to(root / 'content/documents').as_posix()}"
             for p in (root / "content/documents").rglob("*.md")
             if re.search(r"^form: (图解|视频|音频)$", p.read_text(encoding="utf-8"), re.M)}
    assert VIDEO in media and len(media) < 5
    seen = opened_documents(monkeypatch)
    assert logged_build(root, caplog) == cold_report
    assert set(seen) <= media
    seen.clear()
    edit(root / DOC, "title: ", "title: 修订：")
    warm_report = logged_build(root, caplog)
    assert DOC in seen and len(set(seen) - media - {DOC}) < CHUNK
    monkeypatch.undo()
    cold = cold_copy(root, tmp_path / "cold")
    assert logged_build(cold, caplog) == warm_report
    warm_files, cold_files = tree_digest(root / "site"), tree_digest(cold / "site")
    assert sorted(n for n in set(warm_files) | set(cold_files) if warm_files.get(n) != cold_files.get(n)) == []
    assert "修订：" in warm_files["documents/szmz-2022-2.html"].decode("utf-8")
