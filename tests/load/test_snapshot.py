"""The document snapshot (gongkai/load/snapshot.py): a warm load gives exactly the model a cold load gives after
every kind of change, and it says exactly which documents changed (model.Changes) — no more, no fewer."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from test_doccache import ATTACHMENT, DAY, DOC, change_in_place, picture, report, warm_load

from conftest import copy_example, edit
from gongkai.build.cache import BuildCache, memo_file_of
from gongkai.load import snapshot
from gongkai.load.doccache import _KEPT, decode
from gongkai.load.loader import load_catalogue

POLICY = "content/documents/2026/szmz-2026-4.md"  # 《示例市困境儿童分类保障办法》, interpreted by …
JD = "content/documents/2026/szmz-2026-4-jd.md"  # … its 文字解读


@pytest.fixture
def site(tmp_path) -> Path:
    root = copy_example(tmp_path / "site")
    (root / ATTACHMENT).write_text("临时救助申请表\n", encoding="utf-8")
    edit(root / DOC, "expires: 2024-04-30\n",
         "expires: 2024-04-30\nattachments:\n  - {title: 临时救助申请表, file: ../../files/lsjz-shenqing.txt}\n")
    warm_load(root)
    warm_load(root)  # every file now older than the stamp of a load that recorded it: trusted by its stat
    return root


def warm_equals_cold(root: Path, day: dt.date = DAY):
    """A warm load through the build cache; the same model and report as a cold load. Its Changes."""
    cat, _ = warm_load(root, day=day)
    cold = load_catalogue(root, day)
    assert picture(cat) == picture(cold)
    assert report(cat) == report(cold)
    return cat.changes


def test_nothing_changed(site):
    before, _ = warm_load(site)
    changes = warm_equals_cold(site)
    assert changes.known and changes.since == before.changes.token and changes.token != changes.since
    assert (changes.documents, changes.removed, changes.removed_ids, changes.inputs) == (frozenset(),) * 4
    assert not changes.build_date and changes.only_documents and changes.parsed == () and changes.hashed == ()
    assert changes.reused > 20


def test_an_edited_document(site):
    edit(site / DOC, "兜底线", "保底线")
    changes = warm_equals_cold(site)
    assert changes.documents == {DOC} and changes.parsed == (DOC,) and not changes.inputs


def test_an_edit_keeping_size_and_time(site):
    """Only the file's change time tells: still a change (statcheck's rule)."""
    change_in_place(site / DOC, "兜底线", "保底线")
    assert warm_equals_cold(site).documents == {DOC}


def test_a_file_saved_again_unchanged_is_no_change(site):
    """Its stat data differs, so it is read and hashed: the same bytes, the same record, not a change."""
    path = site / DOC
    path.write_bytes(path.read_bytes())
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    changes = warm_equals_cold(site)
    assert changes.hashed == (DOC,) and changes.parsed == () and changes.documents == frozenset()


def test_an_added_interpretation_changes_the_policy_it_interprets(site):
    """A new 解读 of szmz-2026-4: the new document, and the policy (its interpretations) changed; nothing else."""
    new = site / "content/documents/2026/szmz-2026-4-jd2.md"
    new.write_text((site / JD).read_text(encoding="utf-8").replace("《示例市困境儿童分类保障办法》政策解读", "办法问答", 1)
                   .replace("index_no: 11330100002489999F/2026-00033\n", "").replace("form: 文字解读", "form: 问答"),
                   encoding="utf-8")
    changes = warm_equals_cold(site)
    assert changes.documents == {"content/documents/2026/szmz-2026-4-jd2.md", POLICY}
    assert changes.parsed == ("content/documents/2026/szmz-2026-4-jd2.md",)
    assert not changes.removed and not changes.inputs and changes.ids == {"szmz-2026-4-jd2", "szmz-2026-4"}
    cat, _ = warm_load(site, day=DAY)  # (a load with nothing changed since)
    assert cat.changes.documents == frozenset()
    edit(site / POLICY, "title: ", "title: 修订：")
    cat, _ = warm_load(site)
    jd = next(d for d in cat.documents if d.source.file == JD)
    assert cat.changes.documents == {POLICY} and cat.changes.affected(jd) and not cat.changes.changed(jd)
    cat, _ = warm_load(site)
    policy = next(d for d in cat.documents if d.source.file == POLICY)
    jd = next(d for d in cat.documents if d.source.file == JD)
    assert not cat.changes.changed(policy) and not cat.changes.affected(jd)


def test_a_deleted_document(site):
    (site / JD).unlink()
    changes = warm_equals_cold(site)
    assert changes.removed == {JD} and changes.removed_ids == {"szmz-2026-4-jd"}
    assert changes.documents == {POLICY}  # its interpretations
    cat, _ = warm_load(site)  # and from then on nothing
    assert cat.changes.documents == cat.changes.removed == frozenset()


def test_a_deleted_document_leaves_its_folders_part(site):
    """Nothing else in its folder changes: the folder's part is put again all the same, without it."""
    gone = "content/documents/2025/szmz-2025-3.md"
    (site / gone).unlink()
    changes = warm_equals_cold(site)
    assert changes.removed == {gone} and changes.removed_ids == {"szmz-2025-3"} and changes.documents == frozenset()
    cat, _ = warm_load(site)
    assert cat.changes.documents == cat.changes.removed == cat.changes.removed_ids == frozenset()


