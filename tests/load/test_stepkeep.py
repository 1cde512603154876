"""The load steps kept between builds (gongkai/load/stepkeep.py): a history of changes, each load through the build
cache compared with a cold load of the same files."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from test_decisions import GOOD as DECISIONS

from conftest import make_site, write_document
from gongkai.build.cache import BuildCache
from gongkai.errors import GongkaiError
from gongkai.load import stepkeep
from gongkai.load.loader import load_catalogue

BUILD = dt.date(2026, 11, 24)
COLUMNS = "columns:\n  - name: 政策文件\n    id: zcwj\n    kind: policies\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
ORG = "11330100002489999F"


def _doc(title: str, published: str = "2026-03-01", extra: str = "", body: str = "正文。") -> str:
    return f"---\ntitle: {title}\npublished: {published}\ncolumns: [zcwj]\n{extra}---\n\n{body}\n"


def _outcome(load) -> tuple:
    """What the steps give: every problem in order and what they set on each document; or what the load stopped
    with."""
    try:
        cat = load()
    except GongkaiError as exc:
        return ("stopped", [p.format() for p in exc.problems])
    return ("loaded", [p.format() for p in cat.warnings], [p.format() for p in cat.todos],
            [(d.source.file, d.id, d.embargoed, d.expires, d.expires_default, d.is_public) for d in cat.documents],
            [d.source.file for d in cat.published_documents],
            [(c.path, [d.source.file for d in cat.documents_in(c)]) for c in cat.columns()],
            [(i, cat.document(i).source.file) for i in cat.document_ids],
            [(d.id, sorted((k, [x.source.file for x in v]) for k, v in d.documents.items())) for d in cat.decisions.all],
            [(a.file, a.line, [h.file for h in a.hits]) for a in cat.privacy.allowances])


def _history(tmp_path) -> list[tuple[str, list[str]]]:
    """Walk a history; after each change a warm load equals a cold one. Returns the steps taken over at each."""
    root = make_site(tmp_path, COLUMNS, {
        "2025/a.md": _doc("甲办法", extra=f"normative: true\ndoc_number: 示民规〔2025〕1号\nindex_no: {ORG}/2025-00001\n"),
        "2025/b.md": _doc("乙通知", extra=f"doc_number: 示民规〔2025〕1号\npublisher: 别的局\nindex_no: {ORG}/2025-00002\n"),
        "2026/c.md": _doc("丙办法", "2026-12-20", "scheduled: true\nnormative: true\ndoc_number: 示民规〔2026〕3号\n"),
        "2026/d.md": _doc("丁暂行办法", extra=f"normative: true\ndoc_number: 示民规〔2026〕4号\nindex_no: {ORG}/2026-00001\n"),
        "2026/e.md": _doc("戊通知", extra="replaced_by: a\nstatus: 废止\n"),
        "2026/文件/某通知.md": _doc("己通知"),
        "2026/g.md": _doc("征求意见公告", extra=DECIDING),
        "2026/h.md": _doc("惩戒公示", extra=ALLOWING, body="号码尚未写入（一条过期的许可）。"),
        "2026/i.md": _doc("附件通知", extra="attachments:\n  - {title: 名单, file: ../../files/md.txt}\n")})
    (root / "catalog/decisions.yml").write_text(DECISIONS, encoding="utf-8")  # (a decision "jia")
    (root / "content/files").mkdir()
    (root / "content/files/md.txt").write_text("名单\n", encoding="utf-8")
    taken: list[tuple[str, list[str]]] = []
    real = stepkeep.early

    def spy(*args, **kwargs):
        early = real(*args, **kwargs)
        seen.append(early)
        return early
    seen: list[stepkeep.Early] = []

    def warm():
        stepkeep.early = spy  # type: ignore[assignment]
        try:
            with BuildCache(root / ".cache" / "gongkai").memo() as memo:
                cat = load_catalogue(root, BUILD, memo)
            # and no document that can read them again holds its body or front matter after the load (only the
            # fresh ones are looked at; one read without the cache has no reader and keeps them, as before)
            assert [d.source.file for d in cat.documents
                    if "_reader" in d.__dict__ and {"_body", "_front_matter"} & d.__dict__.keys()] == []
            return cat
        finally:
            stepkeep.early = real  # type: ignore[assignment]

    def check(name: str) -> None:
        time.sleep(0.02)  # (files written are older than the next stamp: their stat data can vouch for them)
        seen.clear()
        got = _outcome(warm)
        assert got == _outcome(lambda: load_catalogue(root, BUILD)), name
        assert (got[0] == "stopped") == name.endswith("stopped"), got
        taken.append((name, list(seen[-1].taken) if seen else []))

    for name in ("first", "again"):
        check(name)
    write_document(root, "2025/a.md", _doc("甲办法", extra=f"normative: true\ndoc_number: 示民规〔2025〕1号\n"
                                          f"index_no: {ORG}/2025-00001\n", body="正文，改过。"))
    check("a body edited")
    write_document(root, "2026/c.md", _doc("丙办法", "2026-12-20", "scheduled: true\nnormative: true\ndoc_number: 示民规〔2026〕3号\n", "新正文。"))
    check("the scheduled document's body edited")
    write_document(root, "2026/g.md", _doc("征求意见公告", body="不再属于决策。"))
    check("a document no longer joins a decision")
    write_document(root, "2026/g.md", _doc("征求意见公告", extra=DECIDING, body="又属于决策。"))
    check("and joins it again")
    write_document(root, "2026/h.md", _doc("惩戒公示", extra=ALLOWING, body="当事人手机 13812345678，写上了。"))
    check("the allowing document's body edited: the number written")
    write_document(root, "2026/d.md", _doc("丁暂行办法", extra=f"normative: true\ndoc_number: 示民规〔2026〕4号\nindex_no: {ORG}/2026-00001\n", body="改。"))
    check("another document's body edited")
    write_document(root, "2026/h.md", _doc("惩戒公示", extra=ALLOWING, body="号码删去了。"))
    check("the allowed number taken out: a stale allowance")
    write_document(root, "2026/h.md", _doc("惩戒公示", extra=ALLOWING, body="当事人手机 13812345678，又写上。"))
    check("and written again")
    write_document(root, "2026/d.md", _doc("丁暂行办法", extra=f"normative: true\ndoc_number: 示民规〔2026〕4号\nindex_no: {ORG}/2026-00001\n", body="又改。"))
    check("another document's body edited again")
    write_document(root, "2026/i.md", _doc("附件通知", body="附件去掉了。"))
    check("an attachment taken off")
    write_document(root, "2026/i.md", _doc("附件通知", body="联系人手机 13912345678。"))
    check("a mobile number in a body: stopped")
    write_document(root, "2026/i.md", _doc("附件通知", body="联系电话 12345。"))
    check("mended again")
    write_document(root, "2026/d.md", _doc("丁办法", extra=f"normative: true\ndoc_number: 示民规〔2026〕4号\nindex_no: {ORG}/2026-00001\n"))
    check("a title: no longer 暂行, a longer default term")
    write_document(root, "2025/b.md", _doc("乙通知", extra=f"doc_number: 示民规〔2025〕2号\npublisher: 别的局\n"
                                          f"index_no: {ORG}/2025-00002\n"))
    check("a 文号 no longer shared")
    write_document(root, "2026/c.md", _doc("丙办法", "2026-11-20", "scheduled: true\nnormative: true\ndoc_number: 示民规〔2026〕3号\n", "新正文。"))
    check("the scheduled day brought forward: published")
    write_document(root, "2026/c.md", _doc("丙办法", "2026-11-20", "normative: true\ndoc_number: 示民规〔2026〕3号\nexpires: 2030-01-01\n", "又改。"))
    check("a term written")
    write_document(root, "2025/b.md", _doc("乙通知", extra=f"doc_number: 示民规〔2025〕2号\npublisher: 别的局\n"
                                          f"index_no: {ORG}/2025-00001\n"))
    check("an index number used twice: stopped")
    write_document(root, "2025/b.md", _doc("乙通知", extra=f"doc_number: 示民规〔2025〕2号\npublisher: 别的局\n"
                                          f"index_no: {ORG}/2025-00002\n", body="改回。"))
    check("mended")
    write_document(root, "2026/f.md", _doc("庚办法", extra="normative: true\ndoc_number: 示民规〔2026〕6号\n"))
    check("a document added")
    (root / "content/documents/2026/f.md").unlink()
    check("and removed")
    write_document(root, "2026/文件/某通知.md", _doc("己通知", body="中文文件名的文件改了正文。"))
    check("an automatic id's document edited")
    (root / "catalog/site.yml").write_text(f"name: 测试市民政局\norg_code: {ORG}\nsite_url: https://test.example.gov.cn/\n"
                                          "validity:\n  default_term_years: 3\n", encoding="utf-8")
    check("the default term changed in site.yml")
    (root / "catalog/withdrawals.yml").write_text("withdrawals:\n  - id: e\n    date: 2026-11-20\n    reason: 已废止\n",
                                                 encoding="utf-8")
    check("a document withdrawn")
    write_document(root, "2026/e.md", _doc("戊通知", extra="replaced_by: a\nstatus: 废止\n", body="撤回的文件改了正文。"))
    check("the withdrawn document's body edited")
    write_document(root, "2026/e.md", _doc("戊通知", extra=f"replaced_by: a\nstatus: 废止\nindex_no: {ORG}/2026-00009\n",
                                          body="撤回的文件改了正文。"))
    check("the withdrawn document given an index number: one fewer without")
    write_document(root, "2025/a.md", _doc("甲办法", extra=f"normative: true\ndoc_number: 示民规〔2025〕1号\n"
                                          f"index_no: {ORG}/2025-00001\n", body="正文，又改过。"))
    check("a body edited with a withdrawn document")
    os.utime(root / "content/documents/2026/d.md")
    check("a document touched")
    check("nothing changed at the end")
    # a later day: the scheduled document's day may have come, every term is counted again
    return taken


ALL = ["consistency", "index", "decisions", "terms", "index numbers", "document ids", "reports", "allowing",
       "attaching", "hits"]
DECIDING = "decision: jia\nstage: 征求意见\n"
ALLOWING = "privacy_ok:\n  - {match: '13812345678', reason: 惩戒性公示}\n"
def test_kept_steps_follow_the_changes_and_equal_a_cold_load(tmp_path):
    """After every step of the history the warm load's problems, documents' later state and lookups by column and
    id are a cold load's, and the steps are taken over exactly when only bodies changed (and nothing else)."""
    taken = dict(_history(tmp_path))
    assert {name for name, steps in taken.items() if steps} == {
        "again", "a body edited", "the scheduled document's body edited",
        "the allowing document's body edited: the number written", "another document's body edited",
        "the allowed number taken out: a stale allowance", "and written again", "another document's body edited again",
        "mended", "a mobile number in a body: stopped", "mended again",
        "an automatic id's document edited", "the withdrawn document's body edited",
        "a body edited with a withdrawn document", "a document touched", "nothing changed at the end"}
    assert [(name, steps) for name, steps in taken.items() if steps not in ([], ALL)] == []


