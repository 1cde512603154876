"""The URL record (catalog/urls.lock.yml) against the current catalogue: warnings only, never a stopped build."""

from __future__ import annotations

from gongkai.errors import Problems
from gongkai.load.columns import column_index
from gongkai.load.urlrecord import LOCK_REL
from gongkai.model import Column, RecordedUrl


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
