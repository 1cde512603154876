"""The rule a result kept from a column's rows is taken over by (gongkai/build/pages.py same_rows: the listing
body keys, the paged columns' page keys, a 政策文件 column's shape), and kept_shape, which asks it after
Changes.keeps: each condition alone makes the kept result not taken over."""

from __future__ import annotations

from gongkai.build.keptparts import KeptParts
from gongkai.build.pages import SHAPE, kept_shape, same_rows
from gongkai.build.policies import PolicyColumn
from gongkai.memo import MISSING
from gongkai.model import Changes, Column, ColumnKind

PATH = "zcwj"
OTHER = "tzgg"


def test_a_column_lists_the_same_rows_when_untouched_and_as_many():
    assert same_rows(PATH, 120, 120, frozenset({OTHER}))  # (another column touched)
    assert same_rows(PATH, 120, 120, frozenset())
    assert not same_rows(PATH, 120, 120, frozenset({PATH, OTHER}))  # a document it lists was repictured
    assert not same_rows(PATH, 120, 119, frozenset({OTHER}))  # a document left it
    assert not same_rows(PATH, 120, 121, frozenset())
    assert not same_rows(PATH, 120, 120, None)  # which columns were touched is not known


class Memo:
    """A memo in a dict (as BuildCache's, without its files)."""

    def __init__(self):
        self.items: dict = {}

    def get(self, key):
        return self.items.get(key, MISSING)

    def put(self, key, value):
        self.items[key] = value


KEY = ("test-plan",)
SHAPE_THEN = ("the shape", ("page-2.html",))


def _kept_by(token: str) -> KeptParts:
    """The parts a build of load `token` kept: the shape of PATH as of 120 rows."""
    memo = Memo()
    first = KeptParts(memo, KEY, Changes(known=False, token=token))
    first.put((SHAPE, PATH), (120, SHAPE_THEN))
    first.save()
    return KeptParts(memo, KEY, EDITED)


EDITED = Changes(known=True, token="t2", since="t1", documents=frozenset({"content/documents/2026/a.md"}))


def _column(total: int) -> PolicyColumn:
    return PolicyColumn(Column(name="政策文件", slug=PATH, kind=ColumnKind.POLICIES), list, total, [])


def test_a_policy_columns_shape_is_taken_over_only_when_every_condition_holds():
    untouched = frozenset({OTHER})
    assert kept_shape(_kept_by("t1"), _column(120), EDITED, untouched) == SHAPE_THEN
    assert kept_shape(_kept_by("t0"), _column(120), EDITED, untouched) is None  # kept by another load
    inputs = Changes(known=True, token="t2", since="t1", inputs=frozenset({"catalog/site.yml"}))
    assert kept_shape(_kept_by("t1"), _column(120), inputs, untouched) is None  # site.yml's topics …
    redated = Changes(known=True, token="t2", since="t1", build_date=True)
    assert kept_shape(_kept_by("t1"), _column(120), redated, untouched) is None
    assert kept_shape(_kept_by("t1"), _column(120), EDITED, frozenset({PATH})) is None  # touched
    assert kept_shape(_kept_by("t1"), _column(120), EDITED, None) is None
    assert kept_shape(_kept_by("t1"), _column(119), EDITED, untouched) is None  # a policy left it
