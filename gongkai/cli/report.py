"""`gongkai report …`: annual reports (政府信息公开工作年度报告)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai.cli.common import ROOT_OPTION, load_or_exit


@click.group(help="政府信息公开工作年度报告：生成骨架、汇总。")
def report() -> None:
    pass


@report.command("new", help="生成 YEAR 年度报告的骨架 content/reports/YEAR.yml，自动填入本站已知的数字。")
@click.argument("year", type=click.IntRange(2000, 2999))
@ROOT_OPTION
def new(year: int, root: Path) -> None:
    from gongkai.tools.report_skeleton import skeleton

    path = root / "content" / "reports" / f"{year}.yml"
    if path.exists():
        click.echo(f"错误: {path.relative_to(root).as_posix()} 已存在，不覆盖", err=True)
        sys.exit(1)
    cat = load_or_exit(root, show_warnings=False)
    text = skeleton(cat, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    click.echo(f"已写入 {path.relative_to(root).as_posix()}：已按本站文件填入第二十条第（一）项行政规范性文件的件数，"
               "按上年报告填入上年结转；请填写其余数字和一、五、六部分，再运行 gongkai check 核对"
               "（填完之前，有上年结转时 gongkai check 会报告勾稽关系不符）。")
