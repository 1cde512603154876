"""KeptParts (gongkai/build/keptparts.py): a result kept in the memo in parts, each trusted only through a header
written by the load the changes are relative to, naming that part's token."""

from __future__ import annotations

from gongkai.build.keptparts import KeptParts
from gongkai.memo import MISSING
from gongkai.model import Changes

KEY = ("test-parts",)


class Memo:
    """A memo in a dict that drops what a build did not use (as BuildCache's does when it saves)."""

    def __init__(self):
        self.items: dict = {}
        self.used: set = set()

    def get(self, key):
        self.used.add(key)
        return self.items.get(key, MISSING)

    def put(self, key, value):
        self.used.add(key)
        self.items[key] = value

    def save(self):
        self.items = {k: v for k, v in self.items.items() if k in self.used}
        self.used = set()


def load(n: int) -> Changes:
    """The changes of the n-th load (relative to the (n-1)-th)."""
    return Changes(known=n > 1, token=f"t{n}", since=f"t{n - 1}" if n > 1 else "")


def test_parts_are_carried_over_put_again_or_dropped():
    memo = Memo()
    first = KeptParts(memo, KEY, load(1))
    assert not first.trusted and first.get(("a",)) is MISSING
    first.put(("a",), 1)
    first.put(("b",), 2)
    first.save()
    memo.save()
    second = KeptParts(memo, KEY, load(2))
    assert second.trusted and sorted(second.parts()) == [("a",), ("b",)]
    assert second.get(("a",)) == 1  # carried over, not written again
    second.put(("c",), 3)  # b neither got nor put: dropped
    second.save()
    memo.save()
    assert memo.items[(*KEY, ("a",))] == ("t1", 1) and (*KEY, ("b",)) not in memo.items
    third = KeptParts(memo, KEY, load(3))
    assert (third.get(("a",)), third.get(("b",)), third.get(("c",))) == (1, MISSING, 3)


def test_nothing_is_used_from_another_load_or_a_mixed_save():
    memo = Memo()
    first = KeptParts(memo, KEY, load(1))
    first.put(("a",), 1)
    first.save()
    memo.save()
    # a load that is not the one these changes are relative to (a build whose memo was not saved came between)
    assert KeptParts(memo, KEY, Changes(known=True, token="t3", since="t2")).get(("a",)) is MISSING
    assert KeptParts(memo, KEY, Changes(token="t2")).get(("a",)) is MISSING  # nothing known
    # a save cut short: the part of a later build beside the header of an earlier one
    memo.items[(*KEY, ("a",))] = ("t9", 99)
    assert KeptParts(memo, KEY, load(2)).get(("a",)) is MISSING
