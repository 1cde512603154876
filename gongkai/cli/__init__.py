"""The gongkai command line: check (and more subcommands as they are built)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from gongkai.cli import zh

zh.install()  # before any command is declared: click fills in some texts (--version's help) as they are
from gongkai.checks.privacy import Report, allowance_lines  # noqa: E402
from gongkai.cli.common import ROOT_OPTION, load_or_exit  # noqa: E402

# Material prints an English end-of-life banner when a MkDocs process imports it, unless this is set; the
# installed gongkai-env.pth sets it for every Python of the environment (setup.py), this covers a checkout run
# from PYTHONPATH or an editable install, for the `mkdocs build` that `gongkai withdraw` starts. A value the
# user set wins.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@click.group(help="gongkai：政府信息公开专栏静态网站生成器。", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gongkai", message="gongkai %(version)s")
def main() -> None:
    pass


@main.command(help="校验标准目录、文件和指南，不生成网站。")
@ROOT_OPTION
def check(root: Path) -> None:
    from gongkai.load.mkdocsyml import mkdocs_yml_problems

    # MkDocs would stop at mkdocs.yml before gongkai runs; check builds nothing, so it does not say it stopped a build
    cat = load_or_exit(root, also=mkdocs_yml_problems(root), outcome="校验未通过（check 只校验，不生成网站）")
    if isinstance(cat.privacy, Report):  # 保密审查: every allowed publication of personal data, one line each
        for line in allowance_lines(cat.privacy):
            click.echo(line)
    cols = sum(1 for _ in cat.columns())
    orphans = len(cat.publication.orphans) if cat.publication is not None else 0
    click.echo(f"校验通过：{cols} 个栏目，{len(cat.documents)} 份文件（其中主动公开 {len(cat.published_documents)} 份），"
               f"{len(cat.warnings)} 条警告" + (f"（其中 {orphans} 个文件未被引用，不会发布）" if orphans else "")
               + (f"，{len(cat.todos)} 项待办" if cat.todos else "") + "。")


@main.command(help="把 YAML 文件的 JSON Schema 写入 schemas/，供编辑器自动补全和检查。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
def schemas(out: Path) -> None:
    from gongkai.tools.schemas import write_all

    for path in write_all(out):
        click.echo(f"已写入 {path}")


from gongkai.cli.assign import assign  # noqa: E402  (索引号)

main.add_command(assign)

from gongkai.cli.structure import register as register_structure_commands  # noqa: E402  (diff, lock, inspect, import)

register_structure_commands(main)

from gongkai.cli.preview import preview_command  # noqa: E402  (栏目调整方案预览)

main.add_command(preview_command)

from gongkai.cli.posters import posters  # noqa: E402  (主题服务包海报)

main.add_command(posters)

from gongkai.cli.report import report  # noqa: E402  (政府信息公开工作年度报告)

main.add_command(report)

from gongkai.cli.new import new_command  # noqa: E402  (新建网站)
from gongkai.cli.standard import standard  # noqa: E402  (基层政务公开标准目录)

main.add_command(new_command)
main.add_command(standard)

from gongkai.cli.withdraw import withdraw_command  # noqa: E402  (撤回)

main.add_command(withdraw_command)

from gongkai.cli.publish import publish  # noqa: E402  (发布到网站服务器)

main.add_command(publish)

from gongkai.cli.build import build_command, serve_command  # noqa: E402  (mkdocs build/serve after mkdocs.yml is checked)

main.add_command(build_command)
main.add_command(serve_command)

zh.localize(main)  # Chinese placeholders in every command's usage line and option list


if __name__ == "__main__":  # pragma: no cover
    main()
