"""`gongkai assign`: write missing 索引号 into the documents' front matter (one inserted line each)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gongkai.checks.indexno import plan_assignments, source_path
from gongkai.cli.common import ROOT_OPTION, load_or_exit
from gongkai.tools.fmedit import FrontMatterEditError, insert_field


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".gongkai-tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


@click.command(help="为还没有索引号的文件生成索引号（机构代码/年份-五位序号），写入各文件的 front matter。"
                    "已有的索引号不会改变。")
@ROOT_OPTION
@click.option("--dry-run", is_flag=True, help="只列出将要生成的索引号，不修改文件")
def assign(root: Path, dry_run: bool) -> None:
    cat = load_or_exit(root, hint="请先改正以上错误，再生成索引号。", show_warnings=False,
                       outcome="未生成索引号，未修改任何文件")
    plan = plan_assignments(cat)
    if not plan:
        click.echo("所有文件都已有索引号，无需生成。")
        return
    # Prepare every edit first: if one file cannot be edited safely, nothing is written.
    edits: list[tuple[Path, str, str]] = []
    failed: list[str] = []
    for doc, number in plan:
        path = source_path(cat, doc)
        try:
            text = path.read_bytes().decode("utf-8")  # keep CRLF line endings as they are
            edits.append((path, insert_field(text, "index_no", number), number))
        except (OSError, FrontMatterEditError) as exc:
            failed.append(f"  {doc.source.file}: 错误: 字段「index_no」：{exc}")
    if failed:
        click.echo("以下文件无法自动写入索引号，未修改任何文件：\n" + "\n".join(failed), err=True)
        sys.exit(1)
    for path, new_text, number in edits:
        rel = path.relative_to(cat.root_dir).as_posix()
        click.echo(f"{rel}: {number}")
        if not dry_run:
            _write_atomic(path, new_text)
    verb = "将生成" if dry_run else "已生成"
    click.echo(f"{verb} {len(edits)} 个索引号。" + ("" if dry_run else "请检查后提交（索引号一经公布不再改变）。"))
