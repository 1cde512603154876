"""`gongkai new`: the files of a new bureau's site, from a few facts about the bureau.

The skeleton lives as data in gongkai/tools/skeleton/ (Jinja templates and plain files). The site is written
into a temporary folder first and loaded with the same loader the build uses: what `new` writes is checked by
the rules that will judge it later (no second copy of them here), and the destination is written only when
that load passes. Nothing of the bureau is invented: what is not known is left commented out in site.yml and
reported as a to-do by the loader.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml

from gongkai.checks.guide import CONTACT_LABELS
from gongkai.checks.indexno import code_problem
from gongkai.errors import GongkaiError, Problem, Problems
from gongkai.load import slugs, urlrecord
from gongkai.load.columns import load_columns
from gongkai.load.loader import load_catalogue
from gongkai.load.site import site_url_problem
from gongkai.load.slugs import MAX_SLUG
from gongkai.model import ColumnKind
from gongkai.tools import importer, schemas

SKELETON = Path(__file__).parent / "skeleton"
# Folders and files that may already be in the destination: a clerk may `git init` it first.
ALLOWED_EXISTING = {".git"}
# Skeleton file -> where it goes in the new site (data files keep plain names so packaging finds them).
STATIC_FILES = {"gitignore": ".gitignore", "vscode-settings.json": ".vscode/settings.json",
                # the participation files, empty but with their shape explained, next to the columns that use them
                "decisions.yml": "catalog/decisions.yml", "messages.yml": "catalog/messages.yml", "faq.yml": "catalog/faq.yml"}
# 条例 Art. 12 asks the guide for these; Art. 49-50 for the annual report. A bureau's own column table that
# lacks them still gets them (see import_columns); the other usual first-level columns are the bureau's choice.
REQUIRED_COLUMNS = (
    (ColumnKind.GUIDE, "政府信息公开指南", "及时更新", 0),
    (ColumnKind.REPORTS, "政府信息公开年报", "每年更新", None),
)
# Names by which a bureau's table calls its guide and its annual reports (spaces removed).
GUIDE_NAMES = {"政府信息公开指南", "信息公开指南", "公开指南"}
REPORT_NAMES = {"政府信息公开年报", "政府信息公开年度报告", "政府信息公开工作年度报告", "信息公开年报", "公开年报", "年度报告"}
# A table's 依申请公开 column with nothing under it: what the default skeleton's 申请须知 is, `kind: application`
# (申请须知, 流程图 and 申请表 from the 条例 and site.yml), not an empty document list.
APPLICATION_NAMES = {"依申请公开", "政府信息依申请公开", "依申请公开政府信息"}


class NewSiteError(Exception):
    """`gongkai new` cannot go on; the message is for the clerk, in Chinese."""


@dataclass
class SiteFacts:
    """What `gongkai new` knows of the bureau: the three required facts, the rest optional."""

    name: str
    org_code: str
    site_url: str
    site_id: str = ""
    contact: dict[str, str] = field(default_factory=dict)  # Contact field -> value (office, address …)


@dataclass
class NewSite:
    root: Path
    files: list[str]  # written, relative to root, in writing order
    columns: int  # columns in the catalogue
    todos: list[Problem]  # what the rules require that is not known yet (the loader's to-dos)
    added_columns: list[str]  # required first-level columns added to an imported table
    standards: list[str] = field(default_factory=list)  # 领域 whose national 标准目录 the site starts from
    notes: list[str] = field(default_factory=list)  # what the clerk should know about the imported table
    standards_from_table: bool = False  # the 领域 were declared for the table's 对应标准事项, not by --standard


# --- checking what the clerk typed ------------------------------------------------------------------


def clean_org_code(value: str) -> str:
    """The code as written on the certificate: no spaces, capital letters (GB 32100 uses no small letters)."""
    return "".join(value.split()).upper()


def org_code_problem(value: str) -> str | None:
    """The index-number checker's own rule (check character of GB 32100 / GB 11714)."""
    return code_problem(value) if value else "不能为空"


def clean_site_url(value: str) -> str:
    value = value.strip()
    return value if not value or value.endswith("/") else value + "/"


