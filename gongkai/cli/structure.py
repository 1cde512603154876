"""CLI commands for structure changes and inspection: diff, lock, inspect, import (registered in cli.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gongkai.cli.common import ROOT_OPTION, load_or_exit
from gongkai.errors import GongkaiError, Problem, Problems
from gongkai.load import urlrecord
from gongkai.load.columns import column_index, load_columns
from gongkai.model import Column, Document

if TYPE_CHECKING:
    from gongkai.tools.carryover import Kept
    from gongkai.tools.importer import ImportResult


def _fail(exc: GongkaiError, code: int = 2) -> None:
    click.echo(exc.report(), err=True)
    sys.exit(code)


@click.command("diff", help="比较两个版本的标准目录：新增、撤销、改名、移动的栏目，更新频率和负责科室的变化。"
               "旧版本、新版本可以是 git 版本（如 HEAD~1、main）、网站文件夹或 columns.yml 文件路径。"
               "--format html 生成可打印、可报批的栏目调整方案（调整理由写在 catalog/changes.yml），"
               "并检查调整是否符合规则：有不符合规则的调整时退出码为 1。")
@click.argument("old", metavar="旧版本")
@click.argument("new", default="catalog/columns.yml", metavar="[新版本]")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="写入文件（默认输出到屏幕）")
@ROOT_OPTION
def diff_command(old: str, new: str, fmt: str, output: Path | None, root: Path) -> None:
    from gongkai.tools.diff import diff_specs, format_text

    if fmt == "html":
        _proposal(old, new, output, root)
        return
    try:
        result = diff_specs(old, new, root)
    except GongkaiError as exc:
        _fail(exc)
        return
    if fmt == "json":
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = format_text(result)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"已写入 {output}", err=True)


def _proposal(old: str, new: str, output: Path | None, root: Path) -> None:
    """gongkai diff --format html: the 栏目调整方案 (gongkai/tools/proposal.py)."""
    from gongkai.load.builddate import build_date_from_env
    from gongkai.tools import proposal

    try:
        report = proposal.build_proposal(old, new, root, build_date_from_env())
    except GongkaiError as exc:
        _fail(exc)
        return
    text = proposal.format_html(report)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)  # never a half-written report
        click.echo(f"已写入栏目调整方案 {output}：{len(report.rows)} 项调整。", err=True)
    click.echo(proposal.format_text(report), err=True, nl=False)
    if report.breaks:
        sys.exit(1)


def _parse_renames(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        old, sep, new = v.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"「{v}」应写作 旧标识=新标识，例如 gzdt=gztj", param_hint="--rename")
        out[old.strip()] = new.strip()
    return out


@click.command("lock", help="更新地址记录 catalog/urls.lock.yml：记下当前每个栏目的地址。"
               "栏目移动或改名后，旧地址据此跳转到新地址。")
@click.option("--rename", "renames", multiple=True, metavar="旧标识=新标识",
              help="没有设置 id 的栏目改名后地址变了：让记录中旧标识的地址跳转到新栏目（可重复）")
@click.option("--check", "check_only", is_flag=True, help="只检查，不写入；记录需要更新时退出码为 1")
@ROOT_OPTION
def lock_command(renames: tuple[str, ...], check_only: bool, root: Path) -> None:
    mapping = _parse_renames(renames)
    problems = Problems()
    roots = load_columns(root, problems)
    record = urlrecord.read_record(root, problems)
    if problems.errors:
        _fail(GongkaiError(problems.items))
        return
    old = None if record is None else record.urls
    documents, id_errors, org_code, unread = _documents_for_lock(root, roots, record)
    if id_errors:
        _fail(GongkaiError(id_errors))
        return
    if unread:  # recorded later, once corrected: said, or the clerk believes every address is on record
        click.echo(f"提示：{len(unread)} 个文件有错误，没有记下它们的地址（改正后再运行一次 gongkai lock）：", err=True)
        for problem in unread:
            click.echo("  " + problem.format(), err=True)
    doc_entries, doc_added = urlrecord.update_documents([] if record is None else record.documents, documents, org_code)
    upd = urlrecord.update_record(old or [], roots, mapping)
    index = column_index(roots)
    for src, dst, n in upd.renamed:
        if n and len(index.get(dst, [])) != 1:
            click.echo(f"错误：--rename {src}={dst}：当前目录中没有唯一的栏目「{dst}」", err=True)
            sys.exit(2)
    for src in upd.unknown_renames:
        click.echo(f"错误：--rename：地址记录中没有栏目标识「{src}」", err=True)
        sys.exit(2)
    text = urlrecord.dump_record(upd.entries, doc_entries)
    path = urlrecord.lock_path(root)
    LOCK_REL = urlrecord.LOCK_REL
    current = path.read_text(encoding="utf-8") if path.exists() else None
    for e in upd.added[:20]:
        click.echo(f"新增地址：{e.url}（{e.name}）")
    if len(upd.added) > 20:
        click.echo(f"……另有 {len(upd.added) - 20} 个新增地址")
    for d in doc_added[:20]:
        click.echo(f"新增文件地址：{d.url}（{d.file}）")
    if len(doc_added) > 20:
        click.echo(f"……另有 {len(doc_added) - 20} 个新增文件地址")
    for src, dst, n in upd.renamed:
        click.echo(f"改名：{n} 个地址从「{src}」改为跳转到「{dst}」")
    for e in upd.withdrawn:
        click.echo(f"已撤销：{e.url}（{e.name}，栏目标识 {e.column}）将显示“本栏目已撤销”；"
                   f"若栏目只是改了名，运行 gongkai lock --rename {e.column}=新标识")
    if check_only:
        if current != text:
            click.echo(f"{LOCK_REL} 需要更新：请运行 gongkai lock 并提交。", err=True)
            sys.exit(1)
        click.echo(f"{LOCK_REL} 已是最新，共 {len(upd.entries)} 个地址。")
        return
    if current == text:
        click.echo(f"{LOCK_REL} 已是最新，共 {len(upd.entries)} 个地址。")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    docs_part = f"，{len(doc_entries)} 个文件地址（新增 {len(doc_added)} 个）" if doc_entries else ""
    click.echo(f"已写入 {LOCK_REL}：共 {len(upd.entries)} 个栏目地址（新增 {len(upd.added)} 个）{docs_part}。请提交到 git。")


def _documents_for_lock(root: Path, roots: list[Column],
                        record: urlrecord.UrlRecord | None) -> tuple[list[Document], list[Problem], str, list[Problem]]:
    """The documents with their ids (automatic ones resolved against the record), the errors about ids, the
    org code (ids `import-docs` made from this bureau's 索引号 are recorded like automatic ones), and the first error
    of each document file that gets no address: one that could not be read at all, and one whose automatic id is
    made from a field with an error (a 发布日期 of 2026-13-01 made the year 1970: the record would keep
    documents/1970-….html for good, as it keeps every recorded address when the date is corrected).

    Only id problems stop `gongkai lock`: an address is recorded for every other document, whatever else is wrong
    in it (`gongkai check` reports that)."""
    from gongkai.load.docids import FROM_INDEX, FROM_TITLE, ID_SOURCE_FIELDS
    from gongkai.load.documents import load_documents
    from gongkai.load.site import load_site

    problems = Problems()
    site = load_site(root, problems)
    documents = load_documents(root, site, roots, problems, record=None if record is None else record.documents)
    made = {d.source.file for d in documents if d.id_from in (FROM_INDEX, FROM_TITLE)}  # (not yet recorded)
    loaded = {d.source.file for d in documents}
    unread: dict[str, Problem] = {}
    for p in problems.errors:
        if p.file.startswith("content/documents/") and p.file.endswith(".md") and (
                p.file not in loaded or (p.file in made and p.field in ID_SOURCE_FIELDS)):
            unread.setdefault(p.file, p)
    documents = [d for d in documents if d.source.file not in unread]
    return documents, [p for p in problems.errors if p.field == "id"], site.org_code, list(unread.values())


@click.command("import", help="把已有的栏目表或标准目录（.csv 或 .xlsx，表头含 一级栏目/二级栏目/三级栏目/更新频率/负责科室，"
               "或 一级事项/二级事项/公开内容/公开依据/公开时限/公开主体/公开渠道和载体 等）导入为标准目录 columns.yml。"
               "空单元格和合并单元格表示“同上”。标准目录页下载的 catalogue.xlsx/.csv 可原样导回（公开事项、对应标准事项、栏目地址）。")
@click.argument("table", metavar="栏目表", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入的文件，如 catalog/columns.yml（默认输出到屏幕）；已有文件先备份为 .bak，导入有错误时不覆盖")
@click.option("--sheet", default=None, help="Excel 工作表名称（默认第一个工作表）")
def import_command(table: Path, output: Path | None, sheet: str | None) -> None:
    from gongkai.tools.importer import TableError, import_table, sheet_names, to_yaml
    from gongkai.tools.new import table_notes

    try:
        result = import_table(table, sheet)
    except TableError as exc:
        click.echo(f"{table.name}: 错误: {exc}", err=True)
        sys.exit(2)
    sheets = sheet_names(table)
    if sheet is None and len(sheets) > 1 and not result.sheet:
        click.echo(f"提示：{table.name} 有 {len(sheets)} 个工作表（{'、'.join(sheets)}），只导入了第一个「{sheets[0]}」；"
                   "导入其他工作表请加 --sheet 工作表名称", err=True)
    kept = _keep_from_existing(output, result) if output is not None and not result.errors else None
    text = to_yaml(result, table.name)
    for p in result.problems:
        click.echo(p.format(), err=True)
    errors = result.errors
    if output is None:
        click.echo(text, nl=False)
        if result.standards:
            click.echo(f"提示：表中的对应标准事项属于基层政务公开标准目录的「{'、'.join(result.standards)}」领域："
                       f"导入网站时请在 catalog/site.yml 中写 standards: [{', '.join(result.standards)}]", err=True)
    elif output.exists() and errors:
        click.echo(f"未写入 {output}：有 {len(errors)} 行无法放入目录，原文件保持不变。请修改表格后重新导入"
                   "（不加 -o 可先在屏幕上查看导入结果）。", err=True)
        sys.exit(1)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        if output.exists():
            backup = output.with_name(output.name + ".bak")
            n = 2
            while backup.exists():
                backup = output.with_name(f"{output.name}.bak{n}")
                n += 1
            backup.write_bytes(output.read_bytes())
            click.echo(f"原文件已备份为 {backup}", err=True)
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
        _declare_table_standards(output, result.standards)
    if result.ignored_headers:
        click.echo(f"提示：以下列不属于标准目录，不会公开，其内容已作为注释写在对应栏目上方：{'、'.join(result.ignored_headers)}",
                   err=True)
    for note in [*result.notes, *table_notes(result, table.name)]:
        click.echo(f"提示：{note}", err=True)
    if kept is not None and output is not None:
        _say_kept(output, kept)
    where = f"已写入 {output}" if output is not None else "已输出"
    warned = len(result.problems) - len(errors)
    click.echo(f"{where}：{result.rows} 行，{result.columns} 个栏目；{len(errors)} 行无法放入目录"
               + (f"，{warned} 处需要核对" if warned else "") + "。", err=True)
    if errors:
        sys.exit(1)


def _keep_from_existing(output: Path, result: ImportResult) -> Kept | None:
    """Over a site's catalog/columns.yml, keep from it what the table cannot carry (kinds, 说明, addresses when
    the 网址 column is gone): see gongkai/tools/carryover.py. None when there is no such catalogue to keep from."""
    from gongkai.tools.carryover import keep_from_existing

    if not (output.name == "columns.yml" and output.parent.name == "catalog" and output.is_file()):
        return None
    problems = Problems()
    existing = load_columns(output.resolve().parent.parent, problems)
    if problems.errors:
        click.echo(f"提示：{output} 有错误，无法从中保留栏目类型、栏目说明和地址；导入后请按原样补上"
                   f"（原文件见备份）：{problems.errors[0].format()}", err=True)
        return None
    return keep_from_existing(result.roots, existing)


def _say_kept(output: Path, kept: Kept) -> None:
    if kept.kinds:
        click.echo(f"按原 {output} 保留了 {len(kept.kinds)} 个栏目的栏目类型（导出的目录表不含栏目类型）："
                   f"{'、'.join(kept.kinds)}", err=True)
    if kept.other:
        click.echo(f"按原 {output} 保留了 {kept.other} 个栏目的栏目说明、页面文件、链接地址、检查归类或第二十条对应关系"
                   "（表中没有这些列）", err=True)
    if kept.gone:
        shown = "、".join(kept.gone[:8]) + (f" 等 {len(kept.gone)} 个" if len(kept.gone) > 8 else "")
        click.echo(f"原 {output} 中有、表中没有的栏目已删去：{shown}。如是误删，请在表中补回后重新导入（原文件已备份）；"
                   "确需撤销的，旧地址将显示“本栏目已撤销”，引用它的文件请改写 columns", err=True)
    if kept.ids:
        shown = "、".join(kept.ids[:5]) + (f" 等 {len(kept.ids)} 个" if len(kept.ids) > 5 else "")
        click.echo(f"表中没有「网址」列：按栏目名称找到原栏目，保留了原来的地址（栏目标识 id）：{shown}", err=True)


def _declare_table_standards(output: Path, domains: list[str]) -> None:
    """An imported 标准目录 names standard items (对应标准事项, as gongkai's own download does): declare their 领域 in
    the site.yml beside the columns.yml written, so the catalogue loads with its `implements:` as it was."""
    from gongkai.tools.standard_add import declare_standards, declared_standards

    site = output.parent / "site.yml"
    if not domains:
        return
    if not site.is_file():
        click.echo(f"提示：表中的对应标准事项属于基层政务公开标准目录的「{'、'.join(domains)}」领域："
                   f"请在网站的 catalog/site.yml 中写 standards: [{', '.join(domains)}]", err=True)
        return
    text = site.read_text(encoding="utf-8")
    declared = declared_standards(text)
    missing = [d for d in domains if d not in declared]
    if missing:
        tmp = site.with_name(site.name + ".tmp")
        tmp.write_text(declare_standards(text, [*declared, *missing]), encoding="utf-8")
        tmp.replace(site)
        click.echo(f"表中的对应标准事项属于基层政务公开标准目录的「{'、'.join(missing)}」领域，已在 {site} 的 standards 中声明",
                   err=True)


@click.command("inspect", help="按国办秘函〔2019〕19号的检查指标检查网站：超期未更新、空白栏目、政策类栏目、规范性文件"
               "有效期和解读、站内断链、公开指南修订、年度报告，按负责科室列出问题。有指标不合格时退出码为 1。")
@click.option("--today", default=None, metavar="YYYY-MM-DD", help="检查日期（默认今天，或环境变量 GONGKAI_BUILD_DATE）")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True, help="输出格式")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="写入文件（默认输出到屏幕）")
@click.option("--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="已生成的网站目录，用于检查站内链接（默认 site/）")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="列出自该日起撤回的信息（默认检查日期所在年份的 1 月 1 日）")
@ROOT_OPTION
def inspect_command(today: str | None, fmt: str, output: Path | None, site_dir: Path | None, since: str | None,
                    root: Path) -> None:
    import datetime as dt

    from gongkai.load.builddate import build_date_from_env
    from gongkai.tools.inspection import format_html, format_text, inspect

    try:
        day = dt.date.fromisoformat(today) if today else build_date_from_env()
    except ValueError:
        raise click.BadParameter(f"「{today}」不是有效日期，应写作 YYYY-MM-DD", param_hint="--today") from None
    try:
        start = dt.date.fromisoformat(since) if since else None
    except ValueError:
        raise click.BadParameter(f"「{since}」不是有效日期，应写作 YYYY-MM-DD", param_hint="--since") from None
    # validated as of the build date (a report "as of" an earlier --today must not call later documents
    # mistyped dates); the inspection itself looks at the site as it stood on --today
    cat = load_or_exit(root, max(day, build_date_from_env()), code=2, show_warnings=False,
                       outcome="未生成检查报告")
    report = inspect(cat, day, site_dir if site_dir is not None else root / "site", start)
    for note in report.notes:  # a working-day deadline counted in a year the calendar does not know
        click.echo(f"警告：{note}", err=True)
    if fmt == "json":
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = format_html(report)
    else:
        text = format_text(report)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"已写入 {output}", err=True)
    if not report.passed:
        sys.exit(1)


COMMANDS = [diff_command, lock_command, import_command, inspect_command]


@click.command("import-docs", help="把旧网站的公开目录（.xlsx 或 .csv：索引号、标题、文号、发布日期、所属栏目、附件……）"
               "和文件夹中的 .docx/.pdf 等文件导入为 content/documents/ 下的文件。已导入的文件不会重复导入。")
@click.argument("table", metavar="公开目录表", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("folder", metavar="文件文件夹", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--sheet", default=None, metavar="工作表", help="Excel 工作表名称（默认第一个工作表）")
@click.option("--dry-run", is_flag=True, help="只列出将要新建或覆盖的文件，不写入")
@click.option("--force", is_flag=True, help="覆盖已导入但内容不同的文件（默认跳过）")
@ROOT_OPTION
def import_docs_command(table: Path, folder: Path, sheet: str | None, dry_run: bool, force: bool, root: Path) -> None:
    from gongkai.tools.docimport import plan_import, write_import
    from gongkai.tools.importer import TableError

    try:
        result = plan_import(root, table, folder, sheet, force)
    except TableError as exc:
        click.echo(f"{table.name}: 错误: {exc}", err=True)
        sys.exit(2)
    if result.sheet_note:
        click.echo(f"提示：{result.sheet_note}", err=True)
    if result.ignored_headers:
        click.echo(f"提示：以下表头无法对应到文件字段，这些列没有导入：{'、'.join(result.ignored_headers)}", err=True)
    labels = {"new": "新建", "overwrite": "覆盖", "unchanged": "未变", "skip": "跳过（已存在且内容不同，--force 覆盖）"}
    for p in result.planned:
        rel = p.md.relative_to(root).as_posix() if p.md.is_relative_to(root) else str(p.md)
        click.echo(f"第 {p.row} 行 → {rel}：{labels[p.action]}" + (f"（附带 {len(p.files)} 个文件）" if p.files else ""))
        for note in p.notes:
            click.echo(f"{table.name}:{p.row}: 提示: {note}", err=True)
    for problem in result.problems:
        click.echo(problem.format(), err=True)
    counts = {k: sum(1 for p in result.planned if p.action == k) for k in labels}
    if not dry_run:
        write_import(result)
    verb = "将" if dry_run else "已"
    click.echo(f"{'试运行，未写入任何文件：' if dry_run else ''}{result.rows} 行，{verb}新建 {counts['new']} 份、"
               f"{verb}覆盖 {counts['overwrite']} 份，{counts['unchanged']} 份未变，{counts['skip']} 份跳过；"
               f"{len({p.line for p in result.problems})} 行未导入。" + ("" if dry_run else "请运行 gongkai check 检查。"), err=True)
    if result.problems:
        sys.exit(1)


def register(group: click.Group) -> None:
    for cmd in [*COMMANDS, import_docs_command]:
        group.add_command(cmd)
