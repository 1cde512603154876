"""What every gongkai command shares: the --root option and loading the catalogue or stopping."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gongkai.errors import STOPPED, GongkaiError, Problem
from gongkai.load.builddate import build_date_from_env
from gongkai.load.loader import load_catalogue
from gongkai.model import Catalogue


def is_site_root(folder: Path) -> bool:
    """A site keeps its catalogue in catalog/ (site.yml, columns.yml …)."""
    return (folder / "catalog").is_dir()


def find_root(start: Path) -> Path | None:
    """The site folder at or above `start` (like git finds its repository): a clerk in catalog/ or content/documents/2024/
    runs `gongkai check` there and means the site it belongs to."""
    start = start.resolve()
    return next((d for d in (start, *start.parents) if is_site_root(d)), None)


def _resolve_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    if value is not None:
        return value
    found = find_root(Path.cwd())
    if found is None:
        click.echo(f"错误: 在当前目录 {Path.cwd()} 及其上级目录中都没有找到站点（含 catalog/ 的目录）："
                   "请到站点目录中运行，或用 --root 指定站点目录", err=True)
        ctx.exit(2)
    return found


ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None, callback=_resolve_root,
                           help="站点目录（含 catalog/ 与 content/）；不写时从当前目录向上查找")


def load_or_exit(root: Path, day: dt.date | None = None, *, code: int = 1, hint: str = "",
                 show_warnings: bool = True, also: list[Problem] | None = None, outcome: str = STOPPED) -> Catalogue:
    """Load and validate the site; on errors print them all (in Chinese) and exit with `code`.
    also: errors found outside the loader (mkdocs.yml), reported first and together with the loader's.
    outcome: what the errors made the command do, said after their count (GongkaiError.report)."""
    also = also or []
    try:
        cat = load_catalogue(root, day or build_date_from_env())
    except GongkaiError as exc:
        click.echo(GongkaiError([*also, *exc.problems], ordered=True).report(outcome), err=True)
        if hint:
            click.echo(hint, err=True)
        sys.exit(code)
    if also:
        click.echo(GongkaiError(also).report(outcome), err=True)
        if hint:
            click.echo(hint, err=True)
        sys.exit(code)
    if show_warnings:
        for w in [*cat.warnings, *cat.todos]:
            click.echo(w.format(), err=True)
    return cat
