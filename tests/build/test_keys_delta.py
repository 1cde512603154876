"""Page keys taken over from the last finished build (gongkai/build/publish.py document_keys): a rebuild makes the
cache key only of the document pages a change can reach, and reuses the others' - never one that would differ.

A history of real `mkdocs build`s of the example bureau, each followed by a build without the cache (GONGKAI_CACHE=0)
of the same inputs into another folder: the site and its manifest must be byte-equal after every step, and the
steps that change only documents must make few keys. The same history with the skip made blind (to relations and
links, or to the load's token) must fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_in_process, copy_example, edit, tree_digest
from gongkai.build import publish

POLICY = "content/documents/2026/szmz-2026-4.md"  # 《示例市困境儿童分类保障办法》: its page shows its 解读 …
JD = "content/documents/2026/szmz-2026-4-jd.md"  # … this 文字解读's title
VIDEO = "content/documents/2026/szmz-2026-4-jd-sp.md"  # … and this 视频解读's player
DOC = "content/documents/2022/szmz-2022-2.md"  # 示例市临时救助实施办法（试行）
LINKING = "content/documents/2023/szf-2023-18.md"  # no relation to …
LINKED = "content/documents/2025/szmz-2025-3.md"  # … this one, but a link to its Markdown file (added below)
DAY, LATER = "2026-11-24", "2026-12-01"
OFF = {"GONGKAI_SEARCH": "0"}  # (the search index is not made from page keys: left out of both builds)


class Failing(Exception):
    """A build stopped after its document pages were written (killed, or a later step failed)."""


def build(root: Path, day: str = DAY) -> dict[str, int]:
    """A build with the cache; what write_documents counted (pages, rendered, cached, keyed)."""
    config = build_in_process(root, day, OFF)
    return config.plugins["gongkai"].write_counts["documents"]


def build_failing_after_the_load(root: Path, monkeypatch) -> None:
    """A build that fails after its load (and the document pages): the next build's changes are relative to a load
    whose build kept nothing (killed, or a later step failed)."""
    with monkeypatch.context() as m:
        def fail(*args, **kwargs):
            raise Failing
        m.setattr(publish, "write_paged_columns", fail)
        with pytest.raises(Failing):
            build(root)


def check_same_as_uncached(root: Path, out: Path, day: str = DAY) -> dict[str, bytes]:
    """The site root/site (just built with the cache) is what a build without it writes, byte for byte, and so is
    its output manifest. Returns its files."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    build_in_process(root, day, {**OFF, "GONGKAI_CACHE": "0"}, site_dir=out / "site")
    warm, cold = tree_digest(root / "site"), tree_digest(out / "site")
    differing = sorted(n for n in set(warm) | set(cold) if warm.get(n) != cold.get(n))
    assert not differing, "differ from an uncached build: " + " ".join(differing)
    assert (root / "site.manifest.json").read_bytes() == (out / "site.manifest.json").read_bytes()
    return warm


def differing(*doc_ids: str) -> str:
    """The message of check_same_as_uncached when exactly these documents' pages differ."""
    return "differ from an uncached build: " + " ".join(rf"documents/{i}\.html" for i in doc_ids) + r"(\n|$)"


def page(files: dict[str, bytes], doc_id: str) -> str:
    return files[f"documents/{doc_id}.html"].decode("utf-8")


