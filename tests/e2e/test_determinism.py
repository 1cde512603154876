"""Deterministic output: the same input and build date give byte-identical site/ trees."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_example, tree_digest

BUILD_DATE = dt.date(2026, 11, 24)
EPOCH = str(int(dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC).timestamp()))


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


def test_two_builds_are_byte_identical_and_source_date_epoch_sets_the_date(tmp_path):
    # two folders with different paths: nothing of the machine's path may leak into the output
    first = build(copy_example(tmp_path / "first"), SOURCE_DATE_EPOCH=EPOCH)
    second = build(copy_example(tmp_path / "second-folder"), SOURCE_DATE_EPOCH=EPOCH)
    a, b = tree_digest(first), tree_digest(second)
    assert len(a) > 50
    for expected in ("sitemap.xml", "sitemap.xml.gz", "index.html"):
        assert expected in a
    assert _diff(a, b) == []
    # the same day given as GONGKAI_BUILD_DATE: the same bytes, so SOURCE_DATE_EPOCH is the build date
    third = build(copy_example(tmp_path / "third"), GONGKAI_BUILD_DATE=BUILD_DATE.isoformat())
    assert _diff(a, tree_digest(third)) == []
    # every file the build writes is compared: pages, sitemap, exports, feeds, search index, posters
    assert set(a) == {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