def test_a_renamed_file(site):
    """Moved to another folder, the same id (its file name): the old path removed, the new one changed."""
    moved = "content/documents/2021/szmz-2022-2.md"
    shutil.move(site / DOC, site / moved)
    changes = warm_equals_cold(site)
    assert changes.removed == {DOC} and changes.removed_ids == frozenset() and changes.documents == {moved}


def test_a_document_given_another_id_names_its_old_one(site):
    """The file stays, its address changes (an `id:` written): the old id is gone although no file went
    (snapshot.record looks for gone ids among the gone and the changed documents only)."""
    path = site / "content/documents/2019/szmz-2019-4.md"
    edit(path, "title: ", "id: szmz-2019-4-new\ntitle: ")
    changes = warm_equals_cold(site)
    # (and szmz-2024-3, which it is replaced by: its `replaces` names the new id)
    assert changes.removed == frozenset()
    assert changes.documents == {"content/documents/2019/szmz-2019-4.md", "content/documents/2024/szmz-2024-3.md"}
    assert changes.ids == {"szmz-2019-4-new", "szmz-2024-3"} and changes.removed_ids == {"szmz-2019-4"}
    cat, _ = warm_load(site)  # and from then on nothing
    assert cat.changes.removed_ids == frozenset() and cat.changes.documents == frozenset()


def test_a_header_without_its_parts_is_not_used(site):
    """A build killed while it wrote its memo files: the new part of the edited document's folder written, the
    header (in another file) not. The old header's load is not what that part holds, so the snapshot is not used
    at all (nothing known, everything done once) — never a mix whose Changes would miss the edit."""
    memo = site / ".cache/gongkai/memo"
    header = memo / f"{memo_file_of(snapshot.KEY):02x}.pickle"
    assert header != memo / f"{memo_file_of((*snapshot.KEY, 'documents/2022')):02x}.pickle"
    older = header.read_bytes()
    edit(site / DOC, "兜底线", "保底线")
    warm_load(site)
    header.write_bytes(older)  # as if this file had not been written
    changes = warm_equals_cold(site)
    assert not changes.known
    assert warm_equals_cold(site).documents == frozenset()  # (and the next load has a whole snapshot again)


def test_an_unchanged_folder_keeps_its_part(site):
    """Editing one document puts the header and its folder's part; the other folders' parts are not put again."""
    edit(site / DOC, "兜底线", "保底线")
    cache = BuildCache(site / ".cache" / "gongkai")
    with cache.memo() as memo:
        recording = _Recording(memo)
        cat = load_catalogue(site, DAY, recording)
    assert cat.changes.documents == {DOC}
    assert {k for k in recording.keys if k[0] == snapshot.KEY[0]} == {snapshot.KEY, (*snapshot.KEY, "documents/2022")}
    assert warm_equals_cold(site).documents == frozenset()


class _Recording:
    """A memo that notes the keys put into it."""

    def __init__(self, memo):
        self.memo, self.clock, self.keys = memo, memo.clock, set()

    def get(self, key):
        return self.memo.get(key)

    def put(self, key, value):
        self.keys.add(key)
        self.memo.put(key, value)


