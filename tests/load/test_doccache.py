"""Documents remembered by the build cache (gongkai/load/doccache.py): a warm load gives exactly the model a cold
load gives, after editing a document (also in place keeping its size and modification time: its stat data is
trusted only as git's index trusts it, gongkai/statcheck.py), renaming a column, changing site.yml or removing an
attachment, and it does reuse the documents nothing changed."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_example, load_errors, opened_documents
from gongkai.build.cache import BuildCache
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 24)
DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
ATTACHMENT = "content/files/lsjz-shenqing.txt"


@dataclass
class Counting:
    """How a warm load got its documents (model.Changes: the load's own account, load/snapshot.py)."""

    reused: list[str]  # taken from the previous load's snapshot (read and hashed or not read at all)
    loaded: list[str]  # read and parsed afresh
    hashed: list[str]  # read and hashed (their stat did not vouch for them), the previous record reused
    unread: int  # neither read nor parsed
    clock: int | None  # the build's stat stamp (None: GONGKAI_TRUST_STAT=0)


def picture(cat) -> list[tuple]:
    """Everything of the loaded documents that pages are made from, as plain values."""
    return [(repr(d), d.body, d.body_line, [(c.path, c.name) for c in d.columns], [x.id for x in d.interpretations],
             [x.id for x in d.replaces], repr(d.front_matter), d.field_lines, d.embargoed, repr(d.withdrawn))
            for d in cat.documents]


def warm_load(root: Path, trust_stat: bool = True, day: dt.date = DAY) -> tuple[Any, Counting]:
    """A load through the site's build cache, saved as a build saves it (.cache/gongkai/memo/)."""
    cache = BuildCache(root / ".cache" / "gongkai", trust_stat=trust_stat)
    with cache.memo() as memo:
        cat = load_catalogue(root, day, memo)
    ch = cat.changes
    parsed = set(ch.parsed)
    return cat, Counting([d.source.file for d in cat.documents if d.source.file not in parsed], list(ch.parsed),
                         list(ch.hashed), ch.reused, cache.clock)


def assert_same_as_cold(root: Path):
    cat, counting = warm_load(root)
    assert picture(cat) == picture(load_catalogue(root, DAY))
    assert [w.format() for w in cat.warnings] == [w.format() for w in load_catalogue(root, DAY).warnings]
    return counting


@pytest.fixture
def site(tmp_path) -> Path:
    root = copy_example(tmp_path / "site")
    (root / ATTACHMENT).write_text("临时救助申请表\n", encoding="utf-8")
    doc = root / DOC
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "expires: 2024-04-30\n", "expires: 2024-04-30\nattachments:\n  - {title: 临时救助申请表, file: ../../files/lsjz-shenqing.txt}\n"),
        encoding="utf-8")
    past_tick(doc)  # else the first load's stamp may fall in the tick of this write (racy-git: hashed once more)
    warm_load(root)
    return root


def past_tick(path: Path) -> None:
    """Wait until the file system's clock has moved past the tick of path's last change (its ctime): a stamp taken
    now is strictly later, so the load that hashes path can vouch for it by its stat (statcheck's racy-git rule)."""
    probe = path.parents[4] / "tick-probe"  # beside the site, on the same file system, not in content/
    changed = path.stat().st_ctime_ns
    while True:
        probe.write_bytes(b"")
        if probe.stat().st_mtime_ns > changed:
            break
        time.sleep(0.001)
    probe.unlink()


def test_unchanged_documents_are_reused(site):
    counting = assert_same_as_cold(site)
    assert len(counting.reused) > 20 and counting.loaded == []
    assert DOC in counting.reused


def test_an_edited_document_is_loaded_again(site):
    doc = site / DOC
    doc.write_text(doc.read_text(encoding="utf-8").replace("title: ", "title: 修订：", 1) + "\n本办法由示例市民政局负责解释。\n",
                   encoding="utf-8")
    counting = assert_same_as_cold(site)
    assert counting.loaded == [DOC]
    assert DOC not in counting.reused and len(counting.reused) > 20


