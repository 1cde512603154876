"""The national 标准目录 a site declares (site.yml `standards:`), and the `implements:` of its columns and 公开事项.

Every id written under `implements:` must be an item of a declared standard: a mistyped id, or an item of a 领域
the site has not declared, would silently fall out of the coverage report.
"""

from __future__ import annotations

from gongkai.errors import Problems
from gongkai.load.yamlsrc import Node
from gongkai.model import Catalogue
from gongkai.standards import PREFIXES, Standard, load_standard


def load_declared_standards(cat: Catalogue, problems: Problems) -> list[Standard]:
    out: list[Standard] = []
    for domain in cat.site.standards:
        std = load_standard(domain, problems)
        if std is not None:
            out.append(std)
    known = {item.id: std for std in out for item in std.items}
    for col in cat.columns():
        # (only what names an item: lines and labels of hundreds of columns that name none are never used)
        refs = [(col.implements, col.line_of("implements"), f"栏目「{col.name}」")] if col.implements else []
        refs += [(item.implements, item.line_of("implements"), f"栏目「{col.name}」的公开事项「{item.name}」")
                 for item in col.items if item.implements]
        for ids, line, what in refs:
            for item_id in ids:
                if item_id in known:
                    continue
                prefix = item_id.split("-")[0]
                undeclared = next((d for d, p in PREFIXES.items() if p == prefix), None)
                if undeclared and undeclared not in cat.site.standards:
                    hint = f"它属于「{undeclared}」领域，请在 catalog/site.yml 的 standards 中加上「{undeclared}」"
                else:
                    hint = "可用的标识：" + "、".join(sorted(known)) if known else \
                        "catalog/site.yml 没有声明任何标准目录（standards）"
                # the standards are declared in site.yml: while it cannot be read, these are only its echoes
                problems.error(col.source.file, line, "implements", f"{what}：标准目录事项「{item_id}」不存在；{hint}",
                               after=cat.site.source.file)
    site = cat.site
    for item_id in site.standards_not_applicable:
        if item_id not in known:
            raw = cat.catalog_files.get(site.source.file)
            node = raw.get("standards_not_applicable") if isinstance(raw, dict) else None
            line = node.line_of(item_id) if isinstance(node, Node) else site.line_of("standards_not_applicable")
            problems.error(site.source.file, line, "standards_not_applicable",
                           f"标准目录事项「{item_id}」不存在（或所属领域没有写在 standards 中）")
        elif cat.implementers(item_id):
            problems.warn(site.source.file, site.line_of("standards_not_applicable"), "standards_not_applicable",
                          f"事项「{item_id}」写了不落实的理由，但 catalog/columns.yml 中又有栏目写了 implements: {item_id}："
                          "请删去其中一处")
    return out

