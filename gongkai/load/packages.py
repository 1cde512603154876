"""Themed service packages (主题服务包): load and validate catalog/packages.yml."""

from __future__ import annotations

import re
from typing import Any

from gongkai.errors import Problems
from gongkai.load import slugs
from gongkai.load.documents import missing_target
from gongkai.load.fields import Fields, type_name
from gongkai.load.sources import read_yaml_file
from gongkai.load.yamlsrc import Node, Seq
from gongkai.memo import Memo
from gongkai.model import Catalogue, ColumnKind, FaqItem, Package, Source

PACKAGES_FILE = "catalog/packages.yml"
PACKAGE_FIELDS = {
    "id": "服务包标识（网址和二维码使用，设定后不要再改）", "name": "服务包名称", "summary": "简介",
    "items": "事项清单", "steps": "办理流程", "materials": "申请材料", "where": "办理地点和时间",
    "phone": "咨询电话", "online": "在线办理链接", "policies": "政策依据（文件标识）", "faq": "常见问题",
}
FAQ_FIELDS = {"question": "问题", "answer": "解答"}


def load_packages(cat: Catalogue, problems: Problems, memo: Memo | None = None,
                  keep: dict[str, Any] | None = None) -> list[Package]:
    """Every package of catalog/packages.yml, in file order; problems name file, line and field."""
    data = read_yaml_file(cat.root_dir, cat.root_dir / PACKAGES_FILE, problems, required=False, memo=memo, keep=keep)
    if data is None:
        return []
    if isinstance(data, dict):
        extra = sorted(set(data) - {"packages"})
        if extra:
            problems.error(PACKAGES_FILE, data.line_of(extra[0]) if isinstance(data, Node) else None, extra[0], f"未知的顶层字段：{'、'.join(extra)}（应为 packages）")
        data = data.get("packages") or []
    if not isinstance(data, list):
        problems.error(PACKAGES_FILE, getattr(data, "line", None), None, f"主题服务包应为列表，实际是{type_name(data)}")
        return []
    out: list[Package] = []
    seen: dict[str, Package] = {}
    for i, item in enumerate(data):
        line = data.line_of(i) if isinstance(data, Seq) else None
        if not isinstance(item, dict):
            problems.error(PACKAGES_FILE, line, None, f"第 {i + 1} 个主题服务包应为键值对象，实际是{type_name(item)}")
            continue
        pkg = _load_package(cat, item, problems)
        if pkg is None:
            continue
        if pkg.id in seen:
            other = seen[pkg.id]
            problems.error(PACKAGES_FILE, pkg.source.line, "id",
                           f"服务包标识「{pkg.id}」重复：已被「{other.name}」（第 {other.source.line} 行）使用")
            continue
        seen[pkg.id] = pkg
        out.append(pkg)
    if out and cat.first_column(ColumnKind.PACKAGES) is None:
        problems.warn(PACKAGES_FILE, None, None,
                      f"有 {len(out)} 个主题服务包，但标准目录中没有 kind: packages 的栏目：服务包页面不会出现在栏目中")
    return out


def _load_package(cat: Catalogue, item: dict[str, Any], problems: Problems) -> Package | None:
    f = Fields(problems, PACKAGES_FILE, item, PACKAGE_FIELDS, "主题服务包")
    if not f.ok:
        return None
    pid = f.str("id", required=True)
    name = f.str("name", required=True)
    if not pid:
        return None
    if not slugs.is_valid_slug(pid):
        f.err("id", f"服务包标识「{pid}」无效：只能用小写字母、数字和连字符，且以字母或数字开头（例如 shjz）")
        return None
    pkg = Package(
        id=pid, name=name, summary=f.str("summary", required=True), source=Source(PACKAGES_FILE, f.start_line),
        items=f.str_list("items", required=True), steps=f.str_list("steps"), materials=f.str_list("materials"),
        where=f.str_list("where"), phone=f.str_list("phone"), online=f.str("online"),
        policy_refs=f.str_list("policies"), field_lines=dict(getattr(item, "key_lines", {})),
    )
    if pkg.online and not re.match(r"^https?://[^/\s]+", pkg.online):
        f.err("online", f"在线办理链接「{pkg.online}」应为以 http:// 或 https:// 开头的完整地址")
    _resolve_policies(cat, f, pkg)
    pkg.faq = _load_faq(f, problems)
    return pkg


def _resolve_policies(cat: Catalogue, f: Fields, pkg: Package) -> None:
    raw = f.raw("policies")
    for i, ref in enumerate(pkg.policy_refs):
        line = raw.line_of(i) if isinstance(raw, Seq) else f.line("policies")
        doc = cat.document(ref)
        if doc is None:
            f.err("policies", missing_target("政策依据", ref, cat.documents), line, after=f"document:{ref}")
        elif doc.withdrawn is not None:
            # a warning, not an error: the withdrawal must take effect at once; the package shows the rest
            f.problems.warn(PACKAGES_FILE, line or f.line("policies"), "policies",
                            f"政策依据「{ref}」（{doc.title}）已于 {doc.withdrawn.date} 撤回，服务包页面和海报已不再列出："
                            "请从这个服务包的 policies 中删除这一项（如有替代文件，改为引用替代文件）")
        elif not doc.is_public:
            f.err("policies", f"政策依据「{ref}」（{doc.title}）的公开属性是「{doc.disclosure}」，不会在网站上公开，不能作为服务包的政策依据", line)
        elif doc in pkg.policies:
            f.err("policies", f"政策依据「{ref}」重复列出", line)
        else:
            pkg.policies.append(doc)
            pkg.policy_lines[doc.id] = line or pkg.source.line or 0


def _load_faq(f: Fields, problems: Problems) -> list[FaqItem]:
    return [FaqItem(q.str("question", required=True), q.str("answer", required=True))
            for q in f.records("faq", FAQ_FIELDS, "常见问题", "每项包含 question（问题）和 answer（解答）")]


def package_url(cat: Catalogue, pkg: Package) -> str:
    """The absolute, stable address of a package page: what its QR code encodes."""
    return cat.site.site_url + pkg.url_path