def history(tmp_path: Path, monkeypatch) -> dict[str, dict[str, int]]:
    """The builds, each step's counts by its name. After each step marked compared, the site equals an uncached
    build's (the others make every key afresh, or change nothing)."""
    root = copy_example(tmp_path / "site")
    out = tmp_path / "uncached"
    steps: dict[str, dict[str, int]] = {}

    def step(name: str, day: str = DAY, compared: bool = True) -> dict[str, bytes]:
        steps[name] = build(root, day)
        return check_same_as_uncached(root, out, day) if compared else tree_digest(root / "site")

    first = step("cold", compared=False)
    step("nothing changed", compared=False)
    # a build that fails after the document pages: the keys it made are not kept, and the next build does not trust
    # the ones kept before it (its load's change set is relative to the failed build's load, not to theirs)
    edit(root / JD, "title: 《示例市困境儿童分类保障办法》政策解读", "title: 《示例市困境儿童分类保障办法》政策问答")
    build_failing_after_the_load(root, monkeypatch)
    files = step("after a failed build")
    assert "政策问答" in page(files, "szmz-2026-4") and "政策问答" not in page(first, "szmz-2026-4")
    # a 解读's title, shown on the policy's page (changes.affected)
    edit(root / JD, "政策问答", "政策解读（修订）")
    files = step("a 解读 of another document")
    assert "政策解读（修订）" in page(files, "szmz-2026-4")
    # a link to another document's Markdown file, then that document's address (its id) changes: the linking page
    # shows the new address, though nothing else relates the two
    edit(root / LINKING, "\n---\n", "\n---\n\n另见[示例市经营性公墓管理办法](../2025/szmz-2025-3.md)。\n")
    files = step("a link added", compared=False)
    assert 'href="szmz-2025-3.html"' in page(files, "szf-2023-18")
    edit(root / LINKED, "title: ", "id: szmz-2025-3-gm\ntitle: ")
    files = step("the linked document's address")
    assert 'href="szmz-2025-3-gm.html"' in page(files, "szf-2023-18")
    edit(root / DOC, "临时救助", "临时性救助")
    files = step("one document edited")
    assert "临时性救助" in page(files, "szmz-2022-2")
    # a 解读 held back until a later day (预定发布; its place among the policy's 解读 unchanged, so the policy did not
    # change): the policy's page no longer shows its player, nor its row in data/documents.json its id
    edit(root / VIDEO, "published: 2026-11-13\n", "published: 2026-11-30\nscheduled: true\n")
    files = step("a 解读 held back")
    assert "<video" in page(first, "szmz-2026-4") and "<video" not in page(files, "szmz-2026-4")
    assert '"szmz-2026-4-jd-sp"' not in files["data/documents.json"].decode("utf-8")
    (root / JD).unlink()  # the policy's page no longer shows its title
    files = step("a 解读 removed")
    assert "政策解读（修订）" not in page(files, "szmz-2026-4")
    edit(root / "catalog" / "columns.yml", "- name: 部门文件\n", "- name: 本部门文件\n            id: bmwj\n")
    files = step("a column renamed", compared=False)
    assert "本部门文件" in page(files, "szmz-2022-2")
    step("another build date", LATER, compared=False)
    edit(root / DOC, "临时性救助", "临时救助")
    step("one document edited after a new build date", LATER)
    return steps


def test_a_rebuild_makes_only_the_keys_a_change_reaches_and_writes_what_an_uncached_build_writes(tmp_path, monkeypatch):
    steps = history(tmp_path, monkeypatch)
    keyed = {name: counts["keyed"] for name, counts in steps.items()}
    pages = steps["cold"]["pages"]
    assert keyed == {
        "cold": pages,
        "nothing changed": 0,
        "after a failed build": pages,  # not trusted: made from a load the failed build's load came after
        "a 解读 of another document": 2,  # the 解读 and the policy
        "a link added": 1,
        "the linked document's address": 2,  # it and the page linking it
        "one document edited": 1,
        "a 解读 held back": 1,  # the policy (the 解读 has no page now)
        "a 解读 removed": 1,  # the policy (its interpretations; its other 解读 is held back: no page)
        "a column renamed": pages - 2,
        "another build date": pages - 1,  # (the held-back 解读 is published on that day)
        "one document edited after a new build date": 1,
    }
    assert steps["one document edited"]["rendered"] == 1


def test_a_skip_blind_to_what_a_page_shows_of_other_documents_fails(tmp_path, monkeypatch):
    """Only the edited documents' own keys made again: the policy keeps its 解读's old title - the history notices."""
    monkeypatch.setattr(publish, "touched", lambda changes, docs, affected=None: changes.documents)
    with pytest.raises(AssertionError, match=differing("szmz-2026-4")):
        history(tmp_path, monkeypatch)


def test_a_skip_blind_to_links_fails(tmp_path, monkeypatch):
    """Links not followed: the linking page keeps the linked document's old address - the history notices."""
    monkeypatch.setattr(publish, "_links_to", lambda targets, names: False)
    with pytest.raises(AssertionError, match=differing("szf-2023-18")):
        history(tmp_path, monkeypatch)


def test_a_skip_blind_to_the_loads_token_fails(tmp_path, monkeypatch):
    """Keys trusted whatever load they were made from: after the failed build, the policy keeps the title its 解读
    had two loads ago - the history notices."""
    monkeypatch.setattr(publish, "trusted", lambda kept, changes, salt: kept is not None and changes.only_documents
                        and kept[1] == salt)
    with pytest.raises(AssertionError, match=differing("szmz-2026-4-jd", "szmz-2026-4")):
        history(tmp_path, monkeypatch)
