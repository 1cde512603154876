"""重大行政决策: load and validate catalog/decisions.yml, and join the documents that name a decision.

A document joins a decision by its front matter: `decision: ID` and `stage: 征求意见` (one of STAGES). A
document of a decision's 决策文件 stage brings its 解读 along (`interprets:`), so a 解读 needs no stage.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gongkai.errors import Problems
from gongkai.load import slugs
from gongkai.load.fields import Fields
from gongkai.load.sources import read_yaml_file
from gongkai.memo import Memo
from gongkai.model import Catalogue, ColumnKind, Document, Source
from gongkai.participation import (
    DECISION_STATUSES,
    STAGE_BY_LABEL,
    STAGES,
    Consultation,
    Decision,
    DecisionRules,
    Decisions,
    DecisionYear,
)

DECISIONS_FILE = "catalog/decisions.yml"
TOP_FIELDS = {"rules": "检查规则", "years": "年度事项目录"}
RULE_FIELDS = {"feedback_workdays": "意见采纳情况反馈期限（征求意见截止后的工作日数）",
               "catalogue_deadline": "年度事项目录公开期限（MM-DD，默认 03-31）"}
YEAR_FIELDS = {"year": "年度", "published": "事项目录公开日期", "decisions": "决策事项"}
DECISION_FIELDS = {
    "id": "事项标识（网址使用，设定后不要再改）", "name": "事项名称", "office": "承办单位", "basis": "决策依据",
    "planned": "计划完成时间", "hearing": "是否听证", "status": "状态", "summary": "事项简介",
    "consultation": "征求意见（起止日期和渠道）",
}
CONSULTATION_FIELDS = {"start": "开始日期", "end": "截止日期", "address": "信函地址", "email": "电子邮箱",
                       "online": "在线提交意见网址", "phone": "电话", "fax": "传真"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def load_decisions(cat: Catalogue, problems: Problems, memo: Memo | None = None,
                   keep: dict[str, Any] | None = None, naming: list[Document] | None = None) -> Decisions:
    """catalog/decisions.yml (optional), with every document that names a decision joined to it by stage.

    naming: the documents that write a decision or a stage (names_decision), in load order, when known."""
    out = Decisions()
    data = read_yaml_file(cat.root_dir, cat.root_dir / DECISIONS_FILE, problems, required=False, memo=memo, keep=keep)
    if data is not None:
        f = Fields(problems, DECISIONS_FILE, data, TOP_FIELDS, "decisions.yml")
        if f.ok:
            out.rules = _rules(f)
            seen: dict[str, Decision] = {}
            years: dict[int, DecisionYear] = {}
            for y in f.records("years", YEAR_FIELDS, "年度事项目录", "每项包含 year（年度）、published（公开日期）和 decisions（决策事项）"):
                year = _year(y, seen, problems)
                if year is None:
                    continue
                if year.year in years:
                    y.err("year", f"{year.year} 年度的事项目录重复：第 {years[year.year].line} 行已有")
                    continue
                years[year.year] = year
            out.years = [years[k] for k in sorted(years)]
    _join_documents(cat, out, problems, naming)
    if out.all and cat.first_column(ColumnKind.DECISIONS) is None:
        problems.warn(DECISIONS_FILE, None, None, f"有 {len(out.all)} 个重大行政决策事项，但标准目录中没有 kind: decisions 的栏目："
                      "事项目录不会出现在栏目中")
    return out


def _rules(f: Fields) -> DecisionRules:
    rules = DecisionRules()
    if not f.has("rules"):
        return rules
    r = Fields(f.problems, f.file, f.raw("rules"), RULE_FIELDS, "rules")
    rules.feedback_workdays = r.int("feedback_workdays", rules.feedback_workdays, minimum=1)
    text = r.str("catalogue_deadline")
    if text:
        m = _MONTH_DAY.match(text)
        try:
            if m is None:
                raise ValueError
            dt.date(2024, int(m[1]), int(m[2]))  # a leap year: 02-29 is a day
            rules.catalogue_deadline = (int(m[1]), int(m[2]))
        except ValueError:
            r.err("catalogue_deadline", f"「{text}」不是有效的月-日，应写作 MM-DD，例如 03-31")
    return rules


def _year(y: Fields, seen: dict[str, Decision], problems: Problems) -> DecisionYear | None:
    if not y.has("year"):
        y.err("year", "年度事项目录缺少必填字段「year」", y.start_line)
        return None
    number = y.int("year", 0, minimum=1990)
    if not number:
        return None
    year = DecisionYear(number, y.date("published"), line=y.start_line)
    if year.published and year.published.year != number:
        y.err("published", f"{number} 年度事项目录的公开日期 {year.published} 不在 {number} 年")
    for item in y.records("decisions", DECISION_FIELDS, "决策事项", "每项包含 id、name（事项名称）、office、basis、planned、status 等"):
        d = _decision(item, number)
        if d is None:
            continue
        if d.id in seen:
            problems.error(DECISIONS_FILE, d.source.line, "id",
                           f"事项标识「{d.id}」重复：已被「{seen[d.id].name}」（第 {seen[d.id].source.line} 行）使用")
            continue
        seen[d.id] = d
        year.decisions.append(d)
    return year


def _decision(f: Fields, year: int) -> Decision | None:
    if not f.ok:
        return None
    did = f.str("id", required=True)
    name = f.str("name", required=True)
    if not did:
        return None
    if not slugs.is_valid_slug(did):
        f.err("id", f"事项标识「{did}」无效：只能用小写字母、数字和连字符，且以字母或数字开头（例如 2026-kjetbz）")
        return None
    planned = f.raw("planned")
    d = Decision(
        id=did, year=year, name=name, office=f.str("office", required=True), basis=f.str("basis", required=True),
        planned=planned.isoformat() if isinstance(planned, dt.date) else f.str("planned", required=True),
        hearing=f.bool("hearing"), status=f.choice("status", DECISION_STATUSES, default="推进中"),
        summary=f.str("summary"), source=Source(DECISIONS_FILE, f.start_line),
        field_lines=dict(getattr(f.node, "key_lines", {})),
    )
    if f.has("consultation"):
        d.consultation = _consultation(Fields(f.problems, f.file, f.raw("consultation"), CONSULTATION_FIELDS, "征求意见"))
    return d


def _consultation(c: Fields) -> Consultation | None:
    if not c.ok:
        return None
    start, end = c.date("start", required=True), c.date("end", required=True)
    cons = Consultation(start or dt.date.min, end or dt.date.min, **{k: c.str(k) for k in ("address", "email", "online", "phone", "fax")})
    if start and end and end < start:
        c.err("end", f"截止日期 {end} 早于开始日期 {start}")
    if cons.online and not re.match(r"^https?://[^/\s]+", cons.online):
        c.err("online", f"在线提交意见网址「{cons.online}」应为以 http:// 或 https:// 开头的完整地址")
    if cons.email and not _EMAIL.match(cons.email):
        c.err("email", f"电子邮箱「{cons.email}」格式不对")
    if not cons.channels:
        c.err(None, "征求意见没有写任何提交意见的渠道：至少写 online（在线提交网址）、email（电子邮箱）或 address（信函地址）之一",
              c.start_line)
    return cons if start and end else None


def names_decision(doc: Document) -> bool:
    """Whether a document writes a decision or a stage (the documents load_decisions joins)."""
    return bool(doc.decision or doc.stage)


def _join_documents(cat: Catalogue, out: Decisions, problems: Problems, naming: list[Document] | None) -> None:
    """Each document naming a decision goes to its stage; a wrong id or stage is an error at the document."""
    by_id = {d.id: d for d in out.all}
    stages = "、".join(s.label for s in STAGES)
    for doc in [d for d in cat.documents if d.decision or d.stage] if naming is None else naming:  # (a few)
        file = doc.source.file
        if not doc.decision:
            problems.error(file, doc.line_of("stage"), "stage", f"写了决策阶段「{doc.stage}」，但没有写所属的重大行政决策（decision: 事项标识）")
            continue
        decision = by_id.get(doc.decision)
        if decision is None:
            known = "、".join(by_id) or "（catalog/decisions.yml 中还没有决策事项）"
            problems.error(file, doc.line_of("decision"), "decision",
                           f"重大行政决策「{doc.decision}」不存在：应为 {DECISIONS_FILE} 中某个事项的 id，现有：{known}")
            continue
        if not doc.stage:
            problems.error(file, doc.line_of("decision"), "stage", f"属于重大行政决策「{decision.name}」，但没有写决策阶段"
                           f"（stage:，可选：{stages}）")
            continue
        stage = STAGE_BY_LABEL.get(doc.stage)
        if stage is None:
            problems.error(file, doc.line_of("stage"), "stage", f"决策阶段「{doc.stage}」无效，可选：{stages}")
            continue
        decision.documents.setdefault(stage.key, []).append(doc)
    for d in out.all:
        for docs in d.documents.values():
            docs.sort(key=lambda x: x.sort_key)
        notices = d.documents.get("consultation", [])
        if notices and d.consultation is None:
            problems.error(DECISIONS_FILE, d.source.line, "consultation",
                           f"「{d.name}」有征求意见公告（{notices[0].source.file}），但事项没有写 consultation"
                           "（start 开始日期、end 截止日期和提交意见的渠道），公告页面无法显示征集期限和渠道")


def decision_url(cat: Catalogue, decision: Decision) -> str:
    return cat.site.site_url + decision.url_path


__all__ = ["load_decisions", "DECISIONS_FILE"]
