"""The listings' keys across a history of builds (gongkai/build/pages.py SitePlan.remember_pictures): what each
published document looks like in a list is remembered from the previous build and reused for the documents the
load's change set (model.Changes) vouches for. After every step of the history — a 解读 of another document edited,
a document edited, a build killed while the memo was written, a column renamed, another build date, a document
removed — the warm build writes exactly the bytes a cold build of the same inputs writes elsewhere, while most
pictures are really reused. And the history catches a blind skip: reusing the pictures of documents whose 解读
changed, or trusting pictures that were not made from the load the change set is relative to, publishes a stale
listing and fails it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import BUILD_DATE, build_in_process, cold_copy, copy_example, edit, same_site
from gongkai.build import cache as build_cache
from gongkai.build import pages
from gongkai.build.keptparts import KeptParts
from gongkai.load import snapshot
from gongkai.memo import MISSING
from gongkai.model import Changes

POLICY = "content/documents/2026/szmz-2026-2.md"  # 示例市社区居家养老服务补贴暂行办法: in zcwj (政策文件), bmwj …
JD = "content/documents/2026/szmz-2026-2-jd.md"  # its 图解 (zcjd, ylzc): its title is on the policy's rows
OTHER = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）: bmwj, lsjz, zcwj
GONE = "content/documents/2026/szmz-2026-4-jd.md"  # the 文字解读 of szmz-2026-4, removed at the end


class Counted:
    """How many pictures each build made afresh (SitePlan._doc_picture)."""

    def __init__(self, monkeypatch):
        self.made = 0
        real = pages.SitePlan._doc_picture

        def counted(plan, doc):
            self.made += 1
            return real(plan, doc)

        monkeypatch.setattr(pages.SitePlan, "_doc_picture", counted)

    def build(self, root: Path, build_date: str = BUILD_DATE) -> int:
        self.made = 0
        build_in_process(root, build_date, {"GONGKAI_SEARCH": "0"})
        return self.made


OTHER_PART = (*pages.PLAN_MEMO, (pages.PICTURES, "content/documents/2022"))  # the pictures of OTHER's folder


def _killed_while_saving_the_memo(root: Path, monkeypatch) -> None:
    """A build killed while it wrote the memo: every memo file written but the one holding the pictures of OTHER's
    folder (the new snapshot, and with it the change set's next `since`, is saved, and the site plan's header naming
    that part as this build's; the part stays that of the build before, with OTHER's old title)."""
    edit(root / OTHER, "title: 示例市临时救助实施办法（试行）", "title: 示例市临时救助实施办法（试行，修订稿）")
    shard = f"memo/{build_cache.memo_file_of(OTHER_PART):02x}.pickle"
    assert shard not in {f"memo/{build_cache.memo_file_of(key):02x}.pickle" for key in (snapshot.KEY, pages.PLAN_MEMO)}
    real_write, real_save = build_cache.BuildCache._write, build_cache.BuildCache._save_memo

    def write(cache, name, items):
        if name != shard:
            real_write(cache, name, items)

    def save_and_die(cache):
        real_save(cache)
        raise OSError("killed")  # (an error, not a signal: the build lock is released for the next build)

    with monkeypatch.context() as m:
        m.setattr(build_cache.BuildCache, "_write", write)
        m.setattr(build_cache.BuildCache, "_save_memo", save_and_die)
        with pytest.raises(OSError, match="killed"):
            build_in_process(root, BUILD_DATE, {"GONGKAI_SEARCH": "0"})


# (step, change of the inputs, build date, most pictures this warm build may make afresh; None: no limit)
Step = tuple[str, Callable[[Path], None], str, int | None]
def _jd_edited(root: Path) -> None:
    """The 图解's title and its image's text: the image is shown on the policy's page too (SitePlan.media_of)."""
    edit(root / JD, "title: 一图读懂《", "title: 图解：一图读懂《")
    edit(root / JD, "![一图读懂《", "![图解：一图读懂《")


JD_EDITED: Step = ("解读 of another document edited", _jd_edited, BUILD_DATE, 3)
# its form is on each row of the policy (the badge of its 解读 link) in 政策文件 and the other listings
JD_FORM: Step = ("解读's form changed", lambda r: edit(r / JD, "form: 图解", "form: 问答"), BUILD_DATE, 3)
EDITED: Step = ("document edited", lambda r: edit(r / POLICY, "示民规〔2026〕2号", "示民规〔2026〕20号"), BUILD_DATE, 3)
KILLED: Step = ("build killed while saving the memo", lambda r: None, BUILD_DATE, None)
RENAMED: Step = ("column renamed", lambda r: edit(r / "catalog" / "columns.yml", "name: 规范性文件备案信息",
                                                  "name: 规范性文件备案审查信息"), BUILD_DATE, 0)
REDATED: Step = ("build date", lambda r: None, "2028-05-01", 3)
REMOVED: Step = ("document removed", lambda r: (r / GONE).unlink(), "2028-05-01", 3)


def history(tmp_path: Path, monkeypatch, steps: list[Step]) -> list[int]:
    """Build the example cold, then after each step warm and compare with a cold build of the same inputs; the
    number of pictures each warm build made."""
    counted = Counted(monkeypatch)
    root = copy_example(tmp_path / "warm")
    first = counted.build(root)
    assert first > 20  # a cold build pictures every listed document
    made = []
    for n, (name, change, build_date, most) in enumerate(steps):
        change(root)
        if name == KILLED[0]:
            _killed_while_saving_the_memo(root, monkeypatch)
        made.append(counted.build(root, build_date))
        cold = cold_copy(root, tmp_path / f"cold-{n}")
        counted.build(cold, build_date)
        same_site(root, cold)
        if most is not None:
            assert made[-1] <= most, (name, made[-1])
        else:  # pictures not made from the load the changes are relative to: all made again
            assert made[-1] >= first, (name, made[-1])
    return made


def test_warm_listings_equal_cold_ones_along_a_history(tmp_path, monkeypatch):
    history(tmp_path, monkeypatch, [JD_EDITED, EDITED, KILLED, RENAMED, REDATED, JD_FORM, REMOVED])


def test_a_skip_blind_to_interpretations_fails_the_history(tmp_path, monkeypatch):
    """Reusing the picture of a document that did not change itself although its 解读 did: the policy's rows keep
    the old form of its 解读, and the comparison with the cold build fails. What a change reaches is found along the
    relations by SitePlan.affected_documents (pictures, the pages written again) or, when that cannot be, by asking
    Changes.affected of each document: both made blind to relations here."""
    monkeypatch.setattr(Changes, "affected", Changes.changed)
    monkeypatch.setattr(pages.SitePlan, "affected_documents",
                        lambda plan, changes: [d for d in plan.cat.published_documents if changes.changed(d)])
    with pytest.raises(AssertionError):
        history(tmp_path, monkeypatch, [JD_FORM])


def test_a_skip_blind_to_the_token_fails_the_history(tmp_path, monkeypatch):
    """Trusting the remembered pictures whatever load they were made from: after the killed build, the edited
    document is not in the change set any more (its snapshot was saved), and its rows keep the old title of the
    part the killed build did not write."""
    def blind(kept, part):
        found = kept.memo.get((*kept.key, part))
        if found is MISSING:
            return MISSING
        kept.tokens[part] = found[0]
        return found[1]

    monkeypatch.setattr(KeptParts, "get", blind)
    with pytest.raises(AssertionError):
        history(tmp_path, monkeypatch, [EDITED, KILLED])
