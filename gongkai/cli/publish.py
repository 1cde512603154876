"""`gongkai publish TARGET`: the built site to the web server's folder, verified and switched in one step
(gongkai/tools/deploy.py); `--rollback` switches back; `--list` shows the versions and the 发布记录."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai.build import manifest as mf
from gongkai.build.lock import BuildLock
from gongkai.build.outputcheck import withdrawn_paths
from gongkai.build.staging import manifest_path
from gongkai.cli.common import find_root, load_or_exit

SHOWN = 20  # paths listed per kind of change; the rest are counted


def _say(message: str) -> None:
    click.echo(message, err=True)


@click.command("publish", help="把生成好的网站（site/）发布到网站服务器的文件夹（目标文件夹）：先上传为新版本、逐个核对 SHA-256，"
                               "再一步切换，访问者不会看到新旧混杂的网站；保留最近几个版本供回退，并写入发布记录。"
                               "目标文件夹是本机路径或已挂载的共享文件夹，由网站服务器以它为网站根目录。")
@click.argument("target", metavar="目标文件夹", type=click.Path(path_type=Path))
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="生成好的网站文件夹（默认：站点目录下的 site/，清单为旁边的 site.manifest.json）")
@click.option("--keep", type=click.IntRange(min=1), default=5, show_default=True, help="保留最近几个版本（供回退）")
@click.option("--rollback", is_flag=True, help="回退到上一个版本（核对无误后切换）")
@click.option("--to", "to_version", metavar="版本", default=None, help="与 --rollback 一起用：回退到指定版本")
@click.option("--reviewer", default="", help="审核人（写入发布记录）")
@click.option("--note", default="", help="备注（写入发布记录）")
@click.option("--list", "list_only", is_flag=True, help="只列出已发布的版本和发布记录")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="站点目录（含 catalog/ 与 content/）；不写时从当前目录向上查找（--rollback、--list 不需要站点目录）")
def publish(target: Path, site_dir: Path | None, keep: int, rollback: bool, to_version: str | None, reviewer: str,
            note: str, list_only: bool, root: Path | None) -> None:
    from gongkai.build.withdrawn import removed_addresses
    from gongkai.tools import deploy

    if list_only:
        _list(target)
        return
    if to_version and not rollback:
        raise click.UsageError("--to 只能与 --rollback 一起使用")
    try:
        if rollback:
            report = deploy.rollback(target, to_version, reviewer=reviewer, note=note, say=_say)
        else:
            root = root if root is not None else find_root(Path.cwd())
            if root is None:
                click.echo(f"错误: 在当前目录 {Path.cwd()} 及其上级目录中都没有找到站点（含 catalog/ 的目录）："
                           "请到站点目录中运行，或用 --root 指定站点目录", err=True)
                sys.exit(2)
            site = site_dir if site_dir is not None else root / "site"
            deploy.refuse_preview(site, manifest_path(site))  # said first: no check of the inputs changes that
            cat = load_or_exit(root, hint="网站未通过校验（同 gongkai check），拒绝发布。",
                               outcome="未发布，线上网站保持不变")
            click.echo(f"校验通过：{len(cat.published_documents)} 份主动公开文件。")
            # no build may replace site/ while it is being copied
            lock = BuildLock(root / ".cache" / "gongkai")
            lock.acquire(wait=True, on_wait=_say)
            try:
                man_path = manifest_path(site)
                _source_notice(man_path)
                report = deploy.publish(site, man_path, target, keep=keep, reviewer=reviewer, note=note, say=_say,
                                        withdrawn=withdrawn_paths(cat), removed=removed_addresses(cat))
            finally:
                lock.release()
    except (deploy.DeployError, mf.ManifestError) as exc:
        click.echo(f"错误: {exc}", err=True)
        sys.exit(1)
    _print_report(report)


def _source_notice(man_path: Path) -> None:
    try:
        source = mf.load(man_path).meta.get("source") or {}
    except mf.ManifestError:
        return  # publish reports it
    if source.get("commit"):
        extra = "（生成时有未提交的改动）" if source.get("uncommitted") else ""
        click.echo(f"网站生成自 git 提交 {source['commit'][:12]}{extra}。")
    else:
        click.echo("网站不是在 git 仓库中生成的，发布记录中没有提交号。")


def _print_report(report) -> None:
    verb = "发布" if report.action == "publish" else "回退到"
    prev = f"（此前为 {report.previous}）" if report.previous else "（首次发布）"
    click.echo(f"已{verb}版本 {report.version}{prev}：{report.target}")
    ch = report.changes
    click.echo(f"变化：新增 {len(ch.added)} 个文件，修改 {len(ch.changed)} 个，删除 {len(ch.removed)} 个。")
    for label, paths in (("新增", ch.added), ("修改", ch.changed), ("删除", ch.removed)):
        for p in paths[:SHOWN]:
            reason = report.reasons.get(p)
            why = ""
            if reason is not None and reason.kind != "unknown":
                why = f"（{mf.KINDS.get(reason.kind, reason.kind)}{' ' + reason.ref if reason.ref else ''}）"
            click.echo(f"  {label} {p}{why}")
        if len(paths) > SHOWN:
            click.echo(f"  ……另有 {len(paths) - SHOWN} 个文件{label}")
    size = report.bytes / 1e6
    if report.action == "publish":
        click.echo(f"已核对 {report.files} 个文件（{size:.1f} MB）的 SHA-256，与清单一致"
                   f"（其中 {report.linked} 个未变的文件与上一版本共用）。")
    else:
        click.echo(f"已核对版本 {report.version} 的 {report.files} 个文件（{size:.1f} MB），与其清单一致。")
    if report.withdrawn_versions:
        click.echo(f"已删除含有已撤回信息的旧版本：{'、'.join(report.withdrawn_versions)}（不能再回退到这些版本）")
    if report.removed_versions:
        click.echo(f"已删除较早的版本：{'、'.join(report.removed_versions)}")
    click.echo(f"发布记录已写入 {report.target.name}.versions/publish-log.jsonl。")


def _list(target: Path) -> None:
    from gongkai.tools import deploy

    live = deploy.live_version(Path(target).absolute())
    found = deploy.versions(Path(target).absolute())
    if not found:
        click.echo(f"{target} 还没有用 gongkai publish 发布过的版本。")
        return
    click.echo("版本：")
    for v in found:
        click.echo(f"  {v.name}{'  ← 当前' if live and v.name == live.name else ''}")
    log = deploy.read_log(Path(target).absolute())
    if log:
        click.echo("发布记录：")
        for e in log:
            action = "发布" if e.get("action") == "publish" else "回退"
            commit = (e.get("commit") or "")[:12] or "无"
            who = e.get("user", "")
            if e.get("reviewer"):
                who += f"，审核人 {e['reviewer']}"
            click.echo(f"  {e.get('time')} {action} {e.get('version')}，{who}，提交 {commit}，"
                       f"新增 {e.get('added')}、修改 {e.get('changed')}、删除 {e.get('removed')}"
                       + (f"；{e['note']}" if e.get("note") else ""))
