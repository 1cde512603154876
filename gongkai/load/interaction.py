"""互动回应: catalog/messages.yml (留言选登), catalog/faq.yml (常见问题库) and site.yml's 「我要留言」 link.

Both files are under catalog/, so the privacy gate scans every line of them as written (a letter often names
its writer: the gate stops the build until it is removed or allowed).
"""

from __future__ import annotations

import re
from typing import Any

from gongkai import masking
from gongkai.checks import privacy
from gongkai.errors import Problems
from gongkai.load import sheets, slugs
from gongkai.load.fields import Fields
from gongkai.load.sources import read_yaml_file
from gongkai.memo import Memo
from gongkai.model import Catalogue, ColumnKind
from gongkai.participation import FaqEntry, Interaction, InteractionRules, Message

MESSAGES_FILE = "catalog/messages.yml"
FAQ_FILE = "catalog/faq.yml"
MESSAGES_TOP = {"rules": "答复期限规则", "spreadsheets": "从留言系统导出的表格（.xlsx/.csv）", "messages": "留言选登"}
RULE_FIELDS = {"reply_workdays": "答复期限（工作日）", "simple_workdays": "简单问题答复期限（工作日）"}
MESSAGE_FIELDS = {"id": "留言标识（页面锚点，设定后不要再改）", "received": "来信日期", "title": "标题", "question": "问题",
                  "replied": "答复日期", "office": "答复单位", "answer": "答复内容", "simple": "简单问题"}
SHEET_FIELDS = {"file": "表格文件（content/ 下的 .xlsx 或 .csv）", "sheet": "工作表（默认第一个）", "header_row": "表头所在行",
                "columns": "各字段所在列的表头", "publish": "“是否公开”列的表头（只选登该列为“是”的留言）",
                "mask_numbers": "自动遮蔽问题和答复中的身份证号、手机号码、银行卡号"}
# What each field of a message is called in the exports of 12345 / 政民互动 systems (六安市人民政府网「互动交流」
# 留言须知 lists 留言类型、受理单位、标题、内容、留言是否公开: https://tyjrj.luan.gov.cn/szxx/site/tpl/2801?organId=6608621);
# `columns:` names the heading when an export calls it something else.
SHEET_COLUMNS = {
    "id": ("工单编号", "留言编号", "信件编号", "编号"), "received": ("来信日期", "来信时间", "留言时间", "受理时间", "来电时间"),
    "title": ("标题", "留言标题", "信件标题", "留言主题"), "question": ("问题", "留言内容", "来信内容", "诉求内容", "内容"),
    "replied": ("答复日期", "答复时间", "回复时间", "办结时间"), "office": ("答复单位", "回复单位", "承办单位", "办理单位", "受理单位"),
    "answer": ("答复内容", "回复内容", "办理结果", "答复意见"), "simple": ("简单问题",), "writer": ("留言人", "来信人", "来电人"),
    "kind": ("留言类型", "诉求类型", "类型"),
}
SHEET_REQUIRED = ("id", "received", "question", "replied", "office", "answer")
COLUMN_FIELDS = {k: f"{MESSAGE_FIELDS.get(k) or {'writer': '留言人（发布时遮蔽为 张*）', 'kind': '留言类型'}[k]}所在列的表头"
                 for k in SHEET_COLUMNS}
PUBLISH_YES = ("是", "公开", "同意公开", "同意", "选登")
PUBLISH_NO = ("否", "不公开", "不同意公开", "不同意", "")
TITLE_CHARS = 30  # a message without a 标题 column is titled by the start of its question
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
            taken = {m.id: m.location("id") for m in out.messages}
            for sf in f.records("spreadsheets", SHEET_FIELDS, "留言表格", "每项写 file（表格文件）和 columns（各字段的表头）"):
                file = sf.str("file", required=True)
                if file:
                    out.sheet_files.append(file)
                    out.messages += _sheet_messages(cat, sf, file, taken, problems, memo)
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


