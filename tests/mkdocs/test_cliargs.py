"""gongkai/mkdocs/cliargs.py: MkDocs' command line checked by MkDocs' own parser, without side effects."""

from __future__ import annotations

import logging
from pathlib import Path

import gongkai.cli  # noqa: F401  (zh.install, before MkDocs' options are declared, as in gongkai's own process)
from gongkai.mkdocs.cliargs import usage_error


def test_checking_the_arguments_leaves_mkdocs_logging_as_it_was(tmp_path: Path):
    """MkDocs' -v/-q/--color callbacks configure the `mkdocs` logger (no propagation, a handler, a level) on a State
    they create: a check in a process that goes on (a test's CliRunner) would silence every later MkDocs warning for
    pytest's caplog. The check's own State keeps the process's loggers untouched."""
    logger = logging.getLogger("mkdocs")
    before = (logger.propagate, list(logger.handlers), logger.level)
    for args in (("-v",), ("-q",), ("--color",), ("--no-color", "-v"), ("--foo",)):
        usage_error("build", args, tmp_path)
        assert (logger.propagate, list(logger.handlers), logger.level) == before, args


def test_what_mkdocs_refuses_is_refused_and_what_it_takes_is_not(tmp_path: Path):
    assert usage_error("build", ("-v", "--dirty", "-d", "out"), tmp_path) is None
    refusal = usage_error("build", ("--foo",), tmp_path)
    assert refusal is not None and "--foo" in refusal
    assert usage_error("serve", ("-d", "out"), tmp_path) is not None  # (mkdocs serve has no -d)
    assert usage_error("build", (), tmp_path) is None
