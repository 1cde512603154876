"""Add a national 标准目录 to a site (`gongkai standard add 社会救助`, `gongkai new … --standard 社会救助`).

One top-level section per 领域, one second-level section per 一级事项 and one documents column per 二级事项 —
exactly the three levels a catalogue may have — each carrying the standard's row as its 公开事项 and
`implements:` with the row's id, so `gongkai inspect` can tell which standard items have content. The 公开主体
「县级人民政府民政部门」 becomes the bureau's own name from site.yml. Items some column already implements are not
added again. The text is appended to columns.yml (its comments kept) and `standards:` is written in site.yml; the
caller writes them only after the site loads with them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gongkai.errors import GongkaiError, Problems
from gongkai.load import slugs, urlrecord
from gongkai.load.columns import COLUMNS_FILE, load_columns
from gongkai.load.loader import load_catalogue
from gongkai.load.site import SITE_FILE
from gongkai.standards import PREFIXES, Standard, StandardItem, load_standard, local_subject
from gongkai.tools.importer import scalar


@dataclass
class Added:
    columns_yml: str
    site_yml: str
    domains: list[str] = field(default_factory=list)  # 领域 newly declared
    items: list[str] = field(default_factory=list)  # standard item ids given a column
    skipped: list[str] = field(default_factory=list)  # already implemented by an existing column
    columns: int = 0  # columns added
    new_ids: list[str] = field(default_factory=list)  # ids of the columns added
    lock: str | None = None  # catalog/urls.lock.yml with the new columns' addresses (sites that keep one)


def add_standards(columns_yml: str, site_yml: str, standards: list[Standard], bureau: str,
                  implemented: set[str], taken_ids: set[str], declared: list[str]) -> Added:
    """The two texts with the standards added. implemented: item ids some column already carries out; taken_ids:
    column ids already used (a new column must not take one); declared: site.yml's `standards:` as it is."""
    out = Added(columns_yml, site_yml)
    blocks: list[str] = []
    indent = "  " if re.search(r"^columns:\s*$", columns_yml, re.M) else ""
    for std in standards:
        todo = [i for i in std.items if i.id not in implemented]
        out.skipped += [i.id for i in std.items if i.id in implemented]
        if todo:
            before = set(taken_ids)
            block, count = _section(std, todo, bureau, taken_ids)
            out.new_ids += sorted(taken_ids - before)
            blocks.append(_indent(block, indent))
            out.items += [i.id for i in todo]
            out.columns += count
        if std.domain not in declared:
            out.domains.append(std.domain)
    if blocks:
        text = columns_yml if columns_yml.endswith("\n") else columns_yml + "\n"
        out.columns_yml = text + "".join(blocks)
    if out.domains:
        out.site_yml = declare_standards(site_yml, [*declared, *out.domains])
    return out


def _section(std: Standard, items: list[StandardItem], bureau: str, taken: set[str]) -> tuple[str, int]:
    prefix = PREFIXES[std.domain]
    top = _unique(prefix, taken)
    localised = any(local_subject(i, bureau) != i.subject for i in items)
    subjects = "、".join(dict.fromkeys(i.subject for i in items))
    lines = [
        "",
        f"# {std.title}（{std.number}）：由 gongkai 按该标准添加。",
        "# 每个栏目对应标准的一行，公开事项照录标准（implements 写事项标识），"
        + ("公开主体已换成本机关；" if localised else f"公开主体照录标准（{subjects}），由本机关公开的请改为本机关；"),
        "# 请按本机关实际修改栏目类型（如公示名单改为 lists）、负责科室和公开渠道，不要删去 implements。",
        *([] if std.complete else [f"# 注意：gongkai 随附的这份标准目录不完整（收录 {len(std.items)} 项，原表行数未能核对），"
                                   "原表其余各行请按原件补充栏目；",
                                   "# 补充的栏目不写 implements（gongkai 没有这些事项的标识），落实情况请自行核对。"]),
        f"- name: {scalar(std.domain)}",
        f"  id: {top}",
        "  kind: section",
        "  frequency: 及时更新",
        "  office: 办公室",
        "  children:",
    ]
    count = 1
    groups: dict[str, list[StandardItem]] = {}
    for item in items:
        groups.setdefault(item.level1, []).append(item)
    for level1, rows in groups.items():
        mid = _unique(f"{prefix}-{slugs.initials(level1)}", taken)
        lines += [f"    - name: {scalar(level1)}", f"      id: {mid}", "      kind: section", "      frequency: 及时更新",
                  "      office: 办公室", "      children:"]
        count += 1
        for item in rows:
            leaf = _unique(item.id, taken)
            lines += [
                f"        - name: {scalar(item.level2)}",
                f"          id: {leaf}",
                "          kind: documents",
                "          frequency: 及时更新",
                "          office: 办公室",
                "          items:",
                f"            - name: {scalar(item.level2)}",
                f"              implements: [{item.id}]",
                f"              content: {scalar(item.content)}",
                f"              basis: {scalar(item.basis)}",
                f"              deadline: {scalar(item.deadline)}",
                f"              subject: {scalar(local_subject(item, bureau))}",
                f"              channels: [{', '.join(scalar(c) for c in item.channels)}]",
                f"              audience: {item.audience}",
                f"              mode: {item.mode}",
                f"              level: [{', '.join(scalar(v) for v in item.level)}]",
            ]
            count += 1
    return "\n".join(lines) + "\n", count


