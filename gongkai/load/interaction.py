"""互动回应: catalog/messages.yml (留言选登), catalog/faq.yml (常见问题库) and site.yml's 「我要留言」 link.

Both files are under catalog/, so the privacy gate scans every line of them as written (a letter often names
its writer: the gate stops the build until it is removed or allowed).
"""

from __future__ import annotations

import re
from typing import Any

from gongkai.errors import Problems
from gongkai.load import slugs
from gongkai.load.fields import Fields
from gongkai.load.sources import read_yaml_file
from gongkai.memo import Memo
from gongkai.model import Catalogue, ColumnKind
from gongkai.participation import FaqEntry, Interaction, InteractionRules, Message

MESSAGES_FILE = "catalog/messages.yml"
FAQ_FILE = "catalog/faq.yml"
MESSAGES_TOP = {"rules": "答复期限规则", "messages": "留言选登"}
RULE_FIELDS = {"reply_workdays": "答复期限（工作日）", "simple_workdays": "简单问题答复期限（工作日）"}
MESSAGE_FIELDS = {"id": "留言标识（页面锚点，设定后不要再改）", "received": "来信日期", "title": "标题", "question": "问题",
                  "replied": "答复日期", "office": "答复单位", "answer": "答复内容", "simple": "简单问题"}
FAQ_TOP = {"faq": "常见问题"}
FAQ_FIELDS = {"id": "问题标识（页面锚点，设定后不要再改）", "question": "问题", "answer": "解答", "category": "分类"}
LINK_FIELDS = {"label": "链接文字（默认：我要留言）", "url": "留言、咨询平台地址"}


def load_interaction(cat: Catalogue, problems: Problems, memo: Memo | None = None,
                     keep: dict[str, Any] | None = None) -> Interaction:
    out = Interaction()
    _link(cat, out, problems, keep)
    data = read_yaml_file(cat.root_dir, cat.root_dir / MESSAGES_FILE, problems, required=False, memo=memo, keep=keep)
    if data is not None:
        f = Fields(problems, MESSAGES_FILE, data, MESSAGES_TOP, "messages.yml")
        if f.ok:
            if f.has("rules"):
                r = Fields(problems, MESSAGES_FILE, f.raw("rules"), RULE_FIELDS, "rules")
                out.rules = InteractionRules(r.int("reply_workdays", 5, minimum=1), r.int("simple_workdays", 1, minimum=1))
            seen: dict[str, int] = {}
            for m in f.records("messages", MESSAGE_FIELDS, "留言", "每项包含 received、title、question、replied、office、answer"):
                msg = _message(m, seen)
                if msg is not None:
                    out.messages.append(msg)
            out.messages.sort(key=lambda m: (m.received, m.id), reverse=True)
        if out.messages and cat.first_column(ColumnKind.MESSAGES) is None:
            problems.warn(MESSAGES_FILE, None, None, "有留言选登，但标准目录中没有 kind: messages 的栏目：留言不会出现在网站上")
    data = read_yaml_file(cat.root_dir, cat.root_dir / FAQ_FILE, problems, required=False, memo=memo, keep=keep)
    if data is not None:
        f = Fields(problems, FAQ_FILE, data, FAQ_TOP, "faq.yml")
        if f.ok:
            seen = {}
            for q in f.records("faq", FAQ_FIELDS, "常见问题", "每项包含 id、question（问题）、answer（解答），可选 category（分类）"):
                qid = _id(q, seen)
                entry = FaqEntry(qid, q.str("question", required=True), q.str("answer", required=True), q.str("category"),
                                 q.start_line)
                if qid:
                    out.faq.append(entry)
        if out.faq and cat.first_column(ColumnKind.FAQ) is None:
            problems.warn(FAQ_FILE, None, None, "有常见问题，但标准目录中没有 kind: faq 的栏目：常见问题不会出现在网站上")
    return out


def _id(f: Fields, seen: dict[str, int]) -> str:
    qid = f.str("id", required=True)
    if not qid:
        return ""
    if not slugs.is_valid_slug(qid):
        f.err("id", f"标识「{qid}」无效：只能用小写字母、数字和连字符，且以字母或数字开头（例如 2026-001）")
        return ""
    if qid in seen:
        f.err("id", f"标识「{qid}」重复：第 {seen[qid]} 行已使用")
        return ""
    seen[qid] = f.start_line or 0
    return qid


def _message(f: Fields, seen: dict[str, int]) -> Message | None:
    mid = _id(f, seen)
    received = f.date("received", required=True)
    replied = f.date("replied", required=True)
    title, question = f.str("title", required=True), f.str("question", required=True)
    office, answer, simple = f.str("office", required=True), f.str("answer", required=True), f.bool("simple")
    if received and replied and replied < received:
        f.err("replied", f"答复日期 {replied} 早于来信日期 {received}")
    if not mid or received is None:
        return None
    return Message(mid, received, title, question, replied, office, answer, simple, f.start_line, dict(f.node.key_lines))


def _link(cat: Catalogue, out: Interaction, problems: Problems, keep: dict[str, Any] | None) -> None:
    site_data = (keep or {}).get("catalog/site.yml")
    raw = site_data.get("interaction") if isinstance(site_data, dict) else None
    if raw is None:
        return
    f = Fields(problems, "catalog/site.yml", raw, LINK_FIELDS, "interaction")
    if not f.ok:
        return
    out.link_url = f.str("url", required=True)
    out.link_label = f.str("label") or "我要留言"
    if out.link_url and not re.match(r"^https?://[^/\s]+", out.link_url):
        f.err("url", f"留言平台地址「{out.link_url}」应为以 http:// 或 https:// 开头的完整地址")
        out.link_url = ""
