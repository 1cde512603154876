"""The withdrawal record (撤回记录), catalog/withdrawals.yml: documents taken down after they were published.

Written by `gongkai withdraw` (one entry appended per withdrawal), committed with the catalogue, read by every
build. A document named here is not 主动公开 any more, whatever its front matter says: it is in no page, list,
feed, export or search index, its attachments are withheld, and its old address shows a plain
「该信息已撤回」 notice (gongkai/build/withdrawn.py) — without the title when the reason is personal data.
The record names who withdrew what, when and why, for the office's files and the annual report
(`gongkai inspect`); it is not published and not scanned by the privacy gate (the reason may name a person).

Entries are never removed by gongkai. A corrected document is published again under a new id (file name):
its old address keeps saying that the first version was withdrawn.
"""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.errors import Problems
from gongkai.load.fields import Fields, type_name
from gongkai.load.sources import read_yaml_file
from gongkai.load.yamlsrc import Seq
from gongkai.model import Document, Withdrawal

WITHDRAWALS_REL = "catalog/withdrawals.yml"
FIELDS = {
    "id": "文件标识", "date": "撤回日期", "reason": "撤回原因", "personal_data": "因含个人信息撤回（撤回提示页不显示标题）",
    "by": "经办人", "title": "撤回时的标题", "index_no": "索引号", "published": "原发布日期",
}
HEADER = """\
# 撤回记录：已经发布、后来撤回的文件。由 gongkai withdraw 追加，请随目录一起提交到 git，不要删除条目。
# 列在这里的文件不再公开（页面、列表、订阅、导出、搜索、附件都会撤下），原地址显示“该信息已撤回”；
# personal_data: true 时提示页不显示标题。本文件不发布到网站。改正后请用新的文件标识（文件名）重新发布。
withdrawals:
"""


def record_path(root: Path) -> Path:
    return root / WITHDRAWALS_REL


def load_withdrawals(root: Path, problems: Problems) -> list[Withdrawal]:
    """The entries of catalog/withdrawals.yml in file order ([] when there is none)."""
    # read without the build's memo: the record holds titles of withdrawn documents, the cache keeps no copy
    data = read_yaml_file(root, record_path(root), problems, required=False)
    if data is None:
        return []
    f = Fields(problems, WITHDRAWALS_REL, data, {"withdrawals": "撤回记录"}, "撤回记录")
    raw = f.raw("withdrawals")
    if raw is None:
        return []
    if not isinstance(raw, list):
        f.err("withdrawals", f"应为列表，实际是{type_name(raw)}")
        return []
    out: list[Withdrawal] = []
    seen: dict[str, Withdrawal] = {}
    for i, item in enumerate(raw):
        line = raw.line_of(i) if isinstance(raw, Seq) else f.line("withdrawals")
        e = Fields(problems, WITHDRAWALS_REL, item, FIELDS, f"第 {i + 1} 条撤回记录")
        if not e.ok:
            continue
        doc_id, date, reason = e.str("id", required=True), e.date("date", required=True), e.str("reason", required=True)
        if not doc_id or date is None or not reason:
            continue
        w = Withdrawal(doc_id, date, reason, e.bool("personal_data"), e.str("by"), e.str("title"), e.str("index_no"),
                       e.date("published"), e.start_line or line)
        if doc_id in seen:
            problems.error(WITHDRAWALS_REL, w.line, "id", f"文件「{doc_id}」已在第 {seen[doc_id].line} 行记录过撤回")
            continue
        seen[doc_id] = w
        out.append(w)
    return out


def apply_withdrawals(documents: list[Document], withdrawals: list[Withdrawal], problems: Problems) -> None:
    """Mark the documents named by the record as withdrawn (no longer 主动公开); warn about what points at them."""
    by_id = {w.id: w for w in withdrawals}
    if not by_id:  # most sites, most builds: nothing to mark, nothing to warn about (two passes of every document)
        return
    for doc in documents:
        w = by_id.get(doc.id)
        if w is not None:
            doc.withdrawn = w
    for doc in documents:
        if not doc.is_public:
            continue
        for field, target_id in (("replaced_by", doc.replaced_by), ("interprets", doc.interprets)):
            w = by_id.get(target_id) if target_id else None
            if w is not None:
                problems.warn(doc.source.file, doc.line_of(field), field,
                              f"指向的文件「{target_id}」已于 {w.date.isoformat()} 撤回，网页上不再显示这一关联；请核对本文件")


def entry_text(w: Withdrawal) -> str:
    """One entry as YAML (strings as JSON, which YAML reads as they are), to append to the record."""
    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [f"  - id: {q(w.id)}", f"    date: {w.date.isoformat()}", f"    reason: {q(w.reason)}"]
    if w.personal_data:
        lines.append("    personal_data: true")
    if w.by:
        lines.append(f"    by: {q(w.by)}")
    if w.title:
        lines.append(f"    title: {q(w.title)}")
    if w.index_no:
        lines.append(f"    index_no: {q(w.index_no)}")
    if w.published:
        lines.append(f"    published: {w.published.isoformat()}")
    return "\n".join(lines) + "\n"


def append_entry(root: Path, w: Withdrawal) -> Path:
    """Add one entry at the end of the record (created with its header when missing); the rest is kept as it is."""
    path = record_path(root)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if text.rstrip().endswith("withdrawals: []"):
        text = text.rstrip()[: -len("[]")].rstrip() + "\n"
    if not text.endswith("\n"):
        text += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text + entry_text(w), encoding="utf-8")
    tmp.replace(path)
    return path
