"""The paged columns' page keys across a history of builds (gongkai/build/bodykeys.py PagedKeys, publish.py
write_paged_columns): a column's extra pages take their keys from the last finished build when the change cannot
reach them, else are keyed from their rows. After each step — a notice's body edited, a newer document in a column
*under* the paged one (its pages' PubDate), a policy retitled, a notice leaving its column, a notice and a policy
trading columns (no count changes), a build killed after its load was saved, another build date — the warm build
writes exactly the bytes of a cold build of the same inputs, while the untouched column's keys are really taken over.
And each blind shortcut fails it: a rule that looks only at the column itself (not the columns under it), one that
does not count the rows, one that ignores the touched documents, one that trusts keys whatever load they were made
from, and one blind to the build date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures.policies_large import COLUMNS as POLICY_COLUMNS
from fixtures.policies_large import DAY, ORG
from fixtures.policies_large import documents as policy_documents

from conftest import build_in_process, cold_copy, edit, make_site, same_site
from gongkai.build import bodykeys, paging, policies, publish
from gongkai.build.cache import BuildCache

# small pages, so that a small site has many (a site above the real threshold takes minutes per history)
ONE_PAGE_MAX, PAGE_ROWS = 24, 8
POLICIES = 60  # 政策文件: paged (its main lists and browse listings)
NOTICES = ONE_PAGE_MAX + 20  # 通知公告: page-2.html …
COLUMNS = POLICY_COLUMNS + """\
  - name: 通知公告
    id: tzgg
    kind: documents
    description: 本机关发布的通知、公告。
    children:
      - name: 重要通知
        id: zytz
