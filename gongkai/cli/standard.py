"""`gongkai standard list|add`: the national 基层政务公开标准目录 gongkai ships, and adding one to a site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai.cli.common import ROOT_OPTION
from gongkai.errors import GongkaiError
from gongkai.load.builddate import build_date_from_env
from gongkai.standards import PARTIAL_HINT, available, load_standard, partial_domains


def split_domains(value: str) -> list[str]:
    """「社会救助,养老服务」「社会救助，养老服务」「社会救助 养老服务」: each 领域 once, in order."""
    parts = [p.strip() for p in value.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")]
    return list(dict.fromkeys(p for p in parts if p))


def domain_problem(domains: list[str]) -> str | None:
    unknown = [d for d in domains if d not in available()]
    if not domains:
        return "没有写领域"
    if unknown:
        return f"gongkai 没有「{'、'.join(unknown)}」领域的标准目录，可选：{'、'.join(available())}"
    return None


@click.group("standard", help="基层政务公开标准目录（国务院部门制定、gongkai 随附）：查看，或添加到本网站的标准目录。")
@click.help_option("--help", "-h", help="显示本说明并退出")
def standard() -> None:
    pass


@standard.command("list", help="列出 gongkai 随附的各领域标准目录、来源和事项数。")
@click.help_option("--help", "-h", help="显示本说明并退出")
def list_command() -> None:
    from gongkai.errors import Problems

    problems = Problems()
    for domain in available():
        std = load_standard(domain, problems)
        if std is None:
            continue
        count = f"{len(std.items)} 项" if std.complete else f"已收录 {len(std.items)} 项（原表行数未能核对，不完整）"
        click.echo(f"{domain}：{std.title}（{std.number}，{std.date}），{count}")
        for item in std.items:
            click.echo(f"  {item.id}  {item.title}")
    for p in problems.errors:  # a shipped file that does not read: the installation is broken
        click.echo(p.format(), err=True)
    if problems.errors:
        sys.exit(1)


@standard.command("add", help="把领域的标准目录加入本网站：每个标准事项一个栏目（含公开事项和 implements），"
                  "并在 catalog/site.yml 中声明；已有栏目落实的事项不重复添加。可同时写多个领域，如：社会救助 养老服务")
@click.argument("domains", nargs=-1, metavar="领域…")
@ROOT_OPTION
@click.help_option("--help", "-h", help="显示本说明并退出")
def add_command(domains: tuple[str, ...], root: Path) -> None:
    from gongkai.tools.standard_add import StandardAddError, add_to_site

    wanted = split_domains(",".join(domains))
    reason = domain_problem(wanted)
    if reason:
        click.echo(f"错误：{reason}。例如：gongkai standard add 社会救助", err=True)
        sys.exit(2)
    try:
        added = add_to_site(root, wanted, build_date_from_env())
    except (StandardAddError, GongkaiError) as exc:
        click.echo(exc.report() if isinstance(exc, GongkaiError) else str(exc), err=True)
        sys.exit(1)
    if not added.items and not added.domains:
        click.echo(f"未作修改：本网站已声明{'、'.join(wanted)}，各事项都已有栏目落实。")
        return
    if added.items:
        click.echo(f"已在 catalog/columns.yml 中添加 {added.columns} 个栏目，落实 {len(added.items)} 个标准事项："
                   + "、".join(added.items))
    if added.lock is not None and added.new_ids:
        click.echo(f"已在 catalog/urls.lock.yml 中记录新栏目的 {len(added.new_ids)} 个地址")
    if added.skipped:
        click.echo(f"已有栏目落实、未重复添加的事项：{'、'.join(added.skipped)}")
    if added.domains:
        click.echo(f"已在 catalog/site.yml 中声明 standards：{'、'.join(added.domains)}")
    if added.items and (partial := partial_domains(wanted)):
        click.echo(f"注意：{'、'.join(partial)}{PARTIAL_HINT}。")
    click.echo("请按本机关实际修改新栏目的负责科室、栏目类型和公开渠道；运行 gongkai inspect 查看落实情况。")
