"""`gongkai report …`: annual reports (政府信息公开工作年度报告)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gongkai.cli.common import ROOT_OPTION, load_or_exit

if TYPE_CHECKING:
    from gongkai.annual_report import Report


@click.group(help="政府信息公开工作年度报告：生成骨架、汇总。")
def report() -> None:
    pass


@report.command("new", help="生成该年度报告的骨架 content/reports/年份.yml，自动填入本站已知的数字。")
@click.argument("year", metavar="年份", type=click.IntRange(2000, 2999))
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


def _reports_of(source: Path, year: int, day: dt.date) -> tuple[Report | None, str]:
    """The report of `year` from a site (a folder with catalog/), a folder of report files, or one report file:
    (report, "") when it passes its own checks, else (None, why)."""
    from gongkai.checks.reports import check_reports
    from gongkai.errors import GongkaiError, Problems
    from gongkai.load.loader import load_catalogue
    from gongkai.load.reports import load_report

    if (source / "catalog").is_dir():
        try:
            reports = load_catalogue(source, day).reports
        except GongkaiError as exc:
            return None, exc.report()
    else:
        problems = Problems()
        files = sorted(source.glob("*.yml")) if source.is_dir() else [source]
        base = source if source.is_dir() else source.parent
        reports = [r for f in files if (r := load_report(base, f, problems)) is not None]
        check_reports(reports, [], problems)
        try:
            problems.raise_if_errors()
        except GongkaiError as exc:
            return None, exc.report()
    found = [r for r in reports if r.year == year]
    if not found:
        return None, f"没有 {year} 年的年度报告"
    return found[0], ""


@report.command("merge", help="把多个单位同一年度的报告逐格相加，得到全区（市）汇总表；任何一份未通过校验都不汇总。"
                              "来源：站点目录、报告文件夹或报告文件，可写多个。")
@click.argument("sources", metavar="来源...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--year", type=click.IntRange(2000, 2999), required=True, help="报告年度")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json", "csv"]), default="yaml", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="写入文件（默认输出到屏幕）")
def merge(sources: tuple[Path, ...], year: int, fmt: str, out: Path | None) -> None:
    import json

    from gongkai.build.report_data import merge_reports, report_csv, report_dict, report_yaml
    from gongkai.load.loader import build_date_from_env

    day = build_date_from_env()
    reports: list[Report] = []
    refused: list[str] = []
    for source in sources:
        rep, why = _reports_of(source, year, day)
        if rep is None:
            refused.append(f"{source}：{why}")
        else:
            reports.append(rep)
    if refused:
        click.echo(f"错误: 以下 {len(refused)} 份报告未通过校验或缺失，不能汇总：", err=True)
        for line in refused:
            click.echo(line, err=True)
        sys.exit(1)
    total = merge_reports(reports)
    if fmt == "json":
        text = json.dumps(report_dict(total), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "csv":
        text = report_csv([total])
    else:
        names = "、".join(str(s) for s in sources)
        text = report_yaml(total, f"{year} 年政府信息公开工作年度报告汇总（gongkai report merge），{len(reports)} 个单位：{names}")
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"已写入 {out}：{len(reports)} 个单位的 {year} 年度报告汇总", err=True)