def site_url_error(value: str) -> str | None:
    """The loader's rule for site_url (the same check the build makes)."""
    return site_url_problem(value) if value else "不能为空"


def destination_problem(dest: Path) -> str | None:
    if dest.exists() and not dest.is_dir():
        return f"「{dest}」已存在，而且不是文件夹"
    if dest.is_dir():
        extra = sorted(p.name for p in dest.iterdir() if p.name not in ALLOWED_EXISTING)
        if extra:
            shown = "、".join(extra[:5]) + ("……" if len(extra) > 5 else "")
            return f"文件夹「{dest}」不是空的（已有 {shown}）：为免覆盖已有文件，请指定一个新的或空的文件夹"
    return None


# --- the catalogue --------------------------------------------------------------------------------


def _key(name: str) -> str:
    return "".join(name.split())


@dataclass
class ImportedColumns:
    """columns.yml from a bureau's column table, and what `new` tells the clerk about it."""

    columns_yml: str
    added: list[str]  # required first-level columns the table lacked
    standards: list[str]  # 领域 its 对应标准事项 refer to: declared in site.yml so the implements load
    notes: list[str]  # 更新频率 / 负责科室 the table did not give


def import_columns(table: Path, sheet: str | None = None) -> ImportedColumns:
    """columns.yml text from a bureau's column table, the names of the required columns added to it and what the
    clerk still has to fill in.

    The table is the bureau's approved 标准目录, so it stays as it is: its guide and annual-report columns
    (found by their usual names) get their kinds; a guide or annual-report column it lacks is added at the
    top level because the 条例 requires both on the site. 政府信息公开制度, 依申请公开 and 政策文件 are not added:
    many approved tables file them elsewhere or under other names, and an extra column a bureau did not
    approve would show up as an empty column in its inspection.
    """
    try:
        result = importer.import_table(table, sheet)
    except importer.TableError as exc:
        raise NewSiteError(f"{table.name}: 错误: {exc}") from None
    if result.problems:
        lines = [p.format() for p in result.problems]
        if result.ignored_headers:  # perhaps the cause: a level under a heading gongkai does not know
            lines.insert(0, f"{table.name}: 提示: 表头中这些列没有识别、没有导入：{'、'.join(result.ignored_headers)}"
                            "（栏目的层级请以「一级栏目」「二级栏目」「三级栏目」作表头）")
        raise NewSiteError("栏目表中有无法导入的行，未创建网站：\n  " + "\n  ".join(lines) +
                           "\n请在表格中改正后重新运行（也可用 gongkai import 预览导入结果）")
    leaves = [n for n in _walk(result.roots) if not n.children]
    found = {ColumnKind.GUIDE: _named(leaves, GUIDE_NAMES, ("公开指南",)),
             ColumnKind.REPORTS: _named(leaves, REPORT_NAMES, ("公开年报", "公开年度报告", "公开工作年度报告"))}
    added: list[str] = []
    for kind, name, frequency, position in REQUIRED_COLUMNS:
        node = found[kind]
        if node is None:
            node = importer.Node(name, frequency=frequency, office="办公室")
            result.roots.insert(len(result.roots) if position is None else position, node)
            added.append(name)
        node.kind = kind
    application = next((n for n in leaves if _key(n.name) in APPLICATION_NAMES), None)
    if application is not None:
        application.kind = ColumnKind.APPLICATION
    importer.assign_ids(result.roots)
    _fix_ids(result.roots)
    notes = [f"# 已按《政府信息公开条例》补充表中没有的一级栏目：{'、'.join(added)}（负责科室暂填办公室）。\n"] if added else []
    notes.append("# 公开指南、年度报告栏目已设为 guide、reports；公开指南的正文在 content/guide.md。\n")
    sheet_note = result.notes[:1] if result.sheet else []  # the worksheet read was not the first one
    return ImportedColumns(importer.to_yaml(result, table.name, notes), added, result.standards,
                           [*sheet_note, *table_notes(result, table.name)])


