"""`gongkai withdraw ID --reason …`: 撤回 a published document (see gongkai/tools/withdraw.py)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import click

from gongkai.cli.common import ROOT_OPTION, load_or_exit
from gongkai.load.builddate import build_date_from_env
from gongkai.load.mkdocsyml import mkdocs_yml_problems
from gongkai.load.withdrawals import WITHDRAWALS_REL
from gongkai.model import Catalogue, GoneAddress, Withdrawal


@click.command("withdraw", help="撤回已发布的文件：写入撤回记录 catalog/withdrawals.yml（经办人、日期、原因），"
               "立即从 site/ 和 .cache/gongkai/ 清除该文件的页面和附件，然后重新生成网站；原地址显示“该信息已撤回”。")
@click.argument("doc_id", metavar="文件标识")
@click.option("--reason", required=True, help="撤回原因（记入撤回记录，不在网站上显示）")
@click.option("--personal-data", is_flag=True, help="因含个人信息撤回：撤回提示页不显示标题")
@click.option("--by", "person", default=None, help="经办人（默认取 git 的 user.name）")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD", help="撤回日期（默认今天，或环境变量 GONGKAI_BUILD_DATE）")
@click.option("--no-build", is_flag=True, help="只记录和清除，不重新生成网站（之后请运行 gongkai build）")
@ROOT_OPTION
def withdraw_command(doc_id: str, reason: str, personal_data: bool, person: str | None, day: str | None,
                     no_build: bool, root: Path) -> None:
    from gongkai.tools.withdraw import default_person, follow_ups, make_withdrawal, withdraw

    try:
        when = dt.date.fromisoformat(day) if day else build_date_from_env()
    except ValueError:
        raise click.BadParameter(f"「{day}」不是有效日期，应写作 YYYY-MM-DD", param_hint="--date") from None
    if not reason.strip():
        raise click.BadParameter("请写明撤回原因", param_hint="--reason")
    root = root.resolve()
    cat = load_or_exit(root, when, code=2, show_warnings=False, outcome="未撤回，未修改任何文件",
                       hint="请先改正上面的错误再撤回；如情况紧急，可先删除该文件的 Markdown 文件并重新生成网站。")
    previous = next((w for w in cat.withdrawals if w.id == doc_id), None)
    if previous is not None:
        click.echo(f"文件「{doc_id}」已于 {previous.date.isoformat()} 撤回（{WITHDRAWALS_REL} 第 {previous.line} 行），无需再次撤回。")
        return
    doc = cat.document(doc_id)
    gone = next((g for g in cat.gone if g.id == doc_id), None)
    if doc is None and gone is not None:
        _withdraw_gone(root, cat, gone, when, reason, personal_data, person, no_build)
        return
    if doc is None:
        _not_an_id(cat, doc_id, reason, personal_data, person, day, no_build, root)
        sys.exit(2)
    if not doc.is_public:
        click.echo(f"提示：文件「{doc_id}」的公开属性是「{doc.disclosure}」，本来就不在网站上；仍记录撤回并清除可能残留的副本。")
    w = make_withdrawal(doc, when, reason, personal_data, person if person is not None else default_person(root))
    purge = withdraw(root, cat, doc, w)
    click.echo(f"已记录撤回：{doc_id}「{'（含个人信息，不显示标题）' if personal_data else doc.title}」，"
               f"{when.isoformat()}，经办人 {w.by or '未填写'}，原因：{w.reason}（{WITHDRAWALS_REL}）")
    click.echo(f"已从 site/ 清除 {len(purge.site_files)} 个文件（页面改为“该信息已撤回”），"
               f"从 .cache/gongkai/ 清除 {purge.cache_files} 个文件和 {purge.memo_entries} 条缓存记录。")
    for line in follow_ups(cat, doc):
        click.echo(line, err=True)
    if no_build or not (root / "mkdocs.yml").is_file():
        click.echo("请运行 gongkai build 重新生成网站（栏目列表、订阅、数据导出和搜索索引中仍有该文件），并提交 "
                   f"{WITHDRAWALS_REL}。")
        return
    _rebuild(root)


def _not_an_id(cat: Catalogue, text: str, reason: str, personal_data: bool, person: str | None, day: str | None,
               no_build: bool, root: Path) -> None:
    """The message for a text that is no document's id: the documents it names instead (a 文号 copied from the
    paper, an 索引号, the title, the file name), each with its id and the command to withdraw it."""
    from gongkai.tools.withdraw import matches

    found = matches(cat, text)
    if not found:
        click.echo(f"错误：没有文件标识为「{text}」的文件，也没有文号、索引号、标题或文件名是「{text}」的文件。文件标识是 "
                   "content/documents/ 中的文件名（不含 .md）；以中文命名、没有写 id 的文件，标识是它的网址 "
                   "documents/标识.html 中的那一段，见 catalog/urls.lock.yml", err=True)
        return
    lines = [f"错误：「{text}」不是文件标识。{found[0].by}为「{text}」的文件是：" if len(found) == 1 else
             f"错误：「{text}」不是文件标识。与它相符的文件有 {len(found)} 份："]
    lines += [f"  {m.id}　「{m.title}」（{m.file}{'' if len(found) == 1 else '，' + m.by + '相符'}）" for m in found]
    # the same command with the id in place of the text: the clerk copies it after checking the title
    options = ["--reason", _arg(reason)] + (["--personal-data"] if personal_data else []) + \
        (["--by", _arg(person)] if person is not None else []) + (["--date", _arg(day)] if day else []) + \
        (["--no-build"] if no_build else [])
    where = [] if Path.cwd().resolve().is_relative_to(root) else ["--root", _arg(str(root))]
    if len(found) == 1:
        lines.append("核对标题无误后，用文件标识撤回：")
    else:
        lines.append("核对标题后，用要撤回的那一份的文件标识运行，例如：")
    lines.append("  " + " ".join(["gongkai", "withdraw", found[0].id, *options, *where]))
    click.echo("\n".join(lines), err=True)


def _arg(text: str) -> str:
    """One argument as typed in a shell: bare when plain, else in double quotes (bash, PowerShell and cmd.exe alike)."""
    if re.fullmatch(r"[^\s\"'$`\\;&|<>()*?!#%^]+", text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def _rebuild(root: Path) -> None:
    config = mkdocs_yml_problems(root)  # MkDocs would stop at mkdocs.yml, in English, before gongkai runs
    if config:
        for problem in config:
            click.echo(problem.format(), err=True)
        click.echo("网站没有重新生成：mkdocs.yml 有格式错误（见上）。文件页面和附件已撤下；请改正 mkdocs.yml 后运行 gongkai build，"
                   f"把该文件从栏目列表、订阅、数据导出和搜索索引中撤下，并提交 {WITHDRAWALS_REL}。", err=True)
        sys.exit(1)
    click.echo("正在重新生成网站……")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=dict(os.environ))
    if result.returncode != 0:
        click.echo("网站没有重新生成（见上面的错误）：文件页面和附件已撤下，但栏目列表、订阅、数据导出和搜索索引中仍有该文件的条目。"
                   "请改正错误（例如从主题服务包的政策依据中删除该文件）后运行 gongkai build。", err=True)
        sys.exit(1)
    click.echo(f"网站已重新生成，该文件已从全部页面、列表、订阅、数据导出和搜索索引中撤下。请提交 {WITHDRAWALS_REL}。")


def _withdraw_gone(root: Path, cat: Catalogue, gone: GoneAddress, when: dt.date, reason: str, personal_data: bool, person: str | None,
                   no_build: bool) -> None:
    """撤回 of a recorded address whose file was deleted (its old address shows 「该信息已移除」)."""
    from gongkai.tools.withdraw import default_person, withdraw_gone

    if gone.target is not None and gone.target.is_public:
        click.echo(f"错误：地址 {gone.href} 的文件现在发布在 {gone.target.href}（{gone.target.source.file}），旧地址跳转到那里。"
                   f"若要撤回这份文件，请运行 gongkai withdraw {gone.target.id} --reason 撤回原因", err=True)
        sys.exit(2)
    by = person if person is not None else default_person(root)
    w = Withdrawal(gone.id, when, reason.strip(), personal_data, by.strip(), gone.title, gone.index_no)
    purge = withdraw_gone(root, cat, gone, w)
    click.echo(f"已记录撤回：{gone.id}「{'（含个人信息，不显示标题）' if personal_data else gone.title}」（文件 {gone.file} "
               f"已删除），{when.isoformat()}，经办人 {w.by or '未填写'}，原因：{w.reason}（{WITHDRAWALS_REL}）")
    if purge.site_files:
        click.echo(f"site/{gone.href} 已改为“该信息已撤回”。")
    if no_build or not (root / "mkdocs.yml").is_file():
        click.echo(f"请运行 gongkai build 重新生成网站，并提交 {WITHDRAWALS_REL}。")
        return
    _rebuild(root)
