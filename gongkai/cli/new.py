"""`gongkai new DIR`: create a new bureau's site (the files come from gongkai.tools.new)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from gongkai.cli.standard import domain_problem, split_domains
from gongkai.errors import GongkaiError
from gongkai.load.builddate import build_date_from_env
from gongkai.standards import PARTIAL_HINT, available, partial_domains
from gongkai.tools import new as scaffold
from gongkai.tools.new import REQUIRED_OPTIONS

# The contact questions, in the order of the guide's contact block (Contact field -> question).
PROMPTS = {"office": "政府信息公开工作机构名称", "address": "办公地址", "postcode": "邮政编码", "hours": "办公时间",
           "phone": "联系电话", "fax": "传真", "email": "电子邮箱"}


def _fail(message: str, code: int = 2) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def _ask(label: str, check: Callable[[str], str | None] | None = None, clean: Callable[[str], str] = str.strip,
         optional: bool = False) -> str:
    """Ask on the terminal until the answer passes `check`; optional questions accept an empty answer."""
    suffix = "（可留空，直接回车跳过）" if optional else ""
    while True:
        value = clean(click.prompt(label + suffix, default="", show_default=False, prompt_suffix="：", err=True))
        if not value and optional:
            return ""
        reason = check(value) if check else (None if value else "不能为空")
        if reason is None:
            return value
        click.echo(f"  {reason}，请重新输入。", err=True)


@click.command("new", help="新建一个机关的政府信息公开专栏网站：在网站文件夹（不存在或空的文件夹）中写入 mkdocs.yml、"
               "catalog/（机构信息、标准目录）、content/（公开指南等）、.gitignore 和编辑器设置。"
               "缺少的机构信息在终端中逐项询问。")
@click.argument("directory", metavar="[网站文件夹]", required=False, type=click.Path(path_type=Path))
@click.option("--name", default=None, help="机构名称，如 某某市民政局")
@click.option("--org-code", default=None, help="统一社会信用代码（18 位），也是索引号的前缀")
@click.option("--site-url", default=None, help="网站（专栏）的正式地址，如 https://mzj.example.gov.cn/zfxxgk/")
@click.option("--site-id", default=None, help="网站标识码（可选）")
@click.option("--office", default=None, help="政府信息公开工作机构名称（可选，公开指南“联系方式”）")
@click.option("--address", default=None, help="办公地址（可选）")
@click.option("--postcode", default=None, help="邮政编码（可选）")
@click.option("--hours", default=None, help="办公时间（可选）")
@click.option("--phone", default=None, help="联系电话（可选）")
@click.option("--fax", default=None, help="传真（可选）")
@click.option("--email", default=None, help="电子邮箱（可选）")
@click.option("--columns", "columns_table", default=None, type=click.Path(path_type=Path), metavar="栏目表.xlsx|csv",
              help="从本机关已有的栏目表（.xlsx 或 .csv，表头含 一级栏目/二级栏目/三级栏目/更新频率/负责科室）开始建立标准目录")
@click.option("--sheet", default=None, help="栏目表的 Excel 工作表名称（默认第一个）")
@click.option("--standard", "standards", default=None, metavar="领域[,领域…]",
              help="同时加入基层政务公开标准目录的栏目和公开事项，如 --standard 社会救助,养老服务（可选："
              + "、".join(available()) + "）")
@click.help_option("--help", "-h", help="显示本说明并退出")
def new_command(directory: Path | None, name: str | None, org_code: str | None, site_url: str | None,
                site_id: str | None, columns_table: Path | None, sheet: str | None, standards: str | None,
                **contact: str | None) -> None:
    interactive = sys.stdin.isatty()
    if directory is None:
        _fail("错误：请给出新网站的文件夹，例如：gongkai new mzj-site")
        return
    reason = scaffold.destination_problem(directory)
    if reason:
        _fail(f"错误：{reason}")
    if columns_table is not None and not columns_table.is_file():
        _fail(f"错误：--columns：找不到栏目表「{columns_table}」")
    domains = split_domains(standards) if standards is not None else []
    if standards is not None and (reason := domain_problem(domains)):
        _fail(f"错误：--standard：{reason}")
    try:
        today = build_date_from_env()
    except GongkaiError as exc:
        _fail(exc.report())
        return

    facts = scaffold.SiteFacts(name=(name or "").strip(), org_code=scaffold.clean_org_code(org_code or ""),
                               site_url=scaffold.clean_site_url(site_url or ""), site_id=(site_id or "").strip(),
                               contact={k: v.strip() for k, v in contact.items() if v and v.strip()})
    given = {"--name": name, "--org-code": org_code, "--site-url": site_url}
    missing = [opt for opt, v in given.items() if v is None]
    if missing and not interactive:
        _fail("错误：缺少" + "、".join(f"{opt}（{REQUIRED_OPTIONS[opt]}）" for opt in missing) +
              "。例如：gongkai new mzj-site --name 某某市民政局 --org-code 统一社会信用代码 --site-url https://…/")
    problems = {opt: reason for opt, reason in scaffold.fact_problems(facts).items() if opt not in missing}
    if problems:
        _fail("错误：\n" + "\n".join(f"  {opt}（{REQUIRED_OPTIONS[opt]}）：{reason}" for opt, reason in problems.items()))
    if missing:  # on a terminal: ask for what the options did not give
        click.echo(f"新建网站：{directory}（直接回车表示留空；可选项目以后可在 catalog/site.yml 中填写）", err=True)
        if name is None:
            facts.name = _ask("机构名称（如 某某市民政局）")
        if org_code is None:
            facts.org_code = _ask("统一社会信用代码（18 位）", scaffold.org_code_problem, scaffold.clean_org_code)
        if site_url is None:
            facts.site_url = _ask("网站地址（如 https://mzj.example.gov.cn/zfxxgk/）", scaffold.site_url_error,
                                  scaffold.clean_site_url)
        if site_id is None:
            facts.site_id = _ask("网站标识码", optional=True)
        asked = [key for key in PROMPTS if contact.get(key) is None]
        if asked:
            click.echo("公开指南的“联系方式”（《政府信息公开条例》第十二条要求写明名称、地址、办公时间、电话、传真、电子邮箱）：",
                       err=True)
        for key in asked:
            value = _ask("  " + PROMPTS[key], optional=True)
            if value:
                facts.contact[key] = value
    try:
        made = scaffold.create_site(directory, facts, today, columns_table, sheet, domains)
    except scaffold.NewSiteError as exc:
        _fail(str(exc))
        return
    report(made, directory)


def report(made: scaffold.NewSite, directory: Path) -> None:
    """What was written, what is still to do, and the next commands."""
    echo = click.echo
    echo(f"已创建新网站：{directory}")
    rows = [("mkdocs.yml", "网站名称和主题设置（一般不用改）"),
            ("catalog/site.yml", "机构信息：名称、统一社会信用代码、网址、联系方式"),
            ("catalog/columns.yml", f"标准目录：{made.columns} 个栏目，请按本机关实际调整栏目和负责科室")]
    if made.standards and made.standards_from_table:
        rows.append(("", f"（栏目表的对应标准事项属于基层政务公开标准目录：{'、'.join(made.standards)}，已在 site.yml 中声明）"))
    elif made.standards:
        rows.append(("", f"（含基层政务公开标准目录：{'、'.join(made.standards)}，每个标准事项一个栏目，已在 site.yml 中声明）"))
    if partial := partial_domains(made.standards):
        rows.append(("", f"（{'、'.join(partial)}{PARTIAL_HINT}；gongkai inspect 第五部分列出已收录的事项）"))
    if made.added_columns:
        rows.append(("", f"（栏目表中没有，已按《政府信息公开条例》补充：{'、'.join(made.added_columns)}）"))
    if "content/guide.md" in made.files:
        rows.append(("content/guide.md", "政府信息公开指南（按《条例》第十二条列出各项，请核对修改）"))
    rows += [(rel, "单页栏目的正文") for rel in made.files if rel.startswith("content/pages/")]
    if "catalog/urls.lock.yml" in made.files:
        rows.append(("catalog/urls.lock.yml", "地址记录：每个栏目的地址，栏目改名、移动后旧地址靠它跳转（增删栏目后运行 gongkai lock 更新）"))
    rows += [(rel, what) for rel, what in (("catalog/decisions.yml", "重大行政决策事项目录（文件开头有填写说明）"),
                                           ("catalog/messages.yml", "留言选登：逐条填写，或读取 12345 等系统导出的表格"),
                                           ("catalog/faq.yml", "常见问题库")) if rel in made.files]
    rows += [("content/documents/", "文件：每份文件一个 .md"),
             (".vscode/ schemas/", "用 VS Code 打开本文件夹并安装 YAML 插件，编辑 catalog/*.yml 时自动提示和检查"),
             (".gitignore", "不提交生成的网站和缓存")]
    width = max(len(path) for path, _ in rows) + 2
    for path, what in rows:
        echo(f"  {path:<{width}}{what}")
    if made.notes:
        echo("")
        echo("栏目表提示：")
        for note in made.notes:
            echo(f"  {note}")
    if made.todos:
        echo("")
        echo("待办（发布前请完成）：")
        for t in made.todos:
            echo(f"  {t.format()}")
    echo("")
    echo("下一步：")
    if directory.resolve() != Path.cwd().resolve():
        echo(f"  cd {directory}")
    echo("  gongkai serve         预览：浏览器打开 http://127.0.0.1:8000/ ，修改后自动刷新")
    echo("  gongkai build         生成网站到 site/（可直接用浏览器打开 site/index.html）")
    echo("  gongkai check         只校验，不生成")
    echo("新增文件：在 content/documents/年份/ 下新建 .md 文件（文件名可用中文；开头写 title、published、columns），再运行 gongkai assign 编写索引号、gongkai lock 记下网址。")
    echo("网站标识码、ICP 备案号等在 catalog/site.yml 中填写；增删、改名栏目后运行 gongkai lock 更新地址记录，并用 git 提交全部文件。")