def change_in_place(path: Path, old: str, new: str) -> None:
    """The same number of bytes in the same file (same inode), its modification time put back: only its change
    time (ctime), which nobody can set, tells that it was written."""
    st = path.stat()
    data = path.read_bytes()
    changed = data.replace(old.encode("utf-8"), new.encode("utf-8"), 1)
    assert len(changed) == len(data) and changed != data
    with open(path, "r+b") as fh:
        fh.write(changed)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def test_unchanged_documents_are_not_hashed_again(site):
    """Their stat data vouches for them (they are older than the stamp of the load that hashed them); with
    GONGKAI_TRUST_STAT=0 every one is read and hashed, and still reused by its digest."""
    cat, counting = warm_load(site)
    assert counting.unread == len(cat.documents) > 20 and counting.hashed == [] and counting.loaded == []
    cat, off = warm_load(site, trust_stat=False)
    assert off.clock is None and off.unread == 0 and off.loaded == []
    assert sorted(off.hashed) == sorted(off.reused) == sorted(d.source.file for d in cat.documents)


def test_an_edit_keeping_size_and_time_is_loaded_again(site):
    warm_load(site)  # every document's stat recorded as vouched for
    change_in_place(site / DOC, "兜底线", "保底线")
    counting = assert_same_as_cold(site)
    assert counting.loaded == [DOC] and DOC not in counting.reused
    cat, _ = warm_load(site)
    assert "保底线" in next(d for d in cat.documents if d.source.file == DOC).body


def test_a_renamed_column_reaches_every_document_in_it(site):
    cols = site / "catalog" / "columns.yml"
    cols.write_text(cols.read_text(encoding="utf-8").replace("- name: 部门文件\n", "- name: 部门文件\n            id: bmwj\n", 1)
                    .replace("- name: 部门文件", "- name: 本部门文件", 1), encoding="utf-8")
    cat, counting = warm_load(site)
    assert picture(cat) == picture(load_catalogue(site, DAY))
    renamed = [d for d in cat.documents if any(c.name == "本部门文件" for c in d.columns)]
    assert renamed and not counting.loaded  # the same column (same id and path): only its name changed


def test_a_moved_column_reloads_the_documents_in_it(site):
    """部门文件 (id bmwj) moves from 政策法规 to 重大决策预公开: its path changes, so its documents are loaded again."""
    cols = site / "catalog" / "columns.yml"
    block = ("          - name: 部门文件\n            art20: [1]\n            kind: documents\n"
             "            frequency: 及时更新\n            office: 各科室\n")
    text = cols.read_text(encoding="utf-8")
    assert block in text
    text = text.replace(block, "", 1).replace(block.replace("部门文件\n", "部门文件\n            id: bmwj\n", 1), "")
    anchor = "          - name: 重大行政决策事项目录\n"
    cols.write_text(text.replace(anchor, block.replace("部门文件\n", "部门文件\n            id: bmwj\n", 1) + anchor, 1),
                    encoding="utf-8")
    counting = assert_same_as_cold(site)
    assert counting.loaded and all("bmwj" in (site / name).read_text(encoding="utf-8") for name in counting.loaded)
    assert len(counting.reused) > 10


def test_site_yml_name_reaches_the_default_publisher(site):
    doc = site / DOC
    lines = doc.read_text(encoding="utf-8").splitlines(keepends=True)
    doc.write_text("".join(line for line in lines if not line.startswith("publisher:")), encoding="utf-8")
    warm_load(site)  # remembered with the default publisher
    yml = site / "catalog" / "site.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("name: 示例市民政局\n", "name: 示例市民政局（新）\n", 1),
                   encoding="utf-8")
    cat, counting = warm_load(site)
    assert picture(cat) == picture(load_catalogue(site, DAY))
    assert counting.reused == [] and any(d.publisher == "示例市民政局（新）" for d in cat.documents)


