"""gongkai/cli/build.py: `gongkai build` / `serve` run MkDocs with the arguments given; on POSIX the process becomes
MkDocs (exec), so what gongkai's process does at its exit must be done before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import gongkai
from conftest import make_site

COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
COMPILED = ("import dataclasses, gongkai.cli; "
            "print(vars(dataclasses)['exec'].__closure__[0].cell_contents.compiled)")  # (tests/test_fncache.py)


def test_what_gongkai_writes_at_exit_is_written_before_it_becomes_mkdocs(tmp_path):
    """The dataclass functions the `gongkai` command compiled (gongkai/fncache.py, saved by an atexit hook) are kept
    for the next `gongkai` command, as when MkDocs was a child and gongkai's process exited after it: an exec
    skips the exit, so the hooks run first. The arguments reach MkDocs (its own refusal of an unknown option)."""
    root = make_site(tmp_path / "site", COLUMNS)
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"),  # a cache file of the test's own
               PYTHONPATH=str(Path(gongkai.__file__).resolve().parents[1]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    run = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--no-such-option"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 2 and "No such option: --no-such-option" in run.stderr, run.stderr
    after = subprocess.run([sys.executable, "-c", COMPILED], env=env, capture_output=True, text=True, check=True)
    assert after.stdout.strip() == "0"  # every text the gongkai command compiled was in the file
