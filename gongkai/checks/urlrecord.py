"""The URL record (catalog/urls.lock.yml) against the current catalogue: warnings only, never a stopped build."""

from __future__ import annotations

from gongkai.errors import Problems
from gongkai.load.columns import column_index
from gongkai.load.docids import FROM_INDEX, FROM_RECORD, describe
from gongkai.load.urlrecord import LOCK_REL, UrlRecord
from gongkai.model import Column, Document, GoneAddress, RecordedUrl


def check_url_record(entries: list[RecordedUrl] | None, roots: list[Column], problems: Problems) -> None:
    """Warn about current column URLs the record lacks, and recorded identities that name several columns."""
    if entries is None:
        return
    index = column_index(roots)
    recorded = {e.url for e in entries}
    missing = [c for r in roots for c in r.walk() if c.href not in recorded]
    if missing:
        sample = "、".join(f"{c.name}（{c.href}）" for c in missing[:5]) + (" 等" if len(missing) > 5 else "")
        problems.warn(LOCK_REL, None, "urls", f"地址记录缺少 {len(missing)} 个当前栏目地址：{sample}。"
                      "请运行 gongkai lock 更新并提交，否则这些地址以后变化时旧链接无法跳转")
    for e in entries:
        n = len(index.get(e.column, []))
        if n > 1:
            problems.warn(LOCK_REL, e.line, "column", f"地址「{e.url}」记录的栏目标识「{e.column}」对应多个栏目，"
                          "旧地址将显示“本栏目已撤销”；请给栏目设置唯一的 id，或把记录改为栏目的完整路径")


def check_document_ids(record: UrlRecord | None, documents: list[Document], problems: Problems) -> None:
    """Warn about automatic document ids (files named in Chinese) that the record does not hold yet: until it does,
    renaming the file or retitling the document would move its address. Each names the file and its address."""
    recorded = {(e.id, e.file) for e in record.documents} if record is not None else set()
    # a file with an error (a date written 2024年1月25日) gives its address from a stand-in (documents/1970-….html):
    # the error is the message, and the address is told once the file loads
    broken = {p.file for p in problems.errors}
    new = [d for d in documents if d.id_from and (d.id, d.source.file) not in recorded and d.source.file not in broken]
    if not new:
        return
    for d in new[:5]:
        if d.id_from == FROM_RECORD:  # found by its 索引号 or title: the file was renamed
            problems.warn(d.source.file, d.source.line, "id",
                          f"本文件改过文件名，网址沿用地址记录 {LOCK_REL} 中的 documents/{d.id}.html：请运行 gongkai lock "
                          "记下新的文件名并提交")
            continue
        line = d.line_of("index_no") if d.id_from == FROM_INDEX else d.line_of("title")
        problems.warn(d.source.file, line, "id", f"本文件的网址是 documents/{d.id}.html（{describe(d)}），"
                      f"尚未记入地址记录 {LOCK_REL}：请运行 gongkai lock 并提交，以后改文件名或标题时网址才不会变")
    if len(new) > 5:
        problems.warn(LOCK_REL, None, "documents", f"另有 {len(new) - 5} 份以中文等命名的文件的自动网址尚未记入地址记录"
                      f"（共 {len(new)} 份）：请运行 gongkai lock 并提交")


def check_gone_addresses(gone: list[GoneAddress], problems: Problems) -> None:
    """Warn about recorded addresses whose document is gone without a record of why: the old address now shows
    「该信息已移除」. Either the file was renamed and retitled (then writing the old id keeps the address), or it
    was taken down on purpose — which `gongkai withdraw` records (who, when, why) for the office's files."""
    lost = [g for g in gone if g.target is None]
    for g in lost[:5]:
        problems.warn(LOCK_REL, g.line, "documents",
                      f"地址记录中的 {g.href}（原文件 {g.file}，「{g.title}」）找不到对应的文件，旧地址现显示“该信息已移除”。"
                      f"若该文件改了文件名和标题，请在它的 front matter 中写上 id: {g.id}，网址就不变；若是有意撤下，"
                      f"请运行 gongkai withdraw {g.id} --reason 撤回原因，记入撤回记录")
    if len(lost) > 5:
        problems.warn(LOCK_REL, None, "documents", f"另有 {len(lost) - 5} 个记录过的文件地址找不到对应的文件"
                      f"（共 {len(lost)} 个），旧地址显示“该信息已移除”")