def _named(leaves: list[importer.Node], names: set[str], endings: tuple[str, ...]) -> importer.Node | None:
    """The first column called by one of the usual names, else the first whose name ends like one: a county's
    table files its guide as 「部门信息公开指南」 under a first-level 「政府信息公开指南」 (莒南县民政局), and a
    second guide column of the same name was added beside it."""
    return (next((n for n in leaves if _key(n.name) in names), None)
            or next((n for n in leaves if _key(n.name).endswith(endings)), None))


def table_notes(result: importer.ImportResult, table_name: str) -> list[str]:
    """What the table did not give and the clerk must fill in catalog/columns.yml, one message each.

    A 标准目录 table has a 公开时限 per 公开事项 (how soon information is published), no 更新频率 (how often the
    column must change): a periodic 公开时限 gives the column's 更新频率, an event-driven one (「信息形成之日起20个
    工作日内」) does not — the column needs one written by the bureau, or inspection cannot judge it."""
    out: list[str] = []
    if result.without_frequency:
        rows = "、".join(f"第 {row} 行「{trail}」" for row, trail in result.without_frequency)
        derived = (f"（{len(result.derived_frequency)} 个栏目的公开时限是固定周期，已据此填写更新频率）"
                   if result.derived_frequency else "")
        out.append(f"栏目表「{table_name}」没有「更新频率」列：各行的公开时限已作为公开事项的公开时限保留{derived}；"
                   f"以下 {len(result.without_frequency)} 个栏目的公开时限不是固定周期，请在 catalog/columns.yml 中为它们填写 "
                   f"frequency（更新频率，如 及时更新、每月更新、每季度更新）：{rows}")
    if not result.has_office:
        out.append(f"栏目表「{table_name}」没有「负责科室」列，各栏目的负责科室暂为空：请在 catalog/columns.yml 中为每个栏目"
                   "填写 office（负责科室），gongkai inspect 按负责科室列出需要整改的栏目")
    return out


def _fix_ids(roots: list[importer.Node]) -> None:
    """Write every column's id, as the default skeleton does: a column renamed later keeps its address, and every
    document can name any column by its id alone. The id is the address the name gives; a name whose initials
    another column (under another parent) already has is prefixed by its parent's id (部门文件 under 政策法规 and
    under 监督保障: bmwj and jdbz-bmwj), since an explicit id must be unique."""
    used: set[str] = set()

    def walk(nodes: list[importer.Node], parent: str) -> None:
        for n in nodes:
            ident = n.id or slugs.initials(n.name) or "lm"
            if ident in used:
                base = f"{parent}-{ident}"[:MAX_SLUG - 3].strip("-") if parent else ident
                ident, i = base, 2
                while ident in used:
                    ident, i = f"{base}-{i}", i + 1
            n.id = ident
            used.add(ident)
            walk(n.children, ident)

    walk(roots, "")


