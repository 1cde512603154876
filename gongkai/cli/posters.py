"""`gongkai posters`: print-ready PDF posters of the themed service packages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai.cli.common import ROOT_OPTION, load_or_exit
from gongkai.typeset import SIZES


@click.command(help="生成主题服务包海报（PDF，可直接打印张贴）：每个服务包一份，另有一份合集。"
                    "不写服务包标识时生成全部服务包。")
@click.argument("ids", nargs=-1, metavar="[服务包标识 ...]")
@click.option("--size", "paper", type=click.Choice(list(SIZES), case_sensitive=False), default="A4", show_default=True,
              help="纸张尺寸")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("posters"), show_default=True,
              help="输出目录")
@ROOT_OPTION
def posters(ids: tuple[str, ...], paper: str, out: Path, root: Path) -> None:
    from gongkai.build.posters import PosterError, write_posters  # reportlab: only for this command

    cat = load_or_exit(root, show_warnings=False)
    try:
        written = write_posters(cat, out, paper.upper(), list(ids))
    except PosterError as exc:
        click.echo(f"错误: {exc}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(f"已生成 {path}")
    if written:
        click.echo(f"共 {len(written) - 1} 个主题服务包的 {paper.upper()} 海报，另有合集 {written[-1].name}；"
                   f"制作日期 {cat.build_date.isoformat()}。")
    blocked = [p for p in cat.packages if not p.printable and (not ids or p.id in ids)]
    for pkg in blocked:
        for reason in pkg.poster_blocked:
            click.echo(f"错误: {reason}", err=True)
    if blocked:
        click.echo(f"有 {len(blocked)} 个主题服务包的海报没有生成（见上）。", err=True)
        sys.exit(1)
