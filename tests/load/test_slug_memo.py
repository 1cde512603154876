"""Column addresses made from names (pinyin initials) are remembered in the build memo: a rebuild gets the same
addresses without loading pypinyin's dictionaries (tests/mkdocs/test_startup_imports.py checks it is not loaded)."""

from __future__ import annotations

import datetime as dt

from conftest import REPO
from gongkai.load import slugs
from gongkai.load.loader import load_catalogue
from gongkai.memo import MISSING


class DictMemo:
    def __init__(self) -> None:
        self.items: dict = {}

    def get(self, key):
        return self.items.get(key, MISSING)

    def put(self, key, value) -> None:
        self.items[key] = value


def paths(cat) -> list[str]:
    return [c.path for c in cat.columns()]


def test_column_addresses_from_the_memo_are_the_computed_ones():
    day = dt.date(2026, 11, 24)
    plain = paths(load_catalogue(REPO, day))
    memo = DictMemo()
    assert paths(load_catalogue(REPO, day, memo)) == plain
    names = {key[2]: slug for key, slug in memo.items.items() if key[0] == "initials"}
    assert names["法定主动公开内容"] == "fdzdgknr" and len(names) > 20
    assert paths(load_catalogue(REPO, day, memo)) == plain  # the second load: every address from the memo
    # the memo is what the second load used: an entry changed there changes the address
    key = next(k for k in memo.items if k[0] == "initials" and k[2] == "法定主动公开内容")
    memo.items[key] = "remembered"
    assert any(p.startswith("remembered") for p in paths(load_catalogue(REPO, day, memo)))
    assert slugs.initials("法定主动公开内容", DictMemo()) == slugs.initials("法定主动公开内容") == "fdzdgknr"
