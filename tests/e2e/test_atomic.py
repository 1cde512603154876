"""Nothing half-written: a build that fails, at any step, leaves site/ byte for byte as it was."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DATE, run_build, tree_digest
from gongkai.build import staging
from gongkai.errors import GongkaiError
from gongkai.load.loader import load_catalogue

ID = "330102199001011234"


@pytest.fixture(scope="module")
def built_example(example_site, tmp_path_factory) -> Path:
    """The example bureau with a finished site/ (and its build cache): a copy of the session's example build, with a
    marker file that only an old site/ has."""
    root = tmp_path_factory.mktemp("atomic") / "example"
    shutil.copytree(example_site.parent, root, symlinks=True)
    assert (root / "site" / "index.html").is_file()
    (root / "site" / "MARKER-old-site.txt").write_text("the site as it was\n", encoding="utf-8")
    return root


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _doc_body(root: Path, extra: str) -> None:
    path = root / "content/documents/2024/szmz-2024-3.md"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


BREAKAGES = {
    # validation error in on_config (tests/load/test_bad_input.py: every kind of it, in process)
    "columns.yml broken": lambda r: _edit(r, "catalog/columns.yml", "columns:", "columns: [\n"),
    "unknown column": lambda r: _edit(r, "content/documents/2024/szmz-2024-3.md", "columns:", "columns: [nosuch]\nx_columns:"),
    # privacy gate
    "ID number in a body": lambda r: _doc_body(r, f"\n申请人身份证号 {ID}\n"),
    "mobile in a page": lambda r: _edit(r, "content/pages/jgjj.md", "\n", "\n联系人手机 138 0013 8000\n"),
    # a template error while pages are rendered (a bureau's override with a typo)
    "column template error": lambda r: _write(r, "overrides/gongkai/column_documents.html", "{{ no_such_variable }}\n"),
    # a template error in the document template: raised in on_post_build
    "document template error": lambda r: _write(r, "overrides/gongkai/document.html", "{% if %}\n"),
    # the Material theme override itself is broken
    "theme template error": lambda r: _write(r, "overrides/main.html", '{% extends "base.html" %}{% block content %}{{ x.y.z }}{% endblock %}\n'),
}


def _assert_untouched(root: Path, before: dict, manifest_before: bytes | None = None) -> None:
    assert tree_digest(root / "site") == before
    leftovers = [p.name for p in staging.stale_paths(root / "site")]  # the kept previous tree is not one
    assert leftovers == [], leftovers
    if manifest_before is not None:
        assert (root / "site.manifest.json").read_bytes() == manifest_before


# broken input the loader reports: the build prints the loader's whole report (file, line, field, message)
LOADER_ERRORS = {"columns.yml broken", "unknown column", "ID number in a body", "mobile in a page"}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_failed_build_leaves_site_untouched(name, built_example, tmp_path):
    root = tmp_path / "site-root"
    shutil.copytree(built_example, root, symlinks=True)
    before = tree_digest(root / "site")
    manifest_before = (root / "site.manifest.json").read_bytes()
    BREAKAGES[name](root)
    result = run_build(root)
    assert result.returncode != 0, result.stdout + result.stderr
    _assert_untouched(root, before, manifest_before)
    if name != "theme template error":  # MkDocs reports errors in the Material theme itself, with its traceback
        assert "Traceback" not in result.stderr, result.stderr
    if name in LOADER_ERRORS:
        with pytest.raises(GongkaiError) as info:
            load_catalogue(root, dt.date.fromisoformat(BUILD_DATE))
        report = info.value.report().splitlines()
        assert report[0].startswith("发现 ") and len(report) > 1
        for line in report:
            assert line.strip() in result.stderr, (line, result.stderr)


def test_strict_mode_warning_leaves_site_untouched(built_example, tmp_path):
    """mkdocs build --strict aborts on a warning after post_build: site/ must still be the old one."""
    root = tmp_path / "site-root"
    shutil.copytree(built_example, root, symlinks=True)
    before = tree_digest(root / "site")
    # a stale privacy_ok allowance is a warning
    _edit(root, "content/documents/2024/szmz-2024-3.md", "columns:",
          'privacy_ok:\n  - match: "13800138000"\n    reason: 已删除\ncolumns:')
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "privacy_ok" in result.stderr
    _assert_untouched(root, before)


def test_successful_build_replaces_site_whole(built_example, tmp_path):
    root = tmp_path / "site-root"
    shutil.copytree(built_example, root, symlinks=True)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / "MARKER-old-site.txt").exists()
    assert (root / "site" / "index.html").is_file()
    # beside it: its manifest and the previous site, kept for the next build to update (gongkai/build/staging.py)
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("site.")) == ["site.gongkai-prev", "site.manifest.json"]
    assert (root / "site.gongkai-prev" / "MARKER-old-site.txt").exists()


def test_swap_restores_the_old_site_when_the_final_rename_fails(tmp_path, monkeypatch):
    """Where the file system cannot exchange two folders, two renames: a failed second one puts site/ back."""
    final, new = tmp_path / "site", staging.new_staging_dir(tmp_path / "site")
    final.mkdir()
    (final / "index.html").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    real_replace = os.replace

    def flaky_replace(src, dst):
        if Path(src) == new:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    monkeypatch.setattr(staging.os, "replace", flaky_replace)
    with pytest.raises(OSError):
        staging.swap_into_place(new, final)
    assert (final / "index.html").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if ".gongkai-old" in p.name] == []


@pytest.mark.parametrize("can_exchange", [True, False])
def test_swap_into_place(tmp_path, monkeypatch, can_exchange):
    if not can_exchange:
        monkeypatch.setattr(staging, "exchange", lambda a, b: False)
    final = tmp_path / "site"
    for text in ("first", "second"):
        new = staging.new_staging_dir(final)
        new.mkdir()
        (new / "index.html").write_text(text, encoding="utf-8")
        written = staging.staged_manifest_path(new)
        written.write_text(text, encoding="utf-8")
        staging.swap_into_place(new, final, (written, staging.manifest_path(final)))
        assert (final / "index.html").read_text(encoding="utf-8") == text
        assert staging.manifest_path(final).read_text(encoding="utf-8") == text
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.manifest.json"]
