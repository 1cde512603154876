"""One build at a time per site: builds started together wait for each other and give exactly one build's site;
a build told not to wait gives up with a Chinese message; `mkdocs serve` never touches site/."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from serving import free_port, interruptible, stop, wait_http

from conftest import BUILD_DATE, copy_example, run_build, tree_digest
from gongkai.build import staging
from gongkai.build.lock import WAITING, BuildLock

ENV = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")


def _start_build(root, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=dict(ENV, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _leftovers(root) -> list[str]:
    return [p.name for p in staging.stale_paths(root / "site")]  # the kept previous site is not a leftover


@pytest.fixture(scope="module")
def single_build(tmp_path_factory):
    """The example built once, alone: what every other build must produce."""
    root = copy_example(tmp_path_factory.mktemp("single"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return tree_digest(root / "site"), (root / "site.manifest.json").read_bytes()


def test_three_builds_at_once_give_one_builds_site(tmp_path, single_build):
    root = copy_example(tmp_path / "site-root")
    procs = [_start_build(root) for _ in range(3)]
    outs = [p.communicate(timeout=900) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    # they overlapped: the later ones said they were waiting
    assert sum(WAITING in err for _out, err in outs) >= 1, [err for _o, err in outs]
    expected, manifest = single_build
    got = tree_digest(root / "site")
    assert sorted(set(expected) ^ set(got)) == []
    assert [p for p in expected if expected[p] != got[p]] == []
    assert (root / "site.manifest.json").read_bytes() == manifest
    assert _leftovers(root) == []
    # the third build updated the first one's tree; the second one's is kept, whole, for the next build
    assert tree_digest(staging.previous_tree_path(root / "site")) == expected


def test_a_build_waits_for_the_lock_or_gives_up(tmp_path, single_build):
    root = copy_example(tmp_path / "site-root")
    (root / "site").mkdir()
    (root / "site" / "old.html").write_text("old", encoding="utf-8")
    lock = BuildLock(root / ".cache" / "gongkai")
    lock.acquire()
    try:
        # told not to wait: gives up at once, nothing written
        refused = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True,
                                 env=dict(ENV, GONGKAI_LOCK_WAIT="0"), timeout=300)
        assert refused.returncode != 0
        assert "另一个生成正在进行" in refused.stderr and "已放弃" in refused.stderr, refused.stderr
        assert f"进程 {os.getpid()}" in refused.stderr  # names the build holding the lock
        assert "Traceback" not in refused.stderr
        assert tree_digest(root / "site") == {"old.html": b"old"} and _leftovers(root) == []
        # by default: waits, and has written nothing while waiting
        waiting = _start_build(root)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (root / ".cache" / "gongkai" / "memo").exists():
            time.sleep(0.5)
            if waiting.poll() is not None:
                break
        time.sleep(3)
        assert waiting.poll() is None, waiting.communicate()
        assert tree_digest(root / "site") == {"old.html": b"old"} and _leftovers(root) == []
        assert not (root / ".cache" / "gongkai" / "memo").exists()
    finally:
        lock.release()
    _out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, err
    assert WAITING in err
    assert tree_digest(root / "site") == single_build[0]


def test_stale_staging_folders_are_removed_by_the_next_build(tmp_path, single_build):
    root = copy_example(tmp_path / "site-root")
    for name in ("site.gongkai-new.999999-deadbeef", "site.gongkai-old.999999-deadbeef"):
        (root / name / "documents").mkdir(parents=True)
        (root / name / "documents" / "half.html").write_text("<html>", encoding="utf-8")
    (root / "site.gongkai-new.999999-deadbeef.manifest.json").write_text("{", encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert _leftovers(root) == []
    assert tree_digest(root / "site") == single_build[0]


def test_serve_builds_elsewhere_and_never_touches_site(tmp_path):
    root = copy_example(tmp_path / "site-root")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("the published site", encoding="utf-8")
    before = tree_digest(root / "site")
    temp = tmp_path / "serve-tmp"  # where mkdocs serve makes its folder (TMPDIR)
    temp.mkdir()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=dict(ENV, TMPDIR=str(temp)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, preexec_fn=interruptible)
    try:
        url = f"http://127.0.0.1:{port}/index.html"
        wait_http(url)
        with urllib.request.urlopen(url, timeout=10) as r:
            assert "示例市民政局" in r.read().decode("utf-8")
        assert tree_digest(root / "site") == before
        assert sorted(p.name for p in root.iterdir() if p.name.startswith("site")) == ["site"]
        served = [p for p in temp.iterdir() if p.name.startswith("mkdocs_") and "." not in p.name]
        assert len(served) == 1 and (served[0] / "index.html").is_file()
        # beside it only the tree gongkai keeps for the next rebuild: no staging folder, no manifest
        assert [p.name for p in temp.iterdir() if p not in served] == [served[0].name + ".gongkai-prev"]
    finally:
        stop(proc)  # as Ctrl+C: serve removes its temporary folder, gongkai the tree it kept beside it
    assert list(temp.iterdir()) == []
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("site")) == ["site"]
