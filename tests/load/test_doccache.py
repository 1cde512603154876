"""Documents remembered by the build cache (gongkai/load/doccache.py): a warm load gives exactly the model a cold
load gives, after editing a document (also in place keeping its size and modification time: its stat data is
trusted only as git's index trusts it, gongkai/statcheck.py), renaming a column, changing site.yml or removing an
attachment, and it does reuse the documents nothing changed."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_example, load_errors
from gongkai.build.cache import BuildCache
from gongkai.load.loader import load_catalogue
from gongkai.memo import MISSING

DAY = dt.date(2026, 11, 24)
DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
ATTACHMENT = "content/files/lsjz-shenqing.txt"


class CountingMemo:
    """The build cache's memo, counting the documents it gave back and the ones it was given."""

    def __init__(self, memo: Any):
        self.memo = memo
        self.clock = memo.clock  # the build's stat stamp: stat data is trusted as in a real build
        self.reused: list[str] = []
        self.loaded: list[str] = []
        self.stat_checked: list[str] = []  # files whose recorded stat was looked up
        self.hashed: list[str] = []  # … and those of them hashed (then recorded afresh)

    def get(self, key: Hashable) -> Any:
        value = self.memo.get(key)
        if value is not MISSING and isinstance(key, tuple) and key[0] == "document":
            self.reused.append(key[1])
        if isinstance(key, tuple) and key[0] == "source.stat":
            self.stat_checked.append(key[1])
        return value

    def put(self, key: Hashable, value: Any) -> None:
        if isinstance(key, tuple) and key[0] == "document":
            self.loaded.append(key[1])
        if isinstance(key, tuple) and key[0] == "source.stat":
            self.hashed.append(key[1])
        self.memo.put(key, value)


def picture(cat) -> list[tuple]:
    """Everything of the loaded documents that pages are made from, as plain values."""
    return [(repr(d), d.body, d.body_line, [(c.path, c.name) for c in d.columns], [x.id for x in d.interpretations],
             [x.id for x in d.replaces], repr(d.front_matter), d.field_lines, d.embargoed, repr(d.withdrawn))
            for d in cat.documents]


def warm_load(root: Path, trust_stat: bool = True) -> tuple[Any, CountingMemo]:
    """A load through the site's build cache, saved as a build saves it (.cache/gongkai/memo/)."""
    cache = BuildCache(root / ".cache" / "gongkai", trust_stat=trust_stat)
    with cache.memo() as memo:
        counting = CountingMemo(memo)
        cat = load_catalogue(root, DAY, counting)
    return cat, counting


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
    warm_load(root)
    return root


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
    GONGKAI_TRUST_STAT=0 every one is hashed."""
    _, counting = warm_load(site)
    assert len(counting.stat_checked) > 20
    assert len(set(counting.stat_checked) - set(counting.hashed)) > 20
    _, off = warm_load(site, trust_stat=False)
    assert off.stat_checked == [] and off.clock is None and len(off.reused) > 20


def test_an_edit_keeping_size_and_time_is_loaded_again(site):
    warm_load(site)  # every document's stat recorded as vouched for
    change_in_place(site / DOC, "兜底线", "保底线")
    counting = assert_same_as_cold(site)
    assert DOC in counting.hashed and counting.loaded == [DOC]
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
