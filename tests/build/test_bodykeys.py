"""The listings' body keys across a history of builds (gongkai/build/bodykeys.py): a documents or 政策文件 column's key
is taken over from the last finished build when the change cannot reach its rows, else made from its inputs. After
every step — a body edited, a 解读's form changed (a row of another document), a document leaving one of its
columns, a new document, a build killed after its load was saved, a column renamed, another build date, a document
removed — the warm build writes exactly the bytes a cold build of the same inputs writes elsewhere, while most keys
are really taken over. And the history catches each blind shortcut: a rule that looks only at changed documents (not
at the ones a change affects), one that does not count the rows, or one that trusts keys whatever load they were
made from publishes a stale listing and fails it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site
from gongkai.build import bodykeys, pages
from gongkai.build.cache import BuildCache

JD = "content/documents/2026/szmz-2026-2-jd.md"  # the 图解 of szmz-2026-2 (bmwj, ylzc, zcwj): its form is on their rows
OTHER = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）: bmwj, lsjz, zcwj
GONE = "content/documents/2026/szmz-2026-4-jd.md"  # the 文字解读 of szmz-2026-4, removed at the end
NEW = "content/documents/2026/szmz-2026-lsjz-9.md"
NEW_TEXT = """---
title: 示例市临时救助资金发放情况（第九批）
index_no: 11330100002489999F/2026-00990
publisher: 示例市民政局
written: 2026-11-01
published: 2026-11-02
topic: 民政、扶贫、救灾\\社会福利
columns: [lsjz]
---

本批次临时救助资金已发放到位。
"""


def build(root: Path, build_date: str = BUILD_DATE) -> int:
    """Build in this process; how many listing keys were taken over."""
    config = build_in_process(root, build_date, {"GONGKAI_SEARCH": "0"})
    keys = config.plugins["gongkai"].listing_keys
    assert keys is not None
    return keys.taken


def _killed_after_the_load(root: Path, monkeypatch) -> None:
    """A title edited, then a build that saved its load (the snapshot: the next load's changes are relative to it)
    and was killed before it finished (its keys never kept)."""
    edit(root / OTHER, "title: 示例市临时救助实施办法（试行）", "title: 示例市临时救助实施办法（试行，修订稿）")

    def die(cache):
        raise OSError("killed")

    with monkeypatch.context() as m:
        m.setattr(BuildCache, "finish", die)
        with pytest.raises(OSError, match="killed"):
            build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})


# (step, change of the inputs, build date, whether keys may be taken over)
Step = tuple[str, Callable[[Path], None], str, bool]
BODY: Step = ("body edited", lambda r: edit(r / OTHER, "为发挥临时救助", "为充分发挥临时救助"), BUILD_DATE, True)
# a 解读's form is on each row of the document it interprets: its columns' keys change, though it did not
JD_FORM: Step = ("解读's form changed", lambda r: edit(r / JD, "form: 图解", "form: 问答"), BUILD_DATE, True)
# lsjz lists one row less and none of its rows is touched: only the count tells
LEAVES: Step = ("document leaves a column", lambda r: edit(r / OTHER, "columns: [bmwj, lsjz, zcwj]",
                                                            "columns: [bmwj, zcwj]"), BUILD_DATE, True)
ADDED: Step = ("document added", lambda r: (r / NEW).write_text(NEW_TEXT, encoding="utf-8"), BUILD_DATE, True)
KILLED: Step = ("build killed after its load", lambda r: None, BUILD_DATE, False)
RENAMED: Step = ("column renamed", lambda r: edit(r / "catalog" / "columns.yml", "name: 规范性文件备案信息",
                                                  "name: 规范性文件备案审查信息"), BUILD_DATE, False)
REDATED: Step = ("build date", lambda r: None, "2028-05-01", False)
REMOVED: Step = ("document removed", lambda r: (r / GONE).unlink(), "2028-05-01", True)
ALL = [BODY, JD_FORM, LEAVES, ADDED, KILLED, RENAMED, REDATED, REMOVED]


def history(tmp_path: Path, monkeypatch, steps: list[Step]) -> list[int]:
    """Build the example cold, then after each step warm, compared with a cold build of the same inputs; the number
    of keys each warm build took over."""
    root = copy_example(tmp_path / "warm")
    assert build(root) == 0
    taken = []
    for n, (name, change, build_date, reuse) in enumerate(steps):
        change(root)
        if name == KILLED[0]:
            _killed_after_the_load(root, monkeypatch)
        taken.append(build(root, build_date))
        cold = cold_copy(root, tmp_path / f"cold-{n}")
        build(cold, build_date)
        same_site(root, cold)
        assert (taken[-1] > 5) == reuse, (name, taken[-1])
    return taken


def test_warm_listings_equal_cold_ones_along_a_history(tmp_path, monkeypatch):
    history(tmp_path, monkeypatch, ALL)


def test_a_rule_blind_to_affected_documents_fails(tmp_path, monkeypatch):
    """Columns touched only by the documents that changed themselves: the rows of the policy whose 解读 changed form
    keep the old badge."""
    def changed_only(plan):
        changes = plan.cat.changes
        return frozenset(c.path for d in plan.cat.published_documents if changes.changed(d) for c in d.columns)

    monkeypatch.setattr(pages.SitePlan, "touched_columns", changed_only)
    with pytest.raises(AssertionError, match="index.html"):
        history(tmp_path, monkeypatch, [JD_FORM])


def test_a_rule_that_does_not_count_rows_fails(tmp_path, monkeypatch):
    """Without the count, the column a document left keeps listing it."""
    real = pages.SitePlan.listing_size
    monkeypatch.setattr(pages.SitePlan, "listing_size", lambda plan, page: None if real(plan, page) is None else 0)
    with pytest.raises(AssertionError, match="index.html"):
        history(tmp_path, monkeypatch, [LEAVES])


def test_a_rule_blind_to_the_token_fails(tmp_path, monkeypatch):
    """Trusting the kept keys whatever load they were made from: after the killed build, the retitled document is
    no change any more (its load was saved), and its columns keep the keys of the old title."""
    monkeypatch.setattr(bodykeys, "trusted", lambda kept, changes, salt: kept is not None and changes.only_documents)
    with pytest.raises(AssertionError, match="index.html"):
        history(tmp_path, monkeypatch, [BODY, KILLED])