def _walk(nodes: list[importer.Node]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


# --- writing -----------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SKELETON), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = lambda v: importer.scalar(str(v))
    return env


def skeleton_files(facts: SiteFacts, today: dt.date, columns_yml: str) -> dict[str, str]:
    """Every text file of the new site, by path relative to its root."""
    env = _environment()
    roots = (yaml.safe_load(columns_yml) or {}).get("columns", [])
    contact_rows = [(k, label, facts.contact.get(k, "")) for k, label in CONTACT_LABELS.items()]
    values = {"name": facts.name, "org_code": facts.org_code, "site_url": facts.site_url, "site_id": facts.site_id,
              "contact": any(v for _, _, v in contact_rows), "contact_rows": contact_rows,
              "today": today.isoformat(), "columns": [c["name"] for c in roots]}
    files = {
        "mkdocs.yml": env.get_template("mkdocs.yml.j2").render(values),
        "catalog/site.yml": env.get_template("site.yml.j2").render(values),
        "catalog/columns.yml": columns_yml,
    }
    columns = list(_walk_yaml(roots))
    if any(c.get("kind") == ColumnKind.GUIDE for c in columns):
        files["content/guide.md"] = env.get_template("guide.md.j2").render(values)
    for c in columns:  # single pages the skeleton has a text for
        template = f"{Path(c.get('page', '')).stem}.md.j2"
        if c.get("kind") == ColumnKind.PAGE and (SKELETON / template).is_file():
            files[f"content/{c['page']}"] = env.get_template(template).render(values)
    files["content/documents/.gitkeep"] = ""  # the folder documents go in, kept in git while still empty
    for src, dest in STATIC_FILES.items():
        files[dest] = (SKELETON / src).read_text(encoding="utf-8")
    for name, text in schemas.render_all().items():
        files[f"schemas/{name}"] = text
    return files


def _walk_yaml(columns: list[dict] | None):
    for c in columns or []:
        yield c
        yield from _walk_yaml(c.get("children"))


def create_site(dest: Path, facts: SiteFacts, today: dt.date, columns_table: Path | None = None,
                sheet: str | None = None, standards: list[str] | None = None) -> NewSite:
    """Write a new site into dest (absent or empty). Raises NewSiteError, with nothing written, when it cannot."""
    reason = destination_problem(dest)
    if reason:
        raise NewSiteError(reason)
    imported = import_columns(columns_table, sheet) if columns_table is not None else None
    columns_yml = imported.columns_yml if imported else (SKELETON / "columns.yml").read_text(encoding="utf-8")
    files = skeleton_files(facts, today, columns_yml)
    if imported and imported.standards:  # the table names standard items (gongkai's own 标准目录 download)
        from gongkai.tools.standard_add import declare_standards

        files["catalog/site.yml"] = declare_standards(files["catalog/site.yml"], imported.standards)
    if standards:
        files["catalog/columns.yml"], files["catalog/site.yml"] = _with_standards(files, standards, facts.name)
    with tempfile.TemporaryDirectory(prefix="gongkai-new-") as tmp:
        trial = Path(tmp)
        _write(trial, files)
        # the URL record from the first day, as `gongkai lock` writes it: a column renamed before the first
        # `gongkai lock` still has its old address on record (its documents are told which id to write)
        problems = Problems()
        roots = load_columns(trial, problems)
        if not problems.errors:
            files[urlrecord.LOCK_REL] = urlrecord.dump_record(urlrecord.update_record([], roots).entries)
            _write(trial, {urlrecord.LOCK_REL: files[urlrecord.LOCK_REL]})
        try:
            cat = load_catalogue(trial, today)
        except GongkaiError as exc:
            # only the clerk's own input (a column table) can get here: the skeleton itself is tested
            raise NewSiteError(exc.report().replace("已停止生成，未写入任何文件", "未创建网站")) from None
    dest.mkdir(parents=True, exist_ok=True)
    _write(dest, files)
    return NewSite(dest, list(files), sum(1 for _ in cat.columns()), list(cat.todos), imported.added if imported else [],
                   list(cat.site.standards), imported.notes if imported else [],
                   bool(imported and imported.standards and not standards))


def _with_standards(files: dict[str, str], domains: list[str], bureau: str) -> tuple[str, str]:
    """columns.yml and site.yml of the new site with the national 标准目录 of `domains` added (gongkai/standards)."""
    from gongkai.errors import Problems
    from gongkai.standards import load_standard
    from gongkai.tools.standard_add import add_standards

    problems = Problems()
    loaded = [s for d in domains if (s := load_standard(d, problems)) is not None]
    if problems.errors:
        raise NewSiteError("；".join(p.message for p in problems.errors))
    roots = (yaml.safe_load(files["catalog/columns.yml"]) or {}).get("columns", [])
    taken = {str(c["id"]) for c in _walk_yaml(roots) if c.get("id")}
    added = add_standards(files["catalog/columns.yml"], files["catalog/site.yml"], loaded, bureau, set(), taken, [])
    return added.columns_yml, added.site_yml


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


REQUIRED_OPTIONS = {"--name": "机构名称", "--org-code": "统一社会信用代码", "--site-url": "网站地址"}


def fact_problems(facts: SiteFacts) -> dict[str, str]:
    """Option -> what is wrong with its value, for every required fact at once."""
    rules = {"--name": (facts.name, lambda v: None if v.strip() else "不能为空"),
             "--org-code": (facts.org_code, org_code_problem),
             "--site-url": (facts.site_url, site_url_error)}
    return {option: reason for option, (value, rule) in rules.items() if (reason := rule(value))}
