"""Deterministic output: the same input and build date give byte-identical site/ trees."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_example, tree_digest

EPOCH = str(int(dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC).timestamp()))  # conftest.BUILD_DATE, 17:30 in Beijing


def build(root: Path, **env_vars: str) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in ("GONGKAI_BUILD_DATE", "SOURCE_DATE_EPOCH")}
    env.update(env_vars, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _diff(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    names = sorted(set(a) | set(b))
    return [n for n in names if a.get(n) != b.get(n)]


def test_two_builds_are_byte_identical_and_source_date_epoch_sets_the_date(tmp_path, example_site):
    """A build dated by SOURCE_DATE_EPOCH, in another folder and another process, gives the bytes of the session's
    example build (conftest.example_site, dated by GONGKAI_BUILD_DATE the same day): nothing of the machine's path
    leaks into the output, nothing depends on the run, and SOURCE_DATE_EPOCH is the build date."""
    first = build(copy_example(tmp_path / "first-folder"), SOURCE_DATE_EPOCH=EPOCH)
    a, b = tree_digest(first), tree_digest(example_site)
    assert str(tmp_path) not in str(example_site)
    assert len(a) > 50
    for expected in ("sitemap.xml", "sitemap.xml.gz", "index.html", "search/index/manifest.js", "data/documents.json"):
        assert expected in a
    assert _diff(a, b) == []
    # and the manifest beside it (gongkai/build/manifest.py)
    assert (first.parent / "site.manifest.json").read_bytes() == (example_site.parent / "site.manifest.json").read_bytes()
    # every file the build writes is compared: pages, sitemap, exports, feeds, search index, posters
    assert set(a) == {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