def test_a_column_renamed_in_place_changes_no_document(site):
    """Its name only (same id and path): the documents hold its path, so none of them changed; columns.yml did."""
    cols = site / "catalog" / "columns.yml"
    edit(cols, "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    changes = warm_equals_cold(site)
    assert changes.documents == frozenset() and changes.inputs == {"catalog/columns.yml"}
    assert not changes.only_documents


def test_a_moved_column_changes_its_documents(site):
    """部门文件 moves under 重大行政决策: its path changes, so every document in it changed, and only those."""
    cols = site / "catalog" / "columns.yml"
    block = ("          - name: 部门文件\n            art20: [1]\n            kind: documents\n"
             "            frequency: 及时更新\n            office: 各科室\n")
    text = cols.read_text(encoding="utf-8")
    with_id = block.replace("部门文件\n", "部门文件\n            id: bmwj\n", 1)
    anchor = "          - name: 重大行政决策事项目录\n"
    cols.write_text(text.replace(block, "", 1).replace(anchor, with_id + anchor, 1), encoding="utf-8")
    cold = load_catalogue(site, DAY)
    moving = {d.source.file for d in cold.documents if any(c.name == "部门文件" for c in d.columns)}
    changes = warm_equals_cold(site)
    assert moving and changes.documents == moving and len(moving) < len(cold.documents)


def test_a_changed_attachment_is_another_input(site):
    (site / ATTACHMENT).write_text("临时救助申请表（2025 年修订）\n", encoding="utf-8")
    changes = warm_equals_cold(site)
    assert changes.documents == frozenset() and changes.inputs == {ATTACHMENT}
    (site / ATTACHMENT).unlink()
    edit(site / DOC, "attachments:\n  - {title: 临时救助申请表, file: ../../files/lsjz-shenqing.txt}\n", "")
    changes = warm_equals_cold(site)
    assert changes.documents == {DOC} and changes.inputs == {ATTACHMENT}  # removed


def test_a_new_build_date_releases_a_scheduled_document(site):
    """预定发布 on 2026-11-30: held back on 11-24, published on 12-01 — the build date changed, and that document."""
    edit(site / JD, "published: 2026-11-10\n", "published: 2026-11-30\nscheduled: true\n")
    warm_equals_cold(site)
    later = dt.date(2026, 12, 1)
    changes = warm_equals_cold(site, later)
    assert changes.build_date and changes.documents == {JD} and not changes.only_documents
    assert warm_equals_cold(site, later).documents == frozenset()


def test_a_killed_build(site):
    """A build killed before its memo was saved leaves no trace: the next load still finds the edit it saw. One
    killed after (its load saved, its output never written) is named by `since`, for steps to compare with the
    token they recorded with their own output."""
    first, _ = warm_load(site)
    edit(site / DOC, "兜底线", "保底线")
    cache = BuildCache(site / ".cache" / "gongkai")
    with pytest.raises(KeyboardInterrupt), cache.memo() as memo:
        load_catalogue(site, DAY, memo)
        raise KeyboardInterrupt  # killed during the build: the memo is not saved
    changes = warm_equals_cold(site)
    assert changes.since == first.changes.token and changes.documents == {DOC}
    edit(site / DOC, "保底线", "兜底线")
    killed, _ = warm_load(site)  # saved, then (say) killed before writing anything
    changes = warm_equals_cold(site)
    assert changes.since == killed.changes.token != first.changes.token and changes.documents == frozenset()


def test_no_cache_knows_nothing(site):
    cat = load_catalogue(site, DAY)
    assert not cat.changes.known and all(cat.changes.changed(d) for d in cat.documents)


def test_after_load_holds_every_field_later_steps_set(site):
    """Every field of a document that differs from its record after the whole load is in after_load: with the
    record and the digest, the snapshot holds all of the model (else a change could go unnoticed)."""
    cat, _ = warm_load(site)
    snap = snapshot.previous(_Memo(site))
    assert snap is not None
    covered = {"id", "id_from", "interpretations", "replaces", "withdrawn", "embargoed", "expires", "expires_default",
               "columns"}
    differing = set()
    for doc in cat.documents:
        entry = snap.entry(doc.source.file[len("content/"):])
        assert entry is not None
        fresh = decode(entry[3])[0]
        differing |= {name for name in (*_KEPT, "interpretations", "replaces", "columns")
                      if getattr(fresh, name) != getattr(doc, name)}
    assert differing and differing <= covered, differing - covered
    assert {"interpretations", "expires"} <= differing  # the example exercises links and default terms


class _Memo:
    """The memo a build of the site would read now (read only)."""

    def __init__(self, root: Path):
        self.cache = BuildCache(root / ".cache" / "gongkai")
        self.context = self.cache.memo()
        self.memo = self.context.__enter__()

    def get(self, key):
        return self.memo.get(key)


def test_a_missed_change_fails_these_tests(site, monkeypatch):
    """The checks above can fail: with after_load blind to links, the added 解读's policy goes unnoticed."""
    monkeypatch.setattr(snapshot, "after_load", lambda doc: (doc.id,))
    warm_load(site)
    with pytest.raises(AssertionError):
        test_an_added_interpretation_changes_the_policy_it_interprets(site)


def test_a_withdrawn_document_that_names_its_own_id_is_not_kept(site):
    """A document withdrawn (catalog/withdrawals.yml) whose front matter writes `id:` is read through the build
    cache like any other; the snapshot must still hold nothing of it — `gongkai withdraw` purges the cache, and the
    next build must not write its title back into .cache/gongkai/."""
    rel = "content/documents/2021/szmz-2021-6.md"
    edit(site / rel, "title: 示例市养老机构等级评定管理办法\n", "title: 示例市养老机构等级评定管理办法\nid: custom-x\n")
    warm_load(site)
    (site / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - id: custom-x\n    date: 2026-11-20\n    reason: 含个人信息\n    personal_data: true\n",
        encoding="utf-8")
    changes = warm_equals_cold(site)
    assert rel in changes.documents  # withdrawn: counted as changed
    for _ in range(2):  # and still so on the next load, when nothing changed
        warm_load(site)
        cache = BuildCache(site / ".cache" / "gongkai")
        with cache.memo() as memo:
            kept = snapshot.previous(memo)
            assert kept is not None and kept.entry(rel[len("content/"):]) is None
            assert kept.entry(DOC[len("content/"):]) is not None  # (the others are kept)


def test_a_document_withdrawn_by_its_file_name_is_changed_not_removed(site):
    """Withdrawn under the id its file name gives, a document is read without the build cache (no entry of this
    load's): still a document of the load, so counted as changed and neither removed nor its id gone; and when the
    withdrawal is taken back it is changed again, not new."""
    rel = "content/documents/2021/szmz-2021-6.md"
    withdrawals = site / "catalog/withdrawals.yml"
    withdrawals.write_text("withdrawals:\n  - id: szmz-2021-6\n    date: 2026-11-20\n    reason: 含个人信息\n",
                           encoding="utf-8")
    changes = warm_equals_cold(site)
    assert rel in changes.documents and "szmz-2021-6" in changes.ids
    assert changes.removed == frozenset() and changes.removed_ids == frozenset()
    withdrawals.unlink()
    changes = warm_equals_cold(site)
    assert rel in changes.documents and changes.removed == frozenset() and changes.removed_ids == frozenset()
    assert warm_equals_cold(site).documents == frozenset()


def test_a_deleted_withdrawn_document_is_removed(site):
    """A withdrawn document has no entry in the snapshot (never kept), yet deleting its file names it removed and its
    id gone, as for any document: a step trusting `removed` (publication.KEPT: none removed, as many documents) would
    else take over a result made with it when another document is added in the same rebuild."""
    rel = "content/documents/2021/szmz-2021-6.md"
    (site / "catalog/withdrawals.yml").write_text(
        "withdrawals:\n  - id: szmz-2021-6\n    date: 2026-11-20\n    reason: 含个人信息\n", encoding="utf-8")
    warm_equals_cold(site)
    warm_equals_cold(site)  # (withdrawn in the load the next one's changes are relative to, too)
    (site / rel).unlink()
    changes = warm_equals_cold(site)
    assert changes.removed == {rel} and changes.removed_ids == {"szmz-2021-6"}
    assert warm_equals_cold(site).removed == frozenset()  # (and then no more)


def test_untrusted_stat_counts_every_input_as_changed(site, monkeypatch):
    """GONGKAI_TRUST_STAT=0 (stat data may not show a change): no input file is vouched for by the stat data an
    earlier, trusting load recorded, so a later step never keeps what depends on inputs (only_documents is False).
    Simulated: the walk reports catalog/columns.yml's stat as it was while its bytes change."""
    name = "catalog/columns.yml"
    was = (site / name).stat()
    with open(site / name, "a", encoding="utf-8") as fh:
        fh.write("# 改过\n")
    real = snapshot.input_stats

    def stale(root, tree):
        out = real(root, tree)
        out[name] = was
        return out
    monkeypatch.setattr(snapshot, "input_stats", stale)
    cat, _ = warm_load(site, trust_stat=False)
    assert name in cat.changes.inputs and not cat.changes.only_documents
