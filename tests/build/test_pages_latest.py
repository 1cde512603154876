"""The home page's 最新公开 (SitePlan.plans): the newest `portal.latest` published documents by SORT_KEY, newest first
— what sorting them all would give, whatever order the documents were loaded in."""

from __future__ import annotations

import datetime as dt
import random

from conftest import BUILD_DATE, REPO
from gongkai.build.pages import HOME_URI, SitePlan
from gongkai.load.loader import load_catalogue
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
