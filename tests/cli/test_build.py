"""gongkai/cli/build.py: `gongkai build` / `serve` run MkDocs with the arguments given; on POSIX the process becomes
MkDocs (exec), so what gongkai's process does at its exit must be done before."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from conftest import make_site

# click's English (tests/cli/test_zh.py has the full list)
CLICK_ENGLISH = re.compile(r"Usage|Options|Error:|No such|Missing|Try '|Did you mean|not a valid|is not one of|requires")
COLUMNS = "columns:\n  - name: 通知公告\n    id: tzgg\n    kind: documents\n"
COMPILED = ("import dataclasses, gongkai.cli; "
            "print(vars(dataclasses)['exec'].__closure__[0].cell_contents.compiled)")  # (tests/test_fncache.py)


def test_what_gongkai_writes_at_exit_is_written_before_it_becomes_mkdocs(tmp_path):
    """The dataclass functions the `gongkai` command compiled (gongkai/fncache.py, saved by an atexit hook) are kept
    for the next `gongkai` command, as when MkDocs was a child and gongkai's process exited after it: an exec
    skips the exit, so the hooks run first. The arguments reach MkDocs (-d: the site is written where it says)."""
    root = make_site(tmp_path / "site", COLUMNS)
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"),  # a cache file of the test's own
               PYTHONPATH=str(Path(gongkai.__file__).resolve().parents[1]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    run = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "-q", "-d", "elsewhere"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0 and (root / "elsewhere" / "index.html").is_file(), run.stderr
    after = subprocess.run([sys.executable, "-c", COMPILED], env=env, capture_output=True, text=True, check=True)
    assert after.stdout.strip() == "0"  # every text the gongkai command compiled was in the file


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize("args, message", [
    (["--no-such-option"], "错误：没有这个选项：--no-such-option"),
    (["--dirt"], "错误：没有这个选项：--dirt （可能是：--dirty, "),
    (["-t", "nosuch"], "错误：「-t / --theme」的值无效：「nosuch」不是可选的值（「material」、「mkdocs」、「readthedocs」）之一。"),
    (["-f"], "错误：选项 -f 后面要写一个值。"),
])
def test_what_mkdocs_would_refuse_is_refused_in_chinese(tmp_path, command, args, message):
    """The arguments gongkai passes on to MkDocs are parsed as MkDocs parses them, before it runs: a mistake is a
    usage error of gongkai's command in Chinese (MkDocs itself would print click's English), nothing is built."""
    root = make_site(tmp_path / "site", COLUMNS)
    env = dict(os.environ, PYTHONPATH=str(Path(gongkai.__file__).resolve().parents[1]))
    run = subprocess.run([sys.executable, "-m", "gongkai.cli", command, *args], cwd=root, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert lines[0] == f"用法: python -m gongkai.cli {command} [选项] [MKDOCS 参数]..."
    assert lines[-1].startswith(message), run.stderr
    assert not CLICK_ENGLISH.search(run.stderr) and run.stdout == ""
    assert not (root / "site").exists()


def test_mkdocs_options_are_read_from_the_site_folder(tmp_path, monkeypatch):
    """gongkai finds the site from a folder inside it (content/) and runs MkDocs in the site folder: a file or folder
    an option names (-f, -w) is where MkDocs will look for it, so it is checked there — not where gongkai was started."""
    root = make_site(tmp_path / "site", COLUMNS)
    env = dict(os.environ, PYTHONPATH=str(Path(gongkai.__file__).resolve().parents[1]))
    run = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "-q", "-f", "mkdocs.yml", "-d", "elsewhere"],
                         cwd=root / "content", env=env, capture_output=True, text=True)
    assert run.returncode == 0 and (root / "elsewhere" / "index.html").is_file(), run.stderr
    from gongkai.cli.zh import install
    from gongkai.mkdocs.cliargs import usage_error as mkdocs_usage_error

    install()
    monkeypatch.chdir(root / "content")
    assert mkdocs_usage_error("serve", ("-w", "overrides", "-w", "catalog"), root) is None
    assert mkdocs_usage_error("serve", ("-f", "../mkdocs.yml"), root) == \
        "「-f / --config-file」的值无效：文件「../mkdocs.yml」不存在。"
    assert mkdocs_usage_error("serve", ("-w", "documents"), root) == "「-w / --watch」的值无效：路径「documents」不存在。"
    assert Path.cwd() == root / "content"  # (the parse's own change of folder undone)


def test_a_value_written_against_its_short_option_reaches_mkdocs_whole(tmp_path):
    """-dpublic_html is MkDocs' -d with the value public_html. gongkai's own short option is -h: click, reading the
    letters of an unknown group one by one, took the h of public_html for it and printed gongkai's help instead of
    building. gongkai's options (--root, -h/--help) are read as they are written; everything else is MkDocs'."""
    root = make_site(tmp_path / "site", COLUMNS)
    env = dict(os.environ, PYTHONPATH=str(Path(gongkai.__file__).resolve().parents[1]))
    run = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "-qdpublic_html", "--root", str(root)],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0 and (root / "public_html" / "index.html").is_file(), run.stdout + run.stderr
    assert not (root / "site").exists()
    helped = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "-dpublic_html", "-h"],
                            cwd=root, env=env, capture_output=True, text=True)
    assert helped.returncode == 0 and helped.stdout.startswith("用法: python -m gongkai.cli build"), helped.stderr
    # -vh: MkDocs' -v and -h (its subcommands take -h for --help, as gongkai's): MkDocs prints its help, as with `-- -h`
    theirs = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "-vh"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert theirs.returncode == 0 and theirs.stdout.startswith("Usage: python -m mkdocs build"), theirs.stderr
    assert not (root / "site").exists()
