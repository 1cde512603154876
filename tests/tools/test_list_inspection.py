"""`gongkai inspect` on published lists: one past its 公示期 still in the content, one that needs a 公示期 and has none."""

from __future__ import annotations

import datetime as dt

from conftest import REPO, copy_example
from gongkai.load.loader import load_catalogue
from gongkai.tools.inspection import inspect


def _findings(root, day: str, kind: str):
    today = dt.date.fromisoformat(day)
    return [f for f in inspect(load_catalogue(root, today), today).findings if f.kind == kind]


def test_a_list_past_its_period_is_reported_with_its_source():
    assert _findings(REPO, "2026-11-27", "list_ended") == []
    (f,) = _findings(REPO, "2026-11-28", "list_ended")
    assert f.subject == "示例市2026年11月城乡最低生活保障新增对象公示名单" and f.office == "社会救助处"
    assert "content/lists/dibao-2026-11.xlsx" in f.message and f.source.startswith("catalog/lists.yml:")


def test_a_list_of_a_kind_that_needs_a_period_without_one(tmp_path):
    root = copy_example(tmp_path)
    path = root / "catalog" / "lists.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    period_start: 2026-11-20\n    period_end: 2026-11-27\n", ""), encoding="utf-8")
    (f,) = _findings(root, "2026-11-24", "list_no_period")
    assert "公示期" in f.message and f.href.endswith("dibao-2026-11/index.html")
    # the 名录 and the 行政许可 table need none
    assert len(_findings(REPO, "2026-11-24", "list_no_period")) == 0


def test_a_lists_column_is_judged_by_its_published_lists():
    today = dt.date(2026, 11, 28)
    statuses = {s.path: s for s in inspect(load_catalogue(REPO, today), today).columns}
    assert statuses["zdlyxxgk/shjzhshfl/jzdxgs"].empty  # its only list has ended
    assert not statuses["zdlyxxgk/ylfw/yljgcx"].empty and statuses["zdlyxxgk/ylfw/yljgcx"].last_update == dt.date(2026, 10, 9)
