"""Removing a superseded tree in a detached process (gongkai/build/discard.py): the caller does not wait for it, the
remover holds the tree's lock while it runs, is nobody's child, has no terminal and writes nowhere; small trees and
systems without fork are removed at once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from removers import Gate, gated, stat_of

from gongkai.build import discard

pytestmark = pytest.mark.skipif(not discard.supported(), reason="no fork, flock or sh here: removal is synchronous")


def make_tree(top: Path, n: int = 60) -> None:
    for i in range(n):
        folder = top / f"f{i % 4}" / ("deep" if i % 3 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.html").write_bytes(b"<p>old</p>\n")


@pytest.fixture
def gate(tmp_path, monkeypatch) -> Iterator[Gate]:
    yield from gated(tmp_path, monkeypatch)


def test_a_large_tree_is_removed_by_a_detached_process_the_caller_does_not_wait_for(tmp_path, gate):
    tree, aside = tmp_path / "site.gongkai-prev", tmp_path / "site.gongkai-old.1-ab"
    make_tree(tree)
    discard.tidy(tree, aside)
    assert not tree.exists()  # the name is free at once (the next kept tree goes there)
    assert len(list(aside.rglob("*.html"))) == 60  # returned before the remover deleted anything
    assert discard.hold(aside) is None  # the remover holds it: nobody else deletes it meanwhile
    (pid,) = gate.started()
    ppid, sid = stat_of(pid)
    assert ppid != os.getpid() and sid != os.getsid(0)  # not our child (no zombie), not our session (no Ctrl+C)
    assert {os.readlink(f"/proc/{pid}/fd/{n}") for n in (0, 1, 2)} == {os.devnull}  # no input, no output
    gate.open()
    discard.wait(aside)
    assert not aside.exists()


def test_a_small_tree_is_removed_at_once(tmp_path, gate):
    tree, aside = tmp_path / "small", tmp_path / "small.aside"
    make_tree(tree, 3)
    discard.tidy(tree, aside)
    assert not tree.exists() and not aside.exists()
    assert gate.removers() == []


def test_where_processes_cannot_be_forked_the_tree_is_removed_at_once(tmp_path, gate, monkeypatch):
    monkeypatch.delattr(os, "fork")  # (Windows)
    assert not discard.supported()
    tree, aside = tmp_path / "tree", tmp_path / "tree.aside"
    make_tree(tree)
    discard.tidy(tree, aside)
    assert not tree.exists() and not aside.exists()
    assert gate.removers() == []


def test_a_remover_that_cannot_start_leaves_nothing_behind(tmp_path, gate, monkeypatch):
    monkeypatch.setattr(discard.subprocess, "Popen", lambda *a, **k: (_ for _ in ()).throw(OSError("no sh")))
    tree = tmp_path / "tree"
    make_tree(tree)
    assert discard.remove(tree) is False
    assert not tree.exists()


def test_a_killed_remover_releases_the_tree(tmp_path, gate):
    tree = tmp_path / "tree"
    make_tree(tree)
    assert discard.remove(tree) is True
    assert discard.hold(tree) is None
    (pid,) = gate.started()
    os.killpg(os.getpgid(pid), signal.SIGKILL)  # the remover and the `sleep` it may be running, which shares its lock
    deadline = time.monotonic() + 30
    while (held := discard.hold(tree)) is None and time.monotonic() < deadline:  # the kernel drops its lock
        time.sleep(0.01)
    assert held is not None
    assert len(list(tree.rglob("*.html"))) == 60  # what it left: for the next build (staging.remove_stale)
    discard.tidy(tree, held=held)  # handed over with its lock
    assert discard.hold(tree) is None
    gate.open()
    discard.wait(tree)
    assert not tree.exists()
