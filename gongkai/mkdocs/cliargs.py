"""What MkDocs' own command line would refuse in the arguments `gongkai build`/`gongkai serve` hand it, found
before gongkai becomes MkDocs (gongkai/cli/build.py), by MkDocs' own click parser. Here, in the adapter, because
only gongkai/mkdocs/ imports MkDocs (DESIGN §2)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from pathlib import Path

import click


def usage_error(command: str, args: tuple[str, ...], root: Path) -> str | None:
    """What MkDocs' own command line would refuse in `args` (an unknown option, a missing or wrong value), said
    in Chinese: MkDocs parses them with click, whose texts are gongkai's Chinese in this process (zh.install), so
    the same parse here gives the same refusal in Chinese — the exec'd MkDocs would print it in English. None: MkDocs
    takes them. Nothing is parsed when there are none (the usual `gongkai build`: no import of MkDocs' CLI), nor for
    a help option that only reaches MkDocs after `--` (its help is MkDocs' English help, printed by MkDocs).

    Parsed in the site folder `root`, where MkDocs runs (run_mkdocs): click opens the file of -f and looks for the
    paths of -w there, and gongkai may have been started in a folder inside the site (find_root).

    MkDocs' option callbacks (-v, -q, --color) set up its logging on a `State` they create when the context has none:
    the `mkdocs` logger no longer propagating, a handler of its own, a level. The parse is given a State of a
    logger that no one else holds, so checking the arguments changes nothing in this process (a caller that goes on
    after the check, such as a test's in-process CliRunner, keeps its logging; MkDocs sets up its own when it runs)."""
    if not args or "-h" in args or "--help" in args:
        return None
    from mkdocs.__main__ import State, cli

    state = State.__new__(State)  # (State() would reconfigure the `mkdocs` logger)
    state.logger = logging.Logger("mkdocs")  # (not the registered one: logging.getLogger is not called)
    state.stream = logging.StreamHandler(io.StringIO())  # (the callbacks set its level and formatter)
    here = os.getcwd()
    if root.is_dir():  # (else run_mkdocs stops: no mkdocs.yml)
        os.chdir(root)
    try:
        # (MkDocs' subcommands take -h as --help, from its group's settings; a help asked for in a group of flags,
        # -vh, is printed by MkDocs itself: the parse here ends quietly, as MkDocs takes it)
        with contextlib.redirect_stdout(io.StringIO()), cli.commands[command].make_context(
                f"mkdocs {command}", list(args), help_option_names=["-h", "--help"], obj=state):
            pass
    except click.ClickException as exc:  # UsageError (NoSuchOption, BadParameter, MissingParameter …), FileError
        return exc.format_message()
    except click.exceptions.Exit:  # (the help option)
        return None
    finally:
        os.chdir(here)
    return None
