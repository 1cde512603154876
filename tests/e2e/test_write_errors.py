"""A build that cannot write (file size limit, full disk) stops with a Chinese message naming the file, leaves site/
and its manifest byte for byte as they were, and removes its partial staging folder."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DATE, copy_example, run_build, tree_digest

ENV = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
ENV.pop("SOURCE_DATE_EPOCH", None)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("writeerr") / "site-root")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


def _copy(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest, symlinks=True)
    return dest


def _build_limited(root: Path, limit: int, *args: str, **env: str) -> subprocess.CompletedProcess:
    """mkdocs build in a process that may not write any file larger than `limit` bytes (RLIMIT_FSIZE;
    Python ignores SIGXFSZ, so the write fails with EFBIG instead of killing the process)."""
    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *args], cwd=root, env=dict(ENV, **env),
                          capture_output=True, text=True, timeout=900, preexec_fn=limit_files)


def _assert_stopped_cleanly(result: subprocess.CompletedProcess, root: Path, site: Path, before: dict, manifest: bytes,
                            names: str) -> str:
    assert result.returncode != 0
    err = result.stderr
    assert "Traceback" not in err, err[-3000:]
    line = next((x for x in err.splitlines() if "写入失败：" in x), "")
    assert line, err[-3000:]
    assert names in line, line
    assert f"{site.name}/ 保持原样" in line and "临时文件夹已删除" in line
    assert tree_digest(site) == before
    assert site.with_name(site.name + ".manifest.json").read_bytes() == manifest
    leftovers = sorted(p.name for p in site.parent.iterdir() if p.name.startswith(site.name + ".gongkai"))
    assert leftovers == []
    return line


def test_a_file_size_limit_in_mkdocs_own_copy(built, tmp_path):
    """The limit hits a theme file MkDocs copies (without the build cache): the message names that file in the
    staging folder. With the cache, gongkai puts the theme files from its own copies (BuildCache.put_copy): a
    cache that lost them writes them again, and the limit names the cache's file."""
    root = _copy(built, tmp_path / "site-root")
    before, manifest = tree_digest(root / "site"), (root / "site.manifest.json").read_bytes()
    # Material's bundle (114 KB) and stylesheet (137 KB) are over the limit
    result = _build_limited(root, 110_000, GONGKAI_CACHE="0")
    line = _assert_stopped_cleanly(result, root, root / "site", before, manifest, "site.gongkai-new.")
    assert "assets/javascripts/" in line and "文件大小限制" in line, line
    shutil.rmtree(root / ".cache")
    result = _build_limited(root, 110_000)
    line = _assert_stopped_cleanly(result, root, root / "site", before, manifest, ".cache/gongkai/pages/")
    assert "文件大小限制" in line, line
    # without the limit the next build works
    assert run_build(root).returncode == 0


def test_a_file_size_limit_in_gongkai_own_writer(built, tmp_path):
    """A document page too large for the limit, written by gongkai (a worker process would name it the same way)."""
    root = _copy(built, tmp_path / "site-root")
    before, manifest = tree_digest(root / "site"), (root / "site.manifest.json").read_bytes()
    doc = root / "content/documents/2024/szmz-2024-3.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n" + "这是一段为测试而加长的正文，内容重复。\n\n" * 40_000,
                   encoding="utf-8")
    result = _build_limited(root, 1_100_000, GONGKAI_CACHE="0")
    _assert_stopped_cleanly(result, root, root / "site", before, manifest, "documents/szmz-2024-3.html")
    # with the cache, the page is written into .cache/gongkai/ first: that file is named
    result = _build_limited(root, 1_100_000)
    _assert_stopped_cleanly(result, root, root / "site", before, manifest, ".cache/gongkai/pages/")


def test_a_full_disk(built, tmp_path):
    """A real full file system: a tmpfs with room for the old site and a little more (needs root to mount)."""
    root = _copy(built, tmp_path / "site-root")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    size = sum(len(v) for v in tree_digest(root / "site").values())
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 1_500_000}", "tmpfs", str(mnt)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        site = mnt / "site"
        shutil.copytree(root / "site", site)
        shutil.copy(root / "site.manifest.json", mnt / "site.manifest.json")
        before, manifest = tree_digest(site), (mnt / "site.manifest.json").read_bytes()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=root, env=ENV,
                                capture_output=True, text=True, timeout=900)
        line = _assert_stopped_cleanly(result, root, site, before, manifest, str(mnt / "site.gongkai-new."))
        assert "磁盘空间不足" in line, line
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
