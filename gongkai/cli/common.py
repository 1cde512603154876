"""What every gongkai command shares: the --root option and loading the catalogue or stopping."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gongkai.errors import GongkaiError
from gongkai.load.loader import build_date_from_env, load_catalogue
from gongkai.model import Catalogue

ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
                           help="站点目录（含 catalog/ 与 content/）")


def load_or_exit(root: Path, day: dt.date | None = None, *, code: int = 1, hint: str = "",
                 show_warnings: bool = True) -> Catalogue:
    """Load and validate the site; on errors print them all (in Chinese) and exit with `code`."""
    try:
        cat = load_catalogue(root, day or build_date_from_env())
    except GongkaiError as exc:
        click.echo(exc.report(), err=True)
        if hint:
            click.echo(hint, err=True)
        sys.exit(code)
    if show_warnings:
        for w in cat.warnings:
            click.echo(w.format(), err=True)
    return cat