"""


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "ONE_PAGE_MAX", ONE_PAGE_MAX)
    monkeypatch.setattr(paging, "PAGE_ROWS", PAGE_ROWS)
    monkeypatch.setattr(policies, "PAGE_ROWS", PAGE_ROWS)


def notice(i: int, published: dt.date, column: str = "tzgg", title: str = "") -> str:
    return (f"---\ntitle: {title or f'关于开展第{i}批社区养老服务评估工作的通知'}\nindex_no: {ORG}/{published.year}-{70000 + i}\n"
            f"publisher: 测试市民政局\npublished: {published}\ntopic: 综合政务\ncolumns: [{column}]\n---\n\n正文。\n")


def notices() -> dict[str, str]:
    out = {f"tz/t{i:04d}.md": notice(i, DAY - dt.timedelta(days=2 * i + 1)) for i in range(NOTICES)}
    out["tz/zy0001.md"] = notice(9001, DAY - dt.timedelta(days=900), "zytz", "关于做好年度重要工作的通知")
    return out


def build(root: Path, day: dt.date = DAY) -> dict[str, int]:
    """An in-process build without the search index (build date `day`): write_paged_columns' counts."""
    counts: list[dict[str, int]] = []
    real = publish.write_paged_columns

    def counting(*args, **kwargs):
        counts.append(real(*args, **kwargs))
        return counts[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(publish, "write_paged_columns", counting)
        build_in_process(root, day.isoformat(), {"GONGKAI_SEARCH": "0"})
    return counts[0]


def _killed_after_the_load(root: Path) -> None:
    """A policy retitled, then a build that saved its load and was killed before it finished (its keys never kept)."""
    edit(next((root / "content" / "documents").rglob("d00007.md")), "title: ", "title: 已修订：")

    def die(cache):
        raise OSError("killed")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(BuildCache, "finish", die)
        with pytest.raises(OSError, match="killed"):
            build_in_process(root, DAY.isoformat(), {"GONGKAI_SEARCH": "0"})


def _newer_under(root: Path) -> None:
    (root / "content" / "documents" / "tz" / "zy0002.md").write_text(notice(9002, DAY, "zytz", "关于今日停电的紧急通知"),
                                                                    encoding="utf-8")


# (step, change of the inputs — returning the build date from then on, None: the same —, whether some column's page
# keys may be taken over)
Step = tuple[str, Callable[[Path], dt.date | None], bool]
BODY: Step = ("notice body edited", lambda r: edit(r / "content/documents/tz/t0005.md", "正文。", "正文（补充）。"), True)
UNDER: Step = ("newer document in the column under 通知公告", _newer_under, True)
RETITLED: Step = ("policy retitled", lambda r: edit(next((r / "content" / "documents").rglob("d00003.md")),
                                                   "title: ", "title: 修订："), True)
LEAVES: Step = ("notice leaves 通知公告", lambda r: edit(r / "content/documents/tz/t0030.md", "columns: [tzgg]",
                                                      "columns: [zcjd]"), True)
KILLED: Step = ("build killed after its load", _killed_after_the_load, False)


def _swapped(root: Path) -> None:
    """A notice and a policy trade their columns: both paged columns list as many documents as before."""
    edit(root / "content/documents/tz/t0012.md", "columns: [tzgg]", "columns: [zcwj]")
    edit(next((root / "content" / "documents").rglob("d00012.md")), "columns: [zcwj]", "columns: [tzgg]")


SWAPPED: Step = ("a notice and a policy swap columns", _swapped, False)  # (both paged columns touched)
# a later build date: rows' validity as of then (行政规范性文件 whose 有效期 ended meanwhile), no document changed
LATER = dt.date(2031, 6, 1)
REDATED: Step = ("another build date", lambda r: LATER, False)
# (and the keys of the build at that date taken over by the next)
AGAIN: Step = ("another notice body edited", lambda r: edit(r / "content/documents/tz/t0006.md", "正文。", "正文（又补充）。"),
               True)
ALL = [BODY, UNDER, RETITLED, LEAVES, SWAPPED, KILLED, REDATED, AGAIN]


def history(tmp_path: Path, steps: list[Step]) -> list[dict[str, int]]:
    """Build the site cold, then after each step warm, compared with a cold build of the same inputs; the counts of
    write_paged_columns in each warm build."""
    root = make_site(tmp_path / "warm", COLUMNS, policy_documents(POLICIES) | notices())
    assert build(root)["kept"] == 0
    out = []
    day = DAY
    for n, (name, change, reuse) in enumerate(steps):
        day = change(root) or day
        counts = build(root, day)
        out.append(counts)
        cold = cold_copy(root, tmp_path / f"cold-{n}")
        build(cold, day)
        same_site(root, cold)
        assert (counts["kept"] > 0) == reuse, (name, counts)
        assert counts["kept"] < counts["pages"], (name, counts)  # (each step reaches one column at least)
    return out


def test_warm_paged_pages_equal_cold_ones_along_a_history(tmp_path):
    history(tmp_path, ALL)


def test_a_rule_blind_to_the_columns_under_fails(tmp_path, monkeypatch):
    """Only the column itself looked at: 通知公告's pages keep the PubDate of before its child's newer document."""
    monkeypatch.setattr(bodykeys, "shown", lambda column: iter([column]))
    with pytest.raises(AssertionError, match="tzgg/page-2.html"):
        history(tmp_path, [UNDER])


def test_a_rule_that_does_not_count_rows_fails(tmp_path, monkeypatch):
    """Without the count, the pages of the column a notice left keep listing it. (Every count 0, the columns as
    they are: the touched ones are still looked at.)"""
    monkeypatch.setattr(bodykeys.PagedKeys, "rows",
                        lambda self, shell: tuple((c.path, 0) for c in bodykeys.shown(shell.column)))
    with pytest.raises(AssertionError, match="tzgg/page-"):
        history(tmp_path, [LEAVES])


@pytest.mark.parametrize(("step", "match"), [(RETITLED, "zcwj/"), (SWAPPED, "tzgg/page-|zcwj/")],
                         ids=["retitled", "swapped"])
def test_a_rule_blind_to_touched_documents_fails(tmp_path, monkeypatch, step, match):
    """Ignoring which columns list a repictured document: the retitled policy keeps its old title on the pages; and
    two paged columns trading a document each keep their counts as before, so only the touched documents' columns
    say their pages changed."""
    real = bodykeys.PagedKeys.__init__

    def blind(self, plan, cache):
        real(self, plan, cache)
        self.touched = frozenset()

    monkeypatch.setattr(bodykeys.PagedKeys, "__init__", blind)
    with pytest.raises(AssertionError, match=match):
        history(tmp_path, [step])


def test_a_rule_blind_to_the_token_fails(tmp_path, monkeypatch):
    """Trusting the kept keys whatever load they were made from: after the killed build, the retitled policy is no
    change any more (its load was saved), and 政策文件's pages keep the keys of the old title."""
    real = bodykeys.PagedKeys.__init__

    def blind(self, plan, cache):
        real(self, plan, cache)
        kept = cache.state(bodykeys.PAGED_STATE)
        if kept is not None and plan.cat.changes.only_documents and kept[1] == self.salt:
            self.kept = kept[2]

    monkeypatch.setattr(bodykeys.PagedKeys, "__init__", blind)
    with pytest.raises(AssertionError, match="zcwj/"):
        history(tmp_path, [BODY, KILLED])


def test_a_rule_blind_to_the_build_date_fails(tmp_path, monkeypatch):
    """Trusting the kept page keys when the build date changed (no document did): 政策文件's extra pages keep the
    validity their rows had as of the earlier date (行政规范性文件 whose 有效期 ended meanwhile)."""
    real = bodykeys.PagedKeys.__init__

    def blind(self, plan, cache):
        real(self, plan, cache)
        kept, changes = cache.state(bodykeys.PAGED_STATE), plan.cat.changes
        if (kept is not None and plan.touched_columns() is not None and changes.known and not changes.inputs
                and changes.follows(kept[0]) and kept[1] == self.salt):
            self.kept = kept[2]

    monkeypatch.setattr(bodykeys.PagedKeys, "__init__", blind)
    with pytest.raises(AssertionError, match="zcwj/"):
        history(tmp_path, [REDATED])


def test_a_kept_key_whose_cached_page_is_gone_is_made_again(tmp_path):
    """The cache's copies of the pages deleted between two builds: the kept keys find no file, and the pages are made
    again from their rows (the same bytes as a cold build)."""
    import shutil

    def lost(root: Path) -> None:
        shutil.rmtree(root / ".cache" / "gongkai" / "pages")
        BODY[1](root)

    [counts] = history(tmp_path, [("cached pages deleted", lost, True)])
    assert counts["pages"] == counts["rendered"] > counts["kept"] > 0


# --- the shape of a paged 政策文件 column (pages.PolicyColumn, kept_shape): its extra pages' addresses and titles, its
# output paths (the sitemap, the manifest, a moved column's redirects), taken over without making its rows


def _new_publisher(root: Path) -> None:
    """A policy gets a 发布机构 of its own: one more browse listing (publisher-….html), as many rows as before."""
    import re

    path = next((root / "content" / "documents").rglob("d00003.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^publisher: .*$", "publisher: 示例市应急管理局", text, count=1), encoding="utf-8")


NEW_PUBLISHER: Step = ("a policy gets a publisher of its own", _new_publisher, True)
# (then it leaves 政策文件: its browse listing goes, and the column counts one row less; 通知公告 is touched)
POLICY_LEAVES: Step = ("that policy leaves 政策文件", lambda r: edit(next((r / "content" / "documents").rglob("d00003.md")),
                                                                  "columns: [zcwj]", "columns: [tzgg]"), False)


def _topics_reordered(root: Path) -> None:
    """site.yml names the topics vocabulary in another order: the 主题分类 browse listings follow it."""
    from gongkai.vocab import GOV_CN_TOPICS

    with (root / "catalog" / "site.yml").open("a", encoding="utf-8") as fh:
        fh.write("topics:\n" + "".join(f"  - {t}\n" for t in reversed(GOV_CN_TOPICS)))


TOPICS: Step = ("site.yml's topics in another order", _topics_reordered, False)
LATER_BODY: Step = ("a third notice body edited", lambda r: edit(r / "content/documents/tz/t0007.md", "正文。", "正文（更正）。"),
                    True)
SHAPE_STEPS = [BODY, NEW_PUBLISHER, POLICY_LEAVES, AGAIN, TOPICS, LATER_BODY]


def shapes_taken(monkeypatch) -> list[bool]:
    """Whether each paged 政策文件 column's shape was taken over, build after build (from here on)."""
    from gongkai.build import pages

    taken: list[bool] = []
    real = pages.kept_shape

    def watched(*args):
        found = real(*args)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(pages, "kept_shape", watched)
    return taken


def test_warm_policy_shapes_equal_cold_ones_along_a_history(tmp_path, monkeypatch):
    """The sitemap, the manifest and every page after each step are those of a cold build, and the shape of 政策文件
    is taken over where no step reached it (a notice edited) — not made from its rows."""
    taken = shapes_taken(monkeypatch)
    history(tmp_path, SHAPE_STEPS)
    # each step: the warm build, then its cold twin (never taken over); the first build is cold
    warm = taken[1::2]
    assert warm == [True, False, False, True, False, True], taken


def _blind_kept_shape(skip: str):
    """kept_shape without one of its conditions."""
    from gongkai.build import pages
    from gongkai.memo import MISSING

    def blind(kept, pc, changes, touched):
        if not kept.trusted or (skip != "inputs" and not changes.only_documents) or touched is None:
            return None
        if skip != "touched" and pc.column.path in touched:
            return None
        found = kept.get((pages.SHAPE, pc.column.path))
        return found[1] if found is not MISSING and (skip == "count" or found[0] == pc.total) else None

    assert pages.kept_shape.__code__.co_argcount == blind.__code__.co_argcount
    return blind


@pytest.mark.parametrize(("skip", "steps"), [
    ("touched", [NEW_PUBLISHER]), ("count", [NEW_PUBLISHER, POLICY_LEAVES]), ("inputs", [TOPICS]),
], ids=["touched", "count", "inputs"])
def test_a_shape_rule_without_one_condition_fails(tmp_path, monkeypatch, skip, steps):
    """Each condition of kept_shape is needed: blind to the repictured documents, the new publisher's browse pages
    are missing from the sitemap (and manifest); blind to the count, the publisher's pages stay listed once its only
    policy left; blind to other inputs, the topic listings keep the order of the old vocabulary."""
    from gongkai.build import pages

    monkeypatch.setattr(pages, "kept_shape", _blind_kept_shape(skip))
    with pytest.raises(AssertionError, match="sitemap"):
        history(tmp_path, steps)