def test_a_removed_attachment_is_an_error_as_in_a_cold_build(site):
    (site / ATTACHMENT).unlink()
    cold = load_errors(site, DAY)
    assert any("lsjz-shenqing.txt" in message for *_, message in cold)
    cache = BuildCache(site / ".cache" / "gongkai")
    from gongkai.errors import GongkaiError

    with pytest.raises(GongkaiError) as info, cache.memo() as memo:
        load_catalogue(site, DAY, memo)
    assert [(p.file, p.line, p.field, p.message) for p in info.value.problems if p.level == "error"] == cold


def test_later_load_steps_do_not_change_what_is_remembered(site):
    """Links between documents and default terms are made on each build's own copies: three warm loads in one
    process (as mkdocs serve does) give the cold model every time."""
    cold = picture(load_catalogue(site, DAY))
    cache = BuildCache(site / ".cache" / "gongkai")
    with cache.memo() as memo:
        for _ in range(3):
            assert picture(load_catalogue(site, DAY, memo)) == cold


# --- documents with warnings: remembered with them, the same report as a cold load ----------------------------

VIDEO = "content/documents/2026/szmz-2026-4-jd-sp.md"  # 视频解读 of szmz-2026-4, with captions
CAPTIONS = '<track kind="captions" src="../files/jd/szmz-2026-4-jd-sp.vtt" srclang="zh" label="中文字幕" default>\n'
TEXT_JD = "content/documents/2026/szmz-2026-4-jd.md"  # 文字解读 of the same policy, no warning


def report(cat) -> list[tuple]:
    """Every warning and todo, each whole (text, file, line, field, level), in the order reported."""
    return [(p.file, p.line, p.field, p.level, p.message) for p in [*cat.warnings, *cat.todos]]


def assert_same_report(root: Path) -> Counting:
    """A warm load gives the cold load's model and exactly its warnings and todos, in the same order."""
    cat, counting = warm_load(root)
    cold = load_catalogue(root, DAY)
    assert picture(cat) == picture(cold)
    assert report(cat) == report(cold)
    return counting


def captions_warnings(cat) -> list[str]:
    return [p.file for p in cat.warnings if p.field == "form" and "字幕" in p.message]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_document_with_a_warning_is_reused_with_it(site):
    """The 视频解读 without captions warns (form); it is remembered with its warning, which a warm load reports
    again exactly - also after editing it, fixing the warning, and giving another document one."""
    edit(site / VIDEO, CAPTIONS, "")
    warm_load(site)  # loaded, remembered with its warning
    counting = assert_same_report(site)
    assert VIDEO in counting.reused and counting.loaded == []
    cat, _ = warm_load(site)
    assert captions_warnings(cat) == [VIDEO]
    # edited, still without captions: loaded again, the warning at its (moved) line
    edit(site / VIDEO, "form: 视频\n", "form: 视频\nsummary: 困境儿童分类保障办法的视频解读\n")
    counting = assert_same_report(site)
    assert counting.loaded == [VIDEO]
    cat, counting = warm_load(site)
    assert VIDEO in counting.reused and captions_warnings(cat) == [VIDEO]
    assert next(p.line for p in cat.warnings if p.file == VIDEO and p.field == "form") == 10
    # the warning fixed: gone from the warm report too
    edit(site / VIDEO, "<source ", CAPTIONS + "<source ")
    counting = assert_same_report(site)
    assert counting.loaded == [VIDEO]
    cat, counting = warm_load(site)
    assert VIDEO in counting.reused and captions_warnings(cat) == []
    # a document without a warning gets one: loaded again, and from then on reused with it
    edit(site / TEXT_JD, "form: 文字解读\n", "form: 视频\n")
    (site / TEXT_JD).write_text((site / TEXT_JD).read_text(encoding="utf-8") + '\n<video controls src="../files/jd/szmz-2026-4-jd-sp.webm"></video>\n',
                                encoding="utf-8")
    counting = assert_same_report(site)
    assert counting.loaded == [TEXT_JD]
    cat, counting = warm_load(site)
    assert TEXT_JD in counting.reused and counting.loaded == [] and captions_warnings(cat) == [TEXT_JD]


