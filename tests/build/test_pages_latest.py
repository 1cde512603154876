"""The home page's 最新公开 (SitePlan.plans, latest_documents): the newest `portal.latest` published documents by
SORT_KEY, newest first — what sorting them all would give, whatever order the documents were loaded in, and along a
history of builds that find them from the list the build before kept."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUILD_DATE, REPO, edit
from gongkai.build import pages
from gongkai.build.pages import HOME_URI, SitePlan
from gongkai.load.loader import load_catalogue
from gongkai.memo import MISSING
from gongkai.model import SORT_KEY


def test_latest_is_the_head_of_the_full_sort():
    cat = load_catalogue(REPO, dt.date.fromisoformat(BUILD_DATE))
    for seed in range(4):
        if seed:
            random.Random(seed).shuffle(cat.documents)
            cat.documents = list(cat.documents)  # (a new list: the model's lookups are made again)
        plan = next(p for p in SitePlan(cat, renderer=None).plans() if p.src_uri == HOME_URI)  # type: ignore[arg-type]
        want = sorted(cat.published_documents, key=SORT_KEY, reverse=True)[:cat.site.portal.latest]
        assert [r["doc"].id for r in plan.context["latest"]] == [d.id for d in want]
        assert len(want) > 3


# --- kept between builds (SitePlan.latest_documents): the newest n + LATEST_MARGIN documents' ids, from which a
# rebuild finds the newest without walking every published document

NEWEST = "content/documents/2026/szmz-2026-hydj.md"  # the example's newest document (2026-11-21)
SECOND = "content/documents/2026/szmz-2026-yjxx-7.md"  # the next (2026-11-18)


def _dated_back(root: Path) -> None:
    """The newest document dated back below the 11th (szmz-2026-ssj-2, 2026-09-25): out of 最新公开."""
    edit(root / NEWEST, "written: 2026-11-20\npublished: 2026-11-21", "written: 2026-09-20\npublished: 2026-09-22")


def _new_document(root: Path) -> None:
    text = (root / NEWEST).read_text(encoding="utf-8")
    text = text.replace("index_no: 11330100002489999F/2026-00023", "index_no: 11330100002489999F/2026-00923")
    text = text.replace("written: 2026-09-20\npublished: 2026-09-22", "written: 2026-11-22\npublished: 2026-11-23")
    (root / "content/documents/2026/szmz-2026-hydj-2.md").write_text(text.replace("元旦", "春节"), encoding="utf-8")


# (step, change, whether the kept list is enough: no full sort)
LatestStep = tuple[str, Callable[[Path], None], bool]
DATED: LatestStep = ("newest document dated back", _dated_back, True)  # 10 of the 11 kept are left
REMOVED: LatestStep = ("second newest removed", lambda r: (r / SECOND).unlink(), False)  # 9 left: sorted again
NEW: LatestStep = ("a newer document", _new_document, True)
BODY: LatestStep = ("an older document's body", lambda r: edit(r / "content/documents/2026/szmz-2026-ssj-2.md", "\n\n",
                                                             "\n\n（修订）\n\n"), True)


def latest_history(tmp_path: Path, monkeypatch, steps: list[LatestStep]) -> list[bool]:
    """The example built cold, then after each step warm and compared with a cold build of the same inputs (the
    home page above all); whether each warm build found 最新公开 from the kept list (no full sort). One document
    beyond the ten kept (LATEST_MARGIN 1), so that a change among the newest exhausts it soon."""
    from conftest import build_in_process, cold_copy, copy_example, same_site

    monkeypatch.setattr(pages, "LATEST_MARGIN", 1)
    sorts: list[bool] = []
    real = pages.heapq.nlargest

    def watched(n, iterable, key=None):
        sorts.append(isinstance(iterable, type(reversed([]))))  # (the full sort walks every published document, reversed)
        return real(n, iterable, key=key)

    monkeypatch.setattr(pages.heapq, "nlargest", watched)
    root = copy_example(tmp_path / "warm")
    build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
    out = []
    for n, (name, change, kept) in enumerate(steps):
        change(root)
        sorts.clear()
        build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
        out.append(sorts == [False])
        assert out[-1] == kept, (name, sorts)
        cold = cold_copy(root, tmp_path / f"cold-{n}")
        build_in_process(cold, BUILD_DATE, {"GONGKAI_SEARCH": "0"})
        same_site(root, cold)
    return out


def test_warm_latest_equals_cold_along_a_history(tmp_path, monkeypatch):
    latest_history(tmp_path, monkeypatch, [DATED, REMOVED, NEW, BODY])


def _blind_latest(skip: str):
    """SitePlan.latest_documents without one of its conditions: counting the changed documents among those kept
    (still in the list, though another may now be newer), or not counting at all (fewer than n left)."""
    def latest_documents(plan, n, kept=None):
        changes = plan.cat.changes
        before = kept.get(pages.LATEST) if kept is not None else MISSING
        top = None
        if before is not MISSING:
            same = [d for i in before if (d := plan.cat.document(i)) is not None and d.is_public
                    and (skip == "changed" or d.source.file not in changes.documents)]
            if skip == "count" or len(same) >= n:
                fresh = [d for i in changes.ids if (d := plan.cat.document(i)) is not None and d.is_public]
                top = pages.heapq.nlargest(len(same), {id(d): d for d in (*same, *fresh)}.values(), key=SORT_KEY)
        if top is None:
            top = pages.heapq.nlargest(n + pages.LATEST_MARGIN, reversed(plan.cat.published_documents), key=SORT_KEY)
        if kept is not None and [d.id for d in top] != before:
            kept.put(pages.LATEST, [d.id for d in top])
        return top[:n]

    return latest_documents


@pytest.mark.parametrize("skip", ["changed", "count"])
def test_a_latest_rule_without_one_condition_fails(tmp_path, monkeypatch, skip):
    """Blind to the changed documents, the one dated back stays in the kept list above the true 11th newest, and
    takes the 10th place once the second newest is removed; blind to the count, 最新公开 shows nine documents."""
    monkeypatch.setattr(SitePlan, "latest_documents", _blind_latest(skip))
    with pytest.raises(AssertionError, match="index.html"):
        latest_history(tmp_path, monkeypatch, [DATED, (*REMOVED[:2], True)])