def _unique(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … when the catalogue already has that column id; the id is taken from then on."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _indent(block: str, indent: str) -> str:
    return "".join(indent + line if line.strip() else line for line in block.splitlines(keepends=True))


def declare_standards(site_yml: str, domains: list[str]) -> str:
    """site.yml with `standards: [...]` set to domains: the line replaced where it is, else appended."""
    line = f"standards: [{', '.join(domains)}]"
    pattern = re.compile(r"^standards:[^\n]*(?:\n[ \t]+-[^\n]*)*", re.M)
    if pattern.search(site_yml):
        return pattern.sub(line, site_yml, count=1)
    text = site_yml if site_yml.endswith("\n") else site_yml + "\n"
    return text + "\n# 本机关落实的基层政务公开标准目录（领域）：gongkai inspect 逐项检查落实情况\n" + line + "\n"


class StandardAddError(Exception):
    """Nothing was written; the message (Chinese) says why."""


def add_to_site(root: Path, domains: list[str], today: dt.date) -> Added:
    """Add the standards of `domains` to the site at root: computed, tried on a copy of the site (the full loader),
    and written only when that copy loads. Raises StandardAddError, with nothing written, when it cannot.

    The site is first read on a copy already declaring the domains: a column that names an item of one of them in
    `implements` before the standard is declared is what `standard add` is there to settle, not an error."""
    problems = Problems()
    standards = [s for d in domains if (s := load_standard(d, problems)) is not None]
    if problems.errors:
        raise StandardAddError("\n".join(p.message for p in problems.errors))
    columns_path, site_path = root / COLUMNS_FILE, root / SITE_FILE
    columns_yml, site_yml = columns_path.read_text(encoding="utf-8"), site_path.read_text(encoding="utf-8")
    declared = declared_standards(site_yml)
    with tempfile.TemporaryDirectory(prefix="gongkai-standard-") as tmp:
        trial = Path(tmp) / "site"
        shutil.copytree(root, trial, symlinks=True, ignore=shutil.ignore_patterns(".git", "site", "site-preview", ".cache"))
        merged = [*declared, *(d for d in domains if d not in declared)]
        (trial / SITE_FILE).write_text(declare_standards(site_yml, merged) if merged != declared else site_yml, encoding="utf-8")
        try:
            cat = load_catalogue(trial, today)
        except GongkaiError as exc:
            raise StandardAddError(exc.report().replace("已停止生成，未写入任何文件", "未添加标准目录") +
                                   "\n请先改正以上问题，再添加标准目录。") from None
        # items a column already carries out, or the bureau declares it does not: not added again
        implemented = {i for c in cat.columns() for i in (*c.implements, *(x for it in c.items for x in it.implements))}
        implemented |= set(cat.site.standards_not_applicable)
        added = add_standards(columns_yml, site_yml, standards, cat.site.name, implemented,
                              {c.id for c in cat.columns()}, declared)
        if not added.items and not added.domains:
            return added
        (trial / COLUMNS_FILE).write_text(added.columns_yml, encoding="utf-8")
        (trial / SITE_FILE).write_text(added.site_yml, encoding="utf-8")
        added.lock = _recorded(trial, set(added.new_ids))
        if added.lock is not None:
            (trial / urlrecord.LOCK_REL).write_text(added.lock, encoding="utf-8")
        try:
            load_catalogue(trial, today)
        except GongkaiError as exc:
            raise StandardAddError(exc.report().replace("已停止生成，未写入任何文件", "未添加标准目录")) from None
    columns_path.write_text(added.columns_yml, encoding="utf-8")
    site_path.write_text(added.site_yml, encoding="utf-8")
    if added.lock is not None:
        urlrecord.lock_path(root).write_text(added.lock, encoding="utf-8")
    return added


def _recorded(site: Path, new_ids: set[str]) -> str | None:
    """The site's URL record with the addresses of the columns just added (as `gongkai lock` would add them);
    nothing else in it changes. None when the site keeps no record."""
    problems = Problems()
    record = urlrecord.read_record(site, problems)
    roots = load_columns(site, problems)
    if record is None or problems.errors:
        return None  # a broken record is the loader's to report, with its line
    ours = [e for e in urlrecord.update_record(record.urls, roots).added if e.column in new_ids]
    return urlrecord.dump_record([*record.urls, *ours], record.documents)


def declared_standards(site_yml: str) -> list[str]:
    """site.yml's `standards:` as written (the loader checks it; here only its names are needed)."""
    try:
        data = yaml.safe_load(site_yml)
    except yaml.YAMLError:
        return []
    value = data.get("standards") if isinstance(data, dict) else None
    return [str(v) for v in value] if isinstance(value, list) else []