def test_a_recorded_rename_is_reused_with_its_warning(site):
    """A reference to a renamed column (gongkai lock --rename) places the document there with a warning naming
    the column's new name and id: reused with it while they stay, loaded again when the column's name changes."""
    from click.testing import CliRunner

    from gongkai.cli import main as cli_main

    dm = "content/documents/2026/szmz-2026-dm-1.md"
    edit(site / "catalog/columns.yml", "      - name: 区划地名\n", "      - name: 区划地名管理\n")
    result = CliRunner().invoke(cli_main, ["lock", "--root", str(site), "--rename", "qhdm=qhdmgl"])
    assert result.exit_code == 0, result.output
    warm_load(site)
    counting = assert_same_report(site)
    assert dm in counting.reused and counting.loaded == []
    cat, _ = warm_load(site)
    assert [p.message for p in cat.warnings if p.file == dm and p.field == "columns"] == [
        "栏目「qhdm」已改名为「区划地名管理」（地址记录 catalog/urls.lock.yml 中有改名记录），本文件已放入该栏目："
        "请把这里的「qhdm」改为「qhdmgl」"]
    # the column renamed again, keeping its address (id): the warning names the new name
    edit(site / "catalog/columns.yml", "      - name: 区划地名管理\n", "      - name: 区划地名管理处\n        id: qhdmgl\n")
    counting = assert_same_report(site)
    assert dm in counting.loaded
    cat, _ = warm_load(site)
    assert any("已改名为「区划地名管理处」" in p.message for p in cat.warnings if p.file == dm)


# --- unchanged documents are not read at all ---------------------------------------------------------------


def test_unchanged_documents_are_not_read(site, monkeypatch):
    """Their stat data vouches for their digest and their entry holds the rest: the warm load opens none of them,
    and their bodies are read only when asked for - the same text a cold load gives."""
    warm_load(site)  # files written within the file system's clock tick of the first load's stamp: trusted now
    seen = opened_documents(monkeypatch)
    cat, counting = warm_load(site)
    assert seen == [] and len(counting.reused) == len(cat.documents) > 20
    assert all("_reader" in d.__dict__ and "_body" not in d.__dict__ for d in cat.documents)
    # link targets come from the entry, not the body
    linked = [d for d in cat.documents if d.link_targets()]
    assert linked and seen == []
    warm = {d.source.file: (d.body, repr(d.front_matter), d.link_targets()) for d in cat.documents}
    assert sorted(seen) == sorted(2 * [d.source.file for d in cat.documents])  # each when asked: body, front matter
    assert not any({"_body", "_front_matter"} & d.__dict__.keys() for d in cat.documents)  # and not kept
    cold = {d.source.file: (d.body, repr(d.front_matter), d.link_targets()) for d in load_catalogue(site, DAY).documents}
    assert warm == cold


def test_a_document_changed_after_loading_stops_the_build(site):
    """A reused document's body is read after loading; bytes other than the ones hashed then (the file saved
    meanwhile) stop the build with the file named, instead of publishing a page that matches neither."""
    from gongkai.errors import GongkaiError
    from gongkai.load.doccache import CHANGED_WHILE_BUILDING

    cat, counting = warm_load(site)
    doc = next(d for d in cat.documents if d.source.file == DOC)
    assert "_body" not in doc.__dict__
    edit(site / DOC, "兜底线", "保底线")
    with pytest.raises(GongkaiError) as info:
        _ = doc.body
    assert [(p.file, p.message) for p in info.value.problems] == [(DOC, CHANGED_WHILE_BUILDING)]
    # raised in a forked worker (document pages), it reaches the main process whole
    import pickle

    again = pickle.loads(pickle.dumps(info.value))
    assert again.problems == info.value.problems and str(again) == str(info.value)
