"""JSON Schemas (with Chinese titles) for the YAML files, so an editor autocompletes and flags mistakes.

`gongkai schemas` writes them into schemas/; .vscode/settings.json maps them onto the files.
The schemas are made from the field tables the loader reads with (every field and its Chinese title, nested
tables included) and its vocabularies, so they never disagree; only the JSON types are added here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gongkai.application import APPLICATION_FIELDS
from gongkai.application import CHANNELS as APPLICATION_CHANNELS
from gongkai.load.allowances import ALLOWANCE_FIELDS
from gongkai.load.columns import COLUMN_FIELDS, ITEM_FIELDS
from gongkai.load.documents import ATTACHMENT_FIELDS, DOCUMENT_FIELDS
from gongkai.load.guide import GUIDE_FIELDS, REVISION_FIELDS
from gongkai.load.inspection_rules import RULE_FIELDS
from gongkai.load.interaction import LINK_FIELDS
from gongkai.load.packages import FAQ_FIELDS, PACKAGE_FIELDS
from gongkai.load.portal import HOME_FIELDS, MARK_FIELDS, MARKS_FIELDS, SEARCH_FIELDS, SERVICE_FIELDS, STATEMENT_FIELDS
from gongkai.load.site import CALENDAR_FIELDS, CONTACT_FIELDS, GUIDE_RULE_FIELDS, SITE_FIELDS, VALIDITY_FIELDS
from gongkai.load.slugs import SLUG_RE
from gongkai.load.withdrawals import FIELDS as WITHDRAWAL_FIELDS
from gongkai.model import DISCLOSURE_VALUES, STATUS_VALUES, ColumnKind
from gongkai.standards import available
from gongkai.vocab import AUDIENCES, CHANNEL_SYNONYMS, CHANNELS, FREQUENCIES, INSPECTION_CLASSES, MODES

DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$"}
TEXT = {"type": "string"}
SLUG = {"type": "string", "pattern": SLUG_RE.pattern}
POSITIVE = {"type": "integer", "minimum": 1}


def _props(titles: dict[str, str], props: dict[str, dict] | None = None) -> dict[str, dict]:
    """The properties of a loader field table: each field with its title, text unless `props` says otherwise."""
    return {key: {"title": label, **(props or {}).get(key, TEXT)} for key, label in titles.items()}


def _record(titles: dict[str, str], props: dict[str, dict] | None = None, required: list[str] | None = None) -> dict:
    """An item of a list of mappings (attachments, privacy_ok, revisions …): no title of its own."""
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": _props(titles, props)}
    if required:
        out["required"] = required
    return out


def _obj(titles: dict[str, str], props: dict[str, Any], required: list[str], title: str, description: str = "") -> dict:
    out: dict[str, Any] = {"type": "object", "title": title, "additionalProperties": False, "properties": _props(titles, props)}
    if description:
        out["description"] = description
    if required:
        out["required"] = required
    return out


def site_schema() -> dict:
    contact = _obj(CONTACT_FIELDS, {}, [], SITE_FIELDS["contact"], "政府信息公开工作机构的联系方式（《条例》第十二条），公开指南自动引用")
    props = {
        "site_url": {"type": "string", "pattern": "^https?://", "description": "网站的绝对地址，二维码和规范链接使用"},
        "org_code": {"type": "string", "description": "18 位统一社会信用代码，索引号的前缀"},
        "site_id": {"type": "string", "description": "网站标识码"},
        "contact": contact,
        "topics": {"type": "array", "items": TEXT, "description": "主题分类表（一级分类），默认为中国政府网 22 个主题分类"},
        "validity": _obj(VALIDITY_FIELDS, dict.fromkeys(VALIDITY_FIELDS, POSITIVE), [], SITE_FIELDS["validity"]),
        "guide": _obj(GUIDE_RULE_FIELDS, dict.fromkeys(GUIDE_RULE_FIELDS, POSITIVE), [], SITE_FIELDS["guide"]),
        "inspection": _obj(RULE_FIELDS, {
            **dict.fromkeys(RULE_FIELDS, POSITIVE),
            "report_deadline": {"type": "string", "pattern": r"^\d{1,2}-\d{1,2}$"},
            "policy_columns": {"type": "array", "items": TEXT},
            "interpretation_workdays": {"type": "integer", "minimum": 0},
        }, [], SITE_FIELDS["inspection"]),
        "calendar": _obj(CALENDAR_FIELDS, dict.fromkeys(CALENDAR_FIELDS, {
            "type": "array", "items": {"type": "string", "pattern": r"^\d{4}-\d{1,2}-\d{1,2}(\s*(~|～|至|--)\s*\d{4}-\d{1,2}-\d{1,2})?$"},
            "description": "日期 YYYY-MM-DD，或日期范围 2027-02-06~2027-02-13"}), [], SITE_FIELDS["calendar"],
            "国务院办公厅公布的当年放假安排，gongkai 尚未收录时在此补充；计算「20个工作日」等期限时使用"),
        "art20_not_applicable": {
            "type": "object", "title": SITE_FIELDS["art20_not_applicable"],
            "patternProperties": {"^([1-9]|1[0-5])$": {"type": "string", "minLength": 1}}, "additionalProperties": False,
            "description": "如 {10: 本机关不承担重大建设项目}；其余各项须有栏目写 art20"},
        "standards": {"type": "array", "items": {"enum": available()}, "uniqueItems": True,
                      "description": "本机关落实的基层政务公开标准目录（gongkai 随附）：" + "、".join(available())},
        "standards_not_applicable": {
            "type": "object", "title": SITE_FIELDS["standards_not_applicable"],
            "patternProperties": {"^[a-z]+-\\d{2}$": {"type": "string", "minLength": 1}}, "additionalProperties": False,
            "description": "如 {ylfw-03: 由省民政厅统一公布}；检查报告照录理由，不计入覆盖率"},
        "application": _obj(APPLICATION_FIELDS, {
            "channels": {"type": "array", "items": {"enum": list(APPLICATION_CHANNELS)}},
            "online": {"type": "string", "pattern": "^https?://"},
        }, [], SITE_FIELDS["application"]),
        "interaction": _obj(LINK_FIELDS, {"url": {"type": "string", "pattern": "^https?://"}}, ["url"], SITE_FIELDS["interaction"]),
        "assets": {"type": "array", "items": {"type": "string", "pattern": r"^[^/\\]"},
                   "description": "content/ 中网站需要、但不属于任何文件或单页的文件（网站标志、党政机关网站标识等），"
                                  "路径相对于 content/；以 / 结尾表示整个目录。未列出又未被引用的文件不会发布"},
    }
    props.update(portal_props())
    schema = _obj(SITE_FIELDS, props, ["name", "org_code", "site_url"], "网站基本信息（catalog/site.yml）")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def portal_props() -> dict[str, dict]:
    """home, marks, statements, search (gongkai/load/portal.py)."""
    url = {"type": "string", "pattern": "^https?://"}
    service = _obj(SERVICE_FIELDS, {"url": url}, [], "常用服务", "写 column、package、document、url 之一")
    service["oneOf"] = [{"required": [k]} for k in ("column", "package", "document", "url")]
    mark = {"oneOf": [{"const": False}, _obj(MARK_FIELDS, {"url": url}, [], "标识")]}
    words = {"type": "array", "items": {"type": "string", "minLength": 2}, "minItems": 1}
    return {
        "home": _obj(HOME_FIELDS, {"services": {"type": "array", "items": service},
                                   "latest": {"type": "integer", "minimum": 1}}, [], "首页设置"),
        "marks": _obj(MARKS_FIELDS, {"dzjg": {**mark, "title": MARKS_FIELDS["dzjg"]},
                                     "zhaocuo": {**mark, "title": MARKS_FIELDS["zhaocuo"]}}, [], "政府网站标识"),
        "statements": _obj(STATEMENT_FIELDS, {}, [], "隐私声明、网站声明"),
        "search": _obj(SEARCH_FIELDS, {
            "synonyms": {"type": "array", "items": {**words, "minItems": 2}},
            "related": {"type": "object", "additionalProperties": words},
            "builtin_synonyms": {"type": "boolean"},
        }, [], "站内搜索"),
    }


IMPLEMENTS = {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+-\\d{2}$"},
              "description": "落实的国家标准目录事项标识（site.yml 的 standards 中声明的领域），如 [shjz-03]；"
                             "gongkai inspect 据此检查标准目录的落实情况"}


def columns_schema() -> dict:
    column: dict[str, Any] = _obj(COLUMN_FIELDS, {
        "id": {**SLUG, "description": "栏目地址；默认取栏目名称的拼音首字母"},
        "kind": {"enum": [k.value for k in ColumnKind], "description": "；".join(f"{k.value}：{k.label}" for k in ColumnKind)},
        "frequency": {"type": "string", "examples": list(FREQUENCIES),
                      "description": "如 及时更新、每月更新、每季度更新；也可写明期限，如「及时更新，最迟6个月内必须有更新」"},
        "art20": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 15},
                  "description": "本栏目对应《政府信息公开条例》第二十条的哪几项，如 [1, 11]；标准目录页列出对应关系"},
        "implements": IMPLEMENTS,
        "inspect_as": {"enum": list(INSPECTION_CLASSES),
                       "description": "国办秘函〔2019〕19号的栏目类别；不写时按栏目名称判断（动态、通知、公告、文件 等）"},
        "items": {"type": "array", "description": "本栏目对应的公开事项（标准目录的行）", "items": _record(ITEM_FIELDS, {
            "channels": {"type": "array", "items": {"enum": CHANNELS + sorted(CHANNEL_SYNONYMS)},
                         "description": "规定的 13 种公开渠道和载体：" + "、".join(CHANNELS)},
            "audience": {"enum": list(AUDIENCES)}, "mode": {"enum": list(MODES)},
            "level": {"type": "array", "items": TEXT, "description": "如 县级、乡级"},
            "deadline": {**TEXT, "description": "如「信息形成或者变更之日起20个工作日内」"},
            "implements": IMPLEMENTS,
        }, ["name"])},
        "url": {"type": "string", "pattern": "^https?://"},
        "children": {"type": "array", "items": {"$ref": "#/$defs/column"}, "description": "下级栏目（标准目录最多三级）"},
    }, ["name"], "栏目")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "政府信息公开标准目录（catalog/columns.yml）",
        "$defs": {"column": column},
        "oneOf": [
            {"type": "array", "items": {"$ref": "#/$defs/column"}},
            {"type": "object", "additionalProperties": False, "required": ["columns"],
             "properties": {"columns": {"type": "array", "items": {"$ref": "#/$defs/column"}}}},
        ],
    }


def document_schema() -> dict:
    props = {
        "published": DATE, "written": DATE, "effective": DATE, "expires": DATE, "status_date": DATE,
        "columns": {"type": "array", "items": TEXT, "minItems": 1, "description": "所属栏目的 id 或完整路径；一份文件可属多个栏目"},
        "disclosure": {"enum": list(DISCLOSURE_VALUES), "description": "只有主动公开的文件会出现在网站上"},
        "status": {"enum": list(STATUS_VALUES)},
        "normative": {"type": "boolean"},
        "year": {"type": "integer", "minimum": 1900},
        "attachments": {"type": "array", "items": {"oneOf": [TEXT, _record(ATTACHMENT_FIELDS, required=["file"])]}},
        "privacy_ok": {"type": "array", "items": _record(ALLOWANCE_FIELDS, required=list(ALLOWANCE_FIELDS))},
    }
    schema = _obj(DOCUMENT_FIELDS, props, ["title", "published", "columns"], "文件（content/documents/**/*.md 的 front matter）")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def guide_schema() -> dict:
    props = {"revised": DATE, "revisions": {"type": "array", "items": _record(REVISION_FIELDS, {"date": DATE}, ["date"])}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(GUIDE_FIELDS, props, ["revised"], "政府信息公开指南（content/guide.md 的 front matter）")}


def packages_schema() -> dict:
    texts = {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}
    faq = _obj(FAQ_FIELDS, {}, ["question", "answer"], "常见问题")
    package = _obj(PACKAGE_FIELDS, {
        "id": {**SLUG, "description": "网址 packages/{id}/ 和海报二维码使用；发布后不要再改"},
        "items": {"type": "array", "items": TEXT, "minItems": 1}, "steps": {"type": "array", "items": TEXT},
        "materials": {"type": "array", "items": TEXT}, "where": texts,
        "phone": {"anyOf": [{"type": ["string", "integer"]}, {"type": "array", "items": {"type": ["string", "integer"]}}]},
        "online": {"type": "string", "pattern": "^https?://"},
        "policies": {"type": "array", "items": TEXT, "description": "content/documents/ 中主动公开文件的标识"},
        "faq": {"type": "array", "items": faq},
    }, ["id", "name", "summary", "items"], "主题服务包")
    packages = {"type": "array", "items": {"$ref": "#/$defs/package"}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "主题服务包（catalog/packages.yml）",
            "$defs": {"package": package},
            "anyOf": [packages, {"type": "object", "additionalProperties": False, "properties": {"packages": packages}}]}


def report_schema() -> dict:
    """content/reports/YEAR.yml: the keys and row lengths of the 30号 format (gongkai/annual_report.py)."""
    from gongkai.annual_report import ACTIVE_ITEMS, APPLICANTS, ISSUE_COLUMNS, OUTCOMES, RESULT_GROUPS, REVIEW_ROWS, ROW_LABELS
    from gongkai.load.reports import TOP_FIELDS

    count = {"type": "integer", "minimum": 0}

    def row(names: tuple[str, ...]) -> dict:
        return {"type": "array", "items": count, "minItems": len(names), "maxItems": len(names),
                "description": "依次为：" + "、".join(names)}

    row7, row5 = row(APPLICANTS), row(OUTCOMES)
    issue = _obj(dict(ISSUE_COLUMNS), dict.fromkeys(dict(ISSUE_COLUMNS), count), [k for k, _ in ISSUE_COLUMNS], "件数")
    active_titles = {key: f"{item} {label}" + (f"：{col}" if col else "") for item, rows, col in ACTIVE_ITEMS for key, label in rows}
    active_props = {key: (issue if key in ("rules", "normative") else count) for key in active_titles}
    active_props["fees"] = {"type": "number", "minimum": 0}
    results_titles: dict[str, str] = {}
    results_props: dict[str, dict] = {}
    for key, label, subs in RESULT_GROUPS:
        results_titles[key] = label
        results_props[key] = _obj(dict(subs), dict.fromkeys(dict(subs), row7), [k for k, _ in subs], label) if subs else row7
    results_titles["total"] = ROW_LABELS[("results", "total")]
    results_props["total"] = row7
    results = _obj(results_titles, results_props, list(results_titles), "三、本年度办理结果")
    apps = _obj({"new": ROW_LABELS[("new",)], "carried_over": ROW_LABELS[("carried_over",)], "results": "三、本年度办理结果",
                 "carry_forward": ROW_LABELS[("carry_forward",)]},
                {"new": row7, "carried_over": row7, "results": results, "carry_forward": row7},
                ["new", "carried_over", "results", "carry_forward"], TOP_FIELDS["applications"], "每行 7 个数：" + "、".join(APPLICANTS))
    review = _obj(dict(REVIEW_ROWS), dict.fromkeys(dict(REVIEW_ROWS), row5), [k for k, _ in REVIEW_ROWS], TOP_FIELDS["review"])
    props = {
        "year": {"type": "integer", "minimum": 2000, "maximum": 2999},
        "overview": {**TEXT, "description": "Markdown"}, "problems": {**TEXT, "description": "Markdown"},
        "other_matters": {**TEXT, "description": "Markdown，含信息处理费"},
        "active": _obj(active_titles, active_props, list(active_titles), TOP_FIELDS["active"]),
        "applications": apps, "review": review,
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(TOP_FIELDS, props, ["year"], "政府信息公开工作年度报告（content/reports/YEAR.yml，国办公开办函〔2021〕30号格式）")}


def withdrawals_schema() -> dict:
    entry = _obj(WITHDRAWAL_FIELDS, {"date": DATE, "published": DATE, "personal_data": {"type": "boolean"}},
                 ["id", "date", "reason"], "撤回记录", "由 gongkai withdraw 追加；不要删除条目")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "撤回记录（catalog/withdrawals.yml）",
            "type": "object", "additionalProperties": False,
            "properties": {"withdrawals": {"type": ["array", "null"], "items": entry}}}


def changes_schema() -> dict:
    from gongkai.tools.proposal import CHANGE_FIELDS, CHANGES_FIELDS

    change = _obj(CHANGE_FIELDS, {"into": {"type": "array", "items": TEXT}}, ["column", "reason"], "调整事项",
                  "column 写栏目标识或路径（撤销的栏目写原来的），reason 写调整理由；撤销的栏目可用 into 写明其文件移入的栏目")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(CHANGES_FIELDS, {"changes": {"type": ["array", "null"], "items": change}}, [],
                   "栏目调整方案（catalog/changes.yml）", "gongkai diff --format html 打印的调整理由")}


def lists_schema() -> dict:
    """catalog/lists.yml: published lists from spreadsheets (gongkai/load/lists.py)."""
    from gongkai.listmodel import CATEGORIES, FIELD_TYPES, MASKS
    from gongkai.load.lists import FIELD_FIELDS, LIST_FIELDS, TOP_FIELDS

    fld = _record(FIELD_FIELDS, {
        "type": {"enum": list(FIELD_TYPES), "description": "；".join(f"{k}：{v[0]}（默认遮蔽 {v[1]}）" for k, v in FIELD_TYPES.items())},
        "mask": {"enum": list(MASKS), "description": "none 原样；name 张*、张*明；id 前 6 后 4；mobile 138****5678；bank 前 4 后 4；hide 不显示"},
        "show": {"type": "boolean"}, "search": {"type": "boolean"}, "filter": {"type": "boolean"},
    }, ["name"])
    entry = _obj(LIST_FIELDS, {
        "id": {**SLUG, "description": "名单页面地址使用"}, "published": DATE, "period_start": DATE, "period_end": DATE,
        "file": {"type": "string", "pattern": r"\.(xlsx|csv)$", "description": "content/ 下的 .xlsx 或 .csv；原始表格不会发布"},
        "category": {"enum": list(CATEGORIES)}, "header_row": POSITIVE, "record_months": POSITIVE,
        "fields": {"type": "array", "items": fld, "minItems": 1},
    }, ["id", "title", "column", "file", "published", "fields"], "名单")
    terms = {"type": "object", "additionalProperties": False,
             "properties": {k: {"type": ["integer", "null"], "minimum": 1} for k in CATEGORIES}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(TOP_FIELDS, {"terms": terms, "lists": {"type": "array", "items": entry}}, [],
                   "公示名单和名录（catalog/lists.yml）")}


def decisions_schema() -> dict:
    """catalog/decisions.yml: the yearly 重大行政决策事项目录 (gongkai/load/decisions.py)."""
    from gongkai.load.decisions import CONSULTATION_FIELDS, DECISION_FIELDS, RULE_FIELDS, TOP_FIELDS, YEAR_FIELDS
    from gongkai.participation import DECISION_STATUSES

    consultation = _obj(CONSULTATION_FIELDS, {"start": DATE, "end": DATE, "online": {"type": "string", "pattern": "^https?://"},
                                              "phone": {"type": ["string", "integer"]}, "fax": {"type": ["string", "integer"]}},
                        ["start", "end"], DECISION_FIELDS["consultation"], "至少写 online、email 或 address 之一")
    decision = _record(DECISION_FIELDS, {
        "id": {**SLUG, "description": "网址 decisions/{id}/ 使用；文件的 front matter 用 decision: 此标识 归入本事项"},
        "planned": {"type": ["string"], "description": "如 2026年12月、2026年第四季度"},
        "hearing": {"type": "boolean"}, "status": {"enum": list(DECISION_STATUSES)}, "consultation": consultation,
    }, ["id", "name", "office", "basis", "planned"])
    year = _record(YEAR_FIELDS, {"year": {"type": "integer", "minimum": 1990}, "published": DATE,
                                 "decisions": {"type": ["array", "null"], "items": decision}}, ["year"])
    rules = _obj(RULE_FIELDS, {"feedback_workdays": POSITIVE, "catalogue_deadline": {"type": "string", "pattern": r"^\d{1,2}-\d{1,2}$"}},
                 [], TOP_FIELDS["rules"])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(TOP_FIELDS, {"rules": rules, "years": {"type": ["array", "null"], "items": year}}, [],
                   "重大行政决策事项目录（catalog/decisions.yml）")}


def messages_schema() -> dict:
    """catalog/messages.yml: 留言选登 written as YAML or read from a 12345 export (gongkai/load/interaction.py)."""
    from gongkai.load.interaction import COLUMN_FIELDS, MESSAGE_FIELDS, MESSAGES_TOP, RULE_FIELDS, SHEET_COLUMNS, SHEET_FIELDS

    message = _record(MESSAGE_FIELDS, {"id": SLUG, "received": DATE, "replied": DATE, "simple": {"type": "boolean"}},
                      ["id", "received", "title", "question", "replied", "office", "answer"])
    columns = _obj(COLUMN_FIELDS, {k: {**TEXT, "description": "默认依次查找：" + "、".join(v)} for k, v in SHEET_COLUMNS.items()},
                   [], SHEET_FIELDS["columns"], "表头与默认不同时写明，例如 question: 诉求内容")
    sheet = _record(SHEET_FIELDS, {
        "file": {"type": "string", "pattern": r"\.(xlsx|csv)$", "description": "content/ 下的 .xlsx 或 .csv；原始表格不会发布"},
        "header_row": POSITIVE, "columns": columns, "mask_numbers": {"type": "boolean"},
    }, ["file"])
    rules = _obj(RULE_FIELDS, dict.fromkeys(RULE_FIELDS, POSITIVE), [], MESSAGES_TOP["rules"])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(MESSAGES_TOP, {"rules": rules, "spreadsheets": {"type": ["array", "null"], "items": sheet},
                                  "messages": {"type": ["array", "null"], "items": message}}, [],
                   "留言选登（catalog/messages.yml）")}


def faq_schema() -> dict:
    """catalog/faq.yml: the site-wide 常见问题库."""
    from gongkai.load.interaction import FAQ_FIELDS as SITE_FAQ_FIELDS
    from gongkai.load.interaction import FAQ_TOP

    entry = _record(SITE_FAQ_FIELDS, {"id": SLUG}, ["id", "question", "answer"])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **_obj(FAQ_TOP, {"faq": {"type": ["array", "null"], "items": entry}}, [], "常见问题库（catalog/faq.yml）")}


SCHEMAS = {
    "report.schema.json": report_schema,
    "packages.schema.json": packages_schema,
    "site.schema.json": site_schema,
    "columns.schema.json": columns_schema,
    "document.schema.json": document_schema,
    "guide.schema.json": guide_schema,
    "withdrawals.schema.json": withdrawals_schema,
    "changes.schema.json": changes_schema,
    "lists.schema.json": lists_schema,
    "decisions.schema.json": decisions_schema,
    "messages.schema.json": messages_schema,
    "faq.schema.json": faq_schema,
}


def render_all() -> dict[str, str]:
    return {name: json.dumps(make(), ensure_ascii=False, indent=2, sort_keys=True) + "\n" for name, make in SCHEMAS.items()}


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in render_all().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