@pytest.mark.parametrize("blind", ["fields", "inputs", "count", "unrecorded", "effects", "index", "selections",
                                   "hits", "changed", "data"])
def test_kept_steps_blind_to_a_change_fail_the_history(tmp_path, monkeypatch, blind):
    """The history can fail: steps taken over whatever the fresh documents' fields, the other input files, the
    number of documents or the documents without a record say, or without setting again what they set on documents,
    and lookups by column and id or the selections of documents taken over whatever changed, or the privacy gate
    looking at the changed documents only or at the last load's with a hit only, or what the last load kept put
    again as it was, differ from a cold load's."""
    if blind == "fields":
        monkeypatch.setattr(stepkeep, "_same_fields", lambda doc, record, was: True)
    elif blind == "inputs":
        monkeypatch.setattr(stepkeep, "inputs_unchanged", lambda *args: True)
    elif blind == "count":
        real = stepkeep.Early.__init__

        def init(self, memo, documents, changes, bodies_only, unrecorded, fresh=None):
            real(self, memo, documents, changes, bodies_only, unrecorded, fresh)
            if memo is not None and bodies_only and not self.kept:
                was = memo.get(stepkeep.KEY)
                if isinstance(was, tuple) and changes.follows(was[1]):
                    import marshal
                    self.kept = marshal.loads(was[3])[1]
        monkeypatch.setattr(stepkeep.Early, "__init__", init)
    elif blind in ("index", "selections"):  # the lookups, or the selections, taken over whenever the last load's are there
        real_index = stepkeep.Early.__init__

        def index_init(self, memo, documents, changes, bodies_only, unrecorded, fresh=None):
            real_index(self, memo, documents, changes, bodies_only, unrecorded, fresh)
            was = None if memo is None else memo.get(stepkeep.KEY)
            if isinstance(was, tuple):
                import marshal
                if blind == "index":
                    self.kept_index = marshal.loads(was[3])[2]
                else:
                    self.kept_selections = marshal.loads(was[3])[3]
        monkeypatch.setattr(stepkeep.Early, "__init__", index_init)
    elif blind in ("hits", "changed"):  # the gate's candidates without the last load's hits, or the changed ones
        real_candidates = stepkeep.Early.candidates

        def candidates(self, changed):
            if blind == "hits":
                self.kept_selections = {**self.kept_selections, "hits": []} if "hits" in self.kept_selections else {}
                return real_candidates(self, changed)
            return real_candidates(self, frozenset())
        monkeypatch.setattr(stepkeep.Early, "candidates", candidates)
    elif blind == "data":  # the last load's results put again as they were, whatever this load's are
        real_save = stepkeep.Early.save

        def save(self, memo, token, cat):
            if self.kept_data:
                self.now, self.selections, self.index = self.kept, self.kept_selections, self.kept_index
            real_save(self, memo, token, cat)
        monkeypatch.setattr(stepkeep.Early, "save", save)
    elif blind == "unrecorded":
        monkeypatch.setattr(stepkeep, "_unrecorded", lambda doc: "")
    else:  # what the steps set on documents not set again on a later load's
        from gongkai.load import loader

        monkeypatch.setattr(loader, "_embargo", lambda doc, value: None)
        monkeypatch.setattr(loader, "_expire", lambda doc, value: None)
    with pytest.raises(AssertionError):
        _history(tmp_path)
