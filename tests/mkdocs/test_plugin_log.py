"""What the plugin writes to a clerk's `mkdocs build` log: Chinese only; the English timing line is for bench."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import BUILD_DATE, make_site

COLUMNS = """\
columns:
  - name: 通知公告
    id: tzgg
"""


def build_log(root, **env_extra: str) -> str:
    """`mkdocs build` as the clerk runs it (no -q: the INFO lines are what the clerk reads)."""
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    env.pop("GONGKAI_TIMING", None)
    env.update(env_extra)
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stderr + r.stdout


def test_timing_line_only_when_asked(tmp_path):
    root = make_site(tmp_path / "s", COLUMNS)
    assert "gongkai timing" not in build_log(root)
    # scripts/bench.py sets GONGKAI_TIMING=1 and reads this line
    assert "gongkai timing: documents" in build_log(root, GONGKAI_TIMING="1")


def test_cleaning_is_said_only_when_something_was_cleaned(tmp_path):
    """MkDocs' "Cleaning site directory" empties gongkai's staging folder, new and empty: never printed (it read
    「清理上次生成的临时文件」 on a first build, with nothing to clean). What a killed build left beside site/ is
    removed by gongkai, which then says so, naming it."""
    root = make_site(tmp_path / "s", COLUMNS)
    first = build_log(root)
    assert "清理" not in first and "Cleaning" not in first, first
    left = root / "site.gongkai-new.999-ab"  # a killed build's staging folder
    (left / "documents").mkdir(parents=True)
    (left / "documents" / "x.html").write_text("half", encoding="utf-8")
    second = build_log(root)
    assert "清理之前的生成留下的临时文件：site.gongkai-new.999-ab\n" in second, second
    assert not left.exists()
    assert "清理" not in build_log(root)
