"""The loader's order of steps (gongkai/load/loader.py): what a load that stops with errors leaves behind."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import copy_example
from gongkai.build.cache import BuildCache
from gongkai.errors import GongkaiError
from gongkai.load import snapshot
from gongkai.load.loader import load_catalogue

DAY = dt.date(2026, 11, 24)
DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
MOBILE = "13800138000"


def test_a_load_with_errors_puts_no_snapshot_in_a_memo_the_next_build_reuses(tmp_path):
    """The snapshot is recorded before publication and the privacy gate (they use its changes) but put into the
    memo only once the load has no error: mkdocs serve hands a failed rebuild's memo to the next rebuild (the memo
    dict is the last good build's, shared), and every step's kept results follow the last load that succeeded —
    so the next load's changes must be relative to that one, not to the failed one."""
    root = copy_example(tmp_path / "site")
    folder = root / ".cache" / "gongkai"
    good = BuildCache(folder)
    with good.memo() as memo:
        first = load_catalogue(root, DAY, memo).changes
    path = root / DOC
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\n联系电话 {MOBILE}。\n", encoding="utf-8")  # personal data: the gate stops the load
    failed = BuildCache(folder, good)  # (as mkdocs serve makes it: the last good build's memo, in memory)
    with pytest.raises(GongkaiError), failed.memo() as memo:
        load_catalogue(root, DAY, memo)
    kept = snapshot.previous(_memo_of(failed))
    assert kept is not None and kept.token == first.token
    path.write_text(text + "\n补充说明。\n", encoding="utf-8")
    again = BuildCache(folder, good)
    with again.memo() as memo:
        changes = load_catalogue(root, DAY, memo).changes
    assert changes.since == first.token and changes.documents == {DOC}


def _memo_of(cache: BuildCache):
    from gongkai.build.cache import _Memo

    return _Memo(cache)