def _sheet_messages(cat: Catalogue, f: Fields, file: str, taken: dict[str, str], problems: Problems,
                    memo: Memo | None) -> list[Message]:
    """The published rows of a 留言 export: columns found by heading, dates checked, 留言人 masked (张*), and
    personal numbers in the texts masked when `mask_numbers` says so (else the privacy gate stops the build at
    the cell). Only the masked values are kept: the spreadsheet itself is source data, never published."""
    sheet_name, header_row = f.str("sheet"), f.int("header_row", default=1, minimum=1)
    publish, mask_all = f.str("publish"), f.bool("mask_numbers")
    given: dict[str, str] = {}
    if f.has("columns"):
        c = Fields(problems, f.file, f.raw("columns"), COLUMN_FIELDS, "columns")
        given = {k: c.str(k) for k in COLUMN_FIELDS if c.has(k)}
    sheet = sheets.read_sheet(cat.root_dir, f, file, sheet_name, problems, memo)
    if sheet is None:
        return []
    headings = sheets.header(sheet, header_row, problems)
    if headings is None:
        return []
    where = sheets.positions(headings)
    shown = "、".join(h for h in headings if h) or "（空）"
    col: dict[str, tuple[str, int]] = {}  # field -> (heading, index)
    for key, names in SHEET_COLUMNS.items():
        if key in given:
            if given[key] not in where:
                f.err("columns", f"{MESSAGE_FIELDS.get(key) or COLUMN_FIELDS[key]}列「{given[key]}」在 {sheet.src} 的{sheet.where}"
                                 f"第 {header_row} 行表头中没有找到；表头是：{shown}", f.line("columns"))
                continue
            col[key] = (given[key], where[given[key]])
            continue
        found = next((n for n in names if n in where), None)
        if found is not None:
            col[key] = (found, where[found])
        elif key in SHEET_REQUIRED:
            f.err("columns", f"{sheet.src} 的{sheet.where}中找不到「{MESSAGE_FIELDS[key]}」列（试过：{'、'.join(names)}）："
                             f"请在 columns 中写 {key}: 表头；表头是：{shown}", f.line("columns") or f.start_line)
    if publish and publish not in where:
        f.err("publish", f"“是否公开”列「{publish}」在 {sheet.src} 的{sheet.where}第 {header_row} 行表头中没有找到；表头是：{shown}")
        return []
    if any(k not in col for k in SHEET_REQUIRED):
        return []
    out: list[Message] = []
    for n, raw in enumerate(sheet.rows[header_row:], start=header_row + 1):
        if all(sheets.cell_text(v) == "" for v in raw):
            continue

        def cell(key: str, row: list[Any] = raw) -> Any:
            i = col[key][1] if key in col else -1
            return row[i] if 0 <= i < len(row) else None

        def bad(key: str, message: str, row: int = n) -> None:
            problems.error(sheet.src, row, sheet.cell_place(row, col[key][0]), message)

        if publish:
            flag = sheets.cell_text(raw[where[publish]] if where[publish] < len(raw) else None)
            if flag in PUBLISH_NO:
                continue
            if flag not in PUBLISH_YES:
                problems.error(sheet.src, n, sheet.cell_place(n, publish),
                               f"「{flag}」无法判断是否公开：应为{'、'.join(PUBLISH_YES[:2])}或{'、'.join(PUBLISH_NO[:2])}")
                continue
        text = {k: sheets.cell_text(cell(k)) for k in ("id", "title", "question", "office", "answer", "writer", "kind", "simple")}
        ok = True
        for key in ("id", "question", "office", "answer"):
            if not text[key]:
                bad(key, f"{MESSAGE_FIELDS[key].split('（')[0]}为空")
                ok = False
        mid = text["id"].lower()
        if mid and not slugs.is_valid_slug(mid):
            bad("id", f"编号「{text['id']}」不能用作页面锚点：只能有字母、数字和连字符")
            ok = False
        elif mid in taken:
            bad("id", f"编号「{text['id']}」重复：{taken[mid]} 已使用")
            ok = False
        received, err = sheets.cell_date(cell("received"), with_time=True)
        if err or received is None:
            bad("received", err or "来信日期为空")
            ok = False
        replied, err = sheets.cell_date(cell("replied"), with_time=True)
        if err or replied is None:
            bad("replied", err or "答复日期为空：选登的留言应已答复")
            ok = False
        if received and replied and replied < received:
            bad("replied", f"答复日期 {replied} 早于来信日期 {received}")
        simple = text["simple"] in PUBLISH_YES
        if text["simple"] and not simple and text["simple"] not in PUBLISH_NO:
            bad("simple", f"「{text['simple']}」应为 是 或 否")
        if not ok or received is None:
            continue
        texts = {k: text[k] for k in ("title", "question", "answer")}
        if mask_all:
            texts = {k: privacy.mask_numbers(v)[0] for k, v in texts.items()}
        title = texts["title"] or _title_of(texts["question"])
        taken[mid] = f"{sheet.src} {sheet.cell_place(n, col['id'][0])}"
        out.append(Message(mid, received, title, texts["question"], replied, text["office"], texts["answer"], simple,
                           n, {}, masking.mask_name(text["writer"]), text["kind"], sheet.src,
                           {k: sheet.cell_place(n, h) for k, (h, _) in col.items()}))
    return out


def _title_of(question: str) -> str:
    """The first sentence of a question, at most TITLE_CHARS characters (an export without a 标题 column)."""
    first = re.split(r"[。？！?!\n]", question.strip(), maxsplit=1)[0].strip()
    return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS] + "…"


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
